"""The media topic (snippets/media.py, docs/media.md): images, boxes, masks, video, tables."""

from __future__ import annotations

import json
import re
import sys
import warnings

import numpy as np
import PIL.Image
import pytest
import torch
import wandb

from snippets.init import NoRun, TrackingConfig
from snippets.media import (
    CLASS_LABELS,
    Detections,
    Example,
    MediaSchedule,
    box_group,
    check_class_labels,
    class_maps,
    log_examples,
    log_predictions_table,
    log_video,
    main,
    make_example,
    mask_group,
    pad_for_encoder,
    to_hwc_uint8,
    to_numpy,
    to_pixel_xyxy,
    to_uint8,
    to_wandb_image,
    video_frames,
)

ON = TrackingConfig(use_wandb=True)
LABELS = {0: "background", 1: "cat", 2: "dog"}
H, W = 48, 64  # a landscape image, so a swapped height and width shows


def rgb_image(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size=(H, W, 3), dtype=np.uint8)


# --- images: layout and value range, no W&B --------------------------------------------------


def test_to_numpy_takes_a_tensor_that_needs_grad():
    tensor = torch.arange(6.0, requires_grad=True).reshape(2, 3) * 2
    array = to_numpy(tensor)
    assert isinstance(array, np.ndarray) and array.tolist() == [[0, 2, 4], [6, 8, 10]]
    assert to_numpy([1, 2]).tolist() == [1, 2]


def test_chw_float_tensor_becomes_hwc_uint8():
    hwc = rgb_image()
    chw = torch.tensor(
        hwc.transpose(2, 0, 1) / 255.0, dtype=torch.float32, requires_grad=True
    )
    pixels = to_hwc_uint8(chw)
    assert pixels.dtype == np.uint8 and pixels.shape == (H, W, 3)
    np.testing.assert_array_equal(pixels, hwc)


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        (
            np.full((H, W, 3), 7, dtype=np.uint8),
            np.full((H, W, 3), 7),
        ),  # HWC uint8 as is
        (np.full((H, W), 0.5), np.full((H, W), 128)),  # grey float
        (np.full((1, H, W), 1.0, dtype=np.float32), np.full((H, W), 255)),  # CHW grey
        (np.ones((H, W, 1), dtype=bool), np.full((H, W), 255)),  # HWC bool
        (
            np.full((4, H, W), 200, dtype=np.int64),
            np.full((H, W, 4), 200),
        ),  # CHW RGBA ints
        (
            np.full((H, W, 3), 1 + 1e-4),
            np.full((H, W, 3), 255),
        ),  # rounding overshoot, clipped
    ],
)
def test_images_in_every_layout_and_dtype(image, expected):
    pixels = to_hwc_uint8(image)
    assert pixels.dtype == np.uint8
    np.testing.assert_array_equal(pixels, expected)


def test_an_ambiguous_layout_is_asked_for_and_then_used():
    image = np.zeros(
        (3, 10, 4), dtype=np.uint8
    )  # 3 channels first, or 4 channels last?
    with pytest.raises(
        ValueError, match=r"image has shape \(3, 10, 4\).*both of 3 and 4.*layout="
    ):
        to_hwc_uint8(image)
    assert to_hwc_uint8(image, layout="chw").shape == (10, 4, 3)
    assert to_hwc_uint8(image, layout="hwc").shape == (3, 10, 4)


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (np.zeros((8, 10, 2)), r"neither of 8 and 2 is 1, 3 or 4"),
        (np.zeros((2, 8, 10)), r"neither of 2 and 10 is 1, 3 or 4"),
        (np.zeros((1, 2, 8, 8)), r"shape \(1, 2, 8, 8\): expected \(H, W\)"),
        (np.full((8, 8, 3), -1.5), r"values in \[-1.5, -1.5\], outside \[0, 1\]: undo"),
        (np.full((8, 8, 3), 255.0), r"outside \[0, 1\].*divide 0..255 data by 255"),
        (np.full((8, 8), np.nan), r"NaN or infinite"),
        (
            np.full((8, 8), 300, dtype=np.int32),
            r"int32 with values 300..300, outside 0..255",
        ),
    ],
)
def test_bad_images_are_rejected(image, message):
    with pytest.raises(ValueError, match=message):
        to_hwc_uint8(image)


