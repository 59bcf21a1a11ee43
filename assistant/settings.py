"""The one settings object: built once from the environment (prefix ``RESOLUTIONS_``)."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

from assistant.errors import ConfigurationError
from ingest.limits import DEFAULT_MAX_CLAUSES, DEFAULT_MAX_PARAGRAPHS, ParseLimits

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MAX_QUESTION_CHARS = 2000  # the longest question or chat message (the CLI, the API, the page)


def default_corpus() -> Path:
    """The shipped sample corpus (``corpus/`` beside the package in a checkout)."""
    return PROJECT_ROOT / "corpus"


# MiniLM on ONNX Runtime with int8 MatMul weights: 2x the searches of the float graph on 2 cores,
# eval figures within run-to-run noise (bench/RESULTS.md, evals/ROUNDS.md, issue 17)
DEFAULT_EMBEDDING_BACKEND = "onnx-int8"


class Settings(BaseSettings):
    """Every setting of the assistant. Environment variables: ``RESOLUTIONS_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="RESOLUTIONS_", extra="ignore")

    home: Path = Field(default=Path(".resolutions"), description="Data directory (index, state)")
    corpus: Path = Field(default_factory=default_corpus, description="Default ingest path")
    max_file_bytes: int = Field(default=20 * 1024 * 1024, description="Largest file accepted")
    max_paragraphs: int = Field(
        default=DEFAULT_MAX_PARAGRAPHS,
        description="Most paragraphs (Word) or lines (text) a file may hold",
    )
    max_clauses: int = Field(
        default=DEFAULT_MAX_CLAUSES, description="Most clauses one parsed document may hold"
    )
    max_chunks_per_file: int = Field(
        default=5_000, description="Most passages one file may give to embed (about 1 min here)"
    )
    max_request_bytes: int = Field(
        default=32 * 1024, description="Largest request body of the API but uploads (413 past it)"
    )

    # The library's own state (documents, generations, parsed text, ingest lock, conversations)
    database_url: str = Field(
        default="",
        repr=False,
        description="SQLAlchemy URL (postgresql+psycopg://user:pw@host/db); empty: SQLite in home",
    )

    # Retrieval
    chroma_url: str = Field(default="", description="Chroma server URL; empty: embedded store")
    collection: str = Field(default="clauses", description="Chroma collection name")
    embedding_model: str = Field(default="", description="Path of a sentence-transformers model")
    embedding_backend: str = Field(
        default=DEFAULT_EMBEDDING_BACKEND,
        description="'onnx-int8' (ONNX Runtime, int8 weights: fastest), 'onnx' (float weights) or "
        "'torch' (sentence-transformers, float); changing between int8 and float re-embeds "
        "(`resolutions ingest --rebuild`)",
    )
    model_cache: Path = Field(
        default_factory=lambda: default_model_cache(),  # defined below the class
        description="Folder of the ONNX export of the model (default: "
        "$XDG_CACHE_HOME/resolutions, else ~/.cache/resolutions)",
    )
    query_batch: int = Field(
        default=16,
        ge=1,
        le=512,
        description="Most texts embedded in one pass of concurrent queries",
    )
    query_wait_ms: float = Field(
        default=2.0,
        ge=0,
        le=100,
        description="Milliseconds a pass waits for concurrent queries to join it (under load only)",
    )
    state_poll_ms: float = Field(
        default=100.0,
        ge=0,
        le=60_000,
        description="Milliseconds a process trusts the state it read before asking the database "
        "again whether another process (a replica, the CLI) changed it; 0: at every request",
    )
    vector_cache_entries: int = Field(
        default=20_000,
        ge=1_000,
        description="Vectors of texts, words and clauses kept per library (LRU; about 2 KiB each)",
    )
    search_k: int = 5
    terms_file: Path | None = Field(default=None, description="Extra term map (JSON) for drafting")

    # Language model (extra 'llm'); empty provider: offline answers only
    llm_provider: str = Field(default="", description="'openai' (compatible server) or 'ollama'")
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = Field(default="not-needed", repr=False)
    llm_timeout: float = 60.0
    llm_max_tokens: int = Field(default=400, description="Longest answer the model may write")
    agent_max_steps: int = Field(default=6, description="Tool-calling steps of the chat agent")
    agent_timeout: float = Field(default=90.0, description="Seconds for one agent turn")
    agent_max_tokens: int = Field(default=512, description="Cap on one reply of the agent's model")

    # API
    api_token: str = Field(default="", repr=False, description="Bearer token for uploads")
    cors_origins: list[str] = Field(default_factory=list)
    rate_limit_per_minute: int = 120
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses of reverse proxies whose X-Forwarded-For is believed; empty: none",
    )

    # The CLI: `ask` and `search` hand the question to a running `resolutions serve` (issue 17)
    server_url: str = Field(
        default="http://127.0.0.1:8000",
        description="A running `resolutions serve` that `ask` and `search` hand their question to "
        "when it serves the same library (its /health says so); empty: always in-process",
    )

    @field_validator("api_token")
    @classmethod
    def _blank_token_is_no_token(cls, value: str) -> str:
        """A token of spaces can never be sent: it means no token (uploads off)."""
        return value.strip()

    def parse_limits(self) -> ParseLimits:
        """The caps of the parser, from these settings."""
        return ParseLimits(self.max_file_bytes, self.max_paragraphs, self.max_clauses)

    def ensure_home(self) -> Path:
        """Create the data directory if needed and return it."""
        self.home.mkdir(parents=True, exist_ok=True)
        return self.home


