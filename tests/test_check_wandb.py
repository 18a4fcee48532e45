"""scripts/check_wandb.py: each rule flags the Wrong form and leaves its look-alikes and
the Right form alone; this repository's own code passes; SKILL.md's Wrong / right table
and the rules cannot drift apart; the command line's output, exit codes and options."""

from __future__ import annotations

import json
import re
import sys
import textwrap
from pathlib import Path

import pytest

from scripts.check_wandb import (
    EXTRA_RULES,
    RULES,
    WRONG_ROWS,
    check_config_file,
    check_paths,
    check_source,
    main,
)

ROOT = Path(__file__).resolve().parent.parent


def found(code: str) -> list[tuple[str, int]]:
    """(rule, line) of each finding in a piece of code."""
    return [(f.rule, f.line) for f in check_source("x.py", textwrap.dedent(code))]


# (rule, code that must be flagged on the line marked `# <-`, look-alikes that must not)
CASES = [
    (
        "WB001",
        """
        import argparse
        import wandb  # <-

        parser = argparse.ArgumentParser()
        parser.add_argument("--wandb", action="store_true")
        """,
        [
            # no flag: a script that always tracks may import wandb at the top
            "import wandb\nrun = wandb.init(project='p')\n",
            # optional import, behind a flag, for type checkers only
            "try:\n    import wandb\nexcept ImportError:\n    wandb = None\n"
            "def main(use_wandb): ...\n",
            "def main(use_wandb):\n    if use_wandb:\n        import wandb\n",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import wandb\n"
            "def main(use_wandb): ...\n",
            # a keyword in a call is not a flag of this module
            "import wandb\nstart(use_wandb=True)\n",
            # `track` counts only where it is declared as an option
            "import wandb\nif detection.track:\n    follow(detection)\n",
        ],
    ),
    (
        "WB001",
        """
        from wandb import Image  # <-
        wandb_log = False
        """,
        [],
    ),
    (
        "WB002",
        """
        import wandb
        def train():
            run = wandb.init(project="p")
            wandb.log({"loss": 1.0})  # <-
        wandb.agent("sweep-id", function=train, count=4)
        """,
        [
            # one run in the process: wandb.log and run.log go to the same run
            "import wandb\nrun = wandb.init()\nwandb.log({'a': 1})\n",
            # no run object anywhere: the module function is all there is
            "import wandb\ndef train():\n    wandb.init()\n    wandb.log({'a': 1})\n"
            "wandb.agent('s', function=train)\n",
            "def train(run):\n    run.log({'loss': 1.0})\n",
            # another function's run is not in scope
            "import wandb\ndef a():\n    run = wandb.init()\ndef b():\n    wandb.log({})\n",
        ],
    ),
    (
        "WB002",
        """
        import wandb
        for fold in range(3):
            with wandb.init(group="cv") as run:
                wandb.summary["best"] = 1  # <-
        """,
        [],
    ),
    (
        "WB002",
        """
        import wandb
        class Logger:
            def __init__(self):
                self.run = wandb.init(reinit="finish_previous")
            def log(self, row):
                wandb.log(row)  # <-
        """,
        [],
    ),
    (
        "WB003",
        """
        import wandb
        run = wandb.init(project="p", reinit=True)  # <-
        """,
        [
            "import wandb\nrun = wandb.init(reinit='finish_previous')\n",
            "import wandb\nrun = wandb.init(reinit=flag)\n",
            "something.init(reinit=True)\n",  # not W&B's
        ],
    ),
    (
        "WB003",
        """
        from lightning.pytorch.loggers import WandbLogger
        logger = WandbLogger(reinit=False)  # <-
        """,
        [],
    ),
    (
        "WB004",
        """
        import wandb
        sweep = {
            "method": "random",
            "metric": {"name": "loss", "goal": "minimize"},
            "parameters": {
                "lr": {"distribution": "log_uniform", "min": 1e-5, "max": 0.1},  # <-
            },
        }
        wandb.sweep(sweep, project="p")
        """,
        [
            # base-e exponents: what log_uniform takes
            "wandb.sweep({'method': 'random', 'parameters': {'lr': {'distribution': "
            "'log_uniform', 'min': -11.5, 'max': -2.3}}})\n",
            "wandb.sweep({'method': 'random', 'parameters': {'lr': {'distribution': "
            "'log_uniform', 'min': 1, 'max': 5}}})\n",
            # a dict with a `distribution` that is not W&B's
            "d = {'distribution': 'normal', 'min': 0.0001, 'max': 0.1}\n",
        ],
    ),
    (
        "WB005",
        """
        parameters_dict = {
            "lr": {"distribution": "log_uniform_values", "min": -9, "max": -2},  # <-
        }
        """,
        [
            "params = {'lr': {'distribution': 'log_uniform_values', 'min': 1e-5, "
            "'max': 0.1}}\n"
        ],
    ),
    (
        "WB006",
        """
        import wandb
        sweep_config = {
            "method": "bayes",
            "metric": {"name": "loss", "goal": "minimize"},
            "parameters": {
                "dropout": {"min": 0, "max": 1},  # <-
                "layers": {"min": 1, "max": 8},
                "momentum": {"min": 0.0, "max": 1.0},
                "lr": {"distribution": "int_uniform", "min": 0, "max": 1},
            },
        }
        """,
        [
            # min/max outside a sweep config
            "plot = {'min': 0, 'max': 1}\n",
        ],
    ),
    (
        "WB007",
        """
        import wandb
        wandb.sweep({
            "method": "random",
            "metric": {"name": "acc", "goal": "max"},  # <-
            "parameters": {"lr": {"values": [0.1, 0.01]}},
        })
        """,
        [
            "import wandb\nwandb.sweep({'method': 'random', 'metric': {'name': 'acc', "
            "'goal': 'maximize'}, 'parameters': {'lr': {'values': [0.1]}}})\n",
            "import wandb\nwandb.sweep({'method': 'random', 'metric': {'name': 'acc', "
            "'goal': goal}, 'parameters': {'lr': {'values': [0.1]}}})\n",  # computed
            "early_stopping = {'goal': 'max'}\n",  # not a sweep config
        ],
    ),
    (
        "WB008",
        """
        import wandb
        sweep_id = wandb.sweep(
            {"method": "randm", "parameters": {"lr": {"values": [0.1]}}}  # <-
        )
        """,
        [
            # changed after it is written: the literal is not the whole config
            "import wandb\nsweep_config = {'method': 'random'}\n"
            "sweep_config['parameters'] = {'lr': {'values': [1]}}\n"
            "wandb.sweep(sweep_config)\n",
            # a Launch sweep's scheduler is newer than the schema
            "import wandb\nwandb.sweep({'method': 'bayes', 'scheduler': {'job': 'j', "
            "'num_workers': 8}, 'metric': {'name': 'a', 'goal': 'minimize'}, "
            "'parameters': {'lr': {'values': [1]}}})\n",
        ],
    ),
    (
        "WB009",
        """
        def link(run, artifact, entity):
            run.link_artifact(artifact, f"{entity}/model-registry/mnist")  # <-
        """,
        [
            "run.link_artifact(a, 'wandb-registry-model/mnist')\n",
            "print('the legacy model-registry/ path is being retired')\n",
            'def f():\n    """Not `team/model-registry/m`."""\n',
        ],
    ),
    (
        "WB010",
        """
        from lightning.pytorch.loggers import WandbLogger
        logger = WandbLogger(project="p", offline=True, log_model="all")  # <-
        """,
        [
            "logger = WandbLogger(offline=True)\n",
            "logger = WandbLogger(offline=True, log_model=False)\n",
            "logger = WandbLogger(log_model='all')\n",
            # a test that Lightning refuses it
            "import pytest\nwith pytest.raises(MisconfigurationException):\n"
            "    WandbLogger(offline=True, log_model=True)\n",
        ],
    ),
    (
        "WB011",
        """
        from lightning.pytorch.callbacks import ModelCheckpoint
        ModelCheckpoint(monitor="val/loss", filename="{epoch}-{val/loss:.4f}")  # <-
        """,
        [
            "ModelCheckpoint(monitor='val/loss', filename='epoch{epoch:02d}-"
            "val_loss{val/loss:.4f}', auto_insert_metric_name=False)\n",
            "ModelCheckpoint(monitor='val_loss', filename='{epoch}-{val_loss:.4f}')\n",
            "ModelCheckpoint(dirpath='out/ckpt', filename='{epoch}')\n",
        ],
    ),
    (
        "WB012",
        """
        import wandb
        with wandb.init() as run:
            if "loss" in run.summary:  # <-
                pass
        """,
        [
            "with wandb.init() as run:\n    loss = run.summary.get('loss')\n",
            "if 'x' in model.summary: ...\n",  # not a run
            # the public API's runs, read after the fact
            "import wandb\nfor run in wandb.Api().runs('e/p'):\n"
            "    if 'loss' in run.summary: ...\n",
        ],
    ),
    (
        "WB013",
        """
        import numpy as np
        import wandb
        frames = np.zeros((8, 3, 32, 32), dtype=np.uint8)
        video = wandb.Video(frames, fps=4)  # <-
        """,
        [
            "import numpy as np\nimport wandb\nframes = np.zeros((8, 3, 4, 4))\n"
            "video = wandb.Video(frames, fps=4, format='gif')\n",
            "import wandb\nvideo = wandb.Video('clip.mp4')\n",
            "import wandb\ndef f(path):\n    return wandb.Video(path)\n",  # unknown
        ],
    ),
    (
        "WB014",
        """
        box = {
            "position": {"minX": 12, "minY": 30, "maxX": 80, "maxY": 96},  # <-
            "class_id": 1,
        }
        """,
        [
            "box = {'position': {'minX': 12, 'maxX': 80}, 'domain': 'pixel', "
            "'class_id': 1}\n",
            "box = {'position': {'minX': 0.1, 'maxX': 0.5}, 'class_id': 1}\n",
            "style = {'position': {'x': 12}}\n",  # not a box
        ],
    ),
    (
        "WB014",
        """
        def box(x1, y1, x2, y2):
            return {
                "position": {"minX": int(x1), "minY": int(y1),  # <-
                             "maxX": int(x2), "maxY": int(y2)},
                "box_caption": "cat",
            }
        """,
        [],
    ),
    (
        "WB015",
        """
        import wandb
        def trial():
            with wandb.init() as run:
                run.watch(model, log_freq=100)  # <-
                train(model)
        wandb.agent("sweep-id", function=trial, count=4)
        """,
        [
            # a single run in the process: the hooks die with it
            "import wandb\nrun = wandb.init()\nrun.watch(model)\n",
            "import wandb\ndef trial():\n    run = wandb.init()\n    run.watch(m)\n"
            "    run.unwatch(m)\nwandb.agent('s', function=trial)\n",
            "model.watch(x)\nwandb.agent('s', function=f)\n",  # not a run's watch
            # two alternative ways to start the one run of a process
            "import wandb\nif args.group:\n    run = wandb.init(group='g')\nelse:\n"
            "    run = wandb.init()\nrun.watch(model)\n",
        ],
    ),
    (
        "WB016",
        """
        import wandb
        from lightning.pytorch import Trainer
        wandb.init(project="p")  # <-
        trainer = Trainer(strategy="ddp", devices=2)
        """,
        [
            "import wandb\nfrom lightning.pytorch import Trainer\n"
            "trainer = Trainer(strategy='ddp')\n"
            "if trainer.is_global_zero:\n    wandb.init()\n",
            "import wandb\nimport torch.distributed as dist\n"
            "dist.init_process_group('nccl')\nif dist.get_rank() == 0:\n"
            "    wandb.init()\n",
            "import wandb\ndef setup():\n    wandb.init()\n"
            "def main(rank):\n    if rank == 0:\n        setup()\n"
            "    torch.nn.parallel.DistributedDataParallel(m)\n",
            # one run a process, grouped: on purpose
            "import wandb\nimport torch.distributed as dist\n"
            "dist.init_process_group('nccl')\nwandb.init(group='ddp')\n",
            "import wandb\nwandb.init()\ntrainer = Trainer(strategy='auto')\n",
        ],
    ),
    (
        "WB017",
        """
        import numpy as np
        from snippets.sweep import run_trials

        def train(run):
            np.random.seed(0)  # <-
            run.summary["loss"] = 1.0

        list(run_trials(config, train, count=4))
        """,
        [
            # torch's generator is not the one the engine draws from
            "import torch\ndef train(run):\n    torch.manual_seed(0)\n"
            "list(run_trials(config, train, count=4))\n",
            # seeded once, before the sweep
            "import numpy as np\nnp.random.seed(0)\ndef train(run): ...\n"
            "list(run_trials(config, train, count=4))\n",
            # wandb.agent's proposals come from the server
            "import numpy as np\nimport wandb\ndef train():\n    np.random.seed(0)\n"
            "wandb.agent('s', function=train)\n",
        ],
    ),
    (
        "WB017",
        """
        import lightning.pytorch as pl

        def fix_seeds(seed):
            pl.seed_everything(seed)  # <-

        def trial(run):
            fix_seeds(1)

        for result in local_sweep(config, trial, count=3):
            pass
        """,
        [],
    ),
    (
        "WB018",
        """
        import argparse
        import wandb
        parser = argparse.ArgumentParser()
        parser.add_argument("--hf-token")
        args = parser.parse_args()
        run = wandb.init(config=vars(args))  # <-
        """,
        [
            # no secret among the options
            "import argparse\nimport wandb\np = argparse.ArgumentParser()\n"
            "p.add_argument('--max-tokens')\np.add_argument('--pad_token')\n"
            "args = p.parse_args()\nwandb.init(config=vars(args))\n",
            # the secret is there, but the config names its fields
            "import argparse\nimport wandb\np = argparse.ArgumentParser()\n"
            "p.add_argument('--api-key')\nargs = p.parse_args()\n"
            "wandb.init(config={'lr': args.lr})\n",
            # the script refuses to track with the secret set
            "import argparse\nimport wandb\np = argparse.ArgumentParser()\n"
            "p.add_argument('--hub_token')\nargs = p.parse_args()\n"
            "if args.report_to == 'wandb' and args.hub_token is not None:\n"
            "    raise ValueError('not both')\nwandb.init(config=vars(args))\n",
        ],
    ),
    (
        "WB018",
        """
        from dataclasses import asdict, dataclass
        import wandb
        @dataclass
        class Args:
            lr: float = 0.1
            wandb_key: str = ""
        args = Args()
        wandb.init(config=asdict(args))  # <-
        """,
        [],
    ),
]


