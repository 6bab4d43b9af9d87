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
  parser.process(app);

  genrelab::ui::MainWindow window;
  window.show();
  if (parser.isSet(screenshot)) {
    const QString png = parser.value(screenshot);
    auto save = [&window, png] {
      QTimer::singleShot(300, &window, [&window, png] {
        window.grab().save(png);
        QApplication::quit();
      });
    };
    QObject::connect(&window, &genrelab::ui::MainWindow::datasetOpened, &window, save);
    QObject::connect(&window, &genrelab::ui::MainWindow::datasetFailed, &window, save);
  }

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
