#include "ui/views/similar_tracks_list.h"

#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include "stats/similar_tracks.h"

namespace genrelab::ui {

namespace {
/// Columns of the list (scoped: other views have columns of their own in the same unity batch).
struct Col {
  enum { rank, similarity, genre, file, count };
};
}  // namespace

SimilarTracksList::SimilarTracksList(QWidget* parent)
    : QWidget(parent), title_(new QLabel(this)), windows_(new QComboBox(this)),
      table_(new QTableWidget(0, Col::count, this)) {
  title_->setWordWrap(true);
  table_->setHorizontalHeaderLabels({tr("#"), tr("Similarity"), tr("Genre"), tr("Track (click to play)")});
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->setVisible(false);
  for (int c = Col::rank; c < Col::file; ++c)
    table_->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setSectionResizeMode(Col::file, QHeaderView::Stretch);
  table_->setToolTip(tr("Cosine similarity of the features standardised on the open table (the study's measure)"));
  connect(table_, &QTableWidget::cellClicked, this, [this](int row, int) {
    const auto* file = table_->item(row, Col::file);
    const auto* genre = table_->item(row, Col::genre);
    if (file && genre) Q_EMIT playRequested(file->text(), genre->text());
  });
  connect(windows_, &QComboBox::currentIndexChanged, this, &SimilarTracksList::refresh);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(title_);
  layout->addWidget(windows_);
  layout->addWidget(table_, 1);
  clear();
}

SimilarTracksList::~SimilarTracksList() = default;

void SimilarTracksList::setIndex(std::shared_ptr<const stats::SimilarTracks> index, const QString& table_name,
                                 const QString& reason) {
  index_ = std::move(index);
  table_name_ = table_name;
  reason_ = reason;
  refresh();
}

void SimilarTracksList::clear() {
  queries_.clear();
  subject_.clear();
  error_.clear();
  exclude_track_.clear();
  const QSignalBlocker block(windows_);
  windows_->clear();
  refresh();
}

void SimilarTracksList::showSong(const QString& title, const std::vector<std::string>& names,
                                 std::vector<Window> windows, const std::string& exclude_track) {
  clear();
  subject_ = title;
  exclude_track_ = exclude_track;
  const QSignalBlocker block(windows_);
  try {
    for (const auto& w : windows) {
      if (w.features.empty()) throw std::invalid_argument(tr("no features were kept for this song").toStdString());
      if (index_) queries_.push_back(index_->query_from(names, w.features));
    }
  } catch (const std::exception& e) {
    queries_.clear();
    error_ = QString::fromUtf8(e.what());
  }
  windows_->addItem(windows.size() == 1 ? tr("Whole song")
                                        : tr("Whole song (mean of its %1 windows)").arg(windows.size()));
  if (windows.size() > 1)
    for (std::size_t i = 0; i < windows.size(); ++i)
      windows_->addItem(
          tr("Window %1: %2–%3 s").arg(i + 1).arg(windows[i].start_s, 0, 'f', 1).arg(windows[i].end_s, 0, 'f', 1));
  refresh();
}

void SimilarTracksList::showTrack(const QString& title, std::vector<std::vector<double>> rows,
                                  const std::string& track_id) {
  clear();
  subject_ = title;
  queries_ = std::move(rows);
  exclude_track_ = track_id;
  const QSignalBlocker block(windows_);
  windows_->addItem(queries_.size() == 1 ? tr("Whole track")
                                         : tr("Whole track (mean of its %1 rows)").arg(queries_.size()));
  refresh();
}

void SimilarTracksList::selectWindow(int w) {
  if (w + 1 < windows_->count()) windows_->setCurrentIndex(w + 1);
}

void SimilarTracksList::refresh() {
  windows_->setVisible(windows_->count() > 1);
  table_->setRowCount(0);
  const QString where = table_name_.isEmpty() ? tr("the open dataset") : table_name_;
  if (!index_) {
    title_->setText(
        tr("<b>Similar tracks</b>: %1").arg(reason_.isEmpty() ? tr("open a dataset with a feature table") : reason_));
    return;
  }
  if (subject_.isEmpty()) {
    title_->setText(tr("<b>Similar tracks</b> in %1 appear here for the selected song.").arg(where.toHtmlEscaped()));
    return;
  }
  if (!error_.isEmpty() || queries_.empty()) {
    title_->setText(tr("<b>Similar tracks</b> to %1: %2").arg(subject_.toHtmlEscaped(), error_.toHtmlEscaped()));
    return;
  }
  title_->setText(
      tr("<b>Similar tracks</b> to %1 in %2%3")
          .arg(subject_.toHtmlEscaped(), where.toHtmlEscaped(),
               exclude_track_.empty()
                   ? QString()
                   : tr(" (rows of %1 left out)").arg(QString::fromStdString(exclude_track_).toHtmlEscaped())));
  std::vector<stats::SimilarTrack> top;
  try {
    const int w = windows_->currentIndex() - 1;
    top = w >= 0 && w < static_cast<int>(queries_.size())
              ? index_->nearest(queries_[static_cast<std::size_t>(w)], kTop, exclude_track_)
              : index_->nearest_mean(queries_, kTop, exclude_track_);
  } catch (const std::exception& e) {  // a NaN in a window's features, say
    title_->setText(tr("<b>Similar tracks</b> to %1: %2")
                        .arg(subject_.toHtmlEscaped(), QString::fromUtf8(e.what()).toHtmlEscaped()));
    return;
  }
  table_->setRowCount(static_cast<int>(top.size()));
  for (std::size_t i = 0; i < top.size(); ++i) {
    const auto row = static_cast<int>(i);
    const QString texts[Col::count] = {QString::number(i + 1), QString::number(top[i].similarity, 'f', 3),
                                       QString::fromStdString(top[i].label), QString::fromStdString(top[i].filename)};
    for (int c = 0; c < Col::count; ++c) {
      auto* item = new QTableWidgetItem(texts[c]);
      item->setTextAlignment(c == Col::rank || c == Col::similarity ? (Qt::AlignRight | Qt::AlignVCenter)
                                                                    : (Qt::AlignLeft | Qt::AlignVCenter));
      table_->setItem(row, c, item);
    }
  }
}

}  // namespace genrelab::ui
