#include "ml/compare.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <utility>

#include "dataset/feature_table.h"
#include "ml/audio_cnn.h"
#include "stats/scores.h"
#include "util/progress.h"

namespace genrelab::ml {

bool ranks_before(const LeaderboardRow& a, const LeaderboardRow& b) {
  const bool av = !std::isnan(a.validation_accuracy), bv = !std::isnan(b.validation_accuracy);
  if (av || bv) {
    if (av != bv) return av;
    if (a.validation_accuracy != b.validation_accuracy) return a.validation_accuracy > b.validation_accuracy;
  }
  return a.mean_accuracy > b.mean_accuracy;
}

void CompareOptions::validate() const {
  for (const auto& m : models)
    if (!find_model_preset(m)) {
      std::string known;
      for (const auto& n : model_preset_names()) known += (known.empty() ? "" : ", ") + n;
      throw std::invalid_argument("unknown model '" + m + "' (" + known + ")");
    }
  if (folds < 2 || folds > 100)
    throw std::invalid_argument("folds must be in 2..100 (got " + std::to_string(folds) + ")");
  if (threads < 1 || threads > 256)
    throw std::invalid_argument("threads must be in 1..256 (got " + std::to_string(threads) + ")");
  if (repeats < 1 || repeats > 100)
    throw std::invalid_argument("repeats must be in 1..100 (got " + std::to_string(repeats) + ")");
  protocol_options().validate();
}

TrainerOptions CompareOptions::protocol_options() const {
  TrainerOptions o;
  o.folds = folds;
  o.features = features;
  o.protocol = protocol;
  o.groups = groups;
  o.split = split;
  o.rotate = rotate;
  o.training.seed = seed;
  o.training.threads = threads;
  return o;
}

Leaderboard compare_models(const dataset::FeatureTable& table, const CompareOptions& options, ProgressSink* progress,
                           const CancelToken* cancel, TrainingObserver* observer) {
  options.validate();
  const auto start = std::chrono::steady_clock::now();
  const auto names = options.models.empty() ? model_preset_names() : options.models;
  TrainerOptions base = options.protocol_options();
  base.final_model = false;

  Leaderboard board;
  board.repeats = options.repeats;
  const auto repeats = static_cast<std::size_t>(options.repeats);
  std::vector<std::vector<int>> folds_of_repeat(repeats);  // every model must get these
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto preset = *find_model_preset(names[i]);
    LeaderboardRow row;
    row.model = preset.name;
    row.description = preset.description;
    row.defaults_from = preset.defaults_from;
    row.protocol = protocol_key(base);
    row.protocol_label = protocol_label(base);
    row.folds = options.split ? (options.rotate ? dataset::kSplitParts : 1) : options.folds;
    std::vector<double> validation;
    for (std::size_t r = 0; r < repeats; ++r) {
      base.training.seed = options.seed + r;
      const auto trainer_options = apply_preset(preset, base);
      // Each model and repeat an equal share of the bar.
      const std::size_t index = i * repeats + r, count = names.size() * repeats;
      std::optional<StageProgress> share;
      if (progress)
        share.emplace(*progress, static_cast<double>(index) / static_cast<double>(count),
                      static_cast<double>(index + 1) / static_cast<double>(count),
                      preset.name + " (" + std::to_string(index + 1) + "/" + std::to_string(count) + "): ");
      auto result = train_and_evaluate(table, trainer_options, share ? &*share : nullptr, observer, cancel);
      auto& rep = result.report;
      if (i == 0) folds_of_repeat[r] = rep.fold_of_row;
      else if (rep.fold_of_row != folds_of_repeat[r])
        throw std::logic_error("compare_models: the models did not get the same folds");
      for (const auto& f : rep.folds) {
        row.fold_accuracies.push_back(f.accuracy);
        validation.push_back(f.validation_accuracy);
      }
      row.repeat_accuracies.push_back(rep.mean_accuracy);
      row.macro_f1 += rep.macro_f1 / static_cast<double>(repeats);
      row.track_accuracy_mean += rep.mean_track_accuracy_mean / static_cast<double>(repeats);
      row.track_accuracy_vote += rep.mean_track_accuracy_vote / static_cast<double>(repeats);
      row.seconds += rep.seconds;
      if (r == 0) {
        if (i == 0) {
          board.table_rows = rep.rows;
          board.tracks = rep.tracks;
          board.groups = rep.groups;
          board.label_names = rep.label_names;
          board.fold_of_row = rep.fold_of_row;
          board.protocol = row.protocol;
          board.protocol_label = row.protocol_label;
          if (rep.split) board.data_note = dataset::describe(*rep.split);
          if (rep.file_groups) board.data_note = dataset::describe(*rep.file_groups, options.groups->column);
        }
        row.report = std::move(rep);
      }
    }
    const auto folds = stats::mean_std(row.fold_accuracies);
    row.mean_accuracy = folds.mean;
    row.std_accuracy = folds.std;
    row.std_over_repeats = stats::mean_std(row.repeat_accuracies).std;
    if (options.split) row.validation_accuracy = stats::mean_std(validation).mean;
    board.rows.push_back(std::move(row));
  }
  std::stable_sort(board.rows.begin(), board.rows.end(), ranks_before);
  board.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (progress) progress->report(1.0, "done");
  return board;
}

