"""Photos and scans saved as images (JPEG, PNG, TIFF with any number of pages, WebP), read by OCR with
Pillow: the camera's EXIF orientation is honoured, each frame of a TIFF is a page of its own.
"""

from __future__ import annotations

import io
import logging

from assistant.documents import messages
from assistant.documents.model import Extracted, Page
from assistant.jobs import Cancelled, CancelToken, ProgressCallback

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
    from assistant.documents.page_image import prepare_for_ocr

    try:  # Pillow refuses decompression bombs (over ~179 million pixels) with DecompressionBombError
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as error:
        raise messages.wrong_content(name, f"{kind} image") from error
    frames = getattr(image, "n_frames", 1)
    cached = cached or {}
    if len(cached) < frames:
        check_engine(name)
    reader = PageReader(prepare_for_ocr)
    pages = []
    for index in range(frames):
        if cancel is not None:
            cancel.raise_if_cancelled()
        if index + 1 in cached:
            pages.append(cached[index + 1])
            continue
        if progress is not None:
            progress(index, frames, f"Reading image page {index + 1} of {frames} by OCR")
        image.seek(index)
        upright = ImageOps.exif_transpose(image)  # a phone held sideways stores the turn in EXIF
        try:
            result = reader.read(upright if upright is not None else image, cancel)
        except (Cancelled, MemoryError):
            raise
        except Exception as error:  # a damaged frame must not cost the others
            log.warning("%s: image page %d could not be read by OCR: %r", name, index + 1, error)
            pages.append(Page(index + 1, ""))
            continue
        pages.append(result.page(index + 1))
    extracted = Extracted(pages=tuple(pages), notes=tuple(reader.notes))
    if extracted.is_blank:
        raise messages.no_text_found(name)
    return extracted
