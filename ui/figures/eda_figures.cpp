#include "ui/figures/eda_figures.h"

#include <QFontMetricsF>
#include <QPainterPath>
#include <algorithm>
#include <cmath>

#include "ui/plot/axes.h"
#include "ui/plot/colormap.h"

namespace genrelab::ui {
namespace {

QString name_of(const EdaData& d, int column) {
  return QString::fromStdString(d.data.feature_names[static_cast<std::size_t>(column)]);
}

QVector<QString> genre_names(const EdaData& d) {
  QVector<QString> names;
  for (const auto& g : d.analysis.genres) names.push_back(QString::fromStdString(g));
  return names;
}

QVector<QColor> genre_colors(const EdaData& d) {
  QVector<QColor> colors;
  for (std::size_t g = 0; g < d.analysis.genres.size(); ++g) colors.push_back(category_color(static_cast<int>(g)));
  return colors;
}

/// Pads [lo, hi] by a fraction on both sides (a degenerate range gets +-1).
std::pair<double, double> padded(double lo, double hi, double fraction = 0.04) {
  if (!(hi > lo)) return {lo - 1, hi + 1};
  const double pad = (hi - lo) * fraction;
  return {lo - pad, hi + pad};
}

}  // namespace

void EdaFigure::paintEmpty(QPainter& p, const QRectF& rect, const QString& why) const { draw_message(p, rect, why); }

QVector<QRectF> EdaFigure::paintLegend(QPainter& p, const QRectF& plot) const {
  legend_ = draw_legend(p, plot, genre_names(*data_), genre_colors(*data_), hidden_);
  return legend_;
}

// ---------------------------------------------------------------------------------------------- KDE

QString KdeFigure::figureTitle() const {
  if (!data_) return QStringLiteral("KDE");
  if (grid) return QStringLiteral("Per-genre KDE of every feature — %1").arg(data_->source);
  return QStringLiteral("KDE of %1 by genre — %2").arg(name_of(*data_, feature), data_->source);
}

void KdeFigure::paintPanel(QPainter& p, const QRectF& plot, int column, bool small) const {
  const auto& kde = data_->analysis.kde[static_cast<std::size_t>(column)];
  const auto& x = data_->data.values;
  if (kde.grid.empty()) {
    p.setPen(Qt::gray);
    p.drawText(plot, Qt::AlignCenter, QStringLiteral("no variance"));
    return;
  }
  // seaborn's default (common_norm): each genre's density times its share of the rows.
  double ymax = 0;
  for (std::size_t g = 0; g < kde.genres.size(); ++g) {
    if (genreHidden(static_cast<int>(g))) continue;
    for (const double v : kde.genres[g].density) ymax = std::max(ymax, v * kde.genres[g].weight);
  }
  // Histogram (density, same normalisation) over 30 bins of the grid range.
  constexpr int kBins = 30;
  const double lo = kde.grid.front(), hi = kde.grid.back(), bw = (hi - lo) / kBins;
  std::vector<std::vector<double>> hist;
  if (histogram) {
    hist.assign(kde.genres.size(), std::vector<double>(kBins, 0.0));
    const double n = static_cast<double>(x.rows());
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
      const int b = std::clamp(static_cast<int>((x(r, column) - lo) / bw), 0, kBins - 1);
      hist[static_cast<std::size_t>(data_->data.labels[static_cast<std::size_t>(r)])][static_cast<std::size_t>(b)] +=
          1.0 / (n * bw);
    }
    for (std::size_t g = 0; g < hist.size(); ++g)
      if (!genreHidden(static_cast<int>(g)))
        for (const double h : hist[g]) ymax = std::max(ymax, h);
  }
  if (ymax <= 0) ymax = 1;
  const Scale xs{lo, hi, plot.left(), plot.right()};
  const Scale ys{0, ymax * 1.08, plot.bottom(), plot.top()};
  if (!small) {
    draw_axes(p, plot, {xs, name_of(*data_, column), {}, {}}, {ys, QStringLiteral("density"), {}, {}});
  } else {
    p.setPen(QPen(QColor(120, 120, 120), 0.8));
    p.drawRect(plot);
    p.setFont(figure_font(10));
    p.setPen(Qt::black);
    p.drawText(QRectF(plot.left(), plot.top() - 15, plot.width(), 14), Qt::AlignCenter, name_of(*data_, column));
  }
  p.save();
  p.setClipRect(plot.adjusted(-1, -1, 1, 1));
  for (std::size_t g = 0; g < kde.genres.size(); ++g) {
    if (genreHidden(static_cast<int>(g))) continue;
    const QColor c = category_color(static_cast<int>(g));
    if (histogram) {
      QColor fill = c;
      fill.setAlpha(45);
      p.setPen(Qt::NoPen);
      p.setBrush(fill);
      for (int b = 0; b < kBins; ++b) {
        const double h = hist[g][static_cast<std::size_t>(b)];
        if (h <= 0) continue;
        p.drawRect(QRectF(QPointF(xs.map(lo + b * bw), ys.map(h)), QPointF(xs.map(lo + (b + 1) * bw), ys.map(0))));
      }
    }
    const auto& dens = kde.genres[g].density;
    if (dens.empty()) continue;
    QPainterPath path;
    for (std::size_t i = 0; i < dens.size(); ++i) {
      const QPointF pt(xs.map(kde.grid[i]), ys.map(dens[i] * kde.genres[g].weight));
      if (i == 0) path.moveTo(pt);
      else path.lineTo(pt);
    }
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(c, small ? 1.0 : 2.0));
    p.drawPath(path);
  }
  if (rug && !small) {
    for (Eigen::Index r = 0; r < x.rows(); ++r) {
      const int g = data_->data.labels[static_cast<std::size_t>(r)];
      if (genreHidden(g)) continue;
      QColor c = category_color(g);
      c.setAlpha(150);
      p.setPen(QPen(c, 1));
      const double px = xs.map(x(r, column));
      p.drawLine(QPointF(px, plot.bottom()), QPointF(px, plot.bottom() - 8));
    }
  }
  p.restore();
}

