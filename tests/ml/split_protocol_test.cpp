// Predefined splits and group files in the trainer: the official split (fit on train, choose on
// valid, refit on train+valid, score test once), poisoned test rows leave every choice unchanged,
// the rotation, and folds grouped by a group file.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <map>

#include "dataset/feature_table.h"
#include "ml/compare.h"
#include "ml/trainer.h"
#include "ml_test_util.h"
#include "support/test_data.h"

namespace {

namespace ml = genrelab::ml;
namespace ds = genrelab::dataset;

/// Rows i of each genre: i % 5 in {0, 1} train, 2 valid, {3, 4} test; genre g1's row 0 in no list;
/// one test entry names a track the table lacks.
ds::SplitLists blob_split(const ds::FeatureTable& t) {
  std::string text[3];
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const int i = std::stoi(t.filenames[r].substr(3, 5));
    if (t.labels[r] == "g1" && i == 0) continue;
    const int part = i % 5 < 2 ? 0 : i % 5 == 2 ? 1 : 2;
    text[part] += t.labels[r] + "/" + t.filenames[r] + "\n";
  }
  text[2] += "g0/g0.09999.wav\n";
  ds::SplitLists lists;
  lists.name = "blobs";
  for (int p = 0; p < 3; ++p)
    lists.parts[static_cast<std::size_t>(p)] = ds::parse_split_list(text[p], "blobs/list" + std::to_string(p));
  return lists;
}

ml::TrainerOptions searched(const ds::SplitLists& lists) {
  ml::TrainerOptions o;
  o.split = lists;
  o.training.epochs = 8;
  o.training.threads = 1;
  for (double rate : {1e-4, 3e-2}) {
    ml::SearchCandidate c;
    c.name = "logreg rate " + std::to_string(rate);
    c.model.kind = ml::ModelKind::logreg;
    c.training = o.training;
    c.training.learning_rate = rate;
    o.search.push_back(c);
  }
  return o;
}

TEST(SplitProtocol, OfficialSplitScoresTheTestPartOnce) {
  const auto table = genrelab::test::blob_table(3, 30, 8, 2.5);
  const auto lists = blob_split(table);
  const auto r = ml::train_and_evaluate(table, searched(lists));
  const auto& rep = r.report;
  ASSERT_EQ(rep.folds.size(), 1u);
  const auto& f = rep.folds[0];
  EXPECT_EQ(f.held_out, "test");
  ASSERT_TRUE(rep.split);
  EXPECT_EQ(rep.split->rows_left_out, 1u);
  EXPECT_EQ(rep.split->entries_without_rows[2], 1u);
  EXPECT_EQ(f.test_rows, rep.split->rows[2]);
  EXPECT_EQ(f.train_rows, rep.split->rows[0] + rep.split->rows[1]);  // refitted on train+valid
  EXPECT_EQ(f.validation_rows, 0u);
  for (std::size_t row = 0; row < table.rows(); ++row)
    EXPECT_EQ(rep.fold_of_row[row], rep.split->part_of_row[row] == 2 ? 0 : -1) << row;
  EXPECT_EQ(rep.fold_of_row, ml::make_folds(table, searched(lists)));
  EXPECT_TRUE(std::isfinite(f.validation_accuracy));
  EXPECT_EQ(f.search_scores.size(), 2u);
  EXPECT_EQ(f.chosen, "logreg rate 0.030000");  // 8 epochs at 1e-4 barely move
  EXPECT_DOUBLE_EQ(rep.mean_accuracy, f.accuracy);
  for (const auto& e : f.history)
    EXPECT_TRUE(std::isnan(e.test_accuracy)) << "the test part is scored once, not per epoch";
  EXPECT_EQ(rep.protocol, "predefined split blobs (test part)");
  ASSERT_TRUE(r.model);
  ASSERT_TRUE(rep.final_model);
  EXPECT_EQ(rep.final_model->train_rows, f.train_rows);
  const auto j = ml::to_json(rep);
  EXPECT_EQ(j["protocol"], "split");
  EXPECT_EQ(j["split"]["rows_left_out"], 1);
  EXPECT_EQ(j["split"]["parts"]["test"]["entries_without_rows"], 1);
  EXPECT_EQ(j["folds"][0]["held_out"], "test");
}

