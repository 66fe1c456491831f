"""`edgewise library/search/ask` on real corpus files: JSON the scripts can rely on, one-line errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from assistant.models.bundled import FAST_LLM

from ..conftest import PROJECT


@pytest.fixture
def library_home(data_dir: Path, corpus: Path, tmp_path: Path, library_embedder, capsys) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "pump.txt").write_text("Replace the seal kit ZQ-7731-K when the pump loses pressure.\n",
                                     encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert main(["library", "add", str(folder), str(corpus / "pdf" / "pdflatex-4-pages.pdf"),
                 "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr()
    assert "2 indexed" in out.out and "1 failed" in out.out
    assert "broken.pdf" in out.err and "corrupt" in out.err
    return data_dir


def test_library_list_json_shows_status_pages_and_failure_reason(library_home: Path, capsys) -> None:
    assert main(["library", "list", "--json", "--data-dir", str(library_home)]) == 0
    listed = {Path(d["file"]).name: d for d in json.loads(capsys.readouterr().out)}
    assert listed["pdflatex-4-pages.pdf"]["pages"] == 4 and listed["pdflatex-4-pages.pdf"]["status"] == "indexed"
    assert listed["pump.txt"]["pages"] is None and listed["pump.txt"]["chunks"] == 1
    assert listed["broken.pdf"]["status"] == "failed" and "corrupt" in listed["broken.pdf"]["error"]


def test_search_json_gives_file_page_score_and_text(library_home: Path, capsys) -> None:
    assert main(["search", "ZQ-7731-K", "--json", "-k", "3", "--data-dir", str(library_home)]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert 1 <= len(hits) <= 3
    assert Path(hits[0]["file"]).name == "pump.txt" and hits[0]["page"] is None
    assert "ZQ-7731-K" in hits[0]["text"] and hits[0]["score"] > 0
    assert main(["search", "Huardest gefburn", "--json", "--data-dir", str(library_home)]) == 0
    pages = {hit["page"] for hit in json.loads(capsys.readouterr().out)}
    assert pages <= {1, 2, 3, 4} and pages


def test_library_remove_then_search_no_longer_finds_the_file(library_home: Path, capsys, tmp_path: Path) -> None:
    assert main(["library", "remove", str(tmp_path / "reports"), "--data-dir", str(library_home)]) == 0
    assert "pump.txt" in capsys.readouterr().out
    assert main(["search", "ZQ-7731-K", "--json", "--data-dir", str(library_home)]) == 0
    assert all(Path(hit["file"]).name != "pump.txt" for hit in json.loads(capsys.readouterr().out))


def test_rescan_picks_up_a_new_file_in_an_added_folder(library_home: Path, capsys, tmp_path: Path) -> None:
    (tmp_path / "reports" / "valve.md").write_text("Valve VX-19 sticks below minus ten degrees.", encoding="utf-8")
    assert main(["library", "rescan", "--data-dir", str(library_home)]) == 0
    assert "1 indexed" in capsys.readouterr().out
    assert main(["search", "VX-19", "--json", "-k", "1", "--data-dir", str(library_home)]) == 0
    assert Path(json.loads(capsys.readouterr().out)[0]["file"]).name == "valve.md"


def test_ask_streams_an_answer_with_sources(library_home: Path, capsys) -> None:
    code = main(["ask", "Which seal kit do I need when the pump loses pressure?", "--model", FAST_LLM,
                 "--context", "2048", "--data-dir", str(library_home)])
    assert code == 0
    out = capsys.readouterr().out
    assert "Sources:" in out and "[1] pump.txt" in out


def test_ask_json_gives_the_answer_its_passages_and_the_figures_they_do_not_back(library_home: Path, capsys) -> None:
    code = main(["ask", "Which seal kit do I need when the pump loses pressure?", "--model", FAST_LLM,
                 "--context", "2048", "--json", "--data-dir", str(library_home)])
    assert code == 0
    captured = capsys.readouterr()
    record = json.loads(captured.out)
    assert record["question"].startswith("Which seal kit") and record["text"] and "Sources:" not in record["text"]
    assert any(c["file"].endswith("pump.txt") and c["cited"] for c in record["citations"])
    assert record["model"].startswith("SmolLM2") and record["created"] and record["notice"]
    passages = "\n\n".join(c["text"] for c in record["citations"])
    for item in record["unsupported"]:
        assert record["text"][item["start"] : item["end"]] == item["text"] and item["text"] not in passages
    assert ("warning:" in captured.err) == bool(record["unsupported"])


def test_ask_flags_an_outcome_its_passages_do_not_back_on_stderr_and_in_json(library_home: Path, capsys,
                                                                             monkeypatch) -> None:
    """The answer's decision words are checked like its figures (a model's sentence cannot be scripted from a real
    model, so the answer is; the command around it is the real one)."""
    from assistant.library import ask

    passage = ask.Citation(1, "minutes.pdf", "minutes.pdf", 2, 1, 0, 60,
                           "The $5,000 proposed for lighting retrofits was rejected.")
    said = f"{ask.ANSWER_LABEL} The lighting retrofit was approved [1]."

    def scripted(library, engine, question, **kwargs):
        return ask.Answer(question, [passage], iter([said]), text=said + ask.sources_block([passage], [1]),
                          cited=[1], kind="model")

    monkeypatch.setattr(ask, "ask_library", scripted)
    assert main(["ask", "Was the lighting retrofit approved?", "--model", FAST_LLM, "--context", "2048", "--json",
                 "--data-dir", str(library_home)]) == 0
    captured = capsys.readouterr()
    [flag] = json.loads(captured.out)["unsupported"]
    assert (flag["kind"], flag["text"], flag["reason"]) == ("outcome", "approved", "the source says rejected")
    assert said[flag["start"] : flag["end"]] == "approved"
    assert "1 outcome not backed by the source: approved (the source says rejected)" in captured.err


def test_questions_read_from_stdin_are_each_a_follow_up_of_the_one_before(library_home: Path, capsys,
                                                                         monkeypatch) -> None:
    """`edgewise ask` without a question reads one a line, as a conversation: a follow-up that names nothing of its
    own ("And how often is it changed?") is searched with the question before it, as in the window."""
    follow_up = "And how often is it changed?"
    monkeypatch.setattr("sys.stdin", io.StringIO(f"Which seal kit do I need when the pump loses pressure?\n\n"
                                                 f"{follow_up}\n"))
    assert main(["ask", "--model", FAST_LLM, "--context", "2048", "--json", "--data-dir", str(library_home)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["question"] for r in records] == ["Which seal kit do I need when the pump loses pressure?", follow_up]
    assert any(c["file"].endswith("pump.txt") for c in records[1]["citations"])
    # Asked alone, the same words do not reach the pump's note.
    assert main(["ask", follow_up, "--model", FAST_LLM, "--context", "2048", "--json",
                 "--data-dir", str(library_home)]) == 0
    alone = json.loads(capsys.readouterr().out)
    assert not any(c["file"].endswith("pump.txt") for c in alone["citations"])


def test_at_a_terminal_questions_are_prompted_for_and_an_empty_line_ends(capsys) -> None:
    from app.commands.ask import _questions

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    typed = Terminal("When was the seal kit ordered?\n\nThis line is never read.\n")
    assert list(_questions(typed)) == ["When was the seal kit ordered?"]
    assert capsys.readouterr().err.count("> ") == 2
    piped = io.StringIO("First?\n\n  Second?  \n")
    assert list(_questions(piped)) == ["First?", "Second?"]  # from a file, blank lines are skipped
    assert capsys.readouterr().err == ""


def test_adding_a_missing_path_is_a_one_line_error(data_dir: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "app", "library", "add", "/no/such/folder", "--data-dir",
                             str(data_dir)], cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip() == "edgewise: error: /no/such/folder does not exist."
