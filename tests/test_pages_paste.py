"""Every page's code copies and runs as shown.

A reader copies a page's Python blocks, in order, into one file of their own, outside this
repository. Pasted so (includes expanded as the site shows them, those in a collapsed
"Defined on other pages" box too), each page's file must define every name it uses and
import nothing unused (ruff F821, F401, F404), and run: with wandb not installed at all, and
with wandb installed and WANDB_MODE=disabled. One Python per mode runs every page's file in
turn, each with fresh globals in its own folder, with neither this repository nor its
editable install (the `snippets` package) in reach, and then calls the page's `main()`
where it shows one, as a reader would next.

Each topic page also links its whole module for download, right under its title, and the
site publishes every module there (tests/test_site.py checks the published copies).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness import assert_no_network, guarded_env, site_packages_copy
from tests.sections import INCLUDE, PYTHON, REPO, page_blocks, pasted_page

GUARD = REPO / "tests" / "network_guard_site" / "sitecustomize.py"
PAGES = [
    page.name
    for page in sorted((REPO / "docs").glob("*.md"))
    if any(info[0] in PYTHON for _, info, _ in page_blocks(page))
]
TOPICS = sorted(
    page.name
    for page in (REPO / "docs").glob("*.md")
    if (REPO / "snippets" / f"{page.stem}.py").is_file()
)
MODES = ["wandb-absent", "disabled"]


# Runs in a Python started with -S, so its own site-packages are not on sys.path:
# argv[1] is the site-packages to add (wandb left out or not), argv[2] the network
# guard, argv[3] {page: [pasted file, its folder]}, argv[4] where the results go.
RUNNER = """import importlib.util, json, os, runpy, site, sys, traceback
site.addsitedir(sys.argv[1])
runpy.run_path(sys.argv[2])  # the network guard, as in every Python the tests start
reach = {name: bool(importlib.util.find_spec(name)) for name in ("wandb", "snippets")}
results = {"in reach": reach}
for page, (path, folder) in json.loads(sys.argv[3]).items():
    os.makedirs(folder)
    os.chdir(folder)
    sys.path[0] = folder
    try:
        names = runpy.run_path(path, run_name="pasted")
        if callable(names.get("main")):
            names["main"]()
        mine = sorted(m for m in sys.modules if m.split(".")[0] == "snippets")
        results[page] = f"imported {mine}" if mine else "ran"
    except BaseException:
        results[page] = traceback.format_exc()
with open(sys.argv[4], "w") as out:
    json.dump(results, out)
"""


@pytest.fixture(scope="module")
def pasted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each page's Python blocks pasted in order into one file, outside the repository."""
    root = tmp_path_factory.mktemp("pasted")
    files = {}
    for page in PAGES:
        path = root / f"{Path(page).stem}.py"
        path.write_text(pasted_page(f"docs/{page}"))
        files[page] = path
    return files


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


@pytest.fixture(scope="module")
def ran(
    pasted: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, str]]:
    """What running each page's pasted file, then its main(), did, by mode and page.
    The two modes' Pythons run at the same time."""
    root = tmp_path_factory.mktemp("ran")
    started = {}
    for mode in MODES:
        folder = root / mode
        folder.mkdir()
        site = site_packages_copy(folder, wandb=mode != "wandb-absent")
        env = guarded_env(folder, "disabled")
        env.pop("PYTHONPATH")  # the repository stays out of reach
        jobs = {
            page: [str(path), str(folder / Path(page).stem)]
            for page, path in pasted.items()
        }
        with open(folder / "output.txt", "w") as output:
            started[mode] = subprocess.Popen(
                [sys.executable, "-S", "-c", RUNNER, str(site), str(GUARD)]
                + [json.dumps(jobs), str(folder / "results.json")],
                cwd=folder,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
    results = {}
    for mode, process in started.items():
        returncode = process.wait(timeout=300)
        output = (root / mode / "output.txt").read_text()
        assert returncode == 0, f"{mode}:\n{output}"
        results[mode] = json.loads((root / mode / "results.json").read_text())
        assert_no_network(root / mode)
    return results


def test_every_page_with_python_is_checked():
    assert {"init.md", "index.md", "metrics.md", "readback.md"} <= set(PAGES)


@pytest.mark.slow
@pytest.mark.xdist_group("pages-paste")
def test_the_pasted_files_run_where_a_reader_would(ran):
    assert ran["wandb-absent"]["in reach"] == {"wandb": False, "snippets": False}
    assert ran["disabled"]["in reach"] == {"wandb": True, "snippets": False}


@pytest.mark.parametrize("page", PAGES)
def test_pasted_page_defines_every_name_it_uses(lint, page):
    assert lint[page] == [], f"docs/{page} pasted:\n" + "\n".join(lint[page])


@pytest.mark.slow
@pytest.mark.xdist_group("pages-paste")
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("page", PAGES)
def test_pasted_page_runs(ran, page, mode):
    outcome = ran[mode][page]
    assert outcome == "ran", f"docs/{page} pasted, {mode}:\n{outcome}"


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
