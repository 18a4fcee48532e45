"""Bad input, generated: for any input the guide's converters and config models either
return what an independent computation gives, or raise the guide's own error naming the
argument. Never a silent wrong result."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest
import torch
import wandb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from pydantic import ValidationError

from snippets.init import NoRun, TrackingConfig, hparams_from_run, restartable
from snippets.media import (
    CHANNEL_COUNTS,
    SHORT_AXIS,
    Detections,
    box_group,
    check_class_labels,
    class_maps,
    encoded_frames,
    log_video,
    mask_group,
    pad_for_encoder,
    to_hwc_uint8,
    to_pixel_xyxy,
    to_uint8,
    video_frames,
)
from snippets.metrics import StepLogger, is_nonfinite, log_finite

QUICK = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

BOX, LABELS = np.array([[1.0, 1.0, 5.0, 5.0]]), {0: "cat", 1: "dog"}
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.decimals(allow_nan=True, allow_infinity=True).filter(lambda d: not d.is_snan()),
)


def finite_by_numpy(value) -> bool:
    """The independent check: numpy's float64 conversion of one number."""
    try:
        return bool(np.isfinite(np.float64(value)))
    except OverflowError:
        return False


# --- metrics: NaN/inf in any form W&B logs as one value ----------------------------------


@QUICK
@given(
    value=numbers, form=st.sampled_from(["plain", "0-d", "1-elem", "tensor", "dict"])
)
def test_is_nonfinite_agrees_with_numpy(value, form):
    expected = not finite_by_numpy(value)
    if form in ("0-d", "1-elem", "tensor"):
        try:
            value = float(value)
        except OverflowError:  # an int too large for an array: logged as it is
            form = "plain"
    wrapped = {
        "plain": lambda: value,
        "0-d": lambda: np.array(value),
        "1-elem": lambda: np.array([value]),
        "tensor": lambda: torch.tensor([value], dtype=torch.float64),
        "dict": lambda: {"inner": {"x": value}, "ok": 1.0},
    }[form]()
    assert is_nonfinite(wrapped) == expected


@QUICK
@given(values=hnp.arrays(np.float64, st.integers(2, 6)))
def test_arrays_of_several_values_are_histograms_not_counted(values):
    assert is_nonfinite(values) is False


@QUICK
@given(every=st.one_of(st.integers(-3, 5), st.floats(), st.text(max_size=3), st.none()))
def test_step_logger_every_is_an_int_of_one_or_more_or_an_error(every):
    try:
        logger = StepLogger(NoRun(), every=every)
    except ValueError as error:
        assert str(error).startswith(f"every={every!r}: log every N steps")
        return
    assert type(every) is int and every >= 1 and logger.every == every


# --- media: pixels ------------------------------------------------------------------------

pixel_dtypes = st.sampled_from(
    [np.uint8, np.bool_, np.int16, np.int64, np.float32, np.float64, np.complex64]
)


def expected_uint8(pixels: np.ndarray) -> np.ndarray | None:
    """uint8 by hand, or None where the guide must refuse."""
    if pixels.size == 0 or np.iscomplexobj(pixels):
        return None
    if pixels.dtype == np.bool_:
        return np.where(pixels, 255, 0).astype(np.uint8)
    if pixels.dtype.kind in "iu":
        ok = pixels.min() >= 0 and pixels.max() <= 255
        return pixels.astype(np.uint8) if ok else None
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(pixels).all() and pixels.min() >= -0.5 / 255
        ok = ok and pixels.max() <= 1 + 0.5 / 255
    if not ok:
        return None
    return np.array(
        [round(min(max(float(x), 0.0), 1.0) * 255) for x in pixels.ravel()], np.uint8
    ).reshape(pixels.shape)


@QUICK
@given(pixels=hnp.arrays(pixel_dtypes, hnp.array_shapes(min_dims=2, max_dims=2)))
def test_to_uint8_is_exact_or_a_named_error(pixels):
    expected = expected_uint8(pixels)
    try:
        got = to_uint8(pixels)
    except ValueError as error:
        assert expected is None, f"refused {pixels.dtype} {pixels}: {error}"
        assert str(error).startswith("image ")
        return
    assert expected is not None, f"accepted {pixels.dtype} {pixels} as {got}"
    assert np.abs(got.astype(int) - expected.astype(int)).max(initial=0) <= 1