def marked(code: str) -> list[int]:
    lines = textwrap.dedent(code).splitlines()
    return [i for i, line in enumerate(lines, 1) if "# <-" in line]


@pytest.mark.parametrize(
    ("rule", "code", "lookalikes"),
    CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)],
)
def test_a_rule_flags_the_wrong_form_and_not_its_lookalikes(rule, code, lookalikes):
    assert found(code) == [(rule, line) for line in marked(code)]
    for lookalike in lookalikes:
        assert found(lookalike) == [], lookalike


def test_every_rule_has_a_case():
    assert {case[0] for case in CASES} == set(RULES)


def test_a_finding_names_the_place_the_rule_the_fix_and_the_page():
    [f] = check_source("train.py", "import wandb\nrun = wandb.init(reinit=True)\n")
    assert str(f) == (
        "train.py:2:25 WB003 `reinit=True`: booleans are deprecated since wandb "
        '0.19.9 (`reinit="finish_previous"`; docs/init.md#tracking-is-opt-in)'
    )


# --- sweep configs in YAML and JSON --------------------------------------------------------

SWEEP_YAML = """\
program: train.py
method: bayes
metric:
  name: val/acc
  goal: max
parameters:
  lr:
    distribution: log_uniform
    min: 0.00001
    max: 0.1
  dropout:
    min: 0
    max: 1
  batch_size:
    values: [16, 32]
"""


