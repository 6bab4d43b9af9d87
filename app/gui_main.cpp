// genrelab: the GUI. Opens the folder given on the command line, else $GENRELAB_DATA, else the
// shared GTZAN subset beside the source tree, else a generated demo dataset. Songs given on the
// command line (the desktop file's "Open With": Exec=genrelab %F) go to the Predict tab.
#include <QApplication>
#include <QCommandLineParser>

#include "audio/decode.h"
#include "dataset/default_location.h"
#include "ui/app_icon.h"
#include "ui/main_window.h"
#include "ui/views/prediction_view.h"
#include "ui/window_script.h"
#include "util/allocator.h"

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
  QCommandLineOption tab(QStringLiteral("tab"), QStringLiteral("Tab to show first (its title, e.g. Spectrogram)"),
                         QStringLiteral("title"));
  QCommandLineOption select(QStringLiteral("select"),
                            QStringLiteral("Track to select once the dataset is open (file name)"),
                            QStringLiteral("file"));
  parser.addOption(tab);
  QCommandLineOption demo(QStringLiteral("demo"),
                          QStringLiteral("Open the generated demo dataset (made on first use)"));
  parser.addOption(demo);
  parser.addOption(select);
  QCommandLineOption train(QStringLiteral("train"),
                           QStringLiteral("Start training (the Training tab's defaults) once the dataset is open"));
  QCommandLineOption train_model(
      QStringLiteral("train-model"),
      QStringLiteral("Model kind to choose in the Training tab (e.g. cnn2d, mlp) once the dataset is open"),
      QStringLiteral("name"));
  QCommandLineOption train_epochs(QStringLiteral("train-epochs"), QStringLiteral("Epochs to set in the Training tab"),
                                  QStringLiteral("n"));
  QCommandLineOption model(QStringLiteral("model"), QStringLiteral("Model bundle to make active in the Predict tab"),
                           QStringLiteral("file"));
  QCommandLineOption classify(QStringLiteral("classify"), QStringLiteral("Song or folder to classify (repeatable)"),
                              QStringLiteral("path"));
  QCommandLineOption after(
      QStringLiteral("screenshot-after"),
      QStringLiteral("Take the screenshot this many seconds after the dataset is shown, busy or not"),
      QStringLiteral("seconds"));
  QCommandLineOption compare(
      QStringLiteral("compare"),
      QStringLiteral("Models to tick in the Training tab's leaderboard, comma-separated (e.g. "
                     "logreg,mlp,cnn2d); compares them once the dataset and its feature table are open"),
      QStringLiteral("models"));
  QCommandLineOption tab_shots(
      QStringLiteral("screenshot-tabs"),
      QStringLiteral("Once the dataset is open and all work is done, save a screenshot of every tab "
                     "to this folder (NN-<tab>.png), then quit"),
      QStringLiteral("folder"));
  for (const auto* o : {&train, &train_model, &train_epochs, &model, &classify, &after, &compare, &tab_shots})
    parser.addOption(*o);
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
  // The flags act once the dataset is open, through the window's scripting interface.
  auto* script = new genrelab::ui::WindowScript(window);
  bool opened = false;
  QObject::connect(&window, &genrelab::ui::MainWindow::datasetOpened, &window, [&] {
    if (opened) return;  // once: a later extraction re-emits it
    opened = true;
    if (parser.isSet(tab)) window.showTab(parser.value(tab));
    if (parser.isSet(select)) window.selectTrackByName(parser.value(select));
    if (parser.isSet(train_model)) script->chooseModel(parser.value(train_model));
    if (parser.isSet(train_epochs)) script->setEpochs(parser.value(train_epochs).toInt());
    if (parser.isSet(train)) script->trainWhenReady();
    if (parser.isSet(compare))
      script->compareWhenReady(parser.value(compare).split(QLatin1Char(','), Qt::SkipEmptyParts));
    if (parser.isSet(tab_shots)) script->screenshotTabsWhenIdle(parser.value(tab_shots));
    if (parser.isSet(after)) script->screenshotAfter(parser.value(after).toDouble(), parser.value(screenshot));
    else if (parser.isSet(screenshot)) script->screenshotWhenIdle(parser.value(screenshot));
  });
  QObject::connect(&window, &genrelab::ui::MainWindow::datasetFailed, &window, [&] {
    if (parser.isSet(screenshot)) script->screenshotAfter(0, parser.value(screenshot));
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
