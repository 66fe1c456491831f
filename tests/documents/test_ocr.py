"""OCR on the corpus scans and on images made from them: error rates, accents, rotation, EXIF, TIFF pages,
progress per page, cancel, the cache by content hash, and what is said when the engine or a pack is missing.

Tests that run Tesseract load its language models: they are marked ``models`` (CPU-heavy, a page or two
each). CER thresholds come from benchmarks/ocr.py (Tesseract 5.3, 300 dpi): linn 0.9 %, skew 0.85 % after
straightening (4.4 % without), francais 0.3-0.6 % with the French pack.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from assistant.documents import ocr as ocr_module
from assistant.documents import read_document
from assistant.documents.ocr_cache import OcrCache
from assistant.errors import NoTextLayerError
from assistant.jobs import Cancelled, CancelToken

from ..conftest import TEST_DATA

CORPUS_SCANNED = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "scanned"
FRENCH = (Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "ocr" / "francais.txt").read_text("utf-8")
_PLAIN = str.maketrans({"\u2014": "-", "\u2013": "-", "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})

needs_tesseract = pytest.mark.skipif(
    ocr_module.tesseract_program() is None, reason="Tesseract is not installed (make setup installs it)"
)


def normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).translate(_PLAIN).split())


def cer(output: str, oracle: str) -> float:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(normalised(output), normalised(oracle)) / len(normalised(oracle))


def accented(text: str) -> list[str]:
    return [c for c in normalised(text) if c.isalpha() and not c.isascii()]


def rendered(name: str, dpi: int = 300):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(CORPUS_SCANNED / name))
    try:
        return pdf[0].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        pdf.close()


@pytest.mark.models
@needs_tesseract
# skew.pdf read 4.4 % unstraightened, 0.85 % straightened from the skew measured on small copies.
@pytest.mark.parametrize(("name", "limit"), [("linn.pdf", 0.02), ("skew.pdf", 0.012)])
def test_corpus_scans_read_by_ocr_within_the_measured_error_rate(name: str, limit: float) -> None:
    document = read_document(CORPUS_SCANNED / name)
    (page,) = document.pages
    assert page.read_by_ocr and page.label == "page 1, read by OCR"
    assert page.ocr_engine is not None and page.ocr_engine.startswith("Tesseract")
    assert page.ocr_confidence is not None and page.ocr_confidence > 80
    assert cer(document.text, (CORPUS_SCANNED / "linn.txt").read_text("utf-8")) <= limit


@pytest.mark.models
@needs_tesseract
def test_french_scan_keeps_its_accents_and_the_cache_spares_a_second_ocr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = OcrCache(tmp_path / "ocr")
    document = read_document(CORPUS_SCANNED / "francais.pdf", ocr_cache=cache)
    assert cer(document.text, FRENCH) <= 0.04
    found = accented(document.text)
    assert len(found) >= 0.9 * len(accented(FRENCH))
    assert {"î", "é", "à", "ô", "ù", "û", "â", "æ", "è", "ë", "ç", "œ"} <= set(found)

    def no_ocr(*args: object, **kwargs: object) -> str:
        raise AssertionError("OCR ran again although the file's pages are cached")

    monkeypatch.setattr(ocr_module, "run_tesseract", no_ocr)
    again = read_document(CORPUS_SCANNED / "francais.pdf", ocr_cache=cache)
    assert again.pages == document.pages


@pytest.mark.models
@needs_tesseract
@pytest.mark.parametrize("degrees", [90, 180])
def test_a_page_on_its_side_or_upside_down_is_turned_upright_before_reading(tmp_path: Path, degrees: int) -> None:
    path = tmp_path / f"turned-{degrees}.png"
    rendered("francais.pdf").rotate(degrees, expand=True, fillcolor=255).save(path)
    document = read_document(path)
    assert document.format == "image" and document.pages[0].read_by_ocr
    assert cer(document.text, FRENCH) <= 0.04


@pytest.mark.models
@needs_tesseract
def test_a_phone_photo_is_read_the_way_its_exif_orientation_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    # The sensor's pixels lie on their side; EXIF orientation 6 says "turn 90° clockwise to show".
    sideways = rendered("francais.pdf").convert("RGB").rotate(90, expand=True, fillcolor=(255, 255, 255))
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "photo.jpg"
    sideways.save(path, quality=92, exif=exif)
    # Only EXIF may turn it: the engine's own orientation check is switched off.
    monkeypatch.setattr(ocr_module, "orientation", lambda image, cancel=None: 0)
    document = read_document(path)
    assert cer(document.text, FRENCH) <= 0.04


@pytest.mark.models
@needs_tesseract
def test_each_page_of_a_multipage_tiff_is_a_page_read_by_ocr(tmp_path: Path) -> None:
    french = rendered("francais.pdf")
    from PIL import ImageOps

    # The heading of linn.pdf ("The LinnSequencer / 32 Track MIDI Sequence Recorder") on a page of its own.
    title = ImageOps.expand(rendered("linn.pdf").crop((400, 100, 2400, 345)), border=150, fill=255)
    path = tmp_path / "two-pages.tiff"
    french.save(path, save_all=True, append_images=[title], compression="tiff_lzw")
    document = read_document(path)
    assert [page.label for page in document.pages] == ["page 1, read by OCR", "page 2, read by OCR"]
    assert cer(document.pages[0].text, FRENCH) <= 0.04
    assert "LinnSequencer" in document.pages[1].text and "MIDI" in document.pages[1].text


def scan_of(tmp_path: Path, *names: str) -> Path:
    """A PDF whose pages are the first pages of the corpus scans ``names``, in that order."""
    import pypdfium2 as pdfium

    scan = pdfium.PdfDocument.new()
    for name in names:
        source = pdfium.PdfDocument(str(CORPUS_SCANNED / name))
        scan.import_pages(source)
        source.close()
    path = tmp_path / "scan.pdf"
    scan.save(str(path))
    scan.close()
    return path


class TesseractProcesses:
    """Wraps ``ocr.start_tesseract``: keeps every process a job starts, the most alive at once, and an event
    set when the first one has started."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import threading

        self.started: list = []
        self.most_at_once = 0
        self.first = threading.Event()
        original = ocr_module.start_tesseract

        def start(command: list[str]):
            process = original(command)
            self.started.append(process)
            self.most_at_once = max(self.most_at_once, sum(p.poll() is None for p in self.started))
            self.first.set()
            return process

        monkeypatch.setattr(ocr_module, "start_tesseract", start)


