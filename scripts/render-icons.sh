#!/usr/bin/env bash
# Renders resources/icons/genrelab.svg into the PNG sizes that are committed beside it
# (resources/icons/<n>x<n>/genrelab.png: the hicolor theme sizes, and what the GUI's
# resources/genrelab.qrc embeds). Run it after editing the SVG, look at the PNGs, commit both.
# Needs rsvg-convert (librsvg2-bin, installed by scripts/setup.sh). The output is deterministic.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
icons="$root/resources/icons"
command -v rsvg-convert >/dev/null || { echo "render-icons: rsvg-convert not found (apt-get install librsvg2-bin)" >&2; exit 1; }
for n in 16 32 48 64 128 256; do
  mkdir -p "$icons/${n}x${n}"
  rsvg-convert --width "$n" --height "$n" --format png --output "$icons/${n}x${n}/genrelab.png" "$icons/genrelab.svg"
  echo "render-icons: $icons/${n}x${n}/genrelab.png"
done
