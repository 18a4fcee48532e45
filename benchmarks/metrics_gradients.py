"""What gradient logging costs per training step: the metrics topic.

Trains the topic's 2-layer MLP, made wide (about 0.5M parameters), on one CPU thread in
W&B offline mode, logging one row every step, and compares: the loss alone; the loss
plus gradient norms and learning rates by hand (`train_row`); and `run.watch` histograms
of gradients, or of gradients and parameters, at log_freq 1 and 10. Also reports the
size of the run's log file per step. Each case runs 3 times, in turns with the others; a
figure is the lowest of the 3 means, so that other work on the machine inflates it less.

Run it:  python -m benchmarks.metrics_gradients [--quick] [--out PATH]
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import torch
import torch.nn.functional as F

from benchmarks.report import (
    Published,
    benchmark_args,
    made_by,
    publish,
)
from snippets.init import TrackingConfig
from snippets.metrics import (
    StepLogger,
    TrainParams,
    make_model,
    make_optimizer,
    train_row,
)
from snippets.readback import offline_sandbox

FEATURES, HIDDEN, BATCH = 512, 1024, 64
ROUNDS = 3
CASES = [  # (label, row builder, run.watch arguments or None)
    ("loss only", "loss", None),
    ("loss + grad norms + lr (`train_row`)", "train_row", None),
    (
        '`run.watch(log="gradients", log_freq=1)`',
        "loss",
        {"log": "gradients", "log_freq": 1},
    ),
    ('`run.watch(log="all", log_freq=1)`', "loss", {"log": "all", "log_freq": 1}),
    (
        '`run.watch(log="gradients", log_freq=10)`',
        "loss",
        {"log": "gradients", "log_freq": 10},
    ),
]


def loss_row(loss, model, optimizer) -> dict:
    return {"train/loss": loss.item()}


def run_case(
    row: str, watch: dict | None, steps: int, root: Path
) -> tuple[float, float]:
    """Mean milliseconds a step after 3 warm-up steps, and KiB of run log a step."""
    torch.manual_seed(0)
    model = make_model(FEATURES, HIDDEN)
    optimizer = make_optimizer(model, TrainParams())
    x, y = torch.randn(BATCH, FEATURES), torch.randint(0, 2, (BATCH,))
    make_row = train_row if row == "train_row" else loss_row
    run = TrackingConfig(use_wandb=True, mode="offline", dir=root).start()
    if watch:
        run.watch(model, idx=0, **watch)
    logger = StepLogger(run, every=1)
    times = []
    for _ in range(steps + 3):
        start = time.perf_counter()
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        logger.log_step(make_row, loss, model, optimizer)
        optimizer.step()
        times.append(time.perf_counter() - start)
    if watch:
        run.unwatch(model)
    run.finish()
    (log_file,) = root.glob(f"wandb/*-{run.id}/run-{run.id}.wandb")
    return statistics.mean(times[3:]) * 1e3, log_file.stat().st_size / 1024 / (
        steps + 3
    )


def main(argv: list[str] | None = None) -> Published:
    args = benchmark_args(__doc__, "metrics_gradients", argv)
    steps, rounds = (5, 1) if args.quick else (40, ROUNDS)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # back as it was at the end: python -m benchmarks goes on

    lines = [
        "| Logged every step | ms a step | extra ms a step | run log KiB a step |",
        "|---|--:|--:|--:|",
    ]
    results: dict[str, list[tuple[float, float]]] = {label: [] for label, _, _ in CASES}
    with (
        tempfile.TemporaryDirectory() as root,
        offline_sandbox(root),
    ):  # quiet, no home files
        for _ in range(rounds):
            for label, row, watch in CASES:
                results[label].append(run_case(row, watch, steps, Path(root)))
    torch.set_num_threads(threads)
    baseline = min(results[CASES[0][0]])[0]
    for label, measured in results.items():
        ms, kib = min(measured)
        lines.append(f"| {label} | {ms:.2f} | {ms - baseline:+.2f} | {kib:.2f} |")
    params = sum(p.numel() for p in make_model(FEATURES, HIDDEN).parameters())
    text = "\n".join(lines) + (
        f"\n\n{params:,} parameters, batch {BATCH}, W&B offline, {rounds} x {steps} "
        "steps a case, "
        f"torch {torch.__version__} on one CPU thread. "
        + made_by("metrics_gradients", args.quick, "torch")
    )
    data = [
        {"case": label, "ms_a_step": min(m)[0], "log_kib_a_step": min(m)[1]}
        for label, m in results.items()
    ]
    return publish(text, args.out, data=data)


if __name__ == "__main__":
    main()
