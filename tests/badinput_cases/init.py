"""Bad and edge inputs for snippets/init.py: start_run, NoRun, the configs, the
secret check, restartable and hparams_from_run."""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel


def cases(root: Path) -> list[tuple[str, Callable[[], Any], Any]]:
    from snippets.init import (
        Hyperparams,
        NoRun,
        TrackingConfig,
        hparams_from_run,
        refuse_secrets,
        restartable,
        start_run,
    )

    a_file = root / "a-file"
    a_file.write_text("")

    class Keys(BaseModel):
        api_key: str = "abc123"

    def refused(config: Any) -> Callable[[], Any]:
        return lambda: refuse_secrets(config)

    def allowed(config: Any) -> Callable[[], Any]:
        return lambda: refuse_secrets(config) is None

    def config_of(value: Any) -> Callable[[], Any]:
        return lambda: NoRun(config={"v": value}).config["v"]

    pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"
    return [
        *reported_cases(),
        # a flag is a bool
        ("start_run('false')", lambda: start_run("false"), "use_wandb"),
        ("start_run('no')", lambda: start_run("no"), "use_wandb"),
        ("start_run('0')", lambda: start_run("0"), "use_wandb"),
        ("start_run('')", lambda: start_run(""), "use_wandb"),
        ("start_run([])", lambda: start_run([]), "use_wandb"),
        ("TrackingConfig(use_wandb='false')", lambda: TrackingConfig(use_wandb="false"), lambda t: t.use_wandb is False),
        ("TrackingConfig(use_wandb='maybe')", lambda: TrackingConfig(use_wandb="maybe"), "use_wandb"),
        # an unknown keyword is refused with tracking off too
        ("start_run(False, projet=)", lambda: start_run(False, projet="x"), "projet"),
        ("start_run(False, mode=, confg=)", lambda: start_run(False, confg={}), "confg"),
        ("NoRun(projet=)", lambda: NoRun(projet="x"), "projet"),
        # modes take W&B's words
        ("mode='dryrun'", lambda: TrackingConfig(mode="dryrun"), lambda t: t.mode == "offline"),
        ("mode='run'", lambda: TrackingConfig(mode="run"), lambda t: t.mode == "online"),
        ("mode='Offline'", lambda: TrackingConfig(mode="Offline"), "mode"),
        ("mode='off'", lambda: TrackingConfig(mode="off"), "mode"),
        # secrets: names and shapes people use
        ("SECRET_KEY", refused({"SECRET_KEY": "django-insecure-9x!k"}), "SECRET_KEY"),
        ("aws_secret_access_key with /", refused({"aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}), "aws_secret_access_key"),
        ("api-key", refused({"api-key": "abc123"}), "api-key"),
        ("openaiApiKey", refused({"openaiApiKey": "abc123"}), "openaiApiKey"),
        ("private_key PEM", refused({"private_key": pem}), "private_key"),
        ("PEM under another name", refused({"deploy": pem}), "deploy"),
        ("bytes password", refused({"password": b"hunter2"}), "password"),
        ("model with api_key", refused(Keys()), "api_key"),
        ("ghp_ token value", refused({"gh": "ghp_" + "A1b2" * 9}), "gh"),
        ("sk- key value", refused({"llm": "sk-proj-" + "Ab3x" * 12}), "llm"),
        ("AKIA key id value", refused({"aws": "AKIAIOSFODNN7EXAMPLE"}), "aws"),
        ("clientSecret", refused({"clientSecret": "s3cr3t"}), "clientSecret"),
        ("HF_TOKEN in a list", refused([{"HF_TOKEN": "abc"}]), "HF_TOKEN"),
        ("passphrase", refused({"ssh": {"passphrase": "open sesame"}}), "passphrase"),
        ("refuse_secrets(None)", allowed(None), lambda ok: ok),
        ("refuse_secrets('text')", lambda: refuse_secrets("api_key=abc"), "config"),
        # look-alikes that are not secrets
        ("tokenizer", allowed({"tokenizer": "bert-base-uncased"}), lambda ok: ok),
        ("max_tokens", allowed({"max_tokens": 512}), lambda ok: ok),
        ("pad_token", allowed({"pad_token": "<pad>", "eos_token": "</s>"}), lambda ok: ok),
        ("secret_sauce_ratio", allowed({"secret_sauce_ratio": 0.3}), lambda ok: ok),
        ("commit_sha", allowed({"commit_sha": "a" * 40}), lambda ok: ok),
        ("api_key_env", allowed({"api_key_env": "OPENAI_API_KEY"}), lambda ok: ok),
        ("sk-learn model name", allowed({"model": "sk-learn-forest-v2"}), lambda ok: ok),
        ("keyboard layout", allowed({"keyboard": "qwerty"}), lambda ok: ok),
        # NoRun's config stores values as W&B's does
        ("config NaN", config_of(math.nan), lambda v: v is None),
        ("config tuple", config_of((1, 2)), lambda v: v == [1, 2]),
        ("config Path", config_of(Path("/data")), lambda v: v == "/data"),
        ("config key '-lr'", lambda: dict(NoRun(config={"--lr": 1}).config), lambda c: c == {"lr": 1}),
        ("config 'file.yaml'", lambda: NoRun(config="missing.yaml"), "missing.yaml"),
        ("len(config)", lambda: len(NoRun().config), "len"),
        # TrackingConfig and friends
        ("dir under a file", lambda: TrackingConfig(dir=a_file / "sub"), "dir"),
        ("tags='one'", lambda: TrackingConfig(tags="one"), "tags"),
        ("tags=None", lambda: TrackingConfig(tags=None), "tags"),
        ("project=None", lambda: TrackingConfig(project=None), "project"),
        ("resume=True", lambda: TrackingConfig(resume=True), "resume"),
        ("start(Hyperparams class)", lambda: TrackingConfig().start(Hyperparams), "hparams"),
        ("start([('lr', 1)])", lambda: TrackingConfig().start([("lr", 1)]), "hparams"),
        ("restartable(cfg, 42)", lambda: restartable(TrackingConfig(), 42), "job_id"),
        ("restartable(cfg, '')", lambda: restartable(TrackingConfig(), ""), "job_id"),
        ("restartable(None, '1')", lambda: restartable(None, "1"), "tracking"),
        ("hparams_from_run(None)", lambda: hparams_from_run(None), "run"),
        ("hparams_from_run(model=dict)", lambda: hparams_from_run(NoRun(), dict), "model"),
        ("hparams_from_run(config {})", lambda: hparams_from_run(NoRun()), lambda h: h == Hyperparams()),
    ]  # fmt: skip


def reported_cases() -> list[tuple[str, Callable[[], Any], Any]]:
    """The cases the bad-input report itself listed, kept as it gave them."""
    from snippets.init import TrackingConfig, hparams_from_run, restartable, start_run

    def offline_dir_is_a_file():
        with tempfile.NamedTemporaryFile() as file:
            return TrackingConfig(dir=file.name)

    return [
        ("project of 129", lambda: TrackingConfig(project="p" * 129), "project"),
        ("empty tag", lambda: TrackingConfig(tags=[""]), "tags"),
        ("tag of 65", lambda: TrackingConfig(tags=["t" * 65]), "tags"),
        ("id with spaces", lambda: TrackingConfig(id=" job "), "id"),
        ("id of 240", lambda: TrackingConfig(id="j" * 240), "id"),
        (
            "restartable(cfg, None)",
            lambda: restartable(TrackingConfig(), None),
            "job_id",
        ),
        ("dir that is a file", offline_dir_is_a_file, "dir"),
        ("start(hparams=dict)", lambda: TrackingConfig().start({"lr": 1}), _config_is),
        ("restartable(dict)", lambda: restartable({}, "1"), "tracking"),
        ("hparams_from_run(object())", lambda: hparams_from_run(object()), "run"),
        ("start_run(None)", lambda: start_run(None), lambda run: not dict(run.config)),
    ]


def _config_is(run: Any) -> bool:
    return dict(run.config) == {"lr": 1}