def test_a_yaml_sweep_config_is_checked_line_by_line():
    findings = check_config_file("sweep.yaml", SWEEP_YAML)
    assert [(f.rule, f.line, f.col) for f in findings] == [
        ("WB007", 5, 3),
        ("WB004", 8, 5),
        ("WB006", 12, 5),
    ]
    assert findings[0].message == (
        "`goal: max` is not a goal W&B knows; the local engine minimizes"
    )
    assert findings[0].fix == "`goal: maximize`"


def test_a_json_sweep_config_and_w_and_b_s_schema():
    config = {
        "method": "grid",
        "metric": {"name": "loss", "goal": "minimize"},
        "parameters": {"lr": {"values": [0.1]}, "epochs": {"valu": 3}},
    }
    [f] = check_config_file("sweep.json", json.dumps(config, indent=1))
    assert (f.rule, f.line) == ("WB008", 1)
    assert f.message.startswith("W&B's sweep schema rejects this config: parameters.")
    assert "'valu' was unexpected" in f.message or "is not valid" in f.message


def test_an_exponent_with_no_dot_is_a_string_in_yaml():
    text = "method: random\nparameters:\n  lr:\n    min: 1e-5\n    max: 0.1\n"
    [f] = check_config_file("sweep.yaml", text)
    assert (f.rule, f.line, f.col) == ("WB008", 4, 5)
    assert f.message == (
        "W&B's sweep schema rejects this config: `lr`: min '1e-5' is a string, as "
        "YAML reads an exponent with no dot; write 1.0e-5"
    )