TEST(SplitProtocol, PoisonedTestRowsChangeNoChoice) {
  const auto table = genrelab::test::blob_table(3, 30, 8, 2.5);
  const auto lists = blob_split(table);
  auto poisoned = table;
  const auto parts = ds::assign_split(lists, table.filenames, table.labels).part_of_row;
  for (std::size_t row = 0; row < table.rows(); ++row) {
    if (parts[row] != 2) continue;
    for (std::size_t c = 0; c < table.cols(); ++c)
      poisoned.values[row * table.cols() + c] = 1e3 * std::sin(double(row * 31 + c));
  }
  for (bool early : {false, true}) {
    auto options = searched(lists);
    if (early) options.training.validation_fraction = 0.2;  // early stopping on the valid part
    for (auto& c : options.search) c.training.validation_fraction = options.training.validation_fraction;
    const auto clean = ml::train_and_evaluate(table, options).report;
    const auto dirty = ml::train_and_evaluate(poisoned, options).report;
    const auto& a = clean.folds[0];
    const auto& b = dirty.folds[0];
    EXPECT_EQ(a.chosen, b.chosen);
    EXPECT_EQ(a.search_scores, b.search_scores);  // bit-identical: the test rows are never read
    EXPECT_EQ(a.validation_accuracy, b.validation_accuracy);
    ASSERT_TRUE(a.chosen_training && b.chosen_training);
    EXPECT_EQ(a.chosen_training->epochs, b.chosen_training->epochs);  // early stopping: the valid part's best epoch
    EXPECT_EQ(a.scaler_mean, b.scaler_mean);                          // the refit's standardisation: train+valid only
    EXPECT_EQ(a.epochs_run, b.epochs_run);
    EXPECT_GT(a.accuracy, b.accuracy + 0.2) << "the poison must show on the test part";
  }
}

TEST(SplitProtocol, RotationHoldsOutEveryPart) {
  const auto table = genrelab::test::blob_table(3, 30, 8, 2.0);
  auto options = searched(blob_split(table));
  options.rotate = true;
  const auto rep = ml::train_and_evaluate(table, options).report;
  ASSERT_EQ(rep.folds.size(), 3u);
  ASSERT_TRUE(rep.split);
  double sum = 0.0;
  for (int p = 0; p < 3; ++p) {
    const auto& f = rep.folds[static_cast<std::size_t>(p)];
    EXPECT_EQ(f.held_out, std::string(ds::to_string(static_cast<ds::SplitPart>(p))));
    EXPECT_EQ(f.test_rows, rep.split->rows[static_cast<std::size_t>(p)]);
    EXPECT_EQ(f.train_rows + f.test_rows, table.rows() - rep.split->rows_left_out);
    EXPECT_EQ(f.search_scores.size(), 2u);
    sum += f.accuracy;
  }
  EXPECT_NEAR(rep.mean_accuracy, sum / 3, 1e-12);
  for (std::size_t row = 0; row < table.rows(); ++row) EXPECT_EQ(rep.fold_of_row[row], rep.split->part_of_row[row]);
  ASSERT_TRUE(rep.final_model);
  EXPECT_EQ(rep.final_model->held_out, "test");
  EXPECT_EQ(ml::protocol_key(options), "rotation");
}

TEST(SplitProtocol, GroupFileKeepsGroupsInOneFold) {
  const auto table = genrelab::test::blob_table(3, 30, 8, 2.0);
  const auto file = genrelab::test::temp_dir("split-protocol") / "artists.csv";
  {
    std::ofstream out(file);
    out << "file,artist\n";
    for (std::size_t r = 0; r < table.rows(); ++r)
      out << table.filenames[r] << "," << table.labels[r] << "-artist-"
          << (std::stoi(table.filenames[r].substr(3, 5)) / 6) << "\n";
  }
  ml::TrainerOptions o;
  o.model.kind = ml::ModelKind::logreg;
  o.folds = 5;
  o.training.epochs = 2;
  o.groups = ds::read_group_file(file);
  const auto rep = ml::train_and_evaluate(table, o).report;
  std::map<std::string, int> fold_of_artist;
  for (std::size_t r = 0; r < table.rows(); ++r) {
    const auto artist = o.groups->group_of_track.at(table.filenames[r].substr(0, 8));
    const auto [it, fresh] = fold_of_artist.emplace(artist, rep.fold_of_row[r]);
    EXPECT_EQ(it->second, rep.fold_of_row[r]) << artist;
  }
  EXPECT_EQ(fold_of_artist.size(), 15u);
  EXPECT_EQ(rep.groups, 15u);
  ASSERT_TRUE(rep.file_groups);
  EXPECT_EQ(rep.file_groups->groups, 15u);
  EXPECT_EQ(ml::to_json(rep)["protocol"], "groups");
  EXPECT_EQ(rep.protocol, "folds grouped by artist (artists.csv): unseen artists");
}

