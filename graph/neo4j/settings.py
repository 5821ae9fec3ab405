"""Where the Neo4j server is and how to log in: `Neo4jSettings`, read from the environment or given.

A URI is checked when the settings are made, so a typo fails with a message
naming the setting, NEO4J_URI, rather than with the driver's traceback on the
first query; a password written into the URI is never shown.

    >>> Neo4jSettings.from_env({"NEO4J_URI": "bolt://db:7687", "NEO4J_PASSWORD": "s3cret"})
    Neo4jSettings(uri='bolt://db:7687', user='neo4j', database='neo4j')
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from graph.errors import StoreUnavailable

__all__ = ["DEFAULT_URI", "Neo4jSettings"]

DEFAULT_URI = "bolt://127.0.0.1:7687"


@dataclass(frozen=True, slots=True)
class Neo4jSettings:
    """Where the Neo4j server is and how to log in; an empty password means a server without auth.

    The password is left out of the `repr`, so settings can be logged. A URI that
    is not one (a scheme the driver does not speak, no host, a port that is not a
    number) raises `StoreUnavailable` naming the setting, NEO4J_URI, and the URI
    without any password written into it.

        >>> Neo4jSettings(password="s3cret")
        Neo4jSettings(uri='bolt://127.0.0.1:7687', user='neo4j', database='neo4j')
        >>> Neo4jSettings(uri="bolt://localhost:abc")
        Traceback (most recent call last):
        graph.errors.StoreUnavailable: NEO4J_URI bolt://localhost:abc is not a Neo4j URI: the port 'abc' is not a number
    """

    uri: str = DEFAULT_URI
    user: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str = "neo4j"

    def __post_init__(self) -> None:
        problem = _uri_problem(self.uri)
        if problem is not None:
            raise StoreUnavailable(f"NEO4J_URI {_shown_uri(self.uri)} is not a Neo4j URI: {problem}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Neo4jSettings:
        """Settings from `NEO4J_URI`, `NEO4J_USER`, `NEO4J_PASSWORD` and `NEO4J_DATABASE` (or `environ`).

        >>> Neo4jSettings.from_env({"NEO4J_DATABASE": "quanze"}).database
        'quanze'
        """
        env = os.environ if environ is None else environ
        return cls(
            uri=env.get("NEO4J_URI") or DEFAULT_URI,
            user=env.get("NEO4J_USER") or "neo4j",
            password=env.get("NEO4J_PASSWORD", ""),
            database=env.get("NEO4J_DATABASE") or "neo4j",
        )

    @property
    def auth(self) -> tuple[str, str] | None:
        """The driver's basic auth, or None for a server without auth."""
        return (self.user, self.password) if self.password else None


_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def _uri_problem(uri: str) -> str | None:
    """What keeps `uri` from being a Neo4j server's address, or None."""
    parts = urlsplit(uri)
    if parts.scheme not in _SCHEMES:
        return "it must start with " + " or ".join(f"{scheme}://" for scheme in _SCHEMES)
    if not parts.hostname:
        return "it names no host"
    port = parts.netloc.rpartition("@")[2].rpartition("]")[2].partition(":")[2]
    if port and not (port.isascii() and port.isdigit()):
        return f"the port {port!r} is not a number"
    if port and not 0 < int(port) < 65536:
        return f"the port {port} is not between 1 and 65535"
    return None


def _shown_uri(uri: str) -> str:
    """`uri` as it may be shown: without a password written into it (`bolt://user:secret@host`)."""
    parts = urlsplit(uri)
    if parts.password is None:
        return uri
    user, _, host = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"{user.partition(':')[0]}:***@{host}"))