void KdeFigure::paintFigure(QPainter& p, const QRectF& rect) const {
  if (!data_ || data_->analysis.kde.empty())
    return paintEmpty(p, rect, QStringLiteral("Open a dataset with a feature table"));
  p.fillRect(rect, Qt::white);
  const QRectF body = draw_title(p, rect, figureTitle());
  if (!grid) {
    const QRectF plot = body.adjusted(84, 10, -24, -50);
    paintPanel(p, plot, feature, false);
    paintLegend(p, plot);
    return;
  }
  const int n = static_cast<int>(data_->analysis.kde.size());
  const int cols = static_cast<int>(std::ceil(std::sqrt(n * 1.1)));
  const int rows = (n + cols - 1) / cols;
  const QRectF area = body.adjusted(10, 4, -150, -10);
  const double cw = area.width() / cols, ch = area.height() / rows;
  for (int i = 0; i < n; ++i) {
    const QRectF cell(area.left() + (i % cols) * cw, area.top() + (i / cols) * ch, cw, ch);
    paintPanel(p, cell.adjusted(6, 18, -6, -6), i, true);
  }
  paintLegend(p, QRectF(body.right() - 150, body.top(), 150, 200).adjusted(0, 0, 0, 0));
}

// --------------------------------------------------------------------------------- correlation

QString CorrelationFigure::figureTitle() const {
  return data_ ? QStringLiteral("Pearson correlation of the features — %1").arg(data_->source)
               : QStringLiteral("Correlation");
}

stats::RedundancyResult CorrelationFigure::redundancy() const {
  return stats::RedundancyFilter(filter).apply(data_->analysis.correlation, data_->data.feature_names);
}

namespace {

// Figure geometry around the heatmap (logical px).
constexpr double kTitleH = 40;     // draw_title's band plus a gap
constexpr double kColorbarW = 96;  // gap + bar + tick labels + its rotated label
constexpr double kSidePad = 8;
constexpr double kLabelGap = 4;        // between a label and the map
constexpr double kNoteH = 28;          // the redundancy note
constexpr double kKeyH = 18;           // the abbreviation key under it
constexpr double kFontPerCell = 0.85;  // label font per cell side: DejaVu's line height is ~1.17 em

/// The fixed replacements of abbreviate_feature(), longest first; also the key under the figure.
constexpr std::pair<const char*, const char*> kWordAbbreviations[] = {{"zero_crossing_rate", "zcr"},
                                                                      {"chroma_stft", "chroma"},
                                                                      {"spectral", "spec"},
                                                                      {"centroid", "cent"},
                                                                      {"bandwidth", "bw"}};
constexpr int kShortName = 13;

double widest(const QVector<QString>& texts, const QFont& font) {
  const QFontMetricsF fm(font);
  double w = 0;
  for (const auto& t : texts) w = std::max(w, fm.horizontalAdvance(t));
  return w;
}

}  // namespace