@pytest.mark.models
@needs_tesseract
def test_pages_of_a_scan_are_read_at_once_and_come_back_in_page_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.documents import ocr_pages

    monkeypatch.setattr(ocr_pages, "ocr_workers", lambda: 2)  # as on a 2-core laptop, whatever runs the test
    processes = TesseractProcesses(monkeypatch)
    messages: list[str] = []
    # The small French page is done long before the English one started beside it.
    document = read_document(
        scan_of(tmp_path, "linn.pdf", "francais.pdf"), progress=lambda done, total, message: messages.append(message)
    )
    assert processes.most_at_once == 2
    reading = [m for m in messages if "by OCR" in m]
    assert reading == ["Reading page 1 of 2 by OCR (1 of 2)", "Reading page 2 of 2 by OCR (2 of 2)"]
    first, second = document.pages
    assert (first.number, second.number) == (1, 2)
    assert cer(first.text, (CORPUS_SCANNED / "linn.txt").read_text("utf-8")) <= 0.02
    assert cer(second.text, FRENCH) <= 0.04


@pytest.mark.models
@needs_tesseract
def test_cancel_at_the_first_page_stops_its_running_tesseract_and_starts_no_other_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    processes = TesseractProcesses(monkeypatch)
    messages: list[str] = []
    token = CancelToken()

    def progress(done: int, total: int, message: str) -> None:
        messages.append(message)
        if message.startswith("Reading page 1 of 10 by OCR"):
            assert processes.first.wait(timeout=300), "page 1's Tesseract never started"
            token.cancel()  # while page 1's Tesseract runs: it is stopped, and pages 2-10 never start

    with pytest.raises(Cancelled):
        read_document(scan_of(tmp_path, *["linn.pdf"] * 10), progress=progress, cancel=token)
    assert [m for m in messages if "by OCR" in m] == ["Reading page 1 of 10 by OCR (1 of 10)"]
    assert len(processes.started) == 1
    (process,) = processes.started
    assert process.returncode is not None and process.returncode < 0  # killed, not left to finish the page


