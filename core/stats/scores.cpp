#include "stats/scores.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace genrelab::stats {

ConfusionMatrix::ConfusionMatrix(std::vector<std::int64_t> counts, std::size_t n) : counts_(std::move(counts)), n_(n) {
  for (const auto c : counts_) total_ += c;
}

ConfusionMatrix::ConfusionMatrix(std::span<const int> truth, std::span<const int> predicted, std::size_t n_classes)
    : counts_(n_classes * n_classes, 0), n_(n_classes) {
  if (n_classes == 0) throw std::invalid_argument("confusion matrix: needs at least one class");
  if (truth.size() != predicted.size())
    throw std::invalid_argument("confusion matrix: " + std::to_string(truth.size()) + " true labels but " +
                                std::to_string(predicted.size()) + " predictions");
  if (truth.empty()) throw std::invalid_argument("confusion matrix: no labels");
  const auto check = [&](int label, std::size_t i, const char* what) {
    if (label < 0 || static_cast<std::size_t>(label) >= n_classes)
      throw std::invalid_argument(std::string("confusion matrix: ") + what + " label " + std::to_string(label) +
                                  " at " + std::to_string(i) + " is outside [0, " + std::to_string(n_classes) + ")");
    return static_cast<std::size_t>(label);
  };
  for (std::size_t i = 0; i < truth.size(); ++i)
    ++counts_[check(truth[i], i, "true") * n_ + check(predicted[i], i, "predicted")];
  total_ = static_cast<std::int64_t>(truth.size());
}

ConfusionMatrix ConfusionMatrix::from_counts(std::vector<std::int64_t> counts, std::size_t n_classes) {
  if (n_classes == 0 || counts.size() != n_classes * n_classes)
    throw std::invalid_argument("confusion matrix: need n_classes^2 counts for n_classes >= 1");
  std::int64_t total = 0;
  for (const auto c : counts) {
    if (c < 0) throw std::invalid_argument("confusion matrix: negative count");
    total += c;
  }
  if (total == 0) throw std::invalid_argument("confusion matrix: all counts are 0");
  return ConfusionMatrix(std::move(counts), n_classes);
}

Scores compute_scores(const ConfusionMatrix& cm) {
  const std::size_t n = cm.classes();
  Scores s;
  s.per_class.resize(n);
  std::int64_t correct = 0;
  for (std::size_t k = 0; k < n; ++k) {
    std::int64_t predicted = 0, actual = 0;
    for (std::size_t j = 0; j < n; ++j) {
      predicted += cm.count(j, k);
      actual += cm.count(k, j);
    }
    const auto tp = cm.count(k, k);
    correct += tp;
    auto& c = s.per_class[k];
    c.support = actual;
    c.precision = predicted == 0 ? 0.0 : static_cast<double>(tp) / static_cast<double>(predicted);
    c.recall = actual == 0 ? 0.0 : static_cast<double>(tp) / static_cast<double>(actual);
    c.f1 = c.precision + c.recall == 0.0 ? 0.0 : 2.0 * c.precision * c.recall / (c.precision + c.recall);
    s.macro_precision += c.precision;
    s.macro_recall += c.recall;
    s.macro_f1 += c.f1;
  }
  s.accuracy = static_cast<double>(correct) / static_cast<double>(cm.total());
  s.macro_precision /= static_cast<double>(n);
  s.macro_recall /= static_cast<double>(n);
  s.macro_f1 /= static_cast<double>(n);
  return s;
}

void score_columns(const Scores& scores, std::vector<double>& precision, std::vector<double>& recall,
                   std::vector<double>& f1, std::vector<std::int64_t>& support) {
  precision.clear();
  recall.clear();
  f1.clear();
  support.clear();
  for (const auto& c : scores.per_class) {
    precision.push_back(c.precision);
    recall.push_back(c.recall);
    f1.push_back(c.f1);
    support.push_back(c.support);
  }
}

MeanStd mean_std(std::span<const double> values) {
  if (values.empty()) return {};
  const auto n = static_cast<double>(values.size());
  double sum = 0.0;
  for (double v : values) sum += v;
  MeanStd out;
  out.mean = sum / n;
  double sq = 0.0;
  for (double v : values) sq += (v - out.mean) * (v - out.mean);
  out.std = std::sqrt(sq / n);
  return out;
}

}  // namespace genrelab::stats
