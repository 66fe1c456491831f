"""The on-device library on real corpus files and the real all-MiniLM-L6-v2: passages keep their place,
hybrid search finds pages and exact codes, the library survives restarts, crashes and bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import psutil
import pytest

from assistant.documents import Document, Page, read_document
from assistant.jobs import Cancelled, CancelToken
from assistant.library.chunks import CHUNK_CHARS, chunk_document
from assistant.library.index import INDEX_VERSION, LibraryIndex, LibraryPathError
from assistant.library.store import FAILED, INDEXED, QUEUED
from tests.conftest import REAL

# Phrases from two pages of the GeoTopo thesis (PDF page numbers, 1-based).
GEOTOPO_PHRASES = {
    41: "Ein zusammenhängender Graph heißt Baum, wenn er keinen Kreis enthält",
    23: "Spirale mit Kreis",
}


def _normalised(text: str) -> str:
    return " ".join(text.split())


def _consistent(index: LibraryIndex) -> dict[str, str]:
    """Assert that every document is fully present or fully absent; return path -> status."""
    store = index.store
    statuses = {}
    for record in index.documents():
        rows = store.query("SELECT COUNT(*) FROM chunks WHERE document_id = ?", (record.id,))[0][0]
        fts = store.query(
            "SELECT COUNT(*) FROM chunks_fts WHERE rowid IN (SELECT id FROM chunks WHERE document_id = ?)",
            (record.id,),
        )[0][0]
        vectors = len(store.vectors().get(where={"document_id": record.id}, include=[])["ids"])
        assert record.status != "indexing", record
        if record.status == INDEXED:
            assert rows == fts == vectors == record.chunks > 0, (record, rows, fts, vectors)
        else:
            assert rows == fts == vectors == 0, (record, rows, fts, vectors)
        statuses[Path(record.path).name] = record.status
    return statuses


# -- chunks ---------------------------------------------------------------------------------------------
def test_passages_keep_page_and_character_offsets_and_overlap(corpus: Path) -> None:
    document = read_document(corpus / "pdf" / "pdflatex-4-pages.pdf")
    chunks = chunk_document(document)
    assert {c.page for c in chunks} == {1, 2, 3, 4}
    for chunk in chunks:
        page_text = document.pages[chunk.page_index].text
        assert chunk.page == document.pages[chunk.page_index].number
        assert _normalised(page_text[chunk.start : chunk.end]) == _normalised(chunk.text)
        assert "  " not in chunk.text and "\n\n\n" not in chunk.text
        assert 0 < len(chunk.text) <= CHUNK_CHARS
    for before, after in zip(chunks, chunks[1:], strict=False):
        if before.page == after.page:
            assert after.start < before.end, "consecutive passages of a page should overlap"
            assert after.start > before.start


def test_passages_leave_out_a_letterhead_that_every_page_repeats(corpus: Path) -> None:
    """Two-page minutes under a five-line letterhead: on the page's first passage it outranked the page's own
    words and was quoted as the answer ("Lincoln Square Special Service Area #21 Commission Meeting Minutes")."""
    document = read_document(REAL / "SSA21_MeetingMinutes_1.29.18.pdf")
    chunks = chunk_document(document)
    assert {c.page for c in chunks} == {1, 2}
    for line in ("Commission Meeting Minutes", "Lincoln Square Ravenswood Chamber of Commerce", "2611 W. Lawrence"):
        assert all(line not in chunk.text for chunk in chunks), line
        assert all(line in page.text for page in document.pages)  # the pages keep it: only passages drop it
    for chunk in chunks:  # offsets still index the page: the viewer shows the passage where it is
        assert _normalised(document.pages[chunk.page_index].text[chunk.start : chunk.end]) == _normalised(chunk.text)
    assert any("Minutes from Monday, January 29, 2018" in chunk.text for chunk in chunks)
    # A page of bullets without a full stop is cut at its lines, not mid-line: each bullet is whole somewhere.
    assert any("the SSA spent $210,783 of its $246,394 budget" in " ".join(c.text.split()) for c in chunks)


def test_rows_that_two_sheets_both_start_with_are_data_not_a_running_header() -> None:
    """The K-State worksheet's "Sell" and "Buy" sheets start with the same input rows (purchase date, average daily
    gain): taken for a running header, they were left out of both sheets' passages, and "What daily weight gain is
    assumed?" found nothing."""
    document = read_document(REAL / "stress024.xlsx")
    chunks = chunk_document(document)
    for page in (2, 3):
        assert any("| Average Daily Gain (pay-to-pay) | 2.15 |" in c.text for c in chunks if c.page == page), page


