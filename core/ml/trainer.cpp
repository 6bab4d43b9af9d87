#include "ml/trainer.h"

#include <algorithm>
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
  for (std::size_t i = 0; i < rows.size(); ++i) out.row(static_cast<Eigen::Index>(i)) = x.row(static_cast<Eigen::Index>(rows[i]));
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
  const Eigen::MatrixXd z = p.scaler->transform(stats::select_columns(model_rows(data, rows, p.log_variances), p.columns));
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
  ReportHub(int stages, int folds, ProgressSink* progress, TrainingObserver* observer)
      : done_(static_cast<std::size_t>(stages), 0.0), offset_(done_.size(), 0.0), folds_(folds), progress_(progress),
        observer_(observer) {}
  void epoch(int stage, int fold, const EpochStats& s) {
    std::lock_guard lock(mutex_);
    if (observer_) observer_->on_epoch(fold, s);
    if (!progress_) return;
    char msg[160];
    const bool val = !std::isnan(s.validation_accuracy);
    std::snprintf(msg, sizeof msg, "%s epoch %d/%d: loss %.4f, %s acc %.3f", stage_name(fold).c_str(), s.epoch,
                  s.epochs, s.train_loss, val ? "val" : "test", val ? s.validation_accuracy : s.test_accuracy);
    progress_->report(advance(stage, static_cast<double>(s.epoch) / s.epochs), msg);
  }
  void batch(int stage, int fold, const BatchStats& b) {
    std::lock_guard lock(mutex_);
    if (observer_) observer_->on_batch(fold, b);
    if (!progress_) return;
    char msg[160];
    std::snprintf(msg, sizeof msg, "%s epoch %d/%d: batch %d/%d, loss %.4f", stage_name(fold).c_str(), b.epoch,
                  b.epochs, b.batch, b.batches, b.loss);
    progress_->report(advance(stage, (b.epoch - 1 + static_cast<double>(b.batch) / b.batches) / b.epochs), msg);
  }
  /// Progress of a search inside a stage: `fraction` of the stage.
  void search(int stage, int fold, double fraction, const std::string& what) {
    std::lock_guard lock(mutex_);
    if (!progress_) return;
    progress_->report(advance(stage, fraction), stage_name(fold) + " search: " + what);
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
  std::string stage_name(int fold) const {
    return fold == kFinalFold ? std::string("final model") : "fold " + std::to_string(fold + 1) + "/" + std::to_string(folds_);
  }
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
  int folds_;
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
  SearchObserver(ReportHub& hub, int stage, int fold, double first, double share, std::string what)
      : hub_(hub), stage_(stage), fold_(fold), first_(first), share_(share), what_(std::move(what)) {}
  void on_epoch(const EpochStats& s) override {
    hub_.search(stage_, fold_, first_ + share_ * s.epoch / s.epochs, what_);
  }

 private:
  ReportHub& hub_;
  int stage_, fold_;
  double first_, share_;
  std::string what_;
};

/// The candidate of options.search with the best mean accuracy over inner grouped folds of
/// `train_rows`; fills report.chosen and report.search_scores. The last 1/(trainings + 1) of the
/// stage's progress is left for the chosen candidate's training.
std::size_t run_search(const stats::LabeledMatrix& data, const std::vector<int>& groups,
                       const std::vector<std::size_t>& train_rows, int fold, int stage, std::uint64_t stage_seed,
                       const TrainerOptions& options, ReportHub& hub, const CancelToken* cancel, FoldReport& report) {
  std::vector<int> labels, inner_groups;
  for (auto r : train_rows) {
    labels.push_back(data.labels[r]);
    inner_groups.push_back(groups[r]);
  }
  const auto inner = stratified_group_folds(labels, inner_groups, options.search_folds, mix_seed(stage_seed, 0x5e));
  const std::size_t trainings = options.search.size() * static_cast<std::size_t>(options.search_folds);
  const double share = 1.0 / static_cast<double>(trainings + 1);
  std::size_t done = 0, best = 0;
  for (std::size_t c = 0; c < options.search.size(); ++c) {
    const auto& candidate = options.search[c];
    TrainerOptions inner_options = options;
    inner_options.model = candidate.model;
    inner_options.training = candidate.training;
    inner_options.training.seed = options.training.seed;
    inner_options.training.threads = options.training.threads;
    inner_options.training.validation_fraction = 0.0;
    double sum = 0.0;
    for (int k = 0; k < options.search_folds; ++k) {
      std::vector<std::size_t> fit_rows, test_rows;
      for (std::size_t i = 0; i < train_rows.size(); ++i) (inner[i] == k ? test_rows : fit_rows).push_back(train_rows[i]);
      const auto prep = fit_preprocessing(data, fit_rows, inner_options);
      auto network = Network::create(candidate.model, prep.columns.size(), data.label_names.size(),
                                     mix_seed(stage_seed, 0x1000 + c * 64 + static_cast<std::size_t>(k)));
      SearchObserver observer(hub, stage, fold, static_cast<double>(done) * share, share,
                              "candidate " + std::to_string(c + 1) + "/" + std::to_string(options.search.size()) + " (" +
                                  candidate.name + "), inner fold " + std::to_string(k + 1));
      network.fit(make_samples(data, fit_rows, prep), nullptr, nullptr, inner_options.training, &observer, cancel,
                  options.batch_interval);
      sum += network.evaluate(make_samples(data, test_rows, prep)).accuracy;
      ++done;
    }
    report.search_scores.push_back(sum / options.search_folds);
    if (report.search_scores[c] > report.search_scores[best]) best = c;
  }
  report.chosen = options.search[best].name;
  hub.set_stage_offset(stage, static_cast<double>(trainings) * share);
  return best;
}

