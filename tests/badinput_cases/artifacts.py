"""Bad and edge-case input for snippets/artifacts.py: names, aliases, paths, goals and
values that cannot be compared."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from snippets.artifacts import (
    CheckpointLogger,
    artifact_dir,
    check_aliases,
    check_name,
    dataset_metadata,
    files_of,
    log_dataset,
    log_large_checkpoint,
    log_reference,
)
from snippets.init import NoRun


def cases(root: Path) -> list[tuple[str, Callable[[], Any], Any]]:
    data = root / "data"
    (data / "sub").mkdir(parents=True)
    (data / "a.txt").write_text("hello")
    (data / "sub" / "b.txt").write_text("world")
    empty = root / "empty"
    empty.mkdir()
    ckpt = root / "model.pt"
    ckpt.write_bytes(b"weights")
    gone = root / "gone"

    def logged(goal: Any, values: list[Any]) -> Callable[[], Any]:
        """The CheckpointLogger after logging `values` in order, epochs 0, 1, ..."""

        def call() -> Any:
            logger = CheckpointLogger(NoRun(), "model", "val/loss", goal=goal)
            for epoch, value in enumerate(values):
                logger.log(ckpt, epoch, value)
            return logger

        return call

    def best_is(value: float) -> Callable[[CheckpointLogger], bool]:
        return lambda logger: logger.best == value

    def one_log(**kwargs: Any) -> Callable[[], Any]:
        args = {"path": ckpt, "epoch": 0, "value": 0.5} | kwargs
        logger = CheckpointLogger(NoRun(), "model", "val/loss", goal="min")
        return lambda: logger.log(**args)

    nan, inf = math.nan, math.inf
    return [
        # names and aliases
        ("check_name(None)", lambda: check_name(None), "name"),
        ("check_name(123)", lambda: check_name(123), "name"),
        ("check_name(b'x')", lambda: check_name(b"points"), "name"),
        ("check_name('')", lambda: check_name(""), "name"),
        ("check_name with a space", lambda: check_name("my points"), "name"),
        ("check_name of 129", lambda: check_name("x" * 129), "name"),
        ("check_aliases('v1')", lambda: check_aliases("v1"), "list"),
        ("check_aliases('best')", lambda: check_aliases("best"), "list"),
        ("check_aliases(None)", lambda: check_aliases(None), "aliases"),
        ("check_aliases([None])", lambda: check_aliases([None]), "alias"),
        ("check_aliases([3])", lambda: check_aliases([3]), "alias"),
        ("check_aliases(['v1'])", lambda: check_aliases(["v1"]), "version"),
        ("check_aliases([''])", lambda: check_aliases([""]), "alias"),
        ("check_aliases(['a/b'])", lambda: check_aliases(["a/b"]), "alias"),
        ("check_aliases of 129", lambda: check_aliases(["a" * 129]), "alias"),
        (
            "check_aliases(tuple)",
            lambda: check_aliases(("best", "epoch-1")),
            lambda a: list(a) == ["best", "epoch-1"],
        ),
        # paths
        ("files_of('')", lambda: files_of(""), "empty"),
        ("files_of(None)", lambda: files_of(None), "path"),
        ("files_of(123)", lambda: files_of(123), "path"),
        ("files_of(missing)", lambda: files_of(gone), "does not exist"),
        ("files_of(file)", lambda: files_of(ckpt), lambda f: f == [ckpt]),
        ("dataset_metadata(empty dir)", lambda: dataset_metadata(empty, "x"), "no files"),
        ("dataset_metadata source=None", lambda: dataset_metadata(data, None), "source"),
        ("dataset_metadata source=3", lambda: dataset_metadata(data, 3), "source"),
        ("log_dataset(None, ...)", lambda: log_dataset(None, data, "p", "x"), "run"),
        ("log_dataset('run', ...)", lambda: log_dataset("run", data, "p", "x"), "run"),
        ("log_dataset bad name", lambda: log_dataset(NoRun(), data, "a b", "x"), "name"),
        ("log_dataset path ''", lambda: log_dataset(NoRun(), "", "p", "x"), "empty"),
        ("log_dataset empty dir", lambda: log_dataset(NoRun(), empty, "p", "x"), "no files"),
        # goals
        ("CheckpointLogger maximize", logged("maximize", [0.5, 0.7, 0.6]), best_is(0.7)),
        ("CheckpointLogger minimize", logged("minimize", [0.5, 0.3, 0.4]), best_is(0.3)),
        ("CheckpointLogger goal='MIN'", logged("MIN", [0.5]), "goal"),
        ("CheckpointLogger goal=None", logged(None, [0.5]), "goal"),
        ("CheckpointLogger goal='lowest'", logged("lowest", [0.5]), "goal"),
        (
            "CheckpointLogger metric=''",
            lambda: CheckpointLogger(NoRun(), "model", "", "min"),
            "metric",
        ),
        (
            "CheckpointLogger metric=None",
            lambda: CheckpointLogger(NoRun(), "model", None, "min"),
            "metric",
        ),
        (
            "CheckpointLogger run=None",
            lambda: CheckpointLogger(None, "model", "val/loss", "min"),
            "run",
        ),
        # values that cannot be compared
        ("NaN first", logged("min", [nan, 0.5, 0.4]), best_is(0.4)),
        ("NaN later", logged("min", [0.5, nan, 0.6]), best_is(0.5)),
        ("inf first, max", logged("max", [inf, 0.5]), best_is(0.5)),
        ("-inf, min", logged("min", [0.5, -inf]), best_is(0.5)),
        ("None values", logged("min", [None, None]), lambda lg: lg.best is None),
        ("None after a value", logged("min", [0.5, None]), best_is(0.5)),
        ("value '0.5'", one_log(value="0.5"), "value"),
        ("value True", one_log(value=True), "value"),
        ("value 0-d array", one_log(value=np.array(0.5)), "value"),
        ("epoch '1'", one_log(epoch="1"), "epoch"),
        ("epoch -1", one_log(epoch=-1), "epoch"),
        ("epoch 1.5", one_log(epoch=1.5), "epoch"),
        ("checkpoint missing", one_log(path=gone), "does not exist"),
        ("checkpoint a folder", one_log(path=data), "folder"),
        ("checkpoint ''", one_log(path=""), "empty"),
        ("checkpoint None", one_log(path=None), "path"),
        # consuming
        ("artifact_dir(None, ...)", lambda: artifact_dir(None, "p:latest", data), "run"),
        ("artifact_dir name ''", lambda: artifact_dir(NoRun(), "", data), "name"),
        ("artifact_dir name None", lambda: artifact_dir(NoRun(), None, data), "name"),
        ("artifact_dir local ''", lambda: artifact_dir(NoRun(), "p:latest", ""), "empty"),
        ("artifact_dir local None", lambda: artifact_dir(NoRun(), "p:latest", None), "local"),
        ("artifact_dir local missing", lambda: artifact_dir(NoRun(), "p:latest", gone), "missing"),
        # references
        ("log_reference uri ''", lambda: log_reference(NoRun(), "", "ref"), "empty"),
        ("log_reference uri None", lambda: log_reference(NoRun(), None, "ref"), "uri"),
        ("log_reference missing", lambda: log_reference(NoRun(), gone, "ref"), "does not exist"),
        ("log_reference type ''", lambda: log_reference(NoRun(), data, "ref", ""), "type"),
        ("log_reference run None", lambda: log_reference(None, data, "ref"), "run"),
        # large checkpoints
        (
            "log_large_checkpoint aliases 'best'",
            lambda: log_large_checkpoint(NoRun(), ckpt, "m", "best"),
            "list",
        ),
        (
            "log_large_checkpoint ttl_days=True",
            lambda: log_large_checkpoint(NoRun(), ckpt, "m", ["best"], True),
            "ttl_days",
        ),
        (
            "log_large_checkpoint ttl_days='7'",
            lambda: log_large_checkpoint(NoRun(), ckpt, "m", ["best"], "7"),
            "ttl_days",
        ),
        (
            "log_large_checkpoint a folder",
            lambda: log_large_checkpoint(NoRun(), data, "m", ["best"]),
            "folder",
        ),
        (
            "log_large_checkpoint path ''",
            lambda: log_large_checkpoint(NoRun(), "", "m", ["best"]),
            "empty",
        ),
    ]  # fmt: skip
