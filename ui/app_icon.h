#pragma once
// GenreLab's application icon (resources/icons), for windows, dialogs and QApplication.

#include <QIcon>

namespace genrelab::ui {

/// The icon at 16, 32, 48, 64, 128 and 256 px, from the resources compiled into genrelab_ui
/// (resources/genrelab.qrc). GUI thread only, like every QIcon use.
QIcon app_icon();

}  // namespace genrelab::ui
