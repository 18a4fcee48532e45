"""Every page's code copies and runs as shown.

A reader copies a page's Python blocks, in order, into one file of their own, outside this
repository. Pasted so (includes expanded as the site shows them, those in a collapsed
"Defined on other pages" box too), each page's file must define every name it uses and
import nothing unused (ruff F821, F401, F404), and run: with wandb not installed at all, and
with wandb installed and WANDB_MODE=disabled. The session's one Python a mode
(tests/python_runs.py) runs every page's file in turn, each with fresh globals in its own
folder, with neither this repository nor its editable install (the `snippets` package) in
reach, and then calls the page's `main()` where it shows one, as a reader would next.

Each topic page also links its whole module for download, right under its title, and the
site publishes every module there (tests/test_site.py checks the published copies).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.python_runs import PAGES, pasted_pages
from tests.sections import INCLUDE, REPO, page_blocks, pasted_page

TOPICS = sorted(
    page.name
    for page in (REPO / "docs").glob("*.md")
    if (REPO / "snippets" / f"{page.stem}.py").is_file()
)
# The pasted files run in tests/python_runs.py's Pythons, one a mode.
BY_MODE = [
    pytest.param(mode, marks=pytest.mark.xdist_group(f"scripts-{mode}"))
    for mode in ("absent", "disabled")
]


@pytest.fixture(scope="module")
def pasted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each page's Python blocks pasted in order into one file, outside the repository."""
    return pasted_pages(tmp_path_factory.mktemp("pasted"))


@pytest.fixture(scope="module")
def lint(pasted: dict[str, Path]) -> dict[str, list[str]]:
    """ruff's undefined-name, unused-import and late-future findings, by page."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated"]
        + ["--select", "F821,F401,F404", "--output-format", "json"]
        + [str(path) for path in pasted.values()],
        capture_output=True,
        text=True,
    )
    assert done.returncode in (0, 1), done.stderr
    found: dict[str, list[str]] = {page: [] for page in pasted}
    page_of = {str(path): page for page, path in pasted.items()}
    for finding in json.loads(done.stdout):
        line = finding["location"]["row"]
        found[page_of[finding["filename"]]].append(
            f"line {line}: {finding['code']} {finding['message']}"
        )
    return found


def test_every_page_with_python_is_checked():
    assert {"init.md", "index.md", "metrics.md", "readback.md"} <= set(PAGES)


@pytest.mark.slow
@pytest.mark.parametrize("mode", BY_MODE)
def test_the_pasted_files_run_where_a_reader_would(python_runs, mode):
    """Neither the repository nor its editable install is in reach of the pasted files;
    wandb is where the mode says."""
    in_reach = python_runs(mode).in_reach
    assert in_reach == {"wandb": mode != "absent", "snippets": False}


@pytest.mark.parametrize("page", PAGES)
def test_pasted_page_defines_every_name_it_uses(lint, page):
    assert lint[page] == [], f"docs/{page} pasted:\n" + "\n".join(lint[page])


@pytest.mark.slow
@pytest.mark.parametrize("mode", BY_MODE)
@pytest.mark.parametrize("page", PAGES)
def test_pasted_page_runs(python_runs, page, mode):
    ran = python_runs(mode)[f"page:{page}"]
    assert ran.error is None, f"docs/{page} pasted, {mode}:\n{ran.report()}"
    assert ran.snippets == [], f"docs/{page} pasted imported {ran.snippets}"


@pytest.mark.parametrize("page", PAGES)
def test_blocks_in_boxes_are_includes_too(page):
    """tests/test_docs.py checks the blocks at the margin; this, those in a box."""
    for line, info, content in page_blocks(f"docs/{page}", expand_includes=False):
        if "notest" in info:
            for include in content.splitlines():
                assert INCLUDE.match(include.strip()), f"docs/{page}:{line}: {include}"


@pytest.mark.parametrize("page", TOPICS)
def test_topic_page_links_its_whole_module_under_its_title(page):
    lines = (REPO / "docs" / page).read_text().splitlines()
    module = f"snippets/{Path(page).stem}.py"
    assert lines[0].startswith("# ") and lines[1] == "", f"docs/{page}: no H1 first"
    assert lines[2] == f"Download the whole module: [`{module}`]({module})", (
        f"docs/{page}:3 must link {module} (CONTRIBUTING.md, Adding a topic)"
    )


def test_the_paste_reads_blocks_inside_a_collapsed_box(tmp_path, monkeypatch):
    """A block indented in a `??? note` box is pasted like any other, in page order."""
    import tests.sections as sections

    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n```python\nimport math\n```\n\n"
        '??? note "Defined on other pages"\n\n'
        '    ```{.python notest title="snippets/init.py"}\n'
        '    --8<-- "snippets/init.py:no-run"\n    ```\n\n'
        "```bash\nls\n```\n\n```python\nprint(math.pi)\n```\n"
    )
    monkeypatch.setattr(sections, "REPO", tmp_path)
    (tmp_path / "snippets").symlink_to(REPO / "snippets")
    blocks = page_blocks("page.md")
    assert [(line, info[0]) for line, info, _ in blocks] == [
        (3, "python"),
        (9, "python"),
        (13, "bash"),
        (17, "python"),
    ]
    code = pasted_page("page.md")
    assert code.startswith("import math\n\n\nclass NoRun:\n")
    assert code.endswith("\n\n\nprint(math.pi)\n")