@QUICK
@given(
    shape=st.tuples(st.integers(0, 12), st.integers(0, 12), st.integers(0, 12)),
    layout=st.sampled_from(["auto", "hwc", "chw", "cwh", None]),
)
def test_to_hwc_uint8_reads_channels_only_from_an_unambiguous_axis(shape, layout):
    pixels = np.arange(math.prod(shape), dtype=np.uint8).reshape(shape)
    try:
        got = to_hwc_uint8(pixels, layout)
    except ValueError as error:
        message = str(error)
        assert message.startswith(("image ", "layout=")), message
        return
    assert layout in ("auto", "hwc", "chw")
    first, last = shape[0], shape[2]
    if layout == "auto":  # the independent rule: one axis fits, the other is long
        assert (first in CHANNEL_COUNTS) != (last in CHANNEL_COUNTS)
        other = first if last in CHANNEL_COUNTS else last
        assert other >= SHORT_AXIS
        layout = "hwc" if last in CHANNEL_COUNTS else "chw"
    hwc = pixels if layout == "hwc" else pixels.transpose(1, 2, 0)
    assert hwc.shape[-1] in CHANNEL_COUNTS and hwc.size > 0
    np.testing.assert_array_equal(got, hwc[..., 0] if hwc.shape[-1] == 1 else hwc)


# --- media: boxes -------------------------------------------------------------------------

coords = st.floats(-50, 150) | st.sampled_from([math.nan, math.inf, -math.inf])


@QUICK
@given(
    boxes=st.lists(st.tuples(coords, coords, coords, coords), max_size=4),
    fmt=st.sampled_from(["xyxy", "xywh", "cxcywh"]),
    image_hw=st.one_of(
        st.tuples(st.integers(1, 100), st.integers(1, 100)),
        st.just((64,)),
        st.none(),
        st.just((0, 10)),
    ),
)
def test_pixel_boxes_are_inside_the_image_or_a_named_error(boxes, fmt, image_hw):
    array = np.array(boxes, dtype=np.float64).reshape(-1, 4)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # clipping and 0..1 coordinates
            got = to_pixel_xyxy(array, fmt, image_hw, group="g")
    except ValueError as error:
        assert str(error).startswith(("g: ", "image_hw=")), str(error)
        return
    height, width = image_hw
    x, y, a, b = array.T if len(array) else np.zeros((4, 0))
    corners = {
        "xyxy": (x, y, a, b),
        "xywh": (x, y, x + a, y + b),
        "cxcywh": (x - a / 2, y - b / 2, x + a / 2, y + b / 2),
    }[fmt]
    expected = np.clip(np.stack(corners, axis=1), 0, [width, height, width, height])
    assert np.isfinite(array).all()
    np.testing.assert_allclose(got, expected.reshape(-1, 4))


@QUICK
@given(scores=st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=3))
def test_box_json_is_valid_or_the_score_is_named(scores):
    n = len(scores)
    detections = Detections(
        np.tile([1.0, 1.0, 5.0, 5.0], (n, 1)), np.zeros(n, np.int64), scores
    )
    try:
        group = box_group(detections, (8, 8), {0: "cat"}, "predictions")
    except ValueError as error:
        assert not all(map(math.isfinite, scores))
        assert "scores must be finite" in str(error)
        return
    json.dumps(group, allow_nan=False)  # strict JSON, as the W&B UI reads it
    assert [box["scores"]["score"] for box in group["box_data"]] == scores


@QUICK
@given(fps=st.one_of(st.floats(), st.integers(-2, 60), st.text(max_size=2), st.none()))
def test_video_fps_is_a_positive_number_or_a_named_error(fps):
    frames = np.zeros((2, 8, 8, 3), np.uint8)
    try:
        log_video(NoRun(), "v", frames, fps=fps)
    except ValueError as error:
        assert str(error).startswith(f"fps={fps!r}: the frame rate must be a positive")
        return
    assert isinstance(fps, int | float) and 0 < fps < math.inf


