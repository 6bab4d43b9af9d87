#include "ui/models/feature_table_model.h"

namespace genrelab::ui {

FeatureTableModel::FeatureTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void FeatureTableModel::setTable(std::shared_ptr<const dataset::FeatureTable> table) {
  beginResetModel();
  table_ = std::move(table);
  endResetModel();
}

int FeatureTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !table_ ? 0 : static_cast<int>(table_->rows());
}

int FeatureTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() || !table_ ? 0 : kFixedColumns + static_cast<int>(table_->cols());
}

QVariant FeatureTableModel::data(const QModelIndex& index, int role) const {
  if (!table_ || !index.isValid()) return {};
  const auto r = static_cast<std::size_t>(index.row());
  const int c = index.column();
  if (role == Qt::TextAlignmentRole)
    return c < 2 ? QVariant(Qt::AlignLeft | Qt::AlignVCenter) : QVariant(Qt::AlignRight | Qt::AlignVCenter);
  if (role != Qt::DisplayRole && role != Qt::UserRole && role != Qt::ToolTipRole) return {};
  switch (c) {
    case 0:
      return QString::fromStdString(table_->filenames[r]);
    case 1:
      return QString::fromStdString(table_->labels[r]);
    case 2:
      return static_cast<qlonglong>(table_->lengths[r]);
    default: {
      const double v = table_->at(r, static_cast<std::size_t>(c - kFixedColumns));
      if (role == Qt::UserRole) return v;
      if (role == Qt::ToolTipRole) return QString::number(v, 'g', 17);
      return QString::number(v, 'g', 6);
    }
  }
}

QVariant FeatureTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (role != Qt::DisplayRole || !table_) return {};
  if (orientation == Qt::Vertical) return section + 1;
  switch (section) {
    case 0:
      return tr("filename");
    case 1:
      return tr("label");
    case 2:
      return tr("length");
    default:
      return QString::fromStdString(table_->feature_names[static_cast<std::size_t>(section - kFixedColumns)]);
  }
}

}  // namespace genrelab::ui
