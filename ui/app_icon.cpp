#include "ui/app_icon.h"

#include <array>

// genrelab_ui is a static library: nothing references the compiled resource's initialiser, so
// the linker would drop it unless it is called by name. Q_INIT_RESOURCE must be used outside
// any namespace.
static void init_genrelab_resources() { Q_INIT_RESOURCE(genrelab); }

namespace genrelab::ui {

QIcon app_icon() {
  static const bool registered = (init_genrelab_resources(), true);
  (void)registered;
  // One PNG per size, each rendered from the SVG for that size, rather than one SVG scaled by
  // the icon engine: no dependence on Qt's SVG icon plug-in, and crisp small sizes.
  static constexpr std::array kSizes = {16, 32, 48, 64, 128, 256};
  QIcon icon;
  for (const int n : kSizes) icon.addFile(QStringLiteral(":/icons/genrelab-%1.png").arg(n), QSize(n, n));
  return icon;
}

}  // namespace genrelab::ui
