"""OCR benchmark: character error rate, accents kept and seconds per page on the corpus scans, for the raw
engines (Tesseract, and RapidOCR when its wheel is installed) and for what Edgewise does (straighten, turn
upright, pick the language); then a 10-page scan read (and, with --summary, summarised) end to end.

CER = Levenshtein distance / oracle length, on text with whitespace runs made one space and typographic
quotes and dashes made plain (linn.txt, the oracle of linn.pdf and skew.pdf, is itself typed that way).
Accents kept = the share of the oracle's accented letters found in place in the output.
CPU seconds (this process and Tesseract's, user + system) move far less than wall seconds when other jobs share
the cores: on a busy machine they are the better guide to what an idle one takes.
RapidOCR is not a dependency: `pip install rapidocr-onnxruntime` into the venv to measure it.
Usage: .venv/bin/python benchmarks/ocr.py [--dpi 300] [--engines tesseract,rapidocr,edgewise] [--summary]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.offline import install_offline_guard  # noqa: E402

SCANNED = ROOT.parent / "shared" / "corpus" / "scanned"
ORACLES = {
    "linn.pdf": SCANNED / "linn.txt",
    "skew.pdf": SCANNED / "linn.txt",
    "francais.pdf": ROOT / "benchmarks" / "data" / "ocr" / "francais.txt",
}
_PLAIN = str.maketrans({"\u2014": "-", "\u2013": "-", "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).translate(_PLAIN).split())


def character_error_rate(output: str, oracle: str) -> float:
    from rapidfuzz.distance import Levenshtein

    reference = normalised(oracle)
    return Levenshtein.distance(normalised(output), reference) / max(1, len(reference))


def accents_kept(output: str, oracle: str) -> tuple[int, int]:
    """(accented letters of the oracle found in place in the output, accented letters in the oracle)."""
    from rapidfuzz.distance import Levenshtein

    reference, hypothesis = normalised(oracle), normalised(output)
    accented = [i for i, c in enumerate(reference) if c.isalpha() and not c.isascii()]
    kept = 0
    for tag, ref_start, ref_end, _hyp_start, _hyp_end in Levenshtein.opcodes(reference, hypothesis):
        if tag == "equal":
            kept += sum(1 for i in accented if ref_start <= i < ref_end)
    return kept, len(accented)


def render(name: str, dpi: int):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(SCANNED / name))
    try:
        return pdf[0].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        pdf.close()


def tesseract_raw(language: str) -> Callable:
    from assistant.documents.ocr import recognise

    def read(image) -> str:
        return recognise(image, language).text

    return read


def rapidocr_raw() -> Callable | None:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        return None
    import numpy as np

    engine = RapidOCR()

    def read(image) -> str:
        result, _elapsed = engine(np.asarray(image.convert("RGB")))
        return "\n".join(line[1] for line in result or [])

    return read


def edgewise_pipeline() -> Callable:
    from assistant.documents.ocr import PageReader
    from assistant.documents.page_image import prepare_for_ocr

    def read(image) -> str:
        return PageReader(prepare_for_ocr).read(image).text

    return read


def cpu_seconds() -> float:
    """User + system CPU time of this process and its finished children (Tesseract runs as a child)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def measure(label: str, read: Callable, dpi: int) -> None:
    for name, oracle_path in ORACLES.items():
        image = render(name, dpi)
        start, cpu_start = time.perf_counter(), cpu_seconds()
        text = read(image)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
        oracle = oracle_path.read_text(encoding="utf-8")
        kept, accented = accents_kept(text, oracle)
        accents = f"{kept}/{accented}" if accented else "-"
        print(f"| {label} | {name} | {dpi} | {character_error_rate(text, oracle) * 100:.1f} % | {accents} | "
              f"{seconds:.1f} | {cpu:.1f} |", flush=True)


