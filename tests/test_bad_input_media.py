"""Bad input, generated, for the media helpers test_bad_input.py leaves out: box
formats as any word, Examples built by hand with pixels of any dtype, masks of any
dtype, the logging helpers' keys and example lists. Each result is checked against an
independent computation, or the error names the argument."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from snippets.init import NoRun
from snippets.media import (
    CHANNEL_COUNTS,
    Example,
    check_class_labels,
    log_examples,
    mask_group,
    to_pixel_xyxy,
    to_wandb_image,
)

QUICK = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
FORMATS = ("xyxy", "xywh", "cxcywh")


@QUICK
@given(
    fmt=st.one_of(
        st.sampled_from(FORMATS), st.text(max_size=6), st.none(), st.integers()
    )
)
def test_a_box_format_is_one_of_the_three_words_or_a_named_error(fmt):
    box = np.array([[1.0, 1.0, 3.0, 3.0]])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # cxcywh overshoots: clipped
            got = to_pixel_xyxy(box, fmt, (8, 8))
    except ValueError as error:
        assert fmt not in FORMATS
        assert str(error) == f"fmt={fmt!r}: use one of 'xyxy', 'xywh', 'cxcywh'"
        return
    expected = {
        "xyxy": [1, 1, 3, 3],
        "xywh": [1, 1, 4, 4],
        "cxcywh": [-0.5, -0.5, 2.5, 2.5],
    }
    np.testing.assert_allclose(got[0], np.clip(expected[fmt], 0, 8))


pixel_dtypes = st.sampled_from(
    [np.uint8, np.uint16, np.int32, np.bool_, np.float16, np.float32, np.float64]
)


def uint8_by_hand(pixels: np.ndarray) -> np.ndarray | None:
    """What wandb.Image should show, computed apart; None where the guide must refuse."""
    if pixels.dtype == np.bool_:
        return pixels.astype(np.uint8) * 255
    values = pixels.astype(np.float64)
    if pixels.dtype.kind in "iu":
        return (
            pixels.astype(np.uint8)
            if values.min() >= 0 and values.max() <= 255
            else None
        )
    if (
        not np.isfinite(values).all()
        or values.min() < -0.5 / 255
        or values.max() > 1 + 0.5 / 255
    ):
        return None
    return np.floor(np.clip(values, 0, 1) * 255 + 0.5).astype(np.uint8)


@QUICK
@given(
    pixels=hnp.arrays(
        pixel_dtypes,
        st.tuples(
            st.integers(2, 4),
            st.integers(2, 4),
            st.sampled_from([None, 1, 2, 3, 4]),  # wandb.Image squeezes a side of 1
        ).map(lambda s: s[:2] if s[2] is None else s),
    )
)
def test_an_example_built_by_hand_reaches_wandb_as_uint8_or_a_named_error(pixels):
    expected = uint8_by_hand(pixels)
    if pixels.ndim == 3 and pixels.shape[-1] not in CHANNEL_COUNTS:
        expected = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # numpy's overflow in float16 sums
            example = Example(pixels)
    except ValueError as error:
        assert expected is None, f"refused {pixels.dtype} {pixels.tolist()}: {error}"
        assert str(error).startswith("Example pixels "), str(error)
        return
    assert expected is not None, f"accepted {pixels.dtype} {pixels.tolist()}"
    assert example.pixels.dtype == np.uint8
    expected = expected.reshape(example.pixels.shape)  # (H, W, 1) is shown as (H, W)
    assert np.abs(example.pixels.astype(int) - expected.astype(int)).max() <= 1
    shown = np.asarray(to_wandb_image(example).image)
    assert np.array_equal(shown, example.pixels.reshape(shown.shape))


@QUICK
@given(
    ids=hnp.arrays(np.int64, (3, 3), elements=st.integers(0, 3)),
    dtype=st.sampled_from([np.bool_, np.uint8, np.int64, np.uint16, np.float32]),
)
def test_a_mask_is_class_ids_or_a_named_error(ids, dtype):
    mask = ids.astype(dtype)
    labels = {0: "a", 1: "b", 2: "c", 3: "d"}
    try:
        group = mask_group(mask, (3, 3), labels, "m")
    except ValueError as error:
        assert mask.dtype.kind == "f"
        assert str(error).startswith("m mask must be 2-D integer class ids")
        return
    assert mask.dtype.kind in "biu"
    np.testing.assert_array_equal(group["mask_data"], mask.astype(np.int64))
    assert group["mask_data"].dtype == np.uint8


@QUICK
@given(
    names=st.dictionaries(
        st.integers(0, 3),
        st.one_of(st.text(max_size=3), st.integers(), st.none(), st.floats()),
        min_size=1,
        max_size=3,
    )
)
def test_class_names_are_strings_or_a_named_error(names):
    try:
        got = check_class_labels(names)
    except ValueError as error:
        assert any(not isinstance(v, str | int) for v in names.values())
        assert str(error).startswith("class_labels[")
        return
    assert got == {k: str(v) for k, v in names.items()}


@QUICK
@given(
    key=st.one_of(st.text(max_size=3), st.none(), st.integers()),
    n=st.integers(0, 110),
)
def test_log_examples_takes_a_named_key_and_1_to_108_examples(key, n):
    example = Example(np.zeros((2, 2), np.uint8))
    try:
        log_examples(NoRun(), key, [example] * n)
    except ValueError as error:
        message = str(error)
        assert not (isinstance(key, str) and key) or not 1 <= n <= 108, message
        return
    assert isinstance(key, str) and key and 1 <= n <= 108


@pytest.mark.parametrize(
    "examples", [None, Example(np.zeros((2, 2), np.uint8)), "ex", ()]
)
def test_log_examples_refuses_what_is_not_a_list_of_examples(examples):
    with pytest.raises(
        ValueError, match=r"^k: examples is .*: pass a non-empty list of Examples$"
    ):
        log_examples(NoRun(), "k", examples)
