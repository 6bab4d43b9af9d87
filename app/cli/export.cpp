// genrelab-cli export: the GUI's figures, headless (Qt offscreen), to PNG/SVG/PDF. QtGui only
// (genrelab_figures): the command-line tool links no Qt Widgets.
#include <QFileInfo>
#include <QGuiApplication>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "common.h"
#include "dataset/feature_table.h"
#include "stats/feature_matrix.h"
#include "ui/figures/eda_data.h"
#include "ui/figures/eda_figures.h"
#include "ui/figures/spectrogram_figure.h"
#include "ui/plot/figure_export.h"
#include "util/error.h"

namespace genrelab::cli {
namespace {

struct ExportArgs {
  std::filesystem::path table;   // feature table (kde, correlation, pca, similarity)
  std::filesystem::path audio;   // audio file (mel)
  std::filesystem::path output;  // .png, .svg or .pdf
  std::string figure = "kde";    // kde | correlation | pca | similarity | mel
  std::string feature;           // kde: feature name, or "all" for the grid (default: the first)
  std::string features = "all";  // pca/similarity subset: all | mfcc | non-mfcc
  double threshold = 0.8;        // correlation: redundancy filter threshold marked on the heatmap
  bool tracks = false;           // similarity: track x track instead of genre x genre
  double dpi = 150;
  bool json = false;
};

int run_export(const ExportArgs& args) {
  // Fonts need a QGuiApplication; without a display use the offscreen platform.
  if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
      qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
    qputenv("QT_QPA_PLATFORM", "offscreen");
  int argc = 1;
  char name[] = "genrelab-cli";
  char* argv[] = {name, nullptr};
  QGuiApplication app(argc, argv);

  const QString out = QString::fromStdString(args.output.string());
  ui::ExportOptions options;
  options.dpi = args.dpi;
  try {
    std::unique_ptr<ui::Figure> figure;
    if (args.figure == "mel") {
      if (args.audio.empty()) return error_exit("--figure mel needs --audio FILE", args.json);
      auto mel = std::make_unique<ui::SpectrogramFigure>();
      mel->setPicture(ui::compute_track_picture(QString::fromStdString(args.audio.string())));
      figure = std::move(mel);
    } else {
      if (args.table.empty()) return error_exit("--figure " + args.figure + " needs a feature table", args.json);
      const auto table = dataset::read_feature_table(args.table, {.require_kaggle_schema = false});
      const auto subset = stats::parse_feature_subset(args.features);
      if (!subset) return error_exit("--features must be all, mfcc or non-mfcc", args.json);
      const auto eda = ui::compute_eda(table, *subset, QString::fromStdString(args.table.filename().string()));
      if (args.figure == "kde") {
        auto kde = std::make_unique<ui::KdeFigure>();
        kde->setData(eda);
        if (args.feature == "all") {
          kde->grid = true;
        } else if (!args.feature.empty()) {
          const int c = table.column(args.feature);
          if (c < 0) return error_exit("no feature '" + args.feature + "' in " + args.table.string(), args.json);
          kde->feature = c;
        }
        figure = std::move(kde);
      } else if (args.figure == "correlation") {
        auto corr = std::make_unique<ui::CorrelationFigure>();
        corr->setData(eda);
        corr->filter.threshold = args.threshold;
        figure = std::move(corr);
      } else if (args.figure == "pca") {
        auto pca = std::make_unique<ui::PcaFigure>();
        pca->setData(eda);
        figure = std::move(pca);
      } else if (args.figure == "similarity") {
        auto sim = std::make_unique<ui::SimilarityFigure>();
        sim->setData(eda);
        sim->tracks = args.tracks;
        figure = std::move(sim);
      } else {
        return error_exit("unknown figure '" + args.figure + "' (kde, correlation, pca, similarity, mel)", args.json);
      }
    }
    const ui::Figure& f = *figure;
    ui::export_figure(f, out, options);
    const auto bytes = QFileInfo(out).size();
    if (args.json)
      print_json({{"output", args.output.string()},
                  {"figure", args.figure},
                  {"title", f.figureTitle().toStdString()},
                  {"bytes", bytes}});
    else
      std::printf("wrote %s (%s, %lld bytes)\n", args.output.c_str(), f.figureTitle().toUtf8().constData(),
                  static_cast<long long>(bytes));
    return 0;
  } catch (const FileError& e) {
    return error_exit(e.what(), args.json);
  } catch (const std::invalid_argument& e) {
    return error_exit(e.what(), args.json);
  }
}

}  // namespace

void add_export(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<ExportArgs>();
  auto* exporter = app.add_subcommand(
      "export", "Write a figure of the GUI (KDE, correlation, PCA, similarity, mel spectrogram) as PNG, SVG or PDF");
  exporter->add_option("table", args->table, "Feature table (kde, correlation, pca, similarity)");
  exporter->add_option("--figure", args->figure, "kde, correlation, pca, similarity or mel")
      ->check(CLI::IsMember({"kde", "correlation", "pca", "similarity", "mel"}));
  exporter->add_option("--feature", args->feature, "kde: feature name, or 'all' for the grid of every feature");
  exporter->add_option("--features", args->features, "pca/similarity: all, mfcc or non-mfcc")
      ->check(CLI::IsMember({"all", "mfcc", "non-mfcc"}));
  exporter->add_option("--threshold", args->threshold, "correlation: redundancy threshold to mark")
      ->check(CLI::Range(0.01, 1.0));
  exporter->add_flag("--tracks", args->tracks, "similarity: track x track instead of genre x genre");
  exporter->add_option("--audio", args->audio, "mel: the audio file");
  exporter->add_option("--dpi", args->dpi, "PNG resolution")->check(CLI::Range(10.0, 2400.0));
  exporter->add_option("-o,--output", args->output, "Output file (.png, .svg or .pdf), written atomically")->required();
  exporter->add_flag("--json", args->json, "Machine-readable output");
  run_when_chosen(*exporter, runner, [args] { return run_export(*args); });
}

}  // namespace genrelab::cli