def test_a_running_title_that_dates_the_document_is_kept_once_on_its_first_page() -> None:
    """A two-page agenda repeats its title on both pages: which meeting, which day. Without it no passage said
    so, and "At what time does the board start its regular meeting on 26 September 2019?" found nothing."""
    document = read_document(REAL / "cuya_community_college_agenda.pdf")
    chunks = chunk_document(document)
    assert all("Thursday, September 26, 2019" in page.text for page in document.pages)
    holding = [chunk for chunk in chunks if "Thursday, September 26, 2019" in chunk.text]
    assert [chunk.page for chunk in holding] == [1]
    assert "Regular Meeting of the Board of Trustees" in holding[0].text and "1:30 p.m." in holding[0].text
    assert not any("Page 1 of 2" in chunk.text or "Page 2 of 2" in chunk.text for chunk in chunks)
    # The same title without a date is a letterhead, and no passage keeps it.
    pages = tuple(Page(n, f"NOTICE OF CONTRACT\nCity of Reino\nItem {n} of the contract.") for n in (1, 2))
    texts = [chunk.text for chunk in chunk_document(Document(None, "notice", "txt", pages, None, ""))]
    assert texts == ["Item 1 of the contract.", "Item 2 of the contract."]
    dated = tuple(Page(n, f"NOTICE OF CONTRACT, 3 May 2024\nCity of Reino\nItem {n} of the contract.") for n in (1, 2))
    texts = [chunk.text for chunk in chunk_document(Document(None, "notice", "txt", dated, None, ""))]
    assert texts == ["NOTICE OF CONTRACT, 3 May 2024\nCity of Reino\nItem 1 of the contract.",
                     "Item 2 of the contract."]


def test_page_numbers_leave_passages_but_a_number_that_does_not_run_with_the_pages_stays() -> None:
    pages = (
        Page(1, "NOTICE OF CONTRACT\nThe council awarded tender 1295 to Reino.\n1295\nPage 1 of 2"),
        Page(2, "NOTICE OF CONTRACT\nThe contract runs for 15 weeks.\nPage 2 of 2"),
    )
    document = Document(None, "notice", "txt", pages, None, "")
    texts = [chunk.text for chunk in chunk_document(document)]
    assert texts == ["The council awarded tender 1295 to Reino.\n1295", "The contract runs for 15 weeks."]
    # One page: nothing repeats, and the bare number at its foot is the tender's, not a page number.
    alone = Document(None, "notice", "txt", pages[:1], None, "")
    assert [chunk.text for chunk in chunk_document(alone)] == [
        "NOTICE OF CONTRACT\nThe council awarded tender 1295 to Reino.\n1295"]


def test_a_text_file_gives_passages_without_page_numbers(corpus: Path) -> None:
    chunks = chunk_document(read_document(corpus / "text" / "sample-spanish.txt"))
    assert chunks and all(c.page is None for c in chunks)


# -- a library with the GeoTopo thesis, a two-column PDF and two files that cannot be read -------------
@pytest.fixture(scope="module")
def library_dir(tmp_path_factory: pytest.TempPathFactory, corpus: Path, library_embedder) -> Path:
    data = tmp_path_factory.mktemp("library-data")
    index = LibraryIndex(data, embedder=library_embedder)
    report = index.add([
        corpus / "pdf" / "GeoTopo-komprimiert.pdf",
        corpus / "scanned" / "invalid.pdf",
        corpus / "pdf" / "libreoffice-writer-password.pdf",
        corpus / "pdf" / "multicolumn.pdf",
    ])
    assert len(report.indexed) == 2, report
    index.close()
    return data