QString abbreviate_feature(const QString& name) {
  if (name.size() <= kShortName) return name;
  QStringList words = name.split(QLatin1Char('_'));
  // Whole-word replacements (multi-word ones first), so "spectral" never matches inside a word.
  for (const auto& [from, to] : kWordAbbreviations) {
    const QStringList pattern = QString::fromLatin1(from).split(QLatin1Char('_'));
    for (qsizetype i = 0; i + pattern.size() <= words.size(); ++i)
      if (words.mid(i, pattern.size()) == pattern) {
        words.erase(words.begin() + i, words.begin() + i + pattern.size());
        words.insert(i, QString::fromLatin1(to));
      }
  }
  QString out = words.join(QLatin1Char('_'));
  if (out.size() <= kShortName || words.size() < 2) return out;
  for (qsizetype i = 0; i + 1 < words.size(); ++i) words[i] = words[i].left(4);
  return words.join(QLatin1Char('_'));
}

QSizeF CorrelationFigure::exportSize() const {
  if (!data_) return {1100, 1000};
  const int d = static_cast<int>(data_->data.cols());
  QVector<QString> names;
  for (int i = 0; i < d; ++i) names.push_back(name_of(*data_, i));
  const double label = widest(names, figure_font(kMaxLabelPx)) + kLabelGap + 2;
  // Small matrices get bigger cells so the figure is not a stamp.
  const double cell = std::max(kExportCellPx, std::min(60.0, 640.0 / std::max(1, d)));
  const double side = cell * d;
  const double w = std::max(900.0, kSidePad + label + side + kColorbarW + kSidePad);
  return {std::ceil(w), std::ceil(kTitleH + side + label + kNoteH + 4)};
}

CorrelationFigure::Layout CorrelationFigure::layout(const QRectF& rect) const {
  Layout out;
  if (!data_) return out;
  const int d = static_cast<int>(data_->data.cols());
  if (d == 0) return out;
  QVector<QString> full, shortened;
  for (int i = 0; i < d; ++i) {
    full.push_back(name_of(*data_, i));
    shortened.push_back(abbreviate_feature(full.back()));
  }
  // Two abbreviations that collide would be ambiguous: those columns keep their full names.
  for (int i = 0; i < d; ++i)
    for (int j = i + 1; j < d; ++j)
      if (shortened[i] == shortened[j] && full[i] != full[j]) shortened[i] = full[i], shortened[j] = full[j];

  // The largest integer font (figure_font rounds) whose labels leave cells of at least
  // font / kFontPerCell; the minimum font always fits (then labels may be thinned).
  auto fit = [&](const QVector<QString>& labels, bool abbreviated) {
    Layout l;
    l.labels = labels;
    l.abbreviated = abbreviated;
    const double footer = kNoteH + (abbreviated ? kKeyH : 0);
    for (double f = kMaxLabelPx; f >= kMinLabelPx; f -= 1) {
      const double label = widest(labels, figure_font(f)) + kLabelGap + 2;
      const double side = std::max<double>(
          d, std::min(rect.width() - 2 * kSidePad - label - kColorbarW, rect.height() - kTitleH - label - footer));
      l.cell = side / d;
      l.font_px = f;
      if (l.cell * kFontPerCell >= f) break;
    }
    const double label = widest(labels, figure_font(l.font_px)) + kLabelGap + 2;
    const double side = l.cell * d;
    // Centre the block (row labels, map, colour bar) across the figure and the block (map,
    // column labels) in the height between the title and the footer.
    const double left = rect.left() + std::max(kSidePad, (rect.width() - (label + side + kColorbarW)) / 2) + label;
    const double top = rect.top() + kTitleH + std::max(0.0, (rect.height() - kTitleH - footer - side - label) / 2);
    l.map = QRectF(left, top, side, side);
    const double line = QFontMetricsF(figure_font(l.font_px)).height();
    l.label_step = line <= l.cell ? 1 : static_cast<int>(std::ceil(line / l.cell));
    return l;
  };
  const Layout whole = fit(full, false);
  if (whole.font_px >= kFullNameLabelPx && whole.label_step == 1) return whole;
  return fit(shortened, true);
}

