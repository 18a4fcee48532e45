"""What starting a run, one `run.log` call and finishing cost, with tracking off, W&B
disabled and W&B offline; and one call with many keys against many calls with one key:
the performance topic.

Part 1 starts a fresh Python for each mode, as a training script does, and times in it:
`import wandb`, `start_run` (`wandb.init`), the first `run.log` call, the calls after
it (a row of 10 scalars) and `finish`; and the whole process from the outside. A
figure is the median of REPEATS processes a mode, started in turns.

Part 2 logs 100 keys a step, in one call or in 100 calls of one key at the same step,
side by side in one process (as in benchmarks.performance_targets).

Run it:  python -m benchmarks.performance_calls [--quick] [--out PATH]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.performance_targets import time_pair
from benchmarks.report import (
    Published,
    benchmark_args,
    made_by,
    publish,
)
from snippets.init import TrackingConfig
from snippets.readback import offline_sandbox, sandbox_env

REPO = Path(__file__).resolve().parent.parent
MODES = {"off": "tracking off (NoRun)", "disabled": "disabled", "offline": "offline"}

# Run in a fresh Python: argv[1] is the mode, argv[2] the number of calls after the
# first. Prints the times as JSON.
PROCESS = """
import json, sys, time
mode, calls = sys.argv[1], int(sys.argv[2])
row = {f"train/metric_{i}": 0.5 + i for i in range(10)}
t0 = time.perf_counter()
from snippets.init import start_run
t1 = time.perf_counter()
if mode != "off":
    import wandb
t2 = time.perf_counter()
run = start_run(mode != "off", mode=None if mode == "off" else mode, project="costs")
t3 = time.perf_counter()
run.log(row, step=0)
t4 = time.perf_counter()
for step in range(1, calls + 1):
    run.log(row, step=step)
t5 = time.perf_counter()
run.finish()
t6 = time.perf_counter()
print(json.dumps({
    "import_helpers_ms": (t1 - t0) * 1e3, "import_wandb_ms": (t2 - t1) * 1e3,
    "start_ms": (t3 - t2) * 1e3, "first_log_us": (t4 - t3) * 1e6,
    "log_us": (t5 - t4) / calls * 1e6, "finish_ms": (t6 - t5) * 1e3,
}))
"""


def one_process(mode: str, calls: int, root: Path) -> dict[str, float]:
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, **sandbox_env(root), "PYTHONPATH": path}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", PROCESS, mode, str(calls)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    wall = time.perf_counter() - start
    return {**json.loads(done.stdout.splitlines()[-1]), "process_s": wall}


def processes(repeats: int, calls: int) -> list[dict[str, Any]]:
    measured: dict[str, list[dict[str, float]]] = {mode: [] for mode in MODES}
    with tempfile.TemporaryDirectory() as root:
        for _ in range(repeats):
            for mode in MODES:
                measured[mode].append(one_process(mode, calls, Path(root)))
    return [
        {
            "mode": MODES[mode],
            "repeats": repeats,
            **{key: statistics.median(r[key] for r in runs) for key in runs[0]},
        }
        for mode, runs in measured.items()
    ]


WIDE = {f"eval/metric_{i}": 0.5 + i for i in range(100)}


def one_call(run: Any, first: int, n: int) -> int:
    for step in range(first, first + n):
        run.log(WIDE, step=step)
    return first + n


def call_per_key(run: Any, first: int, n: int) -> int:
    for step in range(first, first + n):
        for key, value in WIDE.items():
            run.log({key: value}, step=step)
    return first + n


def keys(quick: bool) -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory() as root, offline_sandbox(root):
        for mode, mode_name in MODES.items():
            on = mode != "off"
            if mode == "offline":
                steps, repeats = (2, 5) if quick else (5, 21)
            else:
                steps, repeats = (20, 3) if quick else (200, 9)
            tracking = TrackingConfig(
                use_wandb=on, mode=mode if on else None, dir=Path(root)
            )
            with tracking.start() as run:
                result = time_pair(run, call_per_key, one_call, steps, repeats)
            rows.append(
                {"mode": mode_name, "steps": steps, "repeats": repeats, **result}
            )
    return rows


def to_markdown(starts: list[dict], wide: list[dict], calls: int, quick: bool) -> str:
    lines = [
        "| Mode | import the helpers (ms) | `import wandb` (ms) | `start_run` (ms) "
        "| first `run.log` (µs) | later `run.log` (µs a call) | `finish` (ms) "
        "| whole process (s) |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in starts:
        imported = "not imported" if r["mode"].startswith("tracking off") else None
        lines.append(
            f"| {r['mode']} | {r['import_helpers_ms']:.0f} "
            f"| {imported or format(r['import_wandb_ms'], '.0f')} "
            f"| {r['start_ms']:.1f} | {r['first_log_us']:.1f} | {r['log_us']:.1f} "
            f"| {r['finish_ms']:.1f} | {r['process_s']:.2f} |"
        )
    lines += [
        "",
        f"Medians of {starts[0]['repeats']} fresh processes a mode, each logging "
        f"{calls + 1:,} rows of 10 scalars; the helpers are snippets/init.py "
        "(Pydantic).",
        "",
        "| Mode | one call with 100 keys: µs a step "
        "| 100 calls with one key: µs a step | ratio |",
        "|---|--:|--:|--:|",
    ]
    for r in wide:
        lines.append(
            f"| {r['mode']} | {r['baseline_us']:,.1f} | {r['helper_us']:,.1f} "
            f"| {r['ratio']:.1f} |"
        )
    return "\n".join(lines) + (
        f"\n\nMedians of {wide[0]['repeats']} repeats of {wide[0]['steps']} steps a "
        f"side (offline: {wide[-1]['repeats']} of {wide[-1]['steps']}). "
        + made_by("performance_calls", quick, "pydantic")
    )


def main(argv: list[str] | None = None) -> Published:
    args = benchmark_args(__doc__, "performance_calls", argv)
    repeats, calls = (1, 20) if args.quick else (3, 200)
    starts = processes(repeats, calls)
    wide = keys(args.quick)
    text = to_markdown(starts, wide, calls, args.quick)
    return publish(text, args.out, data={"start": starts, "keys": wide})


if __name__ == "__main__":
    main()
