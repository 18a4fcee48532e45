"""The guide's helpers held to targets, each timed side by side with what it stands in
for: the performance topic.

Targets: with tracking off, a `NoRun` call costs under 1 us more than doing nothing;
`StepLogger.log_step` on a step that does not log costs under 1 us; on a step that
logs it adds under 5 % over calling `run.log` directly in offline mode and under 1 us in
disabled mode. Each row times a loop of calls to the helper and a loop of the comparison
in turns, in one process, first one then the other first; a figure is the median over
the repeats of the time a call, and the difference and ratio are medians of each
repeat's own. Offline, where W&B's service process shares the cores and a call's cost
drifts, the loops are short and the repeats many, so that each pair sees the same
machine. Every logged row holds 10 scalars.

Run it:  python -m benchmarks.performance_targets [--quick] [--out PATH]
"""

# --8<-- [start:future]
from __future__ import annotations

# --8<-- [end:future]
# --8<-- [start:imports]
import statistics
import time

# --8<-- [end:imports]
# isort: split
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from benchmarks.metrics_log_cost import ROW  # the same row of 10 scalars
from benchmarks.report import (
    Published,
    benchmark_args,
    made_by,
    publish,
)
from snippets.init import TrackingConfig
from snippets.metrics import StepLogger, log_finite
from snippets.readback import offline_sandbox


# The loops timed. Each takes what it calls and the steps to call it at, and returns
# the step after the last: a run's steps only increase, across measurements too.
def nothing(target: Any, first: int, n: int) -> int:
    for _step in range(first, first + n):
        pass
    return first + n


# --8<-- [start:loops]
Loop = Callable[[Any, int, int], int]


def same(row: dict[str, Any]) -> dict[str, Any]:
    """The make_row handed to log_step: the row is built already."""
    return row


def run_log(run: Any, first: int, n: int) -> int:
    for step in range(first, first + n):
        run.log(ROW, step=step)
    return first + n


def log_step(run: Any, first: int, n: int) -> int:
    logger = StepLogger(run, every=1, start=first)
    for _step in range(first, first + n):
        logger.log_step(same, ROW)
    return logger.step
    # --8<-- [end:loops]


def define_metric(run: Any, first: int, n: int) -> int:
    for _step in range(first, first + n):
        run.define_metric("val/loss", summary="min")
    return first + n


def log_step_silent(run: Any, first: int, n: int) -> int:
    """log_step where no step logs: every is larger than any step reached."""
    logger = StepLogger(run, every=10**12, start=first + 1)
    for _step in range(first, first + n):
        logger.log_step(same, ROW)
    return first + n


def finite_log(run: Any, first: int, n: int) -> int:
    for step in range(first, first + n):
        log_finite(run, ROW, step)
    return first + n


class Case(NamedTuple):
    helper: str
    loop: Loop
    compared_with: str
    baseline: Loop
    mode: str  # "off" (a NoRun), "disabled" or "offline"
    kind: str | None = None  # the target: "us" (a difference), "ratio", None (none)
    limit: float = 0.0


CASES = [
    Case("`NoRun.log`", run_log, "nothing", nothing, "off", "us", 1.0),
    Case("`NoRun.define_metric`", define_metric, "nothing", nothing, "off", "us", 1.0),
    Case(
        "`log_step`, a step that does not log",
        *(log_step_silent, "nothing", nothing, "off", "us", 1.0),
    ),
    Case("`log_step`, a step that logs", log_step, "`NoRun.log`", run_log, "off"),
    Case(
        "`log_step`, a step that logs",
        *(log_step, "`run.log`", run_log, "disabled", "us", 1.0),
    ),
    Case("`log_finite`", finite_log, "`run.log`", run_log, "disabled"),
    Case(
        "`log_step`, a step that logs",
        *(log_step, "`run.log`", run_log, "offline", "ratio", 1.05),
    ),
]
MODE_NAMES = {
    "off": "tracking off (NoRun)",
    "disabled": "disabled",
    "offline": "offline",
}


