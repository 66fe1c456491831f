"""OCR benchmark: character error rate, accents kept and seconds per page on the corpus scans, for the raw
engines (Tesseract, and RapidOCR when its wheel is installed) and for what Edgewise does (straighten, turn
upright, pick the language); then a 10-page scan read (and, with --summary, summarised) end to end.

CER = Levenshtein distance / oracle length, on text with whitespace runs made one space and typographic
quotes and dashes made plain (linn.txt, the oracle of linn.pdf and skew.pdf, is itself typed that way).
Accents kept = the share of the oracle's accented letters found in place in the output.
CPU seconds (this process and Tesseract's, user + system) move far less than wall seconds when other jobs share
the cores: on a busy machine they are the better guide to what an idle one takes.
RapidOCR is not a dependency: `pip install rapidocr-onnxruntime` into the venv to measure it.
Usage: nice -n 5 .venv/bin/python benchmarks/ocr.py [--dpi 300] [--engines tesseract,rapidocr,edgewise]
       [--summary [--threads N]] [--no-ten-pages | --only-ten-pages]
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
    return sum(cpu_split())


def cpu_split() -> tuple[float, float]:
    """(CPU seconds of this process, of its finished children): Edgewise's own work and Tesseract's."""
    times = os.times()
    return times.user + times.system, times.children_user + times.children_system


def measure(label: str, read: Callable, dpi: int) -> None:
    for name, oracle_path in ORACLES.items():
        image = render(name, dpi)
        start, (own_start, child_start) = time.perf_counter(), cpu_split()
        text = read(image)
        seconds = time.perf_counter() - start
        own, child = (now - then for now, then in zip(cpu_split(), (own_start, child_start), strict=True))
        oracle = oracle_path.read_text(encoding="utf-8")
        kept, accented = accents_kept(text, oracle)
        accents = f"{kept}/{accented}" if accented else "-"
        print(f"| {label} | {name} | {dpi} | {character_error_rate(text, oracle) * 100:.1f} % | {accents} | "
              f"{seconds:.1f} | {own + child:.1f} ({own:.1f} + {child:.1f}) |", flush=True)


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


def ten_page_scan(path: Path) -> list[str]:
    """Writes a 10-page scan made of the corpus scans (made at run time, never kept) to ``path``; its pages' names."""
    import pypdfium2 as pdfium

    merged = pdfium.PdfDocument.new()
    sources = ["linn.pdf", "skew.pdf", "c02-22.pdf", "francais.pdf"]
    names = [sources[index % len(sources)] for index in range(10)]
    for name in names:
        source = pdfium.PdfDocument(str(SCANNED / name))
        merged.import_pages(source)
        source.close()
    merged.save(str(path))
    merged.close()
    return names


