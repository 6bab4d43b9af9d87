#include "features/table_extraction.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <numeric>
#include <optional>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "audio/decode.h"
#include "dataset/feature_store.h"
#include "features/feature_extractor.h"
#include "features/log_mel.h"
#include "util/atomic_file.h"
#include "util/content_hash.h"
#include "util/error.h"
#include "util/parallel.h"
#include "util/progress.h"

namespace genrelab::features {
namespace {

namespace fs = std::filesystem;

/// Bump when a change of the extraction code changes its numbers: every stored row becomes stale.
constexpr int kRecipeVersion = 1;

struct FileRows {
  std::vector<std::string> filenames;
  std::vector<std::int64_t> lengths;
  std::vector<std::vector<double>> values;
  double seconds = 0.0;
  std::optional<std::string> error;
  bool transient = false;  ///< the error says nothing about the file (out of memory): never stored
  std::optional<dataset::StoredLogMel> log_mel;
};

std::string segment_filename(const fs::path& path, std::size_t index) {
  return path.stem().string() + "." + std::to_string(index) + path.extension().string();
}

FileRows extract_file(const FeatureExtractor& extractor, const LabeledFile& file, TableKind kind, bool with_log_mel,
                      const CancelToken* cancel) {
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
        throw FileError(file.path, "too short for one segment (" + std::to_string(y.size()) +
                                       " samples, need more than " + std::to_string(extractor.params().segment_stride) +
                                       ")");
      for (std::size_t i = 0; i < segments.size(); ++i) {
        if (cancel) cancel->check();
        const auto& seg = segments[i];
        const std::span<const float> part(y.data() + seg.start, static_cast<std::size_t>(seg.length));
        rows.filenames.push_back(segment_filename(file.path, i));
        rows.lengths.push_back(seg.length);
        rows.values.push_back(extractor.compute(part));
      }
    }
    if (with_log_mel) {
      const auto mel = log_mel_spectrogram(y, extractor.params());
      rows.log_mel = dataset::StoredLogMel{mel.db.n_bins, mel.db.n_frames, mel.db.data};
    }
  } catch (const FileError& e) {
    rows = FileRows{};
    rows.error = e.reason();
  } catch (const std::bad_alloc&) {
    rows = FileRows{};
    rows.error = "out of memory";
    rows.transient = true;
  } catch (const std::invalid_argument& e) {
    rows = FileRows{};
    rows.error = e.what();
  }
  return rows;
}

FileRows from_store(const dataset::StoredFile& stored) {
  FileRows rows;
  rows.seconds = stored.seconds;
  if (!stored.error.empty()) rows.error = stored.error;
  for (const auto& r : stored.rows) {
    rows.filenames.push_back(r.filename);
    rows.lengths.push_back(r.length);
    rows.values.push_back(r.features);
  }
  return rows;
}

dataset::StoredFile to_store(const FileRows& rows, std::string key, const char* kind, const std::string& params_hash,
                             const dataset::FileStamp& stamp, std::uint64_t content_hash) {
  dataset::StoredFile f;
  f.path = std::move(key);
  f.kind = kind;
  f.params_hash = params_hash;
  f.stamp = stamp;
  f.content_hash = content_hash;
  f.seconds = rows.seconds;
  if (rows.error) f.error = *rows.error;
  for (std::size_t r = 0; r < rows.filenames.size(); ++r)
    f.rows.push_back({rows.filenames[r], rows.lengths[r], rows.values[r]});
  f.log_mel = rows.log_mel;
  return f;
}

/// Rows of the given files in (label, path) order, stable over the input order. Consumes
/// `per_file` entry by entry, so the rows are never held twice in full.
ExtractResult assemble(const std::vector<LabeledFile>& files, const std::vector<std::size_t>& chosen,
                       std::vector<FileRows>& per_file, std::vector<std::string> feature_names) {
  ExtractResult result;
  result.table.feature_names = std::move(feature_names);
  result.files = chosen.size();
  for (const std::size_t i : chosen)
    if (per_file[i].error) result.failures.push_back({files[i].path, *per_file[i].error});
  std::vector<std::size_t> order = chosen;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(files[a].label, files[a].path) < std::tie(files[b].label, files[b].path);
  });
  std::size_t total_rows = 0;
  for (const std::size_t i : order) total_rows += per_file[i].filenames.size();
  auto& t = result.table;
  t.filenames.reserve(total_rows);
  t.lengths.reserve(total_rows);
  t.labels.reserve(total_rows);
  t.values.reserve(total_rows * t.cols());
  for (const std::size_t i : order) {
    auto& rows = per_file[i];
    result.audio_seconds += rows.seconds;
    for (std::size_t r = 0; r < rows.filenames.size(); ++r)
      t.append(std::move(rows.filenames[r]), rows.lengths[r], rows.values[r], files[i].label);
    rows = FileRows{};
  }
  return result;
}

