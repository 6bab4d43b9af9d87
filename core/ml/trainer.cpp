#include "ml/trainer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <mutex>
#include <numeric>
#include <set>
#include <stdexcept>

#include <Eigen/Core>

#include "dataset/feature_table.h"
#include "ml/folds.h"
#include "ml/track_vote.h"
#include "stats/correlation.h"
#include "stats/feature_matrix.h"
#include "stats/scores.h"
#include "stats/standard_scaler.h"
#include "util/parallel.h"
#include "util/progress.h"

namespace genrelab::ml {
namespace {

using nlohmann::json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// Feature selection and standardisation fitted on some rows (and the log of variances, fitted on nothing).
struct Preprocessing {
  std::vector<std::size_t> columns;  ///< table columns fed to the network, in order
  std::vector<std::string> names;
  std::vector<std::string> dropped;
  std::optional<stats::StandardScaler> scaler;  ///< of `columns`
  bool log_variances = false;                   ///< ModelParams::log_variances: before the filter and scaler
};

Eigen::MatrixXd take_rows(const Eigen::MatrixXd& x, const std::vector<std::size_t>& rows) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(rows.size()), x.cols());
  for (std::size_t i = 0; i < rows.size(); ++i)
    out.row(static_cast<Eigen::Index>(i)) = x.row(static_cast<Eigen::Index>(rows[i]));
  return out;
}

/// `rows` of the table as the model reads them (variances logged for ModelParams::log_variances).
Eigen::MatrixXd model_rows(const stats::LabeledMatrix& data, const std::vector<std::size_t>& rows, bool log_variances) {
  Eigen::MatrixXd x = take_rows(data.values, rows);
  if (log_variances) stats::log_variance_columns(x, data.feature_names);
  return x;
}

Preprocessing fit_preprocessing(const stats::LabeledMatrix& data, const std::vector<std::size_t>& rows,
                                const TrainerOptions& options) {
  Preprocessing p;
  p.log_variances = options.model.log_variances;
  const auto& names = data.feature_names;
  const Eigen::MatrixXd x = model_rows(data, rows, p.log_variances);
  switch (options.features) {
    case FeatureSet::all:
      p.columns.resize(names.size());
      std::iota(p.columns.begin(), p.columns.end(), std::size_t{0});
      break;
    case FeatureSet::mfcc:
      p.columns = stats::subset_columns(names, stats::FeatureSubset::mfcc);
      if (p.columns.empty()) throw std::invalid_argument("the table has no MFCC columns (names starting with 'mfcc')");
      break;
    case FeatureSet::filtered: {
      const stats::RedundancyFilter filter(options.filter);
      p.columns = filter.apply(stats::pearson_correlation(x), names).kept;
      break;
    }
  }
  std::vector<bool> used(names.size(), false);
  for (auto c : p.columns) {
    used[c] = true;
    p.names.push_back(names[c]);
  }
  for (std::size_t c = 0; c < names.size(); ++c)
    if (!used[c]) p.dropped.push_back(names[c]);
  p.scaler = stats::StandardScaler::fit(stats::select_columns(x, p.columns));
  return p;
}

Samples make_samples(const stats::LabeledMatrix& data, const std::vector<std::size_t>& rows, const Preprocessing& p) {
  Samples s;
  s.rows = rows.size();
  s.cols = p.columns.size();
  s.x.resize(s.rows * s.cols);
  s.y.resize(s.rows);
  if (rows.empty()) return s;
  const Eigen::MatrixXd z =
      p.scaler->transform(stats::select_columns(model_rows(data, rows, p.log_variances), p.columns));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t j = 0; j < s.cols; ++j)
      s.x[i * s.cols + j] = static_cast<float>(z(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
    s.y[i] = data.labels[rows[i]];
  }
  return s;
}

/// Shared by the stages that train at once: serialises the calls into the user's observer and
/// progress sink (so neither needs to be thread-safe) and sums the stages' progress.
class ReportHub {
 public:
  /// `names`: what messages call each stage's fold ("fold 2/5", "test part"), by stage.
  ReportHub(std::vector<std::string> names, ProgressSink* progress, TrainingObserver* observer)
      : done_(names.size(), 0.0), offset_(done_.size(), 0.0), names_(std::move(names)), progress_(progress),
        observer_(observer) {}
  void epoch(int stage, int fold, const EpochStats& s) {
    std::lock_guard lock(mutex_);
    if (observer_) observer_->on_epoch(fold, s);
    if (!progress_) return;
    char msg[160];
    const bool val = !std::isnan(s.validation_accuracy), test = !std::isnan(s.test_accuracy);
    std::snprintf(msg, sizeof msg, "%s epoch %d/%d: loss %.4f, %s acc %.3f",
                  names_[static_cast<std::size_t>(stage)].c_str(), s.epoch, s.epochs, s.train_loss,
                  val    ? "val"
                  : test ? "test"
                         : "train",
                  val    ? s.validation_accuracy
                  : test ? s.test_accuracy
                         : s.train_accuracy);
    progress_->report(advance(stage, static_cast<double>(s.epoch) / s.epochs), msg);
  }
  void batch(int stage, int fold, const BatchStats& b) {
    std::lock_guard lock(mutex_);
    if (observer_) observer_->on_batch(fold, b);
    if (!progress_) return;
    char msg[160];
    std::snprintf(msg, sizeof msg, "%s epoch %d/%d: batch %d/%d, loss %.4f",
                  names_[static_cast<std::size_t>(stage)].c_str(), b.epoch, b.epochs, b.batch, b.batches, b.loss);
    progress_->report(advance(stage, (b.epoch - 1 + static_cast<double>(b.batch) / b.batches) / b.epochs), msg);
  }
  /// Progress of a search or selection inside a stage: `fraction` of the stage.
  void search(int stage, double fraction, const std::string& what) {
    std::lock_guard lock(mutex_);
    if (!progress_) return;
    progress_->report(advance(stage, fraction), names_[static_cast<std::size_t>(stage)] + " " + what);
  }
  /// Later epoch reports of `stage` cover [offset, 1] of it.
  void set_stage_offset(int stage, double offset) {
    std::lock_guard lock(mutex_);
    offset_[static_cast<std::size_t>(stage)] = offset;
  }
  void fold_done(const FoldReport& r) {
    std::lock_guard lock(mutex_);
    if (observer_) observer_->on_fold(r);
  }

