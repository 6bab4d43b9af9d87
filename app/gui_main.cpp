// genrelab: the GUI. Opens the folder given on the command line, else $GENRELAB_DATA, else the
// shared GTZAN subset beside the source tree, else a generated demo dataset.
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include "dataset/default_location.h"
#include "ui/main_window.h"
#include "util/allocator.h"

int main(int argc, char** argv) {
  genrelab::tune_allocator_for_batch_work();
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("GenreLab"));
  QApplication::setOrganizationName(QStringLiteral("GenreLab"));
  QApplication::setApplicationVersion(QStringLiteral(GENRELAB_VERSION));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral("GenreLab: a workbench for music-genre analysis"));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument(QStringLiteral("folder"), QStringLiteral("Dataset folder to open"));
  QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                QStringLiteral("Save a PNG of the window once the dataset is shown, then quit"),
                                QStringLiteral("png"));
  parser.addOption(screenshot);
  QCommandLineOption tab(QStringLiteral("tab"), QStringLiteral("Tab to show first (its title, e.g. Spectrogram)"), QStringLiteral("title"));
  QCommandLineOption select(QStringLiteral("select"), QStringLiteral("Track to select once the dataset is open (file name)"),
                            QStringLiteral("file"));
  parser.addOption(tab);
  parser.addOption(select);
  parser.process(app);

  genrelab::ui::MainWindow window;
  window.show();
  QObject::connect(&window, &genrelab::ui::MainWindow::datasetOpened, &window, [&] {
    if (parser.isSet(tab)) window.showTab(parser.value(tab));
    if (parser.isSet(select)) window.selectTrackByName(parser.value(select));
    if (parser.isSet(screenshot)) {
      const QString png = parser.value(screenshot);
      // Give worker-thread views (spectrogram, analysis) time to finish before the grab.
      QTimer::singleShot(1500, &window, [&window, png] {
        window.grab().save(png);
        QApplication::quit();
      });
    }
  });
  QObject::connect(&window, &genrelab::ui::MainWindow::datasetFailed, &window, [&] {
    if (!parser.isSet(screenshot)) return;
    window.grab().save(parser.value(screenshot));
    QApplication::quit();
  });

  const QStringList args = parser.positionalArguments();
  if (!args.isEmpty()) {
    window.openDataset(args.first());
  } else if (const auto dir = genrelab::dataset::default_dataset_dir()) {
    window.openDataset(QString::fromStdString(dir->string()));
  } else {
    window.openDemoDataset(QString::fromStdString((genrelab::dataset::cache_dir() / "demo").string()));
  }
  return QApplication::exec();
}
