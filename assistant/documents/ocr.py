"""OCR on the device: Tesseract 5 (Debian's ``tesseract-ocr`` and its language packs) reads a page image into
words with a confidence each. Chosen by measurement over RapidOCR (see the README's OCR table).

Tesseract runs as its command-line program, one page per call, with its TSV output (words, lines and their
confidence) read by the ``csv`` module. It runs single-threaded: its OpenMP threads fight each other and any
other job on a 2-core laptop (linn.pdf at 300 dpi, under load: 6 s with one thread, 80 s with two), and the
environment variable that says so can be given to the child process alone; a document's pages are read
several at once instead, one Tesseract per core (``ocr_pages.py``). A running page is stopped when the job
is cancelled.
"""

from __future__ import annotations

import collections
import csv
import functools
import io
import logging
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.documents.model import Page
from assistant.errors import DocumentError
from assistant.jobs import CancelToken

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

ENGINE = "Tesseract"
#: Words below this confidence (0-100) are listed as doubtful.
LOW_CONFIDENCE = 60.0
#: A page read below this mean confidence may be on its side or upside down: orientation is checked.
ORIENTATION_CHECK_BELOW = 75.0
_ORIENTATION_MIN_WORDS = 8
#: A page that takes longer than this is given up (a pathological image must not hang a job).
PAGE_TIMEOUT_SECONDS = 300.0
_POLL_SECONDS = 0.2
#: py3langid's ISO 639-1 codes -> Tesseract language packs (Debian: tesseract-ocr-<code>).
TESSERACT_LANGUAGE = {
    "en": "eng", "fr": "fra", "de": "deu", "es": "spa", "it": "ita", "pt": "por", "nl": "nld",
    "sw": "swa", "pl": "pol", "tr": "tur", "ru": "rus", "uk": "ukr", "ar": "ara", "zh": "chi_sim",
    "ja": "jpn", "sv": "swe", "da": "dan", "no": "nor", "fi": "fin", "cs": "ces", "ro": "ron",
    "hu": "hun", "ca": "cat", "el": "ell",
}  # fmt: skip
DEFAULT_LANGUAGE = "eng"
INSTALL_HINT = "sudo apt-get install tesseract-ocr tesseract-ocr-eng (or run `make setup` again)"


class OcrUnavailableError(DocumentError):
    """The OCR engine (or its English pack) is not installed."""


def engine_missing(name: str) -> OcrUnavailableError:
    return OcrUnavailableError(
        f"{name} has pages without a text layer, and reading them needs the Tesseract OCR engine, which is not "
        f"installed. Install it with: {INSTALL_HINT}."
    )


def language_pack_missing(language: str) -> str:
    """The note shown when a page looks written in a language whose pack is not installed."""
    code = TESSERACT_LANGUAGE.get(language, language)
    return (
        f"Some scanned pages seem to be in the language coded '{language}', whose Tesseract pack is not "
        f"installed, so accents and letters may be misread. Add it with: sudo apt-get install "
        f"tesseract-ocr-{code.replace('_', '-')}."
    )


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float


@dataclass(frozen=True)
class OcrResult:
    """One page read by OCR: its text, Tesseract's mean word confidence (0-100) and how it was read."""

    text: str
    confidence: float
    words: tuple[Word, ...] = ()
    language: str = DEFAULT_LANGUAGE
    rotation: int = 0  # degrees the page was turned (clockwise) before it was read
    notes: tuple[str, ...] = field(default=())

    @property
    def doubtful_words(self) -> tuple[str, ...]:
        return tuple(word.text for word in self.words if word.confidence < LOW_CONFIDENCE)

    def page(self, number: int) -> Page:
        """The document page this result is: marked as read by OCR, with the engine and its confidence."""
        return Page(
            number, self.text, ocr_engine=engine_name(), ocr_confidence=self.confidence,
            doubtful_words=self.doubtful_words,
        )


@functools.cache
def tesseract_program() -> str | None:
    return shutil.which("tesseract")


@functools.cache
def installed_languages() -> frozenset[str]:
    """Tesseract's installed language packs ("eng", "fra", ...); empty when Tesseract is missing."""
    program = tesseract_program()
    if program is None:
        return frozenset()
    try:
        listed = subprocess.run(
            [program, "--list-langs"], capture_output=True, text=True, timeout=30, env=_child_environment()
        )
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    lines = listed.stdout.splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


