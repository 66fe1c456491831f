"""Conversations with the library, kept in ``<data>/library/conversations.sqlite3``: listed, renamed,
deleted and exported to Markdown with their sources.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import EdgewiseError
from assistant.library.ask import Citation
from assistant.library.store import now

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    text TEXT NOT NULL,
    citations TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
);
"""
_TITLE_CHARS = 60


class ConversationNotFoundError(EdgewiseError):
    pass


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class ChatMessage:
    role: str  # "user" | "assistant"
    text: str
    citations: tuple[Citation, ...]
    created_at: str


def title_for(question: str) -> str:
    words = " ".join(question.split())
    return words if len(words) <= _TITLE_CHARS else words[: _TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"


class ConversationStore:
    def __init__(self, folder: Path) -> None:
        Path(folder).mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(Path(folder) / "conversations.sqlite3", check_same_thread=False)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def create(self, title: str) -> Conversation:
        stamp = now()
        with self._lock, self._db:
            cursor = self._db.execute(
                "INSERT INTO conversations (title, created_at, updated_at) VALUES (?, ?, ?)",
                (title_for(title) or "New conversation", stamp, stamp),
            )
        return Conversation(int(cursor.lastrowid or 0), title_for(title) or "New conversation", stamp, stamp)

    def all(self) -> list[Conversation]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, title, created_at, updated_at FROM conversations ORDER BY updated_at DESC, id DESC"
            ).fetchall()
        return [Conversation(*row) for row in rows]

    def get(self, conversation_id: int) -> Conversation:
        with self._lock:
            row = self._db.execute(
                "SELECT id, title, created_at, updated_at FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
        if row is None:
            raise ConversationNotFoundError(f"There is no conversation {conversation_id}.")
        return Conversation(*row)

    def rename(self, conversation_id: int, title: str) -> None:
        title = " ".join(title.split())
        if not title:
            raise EdgewiseError("A conversation needs a name.")
        self.get(conversation_id)
        with self._lock, self._db:
            self._db.execute("UPDATE conversations SET title = ? WHERE id = ?", (title, conversation_id))

    def delete(self, conversation_id: int) -> None:
        self.get(conversation_id)
        with self._lock, self._db:
            self._db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    def add_message(self, conversation_id: int, role: str, text: str,
                    citations: Sequence[Citation] = ()) -> None:
        stamp = now()
        payload = json.dumps([_citation_json(c) for c in citations], ensure_ascii=False)
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO messages (conversation_id, role, text, citations, created_at) VALUES (?, ?, ?, ?, ?)",
                (conversation_id, role, text, payload, stamp),
            )
            self._db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (stamp, conversation_id))

    def messages(self, conversation_id: int) -> list[ChatMessage]:
        with self._lock:
            rows = self._db.execute(
                "SELECT role, text, citations, created_at FROM messages WHERE conversation_id = ? ORDER BY id",
                (conversation_id,),
            ).fetchall()
        return [
            ChatMessage(role, text, tuple(Citation(**c) for c in json.loads(citations)), created)
            for role, text, citations, created in rows
        ]

    def export_markdown(self, conversation_id: int) -> str:
        conversation = self.get(conversation_id)
        lines = [f"# {conversation.title}", "", f"_Conversation with the Edgewise library, started "
                 f"{conversation.created_at}. Answers are AI-generated from the cited passages; check them._", ""]
        for message in self.messages(conversation_id):
            if message.role == "user":
                lines += ["## Question", "", message.text, ""]
            else:
                lines += ["### Answer", "", message.text, ""]
                for c in message.citations:
                    quoted = c.text if len(c.text) <= 300 else c.text[:299] + "…"
                    lines.append(f"> [{c.number}] {c.label} ({c.file}): {quoted}")
                if message.citations:
                    lines.append("")
        return "\n".join(lines).rstrip() + "\n"


def _citation_json(citation: Citation) -> dict:
    return {"number": citation.number, "file": citation.file, "name": citation.name, "page": citation.page,
            "page_index": citation.page_index, "start": citation.start, "end": citation.end, "text": citation.text,
            "sentence_start": citation.sentence_start, "sentence_end": citation.sentence_end}
