"""Photos and scans saved as images (JPEG, PNG, TIFF with any number of pages, WebP), read by OCR with
Pillow: the camera's EXIF orientation is honoured, each frame of a TIFF is a page of its own.
"""

from __future__ import annotations

import io
import logging

from assistant.documents import messages
from assistant.documents.model import Extracted, Page
from assistant.jobs import CancelToken, ProgressCallback

log = logging.getLogger(__name__)

def read_image(
    data: bytes,
    name: str,
    kind: str,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    cached: dict[int, Page] | None = None,
) -> Extracted:
    """Every frame of the image read by OCR, one page each; ``cached`` pages (by number) are not read again."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    from assistant.documents.ocr import PageReader, check_engine
    from assistant.documents.ocr_pages import read_pages
    from assistant.documents.page_image import prepare_for_ocr

    try:  # Pillow refuses decompression bombs (over ~179 million pixels) with DecompressionBombError
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as error:
        raise messages.wrong_content(name, f"{kind} image") from error
    frames = getattr(image, "n_frames", 1)
    cached = cached or {}
    numbers = [number for number in range(1, frames + 1) if number not in cached]
    if numbers:
        check_engine(name)

    def frame(number: int) -> Image.Image:
        image.seek(number - 1)
        # A phone held sideways stores the turn in EXIF; the copy is the frame's own, whatever is seeked next.
        upright = ImageOps.exif_transpose(image)
        return upright if upright is not None else image.copy()

    reader = PageReader(prepare_for_ocr)
    read = dict(read_pages(
        numbers, frame, reader, lambda number, _started: f"Reading image page {number} of {frames} by OCR",
        progress=progress, cancel=cancel,
    ))
    pages = []
    for number in range(1, frames + 1):
        result = read.get(number)
        if result is None:
            pages.append(cached[number])
        elif isinstance(result, Exception):  # a damaged frame must not cost the others
            log.warning("%s: image page %d could not be read by OCR: %r", name, number, result)
            pages.append(Page(number, ""))
        else:
            pages.append(result.page(number))
    extracted = Extracted(pages=tuple(pages), notes=tuple(reader.notes))
    if extracted.is_blank:
        raise messages.no_text_found(name)
    return extracted
