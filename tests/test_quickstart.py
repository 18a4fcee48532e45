"""The home page's quickstart: one file a new user pastes and runs offline, no account."""

from __future__ import annotations

import ast
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets import quickstart
from tests.sections import section

PASTED = section("snippets/quickstart.py", "quickstart")


def test_the_section_is_the_whole_program_with_no_import_from_the_guide():
    tree = ast.parse(PASTED)
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported == {"random", "wandb"}
    assert not any(isinstance(n, ast.ImportFrom) and n.level for n in ast.walk(tree))
    assert PASTED.rstrip().endswith('if __name__ == "__main__":\n    main()')
    assert max(len(line) for line in PASTED.splitlines()) <= 88


def test_offline_it_records_the_config_each_epochs_loss_and_a_summary(offline):
    losses = quickstart.main()
    recorded = offline()
    assert recorded.state == "finished"
    assert recorded.project == "quickstart"
    assert recorded.config == {"learning_rate": 0.1, "epochs": 20, "seed": 0}
    assert recorded.column("train/loss") == losses
    assert [row["_step"] for row in recorded.history] == list(range(20))
    assert recorded.summary["train/loss"] == losses[-1]
    assert recorded.summary["final_w"] == recorded.column("train/w")[-1]
    assert losses[-1] < losses[0] / 10  # the line was fitted


def test_disabled_it_trains_the_same_as_with_any_run_object(tmp_path):
    recorder = _Recorder()
    expected = quickstart.train(recorder, learning_rate=0.1, epochs=20, seed=0)
    assert quickstart.main() == expected
    assert [row["_step"] for row in recorder.rows] == list(range(20))
    assert recorder.summary == {"final_w": recorder.rows[-1]["train/w"]}
    assert not (tmp_path / "wandb").exists()


class _Recorder:
    """Stands in for the run when calling train() directly: keeps what it is given."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.summary: dict = {}

    def log(self, row: dict, step: int) -> None:
        self.rows.append({**row, "_step": step})


@pytest.mark.slow
def test_pasted_as_a_file_it_runs_without_wandb_then_offline(run_python, tmp_path):
    """What the home page tells a new user: paste, `WANDB_MODE=offline python ...`."""
    from snippets.readback import read_offline_run

    (tmp_path / "quickstart.py").write_text(PASTED + "\n")
    code = "import runpy; runpy.run_path('quickstart.py', run_name='__main__')"
    done = run_python("-c", code, wandb_installed=False)
    assert done.stdout == (
        'wandb is not installed: pip install "wandb>=0.31", then run this again\n'
    )
    run_python("-c", code, mode="offline")
    recorded = read_offline_run(tmp_path)
    assert recorded.state == "finished"
    assert len(recorded.column("train/loss")) == 20
    summary = subprocess.run(  # what the home page says to run next
        [str(Path(sys.executable).parent / "wandb"), "leet", "inspect", "--summary"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.search(r"^state +finished \(exit code 0\)$", summary, re.MULTILINE)
    assert re.search(r"^  learning_rate +0\.1$", summary, re.MULTILINE)


@settings(max_examples=80, deadline=None)
@given(
    learning_rate=st.one_of(
        st.floats(), st.integers(-2, 3), st.none(), st.text(max_size=3)
    ),
    epochs=st.one_of(st.integers(-3, 6), st.floats(), st.booleans(), st.none()),
)
def test_train_refuses_a_learning_rate_or_epochs_a_sweep_could_get_wrong(
    learning_rate, epochs
):
    """NaN, 0, a negative rate or epochs=-1 used to train silently on nothing or
    diverge; a str failed deep in the arithmetic."""
    rate_ok = type(learning_rate) in (int, float) and 0 < learning_rate <= 1
    epochs_ok = type(epochs) is int and epochs >= 1
    if not rate_ok:
        with pytest.raises(ValueError, match=r"^learning_rate=.*: pass a number in"):
            quickstart.train(_Recorder(), learning_rate, epochs, seed=0)
    elif not epochs_ok:
        with pytest.raises(ValueError, match=r"^epochs=.*: pass a whole number"):
            quickstart.train(_Recorder(), learning_rate, epochs, seed=0)
    else:
        losses = quickstart.train(_Recorder(), learning_rate, epochs, seed=0)
        assert len(losses) == epochs and all(math.isfinite(x) for x in losses)
