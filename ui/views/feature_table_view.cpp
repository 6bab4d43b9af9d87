#include "ui/views/feature_table_view.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include "ui/models/feature_table_model.h"
#include "util/error.h"

namespace genrelab::ui {
namespace {

/// Matches the filter against the file and label columns only, so numbers never match by accident.
class TextColumnsFilter : public QSortFilterProxyModel {
 public:
  using QSortFilterProxyModel::QSortFilterProxyModel;

 protected:
  bool filterAcceptsRow(int row, const QModelIndex& parent) const override {
    const auto& re = filterRegularExpression();
    if (re.pattern().isEmpty()) return true;
    for (int c = 0; c < 2; ++c)
      if (sourceModel()->index(row, c, parent).data().toString().contains(re)) return true;
    return false;
  }
};

}  // namespace

FeatureTableView::FeatureTableView(QWidget* parent)
    : QWidget(parent), model_(new FeatureTableModel(this)), proxy_(new TextColumnsFilter(this)),
      view_(new QTableView(this)), filter_(new QLineEdit(this)), count_(new QLabel(this)) {
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(Qt::UserRole);  // exact numbers, not their rounded text
  view_->setModel(proxy_);
  view_->setSortingEnabled(true);
  view_->setAlternatingRowColors(true);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->verticalHeader()->setDefaultSectionSize(22);
  view_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);  // uniform rows: 10k rows scroll smoothly
  view_->horizontalHeader()->setDefaultSectionSize(110);
  filter_->setPlaceholderText(tr("Filter by file or label (e.g. jazz)…"));
  filter_->setClearButtonEnabled(true);
  auto* exportButton = new QPushButton(tr("Export CSV…"), this);
  auto* top = new QHBoxLayout;
  top->addWidget(filter_, 1);
  top->addWidget(count_);
  top->addWidget(exportButton);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(top);
  layout->addWidget(view_, 1);

  connect(filter_, &QLineEdit::textChanged, this, [this](const QString& text) {
    proxy_->setFilterRegularExpression(
        QRegularExpression(QRegularExpression::escape(text), QRegularExpression::CaseInsensitiveOption));
    refreshCount();
  });
  connect(view_, &QTableView::activated, this, [this](const QModelIndex& index) {
    const auto row = proxy_->mapToSource(index).row();
    Q_EMIT rowActivated(model_->index(row, 0).data().toString(), model_->index(row, 1).data().toString());
  });
  connect(exportButton, &QPushButton::clicked, this, [this] {
    QSettings settings;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export table"),
        settings.value(QStringLiteral("exportFolder")).toString() + QStringLiteral("/features.csv"),
        tr("CSV table (*.csv)"));
    if (path.isEmpty()) return;
    settings.setValue(QStringLiteral("exportFolder"), QFileInfo(path).absolutePath());
    try {
      exportCsv(path);
    } catch (const FileError& e) {
      auto* box = new QMessageBox(QMessageBox::Warning, tr("Export failed"), QString::fromStdString(e.what()),
                                  QMessageBox::Ok, this);
      box->setAttribute(Qt::WA_DeleteOnClose);
      box->show();
    }
  });
  refreshCount();
}

void FeatureTableView::setTable(std::shared_ptr<const dataset::FeatureTable> table, const QString& source) {
  source_ = source;
  model_->setTable(std::move(table));
  view_->horizontalHeader()->resizeSection(0, 170);
  refreshCount();
}

void FeatureTableView::refreshCount() {
  const auto& t = model_->table();
  count_->setText(t ? tr("%1 of %2 rows, %3 features").arg(proxy_->rowCount()).arg(t->rows()).arg(t->cols())
                    : tr("no table"));
}

dataset::FeatureTable FeatureTableView::visibleRows() const {
  dataset::FeatureTable out;
  const auto& t = model_->table();
  if (!t) return out;
  out.feature_names = t->feature_names;
  for (int i = 0; i < proxy_->rowCount(); ++i) {
    const auto r = static_cast<std::size_t>(proxy_->mapToSource(proxy_->index(i, 0)).row());
    out.append(t->filenames[r], t->lengths[r], t->row(r), t->labels[r]);
  }
  return out;
}

void FeatureTableView::exportCsv(const QString& path) const {
  dataset::write_feature_table(path.toStdString(), visibleRows());
}

}  // namespace genrelab::ui