/// Trains one network on `train_rows` (with an optional grouped validation split) and evaluates
/// it on `test_rows`.
struct StageResult {
  FoldReport report;
  Preprocessing prep;
  std::optional<Network> network;
  std::vector<int> predicted;
};

StageResult run_stage(const stats::LabeledMatrix& data, const std::vector<int>& groups,
                      const std::vector<std::string>& track_ids, const std::vector<std::size_t>& train_rows, const std::vector<std::size_t>& test_rows, int fold,
                      int stage, const TrainerOptions& options, ReportHub& hub, const CancelToken* cancel) {
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
    const auto best = run_search(data, groups, fit_rows, fold, stage, stage_seed, options, hub, cancel, r.report);
    chosen = options;
    chosen.model = options.search[best].model;
    chosen.training = options.search[best].training;
    chosen.training.seed = options.training.seed;
    chosen.training.threads = options.training.threads;
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
  const auto fit = r.network->fit(train, validation_rows.empty() ? nullptr : &validation, test_rows.empty() ? nullptr : &test,
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
  json j{{"epoch", json::array()}, {"train_loss", json::array()}, {"train_accuracy", json::array()},
         {"validation_loss", json::array()}, {"validation_accuracy", json::array()}, {"test_loss", json::array()},
         {"test_accuracy", json::array()}, {"learning_rate", json::array()}, {"elapsed_s", json::array()}};
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
  return json{{"fold", f.fold == kFinalFold ? json("final") : json(f.fold)},
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
              {"search", f.chosen.empty() ? json(nullptr) : json{{"chosen", f.chosen}, {"inner_accuracy", f.search_scores}}}};
}

}  // namespace

std::string_view to_string(FeatureSet set) noexcept {
  switch (set) {
    case FeatureSet::all: return "all";
    case FeatureSet::filtered: return "filtered";
    case FeatureSet::mfcc: return "mfcc";
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
    case SplitProtocol::grouped: return "grouped";
    case SplitProtocol::leaky: return "leaky";
  }
  return "?";
}

std::optional<SplitProtocol> parse_split_protocol(std::string_view text) noexcept {
  for (auto p : {SplitProtocol::grouped, SplitProtocol::leaky})
    if (text == to_string(p)) return p;
  return std::nullopt;
}

std::vector<int> split_groups(const dataset::FeatureTable& table, const TrainerOptions& options) {
  if (options.protocol == SplitProtocol::grouped) return row_groups(table, options.group_duplicates);
  std::vector<int> groups(table.rows());
  std::iota(groups.begin(), groups.end(), 0);
  return groups;
}

void TrainerOptions::validate() const {
  model.validate();
  training.validate();
  if (folds < 2 || folds > 100) throw std::invalid_argument("folds must be in 2..100 (got " + std::to_string(folds) + ")");
  const stats::RedundancyFilter check(filter);  // throws for a bad threshold
  if (batch_interval.count() < 0) throw std::invalid_argument("batch_interval must not be negative");
  if (search_folds < 2 || search_folds > 20)
    throw std::invalid_argument("search_folds must be in 2..20 (got " + std::to_string(search_folds) + ")");
  for (const auto& c : search) {
    c.model.validate();
    c.training.validate();
  }
}