@pytest.mark.models
@needs_tesseract
def test_a_missing_language_pack_is_named_with_the_command_that_adds_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr_module, "installed_languages", lambda: frozenset({"eng", "osd"}))
    document = read_document(CORPUS_SCANNED / "francais.pdf")
    assert document.text  # still read, with the English pack
    assert any("apt-get install tesseract-ocr-fra" in note for note in document.notes), document.notes


@pytest.mark.models
@needs_tesseract
def test_dark_words_on_a_grey_form_field_are_read() -> None:
    # pdf.js's annotation-tx2.pdf: "tx annotation" in a grey text field; Tesseract's global threshold turns
    # the whole field black and finds no word, a local one reads it.
    document = read_document(TEST_DATA / "ocr" / "annotation-tx2.pdf")
    (page,) = document.pages
    assert page.read_by_ocr
    assert "tx annotation" in page.text


@pytest.mark.models
@needs_tesseract
def test_coloured_squares_give_no_text_on_the_second_try_either() -> None:
    # pdf.js's IndexedCS_negative_and_high.pdf: rows of coloured squares. The local threshold finds "words"
    # of 9-43 % confidence in them: noise, so the page still says OCR found no text.
    with pytest.raises(NoTextLayerError, match="OCR found no text"):
        read_document(TEST_DATA / "ocr" / "IndexedCS_negative_and_high.pdf")


def test_a_missing_ocr_engine_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr_module, "tesseract_program", lambda: None)
    with pytest.raises(ocr_module.OcrUnavailableError, match=r"^linn\.pdf has pages without a text layer") as caught:
        read_document(CORPUS_SCANNED / "linn.pdf")
    assert "apt-get install tesseract-ocr" in str(caught.value)


def test_an_image_that_is_not_one_is_refused_as_damaged(tmp_path: Path) -> None:
    from assistant.errors import CorruptDocumentError

    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0 not really a JPEG" * 10)
    with pytest.raises(CorruptDocumentError, match=r"^photo\.jpg is corrupt or damaged .* JPG image"):
        read_document(path)


@pytest.mark.models
@needs_tesseract
def test_a_blank_image_says_ocr_found_no_text(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "blank.png"
    Image.new("L", (1200, 1600), 255).save(path)
    with pytest.raises(NoTextLayerError, match="OCR found no text"):
        read_document(path)


def test_skew_is_measured_from_the_text_lines() -> None:
    from assistant.documents.page_image import skew_angle

    page = rendered("linn.pdf", dpi=150).convert("L")
    assert abs(skew_angle(page)) < 0.3
    assert skew_angle(page.rotate(-3, expand=True, fillcolor=255)) == pytest.approx(3.0, abs=0.3)
    # The corpus' skewed scan at the resolution OCR reads it: measured on copies a sixteenth of its pixels.
    assert skew_angle(rendered("skew.pdf").convert("L")) == pytest.approx(1.8, abs=0.2)


def test_tesseract_tsv_becomes_paragraphs_lines_and_word_confidences() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "5\t1\t1\t1\t1\t1\t0\t0\t1\t1\t96.5\tDear",
        "5\t1\t1\t1\t1\t2\t0\t0\t1\t1\t91.0\tSir,",
        "5\t1\t1\t1\t2\t1\t0\t0\t1\t1\t40.0\tReceived",
        "4\t1\t1\t1\t2\t0\t0\t0\t1\t1\t-1\t",
        "5\t1\t2\t1\t1\t1\t0\t0\t1\t1\t88.5\t\"quoted\"",
    ]
    result = ocr_module._result_from_tsv("\n".join([header, *rows]), "eng")
    assert result.text == 'Dear Sir,\nReceived\n\n"quoted"'
    assert result.confidence == pytest.approx((96.5 + 91 + 40 + 88.5) / 4, abs=0.1)
    assert result.doubtful_words == ("Received",)


