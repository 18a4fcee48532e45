"""Bad input, generated, for snippets/init.py's newer checks: the flag of start_run,
the keywords NoRun takes, the values NoRun's config stores (W&B's own Config is the
independent computation), and the secrets refuse_secrets knows by name and by shape."""

from __future__ import annotations

import string
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from snippets.init import INIT_PARAMETERS, NoRun, refuse_secrets, start_run

QUICK = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@QUICK
@given(
    flag=st.one_of(
        st.none(), st.just(False), st.text(max_size=6), st.integers(), st.floats()
    )
)
def test_start_run_takes_a_bool_or_none_and_nothing_else(flag):
    if flag is None or flag is False:
        assert isinstance(start_run(flag), NoRun)
        return
    with pytest.raises(TypeError, match=r"^use_wandb=.*: pass True or False"):
        start_run(flag)


@QUICK
@given(name=st.text(string.ascii_letters + "_", min_size=1, max_size=12))
def test_no_run_takes_exactly_wandb_inits_keywords(name):
    if name in INIT_PARAMETERS:
        assert isinstance(NoRun(**{name: None}), NoRun)
    else:
        with pytest.raises(TypeError, match=f"^{name!r} is not a wandb.init parameter"):
            NoRun(**{name: None})


plain = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
    st.builds(Path, st.text(string.ascii_letters + "/", max_size=8)),
    st.binary(max_size=4).filter(lambda b: b.isascii()),
)
values = st.recursive(
    st.one_of(
        plain,
        hnp.arrays(
            st.sampled_from([np.float64, np.float32, np.int64]),
            hnp.array_shapes(min_dims=0, max_dims=2, max_side=7),
        ),
        st.floats(width=32).map(np.float32),
        st.integers(-100, 100).map(np.int64),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.tuples(inner, inner),
        st.dictionaries(st.text(string.ascii_letters, max_size=4), inner, max_size=3),
    ),
    max_leaves=6,
)


@QUICK
@given(value=values)
def test_no_run_config_stores_a_value_as_wandbs_config_does(value):
    from wandb.sdk.wandb_config import Config

    config = Config()
    config["v"] = value
    assert repr(NoRun(config={"v": value}).config["v"]) == repr(config["v"])


SECRET_BASES = [
    ("api", "key"),
    ("secret", "key"),
    ("access", "key"),
    ("private", "key"),
    ("password",),
    ("passwd",),
    ("passphrase",),
    ("token",),
    ("secret",),
    ("credentials",),
]


def spelt(words: list[str], style: str) -> str:
    """One name in the case people write it in."""
    if style == "camel":
        return words[0].lower() + "".join(w.capitalize() for w in words[1:])
    if style == "pascal":
        return "".join(w.capitalize() for w in words)
    if style == "upper":
        return "_".join(words).upper()
    return {"snake": "_", "kebab": "-", "dotted": "."}[style].join(words)


styles = st.sampled_from(["snake", "kebab", "camel", "pascal", "upper", "dotted"])
prefixes = st.lists(
    st.sampled_from(["openai", "aws", "db", "hf", "wandb", "github", "client", "my"]),
    max_size=2,
)


@QUICK
@given(
    prefix=prefixes,
    base=st.sampled_from(SECRET_BASES),
    style=styles,
    value=st.text(string.ascii_letters + string.digits + "/+=!", min_size=12),
)
def test_a_name_like_a_secret_is_refused_by_name_never_showing_the_value(
    prefix, base, style, value
):
    name = spelt([*prefix, *base], style)
    with pytest.raises(ValueError, match="is named like a secret") as refused:
        refuse_secrets({"run": {name: value}})
    assert f"config['run'][{name!r}]" in str(refused.value)
    assert value not in str(refused.value).replace(name, "")


SHAPES = {
    "github": ("ghp_", string.ascii_letters + string.digits, 36),
    "openai": ("sk-proj-", string.ascii_letters + string.digits + "-_", 40),
    "huggingface": ("hf_", string.ascii_letters + string.digits, 34),
    "aws": ("AKIA", string.ascii_uppercase + string.digits, 16),
    "wandb": ("", "0123456789abcdef", 40),
}


@QUICK
@given(shape=st.sampled_from(sorted(SHAPES)), data=st.data())
def test_a_value_shaped_like_a_key_is_refused_under_any_plain_name(shape, data):
    prefix, alphabet, size = SHAPES[shape]
    value = prefix + data.draw(st.text(alphabet, min_size=size, max_size=size))
    with pytest.raises(ValueError, match=r"config\['notes'\] looks like an API key"):
        refuse_secrets({"notes": value})


LOOK_ALIKES = [
    ("max", "tokens"),
    ("num", "tokens"),
    ("tokenizer",),
    ("pad", "token"),
    ("eos", "token"),
    ("secret", "sauce", "ratio"),
    ("commit", "sha"),
    ("api", "key", "env"),
    ("password", "file"),
    ("keyboard",),
    ("token", "budget"),
]


@QUICK
@given(
    words=st.sampled_from(LOOK_ALIKES),
    style=styles,
    value=st.one_of(
        st.integers(),
        st.floats(),
        st.text(string.ascii_lowercase + " <>/", max_size=12),
    ),
)
def test_look_alikes_are_let_through(words, style, value):
    name = spelt(list(words), style)
    assert refuse_secrets({name: value}) is None
