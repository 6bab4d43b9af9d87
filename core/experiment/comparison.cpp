#include "experiment/comparison.h"

#include "features/log_mel_cache.h"
#include "ml/model_presets.h"
#include "util/error.h"
#include "util/progress.h"

namespace genrelab::experiment {

Comparison run_comparison(const dataset::FeatureTable& table, const ComparisonSpec& spec, ProgressSink* progress,
                          const CancelToken* cancel, ml::TrainingObserver* observer) {
  NullProgress none;
  ProgressSink& out = progress ? *progress : none;
  const std::size_t table_count =
      spec.table_models ? (spec.table.models.empty() ? ml::model_preset_names().size() : spec.table.models.size()) : 0;
  const std::size_t count = table_count + (spec.cnn2d ? 1 : 0);
  const double table_end = count ? static_cast<double>(table_count) / static_cast<double>(count) : 1.0;
  Comparison c;
  if (spec.table_models) {
    StageProgress sink(out, 0.0, table_end);
    c.board = ml::compare_models(table, spec.table, &sink, cancel);
  }
  if (!spec.cnn2d) return c;
  AudioExperiment experiment = spec.cnn2d->experiment;
  const ml::TrainerOptions described = spec.table.protocol_options();
  experiment.protocol.split = described.split;
  experiment.protocol.rotate = described.rotate;
  experiment.protocol.groups = described.groups;
  if (spec.table_models && !described.split) experiment.table_folds = TableFolds{&table, c.board.fold_of_row};
  experiment.final_model = false;
  try {
    features::LogMelCache cache;
    StageProgress sink(out, table_end, 1.0, "cnn2d (" + std::to_string(count) + "/" + std::to_string(count) + "): ");
    AudioOutcome run = run_audio_experiment(spec.cnn2d->files, cache, experiment, &sink, cancel, observer);
    ml::LeaderboardRow row = ml::audio_cnn_row(run.report, run.options);
    row.seconds += run.mel_seconds;  // the log-mels were computed before the folds
    ml::insert_row(c.board, std::move(row));
    if (!spec.table_models) c.board.tracks = c.board.groups = run.report.tracks;
    c.cnn2d = std::move(run);
  } catch (const Cancelled&) {
    throw;
  } catch (const std::exception& e) {
    c.cnn2d_error = e.what();
  }
  return c;
}

}  // namespace genrelab::experiment
