"""Find the guide's Wrong / right mistakes in Python code and W&B sweep configs.

    python scripts/check_wandb.py train.py src/ sweep.yaml
    python scripts/check_wandb.py --format json --select WB004,WB007 .

Reads the code with the standard library's `ast` (no wandb import, no network) and
prints `path:line:col RULE message (fix; page)` for each finding; exits 1 when there is
one, 0 when the code is clean, 2 on a usage error. YAML sweep configs need PyYAML
(wandb depends on it); W&B's own sweep schema is used when `sweeps` is installed.
One file, standard library only: it works copied out of this repository.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    message: str  # what is wrong, one line
    fix: str  # the right form
    page: str  # the guide's page that explains it: docs/<page>.md#<anchor>


RULES: dict[str, Rule] = {
    r.id: r
    for r in [
        Rule(
            "WB001",
            "top-level-import",
            "`import wandb` at module level, though tracking is behind a flag "
            "(`{flag}`): the module fails where wandb is not installed",
            "import wandb inside the function that starts the run, behind the flag",
            "docs/init.md#tracking-is-opt-in",
        ),
        Rule(
            "WB002",
            "module-function",
            "`wandb.{call}` follows the global run, while a run object is in scope, "
            "in a file that starts several runs",
            "call it on the run `wandb.init` returned: `{run}.{call}`",
            "docs/init.md#tracking-is-opt-in",
        ),
        Rule(
            "WB003",
            "reinit-bool",
            "`reinit={value}`: booleans are deprecated since wandb 0.19.9",
            '`reinit="{right}"`',
            "docs/init.md#tracking-is-opt-in",
        ),
        Rule(
            "WB004",
            "log-uniform-values",
            "`{name}`: `{dist}` takes base-e exponents, and min {lo}, max {hi} look "
            "like values: every value drawn is near e^{lo}",
            '`"distribution": "{dist}_values"`',
            "docs/sweep.md#the-configuration-as-models",
        ),
        Rule(
            "WB005",
            "log-uniform-exponents",
            "`{name}`: `{dist}` takes values, and min {lo} is not above 0: it looks "
            "like a base-e exponent",
            '`"distribution": "{base}"` for exponents, or positive min and max',
            "docs/sweep.md#the-configuration-as-models",
        ),
        Rule(
            "WB006",
            "int-bounds",
            "`{name}`: integer min {lo} and max {hi} with no `distribution` are read "
            "as `int_uniform`: only whole numbers are tried",
            '`"distribution": "uniform"` (or float bounds such as {lo}.0)',
            "docs/sweep.md#the-configuration-as-models",
        ),
        Rule(
            "WB007",
            "metric-goal",
            "`goal: {goal}` is not a goal W&B knows; the local engine minimizes",
            "`goal: {right}`",
            "docs/sweep.md#the-configuration-as-models",
        ),
        Rule(
            "WB008",
            "sweep-schema",
            "W&B's sweep schema rejects this config: {detail}",
            "correct the field it names",
            "docs/sweep.md#the-configuration-as-models",
        ),
        Rule(
            "WB009",
            "legacy-registry",
            "`model-registry/` is the legacy Model Registry, being retired",
            '`"wandb-registry-model/<collection>"`',
            "docs/registry.md#the-target-path",
        ),
        Rule(
            "WB010",
            "offline-log-model",
            "`WandbLogger(offline=True, log_model=...)`: Lightning raises "
            "`MisconfigurationException`",
            "leave `offline` unset and set `WANDB_MODE=offline`; `log_model` by mode",
            "docs/lightning_training.md#the-logger",
        ),
        Rule(
            "WB011",
            "checkpoint-slash",
            "`ModelCheckpoint` filename `{filename}`: the `/` in `{metric}` makes a "
            "folder, as the metric name is inserted before its value",
            "`auto_insert_metric_name=False` and a filename with no `/` outside `{{}}`",
            "docs/lightning_training.md#checkpoints-as-artifacts",
        ),
        Rule(
            "WB012",
            "in-summary",
            "`in {owner}`: offline, `in` on a run's summary raises `KeyError: 0`",
            "`{owner}.get(key)` and compare with None",
            "docs/sweep.md#a-sweep-with-no-server",
        ),
        Rule(
            "WB013",
            "video-format",
            "`wandb.Video` of an array with no `format`: wandb 0.31 requires it",
            '`wandb.Video(frames, fps=10, format="gif")` with (T, C, H, W) frames',
            "docs/media.md#video",
        ),
        Rule(
            "WB014",
            "pixel-boxes",
            'a box with pixel positions and no `"domain": "pixel"`: W&B reads them '
            "as fractions 0..1",
            '`"domain": "pixel"` in each box (the guide\'s `pixel_boxes`)',
            "docs/media.md#bounding-boxes",
        ),
        Rule(
            "WB015",
            "watch-unwatch",
            "`{call}` and no `unwatch`, in a file that starts several runs: the hooks "
            "outlive the run, and the next run's charts become `graph_1`",
            "`run.watch(model, log_freq=N, idx=0)` ... `run.unwatch(model)`",
            "docs/metrics.md#histograms-runwatch",
        ),
        Rule(
            "WB016",
            "ddp-init",
            "`wandb.init` in a script that trains with DDP ({ddp}): every process "
            "starts a run",
            "`WandbLogger`, or W&B calls under `trainer.is_global_zero` / rank 0",
            "docs/lightning_training.md#distributed-training",
        ),
        Rule(
            "WB017",
            "seed-in-trial",
            "`{call}` inside the sweep trial `{trial}`: it resets numpy's global "
            "generator, from which the local sweep engine draws, so proposals repeat",
            "seed a local generator (`np.random.default_rng(seed)`, `torch.Generator`)"
            " or seed once before the sweep",
            "docs/sweep.md#a-sweep-with-no-server",
        ),
        Rule(
            "WB018",
            "secret-config",
            "`config={config}` records `{field}`, named like a secret: everyone who "
            "can see the project can read it",
            "read the secret from the environment; leave it out of the config "
            "(`refuse_secrets`)",
            "docs/offline.md#good-habits",
        ),
    ]
}

# Every row of SKILL.md's Wrong / right table (its Wrong cell): the rules that find it,
# or why no program reading the code can. tests/test_check_wandb.py keeps the two equal.
WRONG_ROWS: dict[str, tuple[str, ...] | str] = {
    "`import wandb` at the top of a training module": ("WB001",),
    "`wandb.log(...)`": ("WB002",),
    "`wandb.init(reinit=True)`": ("WB003",),
    "`step=epoch` in one call, `step=global_step` in another": (
        "which counter a name holds is known only at run time"
    ),
    '`run.log({"loss": loss.item()})` on every step': (
        "how often a line runs depends on the loop's data, not its text"
    ),
    "logging a NaN loss as it is": "a NaN exists only at run time",
    'reading `run.summary["val/acc"]` after `define_metric(..., summary="max")`': (
        "the key and the define_metric call are usually strings built at run time"
    ),
    "`run.watch(model)` and forgetting it": ("WB015",),
    "`wandb.Image(x)` with a CHW numpy array or floats in [0, 1]": (
        "an array's shape and dtype are known only at run time"
    ),
    'pixel boxes without `"domain": "pixel"`': ("WB014",),
    "`wandb.Video(frames)` with (T, H, W, C) frames": ("WB013",),
    "every validation image, every step": (
        "how many images a loop logs depends on its data"
    ),
    '`run.use_artifact("data:latest").download()`': (
        "it fails only in some modes, chosen by the environment at run time"
    ),
    '`run.link_artifact(a, "team/model-registry/m")`': ("WB009",),
    '`"distribution": "log_uniform", "min": 1e-5, "max": 0.1`': ("WB004", "WB005"),
    '`{"min": 0, "max": 1}` with no `distribution`': ("WB006",),
    '`if "loss" in run.summary:`': ("WB012",),
    '`WandbLogger(offline=True, log_model="all")`': ("WB010",),
    '`ModelCheckpoint(monitor="val/loss", filename="{epoch}-{val/loss:.4f}")`': (
        "WB011",
    ),
    "`wandb.init()` at the top of a DDP script": ("WB016",),
    "a restarted job logging `step=0, 1, ...` again": (
        "whether a job restarts is decided by the scheduler, not the code"
    ),
    "a secret in `config=` (`vars(args)` with a token)": ("WB018",),
}

# Rules for traps the pages name outside SKILL.md's table.
EXTRA_RULES = {
    "WB007": "docs/sweep.md: `goal: max`",
    "WB008": "docs/sweep.md: W&B's sweep schema",
    "WB017": "docs/sweep.md: the engine draws from numpy's global generator",
}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    col: int
    rule: str
    message: str
    fix: str
    page: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}:{self.col} {self.rule} {self.message} "
            f"({self.fix}; {self.page})"
        )


def finding(path: str, node: Any, rule_id: str, **fields: Any) -> Finding:
    """A Finding for `rule_id` at `node` (an ast node or a (line, col) pair)."""
    rule = RULES[rule_id]
    line, col = node if isinstance(node, tuple) else (node.lineno, node.col_offset + 1)
    return Finding(
        path,
        line,
        col,
        rule_id,
        rule.message.format(**fields),
        rule.fix.format(**fields),
        rule.page,
    )


# --- names and small helpers ----------------------------------------------------------


def dotted(node: ast.AST) -> str:
    """`a.b.c` for a Name/Attribute chain, `a.b()` parts as `a.b()`; else ''."""
    parts = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            break
        elif isinstance(node, ast.Call):
            inner = dotted(node.func)
            if not inner:
                return ""
            parts.append(inner + "()")
            break
        else:
            return ""
    return ".".join(reversed(parts))


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def constant(node: ast.AST | None, default: Any = None) -> Any:
    return node.value if isinstance(node, ast.Constant) else default


def names_in(node: ast.AST) -> Iterator[str]:
    """Every identifier in an expression: names, attributes, called functions."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            yield sub.id
        elif isinstance(sub, ast.Attribute):
            yield sub.attr
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            yield sub.value


