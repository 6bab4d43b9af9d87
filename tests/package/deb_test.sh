#!/usr/bin/env bash
# The Debian package as a user gets it: CPack builds the .deb from the build folder, dpkg -x
# unpacks it into a scratch root, and the programs run from there with a clean environment (no
# LD_LIBRARY_PATH; the scratch folder as HOME, cache and working folder), the GUI offscreen.
# Where `unshare -m` is allowed (root), they run in a mount namespace in which the build and
# source trees (and ../shared beside the source) are hidden under empty tmpfs mounts, so that any
# file read from them would fail.
#   deb_test.sh BUILD_DIR SCRATCH_DIR VERSION SOURCE_DIR
# Needs cpack, dpkg-deb and dpkg-shlibdeps (dpkg-dev), readelf and ldd. About 25 s on 2 busy cores.
set -euo pipefail
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { printf '[%3ds] %s\n' "$SECONDS" "$*"; }
run() { env -i HOME="$scratch/home" XDG_CACHE_HOME="$scratch/cache" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"; }

# The programs, run from the unpacked package in $scratch/root.
run_programs() {
  local root="$scratch/root"
  cd "$scratch"
  step "genrelab-cli --version"
  local out
  out=$(run "$root/usr/bin/genrelab-cli" --version)
  echo "$out"
  [ "$out" = "genrelab-cli $version" ] || fail "genrelab-cli --version printed '$out'"
  run "$root/usr/bin/genrelab-cli" info --help >/dev/null || fail "genrelab-cli info --help"

  step "genrelab --version (offscreen)"
  out=$(run QT_QPA_PLATFORM=offscreen "$root/usr/bin/genrelab" --version 2>/dev/null)
  echo "$out"
  [ "$out" = "GenreLab $version" ] || fail "genrelab --version printed '$out'"
  # The whole window, built and grabbed: a folder that does not exist fails at once, and
  # --screenshot then saves the window and quits.
  gui_screenshot "$scratch/window.png" "$scratch/no-such-dataset"
  if [ "$1" = hidden ]; then
    # No folder and no GENRELAB_DATA: with the source tree out of sight the window falls back to
    # the generated demo dataset (made in the cache folder, its features extracted).
    gui_screenshot "$scratch/window-demo.png"
    # Prediction loads libtorch through the module installed beside the programs
    # (ml/network_model.h); the window has trained and cached the demo's recommended model.
    step "genrelab-cli predict on a demo song (the libtorch module, installed)"
    local song
    song=$(find "$scratch/cache/genrelab/demo" -name '*.wav' | head -n 1)
    run GENRELAB_DATA="$scratch/cache/genrelab/demo" "$root/usr/bin/genrelab-cli" predict "$song" >"$scratch/predict.log" 2>&1 ||
      { cat "$scratch/predict.log" >&2; fail "genrelab-cli predict failed"; }
  fi
}

gui_screenshot() {  # png, arguments...
  local png=$1
  shift
  step "genrelab $* --screenshot (offscreen)"
  run QT_QPA_PLATFORM=offscreen timeout 300 "$scratch/root/usr/bin/genrelab" "$@" --screenshot "$png" >"$png.log" 2>&1 ||
    { cat "$png.log" >&2; fail "genrelab exited with an error"; }
  [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || { cat "$png.log" >&2; fail "genrelab wrote no PNG"; }
}

if [ "${1:-}" = --hidden ]; then
  # Inside the mount namespace: the scratch folder seen at VIEW, then the trees hidden.
  scratch=$2 view=$3 build=$4 source=$5 version=$6 SECONDS=$7
  mount --bind "$scratch" "$view"
  # ../shared beside the source tree too: dataset/default_location.cpp looks for the GTZAN data
  # there (compiled in), and ".." leads out of a tmpfs hiding the source tree.
  shared="$(cd "$source/.." && pwd)/shared"
  for tree in "$build" "$source" "$shared"; do
    [ -d "$tree" ] && mount -t tmpfs -o ro,size=1m none "$tree"
  done
  scratch=$view
  [ -z "$(ls -A "$source")" ] || fail "the source tree is still visible"
  run_programs hidden
  [ -d "$scratch/cache/genrelab/demo" ] || fail "genrelab without a folder did not fall back to the demo dataset"
  exit 0
fi

build=$1 scratch=$2 version=$3 source=$4
rm -rf "$scratch"
mkdir -p "$scratch/out" "$scratch/home" "$scratch/cache"
step "cpack -G DEB"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$scratch/out" >"$scratch/cpack.log" 2>&1 ||
  { cat "$scratch/cpack.log" >&2; fail "cpack failed (log above)"; }
debs=("$scratch"/out/genrelab_"$version"_*.deb)
[ -f "${debs[0]}" ] || fail "no genrelab_${version}_*.deb in $scratch/out"
deb=${debs[0]}
step "$(basename "$deb"): $(du -h "$deb" | cut -f1)"

# The control fields: dependencies computed by dpkg-shlibdeps, and the fields we set.
control=$(dpkg-deb --field "$deb")
echo "$control" | grep -E '^(Package|Version|Section|Homepage|Maintainer|Depends|Recommends):'
for field in 'Section: sound' "Version: $version" 'Homepage: https://' 'Maintainer: ' 'Depends: .*libqt6widgets6' 'Depends: .*libtorch'; do
  echo "$control" | grep -qE "^$field" || fail "control file has no '$field'"
done

step "dpkg -x"
root="$scratch/root"
dpkg -x "$deb" "$root"
for f in usr/bin/genrelab usr/bin/genrelab-cli \
         usr/share/applications/io.github.genrelab.GenreLab.desktop \
         usr/share/metainfo/io.github.genrelab.GenreLab.metainfo.xml \
         usr/share/icons/hicolor/scalable/apps/genrelab.svg \
         usr/share/icons/hicolor/{16x16,32x32,48x48,64x64,128x128,256x256}/apps/genrelab.png \
         usr/share/man/man1/genrelab-cli.1.gz usr/share/man/man1/genrelab.1.gz; do
  [ -e "$root/$f" ] || fail "the package has no /$f"
done
find "$root/usr/lib" -path '*/genrelab/libgenrelab_torch.so' | grep -q . || fail "the package has no /usr/lib/.../genrelab/libgenrelab_torch.so"
# Everything under /usr, nothing elsewhere (e.g. a stray build path).
extra=$(cd "$root" && find . -mindepth 1 -maxdepth 1 ! -name usr)
[ -z "$extra" ] || fail "files outside /usr: $extra"

# Installed binaries: stripped, no RPATH or RUNPATH, every library resolved outside the build
# and source trees (ldd runs with the same clean environment as the programs below).
for exe in "$root/usr/bin/genrelab" "$root/usr/bin/genrelab-cli"; do
  if readelf -d "$exe" | grep -E 'RPATH|RUNPATH'; then fail "$exe carries an RPATH"; fi
  readelf -S "$exe" | grep -q '\.debug_info' && fail "$exe is not stripped"
  libs=$(run ldd "$exe")
  if echo "$libs" | grep 'not found'; then fail "$exe: unresolved libraries"; fi
  if echo "$libs" | grep -F -e "$build" -e "$source"; then fail "$exe loads a library from the build or source tree"; fi
done

if unshare -m --propagation private true 2>/dev/null; then
  view=$(mktemp -d /tmp/genrelab-deb-test.XXXXXX)
  step "the programs, with the build and source trees and ../shared hidden (unshare -m)"
  status=0
  unshare -m --propagation private bash "${BASH_SOURCE[0]}" --hidden "$scratch" "$view" "$build" "$source" "$version" "$SECONDS" ||
    status=$?
  rmdir "$view"
  [ $status -eq 0 ] || exit $status
else
  step "the programs (unshare -m not permitted: the build and source trees stay visible; ldd checked above)"
  run_programs visible
fi

# The man pages: gzip intact, one section per subcommand.
step "man pages"
gzip -t "$root"/usr/share/man/man1/*.gz
zcat "$root/usr/share/man/man1/genrelab-cli.1.gz" | grep -q '^\.SS "genrelab\\-cli train"' || fail "genrelab-cli.1 has no train section"
zcat "$root/usr/share/man/man1/genrelab.1.gz" | grep -q '^\.TH GENRELAB 1' || fail "genrelab.1 has no .TH line"

# AppStream's own check of the installed tree: the metainfo, its desktop file and the icons.
if command -v appstreamcli >/dev/null; then
  step "appstreamcli validate-tree --no-net"
  appstreamcli validate-tree --no-net "$root" || fail "appstreamcli validate-tree"
fi
step "done"
