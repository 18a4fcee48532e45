"""Log images, bounding boxes, segmentation masks, video and prediction tables: the
media topic.

The helpers turn what models and datasets really produce (CHW tensors, float images,
boxes in xyxy, COCO xywh or YOLO normalized cxcywh, segmentation logits, video frames in
either layout) into what W&B expects, and check it first: a bad box, mask or frame
layout raises a ValueError that names the problem before anything reaches W&B. The
checks are plain numpy and run the same with tracking on, off, or wandb not installed;
only the last step, building `wandb.Image`, `wandb.Video` and `wandb.Table`, needs
wandb, and it is skipped for a `NoRun`.

Run it:  WANDB_MODE=offline python -m snippets.media   (or disabled, or with wandb
absent)
"""

# --8<-- [start:imports]
from __future__ import annotations

import math
import numbers
import os
import sys
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:  # for type checkers only: at run time wandb stays optional
    import wandb
# --8<-- [end:imports]
# isort: split
from .init import NoRun, TrackingConfig, one_of

__all__ = [
    "Detections",
    "Example",
    "MediaSchedule",
    "box_group",
    "check_class_ids",
    "check_class_labels",
    "check_examples",
    "check_image_hw",
    "check_key",
    "class_maps",
    "encoded_frames",
    "is_real",
    "log_examples",
    "log_predictions_table",
    "log_video",
    "make_example",
    "mask_group",
    "pad_for_encoder",
    "pixel_boxes",
    "to_hwc_uint8",
    "to_numpy",
    "to_pixel_xyxy",
    "to_uint8",
    "to_wandb_image",
    "top_prediction",
    "video_frames",
    "warn_notes",
]

# --8<-- [start:constants]
CHANNEL_COUNTS = (1, 3, 4)  # grey, RGB, RGBA: what PIL and the video encoders take
BoxFormat = Literal["xyxy", "xywh", "cxcywh"]
BOX_FORMATS = {"xyxy": "xyxy", "xywh": "xywh", "cxcywh": "cxcywh"}  # for one_of
# "ogg" is left out: moviepy 2.1 takes .ogg for audio, writes no file, and wandb.Video
# then fails with FileNotFoundError.
VIDEO_FORMATS = {"mp4": "mp4", "gif": "gif", "webm": "webm"}
# A float image may overshoot [0, 1] by rounding error (after undoing a normalization,
# say); less than half a grey level is clipped, more is an error.
FLOAT_SLACK = 0.5 / 255
MEDIA_INSTALL = "pip install 'wandb[media]'"
MAX_IMAGES = 108  # W&B keeps only the first 108 images of a list
# An axis this short is more likely a wrong channel count than an image side: "auto"
# asks for the layout rather than read (3, 64, 2) as a 64x2 RGB image.
SHORT_AXIS = 8
IMAGE_LAYOUTS, VIDEO_LAYOUTS = ("auto", "hwc", "chw"), ("auto", "thwc", "tchw")
# --8<-- [end:constants]


# --8<-- [start:to-numpy]
def is_real(dtype: np.dtype) -> bool:
    """Integers or floats: not bool, complex, strings or objects."""
    return np.issubdtype(dtype, np.integer) or np.issubdtype(dtype, np.floating)


def to_numpy(data: Any, what: str = "data") -> np.ndarray:
    """A numpy array from a numpy array, a list, or a torch tensor (on any device,
    with grad); None or ragged lists are a ValueError naming `what`."""
    if data is None:
        raise ValueError(f"{what} is None: pass an array, a tensor or a list")
    torch = sys.modules.get("torch")  # a tensor can only exist if torch was imported
    if torch is not None and isinstance(data, torch.Tensor):
        data = data.detach().cpu()
        if data.dtype == torch.bfloat16:  # numpy has no bfloat16
            data = data.float()
        return data.numpy()
    try:
        return np.asarray(data)
    except ValueError as error:  # lists of unequal lengths
        raise ValueError(f"{what} is not an array: {error}") from None
    # --8<-- [end:to-numpy]


# --8<-- [start:to-uint8]
def to_uint8(pixels: np.ndarray, what: str = "image") -> np.ndarray:
    """uint8 pixels from uint8, bool, integer 0..255 or float 0..1 data.

    wandb.Image casts floats with astype(uint8), so a float image in [0, 1] would come
    out black.
    """
    if pixels.size == 0:
        raise ValueError(f"{what} is empty (shape {pixels.shape})")
    if pixels.dtype == np.uint8:
        return pixels
    if pixels.dtype == np.bool_:
        return pixels.astype(np.uint8) * 255
    if not is_real(pixels.dtype):
        raise ValueError(
            f"{what} is {pixels.dtype}: pixels must be uint8, bool, integers 0..255 "
            "or floats 0..1"
        )
    low, high = float(pixels.min()), float(pixels.max())
    if np.issubdtype(pixels.dtype, np.integer):
        if low < 0 or high > 255:
            raise ValueError(
                f"{what} is {pixels.dtype} with values {low:g}..{high:g}, outside "
                "0..255: "
                "scale it to 8 bits first"
            )
        return pixels.astype(np.uint8)
    if not np.isfinite(pixels).all():
        raise ValueError(f"{what} holds NaN or infinite values")
    if low < -FLOAT_SLACK or high > 1 + FLOAT_SLACK:
        raise ValueError(
            f"{what} is {pixels.dtype} with values in [{low:.3g}, {high:.3g}], outside "
            "[0, 1]: "
            "undo the normalization (x * std + mean), or divide 0..255 data by 255"
        )
    return np.rint(np.clip(pixels, 0, 1) * 255).astype(np.uint8)
    # --8<-- [end:to-uint8]


