// genrelab: the GUI. Opens the folder given on the command line, else $GENRELAB_DATA, else the
// shared GTZAN subset beside the source tree, else a generated demo dataset. Songs given on the
// command line (the desktop file's "Open With": Exec=genrelab %F) go to the Predict tab.
#include <QApplication>
#include <QComboBox>
#include <QCommandLineParser>
#include <QListWidget>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QTabWidget>
#include <QDir>
#include <QTimer>

#include "audio/decode.h"
#include "dataset/default_location.h"
#include "ui/app_icon.h"
#include "ui/main_window.h"
#include "ui/views/prediction_view.h"
#include "ui/views/training_view.h"
#include "util/allocator.h"

namespace {

/// Saves a PNG of the window atomically (QSaveFile: a temporary file, then a rename).
void save_screenshot(QWidget& window, const QString& png) {
  QSaveFile file(png);
  if (!file.open(QIODevice::WriteOnly) || !window.grab().save(&file, "PNG") || !file.commit())
    qWarning("cannot write the screenshot %s: %s", qPrintable(png), qPrintable(file.errorString()));
}

}  // namespace

int main(int argc, char** argv) {
  genrelab::tune_allocator_for_batch_work();
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("GenreLab"));
  QApplication::setOrganizationName(QStringLiteral("GenreLab"));
  QApplication::setApplicationVersion(QStringLiteral(GENRELAB_VERSION));
  QApplication::setWindowIcon(genrelab::ui::app_icon());
  // Wayland's app id: ties the windows to the installed desktop file (its name and icon).
  QGuiApplication::setDesktopFileName(QStringLiteral("io.github.genrelab.GenreLab"));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("GenreLab: a workbench for music-genre analysis"));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument(QStringLiteral("paths"),
                               QStringLiteral("Dataset folder to open, and/or songs to classify in the Predict tab"),
                               QStringLiteral("[folder] [songs...]"));
  QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                QStringLiteral("Save a PNG of the window once the dataset is shown, then quit"),
                                QStringLiteral("png"));
  parser.addOption(screenshot);
  QCommandLineOption tab(QStringLiteral("tab"), QStringLiteral("Tab to show first (its title, e.g. Spectrogram)"), QStringLiteral("title"));
  QCommandLineOption select(QStringLiteral("select"), QStringLiteral("Track to select once the dataset is open (file name)"),
                            QStringLiteral("file"));
  parser.addOption(tab);
  QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Open the generated demo dataset (made on first use)"));
  parser.addOption(demo);
  parser.addOption(select);
  QCommandLineOption train(QStringLiteral("train"), QStringLiteral("Start training (the Training tab's defaults) once the dataset is open"));
  QCommandLineOption train_model(QStringLiteral("train-model"),
                                 QStringLiteral("Model kind to choose in the Training tab (e.g. cnn2d, mlp) once the dataset is open"),
                                 QStringLiteral("name"));
  QCommandLineOption train_epochs(QStringLiteral("train-epochs"), QStringLiteral("Epochs to set in the Training tab"),
                                  QStringLiteral("n"));
  QCommandLineOption model(QStringLiteral("model"), QStringLiteral("Model bundle to make active in the Predict tab"), QStringLiteral("file"));
  QCommandLineOption classify(QStringLiteral("classify"), QStringLiteral("Song or folder to classify (repeatable)"),
                              QStringLiteral("path"));
  QCommandLineOption after(QStringLiteral("screenshot-after"),
                           QStringLiteral("Take the screenshot this many seconds after the dataset is shown, busy or not"),
                           QStringLiteral("seconds"));
  QCommandLineOption compare(QStringLiteral("compare"),
                             QStringLiteral("Models to tick in the Training tab's leaderboard, comma-separated (e.g. "
                                            "logreg,mlp,cnn2d); compares them once the dataset and its feature table are open"),
                             QStringLiteral("models"));
  QCommandLineOption tab_shots(QStringLiteral("screenshot-tabs"),
                               QStringLiteral("Once the dataset is open and all work is done, save a screenshot of every tab "
                                              "to this folder (NN-<tab>.png), then quit"),
                               QStringLiteral("folder"));
  for (const auto* o : {&train, &train_model, &train_epochs, &model, &classify, &after, &compare, &tab_shots}) parser.addOption(*o);
  parser.process(app);

  genrelab::ui::MainWindow window;
  window.show();
  if (parser.isSet(model)) {
    try {
      window.predictionView()->openModel(parser.value(model));
    } catch (const std::exception& e) {
      qWarning("%s", e.what());
    }
  }
  if (parser.isSet(classify)) window.predictionView()->addPaths(parser.values(classify));
  bool opened = false;
  // --train / --compare: the screenshot waits until the run has started (and then ended).
  bool start_pending = parser.isSet(train) || parser.isSet(compare);
  QObject::connect(&window, &genrelab::ui::MainWindow::datasetOpened, &window, [&] {
    if (opened) return;  // once: a later extraction re-emits it
    opened = true;
    if (parser.isSet(tab)) window.showTab(parser.value(tab));
    if (parser.isSet(select)) window.selectTrackByName(parser.value(select));
    if (parser.isSet(train_model)) {
      auto* view = window.trainingView();
      const int at = view->kindCombo()->findText(parser.value(train_model));
      if (at < 0) qWarning("--train-model: no model kind '%s'", qPrintable(parser.value(train_model)));
      else view->kindCombo()->setCurrentIndex(at);
      if (view->audioModelSelected() && !view->audioUnavailableReason().isEmpty())
        qWarning("%s", qPrintable(view->audioUnavailableReason()));
    }
    if (parser.isSet(train_epochs)) window.trainingView()->epochsSpin()->setValue(parser.value(train_epochs).toInt());
    if (parser.isSet(train)) {
      // Once the feature table is there (it may be extracted first).
      auto* wait = new QTimer(&window);
      QObject::connect(wait, &QTimer::timeout, &window, [&window, wait, &start_pending, idle = 0]() mutable {
        if (window.busy()) return;
        if (!window.trainingView()->startButton()->isEnabled()) {
          if (++idle < 50) return;  // 5 s idle and still nothing to train on: give up (the screenshot goes on)
          qWarning("--train: nothing to train on");
          wait->stop();
          start_pending = false;
          return;
        }
        wait->stop();
        window.trainingView()->start();
        start_pending = false;
      });
      wait->start(100);
    }
    if (parser.isSet(compare)) {
      // Once the feature table is there (it may be extracted first): tick the models, run, show the leaderboard.
      const QStringList models = parser.value(compare).split(QLatin1Char(','), Qt::SkipEmptyParts);
      auto* wait = new QTimer(&window);
      QObject::connect(wait, &QTimer::timeout, &window, [&window, wait, models, &start_pending, idle = 0]() mutable {
        auto* view = window.trainingView();
        if (window.busy()) return;
        if (!view->compareButton()->isEnabled()) {
          if (++idle < 50) return;  // 5 s idle and still no feature table: give up (the screenshot goes on)
          qWarning("--compare: no feature table to compare on");
          wait->stop();
          start_pending = false;
          return;
        }
        wait->stop();
        for (int i = 0; i < view->compareList()->count(); ++i) {
          QListWidgetItem* item = view->compareList()->item(i);
          item->setCheckState(models.contains(item->text()) ? Qt::Checked : Qt::Unchecked);
          if (models.contains(item->text()) && !(item->flags() & Qt::ItemIsEnabled))
            qWarning("--compare: %s is unavailable: %s", qPrintable(item->text()), qPrintable(item->toolTip()));
        }
        window.showTab(QStringLiteral("Training"));
        if (auto* results = view->findChild<QTabWidget*>()) results->setCurrentIndex(results->count() - 1);
        view->compareModels();
        start_pending = false;
      });
      wait->start(100);
    }
    if (parser.isSet(tab_shots)) {
      // One tab a tick once idle: show it, then grab it on the next tick (it has painted by then).
      const QString dir = parser.value(tab_shots);
      QDir().mkpath(dir);
      auto* poll = new QTimer(&window);
      QObject::connect(poll, &QTimer::timeout, &window, [&window, dir, &start_pending, next = -1, shown = false]() mutable {
        if (next < 0) {
          if (window.busy() || start_pending) return;
          next = 0;
        }
        QTabWidget* tabs = window.tabs();
        if (!shown) {
          tabs->setCurrentIndex(next);
          shown = true;
          return;
        }
        save_screenshot(window, QStringLiteral("%1/%2-%3.png").arg(dir).arg(next + 1, 2, 10, QLatin1Char('0')).arg(tabs->tabText(next).toLower()));
        shown = false;
        if (++next == tabs->count()) QApplication::quit();
      });
      poll->start(1000);
    }
    if (parser.isSet(after)) {
      const QString png = parser.value(screenshot);
      QTimer::singleShot(static_cast<int>(parser.value(after).toDouble() * 1000), &window, [&window, png] {
        save_screenshot(window, png);
        QApplication::quit();
      });
    } else if (parser.isSet(screenshot)) {
      // Grab once background work (extraction, analysis, spectrogram) has finished.
      const QString png = parser.value(screenshot);
      auto* poll = new QTimer(&window);
      QObject::connect(poll, &QTimer::timeout, &window, [&window, png, poll, &start_pending] {
        if (window.busy() || start_pending) return;
        poll->stop();
        QTimer::singleShot(1000, &window, [&window, png] {
          save_screenshot(window, png);
          QApplication::quit();
        });
      });
      poll->start(200);
    }
  });
  QObject::connect(&window, &genrelab::ui::MainWindow::datasetFailed, &window, [&] {
    if (!parser.isSet(screenshot)) return;
    save_screenshot(window, parser.value(screenshot));
    QApplication::quit();
  });

  // Existing audio files are songs to classify; anything else names the dataset folder (a missing
  // folder is reported by the window as before).
  QString folder;
  QStringList songs;
  for (const QString& arg : parser.positionalArguments()) {
    const std::filesystem::path path(arg.toStdString());
    std::error_code ec;
    if (std::filesystem::is_regular_file(path, ec) && genrelab::audio::has_audio_extension(path)) songs << arg;
    else if (folder.isEmpty()) folder = arg;
    else qWarning("ignoring %s: only one dataset folder opens at a time", qPrintable(arg));
  }
  if (!songs.isEmpty()) {
    window.showTab(QStringLiteral("Predict"));
    window.predictionView()->addPaths(songs);
  }
  const QString demo_dir = QString::fromStdString((genrelab::dataset::cache_dir() / "demo").string());
  if (parser.isSet(demo)) {
    window.openDemoDataset(demo_dir);
  } else if (!folder.isEmpty()) {
    window.openDataset(folder);
  } else if (const auto dir = genrelab::dataset::default_dataset_dir()) {
    window.openDataset(QString::fromStdString(dir->string()));
  } else {
    window.openDemoDataset(demo_dir);
  }
  return QApplication::exec();
}
