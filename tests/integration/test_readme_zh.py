"""README.zh-CN.md is README.md in Chinese and must not drift from it. This reads both files (no
server) and fails when the English one gained or lost something the Chinese one did not follow:
the headings (level by level, in order), the fenced code blocks (byte for byte, in order), the
link targets, the rows of each table, every inline code span (settings, flags, paths, defaults),
and every GONGDAN_* variable, --flag and /api/... path mentioned anywhere. Prose is free to be
written as a Chinese reader expects; everything a reader would type or click is not.

When README.md changes, carry the change into README.zh-CN.md: `git diff <base>..main --
README.md` shows what to translate."""

from itertools import zip_longest
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ENGLISH = REPO / "README.md"
CHINESE = REPO / "README.zh-CN.md"

# The first line of each README switches to the other language; those two links differ on
# purpose and are the only ones that may.
SWITCHES = {
    ENGLISH: "English | [简体中文](README.zh-CN.md)",
    CHINESE: "[English](README.md) | 简体中文",
}
SWITCH_TARGETS = {"README.md", "README.zh-CN.md"}

FENCE_RE = re.compile(r"^\s*(```|~~~)")
HEADING_RE = re.compile(r"^(#{1,6})\s+\S")
TABLE_ROW_RE = re.compile(r"^\s*\|")
INLINE_CODE_RE = re.compile(r"`([^`\n]+)`")
LINK_RE = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
AUTOLINK_RE = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
REFERENCE_RE = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
TOKEN_RES = {
    "GONGDAN_* variable": re.compile(r"GONGDAN_[A-Z0-9_]*\*?"),
    "--flag": re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*"),
    "/api/... path": re.compile(r"/api/[A-Za-z0-9_./{}?=&:…-]*"),
}


class Readme:
    """The parts of a Markdown file that must match across languages."""

    def __init__(self, path):
        self.path = path
        self.text = path.read_text("utf-8")
        self.lines = self.text.split("\n")
        self.code_blocks = []  # each the fence lines and everything between, as written
        self.prose = []  # lines outside code blocks
        block = None
        for line in self.lines:
            fence = FENCE_RE.match(line)
            if block is None:
                if fence:
                    block = [line]
                    marker = fence.group(1)
                else:
                    self.prose.append(line)
            else:
                block.append(line)
                if fence and fence.group(1) == marker and line.strip() == marker:
                    self.code_blocks.append("\n".join(block))
                    block = None
        assert block is None, f"{path.name}: a code block is never closed"

    def headings(self):
        """(level, line) of each heading, in order."""
        out = []
        for line in self.prose:
            m = HEADING_RE.match(line)
            if m:
                out.append((len(m.group(1)), line))
        return out

    def table_rows(self):
        """The number of rows (header and separator included) of each table, in order."""
        sizes, run = [], 0
        for line in self.prose + [""]:
            if TABLE_ROW_RE.match(line):
                run += 1
            elif run:
                sizes.append(run)
                run = 0
        return sizes

    def inline_code(self):
        return {m.group(1) for line in self.prose for m in INLINE_CODE_RE.finditer(line)}

    def link_targets(self):
        targets = set()
        for line in self.prose:
            bare = INLINE_CODE_RE.sub("", line)
            targets.update(m.group(1) for m in LINK_RE.finditer(bare))
            targets.update(m.group(1) for m in AUTOLINK_RE.finditer(bare))
            m = REFERENCE_RE.match(bare)
            if m:
                targets.add(m.group(1))
        return targets - SWITCH_TARGETS

    def tokens(self, kind):
        return set(TOKEN_RES[kind].findall(self.text))


def readmes():
    return Readme(ENGLISH), Readme(CHINESE)


def test_each_readme_starts_with_the_language_switch():
    for path, switch in SWITCHES.items():
        first = path.read_text("utf-8").split("\n", 1)[0]
        assert first == switch, f"{path.name} should start with the line: {switch}"


def test_same_headings_level_by_level_in_the_same_order():
    en, zh = readmes()
    en_levels = [level for level, _ in en.headings()]
    zh_levels = [level for level, _ in zh.headings()]
    if en_levels != zh_levels:
        pairs = "\n".join(f"  {a[1] if a else '-':<40} | {b[1] if b else '-'}"
                          for a, b in zip_longest(en.headings(), zh.headings()))
        raise AssertionError("README.md and README.zh-CN.md have different headings "
                             f"(levels {en_levels} vs {zh_levels}); translate the section "
                             f"that was added or drop the one that was removed:\n{pairs}")


def test_same_code_blocks_byte_for_byte():
    en, zh = readmes()
    missing = [b for b in en.code_blocks if b not in zh.code_blocks]
    extra = [b for b in zh.code_blocks if b not in en.code_blocks]
    assert not missing and not extra, (
        "code blocks differ; copy them from README.md unchanged.\nOnly in README.md:\n"
        + "\n\n".join(missing) + "\nOnly in README.zh-CN.md:\n" + "\n\n".join(extra))
    assert en.code_blocks == zh.code_blocks, "the same code blocks, but in another order"


def test_same_link_targets():
    en, zh = readmes()
    assert en.link_targets() == zh.link_targets(), (
        f"only in README.md: {sorted(en.link_targets() - zh.link_targets())}; "
        f"only in README.zh-CN.md: {sorted(zh.link_targets() - en.link_targets())}")


def test_same_number_of_rows_in_each_table():
    en, zh = readmes()
    assert en.table_rows() == zh.table_rows(), (
        f"rows per table: README.md {en.table_rows()}, README.zh-CN.md {zh.table_rows()}")


def test_every_inline_code_span_is_kept():
    """Setting names, flags, paths, defaults and examples are written as code; the Chinese
    README keeps each one as it is (it may add more)."""
    en, zh = readmes()
    missing = sorted(en.inline_code() - zh.inline_code())
    assert not missing, f"README.zh-CN.md lacks these `code` spans of README.md: {missing}"


def test_every_variable_flag_and_api_path_is_kept():
    en, zh = readmes()
    for kind in TOKEN_RES:
        missing = sorted(en.tokens(kind) - zh.tokens(kind))
        assert not missing, f"README.zh-CN.md lacks the {kind}s {missing} of README.md"


def test_the_checks_see_what_they_compare():
    """Guards the parsing above: if it stopped finding things, every comparison would pass."""
    en, _ = readmes()
    assert len(en.headings()) >= 5 and len(en.code_blocks) >= 5
    assert len(en.table_rows()) >= 2 and "docs/api.md" in en.link_targets()
    assert "GONGDAN_DATA" in en.tokens("GONGDAN_* variable")
    assert "--listen" in en.tokens("--flag")
    assert "/api/v1/tickets" in en.tokens("/api/... path")