# --8<-- [start:to-hwc]
def _channels_last(
    first: int, last: int, shape: tuple[int, ...], what: str, fix: str
) -> bool:
    """Whether the last axis holds the channels, judged from the two axes that could."""
    first_fits, last_fits = first in CHANNEL_COUNTS, last in CHANNEL_COUNTS
    other = first if last_fits else last  # the axis that is not a channel count
    if first_fits != last_fits and other >= SHORT_AXIS:
        return last_fits
    if first_fits != last_fits:
        reason = f"{other} is not 1, 3 or 4 and is short for an image side"
    else:
        reason = f"{'both' if first_fits else 'neither'} of {first} and {last} is "
        reason += "1, 3 or 4"
    raise ValueError(
        f"{what} has shape {shape}: cannot tell which axis holds the channels "
        f"({reason}); {fix}"
    )


def to_hwc_uint8(
    image: Any, layout: Literal["auto", "hwc", "chw"] = "auto"
) -> np.ndarray:
    """(H, W, C) or (H, W) uint8 pixels, the layout wandb.Image reads, from HW, HWC or
    CHW.

    Models emit CHW (channels first); "auto" finds the channel axis as the first or last
    one of size 1, 3 or 4, and asks for `layout` when both or neither are, or when the
    other is shorter than SHORT_AXIS.
    """
    if isinstance(image, str | bytes | os.PathLike):
        raise ValueError(
            f"image is a {type(image).__name__}, not pixels: load the file first "
            "(np.asarray(PIL.Image.open(path)))"
        )
    if layout not in IMAGE_LAYOUTS:
        raise ValueError(f"layout={layout!r}: use one of {IMAGE_LAYOUTS}")
    pixels = to_numpy(image, "image")
    if pixels.ndim == 2:
        return to_uint8(pixels)
    if pixels.ndim != 3:
        raise ValueError(
            f"image has shape {pixels.shape}: expected (H, W), (H, W, C) or (C, H, W); "
            "from a batch, pass one image: images[i]"
        )
    if layout == "auto":
        fix = "pass layout='hwc' or layout='chw'"
        last = _channels_last(
            pixels.shape[0], pixels.shape[2], pixels.shape, "image", fix
        )
        layout = "hwc" if last else "chw"
    if layout == "chw":
        pixels = pixels.transpose(1, 2, 0)
    if pixels.shape[-1] not in CHANNEL_COUNTS:
        raise ValueError(
            f"image has {pixels.shape[-1]} channels in layout {layout!r} (shape "
            f"{pixels.shape}): "
            "expected 1 (grey), 3 (RGB) or 4 (RGBA)"
        )
    if pixels.shape[-1] == 1:
        pixels = pixels[..., 0]  # PIL reads a grey image as 2-D
    return to_uint8(pixels)
    # --8<-- [end:to-hwc]


# --8<-- [start:class-labels]
def check_class_labels(class_labels: dict[int, str]) -> dict[int, str]:
    """Class id -> name, as W&B wants it: int keys (not numpy ints, not strings), str
    names."""
    if not isinstance(class_labels, dict):
        raise ValueError(
            f"class_labels is a {type(class_labels).__name__}: pass a dict of class id "
            "-> name, {0: 'cat', ...} (from a list: dict(enumerate(names)))"
        )
    if not class_labels:
        raise ValueError(
            "class_labels is empty: map each class id to its name, {0: 'cat', ...}"
        )
    checked = {}
    for class_id, name in class_labels.items():
        if not isinstance(class_id, (int, np.integer)) or isinstance(class_id, bool):
            raise ValueError(
                f"class_labels key {class_id!r} is not an integer class id"
            )
        if not isinstance(name, str | int | np.integer) or isinstance(name, bool):
            raise ValueError(
                f"class_labels[{class_id!r}] is {name!r}: a class name is a string"
            )
        checked[int(class_id)] = str(name)
    return checked


