"""Where the library lives on disk: SQLite for documents, passages and the keyword index (FTS5, BM25), and
an embedded chromadb collection for the passage vectors, both under ``<data>/library/``.

SQLite is the source of truth: a vector counts only while its passage row exists in a document marked
'indexed'. Vectors carry their document id, so a document's vectors can always be found and dropped.

Several processes may open one library (one writes at a time: see writer.py). chromadb keeps the vector
index in memory and sees another process's vectors only after its own next write, so the collection is
opened again whenever SQLite says another connection has changed the library since it was opened.
"""

from __future__ import annotations

import sqlite3
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import EdgewiseError
from assistant.text.words import cjk_pairs

if TYPE_CHECKING:
    import numpy as np

    from assistant.library.chunks import TextChunk

INDEXED, INDEXING, QUEUED, FAILED = "indexed", "indexing", "queued", "failed"
_COLLECTION = "passages"
_CHROMA_BATCH = 4000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    path TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    format TEXT NOT NULL DEFAULT '',
    sha256 TEXT,
    size INTEGER,
    mtime_ns INTEGER,
    pages INTEGER,
    chunks INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    error TEXT,
    folder TEXT,
    added_at TEXT NOT NULL,
    indexed_at TEXT,
    reader INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    page INTEGER,
    page_index INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    ocr INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS chunks_by_document ON chunks(document_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_vocab USING fts5vocab(chunks_fts, 'row');
CREATE TABLE IF NOT EXISTS folders (path TEXT PRIMARY KEY, added_at TEXT NOT NULL);
"""


class LibraryStoreError(EdgewiseError):
    pass


def keyword_text(text: str) -> str:
    """A passage as the keyword index holds it: in compatibility form, as a question's words are compared
    (``question.fold``: full-width "２０１８" is "2018", "ﬁ" is "fi"), Chinese and Japanese as pairs of characters
    (``assistant.text.words.cjk_pairs``)."""
    return cjk_pairs(unicodedata.normalize("NFKC", text))


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class DocumentRecord:
    id: int
    path: str
    name: str
    format: str
    sha256: str | None
    size: int | None
    mtime_ns: int | None
    pages: int | None
    chunks: int
    status: str
    error: str | None
    folder: str | None
    added_at: str
    indexed_at: str | None
    reader: int = 0  # the version that indexed it (assistant.library.index.INDEX_VERSION); 0: before versions

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.path, "name": self.name, "type": self.format, "pages": self.pages, "chunks": self.chunks,
            "status": self.status, "error": self.error, "added": self.added_at, "indexed": self.indexed_at,
        }


@dataclass(frozen=True)
class PassageRow:
    chunk_id: int
    document_id: int
    path: str
    name: str
    format: str
    page: int | None
    page_index: int
    start: int
    end: int
    text: str
    ocr: bool  # the passage's page was read by OCR


_DOC_COLUMNS = (
    "id, path, name, format, sha256, size, mtime_ns, pages, chunks, status, error, folder, added_at, indexed_at, reader"
)
_PASSAGE_SELECT = (
    'SELECT c.id, c.document_id, d.path, d.name, d.format, c.page, c.page_index, c.start, c."end", c.text, c.ocr '
    "FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.status = 'indexed'"
)


class LibraryStore:
    """Thread-safe (one lock) access to the library's SQLite database and vector collection."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        try:
            # A generous busy timeout: another process's commit of a large document can take a few seconds.
            self._db = sqlite3.connect(self.folder / "library.sqlite3", check_same_thread=False, isolation_level=None,
                                       timeout=60)
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.executescript(_SCHEMA)
            # Libraries made before OCR existed lack the column that marks passages read by OCR.
            if "ocr" not in {row[1] for row in self._db.execute("PRAGMA table_info(chunks)")}:
                self._db.execute("ALTER TABLE chunks ADD COLUMN ocr INTEGER NOT NULL DEFAULT 0")
            # Libraries made before the readers had a version: every document counts as read by version 0.
            if "reader" not in {row[1] for row in self._db.execute("PRAGMA table_info(documents)")}:
                self._db.execute("ALTER TABLE documents ADD COLUMN reader INTEGER NOT NULL DEFAULT 0")
        except sqlite3.DatabaseError as exc:
            raise LibraryStoreError(f"The library database in {self.folder} cannot be opened: {exc}") from exc
        self._collection: Any = None
        self._collection_version: int | None = None

    # -- plumbing ------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _data_version(self) -> int:
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def vectors(self) -> Any:
        """The chromadb collection, opened on first need (chromadb costs ~2 s to import), and again once
        another connection (another process) has changed the library."""
        with self._lock:
            version = self._data_version()
            if self._collection is not None and version != self._collection_version:
                from chromadb.api.client import SharedSystemClient

                SharedSystemClient.clear_system_cache()  # else PersistentClient hands back the stale index
                self._collection = None
            if self._collection is None:
                import chromadb
                from chromadb.config import Settings

                self._collection_version = version
                client = chromadb.PersistentClient(
                    path=str(self.folder / "vectors"),
                    settings=Settings(anonymized_telemetry=False, allow_reset=False),
                )
                # embedding_function=None: we always pass our own vectors; chromadb's default would download.
                self._collection = client.get_or_create_collection(
                    _COLLECTION, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
                )
            return self._collection

    def close(self) -> None:
        with self._lock:
            self._db.close()
            self._collection = None

    # -- documents -----------------------------------------------------------------------------
    def documents(self) -> list[DocumentRecord]:
        return [DocumentRecord(*row) for row in self.query(f"SELECT {_DOC_COLUMNS} FROM documents ORDER BY name, path")]

    def document(self, path: str) -> DocumentRecord | None:
        rows = self.query(f"SELECT {_DOC_COLUMNS} FROM documents WHERE path = ?", (path,))
        return DocumentRecord(*rows[0]) if rows else None

    def queue(self, path: str, name: str, folder: str | None) -> None:
        """Record a file to index (status 'queued'), or re-queue a known one keeping its date added."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO documents (path, name, status, folder, added_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(path) DO UPDATE SET status = excluded.status, error = NULL, "
                "folder = COALESCE(documents.folder, excluded.folder)",
                (path, name, QUEUED, folder, now()),
            )

    def begin_indexing(self, doc_id: int) -> None:
        """Mark a document 'indexing' and drop its old passages and vectors: from here until
        ``finish_indexing`` commits, a crash leaves it for ``recover`` to clean and queue again."""
        with self.transaction() as db:
            db.execute("UPDATE documents SET status = ? WHERE id = ?", (INDEXING, doc_id))
            self._drop_passages(db, doc_id)
        self.vectors().delete(where={"document_id": doc_id})

    def finish_indexing(
        self,
        doc_id: int,
        *,
        name: str,
        format_: str,
        sha256: str,
        size: int,
        mtime_ns: int,
        pages: int | None,
        chunks: Sequence[TextChunk],
        embeddings: np.ndarray,
        reader: int = 0,
    ) -> None:
        """Write the passages, the keyword index and the vectors, then mark 'indexed' (read by the readers'
        version ``reader``): one SQLite transaction, so the passages appear together with the status or not at all."""
        with self.transaction() as db:
            ids = []
            for chunk in chunks:
                cursor = db.execute(
                    'INSERT INTO chunks (document_id, ordinal, page, page_index, start, "end", text, ocr) '
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (doc_id, chunk.ordinal, chunk.page, chunk.page_index, chunk.start, chunk.end, chunk.text,
                     int(chunk.ocr)),
                )
                ids.append(cursor.lastrowid)
            db.executemany(
                "INSERT INTO chunks_fts (rowid, text) VALUES (?, ?)",
                [(i, keyword_text(c.text)) for i, c in zip(ids, chunks, strict=True)],
            )
            collection = self.vectors()
            for start in range(0, len(ids), _CHROMA_BATCH):
                batch = ids[start : start + _CHROMA_BATCH]
                collection.upsert(
                    ids=[str(i) for i in batch],
                    embeddings=embeddings[start : start + len(batch)],
                    metadatas=[{"document_id": doc_id} for _ in batch],
                )
            db.execute(
                "UPDATE documents SET name = ?, format = ?, sha256 = ?, size = ?, mtime_ns = ?, pages = ?, "
                "chunks = ?, status = ?, error = NULL, indexed_at = ?, reader = ? WHERE id = ?",
                (name, format_, sha256, size, mtime_ns, pages, len(ids), INDEXED, now(), reader, doc_id),
            )

    def mark_failed(self, doc_id: int, reason: str, *, format_: str = "", size: int | None = None,
                    mtime_ns: int | None = None, sha256: str | None = None, reader: int = 0) -> None:
        with self.transaction() as db:
            self._drop_passages(db, doc_id)
            db.execute(
                "UPDATE documents SET status = ?, error = ?, format = ?, size = ?, mtime_ns = ?, sha256 = ?, "
                "chunks = 0, pages = NULL, indexed_at = ?, reader = ? WHERE id = ?",
                (FAILED, reason, format_, size, mtime_ns, sha256, now(), reader, doc_id),
            )

    def touch(self, doc_id: int, size: int, mtime_ns: int) -> None:
        """Remember a new size/mtime for a file whose content did not change."""
        with self.transaction() as db:
            db.execute("UPDATE documents SET size = ?, mtime_ns = ? WHERE id = ?", (size, mtime_ns, doc_id))

    def remove(self, doc_id: int) -> None:
        with self.transaction() as db:
            self._drop_passages(db, doc_id)
            db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        self.vectors().delete(where={"document_id": doc_id})

    def _drop_passages(self, db: sqlite3.Connection, doc_id: int) -> None:
        db.execute("DELETE FROM chunks_fts WHERE rowid IN (SELECT id FROM chunks WHERE document_id = ?)", (doc_id,))
        db.execute("DELETE FROM chunks WHERE document_id = ?", (doc_id,))

    def unfinished(self) -> list[DocumentRecord]:
        rows = self.query(f"SELECT {_DOC_COLUMNS} FROM documents WHERE status IN (?, ?)", (INDEXING, QUEUED))
        return [DocumentRecord(*row) for row in rows]

    def recover(self) -> list[DocumentRecord]:
        """After a crash: documents caught 'indexing' lose their partial passages and vectors and are
        queued again. Returns them. Only a holder of the writer lock may call this: another process's
        live ingestion looks just the same."""
        caught = [DocumentRecord(*row) for row in self.query(
            f"SELECT {_DOC_COLUMNS} FROM documents WHERE status = ?", (INDEXING,))]
        for record in caught:
            with self.transaction() as db:
                self._drop_passages(db, record.id)
                db.execute("UPDATE documents SET status = ?, chunks = 0 WHERE id = ?", (QUEUED, record.id))
            self.vectors().delete(where={"document_id": record.id})
        return caught

    # -- folders -------------------------------------------------------------------------------
    def add_folder(self, path: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR IGNORE INTO folders (path, added_at) VALUES (?, ?)", (path, now()))

    def folders(self) -> list[str]:
        return [row[0] for row in self.query("SELECT path FROM folders ORDER BY path")]

    def remove_folder(self, path: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM folders WHERE path = ?", (path,))

    # -- passages ------------------------------------------------------------------------------
    def passages(self, chunk_ids: Sequence[int]) -> dict[int, PassageRow]:
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        rows = self.query(f"{_PASSAGE_SELECT} AND c.id IN ({marks})", list(chunk_ids))
        return {row[0]: PassageRow(*row) for row in rows}

    def keyword_search(self, match: str, limit: int) -> list[int]:
        """Chunk ids matching an FTS5 expression, best BM25 first (only indexed documents)."""
        try:
            rows = self.query(
                "SELECT f.rowid FROM chunks_fts f JOIN chunks c ON c.id = f.rowid "
                "JOIN documents d ON d.id = c.document_id "
                "WHERE chunks_fts MATCH ? AND d.status = 'indexed' ORDER BY bm25(chunks_fts) LIMIT ?",
                (match, limit),
            )
        except sqlite3.OperationalError:  # an expression FTS5 cannot parse finds nothing
            return []
        return [row[0] for row in rows]

    def passage_counts(self, tokens: Sequence[str]) -> dict[str, int]:
        """How many passages contain each (lower-case) token: a cheap look-up in the FTS5 vocabulary."""
        if not tokens:
            return {}
        marks = ",".join("?" * len(tokens))
        rows = self.query(f"SELECT term, doc FROM chunks_vocab WHERE term IN ({marks})", list(tokens))
        counts = dict.fromkeys(tokens, 0)
        counts.update({term: int(doc) for term, doc in rows})
        return counts

    def phrase_count(self, phrase: str) -> int:
        """How many passages hold ``phrase`` (its words in a row, as the keyword index splits them): for a word
        with marks inside ("8311-D-12", "first-line"), which the index holds only as its pieces."""
        try:
            (count,), = self.query("SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH ?",
                                   ('"' + phrase.replace('"', "") + '"',))
        except sqlite3.OperationalError:  # a phrase FTS5 cannot parse: held by none
            return 0
        return int(count)

    def prefix_counts(self, prefixes: Sequence[str]) -> dict[str, int]:
        """For each (folded) prefix, about how many passages hold a word that starts with it: the sum over the
        vocabulary's words with that prefix (a passage holding two of them counts twice), capped at all."""
        total = self.passage_total()
        counts: dict[str, int] = {}
        for prefix in dict.fromkeys(prefixes):
            (found,), = self.query("SELECT COALESCE(SUM(doc), 0) FROM chunks_vocab WHERE term >= ? AND term < ?",
                                   (prefix, prefix + "\U0010ffff"))
            counts[prefix] = min(int(found), total)
        return counts

    def passage_total(self) -> int:
        (count,), = self.query("SELECT COUNT(*) FROM chunks")
        return int(count)

    def vocabulary(self) -> list[tuple[str, int]]:
        """Every word of the keyword index (folded, as it holds them) with how many passages hold it."""
        return [(term, int(doc)) for term, doc in self.query("SELECT term, doc FROM chunks_vocab")]

    def documents_holding(self, word: str) -> set[int]:
        """The ids of the indexed documents with a passage that holds ``word`` (a word of the vocabulary)."""
        try:
            rows = self.query(
                "SELECT DISTINCT c.document_id FROM chunks_fts f JOIN chunks c ON c.id = f.rowid "
                "JOIN documents d ON d.id = c.document_id WHERE chunks_fts MATCH ? AND d.status = 'indexed'",
                ('"' + word.replace('"', "") + '"',))
        except sqlite3.OperationalError:  # a word FTS5 cannot parse is held by none
            return set()
        return {row[0] for row in rows}

    def vector_search(self, embedding: np.ndarray, limit: int) -> list[tuple[int, float]]:
        """(chunk id, cosine similarity), nearest first."""
        collection = self.vectors()
        if collection.count() == 0:
            return []
        found = collection.query(query_embeddings=[embedding], n_results=limit, include=["distances"])
        return [(int(i), 1.0 - float(d)) for i, d in zip(found["ids"][0], found["distances"][0], strict=True)]

    def embeddings_of(self, chunk_ids: Sequence[int]) -> dict[int, Any]:
        if not chunk_ids:
            return {}
        got = self.vectors().get(ids=[str(i) for i in chunk_ids], include=["embeddings"])
        return {int(i): e for i, e in zip(got["ids"], got["embeddings"], strict=True)}

    def stats(self) -> dict[str, int]:
        (documents, chunks), = self.query("SELECT COUNT(*), COALESCE(SUM(chunks), 0) FROM documents")
        return {"documents": documents, "chunks": chunks, "vectors": self.vectors().count()}