 private:
  double advance(int stage, double fraction) {
    const double offset = offset_[static_cast<std::size_t>(stage)];
    done_[static_cast<std::size_t>(stage)] = std::min(offset + (1.0 - offset) * fraction, 1.0);
    double sum = 0.0;
    for (double d : done_) sum += d;
    return sum / static_cast<double>(done_.size());
  }
  std::mutex mutex_;
  std::vector<double> done_;
  std::vector<double> offset_;
  std::vector<std::string> names_;
  ProgressSink* progress_;
  TrainingObserver* observer_;
};

/// One stage's view of the hub, as the network's FitObserver.
class StageObserver final : public FitObserver {
 public:
  StageObserver(ReportHub& hub, int stage, int fold) : hub_(hub), stage_(stage), fold_(fold) {}
  void on_epoch(const EpochStats& s) override { hub_.epoch(stage_, fold_, s); }
  void on_batch(const BatchStats& b) override { hub_.batch(stage_, fold_, b); }

 private:
  ReportHub& hub_;
  int stage_, fold_;
};

/// Reports the epochs of one inner search training as a share of its stage.
class SearchObserver final : public FitObserver {
 public:
  SearchObserver(ReportHub& hub, int stage, double first, double share, std::string what)
      : hub_(hub), stage_(stage), first_(first), share_(share), what_(std::move(what)) {}
  void on_epoch(const EpochStats& s) override { hub_.search(stage_, first_ + share_ * s.epoch / s.epochs, what_); }

 private:
  ReportHub& hub_;
  int stage_;
  double first_, share_;
  std::string what_;
};

/// (fit rows, scored rows) pairs: inner folds, or a split's parts.
using InnerFolds = std::vector<std::pair<std::vector<std::size_t>, std::vector<std::size_t>>>;

/// The options with a candidate's model and training loop (the run's seed and threads kept).
TrainerOptions with_candidate(const TrainerOptions& options, const SearchCandidate& candidate) {
  TrainerOptions o = options;
  o.search.clear();
  o.model = candidate.model;
  o.training = candidate.training;
  o.training.seed = options.training.seed;
  o.training.threads = options.training.threads;
  return o;
}

struct CandidateScores {
  std::vector<double> accuracy;    ///< mean over the inner folds, per candidate
  std::vector<double> best_epoch;  ///< mean over the inner folds, per candidate
  std::size_t best = 0;            ///< highest accuracy (ties: the first)
};

/// Fits every candidate on each inner pair's fit rows (with early stopping on its scored rows when
/// `early_stopping`) and scores it on them. Uses the first trainings/(trainings + 1) of the stage's
/// progress; the rest is left for the chosen candidate's training.
CandidateScores score_candidates(const stats::LabeledMatrix& data, const std::vector<SearchCandidate>& candidates,
                                 const InnerFolds& inner, bool early_stopping, const std::string& what, int stage,
                                 std::uint64_t stage_seed, const TrainerOptions& options, ReportHub& hub,
                                 const CancelToken* cancel) {
  const std::size_t trainings = candidates.size() * inner.size();
  const double share = 1.0 / static_cast<double>(trainings + 1);
  CandidateScores out;
  std::size_t done = 0;
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    auto o = with_candidate(options, candidates[c]);
    o.training.validation_fraction = 0.0;
    double accuracy = 0.0, epochs = 0.0;
    for (std::size_t k = 0; k < inner.size(); ++k) {
      const auto& [fit_rows, scored_rows] = inner[k];
      const auto prep = fit_preprocessing(data, fit_rows, o);
      const auto scored = make_samples(data, scored_rows, prep);
      auto network = Network::create(o.model, prep.columns.size(), data.label_names.size(),
                                     mix_seed(stage_seed, 0x1000 + c * 64 + k));
      std::string message = what + ": ";
      if (!candidates[c].name.empty())
        message += "candidate " + std::to_string(c + 1) + "/" + std::to_string(candidates.size()) + " (" +
                   candidates[c].name + "), ";
      message += "inner fold " + std::to_string(k + 1) + "/" + std::to_string(inner.size());
      SearchObserver observer(hub, stage, static_cast<double>(done) * share, share, message);
      const auto fit = network.fit(make_samples(data, fit_rows, prep), early_stopping ? &scored : nullptr, nullptr,
                                   o.training, &observer, cancel, options.batch_interval);
      accuracy += network.evaluate(scored).accuracy;
      epochs += fit.best_epoch;
      ++done;
    }
    out.accuracy.push_back(accuracy / static_cast<double>(inner.size()));
    out.best_epoch.push_back(epochs / static_cast<double>(inner.size()));
    if (out.accuracy[c] > out.accuracy[out.best]) out.best = c;
  }
  hub.set_stage_offset(stage, static_cast<double>(trainings) * share);
  return out;
}