def check_class_ids(ids: np.ndarray, class_labels: dict[int, str], what: str) -> None:
    """Every id in `ids` must have a name: W&B would show an unnamed id as a bare
    number."""
    missing = sorted(set(np.unique(ids).tolist()) - class_labels.keys())
    if missing:
        raise ValueError(
            f"{what}: class id {missing[0]} is not in class_labels "
            f"(missing: {missing}; known: {sorted(class_labels)}): add it to "
            "class_labels"
        )
    # --8<-- [end:class-labels]


# --8<-- [start:detections]
@dataclass(frozen=True)
class Detections:
    """Boxes as a detector or a dataset gives them, one row per box.

    fmt: "xyxy" corners (torchvision), "xywh" top-left corner and size (COCO), "cxcywh"
    centre and size (YOLO, with normalized=True: fractions of the image width and
    height).
    """

    boxes: Any  # (N, 4) array or tensor
    class_ids: Any  # (N,) integers
    scores: Any = None  # (N,) confidences; None for ground truth
    fmt: BoxFormat = "xyxy"
    normalized: bool = False  # True: coordinates are fractions of the image, 0..1

    def __post_init__(self) -> None:
        one_of(self.fmt, BOX_FORMATS, "fmt")
        if not isinstance(self.normalized, bool | np.bool_):
            raise ValueError(
                f"normalized={self.normalized!r}: pass True or False, not a "
                f"{type(self.normalized).__name__}"
            )
        # --8<-- [end:detections]


# --8<-- [start:to-pixel-xyxy]
def check_image_hw(image_hw: Any) -> tuple[int, int]:
    """(height, width) as two positive integers."""
    hw = tuple(image_hw) if isinstance(image_hw, tuple | list) else ()
    if len(hw) != 2 or not all(
        isinstance(n, int | np.integer) and not isinstance(n, bool) and n > 0
        for n in hw
    ):
        raise ValueError(
            f"image_hw={image_hw!r}: expected (height, width), two positive "
            "integers (pixels.shape[:2])"
        )
    return int(hw[0]), int(hw[1])


def to_pixel_xyxy(
    boxes: Any,
    fmt: BoxFormat,
    image_hw: tuple[int, int],
    normalized: bool = False,
    group: str = "boxes",
) -> np.ndarray:
    """(N, 4) pixel corners x1, y1, x2, y2 inside the image, from any of the three
    formats.

    A box with min > max, or wholly outside the image, is an error (a format or scale
    mistake); a box overshooting the border is clipped, as detectors' boxes often
    overshoot a little, with one warning for the call.
    """
    height, width = check_image_hw(image_hw)
    one_of(fmt, BOX_FORMATS, "fmt")  # a typo is an error, not read as cxcywh
    if not isinstance(normalized, bool | np.bool_):
        raise ValueError(f"normalized={normalized!r}: pass True or False")
    given = to_numpy(boxes, f"{group}: boxes")
    if not is_real(given.dtype) and given.size:
        raise ValueError(f"{group}: boxes are {given.dtype}: expected numbers")
    given = given.astype(np.float64)
    if given.size == 0:
        given = given.reshape(0, 4)  # no detections: an empty group, not an error
    if given.ndim != 2 or given.shape[1] != 4:
        raise ValueError(f"{group}: boxes have shape {given.shape}: expected (N, 4)")
    if not np.isfinite(given).all():
        row = int(np.flatnonzero(~np.isfinite(given).all(axis=1))[0])
        raise ValueError(
            f"{group}: box {row} {given[row].tolist()} has a NaN or infinite value"
        )
    b = given * [width, height, width, height] if normalized else given
    if fmt == "xyxy":
        x1, y1, x2, y2 = b.T
    elif fmt == "xywh":
        x1, y1, x2, y2 = b[:, 0], b[:, 1], b[:, 0] + b[:, 2], b[:, 1] + b[:, 3]
    else:  # cxcywh, the one format left
        x1, y1 = b[:, 0] - b[:, 2] / 2, b[:, 1] - b[:, 3] / 2
        x2, y2 = b[:, 0] + b[:, 2] / 2, b[:, 1] + b[:, 3] / 2
    if len(given) and not normalized and np.abs(given).max() <= 1 < max(width, height):
        warnings.warn(
            f"{group}: every coordinate is within 0..1 but normalized=False, so the "
            "boxes are "
            "at most 1 pixel wide: pass normalized=True if they are fractions of the "
            "image",
            stacklevel=2,
        )
    inverted = np.flatnonzero((x1 > x2) | (y1 > y2))
    if inverted.size:
        row = inverted[0]  # name the first bad box
        raise ValueError(
            f"{group}: box {row} {given[row].tolist()} in {fmt!r} has min > max "
            f"(x {x1[row]:g}..{x2[row]:g}, y {y1[row]:g}..{y2[row]:g}): "
            "check the box format (COCO boxes are 'xywh', torchvision's 'xyxy')"
        )
    outside = np.flatnonzero((x2 <= 0) | (x1 >= width) | (y2 <= 0) | (y1 >= height))
    if outside.size:
        row = outside[0]
        raise ValueError(
            f"{group}: box {row} {given[row].tolist()} in {fmt!r} lies wholly outside "
            "the "
            f"{width}x{height} image: are the boxes for another image size, or "
            "normalized?"
        )
    xyxy = np.stack([x1, y1, x2, y2], axis=1)
    clipped = np.clip(xyxy, 0, [width, height, width, height])
    n_clipped = int((clipped != xyxy).any(axis=1).sum())
    if n_clipped:  # one warning per call, not one per box
        warnings.warn(
            f"{group}: clipped {n_clipped} of {len(xyxy)} boxes to the "
            f"{width}x{height} image",
            stacklevel=2,
        )
    return clipped
    # --8<-- [end:to-pixel-xyxy]


