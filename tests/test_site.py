"""The site builds with --strict, and a broken include or link makes the build fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sections import REPO

pytestmark = pytest.mark.slow


def build(root: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def copy_of_the_site_sources(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root)
    for folder in ("docs", "snippets", "benchmarks"):
        if (REPO / folder).exists():
            shutil.copytree(REPO / folder, root / folder)
    return root


def test_site_builds_strict(tmp_path):
    done = build(REPO, tmp_path / "site")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "site" / "init" / "index.html").read_text()
    assert (
        'reinit="finish_previous"' in page or "finish_previous" in page
    )  # include expanded
    assert "--8&lt;--" not in page and "--8<--" not in page


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (
            '"snippets/init.py:start-run"',
            '"snippets/init.py:no-such-section"',
            "no-such-section",
        ),
        (
            '"snippets/init.py:start-run"',
            '"snippets/missing.py:start-run"',
            "missing.py",
        ),
        ("[Testing with offline runs](readback.md)", "[gone](gone.md)", "gone.md"),
        ("(readback.md)", "(readback.md#no-such-anchor)", "no-such-anchor"),
    ],
)
def test_a_broken_include_or_link_fails_the_build(tmp_path, old, new, error):
    root = copy_of_the_site_sources(tmp_path)
    page = root / "docs" / "init.md"
    assert old in page.read_text()
    page.write_text(page.read_text().replace(old, new, 1))
    done = build(root, tmp_path / "site")
    assert done.returncode != 0
    assert error in done.stderr