# --- sweep configs, from Python, YAML or JSON -----------------------------------------

UNKNOWN = object()  # a value the code computes: not checked
NUMBER = (int, float)


class Located(dict):
    """A mapping from a config, with the (line, col) of itself and of each key."""

    pos: tuple[int, int] = (1, 1)
    where: dict[Any, tuple[int, int]]

    def at(self, key: Any) -> tuple[int, int]:
        return self.where.get(key, self.pos)


def located(pos: tuple[int, int], items: Iterable[tuple[Any, Any, tuple]]) -> Located:
    mapping = Located()
    mapping.pos, mapping.where = pos, {}
    for key, value, where in items:
        mapping[key], mapping.where[key] = value, where
    return mapping


def from_ast(node: ast.AST, bound: dict[str, ast.AST] | None = None) -> Any:
    """A literal from code: dicts become Located, anything computed UNKNOWN; a Name
    bound to a dict literal in the same file (`bound`) is followed."""
    if isinstance(node, ast.Name) and bound and node.id in bound:
        return from_ast(bound[node.id])
    if isinstance(node, ast.Dict):
        items = []
        for key, value in zip(node.keys, node.values, strict=True):
            if not isinstance(key, ast.Constant):
                return UNKNOWN  # a ** spread or a computed key
            where = (key.lineno, key.col_offset + 1)
            items.append((key.value, from_ast(value, bound), where))
        return located((node.lineno, node.col_offset + 1), items)
    if isinstance(node, ast.Call) and dotted(node.func) == "dict" and not node.args:
        items = [
            (kw.arg, from_ast(kw.value, bound), (kw.value.lineno, kw.col_offset + 1))
            for kw in node.keywords
            if kw.arg
        ]
        if len(items) != len(node.keywords):
            return UNKNOWN
        return located((node.lineno, node.col_offset + 1), items)
    if isinstance(node, (ast.List, ast.Tuple)):
        return [from_ast(e, bound) for e in node.elts]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = from_ast(node.operand)
        return -inner if isinstance(inner, NUMBER) and inner is not UNKNOWN else UNKNOWN
    if isinstance(node, ast.Constant):
        return node.value
    return UNKNOWN