namespace {

/// (label, track id) of a table row or an audio file: the key both sides are matched on.
using TrackOf = std::pair<std::string, std::string>;

TrackOf track_of_file(const AudioFile& f) {
  return {f.label, dataset::parse_track_key(std::filesystem::path(f.path).filename().string()).track_id};
}

}  // namespace

AudioTableMatch match_audio_to_table(const dataset::FeatureTable& table, const std::vector<AudioFile>& files) {
  std::map<TrackOf, std::ptrdiff_t> first_row;  // of each table track
  std::vector<TrackOf> tracks;                  // table order
  for (std::size_t r = 0; r < table.rows(); ++r) {
    TrackOf key{table.labels[r], dataset::parse_track_key(table.filenames[r]).track_id};
    if (first_row.emplace(key, static_cast<std::ptrdiff_t>(r)).second) tracks.push_back(std::move(key));
  }
  AudioTableMatch m;
  m.tracks = tracks.size();
  m.row_of_file.assign(files.size(), -1);
  std::map<TrackOf, std::size_t> file_of_track;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto key = track_of_file(files[i]);
    const auto it = first_row.find(key);
    if (it == first_row.end()) {
      m.files_without_rows.push_back(i);
      continue;
    }
    if (!file_of_track.emplace(key, i).second) m.duplicate_files.push_back(i);
    m.row_of_file[i] = it->second;
  }
  for (const auto& t : tracks)
    if (!file_of_track.count(t)) m.tracks_without_audio.push_back(t.first + "/" + t.second);
  return m;
}

std::vector<int> audio_folds(const dataset::FeatureTable& table, const std::vector<int>& fold_of_row,
                             const std::vector<AudioFile>& files) {
  if (fold_of_row.size() != table.rows())
    throw std::invalid_argument("audio_folds: " + std::to_string(fold_of_row.size()) + " folds for " +
                                std::to_string(table.rows()) + " table rows");
  std::map<TrackOf, int> fold_of_track;
  for (std::size_t r = 0; r < table.rows(); ++r) {
    TrackOf key{table.labels[r], dataset::parse_track_key(table.filenames[r]).track_id};
    const auto [it, inserted] = fold_of_track.emplace(key, fold_of_row[r]);
    if (!inserted && it->second != fold_of_row[r])
      throw std::invalid_argument("track " + key.first + "/" + key.second +
                                  " has rows in several folds: cnn2d needs track-grouped folds");
  }
  std::vector<int> out;
  out.reserve(files.size());
  for (const auto& f : files) {
    const auto it = fold_of_track.find(track_of_file(f));
    if (it == fold_of_track.end()) throw std::invalid_argument(f.path + ": no fold (not in the feature table)");
    out.push_back(it->second);
  }
  return out;
}

