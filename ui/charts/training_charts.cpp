#include "ui/charts/training_charts.h"

#include <QChart>
#include <QChartView>
#include <QContextMenuEvent>
#include <QGraphicsScene>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QMenu>
#include <QPen>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "ui/plot/csv.h"
#include "ui/views/export_menu.h"

namespace genrelab::ui {

namespace {

QValueAxis* makeAxis(const QString& title, double lo, double hi, const char* format) {
  auto* axis = new QValueAxis;
  axis->setTitleText(title);
  axis->setRange(lo, hi);
  axis->setLabelFormat(QString::fromLatin1(format));
  return axis;
}

QChart* makeChart(const QString& title) {
  auto* chart = new QChart;
  chart->setTitle(title);
  // One entry per fold and curve does not fit beside the curves: the key is a line below them.
  chart->legend()->setVisible(false);
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->setMargins(QMargins(4, 4, 8, 4));
  return chart;
}

/// Round tick spacing giving at most ~6 labels over [1, max_epoch].
double epoch_tick_interval(int max_epoch) {
  for (double step : {1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 250.0, 500.0, 1000.0})
    if (max_epoch / step <= 6) return step;
  return std::ceil(max_epoch / 6000.0) * 1000.0;
}

}  // namespace

QColor TrainingCharts::foldColor(int fold) {
  // Tableau 10 (matplotlib's default cycle); the final model is drawn in dark grey.
  static const QColor palette[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
                                   QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                   QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f), QColor(0xbc, 0xbd, 0x22),
                                   QColor(0x17, 0xbe, 0xcf)};
  if (fold < 0) return QColor(0x33, 0x33, 0x33);
  return palette[fold % 10];
}

