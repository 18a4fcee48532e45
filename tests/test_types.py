"""The helpers' signatures say what they take, and ty (Astral's type checker) agrees
with every call in snippets/: a reader's editor and CI then catch `None` or a dict
where a model is expected, without a runtime check in every copied line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.sections import REPO


def test_ty_finds_no_error_in_snippets():
    ty = Path(sys.executable).with_name("ty")
    done = subprocess.run(
        [ty, "check", "--python", sys.prefix, "--error-on-warning", "snippets"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