def test_yaml_without_pyyaml_is_reported_not_checked(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "yaml", None)  # import yaml raises ImportError
    assert check_config_file("sweep.yaml", SWEEP_YAML) == []
    assert (
        capsys.readouterr().err
        == "sweep.yaml: YAML needs PyYAML (pip install pyyaml)\n"
    )


def test_yaml_and_json_that_are_not_sweep_configs_are_left_alone():
    assert check_config_file("ci.yaml", "on: push\njobs: {}\n") == []
    assert (
        check_config_file("x.json", '{"parameters": {"a": {"min": 0, "max": 1}}}') == []
    )
    assert check_config_file("bad.yaml", "method: [\nparameters") == []
    assert check_config_file("bad.json", "{") == []


# --- this repository passes ---------------------------------------------------------------


def python_blocks(markdown: str) -> list[str]:
    """The Python code blocks of a page, less includes of snippet sections (checked
    as the modules they come from)."""
    blocks = re.findall(r"^```\{?\.?python[^\n]*\n(.*?)^```", markdown, re.M | re.S)
    return [b for b in blocks if not b.lstrip().startswith("--8<--")]


def test_this_repository_s_code_and_pages_pass_clean():
    assert (
        check_paths([str(ROOT / d) for d in ("snippets", "benchmarks", "scripts")])
        == []
    )
    pages = [ROOT / "SKILL.md", *sorted((ROOT / "docs").glob("*.md"))]
    blocks = [(p, b) for p in pages for b in python_blocks(p.read_text())]
    assert len(blocks) >= 8  # SKILL.md's blocks, at least
    for page, block in blocks:
        assert check_source(str(page), block) == [], page


