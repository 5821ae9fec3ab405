"""One Neo4j server as the store talks to it: the driver and its sessions, the driver's failures as ours.

`Neo4jConnection` is what the store's reads and writes (`graph.neo4j.store`)
and its loads in several transactions (`graph.neo4j.bulk`) share: sessions and
reads, the schema, the version node every write locks first, the size of a
transaction on this server, deleting in batches and the full-text index.

Every driver failure to reach the server or to log in becomes `StoreUnavailable`,
naming the URI and never the password; the driver does not retry, so a call
against a dead server fails at once, and the same connection works again when
the server is back.

    >>> connection = Neo4jConnection(Neo4jSettings(uri="bolt://127.0.0.1:1"))
    >>> connection.ping()                                               # doctest: +SKIP
    Traceback (most recent call last):
    graph.errors.StoreUnavailable: Neo4j at bolt://127.0.0.1:1 is unavailable while checking the connection: ...
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Self

from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    Driver,
    GraphDatabase,
    ManagedTransaction,
    Record,
    RoutingControl,
    Session,
)
from neo4j import exceptions as driver_errors
from neo4j import time as driver_time

from graph.errors import GraphIntegrityError, StoreUnavailable
from graph.neo4j import cypher
from graph.neo4j.settings import Neo4jSettings

__all__ = ["Neo4jConnection"]


class Neo4jConnection:
    """The driver of one Neo4j server, with what every write and read of the store needs from it.

    The constructor does not connect: the first call does, and `ping()` checks
    the server, the login and the database. Every method raises `StoreUnavailable`
    when the server cannot be reached or refuses the login.

    `batch_size` is the rows of one `UNWIND` statement; `max_transaction_rows`
    the nodes and edges of one transaction (None: worked out from the server's
    transaction memory limit by `transaction_rows()`); `load_workers` how many
    transactions of a load in several run side by side. `driver` is the Neo4j
    driver itself, for Cypher the store does not offer (tests, administration);
    `schema_ready` says whether this process has set up the schema (`setup_schema`).
    """

    def __init__(
        self,
        settings: Neo4jSettings | None = None,
        *,
        batch_size: int = 10_000,
        max_transaction_rows: int | None = None,
        load_workers: int = 2,
        connection_timeout: float = 5.0,
    ) -> None:
        self.settings = settings if settings is not None else Neo4jSettings.from_env()
        self.batch_size = batch_size
        self.max_transaction_rows = max_transaction_rows
        self.load_workers = load_workers
        self.schema_ready = False
        self._schema_lock = threading.Lock()
        try:  # the settings have checked the URI's scheme, host and port
            self.driver: Driver = GraphDatabase.driver(
                self.settings.uri,
                auth=self.settings.auth,
                connection_timeout=connection_timeout,
                connection_acquisition_timeout=2 * connection_timeout,
                # The driver's default retries make a call against a dead server hang for 30-60 s.
                max_transaction_retry_time=0.0,
            )
        except (driver_errors.ConfigurationError, ValueError) as error:
            raise StoreUnavailable(f"Neo4j at {self.settings.uri} cannot be used: {error}") from error

    # -- lifecycle ---------------------------------------------------------------

    def close(self) -> None:
        """Close the driver and its connections."""
        self.driver.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def ping(self) -> None:
        """Check that the server answers, takes the login and has the database; else raise `StoreUnavailable`."""
        self.read_query("RETURN 1 AS ok", {}, "checking the connection")

    def setup_schema(self) -> None:
        """Create the constraints and indexes the store relies on (idempotent) and wait until they are online.

        A uniqueness constraint on `Node.id`; range indexes on the properties
        `find` is called with (`key`, `name`, `code`, `government`, `power_type`,
        `person_id`, `case_id`, `record_id`) for the kinds that have them; and
        the full-text index `quanze_power_item_text` (whitespace analyser) over
        the power items' `_text`, for `power_items_containing` (it replaces
        `quanze_text`, a CJK index of the shown texts, which is dropped). Codes
        are indexed, not unique: one code names several sub-items of a power
        item, and several governments' lists.
        """
        with self.translated("setting up the schema"), self.session() as session:
            for statement in cypher.SCHEMA:
                session.run(statement).consume()
            session.run("CALL db.awaitIndexes(300)").consume()
        self.schema_ready = True

    def ensure_schema(self) -> None:
        """Set up the schema unless this process has (once, however many threads write)."""
        if not self.schema_ready:
            with self._schema_lock:
                if not self.schema_ready:
                    self.setup_schema()

    def create_text_index(self) -> None:
        """Create the full-text index of the power items' text if it is missing, and wait until it is online."""
        with self.session() as session:
            session.run(cypher.CREATE_TEXT_INDEX).consume()
            session.run(cypher.AWAIT_TEXT_INDEX).consume()

    # -- sessions and reads ------------------------------------------------------

    def session(self, *, notifications: bool = True, read: bool = False) -> Session:
        """A session on the database of the settings (the server's notifications off, if asked)."""
        return self.driver.session(
            database=self.settings.database,
            default_access_mode=READ_ACCESS if read else WRITE_ACCESS,
            bookmark_manager=self.driver.execute_query_bookmark_manager,
            notifications_min_severity=None if notifications else "OFF",
        )

    def read_query(self, query: str, params: dict[str, Any], doing: str) -> list[Record]:
        """The records of a read, in a transaction of its own (one round trip: `execute_query` takes two),
        the driver's failures translated as `translated` does, saying what it was `doing`.

            >>> connection.read_query("RETURN 1 AS ok", {}, "checking")[0]["ok"]    # doctest: +SKIP
            1
        """
        with self.translated(doing), self.session(read=True) as session:
            return list(session.run(query, params))

    def transaction_rows(self) -> int:
        """How many nodes and edges one write may hold to be one transaction: `max_transaction_rows`, or
        the server's limit on the memory of a transaction (or of all of them) over 8 KB, or 50,000 when
        the server sets no limit or does not say."""
        if self.max_transaction_rows is None:
            with self.translated("reading the transaction memory limits"):
                try:
                    records, _, _ = self.driver.execute_query(
                        cypher.MEMORY_SETTINGS, database_=self.settings.database, routing_=RoutingControl.READ
                    )
                except driver_errors.ClientError as error:
                    if error.code not in _SETTINGS_REFUSED:
                        raise
                    records = []  # a user not allowed to read the settings
            known = [limit for limit in (_bytes(record["value"]) for record in records) if limit]
            found = min(known) // _TRANSACTION_BYTES_PER_ROW if known else _DEFAULT_TRANSACTION_ROWS
            self.max_transaction_rows = max(found, 100)
        return self.max_transaction_rows

    # -- what writes share -------------------------------------------------------

    def begin_write(self, tx: ManagedTransaction, *, versions: int = 0, changes: int = 0) -> None:
        """Lock the version node, raising the version and the count of changes; refuse while a load runs."""
        meta = tx.run(cypher.BEGIN_WRITE, versions=versions, changes=changes).single(strict=True)["meta"]
        if meta.get("loading") is not None:
            since, seen = (_when(meta.get(name)) for name in ("loading_since", "loading_seen"))
            raise StoreUnavailable(
                f"Neo4j at {self.settings.uri} is busy: a load in several transactions ({meta['loading']}), "
                f"begun {since} and last heard of {seen}, is under way, and writes wait until it ends. If the "
                "process that ran it is gone, Neo4jStore.clear() removes what it wrote"
            )

    def delete_in_batches(self, session: Session, load: str | None) -> None:
        """Delete every edge, then every node, tagged with `load` (or all of them), in transactions of their own."""
        # Edges first, as a node may have thousands; `CALL { WITH … }` is deprecated from 5.23 on,
        # but its successor `CALL (e) { … }` is not understood before, hence no notifications.
        rows = min(self.transaction_rows(), 10_000)
        for delete in cypher.DELETE_IN_BATCHES if load is None else cypher.DELETE_LOAD_IN_BATCHES:
            session.run(delete, load=load, rows=rows).consume()

    @contextmanager
    def translated(self, doing: str) -> Iterator[None]:
        """Turn the driver's errors into ours: `StoreUnavailable` naming the URI, never the password."""
        where = f"Neo4j at {self.settings.uri}"
        try:
            yield
        except driver_errors.AuthError as error:
            raise StoreUnavailable(
                f"{where} refused the login of user {self.settings.user!r} while {doing}: "
                f"{self._reason(error)} (check NEO4J_USER and NEO4J_PASSWORD)"
            ) from error
        except driver_errors.IncompleteCommit as error:
            raise StoreUnavailable(
                f"{where}: the connection broke during the commit while {doing}; "
                f"the write may or may not have been applied ({self._reason(error)})"
            ) from error
        except (
            driver_errors.ServiceUnavailable,
            driver_errors.SessionExpired,
            driver_errors.ConnectionAcquisitionTimeoutError,
        ) as error:
            raise StoreUnavailable(f"{where} is unavailable while {doing}: {self._reason(error)}") from error
        except driver_errors.ConstraintError as error:  # a concurrent writer created the same id
            raise GraphIntegrityError(f"{where} rejected the write: {self._reason(error)}") from error
        except (driver_errors.TransientError, driver_errors.DatabaseError) as error:
            if error.code in _MEMORY_CODES:
                rows = self.max_transaction_rows
                raise StoreUnavailable(
                    f"{where} ran out of transaction memory while {doing}; the transaction was rolled back: "
                    f"{self._reason(error)}. Neo4j holds 2-4 KB of transaction state for each new node or edge, "
                    f"more for big properties, and this store writes up to {f'{rows:,}' if rows else 'a number'} of "
                    "them in one transaction (max_transaction_rows): give the server more heap, or the store "
                    "a lower max_transaction_rows"
                ) from error
            raise StoreUnavailable(f"{where} failed while {doing}: {self._reason(error)}") from error
        except driver_errors.ClientError as error:
            if (error.code or "").startswith("Neo.ClientError.Security."):
                raise StoreUnavailable(
                    f"{where} refused user {self.settings.user!r} while {doing}: {self._reason(error)}"
                ) from error
            if error.code in _UNAVAILABLE_CODES:
                raise StoreUnavailable(
                    f"{where} has no usable database {self.settings.database!r}: {self._reason(error)}"
                ) from error
            raise
        except OSError as error:
            raise StoreUnavailable(f"{where} is unavailable while {doing}: {self._reason(error)}") from error

    def _reason(self, error: BaseException) -> str:
        reason = " ".join(str(error).split())
        # "Couldn't connect to … (resolved to …): Failed to … (reason [Errno 111] Connection refused)"
        refused = _CONNECT_REASON.search(reason)
        if refused:
            reason = refused.group(1)
        if isinstance(error, driver_errors.Neo4jError) and error.code:
            reason = f"{error.code}: {error.message or reason}"
        if len(reason) > 300:
            reason = reason[:297] + "..."
        password = self.settings.password
        return reason.replace(password, "***") if password else reason


