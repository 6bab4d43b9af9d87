#include "dataset/dataset_scan.h"

#include <algorithm>
#include <mutex>

#include "dataset/feature_table.h"
#include "util/error.h"
#include "util/parallel.h"
#include "util/progress.h"

namespace genrelab::dataset {
namespace {

namespace fs = std::filesystem;

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

std::optional<TableFile> find_table(const fs::path& dir, std::string_view prefix) {
  std::error_code ec;
  std::vector<fs::path> candidates;
  fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  for (const fs::directory_iterator end; !ec && it != end; it.increment(ec)) {
    const auto& entry = *it;
    const auto name = entry.path().filename().string();
    if (entry.is_regular_file(ec) && starts_with(name, prefix) && entry.path().extension() == ".csv")
      candidates.push_back(entry.path());
  }
  if (candidates.empty()) return std::nullopt;
  std::sort(candidates.begin(), candidates.end());  // the plain name sorts before its variants
  TableFile table{candidates.front(), 0, {}};
  try {
    table.rows = count_table_rows(table.path);
  } catch (const FileError& e) {
    table.error = e.reason();
  }
  return table;
}

}  // namespace

std::map<std::string, std::size_t> DatasetScan::tracks_per_label() const {
  std::map<std::string, std::size_t> counts;
  for (const auto& t : tracks) ++counts[t.label];
  return counts;
}

std::optional<fs::path> DatasetScan::image_for(const Track& track) const {
  if (!images_dir) return std::nullopt;
  std::string name = track.track_id;
  name.erase(std::remove(name.begin(), name.end(), '.'), name.end());
  const auto png = *images_dir / track.label / (name + ".png");
  std::error_code ec;
  if (fs::is_regular_file(png, ec)) return png;
  return std::nullopt;
}

std::string folder_label(const fs::path& folder) {
  auto path = fs::absolute(folder).lexically_normal();
  if (!path.has_filename()) path = path.parent_path();
  return path.filename().string();
}

DatasetScan scan_dataset(const fs::path& root_in, const ScanOptions& options, ProgressSink* progress,
                         const CancelToken* cancel) {
  std::error_code ec;
  if (!fs::exists(root_in, ec)) throw FileError(root_in, "folder does not exist");
  if (!fs::is_directory(root_in, ec)) throw FileError(root_in, "not a folder");
  DatasetScan scan;
  scan.root = root_in;
  // The Kaggle archive unpacks to Data/genres_original/…: accept its parent too.
  if (!fs::is_directory(root_in / "genres_original", ec) && fs::is_directory(root_in / "Data" / "genres_original", ec))
    scan.root = root_in / "Data";
  const fs::path& root = scan.root;
  scan.kaggle_layout = fs::is_directory(root / "genres_original", ec);
  if (fs::is_directory(root / "images_original", ec)) scan.images_dir = root / "images_original";
  scan.table_30s = find_table(root, "features_30_sec");
  scan.table_3s = find_table(root, "features_3_sec");

  // Collect candidate audio files. Label = first folder below root (below genres_original/ in
  // the Kaggle layout). Symlinked folders are not followed, so link loops cannot trap the walk.
  struct Candidate {
    fs::path path;
    std::string label;
  };
  std::vector<Candidate> candidates;
  auto scan_entry = [&](const fs::directory_entry& entry, std::vector<fs::path>& folders) {
    std::error_code entry_ec;
    const fs::path& p = entry.path();
    const auto rel = p.lexically_relative(root);
    const auto first = rel.begin()->string();
    const bool top = std::next(rel.begin()) == rel.end();
    const auto status = entry.symlink_status(entry_ec);
    if (entry_ec) {  // e.g. a path beyond PATH_MAX: say so rather than pass over it
      if (!starts_with(p.filename().string(), ".")) scan.skipped.push_back({p, "cannot access: " + entry_ec.message()});
      return;
    }
    if (status.type() == fs::file_type::directory) {
      if (!(top && (first == "images_original" || starts_with(first, ".")))) folders.push_back(p);
      return;
    }
    if (starts_with(p.filename().string(), ".") || !audio::has_audio_extension(p)) return;
    if (entry.is_directory(entry_ec)) return;  // a link to a folder: not followed
    auto part = rel.begin();
    if (scan.kaggle_layout && first == "genres_original") ++part;
    std::string label;
    if (std::next(part) != rel.end()) label = part->string();
    else if (part == rel.begin()) label = options.loose_files_label;
    if (label.empty()) {
      scan.skipped.push_back({p, "not inside a label folder (expected <label>/<file>)"});
      return;
    }
    candidates.push_back({p, label});
  };
  // The walk is by hand, one folder at a time: std::filesystem's recursive iterator ends the
  // whole walk at the first folder it cannot open (a path too long, a folder removed meanwhile).
  // Links to folders are not followed, so link loops cannot trap it.
  std::vector<fs::path> folders{root};
  std::vector<fs::directory_entry> entries;
  while (!folders.empty()) {
    if (cancel) cancel->check();
    const fs::path folder = std::move(folders.back());
    folders.pop_back();
    entries.clear();
    // No skip_permission_denied: a folder we may not read is listed as skipped, with the reason.
    fs::directory_iterator dir_it(folder, ec);
    if (ec) {
      if (folder == root) throw FileError(root, "cannot list folder: " + ec.message());
      scan.skipped.push_back({folder, "cannot list folder: " + ec.message()});
      ec.clear();
      continue;
    }
    for (const fs::directory_iterator end_it; dir_it != end_it; dir_it.increment(ec)) entries.push_back(*dir_it);
    if (ec) {
      scan.skipped.push_back({folder, "cannot list folder completely: " + ec.message()});
      ec.clear();
    }
    for (const auto& e : entries) scan_entry(e, folders);
  }
  if (cancel) cancel->check();

  std::vector<std::optional<Track>> probed(candidates.size());
  std::vector<std::string> errors(candidates.size());
  NullProgress null_sink;
  ProgressCounter counter(progress ? *progress : static_cast<ProgressSink&>(null_sink), candidates.size());
  parallel_for(
      candidates.size(), options.jobs,
      [&](std::size_t i) {
        const auto& c = candidates[i];
        Track t{c.path, c.label, c.path.stem().string(), {}};
        try {
          if (options.probe_audio) t.info = audio::probe(c.path);
          probed[i] = std::move(t);
        } catch (const FileError& e) {
          errors[i] = e.reason();
        }
        counter.step("Scanning " + c.path.filename().string());
      },
      cancel);
  if (cancel) cancel->check();

  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (probed[i]) scan.tracks.push_back(std::move(*probed[i]));
    else scan.skipped.push_back({candidates[i].path, errors[i]});
  }
  std::sort(scan.tracks.begin(), scan.tracks.end(),
            [](const Track& a, const Track& b) { return std::tie(a.label, a.path) < std::tie(b.label, b.path); });
  std::sort(scan.skipped.begin(), scan.skipped.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  for (const auto& t : scan.tracks)
    if (scan.labels.empty() || scan.labels.back() != t.label) scan.labels.push_back(t.label);
  return scan;
}

}  // namespace genrelab::dataset
