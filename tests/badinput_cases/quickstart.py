"""Bad and edge inputs for snippets/quickstart.py. Its one helper is train(run,
learning_rate, epochs, seed), called by main() with the config; main takes nothing."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any


def cases(root: Path) -> list[tuple[str, Callable[[], Any], Any]]:
    from snippets.init import NoRun
    from snippets.quickstart import train

    def fit(**kwargs: Any) -> Callable[[], Any]:
        values = {"learning_rate": 0.1, "epochs": 3, "seed": 0} | kwargs
        return lambda: train(NoRun(), **values)

    def finite(losses: list[float]) -> bool:
        return bool(losses) and all(math.isfinite(loss) for loss in losses)

    return [
        ("run=None", lambda: train(None, 0.1, 3, 0), "run"),
        ("run=dict", lambda: train({}, 0.1, 3, 0), "run"),
        ("learning_rate='0.1'", fit(learning_rate="0.1"), "learning_rate"),
        ("learning_rate=None", fit(learning_rate=None), "learning_rate"),
        ("learning_rate=nan", fit(learning_rate=math.nan), "learning_rate"),
        ("learning_rate=inf", fit(learning_rate=math.inf), "learning_rate"),
        ("learning_rate=0", fit(learning_rate=0), "learning_rate"),
        ("learning_rate=-0.1", fit(learning_rate=-0.1), "learning_rate"),
        ("learning_rate=10 diverges", fit(learning_rate=10.0, epochs=200), "learning_rate"),
        ("epochs=0", fit(epochs=0), "epochs"),
        ("epochs=-1", fit(epochs=-1), "epochs"),
        ("epochs='20'", fit(epochs="20"), "epochs"),
        ("epochs=2.5", fit(epochs=2.5), "epochs"),
        ("epochs=None", fit(epochs=None), "epochs"),
        ("seed='0'", fit(seed="0"), lambda losses: finite(losses)),
        ("seed=None", fit(seed=None), lambda losses: finite(losses)),
        ("learning_rate=1 (int)", fit(learning_rate=1), lambda losses: finite(losses)),
        ("epochs=True", fit(epochs=True), "epochs"),
    ]  # fmt: skip
