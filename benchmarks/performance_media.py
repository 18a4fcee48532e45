"""What one logged image, table and video cost, offline: time in the training process
and disk written: the performance topic.

Each case logs its object once a step to its own offline run, `count` times, and times
building the object (`wandb.Image`, `wandb.Table`, `wandb.Video`: encoding happens
there or in `run.log`) and the `run.log` call; medians over the objects. Disk written is
everything under the run's folders once it has finished (the run folder, artifact
staging, the cache), less what an empty run writes, divided by `count`: the object's
row of history included. benchmarks.media_cost has images of more sizes and kinds.

Run it:  python -m benchmarks.performance_media [--quick] [--out PATH]
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from benchmarks.media_cost import make_image
from benchmarks.report import (
    Published,
    benchmark_args,
    made_by,
    publish,
)
from snippets.readback import offline_sandbox


class Case(NamedTuple):
    label: str
    build: Callable[[int], Any] | None  # i -> the object to log; None: log nothing
    count: int


def image(size: int) -> Callable[[int], Any]:
    import wandb

    return lambda i: wandb.Image(make_image("smooth", size, seed=i))


def table(rows: int) -> Callable[[int], Any]:
    import wandb

    def build(i: int) -> Any:
        data = [
            [i * rows + r, f"img_{r}.png", "cat", 0.5 + r / rows] for r in range(rows)
        ]
        return wandb.Table(columns=["id", "file", "label", "score"], data=data)

    return build


def video(frames: int, size: int, file_format: str) -> Callable[[int], Any]:
    import wandb

    def build(i: int) -> Any:
        rng = np.random.default_rng(i)
        tchw = rng.integers(0, 256, size=(frames, 3, size, size), dtype=np.uint8)
        tchw[:, :, : size // 2] = 40  # half the frame still, half noise
        return wandb.Video(tchw, fps=8, format=file_format)

    return build


def cases(quick: bool) -> list[Case]:
    n = 2 if quick else 1
    rows = 100 if quick else 1000
    return [
        Case("an empty run (the baseline)", None, 1),
        Case("a scalar", float, 20 // n),
        Case("image 64x64 PNG", image(64), 20 // n),
        Case("image 256x256 PNG", image(256), 10 // n),
        Case("table, 1 row x 4 columns", table(1), 10 // n),
        Case(f"table, {rows:,} rows x 4 columns", table(rows), 6 // n),
        Case("video, 16 frames 64x64 GIF", video(16, 64, "gif"), 4 // n),
        Case("video, 16 frames 64x64 MP4", video(16, 64, "mp4"), 4 // n),
    ]


def disk_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def measure(case: Case, root: Path) -> dict[str, Any]:
    import wandb

    build_ms, log_ms = [], []
    before = disk_bytes(root)
    run = wandb.init(project="costs", dir=root, reinit="finish_previous")
    for i in range(case.count if case.build else 0):
        start = time.perf_counter()
        obj = case.build(i)
        built = time.perf_counter()
        run.log({"media/thing": obj}, step=i)
        done = time.perf_counter()
        build_ms.append((built - start) * 1e3)
        log_ms.append((done - built) * 1e3)
    run.finish()
    return {
        "what": case.label,
        "count": case.count,
        "build_ms": statistics.median(build_ms) if build_ms else 0.0,
        "log_ms": statistics.median(log_ms) if log_ms else 0.0,
        "written_kib": (disk_bytes(root) - before) / case.count / 1024,
    }


def to_markdown(rows: list[dict[str, Any]], quick: bool) -> str:
    base = rows[0]["written_kib"]  # the empty run
    lines = [
        "| Logged once a step | build it (ms) | `run.log` (ms) | written each (KiB) |",
        "|---|--:|--:|--:|",
    ]
    for row in rows[1:]:
        lines.append(
            f"| {row['what']} | {row['build_ms']:.1f} | {row['log_ms']:.1f} "
            f"| {row['written_kib'] - base / row['count']:,.1f} |"
        )
    return "\n".join(lines) + (
        f"\n\nMedians over {rows[-1]['count']} to {rows[1]['count']} objects a case, "
        "each case its own offline run; written: what the run wrote less what an "
        f"empty run writes ({base:.0f} KiB), over the objects logged. "
        + made_by("performance_media", quick, "numpy", "moviepy")
    )


def main(argv: list[str] | None = None) -> Published:
    args = benchmark_args(__doc__, "performance_media", argv)
    with tempfile.TemporaryDirectory() as tmp, offline_sandbox(tmp):
        rows = [measure(case, Path(tmp)) for case in cases(args.quick)]
    return publish(to_markdown(rows, args.quick), args.out, data=rows)


if __name__ == "__main__":
    main()
