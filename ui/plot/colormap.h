// Colour maps for figures: perceptual sequential maps (magma, viridis) and a diverging map
// (blue - white - red) for signed values such as correlations. Pure functions, thread-safe.
#pragma once

#include <QColor>
#include <QVector>

namespace genrelab::ui {

enum class ColorMap { Magma, Viridis, Diverging };

/// Colour of t in [0, 1] (clamped). For Diverging, 0.5 is white.
QRgb colormap(ColorMap map, double t);
/// 256 entries, for QImage::Format_Indexed8 colour tables.
QVector<QRgb> colormap_table(ColorMap map);
/// Categorical colours for genres (matplotlib's tab10, then tab20's light shades).
QColor category_color(int index);

}  // namespace genrelab::ui
