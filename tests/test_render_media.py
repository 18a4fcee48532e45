"""The media page's picture is drawn from the files an offline run of snippets.media
recorded: the logged PNGs, the mask PNGs and the boxes' JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from PIL import Image

from scripts import render_media
from snippets import media


def test_boxes_and_masks_are_drawn_where_the_run_recorded_them(offline):
    media.main()
    run = offline()
    logged = render_media.last_logged(run)
    assert len(logged["captions"]) == len(logged["filenames"]) == 4
    sheet = render_media.draw_examples(run)
    side = 48 * render_media.SCALE
    assert sheet.size == (
        4 * side + 3 * render_media.GAP,
        side + render_media.CAPTION_HEIGHT * 3,
    )
    files = run.files_dir
    for tile, (boxes, masks) in enumerate(
        zip(logged["all_boxes"], logged["all_masks"], strict=True)
    ):
        left = tile * (side + render_media.GAP)
        for group, colour in render_media.BOX_COLOURS.items():
            recorded = json.loads((files / boxes[group]["path"]).read_text())
            for box in recorded["box_data"]:
                x = box["position"]["minX"] * render_media.SCALE
                y = box["position"]["minY"] * render_media.SCALE
                if 0 <= x < side - 1 and 0 <= y < side - 1:  # a corner in the image
                    x, y = round(left + x), round(y)
                    near = {
                        sheet.getpixel((x + dx, y + dy))
                        for dx in (-1, 0, 1)
                        for dy in (-1, 0, 1)
                        if x + dx >= left
                    }  # at the corner, give or take the rounding of a float position
                    assert colour in near, (tile, group, box)
        mask = Image.open(files / masks["ground_truth"]["path"])
        assert mask.mode == "L"
        plain = Image.open(files / logged["filenames"][tile]).convert("RGB")
        drawn = sheet.crop((left, 0, left + side, side))
        for (mx, my), class_id in (
            ((x, y), mask.getpixel((x, y))) for x in (5, 25, 40) for y in (5, 25, 40)
        ):
            pixel = drawn.getpixel(
                (mx * render_media.SCALE + 2, my * render_media.SCALE + 2)
            )
            if class_id == 0:  # not tinted: the logged image as it is (or a box)
                assert pixel in (
                    plain.getpixel((mx, my)),
                    *render_media.BOX_COLOURS.values(),
                )
            else:
                assert pixel != plain.getpixel((mx, my))


def test_a_run_with_no_images_under_the_key_is_refused(offline):
    from snippets.init import start_run

    with start_run(True, project="no-images") as run:
        run.log({"loss": 1.0}, step=0)
    with pytest.raises(ValueError, match="logged no images under 'val/examples'"):
        render_media.last_logged(offline())


@pytest.mark.slow
def test_the_script_runs_as_the_site_build_runs_it(run_python, tmp_path):
    done = run_python("-m", "scripts.render_media", str(tmp_path / "out"))
    written = tmp_path / "out" / render_media.PICTURE
    assert done.stdout.strip() == str(written)
    assert Image.open(written).size[0] == 4 * 48 * render_media.SCALE + 3 * 8


def test_the_scripts_are_formatted_and_lint_clean():
    """scripts/ runs at build time; it keeps the style the suite checks elsewhere."""
    from tests.sections import REPO

    for args in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        done = subprocess.run(
            [sys.executable, "-m", "ruff", *args, "scripts"],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stdout