@pytest.fixture
def library(library_dir: Path, library_embedder):
    index = LibraryIndex(library_dir, embedder=library_embedder)
    yield index
    index.close()


@pytest.mark.parametrize("page", sorted(GEOTOPO_PHRASES))
def test_search_finds_the_page_a_phrase_is_on(library: LibraryIndex, page: int) -> None:
    hits = library.search(GEOTOPO_PHRASES[page], k=3)
    assert hits[0].name == "GeoTopo-komprimiert.pdf"
    assert hits[0].page == page, [(h.page, h.text[:60]) for h in hits]


def test_files_that_fail_are_listed_failed_with_reason_and_others_indexed(library: LibraryIndex) -> None:
    records = {Path(r.path).name: r for r in library.documents()}
    assert records["invalid.pdf"].status == FAILED
    assert "corrupt or damaged" in records["invalid.pdf"].error
    assert records["libreoffice-writer-password.pdf"].status == FAILED
    assert "password" in records["libreoffice-writer-password.pdf"].error
    geotopo = records["GeoTopo-komprimiert.pdf"]
    assert geotopo.status == INDEXED and geotopo.pages == 117 and geotopo.chunks > 100
    _consistent(library)


def test_library_survives_a_restart(library_dir: Path, library_embedder) -> None:
    # A fresh object on the same folder, as after quitting and starting the app again.
    reopened = LibraryIndex(library_dir, embedder=library_embedder)
    try:
        assert {Path(r.path).name for r in reopened.documents() if r.status == INDEXED} == {
            "GeoTopo-komprimiert.pdf", "multicolumn.pdf"}
        hits = reopened.search("capital of Belgium population", k=3)
        assert any(h.name == "multicolumn.pdf" and h.page == 3 for h in hits)
        assert reopened.store.stats()["vectors"] == reopened.store.stats()["chunks"]
    finally:
        reopened.close()


def test_readding_an_unchanged_file_does_nothing(library: LibraryIndex, corpus: Path) -> None:
    before = {r.path: r.indexed_at for r in library.documents()}
    report = library.add([corpus / "pdf" / "multicolumn.pdf"])
    assert report.indexed == [] and len(report.unchanged) == 1
    assert {r.path: r.indexed_at for r in library.documents()} == before


# -- exact strings -----------------------------------------------------------------------------------------
def _write_pump_notes(folder: Path) -> None:
    """Twelve seal-kit sheets with look-alike part numbers (one is ZQ-7731-C) and a logbook that names the
    spare ZQ-7731-K once, in passing."""
    folder.mkdir()
    codes = ["HX-2204-A", "PL-5510-C", "RT-0917-B", "MV-3342-D", "KS-8120-E", "TB-4478-F", "GW-6603-H",
             "NC-1150-J", "ZQ-7731-C", "DF-9086-L", "YB-2719-M", "SE-5058-N"]
    for number, code in enumerate(codes):
        (folder / f"note-{number:02d}.txt").write_text(
            f"Seal kit {code} for the hydraulic pump: order {code} when the pump loses pressure. "
            f"Kit {code} fits pumps from 2019 on.\n",
            encoding="utf-8",
        )
    (folder / "logbook.txt").write_text(
        "Logbook, 14 March. Crew arrived at the northern station at nine. The weather was calm and the "
        "generator started first time. We cleaned the solar panels, checked the batteries and refilled the "
        "water tank. Before leaving we stored the spare ZQ-7731-K in the blue crate in the shed.\n",
        encoding="utf-8",
    )


