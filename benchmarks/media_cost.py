"""What one logged image costs: time in the training process and bytes written, offline.

For each image size and kind, log images one per `run.log` call to an offline run and
measure the time to build the `wandb.Image` (PNG or JPEG encoding, in the training
process), the time of `run.log` (which copies the file into the run folder), and the
bytes written per image. "noise" images are random pixels, the worst case for PNG;
"smooth" ones are a gradient with a few shapes, closer to a photo or a plot. One row
logs boxes and masks with the image.

Run it:  python -m benchmarks.media_cost [--quick] [--out PATH]
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.report import (
    Published,
    benchmark_args,
    describe_machine,
    publish,
)
from snippets.media import Detections, make_example, to_wandb_image
from snippets.readback import offline_sandbox


def make_image(kind: str, size: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    if kind == "noise":
        return rng.integers(0, 256, size=(size, size, 3), dtype=np.uint8)
    ramp = np.linspace(0, 1, size)
    channels = [
        np.add.outer(ramp, ramp) / 2,
        np.outer(ramp, 1 - ramp),
        np.full((size, size), 0.3),
    ]
    image = np.stack(channels, axis=-1)
    for _ in range(4):
        x, y = rng.integers(0, size * 3 // 4, size=2)
        image[y : y + size // 4, x : x + size // 4] = rng.uniform(0, 1, size=3)
    return np.rint(image * 255).astype(np.uint8)


def make_detections(size: int, seed: int, n_boxes: int = 20):
    """n_boxes predicted boxes and a mask with two classes, for the boxes-and-masks
    row."""
    rng = np.random.default_rng(seed)
    corners = rng.uniform(0, size * 0.7, size=(n_boxes, 2))
    boxes = np.concatenate([corners, corners + size * 0.2], axis=1)
    dets = Detections(boxes, rng.integers(1, 3, n_boxes), rng.uniform(0.3, 1, n_boxes))
    mask = np.zeros((size, size), dtype=np.int64)
    mask[size // 4 : size // 2, size // 4 :] = 1
    mask[size // 2 :, : size // 2] = 2
    return dets, mask


CASES_FULL = [  # (label, kind, size, file_type, with boxes and masks, images)
    ("64x64", "smooth", 64, "png", False, 40),
    ("64x64", "noise", 64, "png", False, 40),
    ("256x256", "smooth", 256, "png", False, 30),
    ("256x256", "noise", 256, "png", False, 30),
    ("256x256 + 20 boxes + mask", "smooth", 256, "png", True, 30),
    ("1024x1024", "smooth", 1024, "png", False, 10),
    ("1024x1024", "smooth", 1024, "jpg", False, 10),
    ("1024x1024", "noise", 1024, "png", False, 10),
    ("1024x1024", "noise", 1024, "jpg", False, 10),
]
CASES_QUICK = [
    ("16x16", "smooth", 16, "png", False, 3),
    ("16x16", "noise", 16, "png", False, 3),
    ("32x32 + 20 boxes + mask", "smooth", 32, "png", True, 3),
    ("32x32", "noise", 32, "jpg", False, 3),
]


def measure(run, files_dir: Path, case: tuple, key: str) -> dict[str, float]:
    import wandb

    label, kind, size, file_type, annotated, n = case
    build_ms, log_ms = [], []
    for i in range(n):
        pixels = make_image(kind, size, seed=i)
        start = time.perf_counter()
        if annotated:
            dets, mask = make_detections(size, seed=i)
            labels = {0: "background", 1: "cat", 2: "dog"}
            image = to_wandb_image(
                make_example(pixels, labels, predictions=dets, pred_mask=mask)
            )
        else:
            image = wandb.Image(pixels, file_type=file_type)
        built = time.perf_counter()
        run.log({key: image})
        done = time.perf_counter()
        build_ms.append((built - start) * 1000)
        log_ms.append((done - built) * 1000)
    # every file this key wrote: the image, and its box JSON and mask PNG when it has
    # them
    prefix = key.rsplit("/", 1)[-1] + "_"  # files are named <key>_<step>_<hash>.<ext>
    written = [p for p in (files_dir / "media").rglob(prefix + "*") if p.is_file()]
    return {
        "build_ms": statistics.median(build_ms),
        "log_ms": statistics.median(log_ms),
        "kib": sum(p.stat().st_size for p in written) / n / 1024,
    }


def run_benchmark(cases: list[tuple]) -> list[dict]:
    import wandb

    rows = []
    with tempfile.TemporaryDirectory() as tmp, offline_sandbox(tmp):
        run = wandb.init(project="media-cost", dir=tmp)
        files_dir = Path(run.dir)
        for number, case in enumerate(cases):
            result = measure(run, files_dir, case, key=f"bench/case{number}")
            label, kind, _, file_type, _, n = case
            rows.append(
                {"image": label, "kind": kind, "format": file_type, "n": n, **result}
            )
        run.finish()
    return rows


def to_markdown(rows: list[dict]) -> str:
    lines = [
        "| image (RGB) | content | file | build `wandb.Image` (ms) | `run.log` (ms) "
        "| written per image (KiB) | 1,000 images: time (s) | 1,000 images: disk (MiB) "
        "|",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        seconds = row["build_ms"] + row["log_ms"]  # per 1,000 images: ms -> s
        lines.append(
            f"| {row['image']} | {row['kind']} | {row['format']} | "
            f"{row['build_ms']:.1f} "
            f"| {row['log_ms']:.1f} | {row['kib']:.1f} | {seconds:.1f} "
            f"| {row['kib'] * 1000 / 1024:.0f} |"
        )
    lines.append("")
    lines.append(
        "Medians over the images of each row, logged one per `run.log` call to an "
        "offline run. " + describe_machine("numpy", "pillow") + "."
    )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> Published:
    args = benchmark_args(__doc__, "media_cost", argv)
    rows = run_benchmark(CASES_QUICK if args.quick else CASES_FULL)
    return publish(to_markdown(rows), args.out, data=rows)


if __name__ == "__main__":
    main()
