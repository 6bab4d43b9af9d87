// The main window, offscreen: opening datasets on a worker thread, errors, the demo dataset, the
// application icon, one player bar, the first launch's recommended model and similar tracks.
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

#include "dataset/demo_dataset.h"
#include "support/screenshot.h"
#include "support/test_data.h"
#include "ui/app_icon.h"
#include "ui/main_window.h"
#include "ui/views/player_bar.h"
#include "ui/views/prediction_view.h"
#include "ui/views/similar_tracks_list.h"
#include "ui/views/training_view.h"

using genrelab::ui::MainWindow;

class MainWindowTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void opensSharedDataset() {
    GENRELAB_GTZAN_OR_QSKIP(gtzan);
    MainWindow w;
    w.setRecommendedModelEnabled(false);  // tested below, on the demo dataset
    w.show();
    QSignalSpy opened(&w, &MainWindow::datasetOpened);
    w.openDataset(QString::fromStdString(gtzan->string()));
    QVERIFY(w.busy());  // the scan runs on a worker; the call returned at once
    QVERIFY(opened.wait(30000));
    QTRY_VERIFY_WITH_TIMEOUT(!w.busy(), 60000);  // the analysis of the tables follows the scan
    QCOMPARE(w.dataset()->tracks.size(), std::size_t(30));
    auto* tree = w.findChild<QTreeWidget*>();
    QVERIFY(tree);
    QCOMPARE(tree->topLevelItemCount(), 11);  // 10 genres + "Unreadable files"
    QCOMPARE(tree->topLevelItem(10)->childCount(), 1);
    QVERIFY(tree->topLevelItem(10)->child(0)->text(2).contains(QStringLiteral("not a decodable audio file")));
    // Both Kaggle tables are offered for training, the 30-s one first.
    QComboBox* tables = w.trainingView()->tableCombo();
    QCOMPARE(tables->count(), 2);
    QVERIFY(tables->itemText(0).contains(QStringLiteral("features_30_sec.csv")));
    QVERIFY(tables->itemText(1).contains(QStringLiteral("features_3_sec")));
    QVERIFY(w.trainingView()->startButton()->isEnabled());
  }

  void missingFolderReportsAnError() {
    MainWindow w;
    QSignalSpy failed(&w, &MainWindow::datasetFailed);
    w.openDataset(QStringLiteral("/no/such/folder"));
    QVERIFY(failed.wait(10000));
    QVERIFY(failed.first().first().toString().contains(QStringLiteral("does not exist")));
    QVERIFY(!w.dataset());
  }

  void showsTheApplicationIcon() {
    // The icon compiled in from resources/genrelab.qrc, one image per size it is drawn at.
    const QIcon icon = genrelab::ui::app_icon();
    for (const int n : {16, 32, 48, 64, 128, 256}) QVERIFY(icon.availableSizes().contains(QSize(n, n)));
    const QImage expected = icon.pixmap(64).toImage();
    QVERIFY(!expected.isNull());
    MainWindow w;
    w.show();
    QCOMPARE(w.windowIcon().pixmap(64).toImage(), expected);
    // The About box shows it too (QMessageBox::about takes its parent's window icon). The box is
    // modal: a timer looks at it from inside its event loop, then closes it.
    QAction* about = nullptr;
    for (QAction* a : w.findChildren<QAction*>())
      if (a->text() == QStringLiteral("&About GenreLab")) about = a;
    QVERIFY(about);
    QImage shown;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &w, [&] {
      for (QWidget* top : QApplication::topLevelWidgets())
        if (auto* box = qobject_cast<QMessageBox*>(top); box && box->isVisible()) {
          shown = box->iconPixmap().toImage();
          box->accept();
        }
    });
    poll.start(20);
    about->trigger();
    poll.stop();
    QCOMPARE(shown, expected);
  }

  void onePlayerBarPerWindow() {
    // The window's bar plays the dataset's tracks and the Predict tab's songs alike.
    MainWindow w;
    w.show();
    const auto bars = w.findChildren<genrelab::ui::PlayerBar*>();
    QCOMPARE(bars.size(), 1);
    QCOMPARE(w.predictionView()->player(), bars.front());
    QVERIFY(w.predictionView()->findChildren<genrelab::ui::PlayerBar*>().isEmpty());
  }

  void firstLaunchClassifiesADroppedSongAndListsSimilarTracks() {
    // Zero clicks to a prediction: a dataset without a table is opened, a song is dropped at once;
    // the table is extracted, the recommended model trained (or loaded from the cache), the song
    // classified. The Dataset list's context menu then lists a track's nearest neighbours.
    MainWindow w;
    w.resize(1280, 820);
    w.show();
    const auto dir = genrelab::test::temp_dir("ui-first-launch");
    genrelab::dataset::ensure_demo_dataset(dir, {.clips_per_genre = 6, .clip_seconds = 6.0});
    QSignalSpy opened(&w, &MainWindow::datasetOpened);
    w.openDataset(QString::fromStdString(dir.string()));
    QVERIFY(opened.wait(60000));
    const auto song = w.dataset()->tracks.front().path;
    w.predictionView()->addPaths({QString::fromStdString(song.string())});
    QTRY_VERIFY_WITH_TIMEOUT(!w.busy(), 120000);
    const auto& entry = w.predictionView()->entries().front();
    QCOMPARE(entry.status, genrelab::ui::PredictionView::Status::done);
    QVERIFY2(w.predictionView()->modelDescription().startsWith(QStringLiteral("krr_lda")),
             qPrintable(w.predictionView()->modelDescription()));
    QVERIFY(w.predictionView()->similarTracks()->table()->rowCount() > 0);

    const auto before = QApplication::topLevelWidgets().size();
    w.showSimilarTo(QString::fromStdString(song.string()));
    genrelab::ui::SimilarTracksList* list = nullptr;
    for (QWidget* top : QApplication::topLevelWidgets())
      if (auto* l = top->findChild<genrelab::ui::SimilarTracksList*>(); l && top != &w) list = l;
    QVERIFY(list);
    QCOMPARE(QApplication::topLevelWidgets().size(), before + 1);
    QTableWidget* rows = list->table();
    QCOMPARE(rows->rowCount(), genrelab::ui::SimilarTracksList::kTop);
    for (int r = 0; r < rows->rowCount(); ++r)
      QVERIFY(rows->item(r, 3)->text() != QString::fromStdString(song.filename().string()));  // not the track itself
    genrelab::test::save_screenshot(*list->window(), QStringLiteral("similar-tracks-dialog"));
  }

  void demoDatasetIsGeneratedAndOpened() {
    MainWindow w;
    w.setRecommendedModelEnabled(false);
    QSignalSpy opened(&w, &MainWindow::datasetOpened);
    const auto dir = genrelab::test::temp_dir("ui-demo");
    w.openDemoDataset(QString::fromStdString(dir.string()));
    QVERIFY(opened.wait(120000));
    QCOMPARE(w.dataset()->labels, genrelab::dataset::demo_genres());
    QCOMPARE(w.dataset()->tracks.size(), std::size_t(40));
    // No table in the folder: the features are extracted from the audio, then offered for training.
    QTRY_VERIFY_WITH_TIMEOUT(!w.busy() && w.trainingView()->tableCombo()->count() == 1, 120000);
    QVERIFY(w.trainingView()->tableCombo()->itemText(0).contains(QStringLiteral("40 rows")));
  }

  void reopeningReusesTheFeatureStore() {
    // A dataset without a table: the first open extracts every clip into the dataset's feature
    // store, the second reads them back without decoding audio. GENRELAB_REOPEN_CLIPS_PER_GENRE
    // (default 8, i.e. 40 clips of 3 s) makes it bigger for a measurement by hand.
    const int per_genre = qEnvironmentVariableIsSet("GENRELAB_REOPEN_CLIPS_PER_GENRE")
                              ? qEnvironmentVariableIntValue("GENRELAB_REOPEN_CLIPS_PER_GENRE")
                              : 8;
    const auto dir = genrelab::test::temp_dir("ui-reopen");
    genrelab::dataset::ensure_demo_dataset(dir, {.clips_per_genre = per_genre, .clip_seconds = 3.0});
    const int clips = 5 * per_genre;
    const QString folder = QString::fromStdString(dir.string());
    auto openAndWait = [&](MainWindow& w) -> qint64 {
      QSignalSpy analysed(&w, &MainWindow::analysisReady);
      QElapsedTimer clock;
      clock.start();
      w.openDataset(folder);
      // Open, extract (or reuse), analyse: every view has its data.
      if (!QTest::qWaitFor([&] { return !w.busy() && !analysed.isEmpty() && !w.lastExtractSummary().isEmpty(); },
                           600000))
        return -1;
      return clock.elapsed();
    };
    MainWindow first;
    first.setRecommendedModelEnabled(false);
    const qint64 extract_ms = openAndWait(first);
    QVERIFY(extract_ms >= 0);
    QVERIFY2(
        first.lastExtractSummary().contains(QStringLiteral("0 reused from the feature store, %1 computed").arg(clips)),
        qPrintable(first.lastExtractSummary()));
    MainWindow second;
    second.setRecommendedModelEnabled(false);
    const qint64 reopen_ms = openAndWait(second);
    QVERIFY(reopen_ms >= 0);
    QVERIFY2(
        second.lastExtractSummary().contains(QStringLiteral("%1 reused from the feature store, 0 computed").arg(clips)),
        qPrintable(second.lastExtractSummary()));
    QCOMPARE(second.table30()->rows(), static_cast<std::size_t>(clips));
    qInfo("%d clips of 3 s: first open with extraction %lld ms, reopen through the feature store %lld ms", clips,
          static_cast<long long>(extract_ms), static_cast<long long>(reopen_ms));
  }
};

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
