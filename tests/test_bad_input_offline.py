"""Bad input, generated, for the offline topic (snippets/offline.py): a checkpoint
either loads back exactly as it was saved or is refused when saved; any file at a
checkpoint's path either loads as json.loads reads it or is an error naming the file;
a W&B path is one to three non-blank parts or an error naming the argument."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from snippets.init import NoRun
from snippets.offline import load_checkpoint, note_input, save_checkpoint

QUICK = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
FOLDER = Path(tempfile.mkdtemp(prefix="bad-input-offline-"))

plain = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=5),
)
states = st.recursive(
    plain | st.tuples(st.integers()) | st.sets(st.integers(), max_size=2),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=3) | st.integers(0, 3), inner, max_size=3)
    ),
    max_leaves=8,
)


def json_only(value) -> bool:
    """The independent check: what JSON gives back unchanged."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and json_only(v) for k, v in value.items())
    if isinstance(value, list):
        return all(json_only(v) for v in value)
    return value is None or isinstance(value, bool | int | float | str)


def good(step, state) -> bool:
    return (
        type(step) is int and step >= 0 and isinstance(state, dict) and json_only(state)
    )


@QUICK
@given(
    step=st.one_of(
        st.integers(-3, 10**6), st.floats(), st.booleans(), st.text(max_size=2)
    ),
    state=st.one_of(states, st.dictionaries(st.text(max_size=3), states, max_size=3)),
)
def test_a_checkpoint_loads_back_as_saved_or_is_refused(step, state):
    path = FOLDER / "c.json"
    path.unlink(missing_ok=True)
    try:
        save_checkpoint(path, step, state)
    except (TypeError, ValueError) as error:
        assert re.match(r"(step=|state)", str(error)), error
        assert not good(step, state) and not path.exists()
        return
    assert good(step, state)
    assert load_checkpoint(path) == (step, state)


@QUICK
@given(
    content=st.one_of(
        st.binary(max_size=30),
        st.from_regex(
            r'\{"step": ?-?\d{1,3}(\.5)?, "state": (\{\}|\[\]|1)\}', fullmatch=True
        ).map(str.encode),
    )
)
def test_any_file_loads_as_json_reads_it_or_names_the_file(content):
    path = FOLDER / "any.json"
    path.write_bytes(content)
    try:
        saved = json.loads(content.decode())
    except (UnicodeDecodeError, json.JSONDecodeError):
        saved = None
    good = (
        isinstance(saved, dict)
        and type(saved.get("step")) is int
        and saved["step"] >= 0
        and isinstance(saved.get("state"), dict)
    )
    try:
        loaded = load_checkpoint(path)
    except ValueError as error:
        assert not good and str(error).startswith(str(path)), error
        return
    assert good and loaded == (saved["step"], saved["state"])


@QUICK
@given(path=st.one_of(st.text(alphabet="ab/: ", max_size=9), st.none(), st.integers()))
def test_a_wandb_path_has_one_to_three_parts_or_is_named(path):
    parts = path.split("/") if isinstance(path, str) else []
    good = 1 <= len(parts) <= 3 and all(p.strip() for p in parts)
    try:
        assert note_input(NoRun(), path) is None  # tracking off: nothing to note
    except ValueError as error:
        assert not good
        assert str(error) == (
            f"artifact_path={path!r}: a W&B path, such as 'entity/project/name:v0'"
        )
        return
    assert good
