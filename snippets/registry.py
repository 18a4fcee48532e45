"""Link model versions to the W&B Registry and promote the best one: the registry topic.

`registry_path` builds and checks a target, "wandb-registry-<registry>/<collection>";
`link_model` links a logged model artifact to it, and offline, where W&B cannot link,
records what it would link and prints the call to make after `wandb sync`. Promotion
after training reads the collection's versions through the public API, picks one by a
recorded metric with `choose_version` (plain code, tested on its own) and moves an alias
such as "staging" or "production" to it. Linking online and the public API need a W&B
server and an API key.

Run it:  WANDB_MODE=offline python -m snippets.registry   (or disabled, or with wandb
absent)
"""

# --8<-- [start:imports]
from __future__ import annotations

import math
import tempfile
import warnings
from collections.abc import Mapping
from dataclasses import asdict, astuple, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # for type checkers only: at run time wandb stays optional
    import wandb
# --8<-- [end:imports]
# isort: split
from .artifacts import (
    VERSION_ALIAS,
    FitParams,
    check_aliases,
    check_name,
    check_run,
    make_dataset,
    train,
)
from .init import GOALS, NoRun, TrackingConfig, one_of

__all__ = [
    "PendingLink",
    "check_target",
    "choose_version",
    "link_after_sync",
    "link_model",
    "load_registry_model",
    "promote",
    "public_api",
    "read_model",
    "registry_path",
]

# --8<-- [start:target]
# W&B's own rules, from the installed wandb 0.31 source: wandb/sdk/artifacts/
# _validators.py, validate_project_name. A registry is the project
# "wandb-registry-<name>" of your organization: at most 128 characters in all, none of
# INVALID_URL_CHARS. A collection takes an artifact's name (snippets/artifacts.py).
REGISTRY_PREFIX = "wandb-registry-"
REGISTRY_FORBIDDEN = "/\\#?%:\r\n"


def registry_path(collection: str, registry: str = "model", org: str = "") -> str:
    """The target of run.link_artifact: "wandb-registry-<registry>/<collection>".

    registry: "model", "dataset" (the two every organization has) or a custom one's
    name. org: the organization, not a team entity; needed only when you belong to
    several organizations."""
    if not (collection and isinstance(collection, str) and isinstance(registry, str)):
        raise ValueError(
            f"collection={collection!r}, registry={registry!r}: pass names"
        )
    path = f"{REGISTRY_PREFIX}{registry}/{collection}"
    return check_target(f"{org}/{path}" if org else path)


def check_target(target: str) -> str:
    """A registry target W&B accepts, or a ValueError naming the part to fix."""
    usage = (
        f"{target!r}: a registry target is [org/]{REGISTRY_PREFIX}<registry>/"
        "<collection>, e.g. registry_path('my-model')"
    )
    if not isinstance(target, str) or not 1 <= target.count("/") <= 2:
        raise ValueError(usage)
    *org, project, collection = target.split("/")
    if project == "model-registry":
        raise ValueError(
            f"{target!r} is the legacy Model Registry, which W&B is retiring: link to "
            f"{REGISTRY_PREFIX}model/{collection} (registry_path({collection!r}))"
        )
    registry = project.removeprefix(REGISTRY_PREFIX)
    if registry == project:
        raise ValueError(usage)
    if not registry or len(project) > 128 or set(REGISTRY_FORBIDDEN) & set(registry):
        raise ValueError(
            f"registry name {registry!r}: W&B takes 1 to {128 - len(REGISTRY_PREFIX)} "
            "characters, none of / \\ # ? % :"
        )
    if ":" in collection:
        raise ValueError(f"{target!r}: pass the aliases apart (aliases=[...])")
    if not collection:
        raise ValueError(f"{target!r}: name the collection after the last '/'")
    check_name(collection)
    return target
    # --8<-- [end:target]


# --8<-- [start:link]
@dataclass(frozen=True)
class PendingLink:
    """What an offline run would have linked; kept in its summary until synced."""

    run_path: str  # "project/run id": where the artifact is after `wandb sync`
    name: str
    digest: str  # which of the run's versions of `name`
    target: str
    aliases: list[str]

    def code(self) -> str:
        return f"link_after_sync({', '.join(map(repr, astuple(self)))})"


