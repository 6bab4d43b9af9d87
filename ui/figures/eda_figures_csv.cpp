// The numbers behind the EDA figures as CSV (DataFigure::writeCsv), for papers and other tools.
#include "ui/figures/eda_figures.h"

#include "ui/plot/csv.h"

namespace genrelab::ui {

void KdeFigure::writeCsv(std::ostream& out) const {
  if (!data_) return;
  const auto& names = data_->data.feature_names;
  write_csv_row(out, {"feature", "x", "genre", "density", "weight"});
  const int first = grid ? 0 : feature, last = grid ? static_cast<int>(data_->analysis.kde.size()) - 1 : feature;
  for (int c = first; c <= last; ++c) {
    const auto& kde = data_->analysis.kde[static_cast<std::size_t>(c)];
    for (std::size_t g = 0; g < kde.genres.size(); ++g)
      for (std::size_t i = 0; i < kde.genres[g].density.size(); ++i)
        write_csv_row(out, {names[static_cast<std::size_t>(c)], csv_num(kde.grid[i]), data_->analysis.genres[g],
                            csv_num(kde.genres[g].density[i]), csv_num(kde.genres[g].weight)});
  }
}

void CorrelationFigure::writeCsv(std::ostream& out) const {
  if (!data_) return;
  const auto& names = data_->data.feature_names;
  const auto& r = data_->analysis.correlation.r;
  out << "feature";
  for (const auto& n : names) out << ',' << csv_cell(n);
  out << '\n';
  for (Eigen::Index i = 0; i < r.rows(); ++i) {
    out << csv_cell(names[static_cast<std::size_t>(i)]);
    for (Eigen::Index j = 0; j < r.cols(); ++j) out << ',' << csv_num(r(i, j));
    out << '\n';
  }
}

void PcaFigure::writeCsv(std::ostream& out) const {
  if (!data_) return;
  const auto& s = data_->analysis.pca.scores();
  out << "filename,label";
  for (Eigen::Index c = 0; c < s.cols(); ++c) out << ",PC" << c + 1;
  out << '\n';
  for (Eigen::Index r = 0; r < s.rows(); ++r) {
    out << csv_cell(data_->filenames[static_cast<std::size_t>(r)]) << ','
        << csv_cell(data_->data.label_names[static_cast<std::size_t>(data_->data.labels[static_cast<std::size_t>(r)])]);
    for (Eigen::Index c = 0; c < s.cols(); ++c) out << ',' << csv_num(s(r, c));
    out << '\n';
  }
}

void SimilarityFigure::writeCsv(std::ostream& out) const {
  if (!data_) return;
  if (!tracks) {
    const auto& m = data_->analysis.similarity.mean;
    out << "genre";
    for (const auto& g : data_->analysis.genres) out << ',' << csv_cell(g);
    out << '\n';
    for (Eigen::Index i = 0; i < m.rows(); ++i) {
      out << csv_cell(data_->analysis.genres[static_cast<std::size_t>(i)]);
      for (Eigen::Index j = 0; j < m.cols(); ++j) out << ',' << csv_num(m(i, j));
      out << '\n';
    }
    return;
  }
  const auto& m = data_->track_similarity;
  auto name = [&](Eigen::Index k) {
    return data_->filenames[static_cast<std::size_t>(data_->genre_order[static_cast<std::size_t>(k)])];
  };
  out << "filename";
  for (Eigen::Index j = 0; j < m.cols(); ++j) out << ',' << csv_cell(name(j));
  out << '\n';
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    out << csv_cell(name(i));
    for (Eigen::Index j = 0; j < m.cols(); ++j) out << ',' << csv_num(static_cast<double>(m(i, j)));
    out << '\n';
  }
}

void ScatterFigure::writeCsv(std::ostream& out) const {
  if (!data_) return;
  const auto& v = data_->data.values;
  write_csv_row(out, {"filename", "label", data_->data.feature_names[static_cast<std::size_t>(x_column)],
                      data_->data.feature_names[static_cast<std::size_t>(y_column)]});
  for (Eigen::Index r = 0; r < v.rows(); ++r)
    write_csv_row(out,
                  {data_->filenames[static_cast<std::size_t>(r)],
                   data_->data.label_names[static_cast<std::size_t>(data_->data.labels[static_cast<std::size_t>(r)])],
                   csv_num(v(r, x_column)), csv_num(v(r, y_column))});
}

}  // namespace genrelab::ui