# Each Wrong row's Right column, as code: the checker leaves it alone.
RIGHT = {
    "WB001": "def start_run(use_wandb):\n    if use_wandb:\n        import wandb\n",
    "WB002": "import wandb\nwith wandb.init() as run:\n    run.log({'loss': 1})\n",
    "WB003": "import wandb\nrun = wandb.init(reinit='finish_previous')\n",
    "WB015": "import wandb\nfor i in range(2):\n    with wandb.init() as run:\n"
    "        run.watch(model, log_freq=10, idx=0)\n        run.unwatch(model)\n",
    "WB014": "import wandb\nimg = wandb.Image(x, boxes={'predictions': {'box_data': "
    "[{'position': {'minX': 3, 'minY': 4, 'maxX': 50, 'maxY': 60}, "
    "'domain': 'pixel', 'class_id': 1}], 'class_labels': {1: 'cat'}}})\n",
    "WB013": "import numpy as np\nimport wandb\nframes = np.zeros((8, 32, 32, 3))\n"
    "wandb.Video(frames.transpose(0, 3, 1, 2), fps=10, format='gif')\n",
    "WB009": "run.link_artifact(a, 'wandb-registry-model/m')\n",
    "WB004": "import wandb\nwandb.sweep({'method': 'random', 'metric': {'name': 'l', "
    "'goal': 'minimize'}, 'parameters': {'lr': {'distribution': "
    "'log_uniform_values', 'min': 1e-5, 'max': 0.1}}})\n",
    "WB006": "import wandb\nwandb.sweep({'method': 'random', 'metric': {'name': 'l', "
    "'goal': 'minimize'}, 'parameters': {'p': {'distribution': 'uniform', "
    "'min': 0, 'max': 1}}})\n",
    "WB012": "import wandb\nwith wandb.init() as run:\n"
    "    if run.summary.get('loss') is not None: ...\n",
    "WB010": "from lightning.pytorch.loggers import WandbLogger\n"
    "logger = WandbLogger(save_dir=None, log_model='all')\n",
    "WB011": "ModelCheckpoint(monitor='val/loss', filename='epoch{epoch:02d}-"
    "val_loss{val/loss:.4f}', auto_insert_metric_name=False)\n",
    "WB016": "import wandb\nfrom lightning.pytorch.loggers import WandbLogger\n"
    "logger = WandbLogger()\ntrainer = Trainer(strategy='ddp', logger=logger)\n"
    "if trainer.is_global_zero:\n    wandb.log({'x': 1})\n",
    "WB018": "import argparse, os\nimport wandb\np = argparse.ArgumentParser()\n"
    "p.add_argument('--lr')\nargs = p.parse_args()\n"
    "token = os.environ['HF_TOKEN']\nwandb.init(config=vars(args))\n",
}