def ten_pages_end_to_end(
    summary: bool, threads: int | None, data_dir: Path, pages_at_once: list[int] | None = None
) -> None:
    """Open -> OCR -> summary of a 10-page scan, beside raw Tesseract (eng, one page after another, at the
    same resolution) on the same pages in the same run, read once per ``pages_at_once`` (default: one per
    core, as the app does). The language model is loaded first, its load timed apart; ``--threads`` are
    llama.cpp's (Tesseract always runs one thread a process)."""
    from assistant.documents import ocr_pages, read_document
    from assistant.documents.ocr import detected_language
    from assistant.documents.pdf import OCR_DPI

    detected_language("The language identifier is loaded once a process, before the first page is timed.")
    app_workers = ocr_pages.ocr_workers

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ten-page-scan.pdf"
        names = ten_page_scan(path)
        print(f"\n10-page scan ({', '.join(names)}) at {OCR_DPI} dpi, load average {os.getloadavg()[0]:.1f}")
        read = tesseract_raw("eng")
        raw_wall = raw_cpu = 0.0
        for name in names:
            image = render(name, OCR_DPI)
            start, cpu_start = time.perf_counter(), cpu_seconds()
            read(image)
            raw_wall += time.perf_counter() - start
            raw_cpu += cpu_seconds() - cpu_start
        print(f"  raw Tesseract eng, page after page: {raw_wall:.1f} s ({raw_wall / 10:.1f} s a page; "
              f"CPU {raw_cpu / 10:.1f} s a page)")

        session = None
        if summary:
            from assistant.models.bundled import DEFAULT_LLM
            from assistant.session import Session

            session = Session(data_dir, llm_name=DEFAULT_LLM, n_threads=threads)
            start = time.perf_counter()
            engine = session.engine()
            engine.load()
            print(f"  {engine.name} loaded in {time.perf_counter() - start:.1f} s ({engine.n_threads} threads), "
                  "not counted below")

        for workers in pages_at_once or [app_workers()]:
            ocr_pages.ocr_workers = lambda workers=workers: workers  # type: ignore[misc]
            start, cpu_start = time.perf_counter(), cpu_seconds()
            try:
                document = read_document(path)
            finally:
                ocr_pages.ocr_workers = app_workers  # type: ignore[misc]
            wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
            ocr = document.ocr_pages
            confidence = sum(p.ocr_confidence or 0 for p in ocr) / max(1, len(ocr))
            count = max(1, len(ocr))
            print(f"  Edgewise, open and read by OCR ({workers} pages at once): {wall:.1f} s ({wall / count:.1f} s "
                  f"a page, {wall / raw_wall:.2f}x raw; CPU {cpu / count:.1f} s a page, {cpu / raw_cpu:.2f}x raw); "
                  f"{len(ocr)} pages read by OCR, mean confidence {confidence:.0f} %; "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)
        if session is not None:
            start = time.perf_counter()
            text = "".join(session.summarize(document, length="brief"))
            seconds = time.perf_counter() - start
            print(f"  summary (brief) in {seconds:.1f} s after reading; open -> OCR -> summary {wall + seconds:.1f} s "
                  f"({len(text.split())} words); load average {os.getloadavg()[0]:.1f}")
            session.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--engines", default="tesseract,rapidocr,edgewise")
    parser.add_argument("--summary", action="store_true", help="also summarise the 10-page scan (loads the LLM)")
    parser.add_argument("--no-ten-pages", action="store_true")
    parser.add_argument("--pages-at-once", help="e.g. 1,2: read the 10-page scan once with each count of pages "
                        "read at once (default: one per physical core, as the app)")
    parser.add_argument("--only-ten-pages", action="store_true", help="skip the single-page table")
    parser.add_argument("--threads", type=int, help="llama.cpp threads for the summary (default: one per physical "
                        "core); runs compared with each other need the same count")
    parser.add_argument("--data-dir", default=str(Path.home() / ".cache" / "edgewise-bench"),
                        help="data folder holding the installed default model (for --summary)")
    args = parser.parse_args()
    install_offline_guard()
    engines = [] if args.only_ten_pages else args.engines.split(",")
    if engines:
        print(f"load average {os.getloadavg()[0]:.1f}\n| engine | file | dpi | CER | accents kept | seconds | "
              "CPU seconds (own + Tesseract's) |\n| --- | --- | --- | --- | --- | --- | --- |")
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
        from assistant.documents.ocr import detected_language

        start = time.perf_counter()
        detected_language("The language identifier is loaded once a process, before the first page is timed.")
        print(f"(language identifier loaded in {time.perf_counter() - start:.2f} s, not counted below)")
        measure("Edgewise (Tesseract, straightened, language picked)", edgewise_pipeline(), args.dpi)
    if engines:
        setup_cost()
    if not args.no_ten_pages:
        at_once = [int(count) for count in args.pages_at_once.split(",")] if args.pages_at_once else None
        ten_pages_end_to_end(args.summary, args.threads, Path(args.data_dir), at_once)


if __name__ == "__main__":
    main()
