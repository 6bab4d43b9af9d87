#include "ui/window_script.h"

#include <QApplication>
#include <QDir>
#include <QSaveFile>
#include <QTabWidget>
#include <QTimer>

#include "ui/main_window.h"
#include "ui/views/training_view.h"

namespace genrelab::ui {

WindowScript::WindowScript(MainWindow& window) : QObject(&window), window_(window) {}

bool WindowScript::chooseModel(const QString& name) {
  TrainingView* view = window_.trainingView();
  if (!view->chooseModel(name)) {
    qWarning("no model kind '%s'", qPrintable(name));
    return false;
  }
  if (view->audioModelSelected() && !view->audioUnavailableReason().isEmpty()) {
    qWarning("%s", qPrintable(view->audioUnavailableReason()));
    return false;
  }
  return true;
}

void WindowScript::setEpochs(int epochs) { window_.trainingView()->setEpochs(epochs); }

bool WindowScript::idle() const { return !window_.busy() && pending_starts_ == 0; }

void WindowScript::whenReady(std::function<bool()> ready, std::function<void()> run, const QString& warning) {
  ++pending_starts_;
  auto* poll = new QTimer(this);
  connect(poll, &QTimer::timeout, this,
          [this, poll, ready = std::move(ready), run = std::move(run), warning, idle_ticks = 0]() mutable {
            if (window_.busy()) return;
            if (!ready()) {
              if (++idle_ticks < 50) return;  // 5 s idle and still nothing to run on: give up (screenshots go on)
              qWarning("%s", qPrintable(warning));
            } else {
              run();
            }
            poll->deleteLater();
            poll->stop();
            --pending_starts_;
          });
  poll->start(100);
}

void WindowScript::trainWhenReady() {
  TrainingView* view = window_.trainingView();
  whenReady([view] { return view->canStart(); }, [view] { view->start(); },
            QStringLiteral("--train: nothing to train on"));
}

void WindowScript::compareWhenReady(const QStringList& models) {
  TrainingView* view = window_.trainingView();
  whenReady([view] { return view->canCompare(); },
            [this, view, models] {
              for (const QString& problem : view->tickLeaderboardModels(models))
                qWarning("--compare: %s", qPrintable(problem));
              window_.showTab(QStringLiteral("Training"));
              view->showLeaderboard();
              view->compareModels();
            },
            QStringLiteral("--compare: no feature table to compare on"));
}

void WindowScript::saveScreenshot(const QString& png) {
  QSaveFile file(png);
  if (!file.open(QIODevice::WriteOnly) || !window_.grab().save(&file, "PNG") || !file.commit())
    qWarning("cannot write the screenshot %s: %s", qPrintable(png), qPrintable(file.errorString()));
}

void WindowScript::screenshotWhenIdle(const QString& png) {
  auto* poll = new QTimer(this);
  connect(poll, &QTimer::timeout, this, [this, png, poll] {
    if (!idle()) return;
    poll->stop();
    QTimer::singleShot(1000, this, [this, png] {  // let the last results paint
      saveScreenshot(png);
      QApplication::quit();
    });
  });
  poll->start(200);
}

void WindowScript::screenshotAfter(double seconds, const QString& png) {
  QTimer::singleShot(static_cast<int>(seconds * 1000), this, [this, png] {
    saveScreenshot(png);
    QApplication::quit();
  });
}

void WindowScript::screenshotTabsWhenIdle(const QString& folder) {
  QDir().mkpath(folder);
  // One tab a tick once idle: show it, then grab it on the next tick (it has painted by then).
  auto* poll = new QTimer(this);
  connect(poll, &QTimer::timeout, this, [this, folder, next = -1, shown = false]() mutable {
    if (next < 0) {
      if (!idle()) return;
      next = 0;
    }
    QTabWidget* tabs = window_.tabs();
    if (!shown) {
      tabs->setCurrentIndex(next);
      shown = true;
      return;
    }
    saveScreenshot(QStringLiteral("%1/%2-%3.png")
                       .arg(folder)
                       .arg(next + 1, 2, 10, QLatin1Char('0'))
                       .arg(tabs->tabText(next).toLower()));
    shown = false;
    if (++next == tabs->count()) QApplication::quit();
  });
  poll->start(1000);
}

}  // namespace genrelab::ui
