// Controls generated from parameter declarations (util/param_spec.h): a spin box per number, a
// check box per flag, a line edit per list of integers, each with the declaration's range, label
// and help (tooltip: help, range and where the default comes from), named by its key. The form
// edits a parameter struct the caller owns; rows whose parameter does not apply to the struct's
// current values (e.g. another model kind's) are hidden.
#pragma once

#include <QFormLayout>
#include <QString>
#include <QWidget>
#include <functional>
#include <vector>

#include "util/param_spec.h"

namespace genrelab::ui {

/// The tooltip of a parameter's control: help, range, where its default comes from.
QString param_tooltip(std::string_view help, const QString& range, std::string_view chosen_on);

class ParamForm : public QWidget {
  Q_OBJECT
 public:
  explicit ParamForm(QWidget* parent = nullptr);

  /// Adds a row for every parameter of `specs` that has a label and passes `keep`, editing
  /// `values` (which must outlive the form).
  template <class Owner>
  void addParams(const std::vector<Param<Owner>>& specs, Owner& values,
                 const std::function<bool(const Param<Owner>&)>& keep = {}) {
    for (const auto& spec : specs)
      if (!spec.label.empty() && (!keep || keep(spec))) addRow(spec, values);
  }
  /// Shows the struct's values in the controls, and only the rows that apply to them.
  void load();
  /// Writes the controls' values into the struct(s).
  void store() const;
  /// The control of a parameter (its key), or null.
  QWidget* editor(const QString& key) const;
  int rowCount() const { return static_cast<int>(rows_.size()); }

 Q_SIGNALS:
  /// The user changed a value (the struct is updated before the signal).
  void edited();

 private:
  struct Row {
    QWidget* editor = nullptr;
    std::function<void()> load, store;
    std::function<bool()> applies;
  };
  template <class Owner>
  void addRow(const Param<Owner>& spec, Owner& values);
  QWidget* makeEditor(const QString& key, bool flag, bool list, bool integer, const ParamRange& range, bool ranged,
                      const QString& label, const QString& tooltip);
  void setValue(QWidget* editor, double number, const QString& text) const;
  double numberOf(QWidget* editor) const;
  QString textOf(QWidget* editor) const;

  QFormLayout* layout_;
  std::vector<Row> rows_;
};

template <class Owner>
void ParamForm::addRow(const Param<Owner>& spec, Owner& values) {
  const auto* p = &spec;  // the tables are static
  const QString key = QString::fromUtf8(spec.key.data(), static_cast<qsizetype>(spec.key.size()));
  const QString range = spec.has_range() ? QString::fromStdString(spec.range.text(spec.is_integer())) : QString();
  QWidget* editor = makeEditor(key, spec.is_flag(), spec.is_list(), spec.is_integer(), spec.range, spec.has_range(),
                               QString::fromUtf8(spec.label.data(), static_cast<qsizetype>(spec.label.size())),
                               param_tooltip(spec.help, range, spec.chosen_on));
  Row row;
  row.editor = editor;
  row.load = [this, p, &values, editor] {
    setValue(editor, p->is_list() ? 0.0 : p->number(values), QString::fromStdString(p->text(values)));
  };
  row.store = [this, p, &values, editor] {
    if (p->is_list()) {
      std::vector<int> list;
      for (const auto& part : textOf(editor).split(QLatin1Char(','), Qt::SkipEmptyParts))
        list.push_back(part.trimmed().toInt());
      values.*std::get<std::vector<int> Owner::*>(p->field) = std::move(list);
    } else {
      p->set_number(values, numberOf(editor));
    }
  };
  row.applies = [p, &values] { return p->applies_to(values); };
  rows_.push_back(std::move(row));
}

}  // namespace genrelab::ui
