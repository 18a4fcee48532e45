"""Named sections of the snippet modules, the one source of every code block a reader sees.

A section is the code between `# --8<-- [start:NAME]` and `# --8<-- [end:NAME]`, the syntax of
pymdownx.snippets, which pulls sections into the docs pages. This module reads them the same
way (markers inside a section dropped, common indentation removed) for cog, which writes
SKILL.md's code blocks, and for the tests that check every block against its source. It
also expands a page's include lines as the site shows them and pastes the blocks into one
file, as a reader copies them (tests/test_pages_paste.py).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^\s*# --8<-- \[(start|end):([\w-]+)\]\s*$")


def sections(path: str | Path) -> dict[str, str]:
    """Every section of one file, by name."""
    lines = (REPO / path).read_text().splitlines()
    open_at: dict[str, int] = {}
    found: dict[str, str] = {}
    for number, line in enumerate(lines):
        match = MARKER.match(line)
        if not match:
            continue
        kind, name = match.groups()
        if kind == "start":
            open_at[name] = number + 1
        elif name not in open_at:
            raise ValueError(
                f"{path}:{number + 1}: [end:{name}] without [start:{name}]"
            )
        else:
            body = [
                ln for ln in lines[open_at.pop(name) : number] if not MARKER.match(ln)
            ]
            found[name] = textwrap.dedent("\n".join(body)).strip("\n")
    if open_at:
        raise ValueError(f"{path}: sections never ended: {', '.join(open_at)}")
    return found


def section(path: str | Path, name: str) -> str:
    found = sections(path)
    if name not in found:
        raise KeyError(f"{path} has no section {name!r}; it has: {', '.join(found)}")
    return found[name]


def fence(path: str, *names: str, first: bool = False) -> str:
    """A ```python block of the named sections of one module, in order, for cog.

    SKILL.md's blocks run as one file, pasted in order: the `first` block starts it
    (and holds `from __future__ import annotations`); each later one is marked
    `continuation`, so pytest-markdown-docs runs it after every block before it.
    """
    code = "\n\n\n".join(section(path, name) for name in names)  # PEP 8: two blanks
    source = f"{path}: {', '.join(names)}"
    info = "python" if first else "python continuation"
    return f"```{info}\n# {source}\n{code}\n```"


# --- pages as readers copy them --------------------------------------------------------

FENCE = re.compile(r"^(?P<indent> *)(?P<ticks>`{3,})\s*(?P<info>[^`]*)$")
INCLUDE = re.compile(r'^--8<-- "(?P<path>[^":]+)(?::(?P<section>[\w-]+))?"$')
PYTHON = {"py", "python", "python3"}


def expand(line: str) -> str:
    """One line of a block as the site shows it: an include line becomes the section (or
    file) it names, as pymdownx.snippets expands it; any other line stays."""
    match = INCLUDE.match(line.strip())
    if not match:
        return line
    if match["section"]:
        return section(match["path"], match["section"])
    text = (REPO / match["path"]).read_text().splitlines()
    return "\n".join(ln for ln in text if not MARKER.match(ln)).strip("\n")


def page_blocks(
    page: str | Path, expand_includes: bool = True
) -> list[tuple[int, list[str], str]]:
    """(line, info words, code as shown) of each fenced block of a page, in order, those
    indented inside an admonition (`??? note`) too, with includes expanded (or not)."""
    lines = (REPO / page).read_text().splitlines()
    found = []
    number = 0
    while number < len(lines):
        match = FENCE.match(lines[number])
        number += 1
        if not match or not match["info"].strip():
            continue
        start, indent, ticks = number, match["indent"], match["ticks"]
        body = []
        while number < len(lines) and lines[number].strip() != ticks:
            body.append(lines[number].removeprefix(indent))
            number += 1
        number += 1
        info = match["info"].strip().strip("{}").replace(".", "", 1).split()
        if expand_includes:
            body = [expand(line) for line in body]
        found.append((start, info, "\n".join(body).strip("\n")))
    return found


def paste(blocks: list[str]) -> str:
    """Blocks pasted in order into one file, as a reader or an agent would."""
    return "\n\n\n".join(blocks) + "\n"


def pasted_page(page: str | Path) -> str:
    """Every Python block of a page pasted in order into one file."""
    return paste([code for _, info, code in page_blocks(page) if info[0] in PYTHON])
