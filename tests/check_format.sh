#!/usr/bin/env bash
# Fails when a C++ file of the source tree differs from what the root .clang-format makes of it,
# naming the files and the command that formats them. Usage: check_format.sh CLANG_FORMAT SOURCE_DIR
# Another clang-format major version than 14 (Debian 12's, scripts/setup.sh) formats a few
# constructs differently: the check is skipped (exit 77) rather than failing on them.
set -euo pipefail
clang_format="$1"
cd "$2"
major="$("$clang_format" --version | sed -n 's/.*version \([0-9]*\).*/\1/p')"
if [ "$major" != 14 ]; then
  echo "SKIP: $clang_format is version $major; the style is checked with clang-format 14"
  exit 77
fi
if [ -d .git ] || git rev-parse --git-dir >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cpp' '*.h')
else
  mapfile -t files < <(find app core ui tests -name '*.cpp' -o -name '*.h' | sort)
fi
# One run over all files; each violation is reported as "<file>:<line>:<col>: error: ...".
if out="$("$clang_format" --style=file --dry-run --Werror "${files[@]}" 2>&1)"; then
  echo "all ${#files[@]} C++ files formatted by .clang-format"
  exit 0
fi
mapfile -t bad < <(sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: .*/\1/p' <<<"$out" | sort -u)
echo "${#bad[@]} of ${#files[@]} file(s) not formatted by .clang-format:"
printf '  %s\n' "${bad[@]}"
echo "format them with: $clang_format -i --style=file ${bad[*]}"
exit 1