def test_what_wandb_alone_does_with_raw_images_and_boxes():
    """Why the helpers exist, as wandb 0.31 behaves (the table at the top of docs/media.md)."""
    image = np.full((4, 4, 3), 0.8)
    assert (
        np.asarray(wandb.Image(image).image).max() == 0
    )  # floats cast with astype(uint8)
    assert np.asarray(wandb.Image(to_uint8(image)).image).max() == 204
    with pytest.raises(
        ValueError, match=r"Un-supported shape for image conversion \[3, 8, 8\]"
    ):
        wandb.Image(np.zeros((3, 8, 8), dtype=np.uint8))  # a CHW numpy array
    box = {
        "position": {"minX": 1, "maxX": 2, "minY": 1, "maxY": 2},
        "class_id": np.int64(1),
    }
    with pytest.raises(TypeError, match=r"class_id must be an integer"):
        wandb.Image(
            np.zeros((8, 8, 3), np.uint8), boxes={"predictions": {"box_data": [box]}}
        )
    assert (
        wandb.Image.MAX_ITEMS == 108
    )  # images kept from one list; the rest are dropped


# --- boxes: formats, bad boxes, clipping -----------------------------------------------------

# The same box, 10..30 across and 5..13 down in a 64x48 image, in each format.
SAME_BOX = [
    ("xyxy", False, [10, 5, 30, 13]),
    ("xywh", False, [10, 5, 20, 8]),
    ("cxcywh", False, [20, 9, 20, 8]),
    ("cxcywh", True, [20 / W, 9 / H, 20 / W, 8 / H]),
    ("xyxy", True, [10 / W, 5 / H, 30 / W, 13 / H]),
]


@pytest.mark.parametrize(("fmt", "normalized", "box"), SAME_BOX)
def test_every_format_gives_the_same_pixel_box(fmt, normalized, box):
    xyxy = to_pixel_xyxy(np.array([box]), fmt, (H, W), normalized)
    np.testing.assert_allclose(xyxy, [[10, 5, 30, 13]], atol=1e-9)


def test_tensor_boxes_and_no_boxes():
    boxes = torch.tensor([[10.0, 5.0, 30.0, 13.0]], requires_grad=True)
    assert to_pixel_xyxy(boxes, "xyxy", (H, W)).tolist() == [[10, 5, 30, 13]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no detections is no problem
        assert to_pixel_xyxy(np.zeros((0, 4)), "xyxy", (H, W)).shape == (0, 4)
        assert to_pixel_xyxy([], "xywh", (H, W)).shape == (0, 4)


@pytest.mark.parametrize(
    ("fmt", "box", "message"),
    [
        ("xyxy", [30, 5, 10, 13], r"\[30.0, 5.0, 10.0, 13.0\] in 'xyxy' has min > max"),
        ("xyxy", [10, 13, 30, 5], r"has min > max \(x 10..30, y 13..5\)"),
        ("xywh", [10, 5, -20, 8], r"in 'xywh' has min > max.*COCO boxes are 'xywh'"),
        ("xyxy", [70, 5, 90, 13], r"in 'xyxy' lies wholly outside the 64x48 image"),
        ("xywh", [-30, 5, 20, 8], r"lies wholly outside the 64x48 image"),
        ("xyxy", [10, 48, 30, 60], r"lies wholly outside"),
        ("xyxy", [10, np.nan, 30, 13], r"\[10.0, nan, 30.0, 13.0\] has a NaN"),
    ],
)
def test_bad_boxes_are_rejected(fmt, box, message):
    boxes = np.array([[1, 1, 2, 2], box], dtype=float)  # box 0 is fine: box 1 is named
    with pytest.raises(ValueError, match=r"predictions: box 1 .*" + message):
        to_pixel_xyxy(boxes, fmt, (H, W), group="predictions")


def test_pixel_boxes_marked_normalized_are_caught():
    with pytest.raises(
        ValueError, match=r"wholly outside.*another image size, or normalized\?"
    ):
        to_pixel_xyxy(np.array([[10, 5, 30, 13]]), "xyxy", (H, W), normalized=True)


def test_normalized_boxes_marked_as_pixels_are_warned_about():
    with pytest.warns(UserWarning) as caught:
        xyxy = to_pixel_xyxy(
            np.array([[0.5, 0.5, 0.2, 0.1]] * 3), "cxcywh", (H, W), group="gt"
        )
    assert len(caught) == 1
    assert re.match(
        r"gt: every coordinate is within 0..1 but normalized=False",
        str(caught[0].message),
    )
    assert xyxy.max() <= 1


def test_boxes_of_the_wrong_shape_are_rejected():
    with pytest.raises(
        ValueError, match=r"boxes have shape \(2, 3\): expected \(N, 4\)"
    ):
        to_pixel_xyxy(np.zeros((2, 3)), "xyxy", (H, W))


def test_overshooting_boxes_are_clipped_with_one_warning():
    boxes = np.array(
        [[-3, 5, 30, 13], [10, 5, 30, 13], [50, 40, 70, 52], [60, -1, 66, 4]]
    )
    with pytest.warns(UserWarning) as caught:
        xyxy = to_pixel_xyxy(boxes, "xyxy", (H, W), group="predictions")
    assert [str(w.message) for w in caught] == [
        "predictions: clipped 3 of 4 boxes to the 64x48 image"
    ]
    assert xyxy.tolist() == [
        [0, 5, 30, 13],
        [10, 5, 30, 13],
        [50, 40, 64, 48],
        [60, 0, 64, 4],
    ]


def test_an_unknown_box_format_is_rejected():
    with pytest.raises(
        ValueError, match=r"fmt='xxyy': use one of 'xyxy', 'xywh', 'cxcywh'$"
    ):
        Detections(np.zeros((1, 4)), [0], fmt="xxyy")


def test_box_group_is_what_wandb_wants():
    dets = Detections(
        np.array([[10, 5, 20, 8]]), np.array([2]), np.array([0.875]), fmt="xywh"
    )
    group = box_group(dets, (H, W), {np.int64(0): "background", 2: "dog"})
    assert group == {
        "box_data": [
            {
                "position": {"minX": 10.0, "minY": 5.0, "maxX": 30.0, "maxY": 13.0},
                "domain": "pixel",
                "class_id": 2,
                "box_caption": "dog 0.88",
                "scores": {"score": 0.875},
            }
        ],
        "class_labels": {0: "background", 2: "dog"},
    }
    assert type(group["box_data"][0]["class_id"]) is int  # wandb rejects numpy ints
    assert all(type(k) is int for k in group["class_labels"])


def test_ground_truth_boxes_have_the_class_name_and_no_score():
    group = box_group(Detections([[1, 2, 3, 4]], [1]), (H, W), LABELS, "ground_truth")
    assert group["box_data"][0]["box_caption"] == "cat"
    assert "scores" not in group["box_data"][0]


@pytest.mark.parametrize(
    ("dets", "message"),
    [
        (
            Detections([[1, 2, 3, 4], [1, 2, 3, 4]], [1, 7]),
            r"predictions: class id 7 is not in class_labels \(missing: \[7\]; known: \[0, 1",
        ),
        (
            Detections([[1, 2, 3, 4]], [1, 2]),
            r"class_ids must be 1 integers, one per box",
        ),
        (
            Detections([[1, 2, 3, 4]], [1.0]),
            r"class_ids must be 1 integers.*got float64",
        ),
        (Detections([[1, 2, 3, 4]], [1], [0.5, 0.6]), r"2 scores for 1 boxes"),
    ],
)
def test_bad_box_labels_are_rejected(dets, message):
    with pytest.raises(ValueError, match=message):
        box_group(dets, (H, W), LABELS)


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ({}, r"class_labels is empty"),
        ({"1": "cat"}, r"class_labels key '1' is not an integer class id"),
        ({True: "cat"}, r"class_labels key True is not an integer"),
    ],
)
def test_bad_class_labels_are_rejected(labels, message):
    with pytest.raises(ValueError, match=message):
        check_class_labels(labels)