/// The candidate of options.search with the best mean accuracy over inner grouped folds of
/// `train_rows`; fills report.chosen and report.search_scores.
std::size_t run_search(const stats::LabeledMatrix& data, const std::vector<int>& groups,
                       const std::vector<std::size_t>& train_rows, int stage, std::uint64_t stage_seed,
                       const TrainerOptions& options, ReportHub& hub, const CancelToken* cancel, FoldReport& report) {
  std::vector<int> labels, inner_groups;
  for (auto r : train_rows) {
    labels.push_back(data.labels[r]);
    inner_groups.push_back(groups[r]);
  }
  const auto fold = stratified_group_folds(labels, inner_groups, options.search_folds, mix_seed(stage_seed, 0x5e));
  InnerFolds inner(static_cast<std::size_t>(options.search_folds));
  for (std::size_t k = 0; k < inner.size(); ++k)
    for (std::size_t i = 0; i < train_rows.size(); ++i)
      (fold[i] == static_cast<int>(k) ? inner[k].second : inner[k].first).push_back(train_rows[i]);
  const auto scores =
      score_candidates(data, options.search, inner, false, "search", stage, stage_seed, options, hub, cancel);
  report.search_scores = scores.accuracy;
  report.chosen = options.search[scores.best].name;
  return scores.best;
}

/// Trains one network on `train_rows` (with an optional grouped validation split) and evaluates
/// it on `test_rows`.
struct StageResult {
  FoldReport report;
  Preprocessing prep;
  std::optional<Network> network;
  std::vector<int> predicted;
  std::vector<float> confidence;  ///< probability of the predicted genre, per test row
};

StageResult run_stage(const stats::LabeledMatrix& data, const std::vector<int>& groups,
                      const std::vector<std::string>& track_ids, const std::vector<std::size_t>& train_rows,
                      const std::vector<std::size_t>& test_rows, int fold, int stage, const TrainerOptions& options,
                      ReportHub& hub, const CancelToken* cancel) {
  const auto stage_seed = mix_seed(options.training.seed, static_cast<std::uint64_t>(fold + 2));
  std::vector<std::size_t> fit_rows = train_rows, validation_rows;
  if (options.training.validation_fraction > 0) {
    auto split = grouped_holdout(train_rows, data.labels, groups, options.training.validation_fraction, stage_seed);
    fit_rows = std::move(split.kept);
    validation_rows = std::move(split.held_out);
  }
  StageResult r;
  const TrainerOptions* used = &options;
  TrainerOptions chosen;
  if (!options.search.empty()) {
    const auto best = run_search(data, groups, fit_rows, stage, stage_seed, options, hub, cancel, r.report);
    chosen = with_candidate(options, options.search[best]);
    chosen.training.validation_fraction = options.training.validation_fraction;
    r.report.chosen_training = chosen.training;
    used = &chosen;
  }
  r.prep = fit_preprocessing(data, fit_rows, *used);
  const auto train = make_samples(data, fit_rows, r.prep);
  const auto validation = make_samples(data, validation_rows, r.prep);
  const auto test = make_samples(data, test_rows, r.prep);
  r.network.emplace(Network::create(used->model, r.prep.columns.size(), data.label_names.size(), stage_seed));
  StageObserver stage_observer(hub, stage, fold);
  // Split protocols score their test part once, at the end: no per-epoch look at it.
  const bool monitor = !test_rows.empty() && !options.split;
  const auto fit = r.network->fit(train, validation_rows.empty() ? nullptr : &validation, monitor ? &test : nullptr,
                                  used->training, &stage_observer, cancel, options.batch_interval);
  auto& rep = r.report;
  rep.fold = fold;
  rep.train_rows = fit_rows.size();
  rep.validation_rows = validation_rows.size();
  rep.test_rows = test_rows.size();
  rep.best_epoch = fit.best_epoch;
  rep.epochs_run = fit.epochs_run;
  rep.stopped_early = fit.stopped_early;
  rep.seconds = fit.seconds;
  rep.input_features = r.prep.names;
  rep.dropped_features = r.prep.dropped;
  rep.scaler_mean.assign(r.prep.scaler->mean().begin(), r.prep.scaler->mean().end());
  rep.scaler_scale.assign(r.prep.scaler->scale().begin(), r.prep.scaler->scale().end());
  rep.history = fit.history;
  rep.accuracy = rep.loss = rep.track_accuracy_mean = rep.track_accuracy_vote = kNaN;
  if (!test_rows.empty()) {
    const auto e = r.network->evaluate(test);
    rep.accuracy = e.accuracy;
    rep.loss = e.loss;
    r.predicted = e.predicted;
    const auto probabilities = r.network->predict_proba(test);
    const std::size_t classes = data.label_names.size();
    for (std::size_t i = 0; i < r.predicted.size(); ++i)
      r.confidence.push_back(probabilities[i * classes + static_cast<std::size_t>(r.predicted[i])]);
    std::vector<std::string> test_tracks;
    for (auto row : test_rows) test_tracks.push_back(track_ids[row]);
    const auto tracks = track_scores(test_tracks, test.y, probabilities, data.label_names.size());
    rep.test_tracks = tracks.tracks;
    rep.track_accuracy_mean = tracks.accuracy_mean;
    rep.track_accuracy_vote = tracks.accuracy_vote;
  }
  hub.fold_done(rep);
  return r;
}