def setup_cost() -> None:
    packages = ["tesseract-ocr", "libtesseract5", "liblept5", "tesseract-ocr-eng", "tesseract-ocr-osd",
                "tesseract-ocr-fra", "tesseract-ocr-deu", "tesseract-ocr-spa"]
    if shutil.which("dpkg-query"):
        sizes = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Installed-Size}\n", *packages],
                               capture_output=True, text=True).stdout.split("\n")
        total = sum(int(line.split()[1]) for line in sizes if len(line.split()) == 2)
        print(f"Tesseract set-up (apt: {', '.join(packages)}): {total / 1024:.0f} MB installed")
    try:
        import importlib.metadata as metadata

        for distribution in ("rapidocr-onnxruntime", "onnxruntime", "opencv-python"):
            files = metadata.files(distribution) or []
            size = sum((file.size or 0) for file in files)
            print(f"{distribution} (pip): {size / 1e6:.0f} MB")
    except Exception as error:  # not installed: nothing to add
        print(f"RapidOCR not installed ({type(error).__name__})")


def ten_page_scan(summary: bool) -> None:
    """A 10-page scan made of the corpus scans; read end to end (and summarised with --summary)."""
    import pypdfium2 as pdfium

    from assistant.documents import read_document

    merged = pdfium.PdfDocument.new()
    sources = ["linn.pdf", "skew.pdf", "c02-22.pdf", "francais.pdf"]
    for index in range(10):
        source = pdfium.PdfDocument(str(SCANNED / sources[index % len(sources)]))
        merged.import_pages(source)
        source.close()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ten-page-scan.pdf"
        merged.save(str(path))
        merged.close()
        pages: list[float] = []
        last = [time.perf_counter()]

        def progress(done: int, total: int, message: str) -> None:
            if "by OCR" in message:
                now = time.perf_counter()
                pages.append(now - last[0])
                last[0] = now

        start = time.perf_counter()
        document = read_document(path, progress=progress)
        read_seconds = time.perf_counter() - start
        ocr = document.ocr_pages
        print(f"10-page scan: read by OCR in {read_seconds:.1f} s ({read_seconds / max(1, len(ocr)):.1f} s a page, "
              f"{len(ocr)} pages read by OCR, mean confidence "
              f"{sum(p.ocr_confidence or 0 for p in ocr) / max(1, len(ocr)):.0f} %)")
        if summary:
            from assistant.session import Session

            session = Session(ROOT / ".venv" / "bench-data")
            start = time.perf_counter()
            text = "".join(session.summarize(document, length="brief"))
            print(f"10-page scan: summary in {time.perf_counter() - start:.1f} s after reading; "
                  f"read + summary {read_seconds + time.perf_counter() - start:.1f} s; {len(text.split())} words")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--engines", default="tesseract,rapidocr,edgewise")
    parser.add_argument("--summary", action="store_true", help="also summarise the 10-page scan (loads the LLM)")
    parser.add_argument("--no-ten-pages", action="store_true")
    args = parser.parse_args()
    install_offline_guard()
    engines = args.engines.split(",")
    print("| engine | file | dpi | CER | accents kept | seconds | CPU seconds |\n"
          "| --- | --- | --- | --- | --- | --- | --- |")
    if "tesseract" in engines:
        measure("Tesseract eng (raw)", tesseract_raw("eng"), args.dpi)
        measure("Tesseract fra (raw)", tesseract_raw("fra"), args.dpi)
    if "rapidocr" in engines:
        rapid = rapidocr_raw()
        if rapid is None:
            print("| RapidOCR | not installed | | | | | |")
        else:
            measure("RapidOCR (raw)", rapid, args.dpi)
    if "edgewise" in engines:
        measure("Edgewise (Tesseract, straightened, language picked)", edgewise_pipeline(), args.dpi)
    setup_cost()
    if not args.no_ten_pages:
        ten_page_scan(args.summary)


if __name__ == "__main__":
    main()
