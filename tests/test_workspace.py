"""One owner per data folder: the workspace opens each store once and hands the same one to every part."""

from __future__ import annotations

from pathlib import Path

from assistant.workspace import Workspace


def test_each_part_of_a_data_folder_is_opened_once_and_shared(data_dir: Path) -> None:
    workspace = Workspace(data_dir)
    try:
        library = workspace.library()
        assert workspace.library() is library  # "Save to library" and the Library tab: one index
        assert workspace.conversations is workspace.conversations
        transcriber = workspace.transcriber
        assert workspace.transcriber is transcriber  # dictation and transcription share a warm model
        assert transcriber.catalogue is workspace.catalogue and workspace.catalogue.settings is workspace.settings
    finally:
        workspace.close()


def test_a_setting_changed_through_the_workspace_is_what_its_speech_model_reads(data_dir: Path) -> None:
    workspace = Workspace(data_dir)
    try:
        workspace.settings.set("speech.language", "de")
        assert workspace.transcriber.default_language() == "de"
    finally:
        workspace.close()


def test_closing_the_workspace_closes_its_stores_and_a_later_use_opens_them_again(data_dir: Path) -> None:
    workspace = Workspace(data_dir)
    first = workspace.library()
    conversation = workspace.conversations.create("Pump room")
    workspace.close()
    try:
        assert workspace.library() is not first
        assert [c.title for c in workspace.conversations.all()] == [conversation.title]  # kept on disk
    finally:
        workspace.close()