/// What one stage trains and scores. Folds: `train` -> `test` (the final model: every row, no
/// test). Split protocols: the settings are chosen on the `inner` (fit rows, scored rows) pairs,
/// then the model is refitted on `train` and scored on `test`.
struct StagePlan {
  int fold = 0;
  std::vector<std::size_t> train, test;
  InnerFolds inner;
  std::string held_out;
};

/// A split-protocol stage: every candidate (the search's, else the options' model) is scored on
/// the plan's inner pairs (score_candidates(), with early stopping on the scored rows when
/// validation_fraction > 0); the best is refitted on plan.train (for the mean best epoch when
/// early stopping) and scored on plan.test.
StageResult run_split_stage(const stats::LabeledMatrix& data, const std::vector<int>& groups,
                            const std::vector<std::string>& track_ids, const StagePlan& plan, int stage,
                            const TrainerOptions& options, ReportHub& hub, const CancelToken* cancel) {
  const auto stage_seed = mix_seed(options.training.seed, static_cast<std::uint64_t>(plan.fold + 2));
  auto candidates = options.search;
  if (candidates.empty()) candidates.push_back({"", options.model, options.training});
  const bool early_stopping = options.training.validation_fraction > 0;
  const auto scores = score_candidates(data, candidates, plan.inner, early_stopping, "choosing settings", stage,
                                       stage_seed, options, hub, cancel);
  auto refit = with_candidate(options, candidates[scores.best]);
  refit.training.validation_fraction = 0.0;
  if (early_stopping)
    refit.training.epochs = std::max(1, static_cast<int>(std::lround(scores.best_epoch[scores.best])));
  auto r = run_stage(data, groups, track_ids, plan.train, plan.test, plan.fold, stage, refit, hub, cancel);
  r.report.held_out = plan.held_out;
  r.report.validation_accuracy = scores.accuracy[scores.best];
  if (!options.search.empty()) {
    r.report.chosen = candidates[scores.best].name;
    r.report.search_scores = scores.accuracy;
  }
  if (!options.search.empty() || early_stopping) r.report.chosen_training = refit.training;
  return r;
}

/// The stages of a split protocol over `part_of_row` (0 train, 1 valid, 2 test, -1 left out).
std::vector<StagePlan> split_plans(const std::vector<int>& part_of_row, bool rotate) {
  std::array<std::vector<std::size_t>, dataset::kSplitParts> rows;
  for (std::size_t r = 0; r < part_of_row.size(); ++r)
    if (part_of_row[r] >= 0) rows[static_cast<std::size_t>(part_of_row[r])].push_back(r);
  const auto joined = [](std::vector<std::size_t> a, const std::vector<std::size_t>& b) {
    a.insert(a.end(), b.begin(), b.end());
    std::sort(a.begin(), a.end());
    return a;
  };
  std::vector<StagePlan> plans;
  if (!rotate) {
    StagePlan p;
    p.inner.emplace_back(rows[0], rows[1]);
    p.train = joined(rows[0], rows[1]);
    p.test = rows[2];
    p.held_out = "test";
    plans.push_back(std::move(p));
    return plans;
  }
  for (int held = 0; held < dataset::kSplitParts; ++held) {
    const int a = held == 0 ? 1 : 0, b = held == 2 ? 1 : 2;
    StagePlan p;
    p.fold = held;
    p.inner.emplace_back(rows[static_cast<std::size_t>(a)], rows[static_cast<std::size_t>(b)]);
    p.inner.emplace_back(rows[static_cast<std::size_t>(b)], rows[static_cast<std::size_t>(a)]);
    p.train = joined(rows[static_cast<std::size_t>(a)], rows[static_cast<std::size_t>(b)]);
    p.test = rows[static_cast<std::size_t>(held)];
    p.held_out = std::string(dataset::to_string(static_cast<dataset::SplitPart>(held)));
    plans.push_back(std::move(p));
  }
  return plans;
}

