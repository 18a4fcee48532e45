"""The offline topic's bad-input cases (snippets/offline.py): checkpoints, the
requeue helper and the offline lineage notes."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any


def cases(root: Path) -> list[tuple[str, Callable[[], Any], Any]]:
    from snippets.init import NoRun
    from snippets.offline import (
        load_checkpoint,
        note_input,
        save_checkpoint,
        stop_for_requeue,
        train,
        use_after_sync,
    )

    class OfflineRun:
        """What note_input reads of an offline W&B run, with no W&B."""

        offline, path = True, "proj/run-1"

        def __init__(self) -> None:
            self.summary: dict[str, Any] = {}

    def written(name: str, content: str | bytes) -> Path:
        path = root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
        return path

    def round_trip(name: str, step: int, state: Any) -> Callable[[], Any]:
        def call() -> Any:
            save_checkpoint(str(root / name), step, state)
            return load_checkpoint(str(root / name))

        return call

    def saved_is(step: int, state: Any) -> Callable[[Any], bool]:
        return lambda loaded: loaded == (step, state)

    def save(step: Any = 1, state: Any = None, name: str = "c.json") -> Callable:
        return lambda: save_checkpoint(
            root / name, step, {} if state is None else state
        )

    def noted(*paths: Any, summary: dict | None = None) -> Callable[[], Any]:
        def call() -> Any:
            run = OfflineRun()
            run.summary.update(summary or {})
            for path in paths:
                note_input(run, path)
            return run.summary["lineage/inputs_to_record"]

        return call

    folder = root / "a-folder"
    folder.mkdir()
    a_file = written("a-file", "x")
    (root / "parent-is-file").write_text("x")
    return [
        # save_checkpoint
        ("save to a str path", round_trip("s.json", 3, {"w": 1.5}), saved_is(3, {"w": 1.5})),
        ("save path=None", lambda: save_checkpoint(None, 1, {}), "path"),
        ("save path=3", lambda: save_checkpoint(3, 1, {}), "path"),
        ("save to a folder", lambda: save_checkpoint(folder, 1, {}), "folder"),
        ("save under a file", lambda: save_checkpoint(root / "parent-is-file" / "c.json", 1, {}), "parent-is-file"),
        ("save into a missing folder", round_trip("new/deeper/c.json", 2, {}), saved_is(2, {})),
        ("save step=-1", save(step=-1), "step"),
        ("save step=1.5", save(step=1.5), "step"),
        ("save step='3'", save(step="3"), "step"),
        ("save step=True", save(step=True), "step"),
        ("save step=None", save(step=None), "step"),
        ("save state=None", lambda: save_checkpoint(root / "c.json", 1, None), "state"),
        ("save state a list", save(state=[1, 2]), "state"),
        ("save state with a set", save(state={"seen": {1, 2}}), "state"),
        ("save state with an object", save(state={"model": object()}), "state"),
        ("save state with int keys", save(state={1: "a"}), "state"),
        ("save state with a tuple", save(state={"shape": (2, 3)}), "state"),
        ("save state nested int keys", save(state={"opt": {0: 1.0}}), "state"),
        ("save state with NaN", round_trip("nan.json", 1, {"w": math.nan}), lambda r: r[0] == 1 and math.isnan(r[1]["w"])),
        ("save state nested", round_trip("n.json", 4, {"a": {"b": [1, 2.5, None, "x"]}}), saved_is(4, {"a": {"b": [1, 2.5, None, "x"]}})),
        # load_checkpoint
        ("load path=None", lambda: load_checkpoint(None), "path"),
        ("load a missing str path", lambda: load_checkpoint(str(root / "missing.json")), saved_is(0, {})),
        ("load a folder", lambda: load_checkpoint(folder), "folder"),
        ("load an empty file", lambda: load_checkpoint(written("empty.json", "")), "empty.json"),
        ("load garbage", lambda: load_checkpoint(written("garbage.json", "{not json")), "garbage.json"),
        ("load half a checkpoint", lambda: load_checkpoint(written("half.json", '{"step": 3, "sta')), "half.json"),
        ("load binary (a torch file)", lambda: load_checkpoint(written("model.pt", b"\x80\x04\x95\xff\xfe")), "model.pt"),
        ("load a JSON list", lambda: load_checkpoint(written("list.json", "[1, 2]")), "list.json"),
        ("load without step", lambda: load_checkpoint(written("nostep.json", '{"state": {}}')), "step"),
        ("load without state", lambda: load_checkpoint(written("nostate.json", '{"step": 2}')), "state"),
        ("load step a string", lambda: load_checkpoint(written("strstep.json", '{"step": "3", "state": {}}')), "step"),
        ("load step negative", lambda: load_checkpoint(written("neg.json", '{"step": -2, "state": {}}')), "step"),
        ("load step a float", lambda: load_checkpoint(written("fstep.json", '{"step": 2.5, "state": {}}')), "step"),
        ("load state a list", lambda: load_checkpoint(written("lstate.json", '{"step": 2, "state": [1]}')), "state"),
        ("load a file named like a folder", lambda: load_checkpoint(a_file), "a-file"),
        # stop_for_requeue
        ("requeue run=None", lambda: stop_for_requeue(None, root / "r.json", 1, {}), "run"),
        ("requeue run=object()", lambda: stop_for_requeue(object(), root / "r.json", 1, {}), "run"),
        ("requeue run=None saves nothing", lambda: (_quiet(lambda: stop_for_requeue(None, root / "r2.json", 1, {})), (root / "r2.json").exists())[1], lambda exists: not exists),
        ("requeue checkpoint=None", lambda: stop_for_requeue(NoRun(), None, 1, {}), "checkpoint"),
        ("requeue step=-1", lambda: stop_for_requeue(NoRun(), root / "r.json", -1, {}), "step"),
        ("requeue to a str path", lambda: (stop_for_requeue(NoRun(), str(root / "r3.json"), 2, {}), load_checkpoint(root / "r3.json"))[1], saved_is(2, {})),
        # note_input and use_after_sync
        ("note_input run=None", lambda: note_input(None, "points:v0"), "run"),
        ("note_input path=None", noted(None), "artifact_path"),
        ("note_input path=''", noted(""), "artifact_path"),
        ("note_input path=3", noted(3), "artifact_path"),
        ("note_input path 'a//b:v0'", noted("a//b:v0"), "artifact_path"),
        ("note_input path of 4 parts", noted("a/b/c/d:v0"), "artifact_path"),
        ("note_input twice", noted("points:v0", "points:v0"), lambda inputs: inputs == ["points:v0"]),
        ("note_input over a string", noted("x:v1", summary={"lineage/inputs_to_record": "points:v0"}), lambda inputs: inputs == ["points:v0", "x:v1"]),
        ("use_after_sync run_path=None", lambda: use_after_sync(None, "points:v0"), "run_path"),
        ("use_after_sync run_path=''", lambda: use_after_sync("", "points:v0"), "run_path"),
        ("use_after_sync run_path of 4 parts", lambda: use_after_sync("a/b/c/d", "points:v0"), "run_path"),
        ("use_after_sync run_path=3", lambda: use_after_sync(3, "points:v0"), "run_path"),
        ("use_after_sync artifact_path=None", lambda: use_after_sync("p/r", None), "artifact_path"),
        ("use_after_sync artifact_path=''", lambda: use_after_sync("p/r", ""), "artifact_path"),
        # the example's training loop, with a str checkpoint path
        ("train with a str checkpoint", lambda: train(NoRun(), str(root / "t.json"), steps=3), lambda w: isinstance(w, float)),
    ]  # fmt: skip


def _quiet(call: Callable[[], Any]) -> None:
    with contextlib.suppress(Exception):  # the case checks what is left on disk
        call()