def test_pillow_reads_webp_and_tiff() -> None:
    # WebP and TIFF support come from Pillow's wheels; a set-up without them would fail on real files.
    from PIL import features

    assert features.check("webp") and features.check("libtiff")


@pytest.mark.models
@needs_tesseract
def test_a_scan_under_a_courts_filing_stamp_is_read_by_ocr() -> None:
    # The stamp is real text (36 letters and digits), which made the page look like one with a text layer: the
    # appearance form under it was never read.
    page = read_document(TEST_DATA / "ocr" / "ca4_17.pdf").pages[0]
    assert page.read_by_ocr
    for words in ("APPEARANCE OF COUNSEL FORM", "Stephen M. Russell", "17-2218"):
        assert words in page.text, words
    # The stamp itself is kept as its text layer gives it, above what OCR read.
    assert page.text.startswith("Appeal: 17-2218 Doc: 17 Filed: 10/31/2017 Pg: 1 of 1\n\n")


@pytest.mark.models
def test_a_page_whose_font_maps_letters_to_the_wrong_characters_is_not_read_as_text(tmp_path: Path) -> None:
    # The Arabic fact sheet's font maps each letter to a Latin-1 code: its text layer reads "ozUIŠ W×zô …", which
    # the key points and the library took for text. Such a page is read by OCR instead; OCR without an Arabic pack
    # reads it no better (confidence 25 and 38), so it is left without text and a note says so, and a document of
    # such pages alone is refused with one sentence.
    with pytest.raises(NoTextLayerError, match="map their letters to the wrong characters"):
        read_document(TEST_DATA / "ocr" / "TIKA-469-0.pdf")
    import pypdfium2 as pdfium

    mixed = pdfium.PdfDocument.new()
    lorem = CORPUS_SCANNED.parent / "pdf" / "002-trivial-libre-office-writer.pdf"
    mixed.import_pages(pdfium.PdfDocument(str(lorem)), [0])
    mixed.import_pages(pdfium.PdfDocument(str(TEST_DATA / "ocr" / "TIKA-469-0.pdf")), [1])
    mixed.save(str(tmp_path / "mixed.pdf"))
    document = read_document(tmp_path / "mixed.pdf")
    first, second = document.pages
    assert first.text.startswith("Lorem ipsum dolor sit amet") and not first.read_by_ocr
    assert second.text == ""
    assert any("mixed.pdf, page 2: the font maps its letters to the wrong characters" in n for n in document.notes)


def test_words_that_mix_alphabets_as_real_text_does_are_not_garbled() -> None:
    # Japanese takes Latin letters and symbols into its words, Latin words take Greek units, apostrophes elide:
    # a Japanese pension leaflet's page had reached a fifth of its words before these were told apart.
    from assistant.documents.pdf import _garbled_word

    for word in ("医療保険EVER等の保険料が集団料率適用", "損保ジャパン㈱の団体保険", "5μg/mL", "β-Blocker", "d’Ivoire",
                 "don´t", "l’Assicurato", "Straße"):
        assert not _garbled_word(word), word
    for word in ("W×zô", "X½d²½ô«", "ٱĴǎƶơǎƹŎķຊا"):  # the Arabic fact sheet's and a pdf.js sample's
        assert _garbled_word(word), word