/// Restores the calling thread's torch thread count on scope exit.
class ThreadScope {
 public:
  explicit ThreadScope(int threads) : previous_(set_compute_threads(threads)) {}
  ~ThreadScope() {
    try {
      set_compute_threads(previous_);
    } catch (const std::invalid_argument&) {
      // previous_ was outside 1..256 (torch's default on a very large machine): leave ours.
    }
  }
  ThreadScope(const ThreadScope&) = delete;
  ThreadScope& operator=(const ThreadScope&) = delete;

 private:
  int previous_;
};

json history_json(const std::vector<EpochStats>& h) {
  json j{{"epoch", json::array()},           {"train_loss", json::array()},          {"train_accuracy", json::array()},
         {"validation_loss", json::array()}, {"validation_accuracy", json::array()}, {"test_loss", json::array()},
         {"test_accuracy", json::array()},   {"learning_rate", json::array()},       {"elapsed_s", json::array()}};
  const auto num = [](double v) { return std::isnan(v) ? json(nullptr) : json(v); };
  for (const auto& s : h) {
    j["epoch"].push_back(s.epoch);
    j["train_loss"].push_back(num(s.train_loss));
    j["train_accuracy"].push_back(num(s.train_accuracy));
    j["validation_loss"].push_back(num(s.validation_loss));
    j["validation_accuracy"].push_back(num(s.validation_accuracy));
    j["test_loss"].push_back(num(s.test_loss));
    j["test_accuracy"].push_back(num(s.test_accuracy));
    j["learning_rate"].push_back(s.learning_rate);
    j["elapsed_s"].push_back(s.elapsed_s);
  }
  return j;
}

json fold_json(const FoldReport& f) {
  const auto num = [](double v) { return std::isnan(v) ? json(nullptr) : json(v); };
  return json{
      {"fold", f.fold == kFinalFold ? json("final") : json(f.fold)},
      {"accuracy", num(f.accuracy)},
      {"loss", num(f.loss)},
      {"test_tracks", f.test_tracks},
      {"track_accuracy_mean", num(f.track_accuracy_mean)},
      {"track_accuracy_vote", num(f.track_accuracy_vote)},
      {"train_rows", f.train_rows},
      {"validation_rows", f.validation_rows},
      {"test_rows", f.test_rows},
      {"best_epoch", f.best_epoch},
      {"epochs_run", f.epochs_run},
      {"stopped_early", f.stopped_early},
      {"seconds", f.seconds},
      {"input_features", f.input_features.size()},
      {"dropped_features", f.dropped_features},
      {"history", history_json(f.history)},
      {"search", f.chosen.empty() ? json(nullptr) : json{{"chosen", f.chosen}, {"inner_accuracy", f.search_scores}}},
      {"held_out", f.held_out.empty() ? json(nullptr) : json(f.held_out)},
      {"validation_accuracy", num(f.validation_accuracy)}};
}

json split_json(const dataset::SplitAssignment& a, const dataset::SplitLists& lists, bool rotate) {
  json parts = json::object();
  for (int p = 0; p < dataset::kSplitParts; ++p) {
    const auto i = static_cast<std::size_t>(p);
    parts[std::string(dataset::to_string(static_cast<dataset::SplitPart>(p)))] = {
        {"list", lists.list_name(static_cast<dataset::SplitPart>(p))},
        {"entries", lists.parts[i].size()},
        {"rows", a.rows[i]},
        {"tracks", a.tracks[i]},
        {"entries_without_rows", a.entries_without_rows[i]}};
  }
  return json{{"name", lists.name},
              {"folder", lists.folder.string()},
              {"artist_disjoint", lists.artist_disjoint()},
              {"rotate", rotate},
              {"parts", parts},
              {"rows_left_out", a.rows_left_out},
              {"tracks_left_out", a.tracks_left_out},
              {"entries_without_rows", a.entries_without_rows_total()},
              {"missing_examples", a.missing_examples},
              {"summary", dataset::describe(a)}};
}

}  // namespace

std::string_view to_string(FeatureSet set) noexcept {
  switch (set) {
    case FeatureSet::all:
      return "all";
    case FeatureSet::filtered:
      return "filtered";
    case FeatureSet::mfcc:
      return "mfcc";
  }
  return "?";
}

std::optional<FeatureSet> parse_feature_set(std::string_view text) noexcept {
  for (auto s : {FeatureSet::all, FeatureSet::filtered, FeatureSet::mfcc})
    if (text == to_string(s)) return s;
  return std::nullopt;
}

std::string_view to_string(SplitProtocol protocol) noexcept {
  switch (protocol) {
    case SplitProtocol::grouped:
      return "grouped";
    case SplitProtocol::leaky:
      return "leaky";
  }
  return "?";
}

std::optional<SplitProtocol> parse_split_protocol(std::string_view text) noexcept {
  for (auto p : {SplitProtocol::grouped, SplitProtocol::leaky})
    if (text == to_string(p)) return p;
  return std::nullopt;
}