# --- masks ----------------------------------------------------------------------------------


def test_class_maps_from_logits_and_label_maps():
    logits = torch.zeros(2, 3, H, W)
    logits[0, 2, :10] = 5.0  # image 0: the top 10 rows are class 2
    logits[1, 1] = 1.0  # image 1: all class 1
    maps = class_maps(logits)
    assert maps.shape == (2, H, W)
    assert (
        (maps[0, :10] == 2).all() and (maps[0, 10:] == 0).all() and (maps[1] == 1).all()
    )
    label_map = np.ones((H, W), dtype=np.int64)
    assert class_maps(label_map).shape == (1, H, W)
    with pytest.raises(
        ValueError, match=r"logits have shape \(3, 48, 64\): expected \(N, C"
    ):
        class_maps(np.zeros((3, H, W)))


def test_mask_group_is_what_wandb_wants():
    mask = np.zeros((H, W), dtype=np.int64)
    mask[:5, :5] = 2
    group = mask_group(mask, (H, W), LABELS, "predictions")
    assert group["mask_data"].dtype == np.uint8 and group["class_labels"] == LABELS
    np.testing.assert_array_equal(group["mask_data"], mask)


@pytest.mark.parametrize(
    ("mask", "message"),
    [
        (
            np.zeros((W, H), dtype=np.int64),
            r"mask has shape \(64, 48\) but the image is \(48, 64\)",
        ),
        (
            np.zeros((H, W), dtype=np.float32),
            r"2-D integer class ids; got float32.*class_maps",
        ),
        (np.zeros((1, H, W), dtype=np.int64), r"2-D integer.*shape \(1, 48, 64\)"),
        (np.full((H, W), 5), r"predictions mask: class id 5 is not in class_labels"),
    ],
)
def test_bad_masks_are_rejected(mask, message):
    with pytest.raises(ValueError, match=message):
        mask_group(mask, (H, W), LABELS, "predictions")


def test_mask_class_ids_must_fit_in_8_bits():
    with pytest.raises(ValueError, match=r"class ids must be 0..255"):
        mask_group(np.full((H, W), 300), (H, W), {300: "many"}, "predictions")