QVector<CorrelationFigure::LabelBox> CorrelationFigure::labelBoxes(const QRectF& rect) const {
  QVector<LabelBox> boxes;
  const Layout l = layout(rect);
  if (l.labels.isEmpty()) return boxes;
  const QFontMetricsF fm(figure_font(l.font_px));
  const double h = fm.height();
  for (int i = 0; i < l.labels.size(); i += l.label_step) {
    const double w = fm.horizontalAdvance(l.labels[i]);
    const double mid = l.map.top() + (i + 0.5) * l.cell;
    boxes.push_back({i, true, l.labels[i], QRectF(l.map.left() - kLabelGap - w, mid - h / 2, w, h)});
    const double cx = l.map.left() + (i + 0.5) * l.cell;
    boxes.push_back({i, false, l.labels[i], QRectF(cx - h / 2, l.map.bottom() + kLabelGap, h, w)});
  }
  return boxes;
}

void CorrelationFigure::paintFigure(QPainter& p, const QRectF& rect) const {
  if (!data_) return paintEmpty(p, rect, QStringLiteral("Open a dataset with a feature table"));
  p.fillRect(rect, Qt::white);
  draw_title(p, rect, figureTitle());
  const auto& r = data_->analysis.correlation.r;
  const int d = static_cast<int>(r.rows());
  const Layout l = layout(rect);
  const QRectF map = l.map;
  const double cell = l.cell;
  const auto red = redundancy();
  std::vector<bool> dropped(static_cast<std::size_t>(d), false);
  for (const auto& c : red.dropped) dropped[c.column] = true;
  for (int i = 0; i < d; ++i)
    for (int j = 0; j < d; ++j)
      p.fillRect(QRectF(map.left() + j * cell, map.top() + i * cell, cell + 0.5, cell + 0.5),
                 QColor::fromRgb(colormap(ColorMap::Diverging, (r(i, j) + 1.0) / 2.0)));
  p.setPen(QPen(QColor(60, 60, 60), 1));
  p.setBrush(Qt::NoBrush);
  p.drawRect(map);
  // Labels (dropped columns in red): rows right-aligned against the map, columns rotated to
  // read upwards, ending at the map.
  p.setFont(figure_font(l.font_px));
  for (const auto& box : labelBoxes(rect)) {
    p.setPen(dropped[static_cast<std::size_t>(box.column)] ? QColor(200, 20, 20) : QColor(30, 30, 30));
    // Whole-pixel baselines: at 7-8 px a thin underscore on a half pixel fades away on screen.
    if (box.row) {
      p.drawText(box.box.translated(0, std::round(box.box.top()) - box.box.top()),
                 Qt::AlignRight | Qt::AlignVCenter | Qt::TextDontClip, box.text);
      continue;
    }
    p.save();
    p.translate(std::round(box.box.center().x()), box.box.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-box.box.height() / 2, -box.box.width() / 2, box.box.height(), box.box.width()),
               Qt::AlignRight | Qt::AlignVCenter | Qt::TextDontClip, box.text);
    p.restore();
  }
  for (int i = 0; i < d; ++i)
    if (dropped[static_cast<std::size_t>(i)]) {  // outline the dropped column's row and column
      p.setPen(QPen(QColor(200, 20, 20, 160), 1));
      p.drawRect(QRectF(map.left(), map.top() + i * cell, map.width(), cell));
      p.drawRect(QRectF(map.left() + i * cell, map.top(), cell, map.height()));
    }
  if (highlight && highlight->x() >= 0 && highlight->x() < d && highlight->y() >= 0 && highlight->y() < d) {
    p.setPen(QPen(Qt::black, 2));
    p.drawRect(QRectF(map.left() + highlight->x() * cell, map.top() + highlight->y() * cell, cell, cell));
  }
  draw_colorbar(p, QRectF(map.right() + 18, map.top(), 60, map.height()), ColorMap::Diverging, -1, 1,
                QStringLiteral("Pearson r"));
  const double footer = kNoteH + (l.abbreviated ? kKeyH : 0);
  p.setFont(figure_font(12));
  p.setPen(QColor(30, 30, 30));
  QString note = QStringLiteral("Redundancy filter |r| ≥ %1 over %2: %3 dropped (red)")
                     .arg(filter.threshold, 0, 'f', 2)
                     .arg(filter.scope == stats::FilterScope::non_mfcc ? QStringLiteral("the non-MFCC columns")
                                                                       : QStringLiteral("all columns"))
                     .arg(red.dropped.size());
  p.drawText(QRectF(rect.left(), rect.bottom() - footer, rect.width(), kNoteH - 4), Qt::AlignCenter, note);
  if (l.abbreviated) {
    // The key lists the replacements that occur in the labels drawn.
    QStringList key;
    for (const auto& [from, to] : kWordAbbreviations) {
      const QString word = QString::fromLatin1(to);
      if (std::any_of(l.labels.begin(), l.labels.end(),
                      [&](const QString& t) { return t.split(QLatin1Char('_')).contains(word); }))
        key << QStringLiteral("%1 = %2").arg(word, QString::fromLatin1(from));
    }
    if (!key.isEmpty()) {
      p.setFont(figure_font(11));
      p.setPen(QColor(70, 70, 70));
      const QString text = QStringLiteral("Abbreviated: ") + key.join(QStringLiteral(", "));
      const QRectF line(rect.left() + 4, rect.bottom() - kKeyH - 4, rect.width() - 8, kKeyH);
      p.drawText(line, Qt::AlignCenter, QFontMetricsF(p.font()).elidedText(text, Qt::ElideRight, line.width()));
    }
  }
}

