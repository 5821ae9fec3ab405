"""The service's settings, in one place: environment variables `QUANZE_*` or a settings file.

    QUANZE_WORKBOOK=data/city.xlsx QUANZE_TOKENS='{"<sha256 of a token>": "investigator"}' quanze serve

Tokens are stored as the sha256 hex digests of the bearer tokens, never the
tokens themselves; `hash_token` makes one. A settings file (`QUANZE_SETTINGS_FILE`
or `--settings`) holds the same keys as the environment, in a `.env` format.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "hash_token"]


def hash_token(token: str) -> str:
    """The sha256 hex digest under which a bearer token is kept in the settings."""
    return hashlib.sha256(token.encode()).hexdigest()


class Settings(BaseSettings):
    """Everything `quanze serve` can be told."""

    model_config = SettingsConfigDict(env_prefix="QUANZE_", extra="ignore")

    workbook: Path | None = Field(default=None, description="the workbook to serve; the demo when unset")
    store: str = Field(default="memory", description="memory or neo4j")
    host: str = "127.0.0.1"
    port: int = 8000
    tokens: dict[str, str] = Field(
        default_factory=dict, description="sha256 of a bearer token -> role (staffing, investigator, admin)"
    )
    graphiql: bool = Field(default=True, description="serve GraphiQL on GET /graphql")
    introspection: bool = Field(default=True, description="answer introspection queries")
    cors_origins: list[str] = Field(default_factory=list, description="origins allowed to call the API")
