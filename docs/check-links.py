#!/usr/bin/env python3
"""Check the relative links of README.md and docs/**/*.md.

Every link to a relative path must name an existing file or directory, and every
`#anchor` (in the same file or in another Markdown file) must match a heading there,
with GitHub's slugs: lower case, punctuation other than `-` and `_` dropped, spaces
turned into `-`, and `-1`, `-2`... appended to repeated headings. Links inside code
(fenced blocks and inline code spans) are not links and are skipped, as are absolute
URLs (`https:`, `mailto:` ...).

Usage: python3 docs/check-links.py   (from anywhere; exits 1 listing the broken links)
"""

import os
import re
import sys
from urllib.parse import unquote

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
# [text](target "title") and ![alt](target); the text may hold nested brackets once.
INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
HTML_LINK = re.compile(r"""<a\s[^>]*href=["']([^"']+)["']""", re.IGNORECASE)
HTML_ANCHOR = re.compile(r"""<a\s[^>]*(?:name|id)=["']([^"']+)["']""", re.IGNORECASE)
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def markdown_files():
    files = [os.path.join(ROOT, "README.md")]
    for base, dirs, names in os.walk(os.path.join(ROOT, "docs")):
        dirs.sort()
        files += [os.path.join(base, n) for n in sorted(names) if n.endswith(".md")]
    return [f for f in files if os.path.isfile(f)]


def prose_lines(text):
    """(line number, line) outside fenced code blocks."""
    fence = None
    for number, line in enumerate(text.split("\n"), 1):
        match = FENCE.match(line)
        if match:
            mark = match.group(1)
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence):
                fence = None
            continue
        if fence is None:
            yield number, line


def slug(heading):
    """GitHub's anchor for a heading's text."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links: their text
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    text = text.replace("`", "").lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


_anchors = {}


def anchors(path):
    """Every anchor a Markdown file defines."""
    if path not in _anchors:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        seen, found = {}, set()
        for _, line in prose_lines(text):
            match = HEADING.match(line)
            if match:
                base = slug(match.group(2))
                count = seen.get(base, 0)
                seen[base] = count + 1
                found.add(base if count == 0 else f"{base}-{count}")
            for name in HTML_ANCHOR.findall(line):
                found.add(name)
        _anchors[path] = found
    return _anchors[path]


def links(text):
    """(line number, target) of every link outside code."""
    for number, line in prose_lines(text):
        for target in REFERENCE.findall(line):
            yield number, target
        bare = CODE_SPAN.sub("", line)
        for target in INLINE.findall(bare):
            yield number, target
        for target in HTML_LINK.findall(bare):
            yield number, target


def check(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    broken = []
    for number, target in links(text):
        if not target or SCHEME.match(target) or target.startswith("//"):
            continue
        file_part, _, anchor = target.partition("#")
        file_part = unquote(file_part)
        if file_part.startswith("/"):
            broken.append((number, target, "absolute path"))
            continue
        dest = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
        if not os.path.exists(dest):
            broken.append((number, target, "no such file"))
            continue
        if anchor:
            if not dest.endswith(".md") or os.path.isdir(dest):
                broken.append((number, target, "anchor into a file that is not Markdown"))
            elif unquote(anchor) not in anchors(dest):
                broken.append((number, target, "no such heading"))
    return broken


def main():
    files = markdown_files()
    problems = 0
    count = 0
    for path in files:
        rel = os.path.relpath(path, ROOT)
        with open(path, encoding="utf-8") as f:
            count += sum(1 for _ in links(f.read()))
        for number, target, why in check(path):
            print(f"{rel}:{number}: broken link `{target}`: {why}")
            problems += 1
    if problems:
        print(f"{problems} broken link(s) in {len(files)} file(s)")
        return 1
    print(f"ok: {count} link(s) in {len(files)} file(s), every relative link and anchor resolves")
    return 0


if __name__ == "__main__":
    sys.exit(main())