# --8<-- [start:pixel-boxes]
def pixel_boxes(xyxy, class_ids, class_labels, scores=None) -> dict[str, Any]:
    """A box group for wandb.Image(boxes={"predictions": ...}) from pixel corners
    (x1, y1, x2, y2), one int class id per box, and {id: name} with int keys."""
    box_data = []
    for i, (x1, y1, x2, y2) in enumerate(xyxy):
        name = class_labels[int(class_ids[i])]
        box = {
            "position": {"minX": x1, "minY": y1, "maxX": x2, "maxY": y2},
            "domain": "pixel",  # else W&B reads the coordinates as fractions, 0..1
            "class_id": int(class_ids[i]),  # W&B wants a Python int, not numpy's
            "box_caption": name,
        }
        if scores is not None:
            box["scores"] = {"score": float(scores[i])}  # the UI filters boxes by it
            box["box_caption"] = f"{name} {float(scores[i]):.2f}"
        box_data.append(box)
    return {"box_data": box_data, "class_labels": class_labels}
    # --8<-- [end:pixel-boxes]


# --8<-- [start:box-group]
def box_group(
    detections: Detections,
    image_hw: tuple[int, int],
    class_labels: dict[int, str],
    group: str = "predictions",
) -> dict[str, Any]:
    """pixel_boxes from any box format, checked: ids in class_labels, one score and
    id per box, boxes inside the image (clipped a little, with one warning)."""
    if not isinstance(detections, Detections):
        raise TypeError(
            f"detections is a {type(detections).__name__}: pass "
            "Detections(boxes, class_ids, scores, fmt=...)"
        )
    class_labels = check_class_labels(class_labels)
    xyxy = to_pixel_xyxy(
        detections.boxes, detections.fmt, image_hw, detections.normalized, group
    )
    class_ids = to_numpy(detections.class_ids, f"{group}: class_ids").reshape(-1)
    if class_ids.size == 0:  # no detections: np.array([]) is float64
        class_ids = class_ids.astype(np.int64)
    if len(class_ids) != len(xyxy) or not np.issubdtype(class_ids.dtype, np.integer):
        raise ValueError(
            f"{group}: class_ids must be {len(xyxy)} integers, one per box; "
            f"got {class_ids.dtype} of shape {class_ids.shape}"
        )
    check_class_ids(class_ids, class_labels, group)
    scores = (
        None
        if detections.scores is None
        else to_numpy(detections.scores, f"{group}: scores").reshape(-1)
    )
    if scores is not None and len(scores) != len(xyxy):
        raise ValueError(
            f"{group}: {len(scores)} scores for {len(xyxy)} boxes: one per box"
        )
    if scores is not None and not is_real(scores.dtype):
        raise ValueError(f"{group}: scores are {scores.dtype}: expected numbers")
    if scores is not None and not np.isfinite(scores).all():
        row = int(np.flatnonzero(~np.isfinite(scores))[0])
        raise ValueError(  # NaN would be written into the box JSON, which it breaks
            f"{group}: box {row} has score {scores[row]}: scores must be finite"
        )
    return pixel_boxes(xyxy.tolist(), class_ids.tolist(), class_labels, scores)
    # --8<-- [end:box-group]


# --8<-- [start:masks]
def class_maps(output: Any) -> np.ndarray:
    """(N, H, W) class ids: the argmax over the class axis of logits (N, C, H, W), or
    label maps (N, H, W) or (H, W) passed through."""
    array = to_numpy(output, "output")
    if array.dtype == np.bool_:  # a binary map: class ids 0 and 1
        array = array.astype(np.int64)
    if np.issubdtype(array.dtype, np.floating):
        if array.ndim != 4:
            raise ValueError(
                f"logits have shape {array.shape}: expected (N, C, H, W); one image's "
                "(C, H, W) logits: pass logits[None]"
            )
        if not np.isfinite(array).all():  # argmax would pick the NaN's class
            raise ValueError("logits hold NaN or infinite values")
        return array.argmax(axis=1)
    if not np.issubdtype(array.dtype, np.integer) or array.ndim not in (2, 3):
        raise ValueError(
            f"label maps are {array.dtype} of shape {array.shape}: expected integer "
            "(N, H, W) or (H, W); a one-hot (N, C, H, W) map: pass one_hot.argmax(1)"
        )
    return array[None] if array.ndim == 2 else array


