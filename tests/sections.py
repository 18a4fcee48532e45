"""Named sections of the snippet modules, the one source of every code block a reader sees.

A section is the code between `# --8<-- [start:NAME]` and `# --8<-- [end:NAME]`, the syntax of
pymdownx.snippets, which pulls sections into the docs pages. This module reads them the same
way (markers inside a section dropped, common indentation removed) for cog, which writes
SKILL.md's code blocks, and for the tests that check every block against its source.
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