def link_model(
    run: wandb.Run | NoRun,
    artifact: wandb.Artifact | None,
    target: str,
    aliases: list[str],
) -> wandb.Artifact | PendingLink | None:
    """Link an artifact this run has logged to a registry collection. Offline, where
    run.link_artifact raises NotImplementedError (after logging the artifact a second
    time), record the link in the summary and print the call to make after syncing."""
    check_run(run)
    check_target(target)
    check_aliases(aliases)
    if artifact is not None and not hasattr(artifact, "digest"):
        raise TypeError(f"artifact={artifact!r}: pass the wandb.Artifact you logged")
    if isinstance(run, NoRun) or artifact is None or run.disabled:
        warnings.warn(f"tracking is off: nothing linked to {target}", stacklevel=2)
        return None
    if not run.offline:
        return run.link_artifact(artifact, target, aliases=aliases)
    if not getattr(artifact, "_final", True):  # wandb 0.31: log_artifact sets it
        raise ValueError(
            f"{artifact.name} was never logged, so W&B could not link it after sync: "
            "call run.log_artifact(artifact) first"
        )
    pending = PendingLink(run.path, artifact.name, artifact.digest, target, aliases)
    run.summary["registry/pending_link"] = asdict(pending)
    run_folder = Path(run.dir).parent
    print(
        f"{artifact.name} not linked: W&B links only online. After "
        f"`wandb sync {run_folder}`, run: {pending.code()}"
    )
    return pending
    # --8<-- [end:link]


# --8<-- [start:api]
def public_api() -> Any:
    """wandb.Api(), or an error that says what it needs: a server and an API key."""
    import wandb

    try:
        return wandb.Api()
    except wandb.errors.UsageError as error:  # "No API key configured."
        raise RuntimeError(
            "the W&B public API needs a W&B server and an API key: run `wandb login` "
            "or set WANDB_API_KEY (and WANDB_BASE_URL for your own server)"
        ) from error


def link_after_sync(
    run_path: str, name: str, digest: str, target: str, aliases: list[str]
) -> wandb.Artifact:
    """Make the link an offline run recorded (PendingLink), once it is synced."""
    check_target(target)
    check_aliases(aliases)
    if not (
        run_path and digest and isinstance(run_path, str) and isinstance(digest, str)
    ):
        raise ValueError(f"run_path={run_path!r}, digest={digest!r}: see PendingLink")
    logged = public_api().run(run_path).logged_artifacts()
    found = [a for a in logged if a.name.split(":")[0] == name and a.digest == digest]
    if not found:
        raise LookupError(
            f"run {run_path} has no {name} with digest {digest}: `wandb sync` it first"
        )
    return found[0].link(target, aliases=aliases)
    # --8<-- [end:api]


# --8<-- [start:choose]
def choose_version(
    versions: Mapping[str, Mapping[str, Any]],
    metric: str,
    goal: Literal["min", "max", "minimize", "maximize"],
) -> str:
    """The version ("v3") whose metadata holds the best value of `metric`. Versions
    without a finite value are passed over, with a warning; a tie goes to the newest
    version."""
    sign = 1 if one_of(goal, GOALS, "goal") == "max" else -1
    if not isinstance(metric, str) or not metric:
        raise ValueError(f"metric={metric!r}: name the recorded one, e.g. 'val/loss'")
    if not isinstance(versions, Mapping):
        raise TypeError(f"versions is a {type(versions).__name__}: pass a dict")
    scored, passed_over = [], []
    for version, metadata in versions.items():
        if not isinstance(version, str) or not VERSION_ALIAS.fullmatch(version):
            raise ValueError(f"version {version!r}: W&B's versions are 'v0', 'v1', ...")
        if not isinstance(metadata, Mapping):
            raise TypeError(f"the metadata of {version} is {metadata!r}: pass a dict")
        value = metadata.get(metric)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and math.isfinite(value):
            scored.append((sign * value, int(version[1:]), version))
        else:  # None, NaN, inf, a string: never chosen
            passed_over.append(version)
    if not scored:
        raise ValueError(
            f"no version records the metric {metric!r} as a finite number in its "
            f"metadata (versions: {', '.join(versions) or 'none'})"
        )
    if passed_over:
        skipped = ", ".join(passed_over)
        warnings.warn(f"{skipped}: no finite {metric!r}, passed over", stacklevel=2)
    return max(scored)[2]
    # --8<-- [end:choose]


