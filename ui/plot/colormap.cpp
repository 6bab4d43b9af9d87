#include "ui/plot/colormap.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace genrelab::ui {
namespace {

using Poly = std::array<std::array<double, 3>, 7>;

// Degree-6 polynomial fits of matplotlib's viridis and magma (Matt Zucker's public fits; error
// below 1/255 over the whole range).
constexpr Poly kViridis = {{{0.2777273272234177, 0.005407344544966578, 0.3340998053353061},
                            {0.1050930431085774, 1.404613529898575, 1.384590162594685},
                            {-0.3308618287255563, 0.214847559468213, 0.09509516302823659},
                            {-4.634230498983486, -5.799100973351585, -19.33244095627987},
                            {6.228269936347081, 14.17993336680509, 56.69055260068105},
                            {4.776384997670288, -13.74514537774601, -65.35303263337234},
                            {-5.435455855934631, 4.645852612178535, 26.3124352495832}}};
constexpr Poly kMagma = {{{-0.002136485053939582, -0.000749655052795221, -0.005386127855323933},
                          {0.2516605407371642, 0.6775232436837668, 2.494026599312351},
                          {8.353717279216625, -3.577719514958484, 0.3144679030132573},
                          {-27.66873308576866, 14.26473078096533, -13.64921318813922},
                          {52.17613981234068, -27.94360607168351, 12.94416944238394},
                          {-50.76852536473588, 29.04658282127291, 4.23415299384598},
                          {18.65570506591883, -11.48977351997711, -5.601961508734096}}};

// ColorBrewer RdBu reversed (negative blue, positive red), anchors at -1 … 1.
constexpr std::array<std::array<int, 3>, 9> kDiverging = {{{5, 48, 97},
                                                           {33, 102, 172},
                                                           {67, 147, 195},
                                                           {146, 197, 222},
                                                           {247, 247, 247},
                                                           {244, 165, 130},
                                                           {214, 96, 77},
                                                           {178, 24, 43},
                                                           {103, 0, 31}}};

int channel(double v) { return std::clamp(static_cast<int>(std::lround(v * 255.0)), 0, 255); }

QRgb polynomial(const Poly& p, double t) {
  std::array<double, 3> c{};
  for (int k = 0; k < 3; ++k) {
    double v = p[6][static_cast<std::size_t>(k)];
    for (int i = 5; i >= 0; --i) v = p[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)] + t * v;
    c[static_cast<std::size_t>(k)] = v;
  }
  return qRgb(channel(c[0]), channel(c[1]), channel(c[2]));
}

}  // namespace

QRgb colormap(ColorMap map, double t) {
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0);
  switch (map) {
    case ColorMap::Magma:
      return polynomial(kMagma, t);
    case ColorMap::Viridis:
      return polynomial(kViridis, t);
    case ColorMap::Diverging: {
      const double x = t * static_cast<double>(kDiverging.size() - 1);
      const auto i = std::min(static_cast<std::size_t>(x), kDiverging.size() - 2);
      const double f = x - static_cast<double>(i);
      auto mix = [&](int k) {
        return static_cast<int>(std::lround(kDiverging[i][static_cast<std::size_t>(k)] * (1 - f) +
                                            kDiverging[i + 1][static_cast<std::size_t>(k)] * f));
      };
      return qRgb(mix(0), mix(1), mix(2));
    }
  }
  return qRgb(0, 0, 0);
}

QVector<QRgb> colormap_table(ColorMap map) {
  QVector<QRgb> table(256);
  for (int i = 0; i < 256; ++i) table[i] = colormap(map, i / 255.0);
  return table;
}

QColor category_color(int index) {
  static const std::array<QRgb, 20> kColors = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2,
                                               0x7f7f7f, 0xbcbd22, 0x17becf, 0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896,
                                               0xc5b0d5, 0xc49c94, 0xf7b6d2, 0xc7c7c7, 0xdbdb8d, 0x9edae5};
  return QColor::fromRgb(kColors[static_cast<std::size_t>(std::abs(index)) % kColors.size()]);
}

}  // namespace genrelab::ui