# --- one example: image, boxes and masks together ----------------------------------------------


def make_cat_example(image=None) -> object:
    truth_mask = np.zeros((H, W), dtype=np.int64)
    truth_mask[5:13, 10:30] = 1
    logits = np.zeros((1, 3, H, W))
    logits[0, 1, 5:13, 10:28] = 1.0
    return make_example(
        rgb_image().transpose(2, 0, 1) / 255.0 if image is None else image,  # CHW float
        LABELS,
        caption="val 0",
        predictions=Detections(
            [[-2, 5, 28, 13]], [1], [0.9]
        ),  # overshoots the left edge
        ground_truth=Detections([[10, 5, 20, 8]], [1], fmt="xywh"),  # COCO
        pred_mask=class_maps(logits)[0],
        true_mask=truth_mask,
    )


def test_make_example_checks_the_whole_example(recwarn):
    example = make_cat_example()
    assert not recwarn.list  # the warning waits until the example is logged
    assert example.notes == ("predictions: clipped 1 of 1 boxes to the 64x48 image",)
    np.testing.assert_array_equal(example.pixels, rgb_image())
    assert (
        sorted(example.boxes)
        == sorted(example.masks)
        == ["ground_truth", "predictions"]
    )
    with pytest.raises(ValueError, match=r"ground_truth mask has shape \(10, 10\)"):
        make_example(rgb_image(), LABELS, true_mask=np.zeros((10, 10), dtype=int))


def test_a_list_of_images_must_share_a_size():
    small = make_example(np.zeros((8, 8, 3), dtype=np.uint8), LABELS)
    large = make_example(np.zeros((16, 8, 3), dtype=np.uint8), LABELS)
    for tracking in (TrackingConfig(), ON):
        with tracking.start() as run, pytest.raises(ValueError) as error:
            log_examples(run, "val/examples", [small, large, small])
        assert str(error.value) == (
            "val/examples: the images have 2 sizes (H, W) [(8, 8), (16, 8)]: resize them to "
            "one, or log them as rows of a table (log_predictions_table)"
        )


def test_no_run_logs_nothing_but_still_checks_input(recwarn):
    run = TrackingConfig(use_wandb=False).start()
    assert isinstance(run, NoRun)
    example = make_cat_example()
    log_examples(run, "val/examples", [example])
    log_predictions_table(run, "val/predictions", [example])
    log_video(run, "val/video", np.zeros((2, 8, 8, 3), dtype=np.uint8))
    assert run.summary == {}
    assert not recwarn.list  # an untracked run prints what it printed before


def test_the_checks_warnings_show_when_the_example_is_logged():
    example = make_cat_example()
    with ON.start() as run:
        with pytest.warns(UserWarning, match=r"^val/examples: predictions: clipped 1"):
            log_examples(run, "val/examples", [example, example])
        with pytest.warns(UserWarning, match=r"^val/table: predictions: clipped 1"):
            log_predictions_table(run, "val/table", [example])
    with pytest.raises(ValueError, match="wholly outside"):
        make_example(
            rgb_image(), LABELS, predictions=Detections([[100, 1, 120, 5]], [1])
        )


def test_disabled_run_gets_wandb_images():
    example = make_cat_example()
    with ON.start() as run, pytest.warns(UserWarning, match="clipped"):
        log_examples(run, "val/examples", [example, example])
        images = run.summary["val/examples"]
    assert [type(im) for im in images] == [wandb.Image, wandb.Image]
    assert images[0].image.size == (W, H) and images[0]._caption == "val 0"