// ------------------------------------------------------------------------------------------ PCA

QString PcaFigure::figureTitle() const {
  return data_ ? QStringLiteral("PCA of standardised %1 — %2").arg(subset_title(data_->subset), data_->source)
               : QStringLiteral("PCA");
}

QRectF PcaFigure::plotRect(const QRectF& rect) const { return rect.adjusted(84, 44, -24, -60); }

int PcaFigure::rowAt(const QRectF& rect, QPointF pos, double radius) const {
  if (!data_) return -1;
  const auto& s = data_->analysis.pca.scores();
  if (pc_x >= s.cols() || pc_y >= s.cols()) return -1;
  const QRectF plot = plotRect(rect);
  const auto [x0, x1] = padded(s.col(pc_x).minCoeff(), s.col(pc_x).maxCoeff());
  const auto [y0, y1] = padded(s.col(pc_y).minCoeff(), s.col(pc_y).maxCoeff());
  const Scale xs{x0, x1, plot.left(), plot.right()}, ys{y0, y1, plot.bottom(), plot.top()};
  int best = -1;
  double best_d = radius * radius;
  for (Eigen::Index r = 0; r < s.rows(); ++r) {
    if (genreHidden(data_->data.labels[static_cast<std::size_t>(r)])) continue;
    const double dx = xs.map(s(r, pc_x)) - pos.x(), dy = ys.map(s(r, pc_y)) - pos.y();
    if (dx * dx + dy * dy <= best_d) {
      best_d = dx * dx + dy * dy;
      best = static_cast<int>(r);
    }
  }
  return best;
}

