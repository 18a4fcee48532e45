"""Bad and edge input for snippets/media.py beyond tests/badinput_survey.py's own media
cases: box formats, images that reach wandb.Image by every path (float, wide integer
and bool pixels), masks, the logging helpers' arguments, video frames and rates."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

Case = tuple[str, Callable[[], Any], Any]


def cases(root: Path) -> list[Case]:
    import moviepy  # noqa: F401  # imported here, so no case pays for the import
    import torch
    import wandb  # noqa: F401

    from snippets.init import NoRun
    from snippets.media import (
        Detections,
        Example,
        MediaSchedule,
        box_group,
        check_class_labels,
        class_maps,
        log_examples,
        log_predictions_table,
        log_video,
        make_example,
        mask_group,
        pad_for_encoder,
        pixel_boxes,
        to_hwc_uint8,
        to_pixel_xyxy,
        to_wandb_image,
        top_prediction,
        video_frames,
    )

    labels = {0: "cat", 1: "dog"}
    box = np.array([[1.0, 1.0, 5.0, 5.0]])
    grey = np.full((8, 8, 3), 0.5)

    def logged_pixels(pixels: Any) -> Callable[[], Any]:
        """What wandb.Image holds for an Example built by hand with these pixels."""
        return lambda: np.asarray(to_wandb_image(Example(pixels)).image)

    def is_pixels(expected: Any) -> Callable[[Any], bool]:
        return lambda got: np.array_equal(got, np.asarray(expected, np.uint8))

    def one_mask(mask: Any, class_labels: dict[int, str] = labels) -> Callable[[], Any]:
        return lambda: mask_group(mask, (4, 4), class_labels, "m")

    def video(frames: Any, **kwargs: Any) -> Callable[[], Any]:
        return lambda: log_video(NoRun(), "v", frames, **kwargs)

    bool_mask = np.zeros((4, 4), bool)
    bool_mask[1:3, 1:3] = True
    frames = np.zeros((2, 8, 8, 3), np.uint8)
    example = make_example(np.zeros((8, 8, 3), np.uint8), labels)
    logits_chw = np.zeros((2, 4, 4))
    uint16_ids = np.ones((4, 4), np.uint16)

    return [
        *reported_cases(),
        # box formats: exactly the named set
        ("fmt='xyhw' (a typo)", lambda: to_pixel_xyxy(box, "xyhw", (8, 8)), "fmt"),
        ("fmt='XYXY'", lambda: to_pixel_xyxy(box, "XYXY", (8, 8)), "fmt"),
        ("fmt=None", lambda: to_pixel_xyxy(box, None, (8, 8)), "fmt"),
        ("fmt='coco'", lambda: to_pixel_xyxy(box, "coco", (8, 8)), "fmt"),
        ("Detections(fmt='yolo')", lambda: Detections(box, [0], fmt="yolo"), "fmt"),
        ("normalized='yes' to to_pixel_xyxy", lambda: to_pixel_xyxy(box / 8, "xyxy", (8, 8), "yes"), "normalized"),
        ("boxes None", lambda: to_pixel_xyxy(None, "xyxy", (8, 8)), "boxes"),
        ("boxes bool", lambda: to_pixel_xyxy(np.ones((1, 4), bool), "xyxy", (8, 8)), "boxes"),
        ("one box as shape (4,)", lambda: to_pixel_xyxy(box[0], "xyxy", (8, 8)), "(N, 4)"),
        ("boxes with a score column", lambda: to_pixel_xyxy(np.ones((1, 5)), "xyxy", (8, 8)), "(N, 4)"),
        ("image_hw (8.0, 8.0)", lambda: to_pixel_xyxy(box, "xyxy", (8.0, 8.0)), "image_hw"),
        ("image_hw (8, 0)", lambda: to_pixel_xyxy(box, "xyxy", (8, 0)), "image_hw"),
        # box groups
        ("box_group(None)", lambda: box_group(None, (8, 8), labels), "detections"),
        ("box_group(a dict)", lambda: box_group({"boxes": box}, (8, 8), labels), "detections"),
        ("class id 7 not in labels", lambda: box_group(Detections(box, [7]), (8, 8), labels), "class_labels"),
        ("class id -1", lambda: box_group(Detections(box, [-1]), (8, 8), labels), "class_labels"),
        ("float class ids", lambda: box_group(Detections(box, [0.0]), (8, 8), labels), "integers"),
        ("a NaN box", lambda: box_group(Detections(box * np.nan, [0]), (8, 8), labels), "nan"),
        ("class name None", lambda: check_class_labels({0: None}), "class_labels"),
        ("class name an int", lambda: check_class_labels({0: 3}), lambda c: c == {0: "3"}),
        ("class_labels None", lambda: check_class_labels(None), "class_labels"),
        ("pixel_boxes, id not in labels", lambda: pixel_boxes([[1.0, 1.0, 5.0, 5.0]], [7], labels), "class_labels"),

        ("top_prediction(a dict)", lambda: top_prediction({"boxes": {}}), "Example"),
        # images by every path to wandb.Image: never a black or wrapped image
        ("to_wandb_image, float pixels in [0, 1]", logged_pixels(grey), is_pixels(np.full((8, 8, 3), 128))),
        ("to_wandb_image, float pixels 0..255", logged_pixels(grey * 255), "255"),
        ("to_wandb_image, float pixels in [-1, 1]", logged_pixels(np.linspace(-1, 1, 64).reshape(8, 8)), "[0, 1]"),
        ("to_wandb_image, int64 pixels 0..255", logged_pixels(np.full((8, 8), 200, np.int64)), is_pixels(np.full((8, 8), 200))),
        ("to_wandb_image, uint16 pixels to 4000", logged_pixels(np.full((8, 8), 4000, np.uint16)), "8 bits"),
        ("to_wandb_image, bool pixels", logged_pixels(np.ones((8, 8), bool)), is_pixels(np.full((8, 8), 255))),
        ("to_wandb_image, float16 pixels", logged_pixels(grey.astype(np.float16)), is_pixels(np.full((8, 8, 3), 128))),
        ("to_wandb_image, CHW pixels", logged_pixels(np.zeros((3, 8, 8), np.uint8)), "pixels"),
        ("to_wandb_image, a float mask", lambda: to_wandb_image(Example(np.zeros((4, 4), np.uint8), masks={"m": {"mask_data": np.ones((4, 4)), "class_labels": labels}})), "mask"),
        ("to_wandb_image(a dict)", lambda: to_wandb_image({"pixels": grey}), "Example"),
        ("Example(pixels=None)", lambda: Example(None), "pixels"),
        ("image None", lambda: to_hwc_uint8(None), "None"),
        ("ragged image", lambda: to_hwc_uint8([[0, 1], [2]]), "image"),
        ("a batch of one image", lambda: to_hwc_uint8(np.zeros((1, 3, 8, 8), np.uint8)), "batch"),
        ("a CHW tensor with grad", lambda: to_hwc_uint8(torch.full((3, 8, 8), 0.5, requires_grad=True)), is_pixels(np.full((8, 8, 3), 128))),
        # masks
        ("bool mask", one_mask(bool_mask), lambda g: np.array_equal(g["mask_data"], bool_mask.astype(np.uint8))),
        ("uint16 mask of ids", one_mask(uint16_ids), lambda g: g["mask_data"].dtype == np.uint8 and (g["mask_data"] == 1).all()),
        ("mask of 0..1 floats", one_mask(np.full((4, 4), 0.7)), "argmax"),
        ("mask None", one_mask(None), "mask"),
        ("mask id 300", one_mask(np.full((4, 4), 300), {300: "x"}), "255"),
        ("class_maps(None)", lambda: class_maps(None), "output"),
        ("class_maps(bool map)", lambda: class_maps(bool_mask), lambda m: np.array_equal(m, bool_mask[None].astype(np.int64))),
        ("class_maps(one image's logits)", lambda: class_maps(logits_chw), "logits[None]"),
        # the logging helpers' arguments, checked with tracking off too
        ("log_examples(one Example)", lambda: log_examples(NoRun(), "k", example), "list"),
        ("log_examples(raw arrays)", lambda: log_examples(NoRun(), "k", [grey]), "make_example"),
        ("log_examples(no examples)", lambda: log_examples(NoRun(), "k", []), "examples"),
        ("log_examples of 109", lambda: log_examples(NoRun(), "k", [example] * 109), "108"),
        ("log_examples(key None)", lambda: log_examples(NoRun(), None, [example]), "key"),
        ("log_predictions_table(one Example)", lambda: log_predictions_table(NoRun(), "k", example), "list"),
        ("MediaSchedule.pick(-1)", lambda: MediaSchedule().pick(-1), "dataset_size"),
        ("MediaSchedule.pick(0)", lambda: MediaSchedule().pick(0), lambda p: p == []),
        # video
        ("fps=np.int64(4)", video(frames, fps=np.int64(4)), lambda r: r is None),
        ("fps=-1", video(frames, fps=-1), "fps"),
        ("format='MP4'", video(frames, format="MP4"), "format"),
        ("format=None", video(frames, format=None), "format"),
        ("video key ''", lambda: log_video(NoRun(), "", frames), "key"),
        ("frames None", lambda: video_frames(None), "frames"),
        ("frames as a list of HWC images", lambda: video_frames([frames[0], frames[1]]), lambda v: v.shape == (2, 3, 8, 8)),
        ("bool frames", lambda: video_frames(np.ones((2, 8, 8, 3), bool)), lambda v: (v == 255).all()),
        ("float frames 0..255", lambda: video_frames(np.full((2, 8, 8, 3), 200.0)), "255"),
        ("a batch of videos (N, T, C, H, W)", lambda: video_frames(np.zeros((1, 2, 3, 8, 8), np.uint8)), "(T, "),
        ("pad_for_encoder(no frames)", lambda: pad_for_encoder(np.zeros((0, 3, 8, 8), np.uint8), 4), "frames"),
        ("pad_for_encoder(fps=0)", lambda: pad_for_encoder(np.zeros((2, 3, 8, 8), np.uint8), 0), "fps"),
        ("caption not a str", lambda: make_example(grey, labels, caption=5), "caption"),
    ]  # fmt: skip


def reported_cases() -> list[Case]:
    """The cases the bad-input report itself listed, kept as it gave them."""
    import torch

    from snippets.init import NoRun
    from snippets.media import (
        Detections,
        box_group,
        check_class_labels,
        class_maps,
        encoded_frames,
        log_video,
        make_example,
        mask_group,
        pad_for_encoder,
        to_hwc_uint8,
        to_pixel_xyxy,
        top_prediction,
        video_frames,
    )

    labels = {0: "cat", 1: "dog"}
    box = np.array([[1.0, 1.0, 5.0, 5.0]])

    def scored(score: float) -> Callable[[], Any]:
        return lambda: box_group(Detections(box, [0], [score]), (8, 8), labels)

    def nan_wins() -> Any:
        boxes = np.array([[1.0, 1, 5, 5], [2, 2, 6, 6]])
        detections = Detections(boxes, [0, 1], [0.9, float("nan")])
        return top_prediction(make_example(np.zeros((8, 8)), labels, "", detections))

    def frames_out(n: int, fps: int) -> Callable[[], Any]:
        frames = np.zeros((n, 3, 8, 8), np.uint8)
        return lambda: len(encoded_frames(len(pad_for_encoder(frames, fps)), fps))

    def nan_logit() -> Any:
        logits = np.zeros((1, 2, 2, 2))
        logits[0, 1, 0, 0] = np.nan
        return class_maps(logits)

    one_hot = np.zeros((1, 2, 4, 4), np.int64)
    one_hot[0, 1] = 1
    return [
        ("empty uint8 image", lambda: to_hwc_uint8(np.zeros((0, 5), np.uint8)), "empty"),
        ("empty bool image", lambda: to_hwc_uint8(np.zeros((0, 5), bool)), "empty"),
        ("zero uint8 frames", lambda: video_frames(np.zeros((0, 3, 8, 8), np.uint8)), "no frames"),
        *(
            (f"image {shape}", lambda s=shape: to_hwc_uint8(np.zeros(s, np.uint8)), "layout")
            for shape in [(3, 64, 2), (1, 100, 2), (2, 64, 3), (5, 64, 4)]
        ),
        ("frames (4, 3, 16, 2)", lambda: video_frames(np.zeros((4, 3, 16, 2), np.uint8)), "layout"),
        ("complex pixels", lambda: to_hwc_uint8(np.full((4, 4), 0.5 + 0.5j)), "complex"),
        ("normalized='false'", lambda: Detections(box, [0], normalized="false"), "normalized"),
        ("NaN score", scored(float("nan")), "score"),
        ("inf score", scored(float("inf")), "score"),
        ("NaN wins top_prediction", nan_wins, "score"),
        ("NaN logit", nan_logit, "nan"),
        ("int one-hot class_maps", lambda: class_maps(one_hot), "one-hot"),
        ("7 frames at 3 fps", frames_out(7, 3), lambda n: n == 7),
        ("10 frames at 10 fps", frames_out(10, 10), lambda n: n == 10),
        (
            "empty Detections",
            lambda: box_group(Detections(np.zeros((0, 4)), []), (8, 8), labels),
            lambda g: g["box_data"] == [],
        ),
        ("string boxes", lambda: to_pixel_xyxy([["a", "b", "c", "d"]], "xyxy", (8, 8)), "boxes"),
        ("string scores", lambda: box_group(Detections(box, [0], ["x"]), (8, 8), labels), "scores"),
        ("image_hw of 1", lambda: to_pixel_xyxy(box, "xyxy", (8,)), "image_hw"),
        ("image_hw None", lambda: to_pixel_xyxy(box, "xyxy", None), "image_hw"),
        ("unknown layout", lambda: to_hwc_uint8(np.zeros((8, 8, 3), np.uint8), "whc"), "layout"),
        *(
            (f"fps={fps!r}", lambda f=fps: log_video(NoRun(), "v", np.zeros((2, 8, 8, 3), np.uint8), fps=f), "fps")
            for fps in [float("nan"), float("inf"), 0, "4"]
        ),
        ("path as image", lambda: to_hwc_uint8("cat.png"), "load"),
        ("class_labels list", lambda: check_class_labels(["cat", "dog"]), "class_labels"),
        ("bfloat16 tensor", lambda: to_hwc_uint8(torch.zeros(8, 8, dtype=torch.bfloat16)), lambda p: p.dtype == np.uint8),
        ("zero frames to log_video", lambda: log_video(NoRun(), "v", np.zeros((0, 8, 8, 3), np.uint8)), "no frames"),
        ("int one-hot mask hint", lambda: mask_group(one_hot[0], (4, 4), labels, "m"), "argmax(0)"),
    ]  # fmt: skip
