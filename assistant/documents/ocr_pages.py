"""The scanned pages of one document read by OCR several at a time: one single-threaded Tesseract per physical
core, the results handed back in page order, a progress message as each page starts, and a cancel that stops
the Tesseract processes still running.

Page images are made in the calling thread (PDFium is not thread-safe, a TIFF is one file object seeking
from frame to frame); straightening and Tesseract run in worker threads, which spend their time waiting on
Tesseract's process. At most ``workers`` pages are in flight, so at most that many page images are held.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING

from assistant.jobs import Cancelled, CancelToken, ProgressCallback
from assistant.machine import physical_cores

if TYPE_CHECKING:
    from PIL import Image

    from assistant.documents.ocr import OcrResult, PageReader

#: How often the calling thread looks at the caller's cancel token while pages are being read.
_POLL_SECONDS = 0.1


def ocr_workers() -> int:
    """Pages read at once: one per physical core (each Tesseract runs single-threaded)."""
    return physical_cores()


def read_pages(
    numbers: Sequence[int],
    image_of: Callable[[int], Image.Image],
    reader: PageReader,
    describe: Callable[[int, int], str],
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    workers: int | None = None,
) -> list[tuple[int, OcrResult | Exception]]:
    """Read pages ``numbers`` (``image_of(number)`` gives each page's image): ``(number, result)`` in the
    order of ``numbers``, where a page that could not be read has its exception instead, so one bad page
    does not cost the others. ``describe(number, started)`` is the progress message as a page starts.

    Raises ``Cancelled`` once the running Tesseract processes are stopped; any other way out (no memory
    left) stops them too.
    """
    workers = max(1, min(workers or ocr_workers(), len(numbers)))
    # The workers watch this token: set when the caller cancels, or when reading stops early for any reason.
    stop = CancelToken()
    waiting = list(numbers)
    waiting.reverse()  # popped from the end: first page first
    running: dict[Future[OcrResult], int] = {}
    finished: dict[int, OcrResult | Exception] = {}
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="edgewise-ocr") as pool:
        try:
            while len(finished) < len(numbers):
                while waiting and len(running) < workers:
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    number = waiting.pop()
                    try:
                        image = image_of(number)
                    except (Cancelled, MemoryError):
                        raise
                    except Exception as error:  # a page that cannot be drawn is one page lost, not all
                        finished[number] = error
                        continue
                    running[pool.submit(reader.read, image, stop)] = number
                    if progress is not None:
                        progress(len(finished), len(numbers), describe(number, len(numbers) - len(waiting)))
                if not running:
                    continue
                done, _ = wait(running, timeout=_POLL_SECONDS, return_when=FIRST_COMPLETED)
                if cancel is not None:
                    cancel.raise_if_cancelled()
                for future in done:
                    number = running.pop(future)
                    try:
                        finished[number] = future.result()
                    except (Cancelled, MemoryError):
                        raise
                    except Exception as error:
                        finished[number] = error
        except BaseException:
            # Leaving the pool waits for its threads: each stops its Tesseract at its next look at ``stop``.
            stop.cancel()
            raise
    return [(number, finished[number]) for number in numbers]
