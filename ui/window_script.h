// What scripted sessions ask of the main window, in its own terms: choose a model, start a
// training or a comparison once the data is ready, save screenshots once all work is done. The
// GUI's command-line flags (app/gui_main.cpp) go through this interface, never through widgets.
// GUI thread only.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>

namespace genrelab::ui {

class MainWindow;

class WindowScript : public QObject {
  Q_OBJECT
 public:
  explicit WindowScript(MainWindow& window);

  /// Chooses the Training tab's model; warns (and returns false) when it is unknown or unavailable.
  bool chooseModel(const QString& name);
  void setEpochs(int epochs);
  /// Starts training once the window is idle and there is something to train on (gives up,
  /// with a warning, after 5 s idle without).
  void trainWhenReady();
  /// Ticks `models` in the leaderboard (warning about unavailable ones), shows it and compares
  /// them once there is a feature table (gives up after 5 s idle without).
  void compareWhenReady(const QStringList& models);
  /// Saves a PNG of the window once it is idle (and runs asked for have started and ended), then quits.
  void screenshotWhenIdle(const QString& png);
  /// Saves a PNG of the window after `seconds`, busy or not, then quits.
  void screenshotAfter(double seconds, const QString& png);
  /// Once idle, saves every tab as <folder>/NN-<tab>.png, then quits.
  void screenshotTabsWhenIdle(const QString& folder);

 private:
  /// Calls `ready` every 100 ms until it returns true; after 5 s of idle falses, gives up with `warning`.
  void whenReady(std::function<bool()> ready, std::function<void()> run, const QString& warning);
  /// Writes a PNG of the window atomically (a temporary file, then a rename).
  void saveScreenshot(const QString& png);
  bool idle() const;

  MainWindow& window_;
  int pending_starts_ = 0;  ///< runs asked for that have not started yet
};

}  // namespace genrelab::ui