LeaderboardRow audio_cnn_row(const AudioCnnReport& report, const AudioCnnOptions& options) {
  const bool augmented = options.noise_db > 0 || options.max_band_shift > 0 || options.max_level_db > 0;
  LeaderboardRow row;
  row.model = "cnn2d";
  row.description = "2-D CNN on " + std::to_string(options.model.mel_bands) + " mel x " +
                    std::to_string(options.model.patch_frames) + " frame log-mel patches of the audio (" +
                    std::to_string(options.training.epochs) + " epochs, " + std::to_string(options.crops_per_track) +
                    (augmented ? " augmented" : "") + " crops per training track" +
                    (options.audio_copies > 0
                         ? ", " + std::to_string(options.audio_copies) + " pitch-shifted/stretched audio copies of each"
                         : std::string()) +
                    "); accuracy and macro-F1 = held-out tracks by the mean probability of their patches; " + [&] {
                      char t[64];
                      std::snprintf(t, sizeof t, "%.2f s per epoch of %zu patches", report.train_seconds_per_epoch,
                                    report.patches_per_epoch);
                      return std::string(t);
                    }();
  row.defaults_from =
      "fixed defaults (architecture and augmentation tried on the 30 shared clips and the demo dataset)";
  row.protocol = options.protocol;
  row.protocol_label = options.protocol_label;
  row.folds = options.folds;
  row.fold_accuracies = report.track_accuracy_mean;
  row.mean_accuracy = report.mean_track_accuracy_mean;
  row.std_accuracy = stats::mean_std(report.track_accuracy_mean).std;
  row.macro_f1 = report.track_macro_f1;
  row.track_accuracy_mean = report.mean_track_accuracy_mean;
  row.track_accuracy_vote = report.mean_track_accuracy_vote;
  row.seconds = report.seconds;
  return row;
}

void insert_row(Leaderboard& board, LeaderboardRow row) {
  const auto at =
      std::find_if(board.rows.begin(), board.rows.end(), [&](const LeaderboardRow& r) { return ranks_before(row, r); });
  board.seconds += row.seconds;
  board.rows.insert(at, std::move(row));
}

nlohmann::json to_json(const Leaderboard& board) {
  nlohmann::json models = nlohmann::json::array();
  for (const auto& r : board.rows)
    models.push_back(
        {{"model", r.model},
         {"description", r.description},
         {"defaults_from", r.defaults_from},
         {"protocol_label", r.protocol_label},
         {"validation_accuracy",
          std::isnan(r.validation_accuracy) ? nlohmann::json(nullptr) : nlohmann::json(r.validation_accuracy)},
         {"protocol", r.protocol},
         {"leaky", r.protocol == "leaky"},
         {"folds", r.folds},
         {"mean_accuracy", r.mean_accuracy},
         {"std_accuracy", r.std_accuracy},
         {"std_accuracy_ddof", 0},
         {"macro_f1", r.macro_f1},
         {"track_accuracy_mean", r.track_accuracy_mean},
         {"track_accuracy_vote", r.track_accuracy_vote},
         {"fold_accuracies", r.fold_accuracies},
         {"repeat_accuracies", r.repeat_accuracies},
         {"std_over_repeats", r.std_over_repeats},
         {"seconds", r.seconds},
         {"report", to_json(r.report)}});
  return {{"models", models},
          {"protocol", board.protocol},
          {"protocol_label", board.protocol_label},
          {"data_note", board.data_note},
          {"rows", board.table_rows},
          {"tracks", board.tracks},
          {"groups", board.groups},
          {"labels", board.label_names},
          {"repeats", board.repeats},
          {"seconds", board.seconds}};
}

}  // namespace genrelab::ml
