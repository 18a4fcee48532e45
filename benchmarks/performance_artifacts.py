"""What logging an artifact of 1 MB and of 100 MB of files costs offline: time in the
training process and disk written: the performance topic.

For each case, a fresh offline run adds the files to a `wandb.Artifact` (`add_file` or
`add_dir`: W&B hashes every file, with MD5 unless the artifact was made with
digest_algorithm="XXH128", and with the default policy="mutable" copies it into its
staging folder), logs it with `run.log_artifact` and finishes. Disk written is what
appeared under the run folder, W&B's data folder (artifact staging) and its cache,
after `finish`. The files are random bytes, just written, so they are read from the
page cache: files read cold from disk take longer. A figure is the median of REPEATS
runs a case; everything a repeat writes is deleted before the next, and the source
files at the end.

Run it:  python -m benchmarks.performance_artifacts [--quick] [--out PATH]
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from benchmarks.report import (
    Published,
    benchmark_args,
    made_by,
    publish,
)
from snippets.readback import offline_sandbox

MB = 1_000_000


class Case(NamedTuple):
    label: str
    files: int
    file_bytes: int
    policy: str  # "mutable" (W&B's default) or "immutable"
    digest: str = "MD5"  # Artifact(digest_algorithm=): "MD5" (the default) or "XXH128"


def cases(quick: bool) -> list[Case]:
    big = 4 if quick else 100
    return [
        Case("1 MB, 1 file", 1, 1 * MB, "mutable"),
        Case(f"{big} MB, 1 file", 1, big * MB, "mutable"),
        Case(f"{big} MB, 1 file", 1, big * MB, "immutable"),
        Case(f"{big} MB, 1 file", 1, big * MB, "immutable", "XXH128"),
        Case(f"{big} MB, {big} files of 1 MB", big, 1 * MB, "mutable"),
        Case(f"{big} MB, {big} files of 1 MB", big, 1 * MB, "immutable"),
    ]


def make_files(folder: Path, case: Case) -> Path:
    """case.files files of random bytes in their own folder, made once a shape."""
    source = folder / f"{case.files}x{case.file_bytes}"
    if not source.exists():
        source.mkdir(parents=True)
        rng = np.random.default_rng(0)
        for i in range(case.files):
            (source / f"part-{i:03d}.bin").write_bytes(rng.bytes(case.file_bytes))
    return source


def disk_bytes(*folders: Path) -> int:
    return sum(
        p.stat().st_size
        for folder in folders
        if folder.exists()
        for p in folder.rglob("*")
        if p.is_file()
    )


def log_once(case: Case, source: Path, root: Path) -> dict[str, float]:
    import wandb

    # runs; and staging, cache, settings (readback.sandbox_env puts them there)
    written = [root / "wandb", root / ".wandb-home"]
    run = wandb.init(project="costs", dir=root, reinit="finish_previous")
    artifact = wandb.Artifact("data", type="dataset", digest_algorithm=case.digest)
    start = time.perf_counter()
    if case.files == 1:
        (path,) = source.iterdir()
        artifact.add_file(str(path), policy=case.policy)
    else:
        artifact.add_dir(str(source), policy=case.policy)
    added = time.perf_counter()
    run.log_artifact(artifact)
    logged = time.perf_counter()
    run.finish()
    finished = time.perf_counter()
    result = {
        "add_s": added - start,
        "log_artifact_s": logged - added,
        "finish_s": finished - logged,
        "written_mb": disk_bytes(*written) / MB,
    }
    for folder in written:
        shutil.rmtree(folder, ignore_errors=True)
    return result


def measure(quick: bool, repeats: int) -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp, offline_sandbox(tmp):
        root, sources = Path(tmp), Path(tmp) / "sources"  # W&B writes under root
        for case in cases(quick):
            source = make_files(sources, case)
            runs = [log_once(case, source, root) for _ in range(repeats)]
            rows.append(
                {
                    "what": case.label,
                    "policy": case.policy,
                    "digest": case.digest,
                    "files": case.files,
                    "mb": case.files * case.file_bytes / MB,
                    "repeats": repeats,
                    **{key: statistics.median(r[key] for r in runs) for key in runs[0]},
                }
            )
    return rows


def to_markdown(rows: list[dict[str, Any]], quick: bool) -> str:
    lines = [
        "| Artifact | `policy=` | `digest_algorithm=` | add the files (s) "
        "| `log_artifact` (s) | `finish` (s) | written (MB) | written / size |",
        "|---|---|---|--:|--:|--:|--:|--:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['what']} | {r['policy']} | {r['digest']} | {r['add_s']:.3f} "
            f"| {r['log_artifact_s']:.3f} | {r['finish_s']:.3f} "
            f"| {r['written_mb']:.2f} | {r['written_mb'] / r['mb']:.2f} |"
        )
    return "\n".join(lines) + (
        f"\n\nMedians of {rows[0]['repeats']} offline runs a case; MB = 1,000,000 "
        "bytes; written: the run folder, artifact staging and the cache after "
        "`finish`. " + made_by("performance_artifacts", quick)
    )


def main(argv: list[str] | None = None) -> Published:
    args = benchmark_args(__doc__, "performance_artifacts", argv)
    rows = measure(args.quick, repeats=1 if args.quick else 3)
    return publish(to_markdown(rows, args.quick), args.out, data=rows)


if __name__ == "__main__":
    main()
