#!/usr/bin/env python3
"""Checks the documentation: runs its runnable commands, resolves its links, sizes the README.

1. Every fenced code block whose info string is ``sh runnable`` (or ``bash runnable``) in
   README.md and docs/**/*.md is run with ``bash -e`` (plus pipefail) in a fresh temporary
   working directory, with the binary directory first on PATH, GENRELAB_DATA passed through
   (default: ../shared/data/gtzan beside the project root), HOME, the XDG folders and TMPDIR
   inside that temporary directory (so nothing is written elsewhere), and a per-block timeout.
   A block that mentions GENRELAB_DATA is skipped (a SKIP line) when that folder does not exist;
   a block that runs the GUI half (``genrelab`` or ``genrelab-cli export``) is skipped when the
   binary directory has no ``genrelab`` (a build with GENRELAB_BUILD_GUI=OFF).
2. Every relative link and image in README.md and docs/**/*.md must point at an existing file
   or folder, and a ``#anchor`` (in the same file or in another Markdown file) at a heading,
   using GitHub's heading slugs.
3. README.md must be smaller than 8192 bytes.

A failure names the file, line and command and prints the block's output; the exit status is
non-zero. Python 3 standard library only.

Usage: python3 tests/docs/run_doc_commands.py --bin-dir build/app --root .
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

README_LIMIT = 8192
RUNNABLE_LANGUAGES = {"sh", "bash"}
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
# The GUI binary as a command word (not genrelab-cli), or the CLI's GUI-only subcommand.
NEEDS_GUI = re.compile(r"(?:^|[\s;|&(`$])genrelab(?![\w-])|genrelab-cli\s+export\b", re.M)


@dataclass
class Block:
    path: Path          # Markdown file
    line: int           # line of the opening fence (1-based)
    info: str           # info string
    code: str           # the block's text, common indentation removed
    first_code_line: int  # line of the block's first line of code


@dataclass
class Document:
    path: Path
    lines: list[str]
    blocks: list[Block]
    prose: list[tuple[int, str]]  # (line number, text) outside fenced code


def read_document(path: Path) -> Document:
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    prose: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m or (m.group("fence")[0] == "`" and "`" in m.group("info")):
            prose.append((i + 1, lines[i]))
            i += 1
            continue
        fence, indent = m.group("fence"), len(m.group("indent"))
        start = i
        body: list[str] = []
        i += 1
        closed = False
        while i < len(lines):
            close = re.match(r"^\s*(`{3,}|~{3,})\s*$", lines[i])
            if close and close.group(1)[0] == fence[0] and len(close.group(1)) >= len(fence):
                closed = True
                break
            body.append(lines[i])
            i += 1
        if not closed:
            raise SystemExit(f"{path}:{start + 1}: code block never closed")
        # Remove the fence's indentation (blocks inside list items).
        body = [b[indent:] if b[:indent].strip() == "" else b.lstrip() for b in body]
        blocks.append(Block(path, start + 1, m.group("info").strip(), "\n".join(body) + "\n", start + 2))
        i += 1  # the closing fence
    return Document(path, lines, blocks, prose)


def is_runnable(block: Block) -> bool:
    words = block.info.split()
    return len(words) >= 2 and words[0] in RUNNABLE_LANGUAGES and "runnable" in words[1:]


# ---------------------------------------------------------------------------------------------
# Links


def strip_inline_code(text: str) -> str:
    return re.sub(r"(`+)(.+?)\1", lambda m: " " * len(m.group(0)), text)


def github_slug(heading: str) -> str:
    """GitHub's anchor for a heading: markup removed, lower case, punctuation dropped, spaces
    to hyphens (github-slugger)."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links and images: their text
    text = re.sub(r"<[^>]+>", "", text)                         # inline HTML tags
    text = text.replace("`", "").strip().lower()
    out = []
    for ch in text:
        if ch in " -_":
            out.append("-" if ch == " " else ch)
        elif unicodedata.category(ch)[0] in "LNM":
            out.append(ch)
        # everything else (punctuation, symbols) is dropped
    return "".join(out)


