"""Page images made ready for OCR: grey, at a size Tesseract reads well, and straightened.

Skew is found by the projection profile: text lines are horizontal when the rows of a binarised page are
most uneven (dark lines, white gaps). Tried on a small copy at angles up to ±10°, coarse then fine; a page
turned by 90° or 180° is left to the OCR engine's orientation check.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

#: Longest side of the copy the skew is measured on.
_SKEW_SAMPLE_PIXELS = 1000
_MAX_SKEW_DEGREES = 10.0
#: Below this the page is left as it is: rotating costs a little sharpness for nothing.
_MIN_SKEW_DEGREES = 0.2
#: Photos larger than this (longest side, pixels) are scaled down: more pixels only cost time.
MAX_PIXELS = 4000
#: Small images are scaled up to this: Tesseract wants letters at least ~20 pixels high.
MIN_PIXELS = 1800


def prepare_for_ocr(image: Image.Image) -> Image.Image:
    """A grey copy at a readable size, with its skew removed."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent parts would turn black: lay the image on white paper first.
        paper = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(paper, image.convert("RGBA"))
    grey = image.convert("L") if image.mode != "L" else image
    longest = max(grey.size)
    if longest > MAX_PIXELS:
        scale = MAX_PIXELS / longest
        grey = grey.resize((round(grey.width * scale), round(grey.height * scale)), Image.Resampling.LANCZOS)
    elif 0 < longest < MIN_PIXELS:
        scale = min(3.0, MIN_PIXELS / longest)
        grey = grey.resize((round(grey.width * scale), round(grey.height * scale)), Image.Resampling.LANCZOS)
    angle = skew_angle(grey)
    if abs(angle) < _MIN_SKEW_DEGREES:
        return grey
    return grey.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def skew_angle(grey: Image.Image) -> float:
    """Degrees (counter-clockwise) that make the page's text lines horizontal; 0.0 for a blank page."""
    import numpy as np
    from PIL import Image

    scale = min(1.0, _SKEW_SAMPLE_PIXELS / max(grey.size))
    small = grey.resize((max(1, round(grey.width * scale)), max(1, round(grey.height * scale))))
    pixels = np.asarray(small, dtype=np.uint8)
    ink = pixels < _otsu_threshold(pixels)
    if ink.mean() < 0.002 or ink.mean() > 0.5:  # blank, or a photo more than a page of text
        return 0.0
    ink_image = Image.fromarray((ink * 255).astype(np.uint8))

    def score(angle: float) -> float:
        turned = np.asarray(ink_image.rotate(angle, resample=Image.Resampling.NEAREST), dtype=np.float64)
        rows = turned.sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    coarse = max(np.arange(-_MAX_SKEW_DEGREES, _MAX_SKEW_DEGREES + 0.01, 1.0), key=score)
    fine = max(np.arange(coarse - 1.0, coarse + 1.01, 0.1), key=score)
    return round(float(fine), 2)


def _otsu_threshold(pixels: np.ndarray) -> int:
    """The grey level that best splits ink from paper (Otsu's method on the histogram)."""
    import numpy as np

    histogram = np.bincount(pixels.ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256)
    weight_dark = np.cumsum(histogram)
    weight_light = weight_dark[-1] - weight_dark
    sum_dark = np.cumsum(histogram * levels)
    mean_dark = sum_dark / np.maximum(weight_dark, 1)
    mean_light = (sum_dark[-1] - sum_dark) / np.maximum(weight_light, 1)
    between = weight_dark * weight_light * (mean_dark - mean_light) ** 2
    return int(np.argmax(between)) + 1