def is_plain(value: Any) -> bool:
    """No computed value anywhere inside."""
    if value is UNKNOWN:
        return False
    if isinstance(value, dict):
        return all(is_plain(v) for v in value.values())
    if isinstance(value, list):
        return all(is_plain(v) for v in value)
    return True


def number(value: Any) -> bool:
    return isinstance(value, NUMBER) and not isinstance(value, bool)


FLOAT_LIKE = re.compile(
    r"(^|_)(lr|learning_rate|dropout|drop|momentum|decay|wd|rate|prob|p|alpha|beta\d?"
    r"|eps|epsilon|gamma|temperature|temp|ratio|frac|fraction|scale|coef|lambda|tau"
    r"|smoothing|clip|noise|weight)($|_)",
    re.IGNORECASE,
)
LOG_DISTRIBUTIONS = {"log_uniform", "q_log_uniform", "inv_log_uniform"}
VALUE_DISTRIBUTIONS = {d + "_values" for d in LOG_DISTRIBUTIONS}


def check_parameters(path: str, parameters: Any) -> Iterator[Finding]:
    """The traps in a sweep's `parameters` mapping, nested parameters included."""
    if not isinstance(parameters, Located):
        return
    for name, spec in parameters.items():
        if not isinstance(spec, Located):
            continue
        yield from check_parameter(path, str(name), spec)
        if "parameters" in spec:
            yield from check_parameters(path, spec["parameters"])


def numeric_text(value: Any) -> bool:
    """'1e-5': YAML 1.1 (PyYAML, which W&B's CLI uses) reads an exponent with no
    dot as a string."""
    try:
        return isinstance(value, str) and float(value) == float(value)
    except ValueError:
        return False


def check_parameter(path: str, name: str, spec: Located) -> Iterator[Finding]:
    dist, lo, hi = spec.get("distribution"), spec.get("min"), spec.get("max")
    for bound in ("min", "max"):
        if numeric_text(spec.get(bound)):
            text = spec[bound]
            mantissa, _, exponent = text.lower().partition("e")
            right = (
                f"{mantissa}.0e{exponent}" if exponent and "." not in mantissa else text
            )
            detail = (
                f"`{name}`: {bound} '{text}' is a string, as YAML reads an exponent "
                f"with no dot; write {right}"
            )
            yield finding(path, spec.at(bound), "WB008", detail=detail)
    if not (number(lo) and number(hi)):
        return
    where = spec.at("distribution") if "distribution" in spec else spec.at("min")
    if dist in LOG_DISTRIBUTIONS and (0 < lo < 0.1 or hi > 50):
        # e^50 is 5e21: bounds like these are values, not exponents
        yield finding(path, where, "WB004", name=name, dist=dist, lo=lo, hi=hi)
    elif dist in VALUE_DISTRIBUTIONS and lo <= 0:
        base = dist.removesuffix("_values")
        yield finding(path, where, "WB005", name=name, dist=dist, lo=lo, base=base)
    elif (
        "distribution" not in spec
        and isinstance(lo, int)
        and isinstance(hi, int)
        and (hi - lo <= 1 or FLOAT_LIKE.search(name))
    ):
        yield finding(path, where, "WB006", name=name, lo=lo, hi=hi)


GOALS = {"max": "maximize", "min": "minimize", "maximise": "maximize"}


def check_sweep(path: str, config: Located, schema: bool = True) -> Iterator[Finding]:
    """A whole sweep config: the guide's traps, then W&B's schema when `sweeps` is
    installed and the config is a plain literal."""
    metric = config.get("metric")
    if isinstance(metric, Located) and isinstance(metric.get("goal"), str):
        goal = metric["goal"]
        if goal not in ("minimize", "maximize"):
            right = GOALS.get(goal.lower(), "minimize` or `maximize")
            yield finding(path, metric.at("goal"), "WB007", goal=goal, right=right)
    own = list(check_parameters(path, config.get("parameters")))
    yield from own
    if schema and is_plain(config) and "scheduler" not in config:
        # a Launch sweep's scheduler is newer than the `sweeps` package's schema
        said = {f.message.split("`")[1] for f in own if f.rule == "WB008"}
        for detail in schema_violations(config):
            if not any(detail.startswith(f"parameters.{name}:") for name in said):
                yield finding(path, config.pos, "WB008", detail=detail)


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def schema_violations(config: dict) -> list[str]:
    """W&B's sweep schema (`schema.json` of the `sweeps` package, read with
    jsonschema), less what WB004 and WB007 say better; [] without `sweeps`."""
    validator = sweep_validator()
    if validator is None:
        return []
    found = [
        (f"{'.'.join(map(str, e.absolute_path))}: " if e.absolute_path else "")
        + e.message
        for e in validator.iter_errors(plain(config))
    ]
    said = ("is not one of ['minimize', 'maximize']", "uses log_uniform, where")
    return list(dict.fromkeys(m for m in found if not any(s in m for s in said)))


_VALIDATOR: list[Any] = []


def sweep_validator() -> Any:
    """jsonschema's validator for W&B's sweep schema, made once; None where the
    `sweeps` package (or jsonschema) is not installed. Importing `sweeps` itself
    takes a second (scipy): only its schema file is read."""
    if not _VALIDATOR:
        import importlib.util

        spec = importlib.util.find_spec("sweeps")
        try:
            import jsonschema

            folder = Path(spec.origin).parent  # type: ignore[union-attr]
            schema = json.loads((folder / "config" / "schema.json").read_text())
        except (AttributeError, ImportError, OSError, TypeError):
            _VALIDATOR.append(None)
        else:
            formats = jsonschema.FormatChecker()
            formats.checks("float")(lambda value: isinstance(value, float))
            formats.checks("integer")(lambda value: isinstance(value, int))
            _VALIDATOR.append(
                jsonschema.Draft7Validator(schema, format_checker=formats)
            )
    return _VALIDATOR[0]


def is_sweep_config(value: Any) -> bool:
    return (
        isinstance(value, Located)
        and isinstance(value.get("parameters"), Located)
        and "method" in value
    )