std::vector<int> split_groups(const dataset::FeatureTable& table, const TrainerOptions& options) {
  if (options.protocol == SplitProtocol::grouped) {
    auto groups = row_groups(table, options.group_duplicates);
    if (options.groups)
      groups = merge_groups(groups, dataset::assign_groups(*options.groups, table.filenames).group_of_row);
    return groups;
  }
  std::vector<int> groups(table.rows());
  std::iota(groups.begin(), groups.end(), 0);
  return groups;
}

std::string protocol_label(const TrainerOptions& o) {
  if (o.split) {
    const auto part = std::string(o.rotate ? "rotation of its 3 parts" : "test part");
    if (o.split->artist_disjoint()) return "unseen artists (" + o.split->name + " split, " + part + ")";
    return "predefined split " + o.split->name + " (" + part + ")";
  }
  if (o.protocol == SplitProtocol::leaky) return "LEAKY folds: segments of a track in training and test (optimistic)";
  if (o.groups)
    return "folds grouped by " + o.groups->column + " (" + o.groups->path.filename().string() + "): unseen " +
           o.groups->column + (o.groups->column.ends_with('s') ? "" : "s");
  return "track-grouped folds: same artists in training and test (optimistic)";
}

std::string protocol_heading(const TrainerOptions& o) {
  return o.split ? protocol_label(o) : std::to_string(o.folds) + " " + protocol_label(o);
}

std::string protocol_key(const TrainerOptions& o) {
  if (o.split) return o.rotate ? "rotation" : "split";
  if (o.protocol == SplitProtocol::grouped && o.groups) return "groups";
  return std::string(to_string(o.protocol));
}

void TrainerOptions::validate() const {
  model.validate();
  training.validate();
  if (folds < 2 || folds > 100)
    throw std::invalid_argument("folds must be in 2..100 (got " + std::to_string(folds) + ")");
  const stats::RedundancyFilter check(filter);  // throws for a bad threshold
  if (batch_interval.count() < 0) throw std::invalid_argument("batch_interval must not be negative");
  if (search_folds < 2 || search_folds > 20)
    throw std::invalid_argument("search_folds must be in 2..20 (got " + std::to_string(search_folds) + ")");
  for (const auto& c : search) {
    c.model.validate();
    c.training.validate();
  }
  if (rotate && !split) throw std::invalid_argument("rotation needs a split (train/valid/test lists)");
  if (split && protocol == SplitProtocol::leaky)
    throw std::invalid_argument("a split cannot be leaky: its parts are fixed");
  if (split && groups) throw std::invalid_argument("a split fixes the held-out rows: a group file has no use with it");
  if (groups && protocol == SplitProtocol::leaky)
    throw std::invalid_argument("a group file needs grouped folds, not leaky ones");
}

std::vector<int> make_folds(const dataset::FeatureTable& table, const TrainerOptions& options) {
  options.validate();
  const auto data_labels = stats::to_labeled_matrix(table).labels;
  if (options.split) {
    const auto parts = dataset::assign_split(*options.split, table.filenames, table.labels).part_of_row;
    std::vector<int> fold(parts.size(), -1);
    for (const auto& plan : split_plans(parts, options.rotate))
      for (auto r : plan.test) fold[r] = plan.fold;
    return fold;
  }
  return stratified_group_folds(data_labels, split_groups(table, options), options.folds, options.training.seed);
}