ExtractResult extract_with_store(const FeatureExtractor& extractor, const std::vector<LabeledFile>& files,
                                 const std::vector<std::size_t>& chosen, const ExtractOptions& options,
                                 ProgressSink* progress, const CancelToken* cancel) {
  auto store = dataset::FeatureStore::open(options.store);
  const char* kind = kind_name(options.kind);
  const std::string phash = params_hash(options.params);
  std::vector<std::string> keys(files.size());
  {
    dataset::RunManifest run{
        kind, nlohmann::json(options.params).dump(), phash, options.shard.k, options.shard.n, false, {}};
    run.files.reserve(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
      keys[i] = dataset::store_key(files[i].path);
      run.files.emplace_back(keys[i], files[i].label);
    }
    store.set_run(run);
  }

  // Each distinct path is looked at once; duplicates in the list copy its rows at the end.
  std::vector<FileRows> per_file(files.size());
  std::unordered_map<std::string, std::size_t> first_of;
  std::vector<std::size_t> unique;
  for (const std::size_t i : chosen)
    if (first_of.emplace(keys[i], i).second) unique.push_back(i);

  struct Job {
    std::size_t index;
    bool rehash;                ///< same size and parameters, other time: compare content hashes first
    std::uint64_t stored_hash;  ///< the stored content hash when rehash
  };
  std::vector<Job> jobs;
  ExtractResult counts;
  for (const std::size_t i : unique) {
    if (cancel) cancel->check();
    const auto stamp = dataset::file_stamp(files[i].path);
    auto stored = stamp ? store.find(keys[i], kind) : std::nullopt;
    const bool usable = stored && stored->params_hash == phash &&
                        (!options.cache_log_mel || !stored->error.empty() || store.has_log_mel(keys[i], kind));
    if (usable && stored->stamp == *stamp) {
      per_file[i] = from_store(*stored);
      ++counts.reused;
    } else if (usable && stored->stamp.size == stamp->size) {
      jobs.push_back({i, true, stored->content_hash});
    } else {
      jobs.push_back({i, false, 0});
    }
  }

  NullProgress null_sink;
  ProgressCounter counter(progress ? *progress : static_cast<ProgressSink&>(null_sink), unique.size(), counts.reused);
  if (counts.reused > 0) counter.report("reused " + std::to_string(counts.reused) + " file(s) from the store");
  std::atomic<std::size_t> rehashed{0};
  parallel_for(
      jobs.size(), options.jobs,
      [&](std::size_t j) {
        const auto& job = jobs[j];
        const std::size_t i = job.index;
        const auto stamp = dataset::file_stamp(files[i].path);
        std::optional<std::uint64_t> hash;
        try {
          if (stamp) hash = content_hash_file(files[i].path);
        } catch (const FileError&) {
          // unreadable: extraction reports why
        }
        std::optional<dataset::StoredFile> same;
        if (job.rehash && hash && *hash == job.stored_hash && stamp) same = store.find(keys[i], kind);
        if (same) {
          // Touched, not changed: keep the rows, remember the new time.
          store.restamp(keys[i], kind, *stamp);
          per_file[i] = from_store(*same);
          ++rehashed;
        } else {
          per_file[i] = extract_file(extractor, files[i], options.kind, options.cache_log_mel, cancel);
          if (stamp && hash && !per_file[i].transient)
            store.put(to_store(per_file[i], keys[i], kind, phash, *stamp, *hash));
          per_file[i].log_mel.reset();
        }
        counter.step(files[i].path.filename().string());
      },
      cancel);
  if (cancel) cancel->check();
  store.mark_run_complete();

  for (const std::size_t i : chosen)
    if (const std::size_t first = first_of.at(keys[i]); first != i) per_file[i] = per_file[first];
  auto result = assemble(files, chosen, per_file, extractor.feature_names());
  result.rehashed = rehashed.load();
  result.reused = counts.reused + result.rehashed;
  result.computed = jobs.size() - result.rehashed;
  return result;
}

}  // namespace

const char* kind_name(TableKind kind) noexcept { return kind == TableKind::Clips ? "clips" : "segments"; }

std::string params_hash(const ExtractionParams& params) {
  const std::string text = nlohmann::json(params).dump() + "|recipe " + std::to_string(kRecipeVersion);
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(content_hash(text)));
  return hex;
}

ExtractResult extract_table(const std::vector<LabeledFile>& files, const ExtractOptions& options,
                            ProgressSink* progress, const CancelToken* cancel) {
  const auto extractor = FeatureExtractor::create(options.params);
  std::vector<std::size_t> chosen(files.size());
  std::iota(chosen.begin(), chosen.end(), 0);
  if (!options.shard.whole()) {
    std::vector<std::int64_t> sizes(files.size());
    std::vector<std::string> keys(files.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
      const auto stamp = dataset::file_stamp(files[i].path);
      sizes[i] = stamp ? stamp->size : 0;
      keys[i] = files[i].label + '\0' + files[i].path.string();
    }
    chosen = shard_indices(sizes, keys, options.shard);
  }
  if (!options.store.empty()) return extract_with_store(extractor, files, chosen, options, progress, cancel);

  std::vector<FileRows> per_file(files.size());
  NullProgress null_sink;
  ProgressCounter counter(progress ? *progress : static_cast<ProgressSink&>(null_sink), chosen.size());
  parallel_for(
      chosen.size(), options.jobs,
      [&](std::size_t j) {
        const std::size_t i = chosen[j];
        per_file[i] = extract_file(extractor, files[i], options.kind, false, cancel);
        counter.step(files[i].path.filename().string());
      },
      cancel);
  if (cancel) cancel->check();
  auto result = assemble(files, chosen, per_file, extractor.feature_names());
  result.computed = chosen.size();
  return result;
}