void PcaFigure::paintFigure(QPainter& p, const QRectF& rect) const {
  if (!data_) return paintEmpty(p, rect, QStringLiteral("Open a dataset with a feature table"));
  const auto& pca = data_->analysis.pca;
  const auto& s = pca.scores();
  if (pc_x >= s.cols() || pc_y >= s.cols()) return paintEmpty(p, rect, QStringLiteral("Not enough components"));
  p.fillRect(rect, Qt::white);
  draw_title(p, rect, figureTitle());
  const QRectF plot = plotRect(rect);
  const auto [x0, x1] = padded(s.col(pc_x).minCoeff(), s.col(pc_x).maxCoeff());
  const auto [y0, y1] = padded(s.col(pc_y).minCoeff(), s.col(pc_y).maxCoeff());
  const Scale xs{x0, x1, plot.left(), plot.right()}, ys{y0, y1, plot.bottom(), plot.top()};
  const auto& ratio = pca.explained_variance_ratio();
  draw_axes(p, plot,
            {xs, QStringLiteral("PC%1 (%2 % of variance)").arg(pc_x + 1).arg(100 * ratio(pc_x), 0, 'f', 1), {}, {}},
            {ys, QStringLiteral("PC%1 (%2 % of variance)").arg(pc_y + 1).arg(100 * ratio(pc_y), 0, 'f', 1), {}, {}});
  p.save();
  p.setClipRect(plot);
  const double radius = s.rows() > 3000 ? 2.0 : 3.5;
  for (Eigen::Index r = 0; r < s.rows(); ++r) {
    const int g = data_->data.labels[static_cast<std::size_t>(r)];
    if (genreHidden(g)) continue;
    QColor c = category_color(g);
    p.setPen(QPen(c.darker(130), 0.6));
    c.setAlpha(190);
    p.setBrush(c);
    p.drawEllipse(QPointF(xs.map(s(r, pc_x)), ys.map(s(r, pc_y))), radius, radius);
  }
  if (selected_row >= 0 && selected_row < s.rows()) {
    p.setPen(QPen(Qt::black, 2));
    p.setBrush(Qt::NoBrush);
    p.drawEllipse(QPointF(xs.map(s(selected_row, pc_x)), ys.map(s(selected_row, pc_y))), radius + 4, radius + 4);
  }
  p.restore();
  paintLegend(p, plot);
}

// ----------------------------------------------------------------------------------- similarity

QString SimilarityFigure::figureTitle() const {
  if (!data_) return QStringLiteral("Cosine similarity");
  const QString sample =
      tracks && data_->track_stride > 1 ? QStringLiteral(" (every %1th row)").arg(data_->track_stride) : QString();
  return QStringLiteral("Cosine similarity, %1 × %1%4, standardised %2 — %3")
      .arg(tracks ? QStringLiteral("track") : QStringLiteral("genre"), subset_title(data_->subset), data_->source,
           sample);
}

QRectF SimilarityFigure::heatmapRect(const QRectF& rect) const {
  const QRectF body = rect.adjusted(110, 50, -110, -110);
  const double side = std::min(body.width(), body.height());
  return QRectF(body.left(), body.top(), side, side);
}

void SimilarityFigure::paintFigure(QPainter& p, const QRectF& rect) const {
  if (!data_) return paintEmpty(p, rect, QStringLiteral("Open a dataset with a feature table"));
  p.fillRect(rect, Qt::white);
  draw_title(p, rect, figureTitle());
  const QRectF map = heatmapRect(rect);
  const auto names = genre_names(*data_);
  if (!tracks) {
    // Mean cosines of standardised features sit well inside [-1, 1]: a diverging map over
    // +-(largest magnitude) shows which genres resemble (red) or oppose (blue) each other.
    const auto& m = data_->analysis.similarity.mean;
    const double hi = std::max(1e-9, m.cwiseAbs().maxCoeff()), lo = -hi;
    draw_matrix(
        p, map, names, ColorMap::Diverging, [&](int i, int j) { return (m(i, j) - lo) / (hi - lo); },
        [&](int i, int j) { return QString::number(m(i, j), 'f', 2); }, 0.5, 0.35);
    draw_colorbar(p, QRectF(map.right() + 18, map.top(), 60, map.height()), ColorMap::Diverging, lo, hi,
                  QStringLiteral("mean cosine"));
    return;
  }
  // Track x track: an image (one pixel per pair), rows and columns ordered by genre.
  const auto& m = data_->track_similarity;
  const int n = static_cast<int>(m.rows());
  QImage image(n, n, QImage::Format_RGB32);
  for (int i = 0; i < n; ++i) {
    auto* line = reinterpret_cast<QRgb*>(image.scanLine(i));
    for (int j = 0; j < n; ++j) line[j] = colormap(ColorMap::Diverging, (static_cast<double>(m(i, j)) + 1.0) / 2.0);
  }
  p.drawImage(map, image);
  const double px = map.width() / n;
  p.setFont(figure_font(11));
  int start = 0;
  for (int i = 0; i <= n; ++i) {
    const bool boundary =
        i == n ||
        (i > 0 &&
         data_->data.labels[static_cast<std::size_t>(data_->genre_order[static_cast<std::size_t>(i)])] !=
             data_->data.labels[static_cast<std::size_t>(data_->genre_order[static_cast<std::size_t>(i - 1)])]);
    if (!boundary) continue;
    const int genre = data_->data.labels[static_cast<std::size_t>(data_->genre_order[static_cast<std::size_t>(i - 1)])];
    p.setPen(QPen(Qt::black, 1));
    if (i < n) {
      p.drawLine(QPointF(map.left() + i * px, map.top()), QPointF(map.left() + i * px, map.bottom()));
      p.drawLine(QPointF(map.left(), map.top() + i * px), QPointF(map.right(), map.top() + i * px));
    }
    const double mid = (start + i) / 2.0 * px;
    p.drawText(QRectF(rect.left(), map.top() + mid - 8, map.left() - rect.left() - 6, 16),
               Qt::AlignRight | Qt::AlignVCenter, names[genre]);
    p.save();
    p.translate(map.left() + mid, map.bottom() + 4);
    p.rotate(-45);
    p.drawText(QRectF(-100, -8, 100, 16), Qt::AlignRight | Qt::AlignVCenter, names[genre]);
    p.restore();
    start = i;
  }
  p.setPen(QPen(QColor(60, 60, 60), 1));
  p.drawRect(map);
  draw_colorbar(p, QRectF(map.right() + 18, map.top(), 60, map.height()), ColorMap::Diverging, -1, 1,
                QStringLiteral("cosine"));
}