# --8<-- [start:time-pair]
def time_pair(
    run: Any, helper: Loop, baseline: Loop, calls: int, repeats: int
) -> dict[str, Any]:
    """Time both loops in turns; microseconds a call, medians over the repeats."""
    helper_us, baseline_us, step = [], [], 0
    step = helper(run, step, calls // 10)  # warm up both: first calls cost more
    step = baseline(run, step, calls // 10)
    for repeat in range(repeats):
        pair = [(helper, helper_us), (baseline, baseline_us)]
        for loop, times in pair if repeat % 2 == 0 else pair[::-1]:
            start = time.perf_counter()
            step = loop(run, step, calls)
            times.append((time.perf_counter() - start) / calls * 1e6)
    diffs = [h - b for h, b in zip(helper_us, baseline_us, strict=True)]
    ratios = [h / b for h, b in zip(helper_us, baseline_us, strict=True)]
    return {
        "helper_us": statistics.median(helper_us),
        "baseline_us": statistics.median(baseline_us),
        "difference_us": statistics.median(diffs),
        "ratio": statistics.median(ratios),
        "ratio_quartiles": statistics.quantiles(ratios, n=4)[::2]
        if repeats > 1
        else [],
        "difference_us_each": diffs,
        "ratio_each": ratios,
    }
    # --8<-- [end:time-pair]


def verdict(kind: str | None, limit: float, result: dict[str, Any]) -> tuple[str, bool]:
    """The target in words, and whether the median meets it."""
    if kind is None:
        return "none (for comparison)", True
    if kind == "us":
        return f"under {limit:g} µs more", result["difference_us"] < limit
    return f"under {(limit - 1) * 100:g} % more", result["ratio"] < limit


def outcome(kind: str | None, limit: float, result: dict[str, Any]) -> str:
    target, met = verdict(kind, limit, result)
    if kind is None:
        return ""
    if met:
        return "met"
    if kind == "us":
        return f"missed by {result['difference_us'] - limit:.2f} µs"
    return f"missed by {(result['ratio'] - limit) * 100:.1f} points"


def measure(quick: bool) -> list[dict[str, Any]]:
    # (calls a loop, repeats): calls that stay in the process, and offline calls
    sizes = {
        "cheap": (2_000, 3) if quick else (20_000, 9),
        "offline": (10, 11) if quick else (20, 101),
    }
    rows = []
    with tempfile.TemporaryDirectory() as root, offline_sandbox(root):
        for mode, mode_name in MODE_NAMES.items():
            on = mode != "off"
            tracking = TrackingConfig(
                use_wandb=on, mode=mode if on else None, dir=Path(root)
            )
            calls, repeats = sizes["offline" if mode == "offline" else "cheap"]
            with tracking.start() as run:
                for case in (case for case in CASES if case.mode == mode):
                    result = time_pair(run, case.loop, case.baseline, calls, repeats)
                    target, met = verdict(case.kind, case.limit, result)
                    rows.append(
                        {
                            "helper": case.helper,
                            "compared_with": case.compared_with,
                            "mode": mode_name,
                            "target": target,
                            "met": met,
                            "outcome": outcome(case.kind, case.limit, result),
                            "calls": calls,
                            "repeats": repeats,
                            **result,
                        }
                    )
    return rows


def ratio(row: dict[str, Any]) -> str:
    """Against an empty loop a ratio means nothing: the difference is the figure."""
    return "" if row["compared_with"] == "nothing" else f"{row['ratio']:.2f}"


def to_markdown(rows: list[dict[str, Any]], quick: bool) -> str:
    lines = [
        "| Mode | Helper | µs a call | Compared with | µs a call | Difference (µs) "
        "| Ratio | Target | Result |",
        "|---|---|--:|---|--:|--:|--:|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['mode']} | {row['helper']} | {row['helper_us']:.2f} "
            f"| {row['compared_with']} | {row['baseline_us']:.2f} "
            f"| {row['difference_us']:+.2f} | {ratio(row)} | {row['target']} "
            f"| {row['outcome']} |"
        )
    cheap = rows[0]
    offline = rows[-1]
    return "\n".join(lines) + (
        f"\n\nMedians of {cheap['repeats']} repeats of {cheap['calls']:,} calls a "
        f"side (offline: {offline['repeats']} repeats of {offline['calls']} calls); a "
        "row of 10 scalars. Offline, the middle half of the repeats' ratios: "
        f"{offline['ratio_quartiles'][0]:.2f} to {offline['ratio_quartiles'][1]:.2f}. "
        + made_by("performance_targets", quick, "pydantic")
    )


def main(argv: list[str] | None = None) -> Published:
    args = benchmark_args(__doc__, "performance_targets", argv)
    rows = measure(args.quick)
    return publish(to_markdown(rows, args.quick), args.out, data=rows)


if __name__ == "__main__":
    main()
