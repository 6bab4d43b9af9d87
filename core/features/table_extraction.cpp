#include "features/table_extraction.h"

#include <algorithm>
#include <numeric>
#include <optional>

#include <nlohmann/json.hpp>

#include "audio/decode.h"
#include "features/feature_extractor.h"
#include "util/atomic_file.h"
#include "util/error.h"
#include "util/parallel.h"
#include "util/progress.h"

namespace genrelab::features {
namespace {

struct FileRows {
  std::vector<std::string> filenames;
  std::vector<std::int64_t> lengths;
  std::vector<std::vector<double>> values;
  double seconds = 0.0;
  std::optional<std::string> error;
};

std::string segment_filename(const std::filesystem::path& path, std::size_t index) {
  return path.stem().string() + "." + std::to_string(index) + path.extension().string();
}

FileRows extract_file(const FeatureExtractor& extractor, const LabeledFile& file, TableKind kind, const CancelToken* cancel) {
  FileRows rows;
  try {
    const auto y = audio::load_mono(file.path, extractor.params().sample_rate);
    rows.seconds = static_cast<double>(y.size()) / extractor.params().sample_rate;
    const auto min_len = static_cast<std::size_t>(extractor.params().n_fft / 2 + 1);
    if (kind == TableKind::Clips) {
      if (y.size() < min_len) throw FileError(file.path, "too short: " + std::to_string(y.size()) + " samples");
      rows.filenames.push_back(file.path.filename().string());
      rows.lengths.push_back(static_cast<std::int64_t>(y.size()));
      rows.values.push_back(extractor.compute(y));
    } else {
      const auto segments = extractor.segments(static_cast<std::int64_t>(y.size()));
      if (segments.empty())
        throw FileError(file.path, "too short for one segment (" + std::to_string(y.size()) + " samples, need more than " +
                                       std::to_string(extractor.params().segment_stride) + ")");
      for (std::size_t i = 0; i < segments.size(); ++i) {
        if (cancel) cancel->check();
        const auto& seg = segments[i];
        const std::span<const float> part(y.data() + seg.start, static_cast<std::size_t>(seg.length));
        rows.filenames.push_back(segment_filename(file.path, i));
        rows.lengths.push_back(seg.length);
        rows.values.push_back(extractor.compute(part));
      }
    }
  } catch (const FileError& e) {
    rows = FileRows{};
    rows.error = e.reason();
  } catch (const std::bad_alloc&) {
    rows = FileRows{};
    rows.error = "out of memory";
  } catch (const std::invalid_argument& e) {
    rows = FileRows{};
    rows.error = e.what();
  }
  return rows;
}

}  // namespace

ExtractResult extract_table(const std::vector<LabeledFile>& files, const ExtractOptions& options, ProgressSink* progress,
                            const CancelToken* cancel) {
  const auto extractor = FeatureExtractor::create(options.params);
  std::vector<FileRows> per_file(files.size());
  NullProgress null_sink;
  ProgressCounter counter(progress ? *progress : static_cast<ProgressSink&>(null_sink), files.size());
  parallel_for(
      files.size(), options.jobs,
      [&](std::size_t i) {
        per_file[i] = extract_file(extractor, files[i], options.kind, cancel);
        counter.step(files[i].path.filename().string());
      },
      cancel);
  if (cancel) cancel->check();

  ExtractResult result;
  result.table.feature_names = extractor.feature_names();
  std::vector<std::size_t> order(files.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(files[a].label, files[a].path) < std::tie(files[b].label, files[b].path);
  });
  for (const std::size_t i : order) {
    const auto& rows = per_file[i];
    result.audio_seconds += rows.seconds;
    for (std::size_t r = 0; r < rows.filenames.size(); ++r)
      result.table.append(rows.filenames[r], rows.lengths[r], rows.values[r], files[i].label);
  }
  for (std::size_t i = 0; i < files.size(); ++i)
    if (per_file[i].error) result.failures.push_back({files[i].path, *per_file[i].error});
  return result;
}

std::filesystem::path sidecar_path(const std::filesystem::path& table) {
  auto p = table;
  p += ".json";
  return p;
}

void write_sidecar(const std::filesystem::path& table, const ExtractOptions& options, const ExtractResult& result) {
  nlohmann::json j;
  j["generator"] = std::string("GenreLab ") + GENRELAB_VERSION;
  j["recipe"] = "librosa 0.7.2 defaults (Kaggle GTZAN features); tempo = librosa beat_track estimator (onset "
                "strength with median aggregation, tempogram autocorrelation, log-normal prior at 120 BPM)";
  j["table"] = options.kind == TableKind::Clips ? "clips (one row per file)" : "segments (3-second rows)";
  j["parameters"] = options.params;
  j["rows"] = result.table.rows();
  j["audio_seconds"] = result.audio_seconds;
  j["columns"] = result.table.feature_names;
  auto& failures = j["failures"] = nlohmann::json::array();
  for (const auto& f : result.failures) failures.push_back({{"file", f.path.string()}, {"reason", f.reason}});
  write_text_atomically(sidecar_path(table), j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

}  // namespace genrelab::features
