"""Shared fixtures: the corpus, a temporary data folder, and sessions on the real bundled models.

The offline guard is installed before any test runs, so a stray download fails loudly.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Nothing in the suite may touch the user's real data folder or settings.
_SANDBOX = Path(tempfile.mkdtemp(prefix="edgewise-tests-"))
os.environ["EDGEWISE_HOME"] = str(_SANDBOX / "home")
os.environ["XDG_CONFIG_HOME"] = str(_SANDBOX / "config")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from assistant.offline import install_offline_guard  # noqa: E402

install_offline_guard()

PROJECT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT.parent / "shared" / "corpus"
#: Small real files fetched from public repositories (tests/data/README.md gives each one's source).
TEST_DATA = PROJECT / "tests" / "data"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that reaches the bundled models (through ``models_data_dir``, which the session, embedder
    and transcriber fixtures build on) is marked ``models``, so ``pytest -m "not models"`` is a quick tier."""
    for item in items:
        if "models_data_dir" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.models)


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


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh, empty data folder for one test."""
    folder = tmp_path / "data"
    folder.mkdir()
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