TrainingCharts::TrainingCharts(QWidget* parent)
    : QWidget(parent), loss_chart_(makeChart(tr("Loss per epoch"))),
      acc_chart_(makeChart(tr("Held-out accuracy per epoch"))), loss_view_(new QChartView(loss_chart_, this)),
      acc_view_(new QChartView(acc_chart_, this)), loss_x_(makeAxis(tr("epoch"), 1, 2, "%d")),
      loss_y_(makeAxis(tr("cross-entropy"), 0, 1, "%.2f")), acc_x_(makeAxis(tr("epoch"), 1, 2, "%d")),
      acc_y_(makeAxis(tr("accuracy"), 0, 1, "%.2f")) {
  loss_chart_->addAxis(loss_x_, Qt::AlignBottom);
  loss_chart_->addAxis(loss_y_, Qt::AlignLeft);
  acc_chart_->addAxis(acc_x_, Qt::AlignBottom);
  acc_chart_->addAxis(acc_y_, Qt::AlignLeft);
  loss_view_->setRenderHint(QPainter::Antialiasing);
  acc_view_->setRenderHint(QPainter::Antialiasing);
  for (QValueAxis* x : {loss_x_, acc_x_}) {
    x->setTickType(QValueAxis::TicksDynamic);
    x->setTickAnchor(0);
  }
  auto* key = new QLabel(tr("Colour = fold (as in the Folds table), dark grey = final model · solid: train, dashed: "
                            "held-out (validation split, else test fold) · dotted verticals: learning-rate steps"),
                         this);
  key->setWordWrap(true);
  key->setStyleSheet(QStringLiteral("color: #555"));
  auto* charts = new QHBoxLayout;
  charts->addWidget(loss_view_, 1);
  charts->addWidget(acc_view_, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addLayout(charts, 1);
  layout->addWidget(key);
  setMinimumHeight(340);  // QChartView's size hint is tiny: keep the curves readable beside the tables
  rescale();              // integer epoch ticks from the start
}

void TrainingCharts::clear() {
  loss_chart_->removeAllSeries();  // deletes the series
  acc_chart_->removeAllSeries();
  curves_.clear();
  records_.clear();
  last_rate_.clear();
  lr_steps_.clear();
  lr_lines_.clear();
  current_fold_ = 0;
  max_epoch_ = 1;
  max_loss_ = 0.0;
  rescale();
}

TrainingCharts::Curves& TrainingCharts::curvesFor(int fold) {
  auto it = curves_.find(fold);
  if (it != curves_.end()) return *it;
  Curves c;
  const QString name = fold < 0 ? tr("final") : tr("fold %1").arg(fold + 1);
  c.train = new QLineSeries;
  c.train->setName(name + tr(" train"));
  c.heldout = new QLineSeries;
  c.heldout->setName(name + tr(" held-out"));
  c.accuracy = new QLineSeries;
  c.accuracy->setName(name);
  for (QLineSeries* s : {c.train, c.heldout}) {
    loss_chart_->addSeries(s);
    s->attachAxis(loss_x_);
    s->attachAxis(loss_y_);
  }
  acc_chart_->addSeries(c.accuracy);
  c.accuracy->attachAxis(acc_x_);
  c.accuracy->attachAxis(acc_y_);
  it = curves_.insert(fold, c);
  applyPens();
  return *it;
}

void TrainingCharts::applyPens() {
  for (auto it = curves_.begin(); it != curves_.end(); ++it) {
    const bool current = it.key() == current_fold_;
    QPen pen(foldColor(it.key()));
    pen.setWidthF(current ? 3.0 : 1.2);
    it->train->setPen(pen);
    it->accuracy->setPen(pen);
    pen.setStyle(Qt::DashLine);
    it->heldout->setPen(pen);
  }
}

void TrainingCharts::setCurrentFold(int fold) {
  if (fold == current_fold_) return;
  current_fold_ = fold;
  applyPens();
}

void TrainingCharts::append(const std::vector<EpochRecord>& records) {
  if (records.empty()) return;
  QList<int> touched;
  for (const EpochRecord& r : records) {
    records_.push_back(r);
    const auto last = last_rate_.constFind(r.fold);
    if (last != last_rate_.constEnd() && r.learning_rate != *last && !lr_steps_.contains(r.epoch))
      addLearningRateStep(r.epoch);
    last_rate_[r.fold] = r.learning_rate;
    Curves& c = curvesFor(r.fold);
    const auto x = static_cast<double>(r.epoch);
    c.train_pts.append(QPointF(x, r.train_loss));
    if (std::isfinite(r.heldout_loss)) c.heldout_pts.append(QPointF(x, r.heldout_loss));
    if (std::isfinite(r.heldout_accuracy)) c.accuracy_pts.append(QPointF(x, r.heldout_accuracy));
    max_epoch_ = std::max({max_epoch_, r.epoch, r.epochs});
    for (double v : {r.train_loss, r.heldout_loss})
      if (std::isfinite(v)) max_loss_ = std::max(max_loss_, v);
    if (!touched.contains(r.fold)) touched.append(r.fold);
  }
  for (int fold : touched) {  // one bulk replace per series
    Curves& c = curves_[fold];
    c.train->replace(c.train_pts);
    c.heldout->replace(c.heldout_pts);
    c.accuracy->replace(c.accuracy_pts);
    // A closed-form model (krr) has one "epoch": a line of one point would draw nothing.
    for (QLineSeries* s : {c.train, c.heldout, c.accuracy}) s->setPointsVisible(s->count() == 1);
  }
  rescale();
}

void TrainingCharts::rescale() {
  const double xmax = std::max(2, max_epoch_);
  for (QValueAxis* x : {loss_x_, acc_x_}) {
    // Interval first: Qt 6.4 lays the dynamic ticks out when the range changes.
    x->setTickInterval(epoch_tick_interval(static_cast<int>(xmax)));
    if (max_epoch_ == 1) x->setRange(0, 2);  // the single epoch in the middle, its markers unclipped
    else x->setRange(1, xmax);
  }
  const double loss_top = max_loss_ > 0 ? max_loss_ * 1.05 : 1.0;
  loss_y_->setRange(0, loss_top);
  acc_y_->setRange(0, 1);
  for (int i = 0; i + 1 < lr_lines_.size(); i += 2) {
    const double x = lr_steps_[i / 2] - 0.5;
    lr_lines_[i]->replace({QPointF(x, 0), QPointF(x, loss_top)});
    lr_lines_[i + 1]->replace({QPointF(x, 0), QPointF(x, 1)});
  }
}

void TrainingCharts::addLearningRateStep(int epoch) {
  lr_steps_.append(epoch);
  QPen pen(QColor(120, 120, 120), 1.2, Qt::DotLine);
  for (auto [chart, x, y] : {std::tuple{loss_chart_, loss_x_, loss_y_}, std::tuple{acc_chart_, acc_x_, acc_y_}}) {
    auto* line = new QLineSeries;
    line->setName(tr("learning-rate step"));
    line->setPen(pen);
    chart->addSeries(line);
    line->attachAxis(x);
    line->attachAxis(y);
    lr_lines_.append(line);
  }
}

void TrainingCharts::show(const std::vector<EpochRecord>& records) {
  clear();
  if (!records.empty()) setCurrentFold(records.back().fold);
  append(records);
}

void TrainingCharts::paintFigure(QPainter& p, const QRectF& rect) const {
  // Each chart is laid out again at its share of the export size, rendered, and put back.
  const double h = rect.height() / 2;
  int i = 0;
  for (QChart* chart : {loss_chart_, acc_chart_}) {
    const QRectF old = chart->geometry();
    const QRectF target(rect.left(), rect.top() + i++ * h, rect.width(), h);
    chart->setGeometry(QRectF(QPointF(0, 0), target.size()));
    chart->scene()->render(&p, target, QRectF(QPointF(0, 0), target.size()), Qt::IgnoreAspectRatio);
    chart->setGeometry(old);
  }
}

void TrainingCharts::writeCsv(std::ostream& out) const {
  out << "fold,epoch,train_loss,heldout_loss,train_accuracy,heldout_accuracy,learning_rate\n";
  for (const EpochRecord& r : records_)
    out << (r.fold < 0 ? std::string("final") : std::to_string(r.fold + 1)) << ',' << r.epoch << ','
        << csv_num(r.train_loss) << ',' << csv_num(r.heldout_loss) << ',' << csv_num(r.train_accuracy) << ','
        << csv_num(r.heldout_accuracy) << ',' << csv_num(r.learning_rate) << '\n';
}

void TrainingCharts::contextMenuEvent(QContextMenuEvent* event) {
  QMenu menu(this);
  add_data_export_actions(menu, *this, this);
  menu.exec(event->globalPos());
}

int TrainingCharts::lossSeriesCount() const { return 2 * static_cast<int>(curves_.size()); }
int TrainingCharts::accuracySeriesCount() const { return static_cast<int>(curves_.size()); }

int TrainingCharts::pointCount(int fold) const {
  const auto it = curves_.constFind(fold);
  return it == curves_.constEnd() ? 0 : it->train->count();
}

}  // namespace genrelab::ui
