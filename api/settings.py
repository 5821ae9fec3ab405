"""The service's settings, in one place: environment variables `QUANZE_*` or a settings file.

    QUANZE_TOKENS='{"<sha256 of a token>": "investigator"}' quanze serve
    QUANZE_TOKENS='{"<sha256>": {"role": "staffing", "name": "王芳"}}' QUANZE_LEDGER=/var/lib/quanze/ledger.sqlite3 quanze serve
    quanze serve --settings /etc/quanze.env

Tokens are kept as the sha256 hex digests of the bearer tokens, never the tokens
themselves (`hash_token` makes one), and settings are never logged. A token maps
to a role, or to a role and the name of its holder, which the ledger records as the
reviewer of their reviews (`api.roles.Caller`). A settings
file holds the same keys as the environment (`QUANZE_TOKENS=…`, one per line).
For production: `QUANZE_INTROSPECTION=false QUANZE_GRAPHIQL=false`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.limits import Limits
from api.roles import Caller
from graph.analyses.trace import DEFAULT_IDLE_TOLERANCE

__all__ = ["Settings", "hash_token"]


def hash_token(token: str) -> str:
    """The sha256 hex digest under which a bearer token is kept in the settings."""
    return hashlib.sha256(token.encode()).hexdigest()


class Settings(BaseSettings):
    """Everything `quanze serve` can be told."""

    model_config = SettingsConfigDict(env_prefix="QUANZE_", extra="ignore", hide_input_in_errors=True)

    workbook: Path | None = Field(default=None, description="the workbook to serve; the demo when unset")
    store: str = Field(default="memory", description="memory or neo4j")
    host: str = "127.0.0.1"
    port: int = 8000
    tokens: dict[str, str | dict[str, Any]] = Field(
        default_factory=dict,
        description="sha256 of a bearer token -> role (staffing, investigator, admin), or "
        '{"role": ..., "name": ...}: the name is the reviewer the ledger records',
        repr=False,
    )
    ledger: Path | None = Field(
        default=None,
        description="the SQLite file of the ledger (reviews, editions) of a memory store; unset: the "
        "caller of create_app gives one (quanze serve: --ledger), or the service keeps none",
    )
    graphiql: bool = Field(default=True, description="serve GraphiQL on GET /graphql")
    introspection: bool = Field(default=True, description="answer introspection queries")
    cors_origins: list[str] = Field(default_factory=list, description="origins allowed to call the API")
    max_body_bytes: int = Field(default=64 * 1024, description="the largest request body accepted")
    max_response_bytes: int = Field(
        default=4 * 1024 * 1024,
        description="the largest answer sent; a larger one is a RESPONSE_TOO_LARGE error",
    )
    request_timeout: float = Field(
        default=15.0, description="seconds a query may run (and wait for the analyses) before it stops"
    )
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5000
    max_cost: int = 50_000
    persisted_queries: int = Field(default=2000, description="how many persisted queries are remembered")
    response_cache: int = Field(
        default=512, description="how many answers are kept per store version (0: none)"
    )
    idle_tolerance: int = Field(
        default=DEFAULT_IDLE_TOLERANCE,
        ge=0,
        description="working days a case may wait between stages before a trace reports IDLE_BETWEEN_STAGES",
    )

    @field_validator("tokens")
    @classmethod
    def _known_roles(cls, tokens: dict[str, str | dict[str, Any]]) -> dict[str, str | dict[str, Any]]:
        for digest, caller in tokens.items():
            if len(digest) != 64 or any(c not in "0123456789abcdefABCDEF" for c in digest):
                raise ValueError(
                    "tokens are keyed by the sha256 hex digest of the token, not the token itself"
                )
            Caller.parse(caller)
        return {digest.lower(): caller for digest, caller in tokens.items()}

    @property
    def callers(self) -> dict[str, Caller]:
        """The callers of the tokens, by the sha256 hex digest of each token."""
        return {digest: Caller.parse(caller) for digest, caller in self.tokens.items()}

    @property
    def limits(self) -> Limits:
        return Limits(
            max_depth=self.max_depth,
            max_aliases=self.max_aliases,
            max_tokens=self.max_tokens,
            max_cost=self.max_cost,
        )

    @classmethod
    def from_file(cls, path: Path | None) -> Settings:
        """The settings from the environment, with `path` (a .env file) read first when given."""
        return cls(_env_file=path) if path else cls()  # type: ignore[call-arg]
