"""Pictures for the media page, drawn from what an offline run recorded.

It runs `snippets.media.main()` offline in a temporary folder, reads the run back with
`snippets.readback`, and draws the last logged `val/examples`: each image as the run
saved it, its ground-truth mask from the mask PNG the run saved, and its predicted and
ground-truth boxes from the boxes JSON the run saved. Nothing is drawn by hand, so a
change in the helpers or in wandb shows up in the picture.

Run it:  python -m scripts.render_media OUT_DIR   (writes OUT_DIR/media-examples.png)
The site's build runs it (scripts/mkdocs_hooks.py); it needs wandb and Pillow.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

from snippets.readback import RecordedRun, offline_sandbox, read_offline_run

KEY = "val/examples"
SCALE = 5  # the logged images are 48 pixels square
PICTURE = "media-examples.png"
MASK_COLOURS = {1: (0, 158, 115), 2: (204, 121, 167)}  # class id -> RGB, 0 left clear
BOX_COLOURS = {"predictions": (230, 159, 0), "ground_truth": (86, 180, 233)}
CAPTION_HEIGHT = 18
GAP = 8
LEGEND = (
    "tinted: the ground-truth mask, one colour a class",
    "orange: the predicted boxes    blue: the ground-truth boxes",
)


def last_logged(run: RecordedRun, key: str = KEY) -> dict:
    """The last history row's entry for a list of images: filenames, boxes, masks."""
    rows = [row for row in run.history if f"{key}.filenames" in row]
    if not rows:
        raise ValueError(f"the run at {run.run_dir} logged no images under {key!r}")
    prefix = f"{key}."
    return {k[len(prefix) :]: v for k, v in rows[-1].items() if k.startswith(prefix)}


def draw_example(files: Path, image: str, boxes: dict, masks: dict) -> Image.Image:
    """One logged image, enlarged, with its ground-truth mask and every box group."""
    picture = Image.open(files / image).convert("RGB")
    size = (picture.width * SCALE, picture.height * SCALE)
    picture = picture.resize(size, Image.Resampling.NEAREST)
    if "ground_truth" in masks:
        classes = Image.open(files / masks["ground_truth"]["path"]).resize(
            size, Image.Resampling.NEAREST
        )
        overlay = Image.new("RGB", size)
        alpha = Image.new("L", size, 0)
        for class_id, colour in MASK_COLOURS.items():
            where = classes.point(lambda v, c=class_id: 255 if v == c else 0)
            overlay.paste(colour, mask=where)
            alpha.paste(110, mask=where)
        picture = Image.composite(overlay, picture, alpha)
    pen = ImageDraw.Draw(picture)
    for group, colour in BOX_COLOURS.items():
        if group not in boxes:
            continue
        recorded = json.loads((files / boxes[group]["path"]).read_text())
        for box in recorded["box_data"]:
            if box.get("domain") != "pixel":
                raise ValueError(f"{group}: a box not in pixels: {box}")
            p = box["position"]
            corners = [p["minX"], p["minY"], p["maxX"] - 1, p["maxY"] - 1]
            pen.rectangle([c * SCALE for c in corners], outline=colour, width=2)
    return picture


def draw_examples(run: RecordedRun, key: str = KEY) -> Image.Image:
    """The logged images side by side, each with its caption underneath."""
    logged = last_logged(run, key)
    tiles = [
        draw_example(run.files_dir, image, boxes, masks)
        for image, boxes, masks in zip(
            logged["filenames"], logged["all_boxes"], logged["all_masks"], strict=True
        )
    ]
    width = sum(t.width for t in tiles) + GAP * (len(tiles) - 1)
    height = max(t.height for t in tiles) + CAPTION_HEIGHT * (1 + len(LEGEND))
    sheet = Image.new("RGB", (width, height), (255, 255, 255))
    pen = ImageDraw.Draw(sheet)
    x = 0
    for tile, caption in zip(tiles, logged["captions"], strict=True):
        sheet.paste(tile, (x, 0))
        pen.text((x + 2, tile.height + 4), caption, fill=(0, 0, 0))
        x += tile.width + GAP
    for line, text in enumerate(LEGEND, start=1):
        y = max(t.height for t in tiles) + CAPTION_HEIGHT * line + 4
        pen.text((2, y), text, fill=(0, 0, 0))
    return sheet


def render(out_dir: str | Path) -> Path:
    """Run snippets.media offline, read the run back, write the picture; its path."""
    from snippets import media

    out = Path(out_dir) / PICTURE
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as root, offline_sandbox(root):
        media.main()
        draw_examples(read_offline_run(root)).save(out, optimize=True)
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m scripts.render_media OUT_DIR")
    print(render(sys.argv[1]))
