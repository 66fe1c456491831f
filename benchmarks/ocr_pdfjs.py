"""OCR robustness on a real PDF corpus (mozilla/pdf.js test/pdfs, fetched, never committed): every PDF whose
text layer is blank (the image-only ones) is read by OCR in a child process with a time limit. Each must
either yield text or fail with one user-facing sentence (a DocumentError): anything else is a bug, a hang
(time limit) or a crash (the child died).

To keep a run within an hour on 2 cores, OCR reads the first --pages pages of each file (a copy made with
PDFium); the text-layer check reads every page, 25 files per child process (a batch that dies is finished
file by file).
Usage: .venv/bin/python benchmarks/ocr_pdfjs.py FOLDER [--pages 1] [--timeout 240] [--jobs 1] [--log FILE]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def blank_text_layer(path: Path) -> bool:
    """Whether PDFium finds no text on any page (or cannot open the file: the reader then decides)."""
    import pypdfium2 as pdfium

    from assistant.documents.pdf import clean_pdf_text

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        return True
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            page.close()
            if clean_pdf_text(text).strip():
                return False
        return True
    except pdfium.PdfiumError:
        return True
    finally:
        pdf.close()


def classify_child(paths: list[Path]) -> None:
    """Runs in a child: one JSON line per file as soon as it is classified (a crash loses only the rest)."""
    for path in paths:
        print(json.dumps({"file": str(path), "blank": blank_text_layer(path)}), flush=True)


def child(path: Path, pages: int) -> dict:
    """Runs in a child: read the first pages of an image-only PDF, by OCR where needed."""
    import pypdfium2 as pdfium

    from assistant.documents import read_document
    from assistant.errors import DocumentError
    from assistant.offline import install_offline_guard

    install_offline_guard()
    with tempfile.TemporaryDirectory() as folder:
        target = path
        try:
            pdf = pdfium.PdfDocument(str(path))
            if len(pdf) > pages:
                copy = pdfium.PdfDocument.new()
                copy.import_pages(pdf, list(range(pages)))
                target = Path(folder) / path.name
                copy.save(str(target))
                copy.close()
            pdf.close()
        except pdfium.PdfiumError:
            pass  # the reader's own fallback and errors are what is being measured
        try:
            document = read_document(target)
        except DocumentError as error:
            return {"kind": "image-only", "outcome": "explained", "message": str(error)}
        return {"kind": "image-only", "outcome": "text", "characters": len(document.text),
                "ocr_pages": len(document.ocr_pages)}


def classify(files: list[Path], timeout: float) -> dict[Path, bool]:
    """Blank text layer or not, per file: batches of files per child; a batch that dies or hangs is finished
    one file per child, and a file that kills its own child counts as image-only (the reader then runs)."""
    found: dict[Path, bool] = {}
    batches = [files[i:i + 25] for i in range(0, len(files), 25)]
    for batch in batches:
        pending = list(batch)
        while pending:
            try:
                finished = subprocess.run(
                    [sys.executable, __file__, "--classify", *map(str, pending)],
                    capture_output=True, text=True, timeout=timeout,
                )
                output = finished.stdout
            except subprocess.TimeoutExpired as expired:
                output = expired.stdout.decode() if isinstance(expired.stdout, bytes) else (expired.stdout or "")
            for line in output.splitlines():
                record = json.loads(line)
                found[Path(record["file"])] = record["blank"]
            pending = [path for path in pending if path not in found]
            if pending:  # the first file not reported broke the child: count it as image-only, go on
                found[pending.pop(0)] = True
    return found


def run_one(path: Path, pages: int, timeout: float) -> dict:
    start = time.perf_counter()
    try:
        finished = subprocess.run(
            [sys.executable, __file__, "--child", str(path), "--pages", str(pages)],
            capture_output=True, text=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"file": path.name, "kind": "image-only?", "outcome": "hang", "seconds": timeout}
    seconds = round(time.perf_counter() - start, 1)
    if finished.returncode != 0:
        outcome = "crash" if finished.returncode < 0 else "bug"
        return {"file": path.name, "kind": "image-only?", "outcome": outcome, "seconds": seconds,
                "error": finished.stderr.strip().splitlines()[-1:] if finished.stderr.strip() else []}
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    return {"file": path.name, "seconds": seconds, **result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, nargs="?")
    parser.add_argument("--pages", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=240.0)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--log", type=Path, help="write one JSON line per file here")
    parser.add_argument("--resume", action="store_true", help="skip the files already in --log, count them")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--classify", type=Path, nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child, args.pages)))
        return
    if args.classify:
        classify_child(args.classify)
        return
    if args.folder is None:
        parser.error("give the folder of PDFs (e.g. pdf.js's test/pdfs)")
    files = sorted(args.folder.glob("*.pdf"))
    start = time.perf_counter()
    classes = args.log.with_suffix(".classes.json") if args.log else None
    if args.resume and classes is not None and classes.exists():
        blank = {Path(path): value for path, value in json.loads(classes.read_text()).items()}
    else:
        blank = classify(files, args.timeout)
        if classes is not None:
            classes.write_text(json.dumps({str(path): value for path, value in blank.items()}))
    counts: Counter[str] = Counter({"text layer": sum(1 for path in files if not blank[path])})
    print(f"{len(files)} PDFs classified in {time.perf_counter() - start:.0f} s: {counts['text layer']} with a text "
          "layer", flush=True)
    files = [path for path in files if blank[path]]
    done: list[dict] = []
    if args.resume and args.log is not None and args.log.exists():
        done = [json.loads(line) for line in args.log.read_text(encoding="utf-8").splitlines() if line.strip()]
        finished = {record["file"] for record in done}
        files = [path for path in files if path.name not in finished]
        counts.update(record.get("outcome") or record["kind"] for record in done)
    log = args.log.open("a" if args.resume else "w", encoding="utf-8") if args.log else None
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for number, result in enumerate(pool.map(lambda p: run_one(p, args.pages, args.timeout), files), 1):
            key = result.get("outcome") or result["kind"]
            counts[key] += 1
            if log is not None:
                log.write(json.dumps(result, ensure_ascii=False) + "\n")
                log.flush()
            if key in ("bug", "hang", "crash"):
                print(f"{key}: {result}", flush=True)
            if number % 25 == 0:
                print(f"{number + len(done)}/{len(files) + len(done)} files, {dict(counts)}", flush=True)
    image_only = sum(counts[k] for k in ("text", "explained", "bug", "hang", "crash"))
    print(f"{len(blank)} PDFs in {time.perf_counter() - start:.0f} s: {counts['text layer']} with a text layer, "
          f"{image_only} image-only (or unreadable by PDFium): {counts['text']} yield text by OCR, "
          f"{counts['explained']} say in one sentence why not; {counts['bug']} bugs, {counts['hang']} hangs, "
          f"{counts['crash']} crashes")


if __name__ == "__main__":
    main()