// -------------------------------------------------------------------------------------- scatter

QString ScatterFigure::figureTitle() const {
  if (!data_) return QStringLiteral("Scatter");
  const double r = data_->analysis.correlation.r(y_column, x_column);
  return QStringLiteral("%1 vs %2 (r = %3)")
      .arg(name_of(*data_, y_column), name_of(*data_, x_column))
      .arg(r, 0, 'f', 3);
}

void ScatterFigure::paintFigure(QPainter& p, const QRectF& rect) const {
  if (!data_) return paintEmpty(p, rect, QStringLiteral("Click a cell of the correlation heatmap"));
  p.fillRect(rect, Qt::white);
  // Two long feature names may not fit a narrow canvas at the title font: a smaller font then.
  const QString title = figureTitle();
  double title_px = 16;
  while (title_px > 10 && QFontMetricsF(figure_font(title_px, true)).horizontalAdvance(title) > rect.width() - 12)
    title_px -= 1;
  p.setFont(figure_font(title_px, true));
  p.setPen(Qt::black);
  p.drawText(QRectF(rect.left() + 6, rect.top() + 6, rect.width() - 12, 24), Qt::AlignCenter,
             QFontMetricsF(p.font()).elidedText(title, Qt::ElideMiddle, rect.width() - 12));
  const auto& v = data_->data.values;
  const QRectF plot = rect.adjusted(90, 44, -24, -60);
  const auto [x0, x1] = padded(v.col(x_column).minCoeff(), v.col(x_column).maxCoeff());
  const auto [y0, y1] = padded(v.col(y_column).minCoeff(), v.col(y_column).maxCoeff());
  const Scale xs{x0, x1, plot.left(), plot.right()}, ys{y0, y1, plot.bottom(), plot.top()};
  draw_axes(p, plot, {xs, name_of(*data_, x_column), {}, {}}, {ys, name_of(*data_, y_column), {}, {}});
  p.save();
  p.setClipRect(plot);
  for (Eigen::Index r = 0; r < v.rows(); ++r) {
    const int g = data_->data.labels[static_cast<std::size_t>(r)];
    if (genreHidden(g)) continue;
    QColor c = category_color(g);
    p.setPen(Qt::NoPen);
    c.setAlpha(170);
    p.setBrush(c);
    p.drawEllipse(QPointF(xs.map(v(r, x_column)), ys.map(v(r, y_column))), 2.5, 2.5);
  }
  p.restore();
  paintLegend(p, plot);
}

// ------------------------------------------------------------------------------------- CSV data

}  // namespace genrelab::ui
