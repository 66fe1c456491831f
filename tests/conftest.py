"""Shared fixtures: the corpus, a temporary data folder, and sessions on the real bundled models.

The offline guard is installed before any test runs, so a stray download fails loudly.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Nothing in the suite may touch the user's real data folder or settings.
_SANDBOX = Path(tempfile.mkdtemp(prefix="edgewise-tests-"))
atexit.register(shutil.rmtree, _SANDBOX, ignore_errors=True)
os.environ["EDGEWISE_HOME"] = str(_SANDBOX / "home")
os.environ["XDG_CONFIG_HOME"] = str(_SANDBOX / "config")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from assistant.offline import install_offline_guard  # noqa: E402

install_offline_guard()

PROJECT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT.parent / "shared" / "corpus"
#: Small real files fetched from public repositories (tests/data/README.md gives each one's source).
TEST_DATA = PROJECT / "tests" / "data"
#: The project's real documents (beside the shared ten of CORPUS / "real"), with their facts.
REAL = PROJECT / "benchmarks" / "real"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that reaches the bundled models (through ``models_data_dir``, which the session, embedder
    and transcriber fixtures build on) is marked ``models``, so ``pytest -m "not models"`` is a quick tier."""
    for item in items:
        if "models_data_dir" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.models)


@pytest.fixture(autouse=True)
def _restating_clock_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    """A brief summary restates its passages within a time (``questions.RESTATING_SECONDS``); on the tests' clock no
    time passes, so what a summary restates never depends on how fast the machine is. The tests of that time drive
    the clock themselves."""
    from assistant.writing.summary import questions

    monkeypatch.setattr(questions, "clock", lambda: 0.0)


@pytest.fixture(scope="session")
def corpus() -> Path:
    assert CORPUS.is_dir(), f"the shared corpus is expected at {CORPUS}"
    return CORPUS


@pytest.fixture(scope="session")
def models_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data folder for the whole run: the bundled models are assembled and verified into it once."""
    return tmp_path_factory.mktemp("edgewise-data")


@pytest.fixture
def own_data_dir(tmp_path: Path, models_data_dir: Path) -> Path:
    """A data folder of its own (settings, catalogue) that reads the run's assembled models: for tests that
    change a setting the rest of the run must not see."""
    data_dir = tmp_path / "own-data"
    data_dir.mkdir()
    (models_data_dir / "models").mkdir(exist_ok=True)
    (data_dir / "models").symlink_to(models_data_dir / "models")
    return data_dir


@pytest.fixture(scope="session")
def default_session(models_data_dir: Path):
    """A Workspace on the default bundled model (Qwen2.5-Coder-0.5B)."""
    from assistant.models.bundled import DEFAULT_LLM
    from assistant.workspace import Workspace

    session = Workspace(models_data_dir, llm_name=DEFAULT_LLM)
    yield session
    session.close()


@pytest.fixture(scope="session")
def fast_session(models_data_dir: Path):
    """A Workspace on the small fast bundled model (SmolLM2-135M), for tests of mechanics, not quality."""
    from assistant.models.bundled import FAST_LLM
    from assistant.workspace import Workspace

    session = Workspace(models_data_dir, llm_name=FAST_LLM, n_ctx=2048)
    yield session
    session.close()


@pytest.fixture(scope="session")
def session(default_session):
    """The session the GUI end-to-end tests drive: the default model, as a user gets it."""
    return default_session


#: The code whose output an OCR cache holds: a change to any of it makes the tests read the scans again.
_OCR_SOURCES = ("ocr.py", "ocr_pages.py", "page_image.py", "pdf.py", "images.py", "columns.py", "model.py")


@pytest.fixture(scope="session")
def ocr_cache(request: pytest.FixtureRequest):
    """Pages read by OCR, kept across runs (in pytest's cache folder) for tests that need a scanned page's
    text but test something else: the first run reads each scan once, later runs not at all. Named by the
    OCR code and Tesseract's version, so a change to either reads them again; the OCR tests themselves
    (tests/documents/test_ocr.py) never use it."""
    from assistant.documents import ocr
    from assistant.documents.ocr_cache import OcrCache

    fingerprint = hashlib.sha256((ocr.engine_version() or "no engine").encode())
    for name in _OCR_SOURCES:
        fingerprint.update((PROJECT / "assistant" / "documents" / name).read_bytes())
    key = f"edgewise-ocr-{fingerprint.hexdigest()[:16]}"
    cache = getattr(request.config, "cache", None)  # None under `-p no:cacheprovider`
    folder = cache.mkdir(key) if cache is not None else Path(tempfile.mkdtemp(prefix="edgewise-ocr-"))
    return OcrCache(folder)


@pytest.fixture(scope="session")
def read_scan(ocr_cache):
    """Read a scanned file through the run's OCR cache; ``into=data_dir`` puts its OCR'd pages in that data
    folder's cache too, so the window or the command line on that folder read them from there."""
    from assistant.documents import Document, read_document
    from assistant.documents.ocr_cache import ocr_cache_for

    def read(path: Path, into: Path | None = None) -> Document:
        document = read_document(path, ocr_cache=ocr_cache)
        if into is not None:
            ocr_cache_for(into).put(document.sha256, document.ocr_pages)
        return document

    return read


@pytest.fixture(scope="session")
def bundled_model_metadata(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalogue file that knows the bundled language models' metadata (read by llama.cpp from the
    packages' files, a second or two each), read once for the run."""
    from assistant.models.catalogue import CATALOGUE_FILE, Catalogue

    folder = tmp_path_factory.mktemp("catalogue")
    Catalogue(folder).entries()
    return folder / CATALOGUE_FILE


@pytest.fixture
def empty_data_dir(tmp_path: Path) -> Path:
    """A data folder with nothing in it, as on the first start."""
    folder = tmp_path / "empty-data"
    folder.mkdir()
    return folder


@pytest.fixture
def data_dir(tmp_path: Path, bundled_model_metadata: Path) -> Path:
    """A fresh data folder for one test: no settings, no models or documents of its own; its catalogue
    already knows the bundled models' metadata, as a data folder does after the app's first start."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(bundled_model_metadata, folder / bundled_model_metadata.name)
    return folder


@pytest.fixture(scope="session")
def library_embedder(models_data_dir: Path):
    """The bundled all-MiniLM-L6-v2 embedder, loaded once for the run (sentence-transformers is slow to import)."""
    from assistant.library.embeddings import Embedder
    from assistant.models.bundled import ModelRegistry

    embedder = Embedder.from_registry(ModelRegistry(models_data_dir / "models"))
    embedder.load()
    return embedder


@pytest.fixture(scope="session")
def transcriber(models_data_dir: Path):
    """The bundled speech model for the whole run (each Workspace has its own; tests share this one)."""
    from assistant.speech.transcriber import Transcriber

    return Transcriber(models_data_dir)
