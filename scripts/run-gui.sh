#!/usr/bin/env bash
# Sets up, builds and starts the GenreLab GUI. It opens $GENRELAB_DATA, else ../shared/data/gtzan,
# else a small demo dataset it generates. Without a display it runs under Xvfb.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh"
app="${GENRELAB_BUILD_DIR:-$root/build}/app/genrelab"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ "${QT_QPA_PLATFORM:-}" != "offscreen" ]; then
  echo "run-gui: no display found, starting under xvfb-run (set DISPLAY to see the window)"
  exec xvfb-run -a -s "-screen 0 1600x1000x24" "$app" "$@"
fi
exec "$app" "$@"
