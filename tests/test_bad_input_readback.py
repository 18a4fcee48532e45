"""Bad input, generated, for the readback topic (snippets/readback.py): whatever W&B's
reader prints, the records come back as json.loads reads them or the error names the
log; a history column is the rows' values or a KeyError naming the key; a sandbox's
root and mode are taken or refused by name."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import snippets.readback
from snippets.init import MODES
from snippets.readback import RecordedRun, inspect_records, sandbox_env

QUICK = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
FOLDER = Path(tempfile.mkdtemp(prefix="bad-input-readback-"))
LOG = FOLDER / "run-x.wandb"
LOG.write_bytes(b"never read: the reader is faked")
(FOLDER / "a-file").write_text("x")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["type", "history", "x"]), inner, max_size=3)
    ),
    max_leaves=6,
)
lines = st.one_of(
    json_values.map(json.dumps),
    st.text(alphabet='{}[]":, atyp1e\t', max_size=12),
    st.just(""),
)


@QUICK
@given(printed=st.lists(lines, max_size=5))
def test_records_are_json_objects_with_a_type_or_the_error_names_the_log(printed):
    out = "".join(line + "\n" for line in printed)
    done = subprocess.CompletedProcess([], 0, out, "")
    with mock.patch.object(snippets.readback, "run_leet_inspect", lambda *a: done):
        try:
            records, problem = inspect_records(LOG)
        except RuntimeError as error:
            assert str(error).startswith(f"{LOG}: W&B's reader printed "), error
            expected = None
        else:
            expected = [json.loads(line) for line in printed if line.strip()]
            assert records == expected and problem == ""
    if expected is None:  # the independent check: some line is not such a record
        with pytest.raises((ValueError, AssertionError)):
            for line in filter(str.strip, printed):
                record = json.loads(line)
                assert isinstance(record, dict) and isinstance(record.get("type"), str)


def recorded(history: list[dict]) -> RecordedRun:
    return RecordedRun(
        run_dir=FOLDER, run_id="x", project="p", state="finished", exit_code=0,
        config={}, wandb_config={}, summary={}, history=history, metrics={},
        artifacts=[],
    )  # fmt: skip


@QUICK
@given(
    history=st.lists(
        st.dictionaries(st.sampled_from("abc"), st.integers(), max_size=3), max_size=4
    ),
    key=st.sampled_from(["a", "b", "c", "d", ""]),
)
def test_a_column_is_the_rows_values_or_a_key_error_naming_the_key(history, key):
    expected = [row[key] for row in history if key in row]
    try:
        column = recorded(history).column(key)
    except KeyError as error:
        assert history and not expected
        assert f"no history row holds key {key!r}" in str(error)
        return
    assert column == expected and (expected or not history)


@QUICK
@given(
    root=st.sampled_from(["new", "a-file", "a-file/inner", "", "."]),
    mode=st.one_of(st.sampled_from([*MODES, "Offline", "test"]), st.none()),
)
def test_a_sandbox_takes_a_folder_and_a_wandb_mode_or_names_which(root, mode):
    path = FOLDER / root if root not in ("", ".") else root
    try:
        env = sandbox_env(path, mode=mode)
    except ValueError as error:
        assert mode not in MODES and str(error).startswith(f"mode={mode!r}: use one")
        return
    except TypeError as error:
        assert root == "" and str(error) == "root='': pass a folder (str or Path)"
        return
    except NotADirectoryError as error:
        assert root.startswith("a-file") and "is a file" in str(error)
        return
    assert mode in MODES and env["WANDB_MODE"] == MODES[mode]
    assert env["WANDB_DIR"] == str(path) and root in ("new", ".")