@functools.cache
def engine_version() -> str | None:
    program = tesseract_program()
    if program is None:
        return None
    try:
        shown = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    first = (shown.stdout or shown.stderr).splitlines()
    return first[0].strip() if first else None


@functools.cache
def engine_name() -> str:
    """"Tesseract 5.3.0": what pages read by OCR name as their engine."""
    version = engine_version() or ""
    number = version.split()[-1] if version.lower().startswith("tesseract ") else ""
    return f"{ENGINE} {number}".strip()


def check_engine(name: str) -> None:
    """Raise ``OcrUnavailableError`` naming what to install when OCR cannot run at all."""
    if tesseract_program() is None or DEFAULT_LANGUAGE not in installed_languages():
        raise engine_missing(name)


def _child_environment() -> dict[str, str]:
    return {**os.environ, "OMP_THREAD_LIMIT": "1"}


def start_tesseract(command: list[str]) -> subprocess.Popen[bytes]:
    """Tesseract's process for one call (the tests wrap this to see the processes a job starts)."""
    return subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_child_environment()
    )


def run_tesseract(
    image: Image.Image, arguments: list[str], cancel: CancelToken | None, timeout: float = PAGE_TIMEOUT_SECONDS
) -> str:
    """Tesseract's output for one image; the process is stopped on cancel or after ``timeout`` seconds."""
    program = tesseract_program()
    if program is None:
        raise RuntimeError("tesseract is not installed")
    if cancel is not None:
        cancel.raise_if_cancelled()
    # Through a file rather than stdin: communicate() cannot go on feeding stdin after a timeout. An
    # uncompressed PNM, not a PNG: compressing a 300 dpi page cost ~0.5 s of CPU, and Tesseract its unpacking.
    with tempfile.TemporaryDirectory(prefix="edgewise-ocr-") as folder:
        page = os.path.join(folder, "page.pnm")
        (image if image.mode in ("1", "L", "RGB") else image.convert("RGB")).save(page, format="PPM")
        process = start_tesseract([program, page, "stdout", *arguments])
        waited = 0.0
        while True:
            try:
                out, err = process.communicate(timeout=_POLL_SECONDS)
                break
            except subprocess.TimeoutExpired:
                waited += _POLL_SECONDS
                if (cancel is not None and cancel.cancelled) or waited >= timeout:
                    process.kill()
                    process.communicate()
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    raise TimeoutError(f"Tesseract took longer than {timeout:.0f} s on one page") from None
    if process.returncode != 0:
        raise RuntimeError(f"tesseract failed ({process.returncode}): {err.decode('utf-8', 'replace')[-300:]}")
    return out.decode("utf-8", "replace")


def recognise(
    image: Image.Image, language: str, cancel: CancelToken | None = None, local_threshold: bool = False
) -> OcrResult:
    """Text and word confidences of one upright image, in Tesseract's reading order (columns kept apart).
    ``local_threshold`` separates ink from paper region by region (Sauvola) instead of once for the page."""
    threshold = ["-c", "thresholding_method=2"] if local_threshold else []
    tsv = run_tesseract(image, ["-l", language, "--psm", "3", *threshold, "tsv"], cancel)
    return _result_from_tsv(tsv, language)


def _result_from_tsv(tsv: str, language: str) -> OcrResult:
    rows = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    paragraphs: list[list[list[str]]] = []
    words: list[Word] = []
    current: tuple[str, str, str] | None = None
    line_key: str | None = None
    for row in rows:
        text = (row.get("text") or "").strip()
        try:
            confidence = float(row.get("conf") or -1)
        except ValueError:
            continue
        if confidence < 0 or not text:
            continue
        paragraph = (row["page_num"], row["block_num"], row["par_num"])
        if paragraph != current:
            paragraphs.append([])
            current, line_key = paragraph, None
        if row["line_num"] != line_key:
            paragraphs[-1].append([])
            line_key = row["line_num"]
        paragraphs[-1][-1].append(text)
        words.append(Word(text, confidence))
    text = "\n\n".join("\n".join(" ".join(line) for line in lines) for lines in paragraphs)
    mean = sum(word.confidence for word in words) / len(words) if words else 0.0
    return OcrResult(text=text, confidence=round(mean, 1), words=tuple(words), language=language)