def test_an_exact_part_number_is_found_by_keyword_where_embeddings_miss_it(data_dir: Path, tmp_path: Path,
                                                                            library_embedder) -> None:
    _write_pump_notes(tmp_path / "notes")
    index = LibraryIndex(data_dir, embedder=library_embedder)
    try:
        index.add([tmp_path / "notes"])
        by_vector = index.search("ZQ-7731-K", k=3, mode="vector")
        assert Path(by_vector[0].file).name == "note-08.txt", "the embedding alone takes the look-alike code"
        hits = index.search("ZQ-7731-K", k=3)
        assert Path(hits[0].file).name == "logbook.txt"
        assert hits[0].keyword and "ZQ-7731-K" in hits[0].text
    finally:
        index.close()


def test_a_natural_question_reaches_by_keyword_a_passage_that_holds_its_words_in_other_forms(
        data_dir: Path, tmp_path: Path, library_embedder) -> None:
    _write_pump_notes(tmp_path / "notes")
    index = LibraryIndex(data_dir, embedder=library_embedder)
    try:
        index.add([tmp_path / "notes"])
        # "which", "does", "need" are the question's frame; "stored" answers "store" by its stem.
        hits = index.search("Which crate does the crew need to store the spare in?", k=3, mode="keyword")
        assert hits and Path(hits[0].file).name == "logbook.txt"
        assert hits[0].keyword, "every content word of the question is in the logbook passage"
    finally:
        index.close()


def test_a_japanese_question_reaches_by_keyword_the_passage_that_holds_its_words(
        data_dir: Path, tmp_path: Path, library_embedder) -> None:
    """Japanese runs on without spaces: the keyword index held each run as one word, and no question's word
    matched it. Read as pairs of characters, and in compatibility form ("ＦＦＪ" is "FFJ", "２０２１" is "2021"),
    the call for proposals' passage on its contract period is found by the words of a question about it."""
    _write_pump_notes(tmp_path / "notes")
    shutil.copy(REAL / "stress019.docx", tmp_path / "notes" / "stress019.docx")
    index = LibraryIndex(data_dir, embedder=library_embedder)
    try:
        index.add([tmp_path / "notes"])
        hits = index.search("業務委託の履行期間はいつまでですか？", k=3, mode="keyword")
        assert hits and Path(hits[0].file).name == "stress019.docx" and "履行期間" in hits[0].text
        hits = index.search("FFJ 2021", k=3, mode="keyword")
        assert hits and Path(hits[0].file).name == "stress019.docx" and hits[0].keyword
        assert "ＦＦＪ" in hits[0].text or "２０２１" in hits[0].text  # passages keep the document's own characters
    finally:
        index.close()


# -- keeping in step with the disk -----------------------------------------------------------------------
def test_rescan_reindexes_changed_files_adds_new_ones_and_drops_deleted_ones(data_dir: Path, tmp_path: Path,
                                                                              library_embedder) -> None:
    _write_pump_notes(tmp_path / "notes")
    index = LibraryIndex(data_dir, embedder=library_embedder)
    try:
        index.add([tmp_path / "notes"])
        assert len(index.documents()) == 13
        (tmp_path / "notes" / "note-01.txt").write_text("The generator GEN-77 needs new brushes.", encoding="utf-8")
        (tmp_path / "notes" / "note-02.txt").unlink()
        (tmp_path / "notes" / "extra.md").write_text("# Valve\nValve VX-19 sticks when cold.", encoding="utf-8")
        report = index.rescan()
        assert sorted(Path(p).name for p in report.indexed) == ["extra.md", "note-01.txt"]
        assert [Path(p).name for p in report.removed] == ["note-02.txt"]
        assert len(report.unchanged) == 11
        assert Path(index.search("GEN-77 brushes", k=1)[0].file).name == "note-01.txt"
        assert not any(Path(h.file).name == "note-02.txt" for h in index.search("PL-5510-C seal kit", k=12))
        _consistent(index)
    finally:
        index.close()