# --- init: TrackingConfig takes only what wandb.init takes -------------------------------

names = st.text(
    alphabet=st.sampled_from("ab _-/:;#?%'\\,."), min_size=0, max_size=6
) | st.integers(120, 240).map(lambda n: "p" * n)


@QUICK
@given(project=names, tag=names, run_id=names)
def test_tracking_config_accepts_only_what_wandb_settings_accepts(project, tag, run_id):
    try:
        TrackingConfig(project=project, tags=[tag], id=run_id)
    except ValidationError as error:
        assert error.errors()[0]["loc"][0] in ("project", "tags", "id")
        return
    wandb.Settings(project=project, run_tags=(tag,), run_id=run_id)  # W&B's own checks
    assert len(f"offline-run-20260101_000000-{run_id}") <= 255


@pytest.mark.parametrize("job_id", [None, "", 17])
def test_restartable_refuses_a_missing_job_id(job_id):
    with pytest.raises(ValueError, match=rf"job_id={job_id!r}: is the job id variable"):
        restartable(TrackingConfig(), job_id)


# --- each case of the bad-input issue, with its exact message ----------------------------


def _frames(n: int, shape: tuple[int, ...] = (3, 8, 8)) -> np.ndarray:
    return np.zeros((n, *shape), np.uint8)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: TrackingConfig(tags=[""]), r"tags\.0\n  String should have at least 1"),
        (lambda: TrackingConfig(tags=["t" * 65]), r"tags\.0\n  String should have at most 64"),
        (lambda: TrackingConfig(id=" job "), r"id\n  Value error, ' job ': W&B forbids spaces"),
        (lambda: TrackingConfig(id="j" * 228), r"id\n  String should have at most 227"),
        (lambda: TrackingConfig(dir=__file__), r"dir\n  Value error, '.*test_bad_input\.py' is a file"),
        (lambda: TrackingConfig().start(3), r"hparams is a int: pass a Pydantic model"),
        (lambda: restartable({}, "1"), r"tracking is a dict: pass a TrackingConfig"),
        (lambda: hparams_from_run(object()), r"run is a object: pass the run start_run"),
        (lambda: StepLogger(None), r"run is a NoneType: pass the run start_run returned"),
        (
            lambda: StepLogger(NoRun()).log_now({"x": math.nan, "nonfinite/x": 1}),
            r"row key 'nonfinite/x': StepLogger logs its NaN/inf counts under",
        ),
        (
            lambda: to_hwc_uint8(np.zeros((3, 64, 2), np.uint8)),
            r"shape \(3, 64, 2\): cannot tell which axis holds the channels \(2 is not "
            r"1, 3 or 4 and is short for an image side\); pass layout=",
        ),
        (
            lambda: to_hwc_uint8(np.zeros((5, 64, 4), np.uint8)),
            r"\(5 is not 1, 3 or 4 and is short for an image side\)",
        ),
        (
            lambda: video_frames(np.zeros((4, 3, 16, 2), np.uint8)),
            r"frames has shape \(4, 3, 16, 2\): cannot tell.*layout='thwc'",
        ),
        (lambda: to_hwc_uint8(np.zeros((0, 5), np.uint8)), r"image is empty \(shape \(0, 5\)\)"),
        (lambda: to_hwc_uint8(np.zeros((0, 5), bool)), r"image is empty"),
        (lambda: video_frames(_frames(0)), r"frames have shape \(0, 3, 8, 8\): there are no"),
        (lambda: to_hwc_uint8(np.full((4, 4), 0.5j)), r"image is complex128: pixels must be"),
        (lambda: to_hwc_uint8("cat.png"), r"image is a str, not pixels: load the file"),
        (lambda: to_hwc_uint8(np.zeros((4, 4)), "whc"), r"layout='whc': use one of"),
        (lambda: video_frames(_frames(2), "hwc"), r"layout='hwc': use one of \('auto'"),
        (
            lambda: check_class_labels(["cat"]),
            r"class_labels is a list: pass a dict.*dict\(enumerate\(names\)\)",
        ),
        (lambda: Detections(BOX, [0], normalized="false"), r"normalized='false': pass True"),
        (lambda: to_pixel_xyxy([["a"] * 4], "xyxy", (8, 8)), r"boxes: boxes are <U1"),
        (lambda: box_group(Detections(BOX, [0], ["x"]), (8, 8), LABELS), r"scores are <U1"),
        (lambda: to_pixel_xyxy(BOX, "xyxy", (8,)), r"image_hw=\(8,\): expected \(height"),
        (lambda: to_pixel_xyxy(BOX, "xyxy", None), r"image_hw=None: expected"),
        (
            lambda: box_group(Detections(BOX, [0], [math.nan]), (8, 8), LABELS),
            r"predictions: box 0 has score nan: scores must be finite",
        ),
        (lambda: class_maps(np.full((1, 2, 2, 2), math.nan)), r"logits hold NaN"),
        (
            lambda: class_maps(np.zeros((1, 2, 4, 4), np.int64)),
            r"label maps are int64 of shape \(1, 2, 4, 4\).*one_hot\.argmax\(1\)",
        ),
        (
            lambda: mask_group(np.zeros((2, 4, 4), np.int64), (4, 4), LABELS, "m"),
            r"m mask must be 2-D.*one-hot \(C, H, W\) mask.*mask\.argmax\(0\)",
        ),
        (
            lambda: log_video(NoRun(), "v", _frames(0)),
            r"frames have shape \(0, 3, 8, 8\): there are no frames",
        ),
    ],
)  # fmt: skip
def test_each_case_is_a_named_error(call, message):
    with pytest.raises((ValueError, TypeError, ValidationError), match=message):
        call()