def mask_group(
    mask: Any, image_hw: tuple[int, int], class_labels: dict[int, str], group: str
) -> dict[str, Any]:
    """One mask group for wandb.Image(masks={group: ...}): a 2-D integer class map."""
    image_hw = check_image_hw(image_hw)
    class_labels = check_class_labels(class_labels)
    mask = to_numpy(mask, f"{group} mask")
    if mask.dtype == np.bool_:  # a binary mask: class ids 0 and 1
        mask = mask.astype(np.uint8)
    if mask.ndim != 2 or not np.issubdtype(mask.dtype, np.integer):
        raise ValueError(
            f"{group} mask must be 2-D integer class ids; got {mask.dtype} of shape "
            f"{mask.shape} (logits or a one-hot (C, H, W) mask: take the argmax over "
            "the class axis, mask.argmax(0); a batch of logits: class_maps(logits))"
        )
    if mask.shape != tuple(image_hw):
        raise ValueError(
            f"{group} mask has shape {mask.shape} but the image is {tuple(image_hw)} "
            "(H, W): "
            "resize the mask or the image so they match"
        )
    check_class_ids(mask, class_labels, f"{group} mask")
    if mask.min() < 0 or mask.max() > 255:
        raise ValueError(
            f"{group} mask: class ids must be 0..255 (W&B stores masks as 8 bits)"
        )
    return {"mask_data": mask.astype(np.uint8), "class_labels": class_labels}
    # --8<-- [end:masks]


# --8<-- [start:example]
@dataclass(frozen=True)
class Example:
    """One image ready for W&B, checked, in plain numpy and Python: no wandb needed."""

    pixels: np.ndarray  # (H, W, C) or (H, W) uint8
    caption: str = ""
    boxes: dict[str, Any] = field(default_factory=dict)  # group -> box group
    masks: dict[str, Any] = field(default_factory=dict)  # group -> mask group
    notes: tuple[str, ...] = ()  # warnings from the checks, shown when it is logged

    def __post_init__(self) -> None:
        """An Example built by hand is checked too: wandb.Image casts float pixels
        with astype(uint8), so floats in [0, 1] would come out black."""
        pixels = to_numpy(self.pixels, "Example pixels")
        last = pixels.shape[-1] if pixels.ndim == 3 else 1
        if pixels.ndim not in (2, 3) or last not in CHANNEL_COUNTS:
            raise ValueError(
                f"Example pixels have shape {pixels.shape}: expected (H, W) or "
                "(H, W, C) with C 1, 3 or 4; make_example converts other layouts"
            )
        if last == 1:
            pixels = pixels.reshape(pixels.shape[:2])  # PIL reads a grey image as 2-D
        object.__setattr__(self, "pixels", to_uint8(pixels, "Example pixels"))
        if not isinstance(self.caption, str):
            raise ValueError(f"caption={self.caption!r}: a caption is a string")
        for group, mask in self.masks.items():
            data = mask.get("mask_data") if isinstance(mask, dict) else None
            if (
                not isinstance(data, np.ndarray)
                or data.dtype != np.uint8
                or (data.shape != pixels.shape[:2])
            ):
                raise ValueError(
                    f"Example masks[{group!r}]: mask_data must be uint8 class ids "
                    "the image's size: build the group with mask_group"
                )


def make_example(
    image: Any,
    class_labels: dict[int, str],
    caption: str = "",
    predictions: Detections | None = None,
    ground_truth: Detections | None = None,
    pred_mask: Any = None,
    true_mask: Any = None,
    layout: Literal["auto", "hwc", "chw"] = "auto",
) -> Example:
    """Convert and check an image with its boxes and masks; raises ValueError on bad
    input."""
    pixels = to_hwc_uint8(image, layout)
    hw = (pixels.shape[0], pixels.shape[1])
    labels = check_class_labels(class_labels)
    with warnings.catch_warnings(record=True) as caught:  # kept for the logging step,
        warnings.simplefilter("always")  # so tracking off prints what it did before
        boxes = {
            group: box_group(dets, hw, labels, group)
            for group, dets in (
                ("predictions", predictions),
                ("ground_truth", ground_truth),
            )
            if dets is not None
        }
        masks = {
            group: mask_group(mask, hw, labels, group)
            for group, mask in (("predictions", pred_mask), ("ground_truth", true_mask))
            if mask is not None
        }
    notes = tuple(dict.fromkeys(str(w.message) for w in caught))
    return Example(pixels, caption, boxes, masks, notes)
    # --8<-- [end:example]