def test_offline_image_boxes_and_mask_as_written(offline):
    example = make_cat_example()
    with ON.start() as run, pytest.warns(UserWarning, match="clipped"):
        log_examples(run, "val/examples", [example], step=3)

    recorded = offline()
    assert recorded.state == "finished"
    (row,) = recorded.history
    assert row["_step"] == 3 and row["val/examples.captions"] == ["val 0"]
    assert (row["val/examples.width"], row["val/examples.height"]) == (W, H)

    # the image: a PNG of the right size holding exactly our pixels (CHW float -> HWC uint8)
    (image_path,) = row["val/examples.filenames"]
    with PIL.Image.open(recorded.files_dir / image_path) as png:
        assert png.size == (W, H) and png.mode == "RGB"
        np.testing.assert_array_equal(np.asarray(png), rgb_image())

    # the boxes: pixel coordinates, clipped, with the pixel domain and the class labels
    (boxes,) = row["val/examples.all_boxes"]
    predicted = json.loads(
        (recorded.files_dir / boxes["predictions"]["path"]).read_text()
    )
    truth = json.loads((recorded.files_dir / boxes["ground_truth"]["path"]).read_text())
    assert predicted["box_data"] == [
        {
            "position": {"minX": 0, "minY": 5, "maxX": 28, "maxY": 13},
            "domain": "pixel",
            "class_id": 1,
            "box_caption": "cat 0.90",
            "scores": {"score": 0.9},
        }
    ]
    assert truth["box_data"][0]["position"] == {
        "minX": 10,
        "minY": 5,
        "maxX": 30,
        "maxY": 13,
    }
    assert (
        predicted["class_labels"]
        == truth["class_labels"]
        == {"0": "background", "1": "cat", "2": "dog"}
    )

    # the masks: 8-bit PNGs holding the class ids
    (masks,) = row["val/examples.all_masks"]
    with PIL.Image.open(recorded.files_dir / masks["predictions"]["path"]) as png:
        mask = np.asarray(png)
    assert mask.shape == (H, W) and set(np.unique(mask).tolist()) == {0, 1}
    assert (mask[5:13, 10:28] == 1).all() and mask.sum() == 8 * 18
    with PIL.Image.open(recorded.files_dir / masks["ground_truth"]["path"]) as png:
        assert np.asarray(png).sum() == 8 * 20

    # W&B keeps the class labels of each group in the run's config (under _wandb)
    labels = recorded.wandb_config
    named = {"0": "background", "1": "cat", "2": "dog"}
    for kind in ("bounding_box/class_labels", "mask/class_labels"):
        for group in ("predictions", "ground_truth"):
            assert (
                labels[kind][f"val/examples_wandb_delimeter_{group}"]["value"] == named
            )


def test_offline_predictions_table(offline):
    examples = [make_cat_example(), make_cat_example(rgb_image(1))]
    with ON.start() as run, pytest.warns(UserWarning, match="clipped"):
        log_predictions_table(run, "val/predictions", examples)

    recorded = offline()
    table = recorded.summary["val/predictions"]
    assert table["_type"] == "table-file" and (table["nrows"], table["ncols"]) == (2, 6)
    written = json.loads((recorded.files_dir / table["path"]).read_text())
    assert written["columns"] == ["id", "image", "label", "score", "truth", "n_boxes"]
    assert [row[:1] + row[2:] for row in written["data"]] == [
        [0, "cat", 0.9, "cat", 1],
        [1, "cat", 0.9, "cat", 1],
    ]
    (artifact,) = recorded.artifacts  # the table and its images, as W&B stores them
    assert artifact.type == "run_table"
    assert "val/predictions.table.json" in artifact.files
    assert sum(f.endswith(".mask.png") for f in artifact.files) >= 2
    assert (
        sum(
            re.fullmatch(r"media/images/\w+\.png", f) is not None
            for f in artifact.files
        )
        == 2
    )


# --- video -------------------------------------------------------------------------------


def frames_thwc(n: int = 6, h: int = 24, w: int = 32) -> np.ndarray:
    """Frames that differ from each other (a GIF merges identical neighbours)."""
    frames = np.zeros((n, h, w, 3), dtype=np.uint8)
    for t in range(n):
        frames[t, :, :, 0] = 25 * t
        frames[t, 2:6, 4 * t : 4 * t + 4] = 255
    return frames


def test_video_frames_both_layouts():
    thwc = frames_thwc()
    tchw = video_frames(thwc)
    assert tchw.shape == (6, 3, 24, 32)
    np.testing.assert_array_equal(tchw, thwc.transpose(0, 3, 1, 2))
    np.testing.assert_array_equal(video_frames(tchw), tchw)
    np.testing.assert_array_equal(video_frames(torch.tensor(tchw)), tchw)
    grey = video_frames(np.full((2, 1, 8, 10), 0.5))  # grey float, channels first
    assert grey.shape == (2, 3, 8, 10) and (grey == 128).all()


@pytest.mark.parametrize(
    ("frames", "layout", "message"),
    [
        (
            np.zeros((4, 3, 8, 3)),
            "auto",
            r"cannot tell which axis.*both of 3 and 3.*layout=",
        ),
        (np.zeros((4, 16, 16, 2)), "auto", r"neither of 16 and 2 is 1, 3 or 4"),
        (np.zeros((4, 16, 16, 2)), "thwc", r"frames have 2 channels in layout 'thwc'"),
        (np.zeros((4, 5, 16, 16)), "tchw", r"frames have 5 channels in layout 'tchw'"),
        (
            np.zeros((16, 16, 3)),
            "auto",
            r"frames have shape \(16, 16, 3\): expected \(T, H, W",
        ),
        (np.full((4, 8, 8, 3), 2.0), "auto", r"frames is float64 .* outside \[0, 1\]"),
    ],
)
def test_bad_frames_are_rejected(frames, layout, message):
    with pytest.raises(ValueError, match=message):
        video_frames(frames, layout)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"format": "ogg"}, r"format='ogg': use one of 'mp4', 'gif', 'webm'$"),
        ({"fps": 0}, r"fps=0: the frame rate must be a positive number"),
        ({"fps": float("nan")}, r"fps=nan: the frame rate must be a positive number"),
        ({"fps": "4"}, r"fps='4': the frame rate must be a positive number"),
    ],
)
def test_bad_video_settings_are_rejected(kwargs, message):
    with ON.start() as run, pytest.raises(ValueError, match=message):
        log_video(run, "video", frames_thwc(), **kwargs)