def test_empty_detections_and_bfloat16_pixels_are_converted():
    group = box_group(Detections(np.zeros((0, 4)), []), (8, 8), LABELS, "predictions")
    assert group == {"box_data": [], "class_labels": LABELS}
    pixels = to_hwc_uint8(torch.full((2, 2), 0.5, dtype=torch.bfloat16))
    np.testing.assert_array_equal(pixels, np.full((2, 2), 128, np.uint8))


def test_a_nested_nan_is_left_out_and_returned():
    run = NoRun()
    assert log_finite(run, {"val": {"loss": math.nan}, "acc": 1.0}, step=0) == ["val"]
    assert run.summary == {"acc": 1.0}


@pytest.mark.parametrize(
    ("n", "fps", "out", "warns"), [(10, 10, 11, False), (7, 3, 8, True)]
)
def test_pad_for_encoder_makes_every_frame_come_out_once_or_warns(n, fps, out, warns):
    frames = _frames(n)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        padded = pad_for_encoder(frames, fps)
    assert len(padded) == out
    assert encoded_frames(len(padded), fps)[:n] == list(range(n))
    assert [str(w.message) for w in caught] == (
        ["moviepy encodes 7 frames at fps=3 as 6: the last frame is repeated, and "
         "shows for two frames"] if warns else []
    )  # fmt: skip


@pytest.mark.slow
@pytest.mark.xdist_group("lightning")  # Lightning's cases import it (tests/harness.py)
def test_the_survey_of_the_issues_cases_finds_nothing_wrong():
    """Every module's cases (tests/badinput_cases/), at least 500: none silent or unclear,
    the deep ones only those the survey names with a reason, and NoRun differs from W&B's
    disabled run only where the init page says so."""
    from tests.badinput_survey import KNOWN_DEEP, case_modules, survey
    from tests.harness import SNIPPET_MODULES
    from tests.test_no_run_parity import ON_PURPOSE

    assert set(case_modules()) == set(SNIPPET_MODULES)
    totals, by_column, differences = survey()
    assert (totals["silent"], totals["unclear"]) == (0, 0), by_column
    assert set(by_column.get("deep", [])) <= set(KNOWN_DEEP), by_column["deep"]
    assert sum(totals.values()) >= 500
    assert set(differences) <= set(ON_PURPOSE), differences