# --8<-- [start:promote]
def promote(
    target: str,
    metric: str,
    goal: Literal["min", "max", "minimize", "maximize"],
    alias: str = "staging",
    type: str = "model",
) -> wandb.Artifact:
    """Move `alias` to the collection's best version by `metric`. An alias belongs to
    one version of a collection at a time: W&B takes it off the version that had it.
    Needs a W&B server and an API key."""
    check_target(target)
    check_aliases([alias])
    one_of(goal, GOALS, "goal")  # checked before the server is asked
    if not (metric and type and isinstance(metric, str) and isinstance(type, str)):
        raise ValueError(f"metric={metric!r}, type={type!r}: pass both, neither empty")
    versions = {a.version: a for a in public_api().artifacts(type, target)}
    chosen = versions[
        choose_version({v: a.metadata for v, a in versions.items()}, metric, goal)
    ]
    if alias not in chosen.aliases:
        chosen.aliases = [*chosen.aliases, alias]
        chosen.save()
    return chosen
    # --8<-- [end:promote]


# --8<-- [start:consume]
def read_model(path: str | Path) -> dict[str, float]:
    """The weights a JSON model file holds, or an error naming the file."""
    import json

    try:
        weights = json.loads(Path(path).read_text())
    except ValueError as error:  # not JSON, or not text
        raise ValueError(f"{path} is not a JSON model file: {error}") from error
    if not isinstance(weights, dict):
        raise ValueError(f"{path} holds a {type(weights).__name__}, not a dict")
    return weights


def load_registry_model(
    run: wandb.Run | NoRun, target: str, alias: str, local: str | Path
) -> dict[str, float]:
    """Load the model version that `alias` ("production") names in a registry
    collection, as this run's input (the lineage edge). Where W&B cannot serve it
    (offline, disabled, tracking off), load the local copy `local` instead, record in
    the summary what was loaded from where, and say so in one warning."""
    check_run(run)
    check_target(target)
    bad = not isinstance(alias, str) or bool(set(alias) & set("/:"))
    if bad or not 1 <= len(alias) <= 128:
        raise ValueError(
            f"alias {alias!r}: W&B takes 1 to 128 characters, none of '/' ':'"
        )
    if not isinstance(local, str | Path) or not str(local):
        raise ValueError(f"local={local!r}: pass the local copy's path, not empty")
    name = f"{target}:{alias}"
    if getattr(run, "offline", False):  # use_artifact raises TypeError offline
        reason = "W&B is offline"
    elif (artifact := run.use_artifact(name)) is None:  # disabled, tracking off
        reason = "W&B is disabled or tracking is off"
    else:  # online: the file of the version `alias` names, downloaded
        return read_model(Path(artifact.file()))
    if Path(local).is_dir():
        raise IsADirectoryError(f"{local} is a folder: pass the model file in it")
    if not Path(local).is_file():
        raise FileNotFoundError(
            f"{name}: {reason} and the local copy {local} is missing"
        )
    warnings.warn(f"{name}: {reason}, so loading the local copy {local}", stacklevel=2)
    run.summary["registry/loaded"] = {"model": name, "from": str(local)}
    return read_model(local)
    # --8<-- [end:consume]


# --- Example scaffolding: it makes this page's example run; not a helper to copy. ---


# --8<-- [start:main]
def main(
    tracking: TrackingConfig | None = None,
) -> wandb.Artifact | PendingLink | None:
    tracking = tracking or TrackingConfig(use_wandb=True, job_type="train")
    hp = FitParams()
    with tempfile.TemporaryDirectory() as tmp, tracking.start(hp) as run:
        data = make_dataset(Path(tmp) / "points", hp.seed)
        checkpoints = train(hp, run, data, Path(tmp))
        target = registry_path("linear-model")
        return link_model(run, checkpoints.best_artifact, target, ["staging"])
    # --8<-- [end:main]


if __name__ == "__main__":
    print(f"linked: {main()}")
