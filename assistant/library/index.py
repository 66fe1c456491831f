"""``LibraryIndex``: add files and folders to the library, keep it in step with the disk, remove them.

A file is read, split into passages and embedded, then written in one step (see ``LibraryStore``): it is
either fully indexed or, after a crash, found 'indexing', cleaned and indexed again by the next writer.
Unchanged files (same content hash) are skipped; a file that fails to read is recorded as failed with
the reader's message and the others go on.

Every change runs under the library's writer lock (``LibraryWriter``), so any number of windows and
commands can share one library: one writes at a time, the others wait (or are told), readers go on.
Crash recovery runs only under that lock, so it never mistakes a live ingestion for a dead one.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from assistant.documents import READER_VERSION, SUPPORTED_SUFFIXES, read_document
from assistant.documents.ocr_cache import ocr_cache_for
from assistant.errors import DocumentError, EdgewiseError
from assistant.jobs import CancelToken, ProgressCallback, no_progress
from assistant.library.chunks import PASSAGES_VERSION, chunk_document
from assistant.library.crossing import Cognates, DocumentLanguages
from assistant.library.embeddings import Embedder
from assistant.library.search import SearchHit, hybrid_search
from assistant.library.store import FAILED, INDEXED, DocumentRecord, LibraryStore
from assistant.library.writer import LibraryWriter
from assistant.models.bundled import ModelRegistry
from assistant.models.memory import MemoryBudget

log = logging.getLogger(__name__)

#: What a document's record keeps as the version that indexed it: the readers' and the passage cutter's
#: versions only ever grow, so their sum grows with either, and a library indexed before reads the file again.
INDEX_VERSION = READER_VERSION + PASSAGES_VERSION


class LibraryPathError(EdgewiseError):
    pass


@dataclass
class IngestReport:
    """What one add or rescan did, file by file (paths as stored)."""

    indexed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    pages: int = 0
    chunks: int = 0

    def summary(self) -> str:
        parts = [f"{len(self.indexed)} indexed ({self.pages} pages, {self.chunks} passages)"]
        if self.unchanged:
            parts.append(f"{len(self.unchanged)} unchanged")
        if self.removed:
            parts.append(f"{len(self.removed)} removed")
        if self.failed:
            parts.append(f"{len(self.failed)} failed")
        return ", ".join(parts)


def library_folder(data_dir: Path) -> Path:
    return Path(data_dir) / "library"


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES and not path.name.startswith((".", "~$"))


def _together(files: Sequence[Path], unfinished: Sequence[Path]) -> list[Path]:
    """``files`` then the unfinished ones not among them, each once."""
    return list(dict.fromkeys([*files, *unfinished]))


def files_in(folder: Path) -> list[Path]:
    """Readable documents under ``folder`` (recursively), hidden files and folders skipped."""
    found = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative[:-1]):
            continue
        if path.is_file() and _supported(path):
            found.append(path)
    return found


class LibraryIndex:
    """The library in ``<data>/library``. Opening it recovers from an interrupted ingestion when no other
    writer is at work; otherwise the next writer does."""

    def __init__(self, data_dir: Path, *, embedder: Embedder | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.store = LibraryStore(library_folder(self.data_dir))
        self.writer = LibraryWriter(self.store.folder)
        self._embedder = embedder
        #: the language of each document, for questions asked in another (``crossing``)
        self.languages = DocumentLanguages(self.store)
        #: the library's words in other languages that stand for a question's (``crossing``)
        self.cognates = Cognates(self.store, self.languages)
        #: the memory budget the embedding model counts in (a Workspace's), None: none
        self.budget: MemoryBudget | None = None
        if self.writer.try_hold():
            try:
                self._recover()
            finally:
                self.writer.release()
        else:
            log.info("library: another writer is at work; recovery is left to the next writer")

    def _recover(self) -> list[DocumentRecord]:
        """Documents a dead writer left half-indexed, cleaned and queued again (only under the writer lock)."""
        recovered = self.store.recover()
        if recovered:
            log.warning("library: %d file(s) were interrupted while indexing; queued again", len(recovered))
        return recovered

    @contextmanager
    def _writing(self, progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
                 *, wait: bool = True) -> Iterator[list[Path]]:
        """Hold the writer lock; yields the files left unfinished before it (queued by a cancel, or by a
        writer that died, whose half-indexed files are recovered now), which the caller indexes after its
        own: nothing another writer was adding is lost."""
        with self.writer.held(progress=progress, cancel=cancel, wait=wait) as outermost:
            if outermost:
                self._recover()
            yield [Path(record.path) for record in self.store.unfinished()]

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = Embedder.from_registry(ModelRegistry(self.data_dir / "models"))
        if self.budget is not None:
            self.budget.register(self._embedder.process)  # once is enough; again costs nothing
        return self._embedder

    def close(self) -> None:
        self.store.close()

    # -- what is there -------------------------------------------------------------------------
    def documents(self) -> list[DocumentRecord]:
        return self.store.documents()

    def pending(self) -> list[DocumentRecord]:
        """Files queued (or recovered after a crash) and not indexed yet."""
        return self.store.unfinished()

    # -- adding --------------------------------------------------------------------------------
    def add(
        self,
        paths: Iterable[str | Path],
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> IngestReport:
        """Add files and folders (folders are remembered for rescans) and index whatever is new or changed."""
        folders: list[Path] = []
        targets: list[tuple[Path, str | None]] = []
        for raw in paths:
            path = Path(raw).expanduser().resolve()
            if path.is_dir():
                folders.append(path)
                targets.extend((file, str(path)) for file in files_in(path))
            elif path.is_file():
                targets.append((path, None))
            else:
                raise LibraryPathError(f"{raw} does not exist.")
        with self._writing(progress, cancel) as unfinished:
            for folder in folders:
                self.store.add_folder(str(folder))
            for path, folder_name in targets:
                record = self.store.document(str(path))
                if record is None or record.status != INDEXED:
                    self.store.queue(str(path), path.name, folder_name)
            return self._index(_together([path for path, _ in targets], unfinished), progress, cancel)

    def rescan(self, *, progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> IngestReport:
        """Pick up new, changed and deleted files in the added folders, and finish anything queued."""
        with self._writing(progress, cancel) as unfinished:
            report = IngestReport()
            known = {record.path: record for record in self.store.documents()}
            targets: list[Path] = []
            for folder in self.store.folders():
                folder_path = Path(folder)
                if not folder_path.is_dir():
                    continue  # an unplugged drive: keep what we have rather than forget it
                for file in files_in(folder_path):
                    if str(file) not in known:
                        self.store.queue(str(file), file.name, folder)
                    targets.append(file)
            for record in known.values():
                if not Path(record.path).exists() and Path(record.path).parent.is_dir():
                    self.store.remove(record.id)
                    report.removed.append(record.path)
                elif Path(record.path).is_file():
                    targets.append(Path(record.path))
            result = self._index(_together(targets, unfinished), progress, cancel)
            result.removed = report.removed
            return result

    def resume(self, *, progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> IngestReport:
        """Index the files left queued (e.g. by a crash or a cancel)."""
        with self._writing(progress, cancel) as unfinished:
            return self._index(unfinished, progress, cancel)

    def reindex(self, paths: Sequence[str | Path], *, progress: ProgressCallback | None = None,
                cancel: CancelToken | None = None) -> IngestReport:
        """Index the given library files again even if unchanged."""
        with self._writing(progress, cancel):
            records = [self._record(raw) for raw in paths]
            for record in records:
                self.store.queue(record.path, record.name, record.folder)
            return self._index([Path(record.path) for record in records], progress, cancel, force=True)

    def remove(self, paths: Sequence[str | Path], *, progress: ProgressCallback | None = None,
               wait: bool = True) -> list[str]:
        """Remove files (their passages and vectors) or whole added folders from the library. While another
        writer is at work this waits for it, or with ``wait=False`` raises LibraryBusyError at once."""
        removed = []
        with self._writing(progress, wait=wait):
            for raw in paths:
                resolved = str(Path(raw).expanduser().resolve())
                if resolved in self.store.folders():
                    self.store.remove_folder(resolved)
                    for record in self.store.documents():
                        if record.folder == resolved:
                            self.store.remove(record.id)
                            removed.append(record.path)
                    continue
                record = self._record(raw)
                self.store.remove(record.id)
                removed.append(record.path)
        return removed

    def _record(self, raw: str | Path) -> DocumentRecord:
        for candidate in (str(raw), str(Path(raw).expanduser().resolve())):
            record = self.store.document(candidate)
            if record is not None:
                return record
        raise LibraryPathError(f"{raw} is not in the library.")

    # -- the work ------------------------------------------------------------------------------
    def _index(
        self,
        files: Sequence[Path],
        progress: ProgressCallback | None,
        cancel: CancelToken | None,
        *,
        force: bool = False,
    ) -> IngestReport:
        progress = progress or no_progress
        report = IngestReport()
        total = len(files)
        for number, path in enumerate(files, start=1):
            if cancel is not None:
                cancel.raise_if_cancelled()
            label = f"File {number} of {total}: {path.name}"
            progress(number - 1, total, label)
            record = self.store.document(str(path))
            if record is None:
                continue  # removed while we were busy
            self._index_one(path, record, report, label, progress, cancel, force)
        progress(total, total, "Library up to date")
        return report

    def _index_one(self, path: Path, record: DocumentRecord, report: IngestReport, label: str,
                   progress: ProgressCallback, cancel: CancelToken | None, force: bool) -> None:
        key = str(path)
        try:
            stat = path.stat()
            unchanged_stat = record.size == stat.st_size and record.mtime_ns == stat.st_mtime_ns
            # A file indexed by older readers or passage cutting is read again (their fixes reach old libraries).
            settled = not force and record.status in (INDEXED, FAILED) and record.reader >= INDEX_VERSION
            if settled and unchanged_stat:
                report.unchanged.append(key)
                return
            sha256 = _file_sha256(path)
        except OSError as exc:
            self.store.mark_failed(record.id, f"{path.name} cannot be opened: {exc.strerror or exc}.")
            report.failed[key] = exc.strerror or str(exc)
            return
        if settled and record.sha256 == sha256:
            self.store.touch(record.id, stat.st_size, stat.st_mtime_ns)  # same content, new date
            report.unchanged.append(key)
            return
        try:
            document = read_document(
                path, cancel=cancel, ocr_cache=ocr_cache_for(self.data_dir),
                progress=lambda done, total, message: progress(done, total, f"{label} — {message}"),
            )
        except DocumentError as exc:
            self.store.mark_failed(record.id, str(exc), format_=path.suffix.lower().lstrip("."),
                                   size=stat.st_size, mtime_ns=stat.st_mtime_ns, sha256=sha256,
                                   reader=INDEX_VERSION)
            report.failed[key] = str(exc)
            log.info("library: %s not indexed: %s", path.name, type(exc).__name__)
            return
        chunks = chunk_document(document)
        started = time.perf_counter()
        self.store.begin_indexing(record.id)
        try:
            embeddings = self.embedder.encode(
                [chunk.text for chunk in chunks],
                cancel=cancel,
                progress=lambda done, total, _m: progress(done, total, f"{label} — passage {done} of {total}"),
            )
            if cancel is not None:
                cancel.raise_if_cancelled()
            self.store.finish_indexing(
                record.id, name=document.name, format_=document.format, sha256=sha256, size=stat.st_size,
                mtime_ns=stat.st_mtime_ns, pages=document.page_count, chunks=chunks, embeddings=embeddings,
                reader=INDEX_VERSION,
            )
        except BaseException:
            self.store.recover()  # cancelled or failed half-way: clean it and leave it queued
            raise
        log.info("library: indexed %s (%d pages, %d passages) in %.1f s", path.name, len(document.pages),
                 len(chunks), time.perf_counter() - started)
        report.indexed.append(key)
        report.pages += len(document.pages)
        report.chunks += len(chunks)

    # -- searching -----------------------------------------------------------------------------
    def search(self, query: str, k: int = 10, *, mode: str = "hybrid", by_words: int = 0) -> list[SearchHit]:
        return hybrid_search(self.store, self.embedder, query, k, mode=mode, by_words=by_words)
