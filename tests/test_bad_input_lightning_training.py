"""Bad input, generated, for snippets/lightning_training.py: make_logger's flag and
mode (wandb.init's mode= or WANDB_MODE) against W&B's own words, and the callback's
and the checkpoint's arguments. No training: each call fails or returns first."""

from __future__ import annotations

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from snippets.init import MODES


@pytest.fixture(scope="module", autouse=True)
def import_lightning() -> None:
    """Imported when these tests run, not at collection (tests/test_lightning_training.py
    says why)."""
    global CSVLogger, PredictionImages, make_logger
    from lightning.pytorch.loggers import CSVLogger

    from snippets.lightning_training import PredictionImages, make_logger


QUICK = settings(
    max_examples=60, deadline=None, suppress_health_check=list(HealthCheck)
)
modes = st.one_of(  # no NUL: the environment cannot hold one
    st.sampled_from(sorted(MODES)),
    st.text(max_size=8).filter(lambda s: "\x00" not in s),
)


@QUICK
@given(flag=st.one_of(st.booleans(), st.text(max_size=5), st.integers(), st.none()))
def test_use_wandb_is_a_bool_or_a_type_error_naming_it(tmp_path_factory, flag):
    root = tmp_path_factory.getbasetemp()
    try:
        logger = make_logger(flag, root, mode="disabled")
    except TypeError as error:
        assert not isinstance(flag, bool)
        assert str(error).startswith(f"use_wandb must be True or False, not {flag!r}")
        return
    assert isinstance(flag, bool) and isinstance(logger, CSVLogger) == (not flag)


@QUICK
@given(mode=st.one_of(modes, st.none()), env=modes)
def test_log_model_follows_the_mode_in_wandbs_words(monkeypatch, mode, env):
    """mode= wins over WANDB_MODE, which W&B checks either way; each is one of W&B's
    words or a ValueError naming it. (monkeypatch is function-scoped: each example
    sets WANDB_MODE anew.)"""
    monkeypatch.setenv("WANDB_MODE", env)
    effective = env if mode is None else mode
    message = f"mode={effective!r}, WANDB_MODE={env!r}: online, offline..."
    try:
        logger = make_logger(True, ".", mode=mode)
    except ValueError as error:
        assert env not in MODES or effective not in MODES
        assert str(error) == message
        return
    assert env in MODES and effective in MODES
    expected = False if MODES[effective] == "disabled" else "all"
    assert logger._log_model == expected  # what after_save_checkpoint reads


@QUICK
@given(
    n_labels=st.integers(0, 5),
    every=st.one_of(st.integers(-2, 3), st.floats(0, 3), st.text(max_size=2)),
)
def test_prediction_images_takes_matching_tensors_and_a_whole_every(n_labels, every):
    images = torch.zeros(3, 1, 8, 8)
    labels = torch.zeros(n_labels, dtype=torch.long)
    try:
        callback = PredictionImages(images, labels, every_n_epochs=every)
    except ValueError as error:
        whole = type(every) is int and every >= 1
        assert n_labels != 3 or not whole
        assert str(error) == (
            f"3 images but {n_labels} labels"
            if n_labels != 3
            else f"every_n_epochs={every!r}: pass a whole number >= 1"
        )
        return
    assert n_labels == 3 and type(every) is int and callback.every == every >= 1
