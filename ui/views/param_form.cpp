#include "ui/views/param_form.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <algorithm>
#include <limits>

namespace genrelab::ui {

QString param_tooltip(std::string_view help, const QString& range, std::string_view chosen_on) {
  QString text = QString::fromUtf8(help.data(), static_cast<qsizetype>(help.size()));
  if (!range.isEmpty()) text += QObject::tr("\nRange: %1").arg(range);
  if (!chosen_on.empty())
    text += QObject::tr("\nDefault chosen on: %1")
                .arg(QString::fromUtf8(chosen_on.data(), static_cast<qsizetype>(chosen_on.size())));
  return text;
}

ParamForm::ParamForm(QWidget* parent) : QWidget(parent), layout_(new QFormLayout(this)) {
  layout_->setContentsMargins(0, 0, 0, 0);
}

QWidget* ParamForm::makeEditor(const QString& key, bool flag, bool list, bool integer, const ParamRange& range,
                               bool ranged, const QString& label, const QString& tooltip) {
  QWidget* editor = nullptr;
  if (flag) {
    auto* box = new QCheckBox(label, this);
    connect(box, &QCheckBox::toggled, this, [this] {
      store();
      Q_EMIT edited();
    });
    editor = box;
    layout_->addRow(box);
  } else {
    if (list) {
      auto* line = new QLineEdit(this);
      line->setValidator(
          new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\s*\\d+(\\s*,\\s*\\d+)*\\s*")), line));
      connect(line, &QLineEdit::editingFinished, this, [this] {
        store();
        Q_EMIT edited();
      });
      editor = line;
    } else if (integer) {
      auto* spin = new QSpinBox(this);
      constexpr double kIntMax = std::numeric_limits<int>::max();
      spin->setRange(static_cast<int>(ranged ? std::max(range.min, -kIntMax) : 0.0),
                     static_cast<int>(ranged ? std::min(range.max, kIntMax) : kIntMax));
      connect(spin, &QSpinBox::valueChanged, this, [this] {
        store();
        Q_EMIT edited();
      });
      editor = spin;
    } else {
      auto* spin = new QDoubleSpinBox(this);
      constexpr int kDecimals = 4;
      constexpr double kStep = 1e-4;  // the smallest step at kDecimals
      spin->setDecimals(kDecimals);
      spin->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
      // Open ends: the nearest value the spin box can show inside the range.
      spin->setRange(range.min + (range.min_open ? kStep : 0.0), range.max - (range.max_open ? kStep : 0.0));
      connect(spin, &QDoubleSpinBox::valueChanged, this, [this] {
        store();
        Q_EMIT edited();
      });
      editor = spin;
    }
    layout_->addRow(label, editor);
  }
  editor->setObjectName(key);
  editor->setToolTip(tooltip);
  return editor;
}

void ParamForm::setValue(QWidget* editor, double number, const QString& text) const {
  const QSignalBlocker block(editor);
  if (auto* box = qobject_cast<QCheckBox*>(editor)) box->setChecked(number != 0.0);
  else if (auto* line = qobject_cast<QLineEdit*>(editor)) line->setText(text);
  else if (auto* spin = qobject_cast<QSpinBox*>(editor)) spin->setValue(static_cast<int>(number));
  else if (auto* real = qobject_cast<QDoubleSpinBox*>(editor)) real->setValue(number);
}

double ParamForm::numberOf(QWidget* editor) const {
  if (auto* box = qobject_cast<QCheckBox*>(editor)) return box->isChecked() ? 1.0 : 0.0;
  if (auto* spin = qobject_cast<QSpinBox*>(editor)) return spin->value();
  if (auto* real = qobject_cast<QDoubleSpinBox*>(editor)) return real->value();
  return 0.0;
}

QString ParamForm::textOf(QWidget* editor) const {
  auto* line = qobject_cast<QLineEdit*>(editor);
  return line ? line->text() : QString();
}

void ParamForm::load() {
  for (const Row& row : rows_) {
    row.load();
    layout_->setRowVisible(row.editor, row.applies());
  }
}

void ParamForm::store() const {
  for (const Row& row : rows_) row.store();
}

QWidget* ParamForm::editor(const QString& key) const {
  for (const Row& row : rows_)
    if (row.editor->objectName() == key) return row.editor;
  return nullptr;
}

}  // namespace genrelab::ui
