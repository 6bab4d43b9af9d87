// What the genrelab-cli commands that train models share: the presets' help text, the default
// thread counts, the OpenMP wait policy and the per-genre scores table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace genrelab::cli {

/// One line per model preset (--preset, --models): name, description and which data chose its defaults.
std::string preset_help();

/// Compute threads of a training when --threads is not given (0): up to 2, as the cores allow.
int threads_or_default(int threads);

/// OMP_WAIT_POLICY as the run sees it, for the lines that report threads.
const char* omp_wait_policy();

/// Precision, recall, F1 and support per genre, then the confusion matrix, on stdout.
void print_scores(const std::vector<std::string>& labels, const std::vector<std::int64_t>& confusion,
                  const std::vector<double>& precision, const std::vector<double>& recall,
                  const std::vector<double>& f1, const std::vector<std::int64_t>& support);

}  // namespace genrelab::cli
