"""What tracking costs a whole training process, start to exit, rather than one call:
the Lightning topic.

Each repeat runs the same small training three times, each in a new Python process,
one after another: tracking off (`TrackingConfig(use_wandb=False)`: a CSVLogger),
W&B disabled, and W&B offline (`WandbLogger`, with its checkpoint artifacts). The
training is the Lightning example (`snippets.lightning_training`, 2 epochs on a CPU);
with --quick, the init topic's example (a line fit, no torch), once. A figure is the
median over the repeats, of the time from starting the process to its exit: importing
everything, W&B's service starting and finishing, the artifacts, the training itself.
Each process writes into a fresh temporary folder, deleted after it.

Run it:  python -m benchmarks.lightning_training_run_cost [--quick] [--out PATH]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.report import Published, benchmark_args, made_by, publish
from snippets.readback import sandbox_env

REPO = Path(__file__).resolve().parent.parent
NAME = "lightning_training_run_cost"
MODES = {  # what the table calls it: (use_wandb, WANDB_MODE)
    "tracking off": (False, "disabled"),
    "W&B disabled": (True, "disabled"),
    "W&B offline": (True, "offline"),
}
LIGHTNING = (
    "from snippets.init import TrackingConfig\n"
    "from snippets.lightning_training import main\n"
    "main(TrackingConfig(use_wandb={use_wandb}, job_type='train'))\n"
)
LINE_FIT = (
    "from snippets.init import TrackingConfig, main\n"
    "main(TrackingConfig(use_wandb={use_wandb}, job_type='train'))\n"
)


def one_process(code: str, use_wandb: bool, mode: str) -> float:
    """Seconds from starting `python -c code` to its exit, in a fresh folder."""
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, **sandbox_env(folder, mode), "PYTHONPATH": str(REPO)}
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", code.format(use_wandb=use_wandb)],
            cwd=folder,
            env=env,
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - started


def measure(quick: bool) -> list[dict[str, Any]]:
    code, repeats = (LINE_FIT, 1) if quick else (LIGHTNING, 4)
    seconds: dict[str, list[float]] = {label: [] for label in MODES}
    for _ in range(repeats):  # the three modes side by side, in every repeat
        for label, (use_wandb, mode) in MODES.items():
            seconds[label].append(one_process(code, use_wandb, mode))
    off = statistics.median(seconds["tracking off"])
    return [
        {
            "mode": label,
            "training": "line fit (init)" if quick else "Lightning, 2 epochs",
            "repeats": repeats,
            "median_s": statistics.median(times),
            "more_than_off_s": statistics.median(times) - off,
        }
        for label, times in seconds.items()
    ]


def table(rows: list[dict[str, Any]], quick: bool) -> str:
    lines = [
        "| training | mode | start to exit (median) | more than tracking off |",
        "| --- | --- | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['training']} | {r['mode']} | {r['median_s']:.1f} s | "
            f"{r['more_than_off_s']:+.1f} s |"
        )
    repeats = rows[0]["repeats"]
    lines.append("")
    lines.append(
        f"Median of {repeats} repeat{'s' if repeats > 1 else ''}, the three modes "
        "one after another in each; " + made_by(NAME, quick, "torch", "lightning")
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> Published:
    args = benchmark_args(__doc__, NAME, argv)
    rows = measure(args.quick)
    return publish(table(rows, args.quick), args.out, rows)


if __name__ == "__main__":
    main()