TrainingResult train_and_evaluate(const dataset::FeatureTable& table, const TrainerOptions& options,
                                  ProgressSink* progress, TrainingObserver* observer, const CancelToken* cancel) {
  options.validate();
  const auto start = std::chrono::steady_clock::now();
  const auto data = stats::to_labeled_matrix(table);
  if (data.label_names.size() < 2) throw std::invalid_argument("the table has only one genre: nothing to classify");
  const auto groups = split_groups(table, options);
  std::vector<std::string> track_ids;
  track_ids.reserve(table.rows());
  for (const auto& f : table.filenames) track_ids.push_back(dataset::parse_track_key(f).track_id);

  TrainingResult result;
  auto& rep = result.report;
  rep.options = options;
  rep.protocol = protocol_label(options);
  rep.label_names = data.label_names;
  rep.rows = data.rows();
  rep.groups = group_count(groups);
  rep.tracks = std::set<std::string>(track_ids.begin(), track_ids.end()).size();
  if (!table.lengths.empty()) {
    auto lengths = table.lengths;
    const auto mid = lengths.begin() + static_cast<std::ptrdiff_t>(lengths.size() / 2);
    std::nth_element(lengths.begin(), mid, lengths.end());
    rep.row_length = *mid;
  }
  if (options.groups) rep.file_groups = dataset::assign_groups(*options.groups, table.filenames);

  // The stages: the folds and the final model on every row, or the split protocol's parts (whose
  // test-part stage is the final model).
  std::vector<StagePlan> plans;
  rep.fold_of_row.assign(data.rows(), -1);
  if (options.split) {
    rep.split = dataset::assign_split(*options.split, table.filenames, table.labels);
    plans = split_plans(rep.split->part_of_row, options.rotate);
  } else {
    const auto folds = stratified_group_folds(data.labels, groups, options.folds, options.training.seed);
    plans.resize(static_cast<std::size_t>(options.folds));
    for (std::size_t r = 0; r < data.rows(); ++r)
      for (int f = 0; f < options.folds; ++f)
        (folds[r] == f ? plans[static_cast<std::size_t>(f)].test : plans[static_cast<std::size_t>(f)].train)
            .push_back(r);
    for (int f = 0; f < options.folds; ++f) plans[static_cast<std::size_t>(f)].fold = f;
    if (options.final_model) {
      StagePlan final_plan;
      final_plan.fold = kFinalFold;
      final_plan.train.resize(data.rows());
      std::iota(final_plan.train.begin(), final_plan.train.end(), std::size_t{0});
      plans.push_back(std::move(final_plan));
    }
  }
  const int scored = static_cast<int>(
      std::count_if(plans.begin(), plans.end(), [](const StagePlan& p) { return p.fold != kFinalFold; }));
  for (const auto& plan : plans)
    for (auto r : plan.test) rep.fold_of_row[r] = plan.fold;
  const int stages = static_cast<int>(plans.size());
  const auto split = split_threads(options.training.threads, stages);
  rep.threads = options.training.threads;
  rep.stage_jobs = split.stage_jobs;
  rep.threads_per_stage = split.threads_per_stage;
  rep.blas = blas_library();

  // Stages are independent: each has its own rows, seed, generator and preprocessing, so they may
  // train at once with identical results.
  std::vector<std::string> names;
  for (const auto& plan : plans)
    names.push_back(plan.fold == kFinalFold ? std::string("final model")
                    : options.split         ? plan.held_out + " part"
                                            : "fold " + std::to_string(plan.fold + 1) + "/" + std::to_string(scored));
  ReportHub hub(std::move(names), progress, observer);
  std::vector<std::optional<StageResult>> results(plans.size());
  parallel_for(
      plans.size(), static_cast<unsigned>(split.stage_jobs),
      [&](std::size_t s) {
        const ThreadScope threads(split.threads_per_stage);
        const auto& plan = plans[s];
        const int stage = static_cast<int>(s);
        results[s] = plan.inner.empty() ? run_stage(data, groups, track_ids, plan.train, plan.test, plan.fold, stage,
                                                    options, hub, cancel)
                                        : run_split_stage(data, groups, track_ids, plan, stage, options, hub, cancel);
      },
      cancel);
  if (cancel) cancel->check();

  const std::size_t n_classes = data.label_names.size();
  std::vector<std::int64_t> confusion(n_classes * n_classes, 0);
  std::optional<std::size_t> final_stage;
  for (std::size_t s = 0; s < plans.size(); ++s) {
    auto& stage = *results[s];
    if (plans[s].fold == kFinalFold || plans[s].held_out == "test") final_stage = s;
    if (plans[s].fold == kFinalFold) continue;
    for (std::size_t i = 0; i < plans[s].test.size(); ++i) {
      const auto row = plans[s].test[i];
      ++confusion[static_cast<std::size_t>(data.labels[row]) * n_classes +
                  static_cast<std::size_t>(stage.predicted[i])];
      rep.held_out.push_back({row, data.labels[row], stage.predicted[i], static_cast<double>(stage.confidence[i])});
    }
    rep.folds.push_back(stage.report);
  }
  const auto summarise = [&](double FoldReport::*field, double& mean, double& sd) {
    std::vector<double> values;
    for (const auto& f : rep.folds) values.push_back(f.*field);
    const auto s = stats::mean_std(values);
    mean = s.mean;
    sd = s.std;
  };
  summarise(&FoldReport::accuracy, rep.mean_accuracy, rep.std_accuracy);
  summarise(&FoldReport::track_accuracy_mean, rep.mean_track_accuracy_mean, rep.std_track_accuracy_mean);
  summarise(&FoldReport::track_accuracy_vote, rep.mean_track_accuracy_vote, rep.std_track_accuracy_vote);
  if (options.split) {
    double unused = 0.0;
    summarise(&FoldReport::validation_accuracy, rep.mean_validation_accuracy, unused);
  }
  const auto cm = stats::ConfusionMatrix::from_counts(confusion, n_classes);
  const auto scores = stats::compute_scores(cm);
  rep.confusion = cm.counts();
  stats::score_columns(scores, rep.precision, rep.recall, rep.f1, rep.support);
  rep.macro_f1 = scores.macro_f1;

  if (options.final_model && final_stage) {
    auto& stage = *results[*final_stage];
    const auto& mean = stage.prep.scaler->mean();
    const auto& scale = stage.prep.scaler->scale();
    result.model.emplace(std::move(*stage.network), stage.prep.names, std::vector<double>(mean.begin(), mean.end()),
                         std::vector<double>(scale.begin(), scale.end()), data.label_names);
    rep.final_model = std::move(stage.report);
  }
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (progress) progress->report(1.0, "done");
  return result;
}

