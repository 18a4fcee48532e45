"""Every code block a reader sees is tested code.

In docs/*.md a code block is either an include of a section of a tested file (pymdownx.snippets,
expanded when the site is built) or Python that pytest-markdown-docs runs as written. In
SKILL.md, which agents read raw, every code block is written by cog from snippet sections and is
run by pytest-markdown-docs. There is no third kind.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from tests.sections import REPO, sections

PAGES = sorted((REPO / "docs").glob("*.md"))
INCLUDE = re.compile(r'^--8<-- "(?P<path>[^":]+)(?::(?P<section>[\w-]+))?"$')
RUNNABLE = {"py", "python", "python3"}


def fences(path: Path) -> list[tuple[int, list[str], str]]:
    """(line, info words, content) of each fenced block, parsed as pytest-markdown-docs does."""
    tokens = MarkdownIt("commonmark").parse(path.read_text())
    return [
        (
            t.map[0] + 1,
            t.info.strip().strip("{}").replace(".", "", 1).split(),
            t.content,
        )
        for t in tokens
        if t.type == "fence"
    ]


def check_include(line: str, where: str) -> None:
    match = INCLUDE.match(line.strip())
    assert match, f"{where}: {line!r} is not an include line"
    target = REPO / match["path"]
    assert target.is_file(), f"{where}: {match['path']} does not exist"
    if match["section"]:
        assert match["section"] in sections(match["path"]), (
            f"{where}: {match['path']} has no section {match['section']!r}"
        )


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_blocks_are_includes_or_run(page):
    for line, info, content in fences(page):
        where = f"{page.relative_to(REPO)}:{line}"
        lang, options = (info[0] if info else ""), set(info[1:])
        if (
            "notest" in options
        ):  # then it must be an include of tested code, nothing else
            assert content.strip(), f"{where}: empty block"
            for include in content.strip().splitlines():
                check_include(include, where)
        else:
            assert lang in RUNNABLE, (
                f"{where}: a {lang or 'plain'} block that nothing runs; include a tested "
                "section, or put a shell command in inline code"
            )


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_includes_outside_blocks_resolve(page):
    for number, line in enumerate(page.read_text().splitlines(), 1):
        if line.startswith("--8<--"):
            check_include(line, f"{page.relative_to(REPO)}:{number}")


def test_skill_blocks_are_generated_python():
    skill = REPO / "SKILL.md"
    text = skill.read_text().splitlines()
    generated: set[int] = set()  # line numbers between a cog block's ]]] and [[[end]]]
    inside = False
    for number, line in enumerate(text, 1):
        if "[[[end]]]" in line:
            inside = False
        if inside:
            generated.add(number)
        if "]]]" in line and "[[[end]]]" not in line:
            inside = True
    blocks = fences(skill)
    assert blocks, "SKILL.md has no code"
    for line, info, _ in blocks:
        assert line in generated, f"SKILL.md:{line}: a code block not written by cog"
        assert info and info[0] in RUNNABLE and "notest" not in info, f"SKILL.md:{line}"


def test_the_check_catches_an_untested_block(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        '```bash\npip install wandb\n```\n\n```{.python notest}\nprint("hi")\n```\n'
    )
    [(_, bash_info, _), (_, py_info, py_content)] = fences(page)
    assert bash_info == ["bash"] and py_info == ["python", "notest"]
    with pytest.raises(AssertionError, match="is not an include line"):
        check_include(py_content.strip(), "page.md:5")
    with pytest.raises(AssertionError, match="has no section 'nope'"):
        check_include('--8<-- "snippets/init.py:nope"', "page.md:1")


def test_install_commands_name_only_published_packages():
    """This repository is not on PyPI: `pip install "wandb-tracking-guide[...]"` would fail
    for a reader, so no page, module or SKILL.md may tell them to run it."""
    texts = [*PAGES, REPO / "SKILL.md", *(REPO / "snippets").glob("*.py")]
    for path in texts:
        assert "install wandb-tracking-guide" not in path.read_text().replace('"', "")
