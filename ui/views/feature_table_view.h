// The feature table: sortable (numerically), filterable by file name or label, exportable as CSV
// (the rows shown, in the Kaggle format, written atomically).
#pragma once

#include <QWidget>
#include <memory>

#include "dataset/feature_table.h"

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace genrelab::ui {

class FeatureTableModel;

class FeatureTableView : public QWidget {
  Q_OBJECT
 public:
  explicit FeatureTableView(QWidget* parent = nullptr);
  void setTable(std::shared_ptr<const dataset::FeatureTable> table, const QString& source);
  /// The rows currently shown (after filter and sort), as a table.
  dataset::FeatureTable visibleRows() const;
  /// Writes visibleRows() to `path`; throws FileError.
  void exportCsv(const QString& path) const;
  QTableView* tableView() const { return view_; }
  QSortFilterProxyModel* proxy() const { return proxy_; }

 Q_SIGNALS:
  /// A row was activated: its file name and label.
  void rowActivated(const QString& filename, const QString& label);

 private:
  void refreshCount();
  FeatureTableModel* model_;
  QSortFilterProxyModel* proxy_;
  QTableView* view_;
  QLineEdit* filter_;
  QLabel* count_;
  QString source_;
};

}  // namespace genrelab::ui