# What decides which library is opened and how it answers: two processes whose settings agree on
# these answer alike (the CLI hands its question to a server only then, issue 17).
IDENTITY_FIELDS = (
    "database_url",
    "chroma_url",
    "collection",
    "embedding_model",
    "embedding_backend",
    "search_k",
    "terms_file",
    "llm_provider",
    "llm_base_url",
    "llm_model",
    "llm_max_tokens",
    "agent_max_steps",
    "agent_max_tokens",
)


def library_identity(settings: Settings) -> str:
    """A digest of the data directory (its absolute path), the database URL and the settings that
    shape answers: equal for a CLI and a server that open the same library and answer alike. It
    never shows a path or URL in clear (``GET /health`` publishes it)."""
    fields: dict[str, Any] = {name: getattr(settings, name) for name in IDENTITY_FIELDS}
    fields["home"] = str(Path(settings.home).expanduser().resolve())
    if settings.terms_file is not None:
        fields["terms_file"] = str(Path(settings.terms_file).expanduser().resolve())
    text = json.dumps(fields, sort_keys=True, default=str)
    return hashlib.sha256(f"resolutions-library-1\0{text}".encode()).hexdigest()[:32]


def default_model_cache() -> Path:
    """``$XDG_CACHE_HOME/resolutions`` (default ``~/.cache/resolutions``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "resolutions"


def forbid_hub_downloads() -> None:
    """Tell the Hugging Face libraries never to reach the hub: the model weights ship in a package.

    The one place the process environment is written; call before loading a model."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def load_settings(**overrides: Any) -> Settings:
    """The settings from the environment; a bad value is a :class:`ConfigurationError` of one line
    naming the variable and the form it needs."""
    try:
        return Settings(**overrides)
    except SettingsError as error:  # a list or object that is not JSON
        found = re.search(r'field "(\w+)"', str(error))
        name = found.group(1) if found else ""
        raise ConfigurationError(
            f"{_variable(name)}: not valid JSON; give a JSON list, e.g. "
            f"{_variable(name)}='[\"https://delegates.example\"]', or unset it"
        ) from None
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else ""
        raise ConfigurationError(
            f"{_variable(name)}={first.get('input')!r}: {first['msg']}; fix it or unset it"
        ) from None


def _variable(field: str) -> str:
    return f"RESOLUTIONS_{field.upper()}"