# --8<-- [start:log-examples]
def to_wandb_image(example: Example) -> wandb.Image:
    """wandb.Image of a checked Example: uint8 pixels (see Example)."""
    if not isinstance(example, Example):
        raise TypeError(
            f"example is a {type(example).__name__}: pass an Example (make_example)"
        )
    import wandb  # only reached with tracking on

    return wandb.Image(
        example.pixels,
        caption=example.caption or None,
        boxes=example.boxes or None,
        masks=example.masks or None,
    )


def warn_notes(key: str, examples: list[Example]) -> None:
    """The checks' warnings (boxes clipped, ...), once each, when they are logged."""
    for note in dict.fromkeys(note for ex in examples for note in ex.notes):
        warnings.warn(f"{key}: {note}", stacklevel=3)


def check_key(key: object) -> None:
    """A history key is a non-empty string: a ValueError otherwise."""
    if not isinstance(key, str) or not key:
        raise ValueError(f"key={key!r}: name the media with a string, 'val/examples'")


def check_examples(key: str, examples: object, most: int | None = None) -> None:
    """`key` a name and `examples` a list of 1 to `most` Examples: a named error
    otherwise, raised the same with tracking off."""
    check_key(key)
    if not isinstance(examples, list | tuple) or not examples:
        what = "empty" if examples == [] else f"a {type(examples).__name__}"
        raise ValueError(
            f"{key}: examples is {what}: pass a non-empty list of Examples"
        )
    odd = next((ex for ex in examples if not isinstance(ex, Example)), None)
    if odd is not None:
        raise TypeError(
            f"{key}: an example is a {type(odd).__name__}: build each with make_example"
        )
    if most is not None and len(examples) > most:
        raise ValueError(
            f"{key}: {len(examples)} images, but W&B keeps only the first {most} of "
            "a list: log fewer (MediaSchedule), or a table (log_predictions_table)"
        )


def log_examples(
    run: wandb.Run | NoRun, key: str, examples: list[Example], step: int | None = None
) -> None:
    """Log checked examples as one list of images under `key`; nothing to do for a
    NoRun."""
    check_examples(key, examples, MAX_IMAGES)
    sizes = sorted({ex.pixels.shape[:2] for ex in examples})
    if len(sizes) > 1:  # W&B lays a list out at the first image's size
        raise ValueError(
            f"{key}: the images have {len(sizes)} sizes (H, W) {sizes}: resize them to "
            "one, "
            "or log them as rows of a table (log_predictions_table)"
        )
    if isinstance(run, NoRun):
        return  # wandb may not be installed; the examples were checked all the same
    warn_notes(key, examples)
    run.log({key: [to_wandb_image(ex) for ex in examples]}, step=step)
    # --8<-- [end:log-examples]


# --8<-- [start:table]
def top_prediction(example: Example) -> tuple[str, float]:
    """The highest-scoring predicted box's class name and score ("", 0.0 when none)."""
    if not isinstance(example, Example):
        raise TypeError(
            f"example is a {type(example).__name__}: pass an Example (make_example)"
        )
    boxes = example.boxes.get("predictions", {}).get("box_data", [])
    if not boxes:
        return "", 0.0
    best = max(boxes, key=lambda box: box.get("scores", {}).get("score", 0.0))
    labels = example.boxes["predictions"]["class_labels"]
    return labels[best["class_id"]], best.get("scores", {}).get("score", 0.0)


def log_predictions_table(
    run: wandb.Run | NoRun, key: str, examples: list[Example], step: int | None = None
) -> None:
    """A table to browse many predictions: sort by score, filter by label, open an
    image."""
    check_examples(key, examples)
    if isinstance(run, NoRun):
        return
    import wandb

    warn_notes(key, examples)
    table = wandb.Table(columns=["id", "image", "label", "score", "truth", "n_boxes"])
    for i, example in enumerate(examples):
        label, score = top_prediction(example)
        truth_boxes = example.boxes.get("ground_truth", {})
        truth = sorted(
            {
                truth_boxes["class_labels"][b["class_id"]]
                for b in truth_boxes.get("box_data", [])
            }
        )
        n_boxes = len(example.boxes.get("predictions", {}).get("box_data", []))
        table.add_data(
            i, to_wandb_image(example), label, score, ", ".join(truth), n_boxes
        )
    run.log({key: table}, step=step)
    # --8<-- [end:table]