def test_wandb_alone_misreads_thwc_frames_and_fails_on_ogg():
    """Why video_frames and the format list exist, as wandb 0.31 with moviepy 2.1 behaves."""
    video = wandb.Video(frames_thwc(), fps=4, format="gif")  # no error...
    assert (video._height, video._width, video._channels) == (
        32,
        3,
        24,
    )  # ...but misread
    with pytest.raises(FileNotFoundError, match=r"\.ogg"):
        wandb.Video(video_frames(frames_thwc()), fps=4, format="ogg")


def test_wandb_reads_numpy_channels_last_and_torch_channels_first():
    """The rule in SKILL.md: numpy is HWC, a tensor is CHW; and a CHW numpy array whose
    width happens to be 1, 3 or 4 is taken as HWC without an error."""
    chw = np.zeros((3, 5, 7), np.uint8)
    assert wandb.Image(torch.from_numpy(chw)).image.size == (7, 5)  # (W, H): read CHW
    misread = np.zeros((3, 5, 3), np.uint8)  # CHW, 5 high, 3 wide
    assert wandb.Image(misread).image.size == (5, 3)  # read as 3 high, 5 wide: wrong
    with pytest.raises(ValueError):
        to_hwc_uint8(misread)  # the guide asks for layout= instead


def test_gif_frame_times_are_whole_hundredths_of_a_second():
    """8 fps is written as 120 ms a frame (8.33 fps); MP4 keeps the rate."""
    video = wandb.Video(video_frames(frames_thwc(8)), fps=8, format="gif")
    with PIL.Image.open(video._path) as gif:
        assert gif.info["duration"] == 120


def test_incremental_tables_are_logged_in_parts(offline):
    with ON.start() as run:
        table = wandb.Table(columns=["epoch", "loss"], log_mode="INCREMENTAL")
        for epoch in range(2):
            table.add_data(epoch, 1.0 / (epoch + 1))
            run.log({"val/table": table}, step=epoch)
    rows = offline().history
    assert [row["val/table._type"] for row in rows] == ["incremental-table-file"] * 2
    assert [row["val/table.nrows"] for row in rows] == [1, 2]  # rows so far


@pytest.mark.parametrize(
    ("n", "fps", "dropped"), [(10, 10, True), (6, 3, True), (8, 4, False)]
)
def test_moviepy_drops_the_last_frame_at_some_frame_rates(n, fps, dropped):
    """Why pad_for_encoder exists: count the frames wandb.Video really encodes."""
    frames = video_frames(frames_thwc(n))
    video = wandb.Video(frames, fps=fps, format="gif")
    with PIL.Image.open(video._path) as gif:
        assert gif.n_frames == n - dropped
    assert len(pad_for_encoder(frames, fps)) == n + dropped


def test_offline_video_is_encoded_with_every_frame(offline):
    frames = frames_thwc(6)
    with ON.start() as run:
        log_video(
            run, "val/gif", frames, fps=3, format="gif", caption="rollout", step=0
        )
        log_video(
            run, "val/mp4", frames.transpose(0, 3, 1, 2), fps=3, format="mp4", step=0
        )
    recorded = offline()
    (row,) = recorded.history
    assert (row["val/gif.width"], row["val/gif.height"]) == (32, 24)
    assert row["val/gif.caption"] == "rollout"

    with PIL.Image.open(recorded.files_dir / row["val/gif.path"]) as gif:
        assert (
            gif.size == (32, 24) and gif.n_frames == 6
        )  # fps 3 would lose the last one
        assert gif.info["duration"] == pytest.approx(1000 / 3, abs=10)
        gif.seek(5)
        last = np.asarray(gif.convert("RGB"))
    np.testing.assert_allclose(
        last[10, 10], frames[5, 10, 10], atol=8
    )  # the last frame's red

    import imageio.v2 as imageio

    reader = imageio.get_reader(recorded.files_dir / row["val/mp4.path"])
    assert (
        reader.get_meta_data()["size"] == (32, 24)
        and reader.get_meta_data()["fps"] == 3
    )
    assert sum(1 for _ in reader) >= 6
    reader.close()


