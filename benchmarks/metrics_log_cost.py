"""What a run.log call costs, and what logging every N steps saves: the metrics topic.

Measures `run.log` with a row of 10 scalars, and 1,000 training steps that hand that row
to `StepLogger` at every=1, 10 and 100, with tracking off (NoRun), W&B disabled and W&B
offline. Each figure is the median of 5 repeats; for run.log, the fastest and slowest
repeat too. Online mode needs a W&B server and is not measured here.

Run it:  python -m benchmarks.metrics_log_cost [--quick] [--out PATH]
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.report import (
    Published,
    benchmark_args,
    made_by,
    publish,
)
from snippets.init import NoRun, TrackingConfig
from snippets.metrics import StepLogger
from snippets.readback import offline_sandbox

# --8<-- [start:row]
ROW = {f"train/metric_{i}": 0.5 + i for i in range(10)}
# --8<-- [end:row]
REPEATS = 5


class Steps:
    """The run's next free step: each measurement continues after the one before it."""

    next = 0


def per_call_us(run, calls: int, steps: Steps) -> float:
    """Microseconds per run.log call, each at a new step."""
    first = steps.next
    start = time.perf_counter()
    for step in range(first, first + calls):
        run.log(ROW, step=step)
    elapsed = time.perf_counter() - start
    steps.next = first + calls
    return elapsed / calls * 1e6


def steps_ms(run, n_steps: int, every: int, steps: Steps) -> float:
    """Milliseconds for n_steps training steps that hand their row to a StepLogger."""
    logger = StepLogger(run, every=every, start=steps.next)
    start = time.perf_counter()
    for _ in range(n_steps):
        logger.log_step(dict, ROW)
    elapsed = time.perf_counter() - start
    steps.next = logger.step
    return elapsed * 1e3


def measure(mode: str, calls: int, n_steps: int, root: Path) -> dict:
    if mode == "tracking off (NoRun)":
        run = NoRun()
    else:
        run = TrackingConfig(use_wandb=True, mode=mode, dir=root).start()
    steps = Steps()
    try:
        per_call_us(run, 100, steps)  # warm up: the first calls to a new run cost more
        us = sorted(per_call_us(run, calls, steps) for _ in range(REPEATS))
        every_ms = {
            every: statistics.median(
                steps_ms(run, n_steps, every, steps) for _ in range(REPEATS)
            )
            for every in (1, 10, 100)
        }
        return {
            "mode": mode,
            "log_us": statistics.median(us),
            "log_us_min": us[0],
            "log_us_max": us[-1],
            "steps": n_steps,
            "every_ms": every_ms,
        }
    finally:
        run.finish()


def to_cells(row: dict) -> list[str]:
    us = f"{row['log_us']:,.1f} ({row['log_us_min']:,.1f} to {row['log_us_max']:,.1f})"
    return [row["mode"], us, *(f"{ms:,.2f}" for ms in row["every_ms"].values())]


def main(argv: list[str] | None = None) -> Published:
    args = benchmark_args(__doc__, "metrics_log_cost", argv)
    calls, n_steps = (100, 100) if args.quick else (1_000, 1_000)

    lines = [
        f"| Mode | `run.log`, 10 scalars: µs a call (range) | {n_steps:,} steps, "
        "every=1: ms "
        "| every=10: ms | every=100: ms |",
        "|---|--:|--:|--:|--:|",
    ]
    with (
        tempfile.TemporaryDirectory() as root,
        offline_sandbox(root),
    ):  # quiet, no home files
        rows = [
            measure(mode, calls, n_steps, Path(root))
            for mode in ("tracking off (NoRun)", "disabled", "offline")
        ]
    lines += ["| " + " | ".join(to_cells(row)) + " |" for row in rows]
    text = "\n".join(lines) + (
        f"\n\nMedian of {REPEATS} repeats of {calls:,} calls (or {n_steps:,} steps) a "
        "mode. " + made_by("metrics_log_cost", args.quick)
    )
    return publish(text, args.out, data=rows)


if __name__ == "__main__":
    main()