json to_json(const TrainingReport& r) {
  json folds = json::array();
  for (const auto& f : r.folds) folds.push_back(fold_json(f));
  json per_genre = json::array();
  for (std::size_t g = 0; g < r.label_names.size() && g < r.precision.size(); ++g)
    per_genre.push_back({{"genre", r.label_names[g]},
                         {"precision", r.precision[g]},
                         {"recall", r.recall[g]},
                         {"f1", r.f1[g]},
                         {"support", r.support[g]}});
  json confusion = json::array();
  const std::size_t n = r.label_names.size();
  for (std::size_t t = 0; t < n && !r.confusion.empty(); ++t)
    confusion.push_back(std::vector<std::int64_t>(r.confusion.begin() + static_cast<std::ptrdiff_t>(t * n),
                                                  r.confusion.begin() + static_cast<std::ptrdiff_t>((t + 1) * n)));
  const auto& o = r.options;
  return json{
      {"model", o.model},
      {"training", o.training},
      {"cross_validation",
       {{"folds", o.folds},
        {"features", to_string(o.features)},
        {"filter", {{"threshold", o.filter.threshold}, {"scope", stats::to_string(o.filter.scope)}}},
        {"group_duplicates", o.group_duplicates},
        {"protocol", protocol_key(o)},
        {"stratified", true},
        {"preprocessing_fitted_on", "training rows of each fold"}}},
      {"search", o.search.empty()
                     ? json(nullptr)
                     : json{{"inner_folds", o.search_folds},
                            {"candidates",
                             [&] {
                               json c = json::array();
                               for (const auto& s : o.search)
                                 c.push_back({{"name", s.name}, {"model", s.model}, {"training", s.training}});
                               return c;
                             }()}}},
      {"rows", r.rows},
      {"groups", r.groups},
      {"labels", r.label_names},
      {"folds", folds},
      {"mean_accuracy", r.mean_accuracy},
      {"std_accuracy", r.std_accuracy},
      {"std_accuracy_ddof", 0},
      {"protocol", protocol_key(o)},
      {"protocol_label", r.protocol},
      {"split", r.split && o.split ? split_json(*r.split, *o.split, o.rotate) : json(nullptr)},
      {"groups_file", r.file_groups && o.groups ? json{{"file", o.groups->path.string()},
                                                       {"column", o.groups->column},
                                                       {"groups", r.file_groups->groups},
                                                       {"rows_without_group", r.file_groups->rows_without_group},
                                                       {"entries_without_rows", r.file_groups->entries_without_rows}}
                                                : json(nullptr)},
      {"mean_validation_accuracy",
       std::isnan(r.mean_validation_accuracy) ? json(nullptr) : json(r.mean_validation_accuracy)},
      {"tracks", r.tracks},
      {"track_level",
       {{"mean_probability",
         {{"mean_accuracy", r.mean_track_accuracy_mean}, {"std_accuracy", r.std_track_accuracy_mean}}},
        {"majority_vote",
         {{"mean_accuracy", r.mean_track_accuracy_vote}, {"std_accuracy", r.std_track_accuracy_vote}}}}},
      {"confusion", confusion},
      {"per_genre", per_genre},
      {"macro_f1", r.macro_f1},
      {"final_model", r.final_model ? fold_json(*r.final_model) : json(nullptr)},
      {"seconds", r.seconds},
      {"threads", r.threads},
      {"stage_jobs", r.stage_jobs},
      {"threads_per_stage", r.threads_per_stage},
      {"blas", r.blas}};
}

std::vector<HeldOutPrediction> held_out_in_cell(const TrainingReport& report, int truth, int predicted) {
  std::vector<HeldOutPrediction> out;
  for (const auto& h : report.held_out)
    if (h.truth == truth && h.predicted == predicted) out.push_back(h);
  std::stable_sort(out.begin(), out.end(),
                   [](const HeldOutPrediction& a, const HeldOutPrediction& b) { return a.confidence > b.confidence; });
  return out;
}

ThreadSplit split_threads(int threads, int stages) {
  ThreadSplit t;
  t.stage_jobs = std::max(1, std::min(threads, stages));
  t.threads_per_stage = std::max(1, threads / t.stage_jobs);
  return t;
}

ModelBundle TrainingResult::bundle() {
  if (!model) throw std::logic_error("no final model was trained");
  ModelBundle b;
  const auto& o = report.options;
  b.model = model->network().params();
  b.training =
      report.final_model && report.final_model->chosen_training ? *report.final_model->chosen_training : o.training;
  b.feature_set = std::string(to_string(o.features));
  b.filter = {{"threshold", o.filter.threshold}, {"scope", stats::to_string(o.filter.scope)}};
  b.input_features = model->input_features();
  b.dropped_features = report.final_model ? report.final_model->dropped_features : std::vector<std::string>{};
  b.scaler_mean = model->scaler_mean();
  b.scaler_scale = model->scaler_scale();
  b.label_names = model->label_names();
  b.report = to_json(report);
  b.row_length = report.row_length;
  b.extraction = o.extraction;
  b.weights = model->network().weights();
  return b;
}

}  // namespace genrelab::ml
