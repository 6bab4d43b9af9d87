// Item model over a feature table (GUI thread only). Columns: file, label, length, then one per
// feature. Display text is rounded; Qt::UserRole holds the exact double for sorting and export.
#pragma once

#include <QAbstractTableModel>
#include <memory>

#include "dataset/feature_table.h"

namespace genrelab::ui {

class FeatureTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  explicit FeatureTableModel(QObject* parent = nullptr);
  void setTable(std::shared_ptr<const dataset::FeatureTable> table);
  const std::shared_ptr<const dataset::FeatureTable>& table() const { return table_; }

  static constexpr int kFixedColumns = 3;  ///< file, label, length
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  std::shared_ptr<const dataset::FeatureTable> table_;
};

}  // namespace genrelab::ui