TEST(SplitProtocol, HeldOutRowsAreTheConfusionMatrixCells) {
  const auto table = genrelab::test::blob_table(3, 30, 8, 1.0);
  for (bool split : {false, true}) {
    ml::TrainerOptions o;
    o.model.kind = ml::ModelKind::logreg;
    o.training.epochs = 5;
    o.folds = 3;
    if (split) o.split = blob_split(table);
    const auto rep = ml::train_and_evaluate(table, o).report;
    std::size_t rows = 0;
    for (int t = 0; t < 3; ++t)
      for (int p = 0; p < 3; ++p) {
        const auto cell = ml::held_out_in_cell(rep, t, p);
        EXPECT_EQ(static_cast<std::int64_t>(cell.size()), rep.confusion[static_cast<std::size_t>(t * 3 + p)]);
        for (std::size_t i = 0; i < cell.size(); ++i) {
          EXPECT_EQ(table.labels[cell[i].row], rep.label_names[static_cast<std::size_t>(t)]);
          EXPECT_GE(rep.fold_of_row[cell[i].row], 0);  // a held-out row
          EXPECT_GT(cell[i].confidence, 0.0);
          EXPECT_LE(cell[i].confidence, 1.0);
          if (i > 0) {
            EXPECT_LE(cell[i].confidence, cell[i - 1].confidence);  // most confident first
          }
        }
        rows += cell.size();
      }
    EXPECT_EQ(rows, split ? rep.split->rows[2] : table.rows());
  }
}

TEST(SplitProtocol, InconsistentOptionsAreRefused) {
  const auto table = genrelab::test::blob_table(3, 30, 8, 2.0);
  ml::TrainerOptions o;
  o.rotate = true;
  EXPECT_THROW(o.validate(), std::invalid_argument);
  o.split = blob_split(table);
  o.protocol = ml::SplitProtocol::leaky;
  EXPECT_THROW(o.validate(), std::invalid_argument);
  ml::CompareOptions c;
  c.split = o.split;
  c.protocol = ml::SplitProtocol::leaky;
  EXPECT_THROW(c.validate(), std::invalid_argument);
}

TEST(SplitProtocol, CompareGivesEveryModelTheSameParts) {
  const auto table = genrelab::test::blob_table(3, 30, 8, 2.0);
  ml::CompareOptions c;
  c.models = {"logreg", "krr"};
  c.split = blob_split(table);
  const auto board = ml::compare_models(table, c);
  ASSERT_EQ(board.rows.size(), 2u);
  EXPECT_EQ(board.protocol, "split");
  EXPECT_NE(board.data_note.find("1 row in no list; 1 list entry without a row"), std::string::npos) << board.data_note;
  for (const auto& row : board.rows) {
    EXPECT_EQ(row.folds, 1);
    EXPECT_EQ(row.fold_accuracies.size(), 1u);
    EXPECT_TRUE(std::isfinite(row.validation_accuracy));
    EXPECT_EQ(row.protocol_label, "predefined split blobs (test part)");
  }
  // Ranked by the score a user may choose by (valid), never by the test part.
  EXPECT_GE(board.rows[0].validation_accuracy, board.rows[1].validation_accuracy);
  ml::LeaderboardRow better_test = board.rows[1], no_valid = board.rows[0];
  better_test.mean_accuracy = 1.0;
  better_test.validation_accuracy = board.rows[0].validation_accuracy - 0.01;
  EXPECT_FALSE(ml::ranks_before(better_test, board.rows[0]));
  no_valid.validation_accuracy = std::numeric_limits<double>::quiet_NaN();  // cnn2d's row: fixed settings
  no_valid.mean_accuracy = 1.0;
  EXPECT_TRUE(ml::ranks_before(board.rows[1], no_valid));
}

}  // namespace