std::vector<int> make_folds(const dataset::FeatureTable& table, const TrainerOptions& options) {
  options.validate();
  const auto groups = split_groups(table, options);
  const auto data_labels = stats::to_labeled_matrix(table).labels;
  return stratified_group_folds(data_labels, groups, options.folds, options.training.seed);
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
  rep.fold_of_row = stratified_group_folds(data.labels, groups, options.folds, options.training.seed);
  const int stages = options.folds + (options.final_model ? 1 : 0);
  const auto split = split_threads(options.training.threads, stages);
  rep.threads = options.training.threads;
  rep.stage_jobs = split.stage_jobs;
  rep.threads_per_stage = split.threads_per_stage;
  rep.blas = blas_library();

  // Stages (the folds, then the final model) are independent: each has its own rows, seed,
  // generator and preprocessing, so they may train at once with identical results.
  ReportHub hub(stages, options.folds, progress, observer);
  std::vector<std::optional<StageResult>> results(static_cast<std::size_t>(stages));
  parallel_for(
      static_cast<std::size_t>(stages), static_cast<unsigned>(split.stage_jobs),
      [&](std::size_t s) {
        const ThreadScope threads(split.threads_per_stage);
        const int stage = static_cast<int>(s);
        std::vector<std::size_t> train_rows, test_rows;
        if (stage < options.folds) {
          for (std::size_t r = 0; r < data.rows(); ++r) (rep.fold_of_row[r] == stage ? test_rows : train_rows).push_back(r);
          results[s] = run_stage(data, groups, track_ids, train_rows, test_rows, stage, stage, options, hub, cancel);
        } else {
          train_rows.resize(data.rows());
          std::iota(train_rows.begin(), train_rows.end(), std::size_t{0});
          results[s] = run_stage(data, groups, track_ids, train_rows, test_rows, kFinalFold, stage, options, hub, cancel);
        }
      },
      cancel);
  if (cancel) cancel->check();

  const std::size_t n_classes = data.label_names.size();
  std::vector<std::int64_t> confusion(n_classes * n_classes, 0);
  for (int f = 0; f < options.folds; ++f) {
    auto& stage = *results[static_cast<std::size_t>(f)];
    std::size_t i = 0;
    for (std::size_t r = 0; r < data.rows(); ++r) {
      if (rep.fold_of_row[r] != f) continue;
      ++confusion[static_cast<std::size_t>(data.labels[r]) * n_classes + static_cast<std::size_t>(stage.predicted[i++])];
    }
    rep.folds.push_back(std::move(stage.report));
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
  const auto cm = stats::ConfusionMatrix::from_counts(confusion, n_classes);
  const auto scores = stats::compute_scores(cm);
  rep.confusion = cm.counts();
  stats::score_columns(scores, rep.precision, rep.recall, rep.f1, rep.support);
  rep.macro_f1 = scores.macro_f1;

  if (options.final_model) {
    auto& stage = *results.back();
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
  return json{{"model", o.model},
              {"training", o.training},
              {"cross_validation",
               {{"folds", o.folds},
                {"features", to_string(o.features)},
                {"filter", {{"threshold", o.filter.threshold}, {"scope", stats::to_string(o.filter.scope)}}},
                {"group_duplicates", o.group_duplicates},
                {"protocol", to_string(o.protocol)},
                {"stratified", true},
                {"preprocessing_fitted_on", "training rows of each fold"}}},
              {"search", o.search.empty() ? json(nullptr) : json{{"inner_folds", o.search_folds}, {"candidates", [&] {
                 json c = json::array();
                 for (const auto& s : o.search) c.push_back({{"name", s.name}, {"model", s.model}, {"training", s.training}});
                 return c;
               }()}}},
              {"rows", r.rows},
              {"groups", r.groups},
              {"labels", r.label_names},
              {"folds", folds},
              {"mean_accuracy", r.mean_accuracy},
              {"std_accuracy", r.std_accuracy},
              {"std_accuracy_ddof", 0},
              {"protocol", to_string(o.protocol)},
              {"tracks", r.tracks},
              {"track_level",
               {{"mean_probability", {{"mean_accuracy", r.mean_track_accuracy_mean}, {"std_accuracy", r.std_track_accuracy_mean}}},
                {"majority_vote", {{"mean_accuracy", r.mean_track_accuracy_vote}, {"std_accuracy", r.std_track_accuracy_vote}}}}},
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
  b.training = report.final_model && report.final_model->chosen_training ? *report.final_model->chosen_training : o.training;
  b.feature_set = std::string(to_string(o.features));
  b.filter = {{"threshold", o.filter.threshold}, {"scope", stats::to_string(o.filter.scope)}};
  b.input_features = model->input_features();
  b.dropped_features = report.final_model ? report.final_model->dropped_features : std::vector<std::string>{};
  b.scaler_mean = model->scaler_mean();
  b.scaler_scale = model->scaler_scale();
  b.label_names = model->label_names();
  b.report = to_json(report);
  b.row_length = report.row_length;
  b.weights = model->network().weights();
  return b;
}

}  // namespace genrelab::ml