def anchors_of(doc: Document) -> set[str]:
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for _, text in doc.prose:
        m = re.match(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$", text)
        if m:
            slug = github_slug(m.group(2))
            n = seen.get(slug, 0)
            anchors.add(slug if n == 0 else f"{slug}-{n}")
            seen[slug] = n + 1
        for explicit in re.findall(r"<a\s+(?:name|id)=\"([^\"]+)\"", text):
            anchors.add(explicit)
    return anchors


LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$")


def links_of(doc: Document) -> list[tuple[int, str]]:
    found = []
    for number, text in doc.prose:
        plain = strip_inline_code(text)
        for m in LINK.finditer(plain):
            found.append((number, m.group(1)))
        m = REFERENCE.match(plain)
        if m:
            found.append((number, m.group(1)))
    return found


def check_links(docs: dict[Path, Document], root: Path) -> list[str]:
    problems = []
    anchor_cache: dict[Path, set[str]] = {}

    def anchors(path: Path) -> set[str]:
        if path not in anchor_cache:
            doc = docs.get(path) or read_document(path)
            anchor_cache[path] = anchors_of(doc)
        return anchor_cache[path]

    for path, doc in docs.items():
        for number, target in links_of(doc):
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("//"):
                continue  # http:, https:, mailto: ...
            where = f"{path.relative_to(root)}:{number}"
            file_part, _, anchor = target.partition("#")
            file_part = urllib.parse.unquote(file_part.split("?")[0])
            resolved = (root / file_part.lstrip("/")) if file_part.startswith("/") else \
                (path.parent / file_part) if file_part else path
            resolved = Path(os.path.normpath(resolved))
            if not resolved.exists():
                problems.append(f"{where}: broken link '{target}': {resolved.relative_to(root) if resolved.is_relative_to(root) else resolved} does not exist")
                continue
            if not resolved.is_relative_to(root):
                problems.append(f"{where}: link '{target}' leaves the repository")
                continue
            if anchor and resolved.suffix.lower() == ".md" and resolved.is_file():
                if anchor.lower() not in anchors(resolved):
                    known = ", ".join(sorted(anchors(resolved))[:12])
                    problems.append(f"{where}: broken anchor '{target}': no heading with slug "
                                    f"'#{anchor}' in {resolved.relative_to(root)} (has: {known} ...)")
    return problems


# ---------------------------------------------------------------------------------------------
# Runnable blocks

# One line, so that line N of the block is line N + 1 of the script. The ERR trap names the command
# that failed; the DEBUG trap the one running (for a timeout).
PRELUDE = ("set -o pipefail -o errtrace; "
           "trap 'printf \"%s\\t%s\\n\" \"$LINENO\" \"$BASH_COMMAND\" > \"$GENRELAB_DOCTEST_FAILED\"' ERR; "
           "trap 'printf \"%s\\t%s\\n\" \"$LINENO\" \"$BASH_COMMAND\" > \"$GENRELAB_DOCTEST_CURRENT\"' DEBUG\n")


def run_block(block: Block, root: Path, bin_dir: Path, data: Path, timeout: float,
              keep: bool) -> tuple[str, str, float, str]:
    """Runs one block; returns (status, message, seconds, output), status PASS, FAIL or SKIP."""
    if "GENRELAB_DATA" in block.code and not data.is_dir():
        return "SKIP", f"needs GENRELAB_DATA, {data} does not exist", 0.0, ""
    if NEEDS_GUI.search(block.code) and not (bin_dir / "genrelab").exists():
        return "SKIP", f"needs the GUI half ({bin_dir / 'genrelab'} does not exist)", 0.0, ""

    scratch = Path(tempfile.mkdtemp(prefix="genrelab-doctest-"))
    work = scratch / "work"
    for sub in ("work", "home", "cache", "config", "data", "runtime", "tmp"):
        (scratch / sub).mkdir(mode=0o700)
    env = dict(os.environ)
    env.update({
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "GENRELAB_DATA": str(data),
        "HOME": str(scratch / "home"),
        "XDG_CACHE_HOME": str(scratch / "cache"),
        "XDG_CONFIG_HOME": str(scratch / "config"),
        "XDG_DATA_HOME": str(scratch / "data"),
        "XDG_RUNTIME_DIR": str(scratch / "runtime"),
        "TMPDIR": str(scratch / "tmp"),
        "GENRELAB_DOCTEST_FAILED": str(scratch / "failed-command"),
        "GENRELAB_DOCTEST_CURRENT": str(scratch / "current-command"),
    })
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("OMP_WAIT_POLICY", "passive")
    script = scratch / "block.sh"
    script.write_text(PRELUDE + block.code, encoding="utf-8")

    started = time.monotonic()
    proc = subprocess.Popen(["bash", "-e", str(script)], cwd=work, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        output, _ = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the block's own process group only
        output, _ = proc.communicate()
        timed_out = True
    seconds = time.monotonic() - started
    text = output.decode("utf-8", "replace")

    def recorded(name: str) -> tuple[int, str] | None:
        f = scratch / name
        if not f.exists():
            return None
        lineno, _, command = f.read_text(encoding="utf-8").strip().partition("\t")
        return (int(lineno), command) if lineno.isdigit() else None

    failed = recorded("failed-command")
    current = recorded("current-command")
    if not keep:
        shutil.rmtree(scratch, ignore_errors=True)
    if not timed_out and proc.returncode == 0:
        return "PASS", "", seconds, text

    rel = block.path.relative_to(root)
    code_lines = block.code.splitlines()
    culprit = current if timed_out else failed
    md_line = block.first_code_line
    what = f"block starting `{code_lines[0].strip() if code_lines else ''}`"
    if culprit:
        index = culprit[0] - 2  # the prelude is line 1
        if 0 <= index < len(code_lines):
            md_line = block.first_code_line + index
            what = f"`{code_lines[index].strip()}`"
            if culprit[1] and culprit[1] not in code_lines[index]:
                what += f" (command `{culprit[1]}`)"
        elif culprit[1]:
            what = f"`{culprit[1]}`"
    reason = f"timed out after {timeout:.0f} s in" if timed_out else f"exit status {proc.returncode} from"
    shown = text if len(text) <= 20000 else "[... output cut ...]\n" + text[-20000:]
    message = (f"{rel}:{md_line}: {reason} {what}\n"
               f"--- output of the block at {rel}:{block.line} ---\n{shown.rstrip()}\n--- end of output ---")
    return "FAIL", message, seconds, text


# ---------------------------------------------------------------------------------------------


def markdown_files(root: Path) -> list[Path]:
    files = [root / "README.md"]
    docs = root / "docs"
    if docs.is_dir():
        files += sorted(p for p in docs.rglob("*.md") if p.is_file())
    return [f for f in files if f.is_file()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin-dir", required=True, type=Path, help="folder holding genrelab-cli (and genrelab)")
    parser.add_argument("--root", required=True, type=Path, help="the repository's root")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per block (default 60)")
    parser.add_argument("--only", default="", help="run only blocks whose 'file:line' contains this")
    parser.add_argument("--list", action="store_true", help="list the runnable blocks and exit")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders (to look at them)")
    parser.add_argument("--verbose", action="store_true", help="print the output of every block, not only of failures")
    args = parser.parse_args()

    root = args.root.resolve()
    bin_dir = args.bin_dir.resolve()
    if not (root / "README.md").is_file():
        print(f"error: {root} has no README.md (give the repository root with --root)", file=sys.stderr)
        return 2
    if not (bin_dir / "genrelab-cli").exists():
        print(f"error: {bin_dir} has no genrelab-cli (give the build's app folder with --bin-dir)", file=sys.stderr)
        return 2
    data_env = os.environ.get("GENRELAB_DATA", "")
    data = Path(data_env) if data_env else root.parent / "shared" / "data" / "gtzan"
    data = Path(os.path.abspath(data))

    docs = {path: read_document(path) for path in markdown_files(root)}
    blocks = [b for d in docs.values() for b in d.blocks if is_runnable(b)]
    if args.list:
        for b in blocks:
            print(f"{b.path.relative_to(root)}:{b.line}: {b.code.splitlines()[0] if b.code.strip() else ''}")
        return 0

    passed = failed = skipped = 0
    failures: list[str] = []

    # README size.
    size = (root / "README.md").stat().st_size
    if size < README_LIMIT:
        print(f"PASS README.md is {size} bytes (limit: under {README_LIMIT})")
        passed += 1
    else:
        failures.append(f"README.md: {size} bytes, must be under {README_LIMIT}: move text to docs/")
        print(f"FAIL README.md is {size} bytes (limit: under {README_LIMIT})")
        failed += 1

    # Links.
    problems = check_links(docs, root)
    link_count = sum(len(links_of(d)) for d in docs.values())
    if problems:
        failed += 1
        print(f"FAIL links: {len(problems)} of {link_count} broken")
        failures += problems
    else:
        passed += 1
        print(f"PASS links: {link_count} links in {len(docs)} Markdown files resolve")

    # Runnable blocks.
    if not blocks:
        failed += 1
        failures.append("no ```sh runnable block found in README.md or docs/: the markers were lost")
    print(f"running {len(blocks)} runnable block(s) with {bin_dir} first on PATH, GENRELAB_DATA={data}")
    total_started = time.monotonic()
    for block in blocks:
        where = f"{block.path.relative_to(root)}:{block.line}"
        if args.only and args.only not in where:
            continue
        status, message, seconds, output = run_block(block, root, bin_dir, data, args.timeout, args.keep)
        first = block.code.strip().splitlines()[0] if block.code.strip() else ""
        if status == "PASS":
            passed += 1
            print(f"PASS {where} ({seconds:.1f} s) {first}")
            if args.verbose:
                print(output.rstrip() + "\n")
        elif status == "SKIP":
            skipped += 1
            print(f"SKIP {where}: {message}")
        else:
            failed += 1
            print(f"FAIL {where} ({seconds:.1f} s): {message.splitlines()[0]}")
            failures.append(message)
        sys.stdout.flush()
    print(f"runnable blocks took {time.monotonic() - total_started:.1f} s")

    if failures:
        print("\nFailures:")
        for f in failures:
            print(f"  {f}")
    print(f"docs: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
