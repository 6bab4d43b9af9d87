#include "common.h"

#include <sys/resource.h>

#include <cstdio>
#include <iostream>
#include <stdexcept>

#include "dataset/default_location.h"
#include "features/table_extraction.h"
#include "terminal_progress.h"
#include "util/error.h"
#include "util/progress.h"

namespace genrelab::cli {

CancelToken& interrupt_token() {
  static CancelToken token;
  return token;
}

void print_json(const nlohmann::json& j) {
  std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

int error_exit(const std::string& message, bool as_json) {
  if (as_json) print_json({{"error", message}});
  else std::cerr << "error: " << message << "\n";
  return 1;
}

nlohmann::json failures_json(const std::vector<features::ExtractFailure>& failures) {
  auto list = nlohmann::json::array();
  for (const auto& f : failures) list.push_back({{"file", f.path.string()}, {"reason", f.reason}});
  return list;
}

void print_failures(const std::vector<features::ExtractFailure>& failures) {
  if (!failures.empty()) std::printf("%zu file(s) failed:\n", failures.size());
  for (const auto& f : failures) std::printf("  %s: %s\n", f.path.c_str(), f.reason.c_str());
}

StepReports& StepReports::cancelled(std::string line) {
  cancelled_ = std::move(line);
  return *this;
}

StepReports& StepReports::cancelled_as_error() {
  cancelled_.reset();
  return *this;
}

StepReports& StepReports::error_prefix(std::string prefix) {
  error_prefix_ = std::move(prefix);
  return *this;
}

StepReports& StepReports::quiet(bool quiet) {
  quiet_ = quiet;
  return *this;
}

std::optional<int> run_with_progress(const std::string& label, bool as_json,
                                     const std::function<void(ProgressSink&)>& work, const StepReports& reports) {
  TerminalProgress progress(label, reports.quiet_.value_or(as_json));
  try {
    work(progress);
  } catch (const Cancelled& e) {
    progress.finish();
    if (!reports.cancelled_) return error_exit(e.what(), as_json);
    if (!reports.cancelled_->empty()) std::cerr << *reports.cancelled_ << "\n";
    return 130;
  } catch (const std::invalid_argument& e) {
    progress.finish();
    return error_exit(reports.error_prefix_ + e.what(), as_json);
  } catch (const std::exception& e) {  // FileError names its file
    progress.finish();
    return error_exit(e.what(), as_json);
  }
  progress.finish();
  return std::nullopt;
}

std::optional<int> run_guarded(bool as_json, const std::function<void()>& work, const StepReports& reports) {
  return run_with_progress(
      "", as_json, [&](ProgressSink&) { work(); }, StepReports(reports).quiet(true));
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

std::filesystem::path default_table() {
  const auto dir = dataset::default_dataset_dir();
  return dir ? *dir / "features_30_sec.csv" : std::filesystem::path();
}

}  // namespace genrelab::cli
