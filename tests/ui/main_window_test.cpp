// The main window, offscreen: opening datasets on a worker thread, errors, the demo dataset.
#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

#include "dataset/demo_dataset.h"
#include "support/test_data.h"
#include "ui/main_window.h"
#include "ui/views/training_view.h"

using genrelab::ui::MainWindow;

class MainWindowTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void opensSharedDataset() {
    const auto gtzan = genrelab::test::gtzan_dir();
    if (!gtzan) QSKIP("shared GTZAN data not found (set GENRELAB_DATA)");
    MainWindow w;
    w.show();
    QSignalSpy opened(&w, &MainWindow::datasetOpened);
    w.openDataset(QString::fromStdString(gtzan->string()));
    QVERIFY(w.busy());  // the scan runs on a worker; the call returned at once
    QVERIFY(opened.wait(30000));
    QVERIFY(!w.busy());
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

  void demoDatasetIsGeneratedAndOpened() {
    MainWindow w;
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
};

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
