// Parameters are declared once (util/param_spec.h): a parameter added to a table shows up, with
// its range and help, in the core's validation and JSON, genrelab-cli's help (app/cli/param_options.h)
// and the GUI's controls (ui/views/param_form.h), with no other edit. And every declared model,
// training and cnn2d parameter of the real tables is offered by the CLI and the Training view.
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QProcess>
#include <QSpinBox>
#include <QTest>

#include <nlohmann/json.hpp>

#include "app/cli/param_options.h"
#include "ml/audio_cnn.h"
#include "ml/model_spec.h"
#include "ui/views/param_form.h"
#include "ui/views/training_view.h"

using namespace genrelab;

namespace {

/// A parameter struct as a newcomer would extend one: `momentum` is the new field, and its table
/// entry the one line that declares it.
struct Toy {
  int width = 8;
  std::vector<int> layers = {4, 2};
  double momentum = 0.9;
};

const std::vector<Param<Toy>>& toy_specs() {
  // clang-format off: one parameter per entry, its fields in the order of Param
  static const std::vector<Param<Toy>> specs = {
      {.key = "width", .field = &Toy::width, .range = {1, 64}, .flag = "--width", .label = "Width", .help = "Units"},
      {.key = "layers",
       .field = &Toy::layers,
       .range = {1, 99},
       .flag = "--layers",
       .label = "Layers",
       .help = "Units per layer"},
      {.key = "momentum",
       .field = &Toy::momentum,
       .range = {0, 1, false, true},
       .flag = "--momentum",
       .label = "Momentum",
       .help = "Share of the last step kept",
       .chosen_on = "the toy data"},
  };
  // clang-format on
  return specs;
}

QString cli_help(const QStringList& args) {
  QProcess cli;
  cli.start(QStringLiteral(GENRELAB_CLI), args);
  if (!cli.waitForFinished(30000)) return {};
  return QString::fromUtf8(cli.readAllStandardOutput());
}

}  // namespace

class ParamDeclarationsTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void aNewParameterReachesValidationJsonCliAndGui() {
    Toy toy;
    // Core: validation and JSON.
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             check_params(toy_specs(), Toy{.width = 8, .layers = {4}, .momentum = 1.0}));
    check_params(toy_specs(), toy);
    nlohmann::json j;
    params_to_json(toy_specs(), toy, j);
    QCOMPARE(j.at("momentum").get<double>(), 0.9);
    // CLI: the option, its range check and its help.
    CLI::App app{"toy"};
    cli::ParamOptions<Toy> options(app, toy_specs(), toy);
    const QString help = QString::fromStdString(app.help());
    QVERIFY2(help.contains(QStringLiteral("--momentum FLOAT:[0, 1)")), qPrintable(help));
    QVERIFY(help.contains(QStringLiteral("Share of the last step kept")));
    app.parse(std::vector<std::string>{"0.5", "--momentum"});  // CLI11 parses the reversed argv
    Toy given{.width = 3, .layers = {1}, .momentum = 0.0};
    options.copy_given(toy, given);
    QCOMPARE(given.momentum, 0.5);
    QCOMPARE(given.width, 3);  // not given: the target's value stays
    // GUI: the control, its range and tooltip.
    ui::ParamForm form;
    form.addParams(toy_specs(), toy);
    form.load();
    auto* momentum = form.findChild<QDoubleSpinBox*>(QStringLiteral("momentum"));
    QVERIFY(momentum);
    QCOMPARE(momentum->value(), 0.5);
    QVERIFY(momentum->maximum() < 1.0);
    QVERIFY(momentum->toolTip().contains(QStringLiteral("Range: [0, 1)")));
    QVERIFY(momentum->toolTip().contains(QStringLiteral("the toy data")));
    momentum->setValue(0.25);
    QCOMPARE(toy.momentum, 0.25);
  }

  void everyDeclaredParameterIsOfferedByTheCliAndTheGui() {
    const QString train = cli_help({QStringLiteral("train"), QStringLiteral("--help")});
    const QString audio = cli_help({QStringLiteral("train-audio"), QStringLiteral("--help")});
    QVERIFY(!train.isEmpty() && !audio.isEmpty());
    ui::TrainingView view;
    const auto offered = [&](std::string_view flag, std::string_view key, std::string_view label) {
      if (!flag.empty()) {
        const QString f = QString::fromUtf8(flag.data(), static_cast<qsizetype>(flag.size())) + QLatin1Char(' ');
        QVERIFY2(train.contains(f) || audio.contains(f), qPrintable(f));
      }
      if (!label.empty()) {
        const QString k = QString::fromUtf8(key.data(), static_cast<qsizetype>(key.size()));
        QVERIFY2(view.modelParams()->editor(k) || view.audioParams()->editor(k), qPrintable(k));
      }
    };
    for (const auto& p : ml::model_param_specs()) offered(p.flag, p.key, p.label);
    for (const auto& p : ml::train_param_specs())
      if (p.key != "epochs" && p.key != "seed") offered(p.flag, p.key, p.label);  // the form's own boxes
    for (const auto& p : ml::audio_cnn_param_specs()) offered(p.flag, p.key, p.label);
  }
};

QTEST_MAIN(ParamDeclarationsTest)
#include "param_declarations_test.moc"
