"""Shared fixtures. Fakes for fast tests live here; the real parts have their own slow tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
UNSC = SHARED / "corpora" / "unsc"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="Rewrite tests/golden/ from the parser."
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture
def unsc_dir() -> Path:
    if not UNSC.is_dir():
        pytest.skip(f"the UNSC corpus is not at {UNSC} (it lives in ../shared, beside the project)")
    return UNSC