def test_files_read_by_an_older_reader_are_read_again_at_the_next_scan(data_dir: Path, tmp_path: Path,
                                                                      library_embedder) -> None:
    """A library made before a reader fix (a PDF form's fields, a Word form's content controls) would keep the
    old text of unchanged files for ever: each document records the readers' version that read it."""
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "valve.txt").write_text("Valve VX-19 sticks when cold.", encoding="utf-8")
    (tmp_path / "notes" / "empty.txt").write_text("   ", encoding="utf-8")
    index = LibraryIndex(data_dir, embedder=library_embedder)
    try:
        index.add([tmp_path / "notes"])
        assert {Path(r.path).name: (r.status, r.reader) for r in index.documents()} == {
            "valve.txt": (INDEXED, INDEX_VERSION), "empty.txt": (FAILED, INDEX_VERSION)}
        assert index.rescan().indexed == []
        with index.store.transaction() as db:  # as a library indexed by the readers of an earlier release
            db.execute("UPDATE documents SET reader = ?", (INDEX_VERSION - 1,))
        report = index.rescan()
        assert [Path(p).name for p in report.indexed] == ["valve.txt"] and list(report.failed) == [
            str(tmp_path / "notes" / "empty.txt")]
        assert {r.reader for r in index.documents()} == {INDEX_VERSION}
        assert index.rescan().indexed == [] and len(index.rescan().unchanged) == 2
        _consistent(index)
    finally:
        index.close()


def test_remove_drops_a_files_passages_and_vectors(data_dir: Path, corpus: Path, library_embedder) -> None:
    index = LibraryIndex(data_dir, embedder=library_embedder)
    try:
        index.add([corpus / "pdf" / "multicolumn.pdf", corpus / "text" / "sample-english.bom.txt"])
        index.remove([corpus / "pdf" / "multicolumn.pdf"])
        assert [Path(r.path).name for r in index.documents()] == ["sample-english.bom.txt"]
        assert index.store.stats()["vectors"] == index.store.stats()["chunks"] > 0
        with pytest.raises(LibraryPathError, match="not in the library"):
            index.remove([corpus / "pdf" / "multicolumn.pdf"])
    finally:
        index.close()


# -- nothing lost ----------------------------------------------------------------------------------------
def test_cancel_during_ingestion_leaves_the_file_queued_and_resume_finishes_it(
        data_dir: Path, corpus: Path, library_embedder) -> None:
    index = LibraryIndex(data_dir, embedder=library_embedder)
    token = CancelToken()

    def progress(done: int, total: int, message: str) -> None:
        if "passage" in message:
            token.cancel()

    try:
        with pytest.raises(Cancelled):
            index.add([corpus / "html" / "heise" / "source.html"], progress=progress, cancel=token)
        assert _consistent(index) == {"source.html": QUEUED}
        index.resume()
        assert _consistent(index) == {"source.html": INDEXED}
    finally:
        index.close()


def test_an_embedding_model_load_cancelled_before_it_starts_does_not_load(tmp_path: Path) -> None:
    from assistant.jobs import Cancelled, CancelToken
    from assistant.library.embeddings import Embedder

    embedder = Embedder(tmp_path / "no-model-here")  # loading it would fail: the cancel must come first
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        embedder.load(cancel=token)
    assert not embedder.is_loaded


def test_an_idle_embedder_process_ends_and_the_next_search_starts_it_again(library: LibraryIndex) -> None:
    import time

    process = library.embedder.process
    said: list[str] = []
    library.embedder.load(progress=lambda done, total, message: said.append(message))
    before = library.search(GEOTOPO_PHRASES[41], k=1, mode="vector")[0]
    pid = process.pid
    assert pid is not None and psutil.pid_exists(pid)
    assert not process.unload_if_idle(time.monotonic(), 600)  # used a moment ago
    assert process.unload_if_idle(time.monotonic() + 601, 600)
    assert not process.is_loaded and not psutil.pid_exists(pid)  # its memory went with the process
    library.embedder.load(progress=lambda done, total, message: said.append(message))
    assert said == ["Loading the embedding model …"]  # said again on the reload, not while it was running
    after = library.search(GEOTOPO_PHRASES[41], k=1, mode="vector")[0]
    assert (after.file, after.page, after.text) == (before.file, before.page, before.text)
    assert process.is_loaded and process.pid != pid