def test_missing_moviepy_skips_the_video_with_a_warning(monkeypatch):
    monkeypatch.setitem(sys.modules, "moviepy", None)  # `import moviepy` now fails
    with ON.start() as run:
        with pytest.warns(UserWarning, match=r"'val/video' not logged.*wandb\[media\]"):
            log_video(run, "val/video", frames_thwc())
        assert "val/video" not in run.summary


# --- how many images, how often -------------------------------------------------------------


def test_media_schedule():
    schedule = MediaSchedule(n_examples=4, every_n_epochs=5)
    assert [e for e in range(12) if schedule.due(e, last_epoch=11)] == [0, 5, 10, 11]
    picked = schedule.pick(100)
    assert (
        picked == schedule.pick(100) and len(set(picked)) == 4
    )  # the same examples each time
    assert MediaSchedule(n_examples=50).pick(10) == list(range(10))
    with pytest.raises(
        ValueError, match=r"n_examples\n  Input should be less than or equal to 108"
    ):
        MediaSchedule(n_examples=200)


# --- the module as a whole -------------------------------------------------------------------


def test_main_offline_logs_examples_table_and_video(offline):
    examples = main(epochs=3)
    recorded = offline()
    assert recorded.state == "finished"
    logged = {row["_step"]: row for row in recorded.history}
    assert sorted(logged) == [0, 1, 2]
    assert "val/examples.filenames" not in logged[1]  # every 2 epochs, and the last one
    assert logged[0]["val/examples.count"] == logged[2]["val/examples.count"] == 4
    assert logged[2]["val/predictions.nrows"] == len(examples) == 4
    assert logged[2]["val/rollout.path"].endswith(".gif")
    for example in examples:
        assert example.pixels.shape == (48, 48, 3)
        assert (
            set(example.boxes) == set(example.masks) == {"predictions", "ground_truth"}
        )
        assert example.boxes["predictions"]["class_labels"] == CLASS_LABELS


def test_bad_input_fails_the_same_without_wandb(run_python):
    code = """
import numpy as np
from snippets.init import TrackingConfig, start_run
from snippets.media import Detections, log_examples, make_example
run = TrackingConfig(use_wandb=True).start()
ok = make_example(np.zeros((8, 8, 3)), {1: "cat"}, predictions=Detections([[1, 1, 4, 4]], [1]))
log_examples(run, "val", [ok])
print(type(run).__name__)
make_example(np.zeros((8, 8, 3)), {1: "cat"}, predictions=Detections([[1, 1, 4, 4]], [2]))
"""
    with pytest.raises(AssertionError) as failed:
        run_python("-c", code, wandb_installed=False)
    assert "NoRun" in str(failed.value)
    assert "ValueError: predictions: class id 2 is not in class_labels" in str(
        failed.value
    )


# --- the benchmark behind the page's figures --------------------------------------------------


@pytest.mark.slow
@pytest.mark.xdist_group("scripts-offline")
def test_cost_benchmark_quick_writes_its_table(quick_benchmarks):
    lines = (quick_benchmarks.results / "media_cost.md").read_text().splitlines()
    assert lines[0].startswith(
        "| image (RGB) | content | file | build `wandb.Image` (ms)"
    )
    rows = [line.split("|")[1:-1] for line in lines[2:] if line.startswith("| ")]
    assert [(r[0].strip(), r[1].strip(), r[2].strip()) for r in rows] == [
        ("16x16", "smooth", "png"),
        ("16x16", "noise", "png"),
        ("32x32 + 20 boxes + mask", "smooth", "png"),
        ("32x32", "noise", "jpg"),
    ]
    for row in rows:
        build_ms, log_ms, kib = (float(cell) for cell in row[3:6])
        assert build_ms > 0 and log_ms > 0 and kib > 0
    noise_png, annotated = float(rows[1][5]), float(rows[2][5])
    assert annotated > noise_png  # a larger image plus its box JSON and mask PNG
    assert re.search(r"wandb \d+\.\d+", lines[-1]) and "measured" in lines[-1]


# --- the bad-input issue's cases for media --------------------------------------------------


@pytest.mark.parametrize("fmt", ["xyhw", "XYXY", "coco", None])
def test_to_pixel_xyxy_takes_only_the_named_formats(fmt):
    """ "xyhw" (a typo) was read as cxcywh: any word but the three is an error."""
    with pytest.raises(
        ValueError, match=rf"fmt={fmt!r}: use one of 'xyxy', 'xywh', 'cxcywh'$"
    ):
        to_pixel_xyxy(np.array([[1.0, 1.0, 5.0, 5.0]]), fmt, (8, 8))


def test_an_example_of_float_pixels_is_logged_scaled_not_black():
    """wandb.Image casts floats with astype(uint8): 0.5 became 0, a black image."""
    example = Example(np.full((4, 4, 3), 0.5))
    assert example.pixels.dtype == np.uint8
    image = np.asarray(to_wandb_image(example).image)
    np.testing.assert_array_equal(image, np.full((4, 4, 3), 128, np.uint8))