def orientation(image: Image.Image, cancel: CancelToken | None = None) -> int:
    """Degrees to turn the page clockwise so that it reads upright (0, 90, 180, 270); 0 when unsure."""
    try:
        report = run_tesseract(image, ["--psm", "0"], cancel, timeout=60)
    except (RuntimeError, TimeoutError) as error:  # too few letters to tell: leave the page as it is
        log.info("OCR orientation check failed: %s", error)
        return 0
    values = dict(line.split(":", 1) for line in report.splitlines() if ":" in line)
    try:
        rotate = int(values.get("Rotate", "0").strip())
        confidence = float(values.get("Orientation confidence", "0").strip())
    except ValueError:
        return 0
    return rotate % 360 if confidence >= 1.0 else 0


def detected_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None below ~20 letters (too little to tell)."""
    if sum(character.isalpha() for character in text) < 20:
        return None
    from assistant.models.language_identifier import LANGUAGE_IDENTIFIER

    return LANGUAGE_IDENTIFIER.classify(text[:5000])


class PageReader:
    """Reads the pages of one document: straightened, turned upright when needed, and in the language the
    page turns out to be in. A page starts in the language most pages read so far were in (English at
    first); one found to be, say, French is read again with the French pack. Starting from the most
    common language rather than the last one, an English page after the French annex of an English report
    is not read twice. Several threads may read pages with one reader at once (``ocr_pages.read_pages``)."""

    def __init__(self, prepare: Callable[[Image.Image], Image.Image]) -> None:
        self.prepare = prepare
        self.notes: list[str] = []
        self._languages: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()

    @property
    def language(self) -> str:
        """The Tesseract pack the next page starts with: the one most pages read so far were read with."""
        with self._lock:
            common = self._languages.most_common(1)
        return common[0][0] if common else DEFAULT_LANGUAGE

    def read(self, image: Image.Image, cancel: CancelToken | None = None) -> OcrResult:
        result = self._read(image, cancel)
        with self._lock:
            if result.words:
                self._languages[result.language] += 1
            notes = tuple(self.notes)
        return OcrResult(result.text, result.confidence, result.words, result.language, result.rotation, notes)

    def _read(self, image: Image.Image, cancel: CancelToken | None) -> OcrResult:
        from PIL import Image

        language = self.language
        page = self.prepare(image)
        result = recognise(page, language, cancel)
        # One threshold for the whole page can make a grey form field all ink, dark words and all: no word
        # found. A local threshold reads them; it is the second try only, as it costs ~10 % more CPU a page.
        # On a picture it finds a few "words" of low confidence: noise, not text, so they are not kept.
        local = False
        if not result.words:
            again = recognise(page, language, cancel, local_threshold=True)
            if again.confidence >= LOW_CONFIDENCE:
                result, local = again, True
        rotation = 0
        # A page on its side still gives dozens of (wrong) words; a page with almost none is a picture.
        if result.confidence < ORIENTATION_CHECK_BELOW and len(result.words) >= _ORIENTATION_MIN_WORDS:
            rotation = orientation(page, cancel)
            if rotation:
                turned = page.transpose(
                    {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}[
                        rotation
                    ]
                )
                upright = recognise(turned, language, cancel, local)
                if _better(upright, result):
                    page, result = turned, upright
                else:
                    rotation = 0
        result = self._in_its_language(page, result, cancel, local)
        return OcrResult(result.text, result.confidence, result.words, result.language, rotation)

    def _in_its_language(
        self, page: Image.Image, result: OcrResult, cancel: CancelToken | None, local_threshold: bool
    ) -> OcrResult:
        language = detected_language(result.text)
        pack = TESSERACT_LANGUAGE.get(language or "")
        if pack is None or pack == result.language:
            return result
        if pack not in installed_languages():
            note = language_pack_missing(language or pack)
            with self._lock:
                if note not in self.notes:
                    log.warning(note)
                    self.notes.append(note)
            return result
        again = recognise(page, pack, cancel, local_threshold)
        if _better(again, result, margin=-5.0):
            return again
        return result


def _better(candidate: OcrResult, current: OcrResult, margin: float = 0.0) -> bool:
    """Whether ``candidate`` reads the page better: more confident words, weighted by how many were found."""

    def weight(result: OcrResult) -> float:
        return result.confidence * min(len(result.words), 1000)

    if not candidate.words:
        return False
    return weight(candidate) > weight(current) + margin * min(len(current.words), 1000)