def test_the_right_column_passes_clean():
    covered = {
        r for rules in WRONG_ROWS.values() if isinstance(rules, tuple) for r in rules
    }
    assert covered.issuperset(RIGHT)
    for rule, code in RIGHT.items():
        assert found(code) == [], rule


# --- one source for the traps ---------------------------------------------------------------


def skill_wrong_cells() -> list[str]:
    table = (ROOT / "SKILL.md").read_text().split("## Wrong / right", 1)[1]
    table = table.split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ")]
    return [row.split(" | ")[0].removeprefix("| ") for row in rows[2:]]  # no header


def test_every_wrong_row_has_a_rule_or_says_why_none_can_see_it():
    assert skill_wrong_cells() == list(WRONG_ROWS)
    for row, rules in WRONG_ROWS.items():
        if isinstance(rules, str):
            assert len(rules) > 20, row  # a reason
        else:
            assert rules and set(rules) <= set(RULES), row
    named = {
        r for rules in WRONG_ROWS.values() if isinstance(rules, tuple) for r in rules
    }
    assert named | set(EXTRA_RULES) == set(RULES)
    assert not named & set(EXTRA_RULES)


def test_every_rule_s_page_and_anchor_exist():
    from markdown.extensions.toc import slugify

    for rule in RULES.values():
        page, anchor = rule.page.split("#")
        text = (ROOT / page).read_text()
        headings = re.findall(r"^#+ (.+)$", text, re.M)
        slugs = {slugify(re.sub(r"[`*]", "", h), "-") for h in headings}
        assert anchor in slugs, rule.page


