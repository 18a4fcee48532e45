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
from .artifacts import FitParams, check_aliases, check_name, make_dataset, train
from .init import NoRun, TrackingConfig

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
    path = f"{REGISTRY_PREFIX}{registry}/{collection}"
    return check_target(f"{org}/{path}" if org else path)


def check_target(target: str) -> str:
    """A registry target W&B accepts, or a ValueError naming the part to fix."""
    *org, project, collection = target.split("/")
    if project == "model-registry":
        raise ValueError(
            f"{target!r} is the legacy Model Registry, which W&B is retiring: link to "
            f"{REGISTRY_PREFIX}model/{collection} (registry_path({collection!r}))"
        )
    registry = project.removeprefix(REGISTRY_PREFIX)
    if len(org) > 1 or registry == project:
        raise ValueError(
            f"{target!r}: a registry target is [org/]{REGISTRY_PREFIX}<registry>/"
            "<collection>, e.g. registry_path('my-model')"
        )
    if not registry or len(project) > 128 or set(REGISTRY_FORBIDDEN) & set(registry):
        raise ValueError(
            f"registry name {registry!r}: W&B takes 1 to {128 - len(REGISTRY_PREFIX)} "
            "characters, none of / \\ # ? % :"
        )
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
    check_target(target)
    check_aliases(aliases)
    if isinstance(run, NoRun) or artifact is None or run.disabled:
        warnings.warn(f"tracking is off: nothing linked to {target}", stacklevel=2)
        return None
    if not run.offline:
        return run.link_artifact(artifact, target, aliases=aliases)
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
    logged = public_api().run(run_path).logged_artifacts()
    found = [a for a in logged if a.name.split(":")[0] == name and a.digest == digest]
    if not found:
        raise LookupError(
            f"run {run_path} has no {name} with digest {digest}: `wandb sync` it first"
        )
    return found[0].link(check_target(target), aliases=check_aliases(aliases))
    # --8<-- [end:api]


# --8<-- [start:choose]
def choose_version(
    versions: Mapping[str, Mapping[str, Any]],
    metric: str,
    goal: Literal["min", "max"],
) -> str:
    """The version ("v3") whose metadata holds the best value of `metric`. Versions
    without a finite value are passed over; a tie goes to the newest version."""
    scored = []
    for version, metadata in versions.items():
        value = metadata.get(metric)
        if isinstance(value, (int, float)) and math.isfinite(value):
            sign = 1 if goal == "max" else -1
            scored.append((sign * value, int(version.removeprefix("v")), version))
    if not scored:
        raise ValueError(
            f"no version records a finite {metric!r} in its metadata "
            f"(versions: {', '.join(versions) or 'none'})"
        )
    return max(scored)[2]
    # --8<-- [end:choose]


# --8<-- [start:promote]
def promote(
    target: str,
    metric: str,
    goal: Literal["min", "max"],
    alias: str = "staging",
    type: str = "model",
) -> wandb.Artifact:
    """Move `alias` to the collection's best version by `metric`. An alias belongs to
    one version of a collection at a time: W&B takes it off the version that had it.
    Needs a W&B server and an API key."""
    check_target(target)
    check_aliases([alias])
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
def load_registry_model(
    run: wandb.Run | Any, target: str, alias: str, local: Path
) -> dict[str, float]:
    """Load the model version that `alias` ("production") names in a registry
    collection, as this run's input (the lineage edge). Where W&B cannot serve it
    (offline, disabled, tracking off), load the local copy `local` instead, record in
    the summary what was loaded from where, and say so in one warning."""
    import json

    check_target(target)
    if not 1 <= len(alias) <= 128 or set(alias) & set("/:"):
        raise ValueError(
            f"alias {alias!r}: W&B takes 1 to 128 characters, none of '/' ':'"
        )
    name = f"{target}:{alias}"
    if getattr(run, "offline", False):  # use_artifact raises TypeError offline
        reason = "W&B is offline"
    elif (artifact := run.use_artifact(name)) is None:  # disabled, tracking off
        reason = "W&B is disabled or tracking is off"
    else:  # online: the file of the version `alias` names, downloaded
        return json.loads(Path(artifact.file()).read_text())
    if not Path(local).is_file():
        raise FileNotFoundError(
            f"{name}: {reason} and the local copy {local} is missing"
        )
    warnings.warn(f"{name}: {reason}, so loading the local copy {local}", stacklevel=2)
    run.summary["registry/loaded"] = {"model": name, "from": str(local)}
    return json.loads(Path(local).read_text())
    # --8<-- [end:consume]


# --8<-- [start:main]
def main(tracking: TrackingConfig | None = None) -> PendingLink | Any:
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
