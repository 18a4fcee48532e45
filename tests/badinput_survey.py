"""The bad-input survey: every case of the bad-input issue, sorted into its four columns.

Each case is a call with bad or edge-case input and what it should do: raise an error
that names the argument, or return a result a check confirms. A case lands in
- "silent": it returned, and the result is wrong (or it should have raised), with no
  warning;
- "unclear": the guide's own code raised, but the message does not name the problem;
- "deep": the error came from inside wandb, numpy, PIL, moviepy or torch;
- "ok": a clear error, or a correct result.
Then every step of tests/test_no_run_parity.py is run on W&B's disabled run and on
NoRun, and the steps whose outcomes differ are counted.

Run it:  WANDB_MODE=disabled python -m tests.badinput_survey   (prints the four totals)
"""

from __future__ import annotations

import argparse
import os
import tempfile
import traceback
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

SNIPPETS = str(Path(__file__).resolve().parents[1] / "snippets")


def classify(call: Callable[[], Any], expect: str | Callable[[Any], bool]) -> str:
    """One case's column. `expect`: a word the error must hold, or a check of the
    result (True: correct)."""
    try:
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            result = call()
    except Exception as error:  # sorted by where it came from
        from pydantic import ValidationError

        last = traceback.extract_tb(error.__traceback__)[-1]
        # the guide's own error is raised by a `raise` in snippets/; any other (from a
        # library, or from C code a guide's line called) comes from deep inside
        raised_here = last.filename.startswith(SNIPPETS) and (
            (last.line or "").lstrip().startswith("raise")
        )
        if not (isinstance(error, ValidationError) or raised_here):
            return "deep"
        if not isinstance(expect, str):
            return "unclear"  # it should have returned a result
        return "ok" if expect.lower() in str(error).lower() else "unclear"
    if isinstance(expect, str):
        return "silent"
    return "ok" if expect(result) or warned else "silent"


# The cases whose error still comes from Python or a library, each with why the guide
# leaves it there. SKILL.md shows log_finite and pixel_boxes whole, within its line budget,
# and the quickstart is the shortest first run; a check there costs every reader lines.
KNOWN_DEEP = {
    "not the main thread": "Python's own ValueError names it: signal only works in main thread",
    "pixel_boxes, id not in labels": "SKILL.md's pixel_boxes: a KeyError naming the id",
    "log_finite(None, row)": "SKILL.md's log_finite: AttributeError on None.log",
    "log_finite(run, list)": "SKILL.md's log_finite: AttributeError on list.items",
    "run=None": "the quickstart's train: AttributeError on None.log",
    "run=dict": "the quickstart's train: AttributeError on dict.log",
}


def no_run_differences() -> list[str]:
    from snippets.init import start_run
    from tests.test_no_run_parity import INIT, STEPS, outcome

    wandb_run, no_run = start_run(True, **INIT), start_run(False, **INIT)
    return [
        what
        for what, call, compare in STEPS
        if outcome(call, wandb_run, compare) != outcome(call, no_run, compare)
    ]


def case_modules() -> dict[str, Callable[[Path], list[tuple[str, Any, Any]]]]:
    """Each tests/badinput_cases/<topic>.py's `cases`, by topic."""
    import importlib
    import pkgutil

    from tests import badinput_cases

    return {
        info.name: importlib.import_module(f"tests.badinput_cases.{info.name}").cases
        for info in pkgutil.iter_modules(badinput_cases.__path__)
    }


def survey() -> tuple[Counter[str], dict[str, list[str]], list[str]]:
    os.environ.setdefault("WANDB_MODE", "disabled")
    os.environ["WANDB_SILENT"] = "true"
    totals: Counter[str] = Counter()
    by_column: dict[str, list[str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        cases: list[tuple[str, Callable[[], Any], Any]] = []
        for topic, topic_cases in sorted(case_modules().items()):
            folder = Path(tmp) / topic
            folder.mkdir()
            cases += topic_cases(folder)
        for name, call, expect in cases:
            column = classify(call, expect)
            totals[column] += 1
            by_column.setdefault(column, []).append(name)
    return totals, by_column, no_run_differences()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="name the cases too")
    args = parser.parse_args(argv)
    totals, by_column, differences = survey()
    print(
        f"{sum(totals.values())} cases: {totals['silent']} silent wrong results, "
        f"{totals['unclear']} unclear errors from the guide's code, {totals['deep']} "
        f"errors from deep inside a library, {totals['ok']} clear; "
        f"{len(differences)} NoRun differences"
    )
    if args.list:
        for column, names in sorted(by_column.items()):
            print(f"{column}: {', '.join(names)}")
        print(f"NoRun differs: {', '.join(differences)}")


if __name__ == "__main__":
    main()