ExtractResult merge_shards(const std::vector<fs::path>& stores, ExtractOptions& options) {
  if (stores.empty()) throw std::invalid_argument("no shard stores to merge");
  std::vector<dataset::FeatureStore> opened;
  std::optional<dataset::RunManifest> first;
  std::map<int, fs::path> shard_of;
  for (const auto& path : stores) {
    auto store = dataset::FeatureStore::open_existing(path);
    auto run = store.run();
    if (!run) throw FileError(path, "feature store holds no extraction run to merge");
    if (!run->complete)
      throw FileError(path, "shard " + std::to_string(run->shard_k) + "/" + std::to_string(run->shard_n) +
                                " did not finish (rerun its extract: it resumes)");
    if (!first) {
      first = run;
    } else if (run->shard_n != first->shard_n || run->kind != first->kind || run->params_hash != first->params_hash ||
               run->list_hash() != first->list_hash()) {
      throw FileError(path, "not a shard of the same run as " + stores.front().string() +
                                " (different file list, table kind, parameters or shard count)");
    }
    if (const auto [it, fresh] = shard_of.emplace(run->shard_k, path); !fresh)
      throw FileError(path,
                      "shard " + std::to_string(run->shard_k) + " given twice (also " + it->second.string() + ")");
    opened.push_back(std::move(store));
  }
  for (int k = 1; k <= first->shard_n; ++k)
    if (!shard_of.count(k))
      throw FileError(stores.front(),
                      "shard " + std::to_string(k) + "/" + std::to_string(first->shard_n) + " is missing");

  options.kind = first->kind == "clips" ? TableKind::Clips : TableKind::Segments;
  options.params = nlohmann::json::parse(first->params_json).get<ExtractionParams>();
  options.shard = {};
  std::vector<LabeledFile> files;
  files.reserve(first->files.size());
  for (const auto& [path, label] : first->files) files.push_back({path, label});

  std::vector<FileRows> per_file(files.size());
  std::unordered_map<std::string, std::size_t> first_of;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto& key = first->files[i].first;
    if (const auto [it, fresh] = first_of.emplace(key, i); !fresh) {
      per_file[i] = per_file[it->second];
      continue;
    }
    std::optional<dataset::StoredFile> found;
    for (const auto& store : opened)
      if ((found = store.find(key, first->kind)) && found->params_hash == first->params_hash) break;
      else found.reset();
    if (found) per_file[i] = from_store(*found);
    else per_file[i].error = "not in any shard store (missing or unreadable when the shards ran)";
  }
  std::vector<std::size_t> all(files.size());
  std::iota(all.begin(), all.end(), 0);
  auto result = assemble(files, all, per_file, options.params.feature_names());
  result.reused = files.size();
  return result;
}

fs::path sidecar_path(const fs::path& table) {
  auto p = table;
  p += ".json";
  return p;
}

std::optional<ExtractionParams> read_sidecar_params(const fs::path& table) {
  const auto path = sidecar_path(table);
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileError(path, "cannot be read");
  try {
    const auto j = nlohmann::json::parse(in);
    if (!j.is_object() || !j.contains("parameters")) return std::nullopt;
    auto params = j.at("parameters").get<ExtractionParams>();
    params.validate();
    return params;
  } catch (const nlohmann::json::exception& e) {
    throw FileError(path, std::string("not a table sidecar (") + e.what() + ")");
  } catch (const std::invalid_argument& e) {
    throw FileError(path, e.what());
  }
}

void write_sidecar(const fs::path& table, const ExtractOptions& options, const ExtractResult& result) {
  nlohmann::json j;
  j["generator"] = std::string("GenreLab ") + GENRELAB_VERSION;
  j["recipe"] =
      "librosa 0.7.2 defaults (Kaggle GTZAN features); tempo = librosa beat_track estimator (onset "
      "strength with median aggregation, tempogram autocorrelation, log-normal prior at 120 BPM)";
  j["table"] = options.kind == TableKind::Clips ? "clips (one row per file)" : "segments (3-second rows)";
  j["parameters"] = options.params;
  j["rows"] = result.table.rows();
  j["audio_seconds"] = result.audio_seconds;
  j["columns"] = result.table.feature_names;
  if (!options.store.empty()) j["store"] = options.store.string();
  if (!options.shard.whole()) j["shard"] = std::to_string(options.shard.k) + "/" + std::to_string(options.shard.n);
  auto& failures = j["failures"] = nlohmann::json::array();
  for (const auto& f : result.failures) failures.push_back({{"file", f.path.string()}, {"reason", f.reason}});
  write_text_atomically(sidecar_path(table), j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

}  // namespace genrelab::features