# --- the command line -----------------------------------------------------------------------


def test_the_command_prints_each_finding_and_exits_1_or_0(run_python, tmp_path: Path):
    """Run as a script where wandb is not installed: it never imports wandb."""
    bad = tmp_path / "code" / "train.py"
    bad.parent.mkdir()
    bad.write_text("import wandb\nrun = wandb.init(reinit=True)\n")
    (bad.parent / "sweep.yaml").write_text(SWEEP_YAML)
    clean = tmp_path / "clean.py"
    clean.write_text("print('no W&B here')\n")
    script = str(ROOT / "scripts" / "check_wandb.py")
    code = (
        "import runpy, sys\n"
        f"for paths in ([{str(bad.parent)!r}], [{str(clean)!r}]):\n"
        "    sys.argv = ['check_wandb.py', *paths]\n"
        "    try:\n"
        f"        runpy.run_path({script!r}, run_name='__main__')\n"
        "    except SystemExit as done:\n"
        "        print('exit', done.code, 'wandb' in sys.modules)\n"
    )
    out = run_python("-c", code, wandb_installed=False).stdout.splitlines()
    assert out[-2:] == ["exit 1 False", "exit 0 False"]
    assert [line.split(" ")[1] for line in out[:-2]] == [
        "WB007",
        "WB004",
        "WB006",
        "WB003",
    ]
    assert out[0].startswith(f"{bad.parent / 'sweep.yaml'}:5:3 WB007 `goal: max`")


def test_json_select_and_ignore(tmp_path: Path, capsys: pytest.CaptureFixture):
    (tmp_path / "sweep.yaml").write_text(SWEEP_YAML)
    assert main(["--format", "json", "--select", "wb004,WB006", str(tmp_path)]) == 1
    out = json.loads(capsys.readouterr().out)
    assert [(f["rule"], f["line"]) for f in out] == [("WB004", 8), ("WB006", 12)]
    assert set(out[0]) == {"path", "line", "col", "rule", "message", "fix", "page"}
    assert main(["--ignore", "WB004,WB006,WB007", str(tmp_path)]) == 0
    assert capsys.readouterr().out == ""
    with pytest.raises(SystemExit):
        main(["--select", "WB999", str(tmp_path)])
    assert "unknown rule WB999" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.xdist_group("scripts-offline")
def test_the_benchmark_runs_quick(quick_benchmarks):
    result = quick_benchmarks.report["benchmarks"]["check_wandb_speed"]
    table, data = result["table"], result["data"]
    assert (quick_benchmarks.results / "check_wandb_speed.md").read_text() == table
    assert [(row["files"], row["wandb_files"]) for row in data] == [(80, 20), (80, 80)]
    assert all(row["seconds"] > 0 for row in data)
    assert (
        data[1]["findings"] > 0
    )  # this repository's tests hold the mistakes they test


def test_the_page_lists_every_rule_with_its_page():
    text = (ROOT / "docs" / "check_wandb.md").read_text()
    rows = {
        line.split(" | ")[0].removeprefix("| "): line
        for line in text.splitlines()
        if line.startswith("| WB")
    }
    assert list(rows) == list(RULES)
    for rule in RULES.values():
        assert f"]({rule.page.removeprefix('docs/')})" in rows[rule.id], rule.id


def test_code_that_is_not_python_3_or_too_deep_is_reported_not_checked(capsys):
    assert check_source("old.py", "import wandb\nprint 'x'\n") == []
    deep = "import wandb\nx = " + "(" * 200 + "1" + ")" * 200 + "\n"
    nested = "import wandb\nx = " + "[" * 20_000 + "]" * 20_000 + "\n"
    assert check_source("deep.py", deep) == []
    assert check_source("nested.py", nested) == []
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("old.py: not checked: SyntaxError: Missing parentheses")
    assert err[1].startswith("nested.py: not checked: ")
    assert len(err) == 2