@pytest.mark.parametrize(
    ("pixels", "expected"),
    [
        (np.full((4, 4), 200, np.int64), np.full((4, 4), 200, np.uint8)),
        (np.ones((4, 4), bool), np.full((4, 4), 255, np.uint8)),
        (np.full((4, 4), 0.25, np.float16), np.full((4, 4), 64, np.uint8)),
        (np.zeros((4, 4, 1)), np.zeros((4, 4), np.uint8)),
    ],
)
def test_every_dtype_an_example_holds_reaches_wandb_as_uint8(pixels, expected):
    example = Example(pixels)
    np.testing.assert_array_equal(example.pixels, expected)
    assert example.pixels.dtype == np.uint8


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: Example(np.full((4, 4), 200.0)), ValueError, r"Example pixels is float64 with values in \[200, 200\], outside \[0, 1\].*divide 0..255 data by 255"),
        (lambda: Example(np.full((4, 4), 4000, np.uint16)), ValueError, r"Example pixels is uint16 with values 4000..4000, outside 0..255: scale it to 8 bits"),
        (lambda: Example(np.zeros((3, 8, 8))), ValueError, r"Example pixels have shape \(3, 8, 8\): expected \(H, W\) or \(H, W, C\)"),
        (lambda: Example(None), ValueError, r"Example pixels is None"),
        (lambda: Example(np.zeros((4, 4), np.uint8), caption=5), ValueError, r"caption=5: a caption is a string"),
        (lambda: Example(np.zeros((4, 4), np.uint8), masks={"m": {"mask_data": np.ones((4, 4))}}), ValueError, r"Example masks\['m'\]: mask_data must be uint8 class ids"),
        (lambda: to_wandb_image({"pixels": 0}), TypeError, r"example is a dict: pass an Example \(make_example\)"),
        (lambda: to_pixel_xyxy(np.ones((1, 4)) / 2, "xyxy", (8, 8), "yes"), ValueError, r"normalized='yes': pass True or False"),
        (lambda: box_group(None, (8, 8), LABELS), TypeError, r"detections is a NoneType: pass Detections\(boxes"),
        (lambda: check_class_labels({0: None}), ValueError, r"class_labels\[0\] is None: a class name is a string"),
        (lambda: to_hwc_uint8([[0, 1], [2]]), ValueError, r"image is not an array: setting an array element"),
        (lambda: to_hwc_uint8(np.zeros((1, 3, 8, 8))), ValueError, r"from a batch, pass one image: images\[i\]"),
        (lambda: class_maps(None), ValueError, r"output is None"),
        (lambda: class_maps(np.zeros((2, 4, 4))), ValueError, r"one image's \(C, H, W\) logits: pass logits\[None\]"),
        (lambda: log_examples(NoRun(), "k", []), ValueError, r"k: examples is empty: pass a non-empty list of Examples"),
        (lambda: log_examples(NoRun(), "k", [np.zeros((4, 4))]), TypeError, r"k: an example is a ndarray: build each with make_example"),
        (lambda: log_examples(NoRun(), "k", [Example(np.zeros((4, 4), np.uint8))] * 109), ValueError, r"k: 109 images, but W&B keeps only the first 108"),
        (lambda: log_examples(NoRun(), None, []), ValueError, r"key=None: name the media with a string"),
        (lambda: log_predictions_table(NoRun(), "k", Example(np.zeros((4, 4), np.uint8))), ValueError, r"k: examples is a Example: pass a non-empty list"),
        (lambda: log_video(NoRun(), "", np.zeros((2, 8, 8, 3), np.uint8)), ValueError, r"key='': name the media"),
        (lambda: pad_for_encoder(np.zeros((2, 3, 8, 8), np.uint8), 0), ValueError, r"fps=0: the frame rate must be a positive number"),
        (lambda: pad_for_encoder(np.zeros((0, 3, 8, 8), np.uint8), 4), ValueError, r"frames: there are no frames to encode"),
        (lambda: MediaSchedule().pick(-1), ValueError, r"dataset_size=-1: pass len\(dataset\)"),
    ],
)  # fmt: skip
def test_bad_media_input_is_a_named_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_bool_masks_and_maps_are_class_ids_0_and_1():
    mask = np.zeros((4, 4), bool)
    mask[1:3, 1:3] = True
    group = mask_group(mask, (4, 4), {0: "bg", 1: "fg"}, "m")
    np.testing.assert_array_equal(group["mask_data"], mask.astype(np.uint8))
    np.testing.assert_array_equal(class_maps(mask), mask[None].astype(np.int64))


def test_a_numpy_frame_rate_is_taken():
    log_video(NoRun(), "v", np.zeros((2, 8, 8, 3), np.uint8), fps=np.int64(4))
