#!/usr/bin/env bash
# Installs every Debian 12 package GenreLab needs to build, test and run. Idempotent: packages
# already installed are skipped, and apt is not touched at all when nothing is missing.
set -euo pipefail

PACKAGES=(
  # build
  g++ cmake ninja-build pkg-config ccache
  # the style check of the tests (tests/check_format.sh)
  clang-format
  # Qt 6 (Widgets, Charts, Multimedia, Svg); libqt6opengl6-dev is needed by Qt6Charts' CMake config
  qt6-base-dev libqt6opengl6-dev qt6-charts-dev qt6-multimedia-dev qt6-svg-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  # audio, DSP, maths, learning
  libsndfile1-dev libsoxr-dev libfftw3-dev libaubio-dev libeigen3-dev libtorch-dev
  # the feature store: SQLite, zlib for cached spectrograms
  libsqlite3-dev zlib1g-dev
  # OpenBLAS as the system BLAS: libtorch's dense layers run on it (the study's CNN trains 4-6x
  # faster than on Debian's default reference BLAS); it becomes the libblas.so.3 alternative
  # machine-wide
  libopenblas0-pthread
  # command line, JSON, tests
  libcli11-dev nlohmann-json3-dev libgtest-dev libbenchmark-dev
  # fuzzing (scripts/fuzz.sh: clang + libFuzzer) and sanitizers
  clang-14 libfuzzer-14-dev libclang-rt-14-dev
  # headless GUI runs and screenshots
  xvfb xauth fonts-dejavu-core
  # packaging: cpack's .deb (dpkg-shlibdeps computes its Depends), the desktop file and AppStream
  # validators (tests/package), rsvg-convert for scripts/render-icons.sh
  dpkg-dev desktop-file-utils appstream librsvg2-bin
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
echo "setup: installing ${#missing[@]} package(s): ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
