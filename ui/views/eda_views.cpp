#include "ui/views/eda_views.h"

#include <QCheckBox>
#include <QComboBox>
#include <QContextMenuEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QMouseEvent>
#include <QSettings>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>
#include <algorithm>

#include "ui/plot/axes.h"
#include "ui/views/export_menu.h"
#include "ui/views/figure_canvas.h"
#include "util/atomic_file.h"
#include "util/error.h"

namespace genrelab::ui {
namespace {

QString feature_name(const EdaData& d, int c) {
  return QString::fromStdString(d.data.feature_names[static_cast<std::size_t>(c)]);
}

QHBoxLayout* controls_row(QVBoxLayout* layout) {
  auto* row = new QHBoxLayout;
  row->setContentsMargins(6, 4, 6, 0);
  layout->addLayout(row);
  return row;
}

}  // namespace

// ------------------------------------------------------------------------------------- EdaView

EdaView::EdaView(EdaFigure& figure, QWidget* parent)
    : QWidget(parent), figure_(figure), canvas_(new FigureCanvas(figure, this)) {}

void EdaView::setData(std::shared_ptr<const EdaData> eda) {
  data_ = std::move(eda);
  figure_.setData(data_);
  canvas_->update();
}

QComboBox* EdaView::makeSubsetBox() {
  auto* box = new QComboBox(this);
  box->addItem(tr("All features"), static_cast<int>(stats::FeatureSubset::all));
  box->addItem(tr("MFCC only"), static_cast<int>(stats::FeatureSubset::mfcc));
  box->addItem(tr("Non-MFCC"), static_cast<int>(stats::FeatureSubset::non_mfcc));
  connect(box, &QComboBox::activated, this,
          [this, box](int i) { Q_EMIT subsetRequested(static_cast<stats::FeatureSubset>(box->itemData(i).toInt())); });
  return box;
}

// ------------------------------------------------------------------------------------------ KDE

KdeView::KdeView(QWidget* parent)
    : EdaView(kde_, parent), feature_(new QComboBox(this)), rug_(new QCheckBox(tr("Rug"), this)),
      hist_(new QCheckBox(tr("Histogram"), this)), grid_(new QCheckBox(tr("All features (grid)"), this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* row = controls_row(layout);
  row->addWidget(new QLabel(tr("Feature:"), this));
  feature_->setMinimumWidth(220);
  row->addWidget(feature_);
  row->addWidget(rug_);
  row->addWidget(hist_);
  row->addWidget(grid_);
  row->addStretch(1);
  row->addWidget(new QLabel(tr("Click a legend entry to hide a genre"), this));
  layout->addWidget(canvas_, 1);
  connect(feature_, &QComboBox::currentIndexChanged, this, [this](int i) {
    if (i >= 0) kde_.feature = i;
    canvas_->update();
  });
  auto toggle = [this] {
    kde_.rug = rug_->isChecked();
    kde_.histogram = hist_->isChecked();
    kde_.grid = grid_->isChecked();
    feature_->setEnabled(!kde_.grid);
    canvas_->update();
  };
  for (auto* box : {rug_, hist_, grid_}) connect(box, &QCheckBox::toggled, this, toggle);
}

void KdeView::setData(std::shared_ptr<const EdaData> eda) {
  const QString current = feature_->currentText();
  {
    const QSignalBlocker block(feature_);
    feature_->clear();
    if (eda)
      for (std::size_t c = 0; c < eda->data.cols(); ++c) feature_->addItem(feature_name(*eda, static_cast<int>(c)));
    const int keep = feature_->findText(current);
    feature_->setCurrentIndex(keep >= 0 ? keep : 0);
    kde_.feature = std::max(0, feature_->currentIndex());
  }
  EdaView::setData(std::move(eda));
}

// ---------------------------------------------------------------------------------- correlation

CorrelationView::CorrelationView(QWidget* parent)
    : EdaView(corr_, parent), threshold_(new QSlider(Qt::Horizontal, this)), scope_(new QComboBox(this)),
      summary_(new QLabel(this)) {
  scatter_canvas_ = new FigureCanvas(scatter_, this);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* row = controls_row(layout);
  row->addWidget(new QLabel(tr("Redundancy threshold |r| ≥"), this));
  threshold_->setRange(50, 100);
  threshold_->setValue(80);
  threshold_->setMaximumWidth(220);
  row->addWidget(threshold_);
  auto* value = new QLabel(QStringLiteral("0.80"), this);
  row->addWidget(value);
  scope_->addItem(tr("over non-MFCC columns (the study)"));
  scope_->addItem(tr("over all columns"));
  row->addWidget(scope_);
  row->addWidget(summary_, 1);
  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(canvas_);
  split->addWidget(scatter_canvas_);
  // The 57 x 57 heatmap needs the room more than the scatter of one pair does.
  split->setStretchFactor(0, 2);
  split->setStretchFactor(1, 1);
  layout->addWidget(split, 1);

  connect(threshold_, &QSlider::valueChanged, this, [this, value](int v) {
    corr_.filter.threshold = v / 100.0;
    value->setText(QString::number(corr_.filter.threshold, 'f', 2));
    refreshSummary();
  });
  connect(scope_, &QComboBox::currentIndexChanged, this, [this](int i) {
    corr_.filter.scope = i == 0 ? stats::FilterScope::non_mfcc : stats::FilterScope::all;
    refreshSummary();
  });
  auto cell_at = [this](QPointF pos) -> std::optional<QPoint> {
    if (!data_) return std::nullopt;
    const QRectF map = corr_.heatmapRect(canvas_->rect());
    if (!map.contains(pos)) return std::nullopt;
    const int d = static_cast<int>(data_->data.cols());
    return QPoint(std::clamp(static_cast<int>((pos.x() - map.left()) / map.width() * d), 0, d - 1),
                  std::clamp(static_cast<int>((pos.y() - map.top()) / map.height() * d), 0, d - 1));
  };
  canvas_->hoverText = [this, cell_at](QPointF pos) {
    if (const auto cell = cell_at(pos))
      return QStringLiteral("%1 × %2: r = %3")
          .arg(feature_name(*data_, cell->y()), feature_name(*data_, cell->x()))
          .arg(data_->analysis.correlation.r(cell->y(), cell->x()), 0, 'f', 3);
    if (!data_) return QString();
    // Over a label (maybe abbreviated): its full name, and why it is red.
    for (const auto& label : corr_.labelBoxes(canvas_->rect())) {
      if (!label.box.contains(pos)) continue;
      QString text = feature_name(*data_, label.column);
      for (const auto& d : corr_.redundancy().dropped)
        if (static_cast<int>(d.column) == label.column)
          text += tr(" (dropped: r = %1 with %2)").arg(d.r, 0, 'f', 3).arg(QString::fromStdString(d.partner_name));
      return text;
    }
    return QString();
  };
  canvas_->clicked = [this, cell_at](QPointF pos) {
    if (const auto cell = cell_at(pos)) showPair(cell->x(), cell->y());
  };
}

void CorrelationView::showPair(int x_column, int y_column) {
  if (!data_) return;
  scatter_.x_column = x_column;
  scatter_.y_column = y_column;
  scatter_.setData(data_);
  corr_.highlight = QPoint(x_column, y_column);
  canvas_->update();
  scatter_canvas_->update();
}

void CorrelationView::setData(std::shared_ptr<const EdaData> eda) {
  EdaView::setData(std::move(eda));
  if (data_) showPair(std::min<int>(1, static_cast<int>(data_->data.cols()) - 1), 0);
  refreshSummary();
}

void CorrelationView::refreshSummary() {
  if (!data_) return summary_->clear();
  const auto red = corr_.redundancy();
  QStringList names;
  for (const auto& d : red.dropped) names << QString::fromStdString(d.name);
  summary_->setText(tr("drops %1: %2").arg(red.dropped.size()).arg(names.join(QStringLiteral(", "))));
  summary_->setToolTip(summary_->text());
  canvas_->update();
}

// ------------------------------------------------------------------------------------------ PCA

PcaView::PcaView(QWidget* parent)
    : EdaView(pca_, parent), pc_x_(new QSpinBox(this)), pc_y_(new QSpinBox(this)), variance_(new QLabel(this)) {
  subset_ = makeSubsetBox();
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* row = controls_row(layout);
  row->addWidget(new QLabel(tr("x: PC"), this));
  row->addWidget(pc_x_);
  row->addWidget(new QLabel(tr("y: PC"), this));
  row->addWidget(pc_y_);
  row->addWidget(subset_);
  row->addWidget(variance_, 1);
  layout->addWidget(canvas_, 1);
  pc_x_->setRange(1, 1);
  pc_y_->setRange(1, 1);
  auto changed = [this] {
    pca_.pc_x = pc_x_->value() - 1;
    pca_.pc_y = pc_y_->value() - 1;
    canvas_->update();
  };
  connect(pc_x_, &QSpinBox::valueChanged, this, changed);
  connect(pc_y_, &QSpinBox::valueChanged, this, changed);
  canvas_->hoverText = [this](QPointF pos) {
    const int r = pca_.rowAt(canvas_->rect(), pos);
    if (r < 0) return QString();
    return QStringLiteral("%1 (%2)").arg(
        QString::fromStdString(data_->filenames[static_cast<std::size_t>(r)]),
        QString::fromStdString(
            data_->data.label_names[static_cast<std::size_t>(data_->data.labels[static_cast<std::size_t>(r)])]));
  };
  canvas_->clicked = [this](QPointF pos) {
    const int r = pca_.rowAt(canvas_->rect(), pos);
    if (r < 0) return;
    pca_.selected_row = r;
    canvas_->update();
    Q_EMIT trackActivated(r);
  };
}

void PcaView::setData(std::shared_ptr<const EdaData> eda) {
  if (eda) {
    const int n = static_cast<int>(eda->analysis.pca.n_components());
    const QSignalBlocker bx(pc_x_), by(pc_y_), bs(subset_);
    pc_x_->setRange(1, std::max(1, n));
    pc_y_->setRange(1, std::max(1, n));
    pc_x_->setValue(std::min(pca_.pc_x + 1, n));
    pc_y_->setValue(std::min(pca_.pc_y + 1, n));
    pca_.pc_x = pc_x_->value() - 1;
    pca_.pc_y = pc_y_->value() - 1;
    subset_->setCurrentIndex(subset_->findData(static_cast<int>(eda->subset)));
    const auto& ratio = eda->analysis.pca.explained_variance_ratio();
    QStringList parts;
    double cum = 0;
    for (int i = 0; i < std::min<int>(5, static_cast<int>(ratio.size())); ++i) {
      cum += ratio(i);
      parts << QStringLiteral("PC%1 %2 %").arg(i + 1).arg(100 * ratio(i), 0, 'f', 1);
    }
    variance_->setText(tr("explained variance: %1 (first %2: %3 %)")
                           .arg(parts.join(QStringLiteral(", ")))
                           .arg(parts.size())
                           .arg(100 * cum, 0, 'f', 1));
  }
  pca_.selected_row = -1;
  EdaView::setData(std::move(eda));
}

// ----------------------------------------------------------------------------------- similarity

SimilarityView::SimilarityView(QWidget* parent)
    : EdaView(sim_, parent), mode_(new QComboBox(this)), summary_(new QLabel(this)) {
  subset_ = makeSubsetBox();
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* row = controls_row(layout);
  mode_->addItem(tr("Genre × genre"));
  mode_->addItem(tr("Track × track (ordered by genre)"));
  row->addWidget(mode_);
  row->addWidget(subset_);
  row->addWidget(summary_, 1);
  layout->addWidget(canvas_, 1);
  connect(mode_, &QComboBox::currentIndexChanged, this, [this](int i) {
    sim_.tracks = i == 1;
    canvas_->update();
  });
  canvas_->hoverText = [this](QPointF pos) {
    if (!data_) return QString();
    const QRectF map = sim_.heatmapRect(canvas_->rect());
    if (!map.contains(pos)) return QString();
    if (!sim_.tracks) {
      const auto& m = data_->analysis.similarity.mean;
      const int g = static_cast<int>(m.rows());
      const int i = std::clamp(static_cast<int>((pos.y() - map.top()) / map.height() * g), 0, g - 1);
      const int j = std::clamp(static_cast<int>((pos.x() - map.left()) / map.width() * g), 0, g - 1);
      return QStringLiteral("%1 × %2: %3")
          .arg(QString::fromStdString(data_->analysis.genres[static_cast<std::size_t>(i)]),
               QString::fromStdString(data_->analysis.genres[static_cast<std::size_t>(j)]))
          .arg(m(i, j), 0, 'f', 3);
    }
    const int n = static_cast<int>(data_->track_similarity.rows());
    const int i = std::clamp(static_cast<int>((pos.y() - map.top()) / map.height() * n), 0, n - 1);
    const int j = std::clamp(static_cast<int>((pos.x() - map.left()) / map.width() * n), 0, n - 1);
    auto name = [&](int k) {
      return QString::fromStdString(
          data_->filenames[static_cast<std::size_t>(data_->genre_order[static_cast<std::size_t>(k)])]);
    };
    return QStringLiteral("%1 × %2: %3").arg(name(i), name(j)).arg(data_->track_similarity(i, j), 0, 'f', 3);
  };
}

void SimilarityView::setData(std::shared_ptr<const EdaData> eda) {
  if (eda) {
    const QSignalBlocker block(subset_);
    subset_->setCurrentIndex(subset_->findData(static_cast<int>(eda->subset)));
    const auto& pairs = eda->analysis.ranked_pairs;
    auto pair_text = [&](const stats::GenrePair& p) {
      return QStringLiteral("%1–%2 %3")
          .arg(QString::fromStdString(eda->analysis.genres[p.a]), QString::fromStdString(eda->analysis.genres[p.b]))
          .arg(p.similarity, 0, 'f', 2);
    };
    if (!pairs.empty())
      summary_->setText(
          tr("most similar: %1; least similar: %2").arg(pair_text(pairs.front()), pair_text(pairs.back())));
  }
  EdaView::setData(std::move(eda));
}

}  // namespace genrelab::ui
