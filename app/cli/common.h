// What every genrelab-cli command shares: the Ctrl-C token, JSON results and errors, and running
// a step of work with a progress bar, cancellation and error reports. Called from the main thread;
// only interrupt_token() is also used by the SIGINT handler (an atomic store).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/progress_fwd.h"

namespace genrelab::features {
struct ExtractFailure;
}

namespace genrelab::cli {

/// Set by the SIGINT handler; long commands stop at the next unit of work.
CancelToken& interrupt_token();

/// Prints `j` on stdout, indented by 2; invalid UTF-8 in strings (file names may hold any bytes)
/// is replaced rather than aborting after the work is done.
void print_json(const nlohmann::json& j);
/// Reports an error, as {"error": message} on stdout with --json, else "error: message" on
/// stderr, and returns the exit code 1.
int error_exit(const std::string& message, bool as_json);

/// Files that could not be read, as JSON ([{"file", "reason"}]) and as the lines printed under a
/// command's summary ("N file(s) failed:" and one indented line each; nothing when none failed).
nlohmann::json failures_json(const std::vector<features::ExtractFailure>& failures);
void print_failures(const std::vector<features::ExtractFailure>& failures);

/// How run_with_progress() and run_guarded() report a step that stops early: the defaults, changed
/// by chained setters, e.g. StepReports().cancelled("cancelled: nothing was written").error_prefix(folder + ": ").
class StepReports {
 public:
  /// The line printed on stderr when Ctrl-C cancels the step, which then exits with 130; "" exits
  /// with 130 silently. Default: "cancelled".
  StepReports& cancelled(std::string line);
  /// Ctrl-C is reported as the error "cancelled" (exit 1), like any other error.
  StepReports& cancelled_as_error();
  /// Put before the message of a std::invalid_argument (the core's errors do not name the input;
  /// a FileError names its file and gets no prefix).
  StepReports& error_prefix(std::string prefix);
  /// Hides (true) or shows (false) the progress bar; by default --json hides it.
  StepReports& quiet(bool quiet);

 private:
  friend std::optional<int> run_with_progress(const std::string&, bool, const std::function<void(ProgressSink&)>&,
                                              const StepReports&);
  std::optional<std::string> cancelled_ = "cancelled";  // nullopt: an error
  std::string error_prefix_;
  std::optional<bool> quiet_;  // nullopt: as --json
};

/// Runs `work` with a TerminalProgress labelled `label` (on stderr) and ends the bar's line
/// whatever happens. Returns std::nullopt when the work finished, else the exit code after
/// reporting why it stopped: 130 on Ctrl-C (Cancelled), 1 after error_exit() for any other
/// std::exception. For example:
///   if (auto code = run_with_progress("extract", args.json, [&](ProgressSink& p) { ... },
///                                     StepReports().cancelled("cancelled: nothing was written")))
///     return *code;
std::optional<int> run_with_progress(const std::string& label, bool as_json,
                                     const std::function<void(ProgressSink&)>& work,
                                     const StepReports& reports = StepReports());
/// The same for a step that reports no progress.
std::optional<int> run_guarded(bool as_json, const std::function<void()>& work,
                               const StepReports& reports = StepReports());

/// Seconds of wall-clock time since `t0`.
double seconds_since(std::chrono::steady_clock::time_point t0);
/// The peak resident set size of this process so far, in KiB (getrusage).
long peak_rss_kib();

/// features_30_sec.csv of the default dataset (dataset::default_dataset_dir()), or an empty path
/// when there is none.
std::filesystem::path default_table();

}  // namespace genrelab::cli
