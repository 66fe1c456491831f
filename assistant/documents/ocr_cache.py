"""Pages read by OCR, kept by the file's content hash: reading the same file again (a library re-index, a
second summary) takes the text from here instead of running OCR again."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path

from assistant.documents.model import Page

log = logging.getLogger(__name__)
_FORMAT = 1


class OcrCache:
    """One JSON file per document in ``folder``, named by the document's sha256."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _file(self, sha256: str) -> Path:
        return self.folder / f"{sha256}.json"

    def get(self, sha256: str) -> dict[int, Page]:
        """The document's OCR'd pages by page number; empty when none are kept (or the file is damaged)."""
        try:
            record = json.loads(self._file(sha256).read_text(encoding="utf-8"))
            if record.get("format") != _FORMAT:
                return {}
            return {
                int(item["number"]): Page(
                    int(item["number"]), str(item["text"]), unit=str(item.get("unit", "page")),
                    ocr_engine=str(item["engine"]), ocr_confidence=float(item["confidence"]),
                    doubtful_words=tuple(item.get("doubtful_words", ())),
                )
                for item in record["pages"]
            }
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.warning("OCR cache for %s is unreadable (%r); the pages will be read again", sha256[:12], error)
            return {}

    def put(self, sha256: str, pages: Iterable[Page]) -> None:
        kept = [
            {"number": page.number, "text": page.text, "unit": page.unit, "engine": page.ocr_engine,
             "confidence": page.ocr_confidence, "doubtful_words": list(page.doubtful_words)}
            for page in pages
            if page.read_by_ocr and page.number is not None
        ]
        if not kept:
            return
        target = self._file(sha256)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(".json.partial")
            partial.write_text(json.dumps({"format": _FORMAT, "pages": kept}, ensure_ascii=False), encoding="utf-8")
            os.replace(partial, target)
        except OSError as error:  # a cache that cannot be written only costs time later
            log.warning("OCR cache for %s could not be written: %r", sha256[:12], error)


def ocr_cache_for(data_dir: Path) -> OcrCache:
    """The one OCR cache of a data folder, shared by the library, the window and the command line."""
    return OcrCache(Path(data_dir) / "ocr")