_SETTINGS_REFUSED = {
    "Neo.ClientError.Security.Forbidden",
    "Neo.ClientError.Procedure.ProcedureNotFound",
    "Neo.ClientError.Procedure.ProcedureCallFailed",
}
_TRANSACTION_BYTES_PER_ROW = 8 * 1024
_DEFAULT_TRANSACTION_ROWS = 50_000
_CONNECT_REASON = re.compile(r"\(reason (.+)\)$")
_MEMORY_CODES = {
    "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
    "Neo.TransientError.General.TransactionMemoryLimit",
    "Neo.TransientError.General.OutOfMemoryError",
}
_UNAVAILABLE_CODES = {
    "Neo.ClientError.Database.DatabaseNotFound",
    "Neo.ClientError.Database.DatabaseUnavailable",
}
_BYTE_UNITS = {"B": 1, "KIB": 1024, "MIB": 1024**2, "GIB": 1024**3, "TIB": 1024**4}


def _when(value: Any) -> str:
    """A Neo4j DateTime as an ISO time to the second, in UTC."""
    if isinstance(value, driver_time.DateTime):
        return value.to_native().isoformat(timespec="seconds")
    return "?"


def _bytes(setting: Any) -> int:
    """A memory setting as Neo4j shows it (`358.40MiB`, `0B`) in bytes; 0 for none or what cannot be read."""
    found = re.fullmatch(r"\s*([0-9.]+)\s*([KMGT]iB|B)\s*", str(setting), re.IGNORECASE)
    if not found:
        return 0
    return int(float(found.group(1)) * _BYTE_UNITS[found.group(2).upper()])
