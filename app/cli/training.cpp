#include "training.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "ml/model_presets.h"
#include "util/parallel.h"

namespace genrelab::cli {

std::string preset_help() {
  std::string text;
  for (const auto& p : ml::model_presets())
    text += "\n  " + p.name + ": " + p.description + " [defaults: " + p.defaults_from + "]";
  return text;
}

int threads_or_default(int threads) { return threads > 0 ? threads : static_cast<int>(std::min(hardware_jobs(), 2u)); }

const char* omp_wait_policy() {
  const char* p = std::getenv("OMP_WAIT_POLICY");
  return p && *p ? p : "unset (OpenMP default: active)";
}

void print_scores(const std::vector<std::string>& labels, const std::vector<std::int64_t>& confusion,
                  const std::vector<double>& precision, const std::vector<double>& recall,
                  const std::vector<double>& f1, const std::vector<std::int64_t>& support) {
  std::printf("\n%-12s %9s %9s %9s %8s\n", "genre", "precision", "recall", "f1", "support");
  for (std::size_t g = 0; g < labels.size(); ++g)
    std::printf("%-12s %9.3f %9.3f %9.3f %8lld\n", labels[g].c_str(), precision[g], recall[g], f1[g],
                static_cast<long long>(support[g]));
  std::printf("\nconfusion (rows: true genre, columns: predicted)\n%-12s", "");
  for (const auto& l : labels) std::printf(" %5.5s", l.c_str());
  std::printf("\n");
  const std::size_t n = labels.size();
  for (std::size_t t = 0; t < n; ++t) {
    std::printf("%-12s", labels[t].c_str());
    for (std::size_t p = 0; p < n; ++p) std::printf(" %5lld", static_cast<long long>(confusion[t * n + p]));
    std::printf("\n");
  }
}

}  // namespace genrelab::cli
