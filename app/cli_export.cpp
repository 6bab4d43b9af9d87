// genrelab-cli export: the GUI's figures, headless (Qt offscreen), to PNG/SVG/PDF. QtGui only
// (genrelab_figures): the command-line tool links no Qt Widgets.
#include <QGuiApplication>
#include <QFileInfo>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli_commands.h"
#include "dataset/feature_table.h"
#include "stats/feature_matrix.h"
#include "ui/figures/eda_data.h"
#include "ui/figures/eda_figures.h"
#include "ui/figures/spectrogram_figure.h"
#include "ui/plot/figure_export.h"
#include "util/error.h"

namespace genrelab::cli {
namespace {

int fail(const std::string& message, bool as_json) {
  if (as_json) std::cout << nlohmann::json{{"error", message}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
  else std::cerr << "error: " << message << "\n";
  return 1;
}

}  // namespace

int cmd_export(const ExportArgs& args) {
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
      if (args.audio.empty()) return fail("--figure mel needs --audio FILE", args.json);
      auto mel = std::make_unique<ui::SpectrogramFigure>();
      mel->setPicture(ui::compute_track_picture(QString::fromStdString(args.audio.string())));
      figure = std::move(mel);
    } else {
      if (args.table.empty()) return fail("--figure " + args.figure + " needs a feature table", args.json);
      const auto table = dataset::read_feature_table(args.table, {.require_kaggle_schema = false});
      const auto subset = stats::parse_feature_subset(args.features);
      if (!subset) return fail("--features must be all, mfcc or non-mfcc", args.json);
      const auto eda = ui::compute_eda(table, *subset, QString::fromStdString(args.table.filename().string()));
      if (args.figure == "kde") {
        auto kde = std::make_unique<ui::KdeFigure>();
        kde->setData(eda);
        if (args.feature == "all") {
          kde->grid = true;
        } else if (!args.feature.empty()) {
          const int c = table.column(args.feature);
          if (c < 0) return fail("no feature '" + args.feature + "' in " + args.table.string(), args.json);
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
        return fail("unknown figure '" + args.figure + "' (kde, correlation, pca, similarity, mel)", args.json);
      }
    }
    const ui::Figure& f = *figure;
    ui::export_figure(f, out, options);
    const auto bytes = QFileInfo(out).size();
    if (args.json)
      std::cout << nlohmann::json{{"output", args.output.string()}, {"figure", args.figure}, {"title", f.figureTitle().toStdString()},
                                  {"bytes", bytes}}.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
    else
      std::printf("wrote %s (%s, %lld bytes)\n", args.output.c_str(), f.figureTitle().toUtf8().constData(), static_cast<long long>(bytes));
    return 0;
  } catch (const FileError& e) {
    return fail(e.what(), args.json);
  } catch (const std::invalid_argument& e) {
    return fail(e.what(), args.json);
  }
}

}  // namespace genrelab::cli