def yaml_located(text: str) -> Any:
    """YAML parsed with PyYAML into Located mappings that know their lines."""
    import yaml

    def convert(node: Any) -> Any:
        if isinstance(node, yaml.MappingNode):
            items = []
            for key, value in node.value:
                where = (key.start_mark.line + 1, key.start_mark.column + 1)
                items.append((convert(key), convert(value), where))
            start = node.start_mark
            return located((start.line + 1, start.column + 1), items)
        if isinstance(node, yaml.SequenceNode):
            return [convert(n) for n in node.value]
        return yaml.SafeLoader(" ").construct_object(node)

    node = yaml.compose(text, Loader=yaml.SafeLoader)
    return None if node is None else convert(node)


def json_located(text: str) -> Any:
    """JSON into Located mappings; a key's line is where `"key"` first appears."""
    lines = text.splitlines()

    def where(key: str) -> tuple[int, int]:
        needle = json.dumps(key)
        for number_, line in enumerate(lines, 1):
            if needle in line:
                return number_, line.index(needle) + 1
        return 1, 1

    def hook(pairs: list[tuple[str, Any]]) -> Located:
        return located((1, 1), [(k, v, where(k)) for k, v in pairs])

    return json.loads(text, object_pairs_hook=hook)


def check_config_file(path: str, text: str) -> list[Finding]:
    """A sweep config in YAML or JSON; other YAML and JSON files are left alone."""
    if path.endswith(".json"):
        try:
            config = json_located(text)
        except ValueError:
            return []
    else:
        if "parameters" not in text or "method" not in text:
            return []  # not a sweep config: skip the YAML parser
        try:
            config = yaml_located(text)
        except ImportError:
            print(f"{path}: YAML needs PyYAML (pip install pyyaml)", file=sys.stderr)
            return []
        except Exception:  # not YAML, several documents, tags: not a sweep config
            return []
    return list(check_sweep(path, config)) if is_sweep_config(config) else []


# --- Python code ----------------------------------------------------------------------

FLAG = re.compile(
    r"^(use|no|log|enable|disable|with|do|report)_?wandb$|^wandb_?(log|logging|enabled|"
    r"on|off|disabled|track|tracking)?$|^use_?wb$|^track$",
    re.IGNORECASE,
)
DECLARED_ONLY = {"track"}  # a flag when declared (`--track`, `track: bool`), not used
RANK = re.compile(
    r"rank|is_global_zero|is_main|main_process|master|is_local_zero|local_zero",
    re.IGNORECASE,
)
SECRET = re.compile(
    r"^(?:\w+_)?(api_?key|apikey|secret|secret_key|password|passwd|access_key|"
    r"private_key|credentials?)$|^(?:(?:hf|huggingface|hub|wandb|wb|api|auth|access|"
    r"github|gh|openai|bearer|login|write|read|bot|slack|discord|telegram)_)?token$"
    r"|^(?:wandb|wb|hf|openai|hub)_key$",
    re.IGNORECASE,
)
LEGACY_REGISTRY = re.compile(r"^[^\s]*model-registry[/][^\s]*$")  # a path, no text
SEEDERS = {"seed_everything", "set_seed", "seed_all", "set_seeds", "seed_torch"}
# a file with none of these has nothing a rule looks for, and is not parsed
KEYWORDS = (
    "wandb",
    "Wandb",
    "ModelCheckpoint",
    "sweep",
    "model-registry",
    "run_trials",
    "log_uniform",
    "minX",
)
RUN_OWNERS = re.compile(r"(^|_)run$|^experiment$|^wandb$", re.IGNORECASE)
ARRAY_HINTS = re.compile(
    r"^(np|numpy|torch|jnp|tf)\.|\.(numpy|cpu|transpose|permute|astype|stack|"
    r"concatenate|detach|swapaxes|moveaxis|reshape|clip|squeeze|unsqueeze)\(\)",
)


def _concrete(*bases: type) -> set[type]:
    found = set()
    for base in bases:
        found |= {base, *_concrete(*base.__subclasses__())}
    return found