# --8<-- [start:video]
def video_frames(
    frames: Any, layout: Literal["auto", "thwc", "tchw"] = "auto"
) -> np.ndarray:
    """(T, C, H, W) uint8 frames, the layout wandb.Video reads, from (T, H, W, C) or (T,
    C, H, W).

    wandb.Video takes any 4-D array as (T, C, H, W): a (T, H, W, C) array passed as it
    is becomes frames W pixels high and C wide, with H channels, and no error.
    """
    if layout not in VIDEO_LAYOUTS:
        raise ValueError(f"layout={layout!r}: use one of {VIDEO_LAYOUTS}")
    array = to_numpy(frames, "frames")
    if array.ndim != 4:
        raise ValueError(
            f"frames have shape {array.shape}: expected (T, H, W, C) or (T, C, H, W)"
        )
    if layout == "auto":
        fix = "pass layout='thwc' or layout='tchw'"
        last = _channels_last(
            array.shape[1], array.shape[3], array.shape, "frames", fix
        )
        layout = "thwc" if last else "tchw"
    if layout == "thwc":
        array = array.transpose(0, 3, 1, 2)
    if array.shape[0] == 0:
        raise ValueError(f"frames have shape {array.shape}: there are no frames")
    channels = array.shape[1]
    if channels not in CHANNEL_COUNTS:
        raise ValueError(
            f"frames have {channels} channels in layout {layout!r} (shape "
            f"{array.shape}): "
            "expected 1 (grey), 3 (RGB) or 4 (RGBA)"
        )
    if channels == 1:
        array = np.repeat(array, 3, axis=1)  # the GIF writer refuses one channel
    return to_uint8(array, "frames")