# what no rule looks inside: plain values, names, operators, load/store contexts
LEAVES = frozenset(
    _concrete(ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
    | {ast.Name, str, int, float, bool, bytes, type(None), type(...)}
)


class Scope:
    """A module, class or function body: what its names are bound to."""

    def __init__(self, node: ast.AST, parent: Scope | None) -> None:
        self.node, self.parent = node, parent
        self.bound: dict[str, ast.AST] = {}  # name -> the last value assigned
        self.runs: set[str] = set()  # names bound to wandb.init(...)

    def lookup(self, name: str) -> ast.AST | None:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.bound:
                return scope.bound[name]
            scope = scope.parent
        return None

    def run_in_scope(self) -> str | None:
        scope: Scope | None = self
        while scope is not None:
            if scope.runs:
                return sorted(scope.runs)[0]
            scope = scope.parent
        return None


class Module(ast.NodeVisitor):
    """One pass over a module: it records what the rules need, then `findings()`."""

    def __init__(self, path: str, tree: ast.Module) -> None:
        self.path, self.tree = path, tree
        self.out: list[Finding] = []
        self.scope = Scope(tree, None)
        self.classes: list[Scope] = []  # enclosing classes
        self.class_runs: dict[ast.AST, set[str]] = {}  # class -> self.X = wandb.init
        self.guards: list[ast.expr] = []  # tests of the enclosing ifs
        self.loops = 0
        self.top_imports: list[ast.AST] = []
        self.flag: str | None = None
        self.functions: dict[str, ast.AST] = {}
        self.calls: list[tuple[ast.Call, str, Scope, tuple, int, ast.AST | None]] = []
        self.docstrings: set[int] = set()
        self.compares: list[ast.Compare] = []
        self.dicts: list[tuple[ast.Dict, Scope]] = []
        self.secret_fields: list[str] = []
        self.mutated: set[str] = set()  # names changed after their dict literal
        self.ddp: str | None = None
        self.unwatch = False
        self.summary_sets: list[tuple[ast.AST, Scope]] = []
        self.refused: set[str] = set()  # names tested by an `if` that raises
        self.expecting = 0  # inside `with pytest.raises(...)`
        self.expected: set[int] = set()  # calls made there

    # --- the walk: NodeVisitor's, with its method lookup cached and with the leaves
    # no rule reads (names, operators, contexts) left out, for speed

    _methods: dict[type, Any] = {}

    def visit(self, node: ast.AST) -> None:
        method = self._methods.get(node.__class__)
        if method is None:
            name = "visit_" + node.__class__.__name__
            method = getattr(type(self), name, type(self).generic_visit)
            self._methods[node.__class__] = method
        method(self, node)

    def generic_visit(self, node: ast.AST) -> None:
        visit = self.visit
        for field in node._fields:
            value = getattr(node, field, None)
            if type(value) is list:
                for item in value:
                    if type(item) not in LEAVES:
                        visit(item)
            elif type(value) not in LEAVES:
                visit(value)

    def visit_Module(self, node: ast.Module) -> None:
        self._docstring(node)
        self.generic_visit(node)

    def _docstring(self, node: Any) -> None:
        body = node.body
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
        ):
            self.docstrings.add(id(body[0].value))

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._docstring(node)
        if not self.classes or self.scope.node is not self.classes[-1].node:
            self.functions.setdefault(node.name, node)
        for arg in node.args.args + node.args.kwonlyargs:
            self._maybe_flag(arg.arg)
        for deco in node.decorator_list:
            self.visit(deco)
        outer, guards, loops = self.scope, self.guards, self.loops
        self.scope, self.loops = Scope(node, outer), 0
        if any(
            "rank_zero" in name for d in node.decorator_list for name in names_in(d)
        ):
            self.guards = [*guards, node.decorator_list[0]]
        for stmt in node.body:
            self.visit(stmt)
        self.scope, self.guards, self.loops = outer, guards, loops

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._docstring(node)
        outer = self.scope
        self.scope = Scope(node, outer)
        self.classes.append(self.scope)
        self.class_runs.setdefault(node, set())
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                self._field(stmt.target.id)
                self._maybe_flag(stmt.target.id)
            self.visit(stmt)
        self.classes.pop()
        self.scope = outer

    def visit_If(self, node: ast.If) -> None:
        self._flags_in_test(node.test)
        if any(isinstance(stmt, ast.Raise) for stmt in node.body):
            self.refused.update(names_in(node.test))  # `if args.token: raise ...`
        self.visit(node.test)
        if self._is_type_checking(node.test):
            return  # imports for type checkers only
        self.guards.append(node.test)
        for stmt in node.body:
            self.visit(stmt)
        self.guards.pop()
        # the else branch runs when the test is false: guarded by it too
        self.guards.append(node.test)
        for stmt in node.orelse:
            self.visit(stmt)
        self.guards.pop()

    @staticmethod
    def _is_type_checking(test: ast.expr) -> bool:
        return dotted(test).endswith("TYPE_CHECKING")

    def visit_Try(self, node: ast.Try) -> None:
        handled = {
            name
            for handler in node.handlers
            for name in (names_in(handler.type) if handler.type else ["Exception"])
        }
        optional = handled & {"ImportError", "ModuleNotFoundError", "Exception"}
        if optional:
            self.guards.append(node)  # an import inside may fail: wandb is optional
        for stmt in node.body:
            self.visit(stmt)
        if optional:
            self.guards.pop()
        for part in (*node.handlers, *node.orelse, *node.finalbody):
            self.visit(part)

    visit_TryStar = visit_Try

    def _loop(self, node: ast.AST) -> None:
        self.loops += 1
        self.generic_visit(node)
        self.loops -= 1

    visit_For = visit_While = visit_AsyncFor = _loop

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        names = (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [alias.name for alias in node.names]
        )
        is_wandb = any(n == "wandb" or n.startswith("wandb.") for n in names)
        if is_wandb and isinstance(self.scope.node, ast.Module) and not self.guards:
            self.top_imports.append(node)

    visit_ImportFrom = visit_Import

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self._bind(target, node.value)
            self.visit(target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
            self._bind(node.target, node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.generic_visit(node)
        if isinstance(node.target, ast.Name):
            self.mutated.add(node.target.id)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self._bind(node.target, node.value)

    def _bind(self, target: ast.AST, value: ast.AST) -> None:
        if isinstance(target, ast.Name):
            # not `wandb = None` after a failed import, nor `track = ...` (a tracker?)
            if target.id != "wandb" and target.id not in DECLARED_ONLY:
                self._maybe_flag(target.id)
            self.scope.bound[target.id] = value
            if self._is_init(value):
                self.scope.runs.add(target.id)
        elif isinstance(target, ast.Attribute) and self._is_init(value):
            if dotted(target.value) == "self" and self.classes:
                self.class_runs[self.classes[-1].node].add("self." + target.attr)
        elif isinstance(target, ast.Subscript):
            owner = dotted(target.value)
            self.mutated.add(owner.split(".")[0])
            if owner == "wandb.summary":
                self.summary_sets.append((target, self.scope))

    @staticmethod
    def _is_init(value: ast.AST) -> bool:
        return isinstance(value, ast.Call) and dotted(value.func) in (
            "wandb.init",
            "wandb.sdk.init",
        )

    def visit_With(self, node: ast.With) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self._bind(item.optional_vars, item.context_expr)
        expects_error = any(
            isinstance(item.context_expr, ast.Call)
            and dotted(item.context_expr.func).endswith(("raises", "assertRaises"))
            for item in node.items
        )
        self.expecting += expects_error  # a test that the mistake raises: not one
        for stmt in node.body:
            self.visit(stmt)
        self.expecting -= expects_error

    visit_AsyncWith = visit_With

    def _flags_in_test(self, test: ast.expr) -> None:
        """`if use_wandb`, `if args.wandb and rank == 0`: a flag tested."""
        parts = test.values if isinstance(test, ast.BoolOp) else [test]
        for part in parts:
            if isinstance(part, ast.UnaryOp):
                part = part.operand
            name = part.id if isinstance(part, ast.Name) else getattr(part, "attr", "")
            if name != "wandb" and name not in DECLARED_ONLY:
                self._maybe_flag(name)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        self._flags_in_test(node.test)
        self.generic_visit(node)

    def _maybe_flag(self, name: str) -> None:
        if self.flag is None and FLAG.match(name):
            self.flag = name

    def _field(self, name: str) -> None:
        if SECRET.match(name):
            self.secret_fields.append(name)

    def visit_Constant(self, node: ast.Constant) -> None:
        if (
            isinstance(node.value, str)
            and LEGACY_REGISTRY.search(node.value)
            and id(node) not in self.docstrings
        ):
            self.out.append(finding(self.path, node, "WB009"))

    def visit_Compare(self, node: ast.Compare) -> None:
        self.compares.append(node)
        self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        self.dicts.append((node, self.scope))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if self.expecting:
            self.expected.add(id(node))
        name = dotted(node.func)
        fn = self._function()
        self.calls.append((node, name, self.scope, tuple(self.guards), self.loops, fn))
        last = name.rsplit(".", 1)[-1]
        if last == "add_argument":
            for arg in node.args:
                option = constant(arg)
                if isinstance(option, str):
                    dest = option.lstrip("-").replace("-", "_")
                    self._maybe_flag(dest)
                    if option.startswith("-"):
                        self._field(dest)
            dest = constant(keyword(node, "dest"))
            if isinstance(dest, str):
                self._field(dest)
                self._maybe_flag(dest)
        elif last == "unwatch":
            self.unwatch = True
        elif last in ("update", "setdefault", "pop", "clear"):
            owner = node.func.value if isinstance(node.func, ast.Attribute) else node
            self.mutated.add(dotted(owner).split(".")[0])
        for kw in node.keywords:
            if kw.arg in ("strategy", "accelerator", "distributed_backend"):
                value = constant(kw.value)
                if isinstance(value, str) and value.startswith("ddp"):
                    self.ddp = self.ddp or f'{kw.arg}="{value}"'
        if last in ("DDPStrategy", "DistributedDataParallel", "init_process_group"):
            self.ddp = self.ddp or f"`{last}`"
        self.generic_visit(node)

    def _function(self) -> ast.AST | None:
        scope: Scope | None = self.scope
        while scope is not None and isinstance(scope.node, (ast.Module, ast.ClassDef)):
            scope = scope.parent
        return scope.node if scope else None

    # --- the rules

    def findings(self) -> list[Finding]:
        self.visit(self.tree)
        self._imports()
        for call, name, scope, guards, loops, fn in self.calls:
            self._call(call, name, scope, guards, loops, fn)
        for node, scope in self.summary_sets:
            run = scope.run_in_scope() or self._class_run(scope)
            if run and self._several_runs():
                self.out.append(
                    finding(self.path, node, "WB002", call="summary[...] =", run=run)
                )
        self._summary_in()
        self._boxes()
        self._sweeps()
        self._trials()
        return sorted(self.out, key=lambda f: (f.line, f.col, f.rule))

    def _imports(self) -> None:
        if self.flag is not None:
            for node in self.top_imports[:1]:
                self.out.append(finding(self.path, node, "WB001", flag=self.flag))

    def _call(self, call, name, scope, guards, loops, fn) -> None:  # noqa: ANN001
        if id(call) in self.expected:
            return
        last = name.rsplit(".", 1)[-1]
        if name in ("wandb.log", "wandb.summary.update") or (
            name.startswith("wandb.summary") and last in ("update", "__setitem__")
        ):
            run = scope.run_in_scope() or self._class_run(scope)
            if run and self._several_runs():
                call_name = name.removeprefix("wandb.")
                self.out.append(
                    finding(self.path, call, "WB002", call=call_name, run=run)
                )
        if name in ("wandb.init", "wandb.Settings") or last == "WandbLogger":
            reinit = keyword(call, "reinit")
            if isinstance(constant(reinit), bool):
                # W&B's names for what the booleans did
                right = "finish_previous" if reinit.value else "return_previous"
                self.out.append(
                    finding(self.path, reinit, "WB003", value=reinit.value, right=right)
                )
        if last == "WandbLogger":
            offline, log_model = keyword(call, "offline"), keyword(call, "log_model")
            truthy = constant(log_model, True) not in (False, None)
            if constant(offline) is True and log_model is not None and truthy:
                self.out.append(finding(self.path, call, "WB010"))
        if last == "ModelCheckpoint":
            self._checkpoint(call)
        video = name in ("wandb.Video", "wandb.data_types.Video") and call.args
        if (
            video
            and keyword(call, "format") is None
            and self._is_array(call.args[0], scope)
        ):
            self.out.append(finding(self.path, call, "WB013"))  # an array, not a path
        if last == "watch" and not self.unwatch and self._several_runs():
            owner = (
                dotted(call.func.value) if isinstance(call.func, ast.Attribute) else ""
            )
            if owner and RUN_OWNERS.search(owner.rsplit(".", 1)[-1]):
                self.out.append(finding(self.path, call, "WB015", call=name + "()"))
        if (
            name == "wandb.init"
            and self.ddp
            and not self._rank_guarded(call, guards, fn)
        ):
            self.out.append(finding(self.path, call, "WB016", ddp=self.ddp))
        if name in ("wandb.init", "wandb.config.update") or last == "WandbLogger":
            self._secret_config(call, scope)

    def _several_runs(self) -> bool:
        """More than one run in this process: `wandb.init` in a loop or with
        `reinit`, or a sweep's trials. (Two `wandb.init` calls may be alternatives.)"""
        inits = [c for c in self.calls if c[1] == "wandb.init"]
        return any(
            loops or keyword(c, "reinit") is not None for c, *_, loops, _ in inits
        ) or any(
            name.rsplit(".", 1)[-1] in ("agent", "run_trials", "local_sweep")
            for _, name, *_ in self.calls
        )

    def _class_run(self, scope: Scope) -> str | None:
        s: Scope | None = scope
        while s is not None:
            if isinstance(s.node, ast.ClassDef) and self.class_runs.get(s.node):
                return sorted(self.class_runs[s.node])[0]
            s = s.parent
        return None

    def _checkpoint(self, call: ast.Call) -> None:
        filename = constant(keyword(call, "filename"))
        if not isinstance(filename, str):
            return
        if constant(keyword(call, "auto_insert_metric_name"), True) is False:
            return
        for metric in re.findall(r"\{([^}:]+)", filename):
            if "/" in metric:
                self.out.append(
                    finding(
                        self.path,
                        call,
                        "WB011",
                        filename=filename,
                        metric=metric.strip(),
                    )
                )
                return

    def _is_array(self, node: ast.AST, scope: Scope, depth: int = 0) -> bool:
        """An expression that clearly builds an array (numpy, torch calls)."""
        if isinstance(node, ast.Name) and depth < 3:
            value = scope.lookup(node.id)
            return value is not None and self._is_array(value, scope, depth + 1)
        if isinstance(node, (ast.Call, ast.Attribute, ast.Subscript)):
            return any(
                ARRAY_HINTS.search(dotted(sub.func) + "()")
                for sub in ast.walk(node)
                if isinstance(sub, ast.Call)
            )
        return False

    def _rank_guarded(
        self, call: ast.Call, guards: tuple, fn: ast.AST | None, depth: int = 0
    ) -> bool:
        """Under an `if` on the rank, after an early `if rank: return`, in a
        function named for rank 0, or in a function only called so."""
        if keyword(call, "group") is not None:
            return True  # one run a process, on purpose
        texts = [n for g in guards for n in names_in(g)]
        texts += [n for kw in call.keywords for n in names_in(kw.value)]
        if fn is not None:
            for stmt in ast.walk(fn):
                if isinstance(stmt, ast.If) and stmt.lineno < call.lineno:
                    texts += list(names_in(stmt.test))
            texts.append(getattr(fn, "name", ""))
        if any(RANK.search(t) for t in texts if isinstance(t, str)):
            return True
        name = getattr(fn, "name", None)
        callers = [c for c in self.calls if c[1].rsplit(".", 1)[-1] == name]
        return depth < 2 and any(
            self._rank_guarded(c[0], c[3], c[5], depth + 1) for c in callers
        )

    def _secret_config(self, call: ast.Call, scope: Scope) -> None:
        """A whole namespace of options (`vars(args)`, `asdict(cfg)`) as the config,
        in a file that defines an option named like a secret."""
        secrets = [f for f in self.secret_fields if f not in self.refused]
        if not secrets:
            return
        config = keyword(call, "config")
        if config is None and dotted(call.func) == "wandb.config.update" and call.args:
            config = call.args[0]
        if config is None:
            return
        text = ast.unparse(config)
        whole = re.search(
            r"\b(vars|asdict)\(\s*[\w.]+\s*\)|\w\.(__dict__|_asdict\(\))", text
        )
        if whole or isinstance(config, ast.Name) and self._parsed_args(config, scope):
            field = secrets[0]
            self.out.append(
                finding(self.path, config, "WB018", config=text, field=field)
            )

    @staticmethod
    def _parsed_args(node: ast.Name, scope: Scope) -> bool:
        value = scope.lookup(node.id)
        return isinstance(value, ast.Call) and dotted(value.func).endswith(
            ("parse_args", "parse_known_args", "cli")
        )

    def _summary_in(self) -> None:
        if any(name.endswith("Api") for _, name, *_ in self.calls):
            return  # the public API's runs: their summary is not the SDK's
        for node in self.compares:
            for op, right in zip(node.ops, node.comparators, strict=True):
                if not isinstance(op, (ast.In, ast.NotIn)):
                    continue
                owner = dotted(right)
                if not owner.endswith(".summary") or owner == ".summary":
                    continue
                holder = owner.rsplit(".", 2)[-2].removesuffix("()")
                if RUN_OWNERS.search(holder):
                    self.out.append(finding(self.path, node, "WB012", owner=owner))

    def _boxes(self) -> None:
        for node, _ in self.dicts:
            keys = {constant(k) for k in node.keys}
            if "position" not in keys or "domain" in keys:
                continue
            if not keys & {"class_id", "box_caption", "scores"}:
                continue
            index = [constant(k) for k in node.keys].index("position")
            position = node.values[index]
            if isinstance(position, ast.Dict) and self._pixels(position):
                self.out.append(finding(self.path, node.keys[index], "WB014"))

    @staticmethod
    def _pixels(position: ast.Dict) -> bool:
        for value in position.values:
            if number(constant(value)) and constant(value) > 1:
                return True
            func = dotted(value.func) if isinstance(value, ast.Call) else ""
            if func in ("int", "round") and (func == "int" or len(value.args) == 1):
                return True  # whole numbers: pixels
        return False

    def _sweeps(self) -> None:
        seen: set[int] = set()
        for call, name, scope, *_ in self.calls:
            if name != "wandb.sweep":
                continue
            arg = keyword(call, "sweep") or (call.args[0] if call.args else None)
            if arg is None:
                continue
            source = scope.lookup(arg.id) if isinstance(arg, ast.Name) else arg
            if not isinstance(source, ast.Dict):
                continue
            seen.update(id(d) for d in ast.walk(source) if isinstance(d, ast.Dict))
            config = from_ast(source)
            if isinstance(config, Located):
                schema = not (isinstance(arg, ast.Name) and arg.id in self.mutated)
                self.out.extend(check_sweep(self.path, config, schema))
        for scope in self._scopes():
            for name, value in scope.bound.items():
                if id(value) in seen or not isinstance(value, ast.Dict):
                    continue
                config = from_ast(value)
                if is_sweep_config(config) and "sweep" in name.lower():
                    seen.update(
                        id(d) for d in ast.walk(value) if isinstance(d, ast.Dict)
                    )
                    schema = name not in self.mutated
                    self.out.extend(check_sweep(self.path, config, schema))
                elif (
                    "param" in name.lower()
                    and isinstance(config, Located)
                    and any(isinstance(v, Located) for v in config.values())
                ):
                    seen.update(
                        id(d) for d in ast.walk(value) if isinstance(d, ast.Dict)
                    )
                    self.out.extend(check_parameters(self.path, config))
        # any other literal with a W&B log distribution: its bounds can be checked
        for node, _ in self.dicts:
            if id(node) in seen:
                continue
            keys = [constant(k) for k in node.keys]
            if "distribution" in keys and "min" in keys:
                spec = from_ast(node)
                dist = spec.get("distribution") if isinstance(spec, Located) else None
                if dist in LOG_DISTRIBUTIONS | VALUE_DISTRIBUTIONS:
                    name = self._param_name(node)
                    self.out.extend(check_parameter(self.path, name, spec))

    def _param_name(self, node: ast.Dict) -> str:
        for parent, _ in self.dicts:
            for key, value in zip(parent.keys, parent.values, strict=True):
                if value is node and isinstance(constant(key), str):
                    return constant(key)
        return "parameter"

    def _scopes(self) -> Iterator[Scope]:
        seen = {id(call[2]): call[2] for call in self.calls}
        seen.setdefault(id(self.scope), self.scope)
        for scope in list(seen.values()):
            while scope is not None:
                yield scope
                scope = scope.parent

    def _trials(self) -> None:
        """Seeding calls in a function run by the local sweep engine, one per trial."""
        engine_loops = any(name.endswith("next_run") for _, name, *_ in self.calls)
        for call, name, *_ in self.calls:
            last = name.rsplit(".", 1)[-1]
            if last in ("run_trials", "local_sweep") and len(call.args) >= 2:
                trial = call.args[1]
            elif last in ("run_trials", "local_sweep"):
                trial = keyword(call, "train_fn") or keyword(call, "train")
            else:
                continue
            if isinstance(trial, ast.Name) and trial.id in self.functions:
                self._seeds_in(self.functions[trial.id], trial.id)
        if engine_loops:  # a hand-written loop over sweeps.next_run
            for call, name, _, _, loops, fn in self.calls:
                in_engine_loop = fn is not None and any(
                    n.endswith("next_run") for n in names_in(fn)
                )
                if loops and in_engine_loop and self._seeder(name):
                    self.out.append(
                        finding(self.path, call, "WB017", call=name, trial=fn.name)
                    )

    def _seeds_in(self, fn: ast.AST, trial: str, depth: int = 0) -> None:
        for sub in ast.walk(fn):
            if not isinstance(sub, ast.Call):
                continue
            name = dotted(sub.func)
            if name in self.functions:  # a helper of this file: look inside
                if depth < 2 and self.functions[name] is not fn:
                    self._seeds_in(self.functions[name], trial, depth + 1)
            elif self._seeder(name):
                self.out.append(
                    finding(self.path, sub, "WB017", call=name, trial=trial)
                )

    @staticmethod
    def _seeder(name: str) -> bool:
        return (
            name.endswith("random.seed")
            and name.split(".")[0]
            in (
                "np",
                "numpy",
            )
            or name.rsplit(".", 1)[-1] in SEEDERS
        )


def check_source(path: str, text: str) -> list[Finding]:
    """The findings in one Python file's text."""
    if not any(word in text for word in KEYWORDS):
        return []  # nothing any rule looks for: no need to parse
    try:
        return Module(path, ast.parse(text, filename=path)).findings()
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        # not Python 3, or nested too deeply to walk (a generated table)
        print(f"{path}: not checked: {type(error).__name__}: {error}", file=sys.stderr)
        return []


def check_file(path: Path) -> list[Finding]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"{path}: not read: {error}", file=sys.stderr)
        return []
    if path.suffix == ".py":
        return check_source(str(path), text)
    return check_config_file(str(path), text)


SUFFIXES = (".py", ".yaml", ".yml", ".json")
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", "site", ".tox"}


def files(paths: Iterable[str]) -> Iterator[Path]:
    """The files to check: those named, and under folders every .py, .yaml, .yml and
    .json file, less hidden folders, virtual environments and caches."""
    for name in paths:
        path = Path(name)
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(
                    d for d in dirs if d not in SKIP_DIRS and not d.startswith(".")
                )
                for file in sorted(names):
                    if file.endswith(SUFFIXES):
                        yield Path(root) / file
        else:
            yield path


def check_paths(
    paths: Iterable[str],
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    jobs: int | None = None,
) -> list[Finding]:
    """Every finding in the files and folders, in path order. Many files are split
    among `jobs` processes (default: one a core), where Linux can fork them."""
    import gc

    chosen = set(select or RULES) - set(ignore)
    todo = list(files(paths))
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    gc.disable()  # syntax trees are many small objects, freed by their reference counts
    try:
        if jobs > 1 and len(todo) >= 200 and sys.platform == "linux":
            import multiprocessing

            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                parts = pool.map(check_files, [todo[i::jobs] for i in range(jobs)])
            order = {str(path): i for i, path in enumerate(todo)}
            found = sorted(
                (f for part in parts for f in part),
                key=lambda f: (order[f.path], f.line, f.col, f.rule),
            )
        else:
            found = check_files(todo)
    finally:
        gc.enable()
    return [f for f in found if f.rule in chosen]


def check_files(paths: list[Path]) -> list[Finding]:
    return [f for path in paths for f in check_file(path)]


def rule_list(text: str | None) -> list[str]:
    if not text:
        return []
    ids = [part.strip().upper() for part in text.split(",") if part.strip()]
    unknown = [i for i in ids if i not in RULES]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown rule {', '.join(unknown)}: one of {', '.join(RULES)}"
        )
    return ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="check_wandb.py", description=__doc__.strip().splitlines()[0]
    )
    parser.add_argument("paths", nargs="*", help="Python files, sweep configs, folders")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--select", type=rule_list, help="only these rules: WB001,WB004"
    )
    parser.add_argument("--ignore", type=rule_list, default=[], help="not these rules")
    parser.add_argument("--jobs", type=int, help="processes (default: one a core)")
    parser.add_argument("--list-rules", action="store_true", help="print the rules")
    args = parser.parse_args(argv)
    if args.list_rules:
        for rule in RULES.values():
            print(f"{rule.id} {rule.name}: {rule.page}")
        return 0
    if not args.paths:
        parser.error("name at least one file or folder")
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        parser.error(f"no such file or folder: {', '.join(missing)}")
    found = check_paths(args.paths, args.select, args.ignore, args.jobs)
    if args.format == "json":
        print(json.dumps([asdict(f) for f in found], indent=1))
    else:
        for f in found:
            print(f)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