def encoded_frames(n_frames: int, fps: float) -> list[int]:
    """Which of n frames moviepy encodes at this fps, asked of moviepy's own clip (the
    one wandb.Video builds) with 2x2 frames that hold their index."""
    from moviepy import ImageSequenceClip

    index = np.arange(n_frames)
    tiny = np.zeros((n_frames, 2, 2, 3), np.uint8)
    tiny[..., 0], tiny[..., 1] = (
        (index % 256)[:, None, None],
        (index // 256)[:, None, None],
    )
    clip = ImageSequenceClip(list(tiny), fps=fps)
    return [
        int(frame[0, 0, 0]) + 256 * int(frame[0, 0, 1])
        for frame in clip.iter_frames(dtype="uint8")
    ]


def pad_for_encoder(frames: np.ndarray, fps: float) -> np.ndarray:
    """Frames that moviepy encodes all, once each: the last one repeated where moviepy
    would drop it. Called by log_video with checked frames and fps.

    moviepy 2.1 encodes int(sum(T * [1 / fps]) * fps') frames: with fps 3, 10 or 30 the
    float sum falls just short and the last frame is lost (10 frames at 10 fps come out
    as 9). Where the repeated frame would be encoded too, which no frame count avoids,
    it is kept (the last frame shows twice as long) with a warning.
    """
    if len(frames) == 0:
        raise ValueError("frames: there are no frames to encode")
    if not isinstance(fps, numbers.Real) or not (0 < fps < math.inf):
        raise ValueError(f"fps={fps!r}: the frame rate must be a positive number")
    wanted = list(range(len(frames)))
    padded = np.concatenate([frames, frames[-1:]])
    if encoded_frames(len(frames), fps) == wanted:
        return frames
    if encoded_frames(len(padded), fps) != wanted:
        warnings.warn(
            f"moviepy encodes {len(frames)} frames at fps={fps} as {len(frames) - 1}: "
            "the last frame is repeated, and shows for two frames",
            stacklevel=3,
        )
    return padded
    # --8<-- [end:video]


# --8<-- [start:log-video]
def log_video(
    run: wandb.Run | NoRun,
    key: str,
    frames: Any,
    fps: int = 4,
    format: Literal["mp4", "gif", "webm"] = "mp4",
    caption: str | None = None,
    step: int | None = None,
    layout: Literal["auto", "thwc", "tchw"] = "auto",
) -> None:
    """Encode frames into a video and log it. Needs moviepy and imageio:
    wandb[media]."""
    check_key(key)
    one_of(format, VIDEO_FORMATS, "format")
    if not isinstance(fps, numbers.Real) or isinstance(fps, bool) or not 0 < fps < 1e9:
        raise ValueError(f"fps={fps!r}: the frame rate must be a positive number")
    fps = fps.item() if isinstance(fps, np.generic) else fps  # a numpy number
    tchw = video_frames(frames, layout)
    if isinstance(run, NoRun):
        return
    try:
        import imageio  # noqa: F401  # wandb.Video encodes with these two
        import moviepy  # noqa: F401
    except ImportError:
        warnings.warn(
            f"video {key!r} not logged: it needs {MEDIA_INSTALL}", stacklevel=2
        )
        return
    import wandb

    tchw = pad_for_encoder(tchw, fps)
    run.log(
        {key: wandb.Video(tchw, fps=fps, format=format, caption=caption)}, step=step
    )
    # --8<-- [end:log-video]


# --8<-- [start:media-schedule]
class MediaSchedule(BaseModel):
    """How many images to log and how often: media costs time in the training process
    (PNG encoding) and storage (every logged image is kept)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    n_examples: int = Field(16, ge=1, le=108)  # W&B keeps only the first 108 of a list
    every_n_epochs: int = Field(5, ge=1)
    seed: int = 0  # the same examples every time, so epochs compare like with like

    def due(self, epoch: int, last_epoch: int) -> bool:
        return epoch % self.every_n_epochs == 0 or epoch == last_epoch

    def pick(self, dataset_size: int) -> list[int]:
        if isinstance(dataset_size, bool) or not isinstance(
            dataset_size, numbers.Integral
        ):
            raise ValueError(f"dataset_size={dataset_size!r}: pass len(dataset)")
        if dataset_size < 0:
            raise ValueError(f"dataset_size={dataset_size!r}: pass len(dataset)")
        rng = np.random.default_rng(self.seed)
        n = min(self.n_examples, dataset_size)
        return sorted(rng.choice(dataset_size, size=n, replace=False).tolist())
        # --8<-- [end:media-schedule]


# --- Example scaffolding: it makes this page's example run; not a helper to copy. ---
# A toy detector and segmenter, so that main() has real-looking outputs.

# --8<-- [start:toy-model]
CLASS_LABELS = {0: "background", 1: "square", 2: "bar"}


def make_scene(seed: int, size: int = 48) -> tuple[np.ndarray, Detections, np.ndarray]:
    """A CHW float image in [0, 1] (as a model sees it), its COCO-style ground truth
    boxes (pixel xywh) and its label map."""
    rng = np.random.default_rng(seed)
    image = rng.uniform(0, 0.2, size=(3, size, size))
    labels = np.zeros((size, size), dtype=np.int64)
    boxes, ids = [], []
    for class_id, (w, h) in ((1, (12, 12)), (2, (20, 6))):
        x, y = int(rng.integers(0, size - w)), int(rng.integers(0, size - h))
        image[class_id, y : y + h, x : x + w] = 0.9
        labels[y : y + h, x : x + w] = class_id
        boxes.append([x, y, w, h])
        ids.append(class_id)
    return image, Detections(np.array(boxes), np.array(ids), fmt="xywh"), labels


def predict(
    image: np.ndarray, truth: Detections, seed: int
) -> tuple[Detections, np.ndarray]:
    """A fake detector: YOLO-style normalized cxcywh boxes near the truth, and
    logits."""
    rng = np.random.default_rng(seed + 1000)
    size = image.shape[-1]
    x, y, w, h = np.asarray(truth.boxes, dtype=float).T
    centre = np.stack([x + w / 2, y + h / 2, w, h], axis=1) + rng.normal(
        0, 1.5, (len(x), 4)
    )
    scores = rng.uniform(0.5, 1.0, len(x))
    boxes = Detections(
        centre / size, truth.class_ids, scores, fmt="cxcywh", normalized=True
    )
    logits = np.stack([1 - image.max(axis=0), image[1], image[2]])[None]  # (1, C, H, W)
    return boxes, logits + rng.normal(0, 0.05, logits.shape)


def moving_square(n_frames: int = 8, size: int = 32) -> np.ndarray:
    """(T, H, W, C) frames, the layout video readers and cameras give."""
    frames = np.zeros((n_frames, size, size, 3), dtype=np.uint8)
    for t in range(n_frames):
        frames[t, 8:16, 2 + 3 * t : 10 + 3 * t] = (255, 200, 0)
    return frames
    # --8<-- [end:toy-model]


# --8<-- [start:main]
def main(tracking: TrackingConfig | None = None, epochs: int = 3) -> list[Example]:
    tracking = tracking or TrackingConfig(use_wandb=True, job_type="eval")
    schedule = MediaSchedule(n_examples=4, every_n_epochs=2)
    scenes = [make_scene(seed) for seed in range(10)]
    with tracking.start() as run:
        for epoch in range(epochs):
            run.log({"epoch": epoch}, step=epoch)
            if not schedule.due(epoch, last_epoch=epochs - 1):
                continue
            examples = []
            for i in schedule.pick(len(scenes)):
                image, truth, labels = scenes[i]
                predicted, logits = predict(image, truth, seed=epoch * 100 + i)
                examples.append(
                    make_example(
                        image,  # CHW float in [0, 1], as the model sees it
                        CLASS_LABELS,
                        caption=f"scene {i}",
                        predictions=predicted,
                        ground_truth=truth,
                        pred_mask=class_maps(logits)[0],
                        true_mask=labels,
                    )
                )
            log_examples(run, "val/examples", examples, step=epoch)
        log_predictions_table(run, "val/predictions", examples, step=epochs - 1)
        log_video(
            run, "val/rollout", moving_square(), fps=4, format="gif", step=epochs - 1
        )
    return examples
    # --8<-- [end:main]


if __name__ == "__main__":
    logged = (
        main()
    )  # the toy detector's boxes overshoot the border: expect a clipping warning
    print(f"logged {len(logged)} examples with boxes and masks, a table and a video")
