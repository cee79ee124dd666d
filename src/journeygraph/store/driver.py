"""The one place journeygraph talks to Neo4j: settings, the driver, errors.

The writer, reader and audit are handed a `Runner`; only the CLI opens and
closes a driver (`connect`). Driver errors become `StoreError` with one line
for people and the driver's exception as the cause; the password never
appears in a message.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from typing import Any, TypeVar
from urllib.parse import parse_qsl, unquote

try:
    import neo4j
    from neo4j import exceptions as neo4j_errors
except ModuleNotFoundError as _err:  # a library user reads which extra to install
    from journeygraph.extras import missing_extra

    raise (missing_extra(_err) or _err) from None

from journeygraph.exceptions import StoreError
from journeygraph.store.revision import Pinned
from journeygraph.store.runner import Runner

__all__ = ["Neo4jStore", "Settings", "connect", "redact_uri", "unsupported"]

T = TypeVar("T")

SCHEMES = ("neo4j", "bolt", "neo4j+s", "neo4j+ssc", "bolt+s", "bolt+ssc")
"""The address schemes of the Bolt protocol, which journeygraph speaks."""

# The driver logs what it also raises; journeygraph reports the error once.
# Applications that configure logging still see the driver's records.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


@dataclass(frozen=True)
class Settings:
    """Where and as whom to connect.

    Each field falls back on the standard environment variable: ``NEO4J_URI``,
    ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``.
    """

    uri: str
    user: str
    password: str
    database: str | None

    @classmethod
    def resolve(
        cls,
        *,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Settings:
        """Settings from the options given, else the environment, else the defaults.

        Examples
        --------
        >>> Settings.resolve(environ={"NEO4J_URI": "neo4j://db:7687"}).uri
        'neo4j://db:7687'
        >>> Settings.resolve(environ={}).user
        'neo4j'
        """
        env = os.environ if environ is None else environ
        address = uri or env.get("NEO4J_URI") or "neo4j://localhost:7687"
        # user:password@ in the address is taken as the login, and never sent on or shown.
        address, given_user, given_password = _split_login(address)
        return cls(
            uri=address,
            user=user or env.get("NEO4J_USERNAME") or given_user or "neo4j",
            password=password or env.get("NEO4J_PASSWORD") or given_password or "",
            database=database or env.get("NEO4J_DATABASE") or None,
        )

    def __repr__(self) -> str:
        # Never the password, not even in a traceback or a debugger.
        return f"Settings(uri={self.shown!r}, user={self.user!r}, database={self.database!r})"

    @property
    def shown(self) -> str:
        """The address as messages show it: with no password in it."""
        return redact_uri(self.uri)

    @property
    def where(self) -> str:
        """The server and database, for messages."""
        return self.shown + (f" (database {self.database!r})" if self.database else "")

    @property
    def secrets(self) -> list[str]:
        """Every text that must never reach a message: the password, and any in the address."""
        found = [self.password] if self.password else []
        parts = _ADDRESS.match(self.uri)
        query = (parts["query"] or "") if parts is not None else ""
        found += [v for k, v in parse_qsl(query) if k.lower() in _SECRET_KEYS and v]
        return found


_SECRET_KEYS = frozenset({"password", "pass", "pwd", "secret", "token", "credentials", "auth"})
_LOGIN = re.compile(r"^(?P<scheme>[^:/?#]+://)(?P<login>[^@/?#]*)@")


def _split_login(uri: str) -> tuple[str, str | None, str | None]:
    """``uri`` without ``user:password@``, and that user and password (``None`` if absent)."""
    match = _LOGIN.match(uri)
    if match is None:
        return uri, None, None
    user, colon, password = match["login"].partition(":")
    rest = match["scheme"] + uri[match.end() :]
    return rest, unquote(user) or None, unquote(password) if colon else None


# scheme://[user[:password]@]host[:port][/][?query][#fragment], each part as
# the driver reads it; a host is a name, an IPv4 address or an IPv6 one in [].
_ADDRESS = re.compile(
    r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://"
    r"(?:(?P<login>[^@/?#\[\]]*)@)?"
    r"(?P<host>\[[0-9A-Fa-f:.]+(?:%[A-Za-z0-9._~-]+)?\]|[^:/?#@\[\]]*)"
    r"(?::(?P<port>[^/?#]*))?"
    r"(?P<path>/[^?#]*)?"
    r"(?:\?(?P<query>[^#]*))?"
    r"(?P<fragment>#.*)?$",
    re.DOTALL,
)
_HOST_NAME = re.compile(r"^[A-Za-z0-9._~-]+$")
_EXAMPLE = "e.g. neo4j://localhost:7687"


def redact_uri(uri: str) -> str:
    """``uri`` as a message may show it: never with a password in it.

    A password (``user:secret@``, ``?password=``) is shown as ``***``; an
    address that cannot be read as ``scheme://host:port`` is shown up to its
    scheme and user only, since where its password is cannot be told.

    Examples
    --------
    >>> redact_uri("neo4j://neo4j:s3cret@db.example:7687/?password=x&db=sales")
    'neo4j://neo4j:***@db.example:7687/?password=***&db=sales'
    >>> redact_uri("bolt://localhost:7687")
    'bolt://localhost:7687'
    >>> redact_uri("neo4j:neo4j:s3cret@db.example:7687")
    'neo4j:…'
    >>> redact_uri("neo4j://db:7687;password=s3cret")
    'neo4j://db:…'
    """
    parts = _ADDRESS.match(uri)
    if parts is None or _address_problem(uri) is not None:
        return _head(uri, parts)
    shown = f"{parts['scheme']}://{_login_shown(parts['login'])}{parts['host']}"
    shown += f":{parts['port']}" if parts["port"] is not None else ""
    shown += parts["path"] or ""
    if parts["query"] is None:
        return shown
    query = []
    for part in parts["query"].split("&"):
        key, equals, _ = part.partition("=")
        query.append(f"{key}=***" if equals and unquote(key).lower() in _SECRET_KEYS else part)
    return shown + "?" + "&".join(query)


def _login_shown(login: str | None) -> str:
    if login is None:
        return ""
    user, colon, _ = login.partition(":")
    return f"{user}{':***' if colon else ''}@"


def _head(uri: str, parts: re.Match[str] | None) -> str:
    """What of an unreadable address can be shown: its scheme, user and host at most."""
    if parts is not None and (parts["host"] or "").strip():
        host = parts["host"]
        if _HOST_NAME.match(host) or host.startswith("["):
            return f"{parts['scheme']}://{_login_shown(parts['login'])}{host}:…"
    scheme = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*", uri)
    if scheme is None:
        return "…"
    login = _LOGIN.match(uri)
    if login is not None and "[" not in login["login"]:
        return f"{login['scheme']}{_login_shown(login['login'])}…"
    return f"{scheme.group()}:…"


def _address_problem(uri: str) -> str | None:
    """What is wrong with ``uri`` as a Neo4j address, in plain words; None if nothing.

    Examples
    --------
    >>> _address_problem("neo4j://localhost:7687") is None
    True
    >>> _address_problem("neo4j://localhost:port")
    "the port 'port' is not a port number: give one from 1 to 65535, e.g. neo4j://localhost:7687"
    """
    scheme = uri.partition(":")[0].lower()
    if "://" not in uri or scheme not in SCHEMES:
        return (
            f"give a {' or '.join(SCHEMES[:2])} address (neo4j+s:// for Aura) of the form "
            f"scheme://host:port, {_EXAMPLE}"
        )
    parts = _ADDRESS.match(uri)
    after = uri.partition("://")[2]
    if parts is None and "[" in after.partition("/")[0]:
        return (
            "its IPv6 host is not closed by ']' or is not an IPv6 address: write it in "
            "brackets, e.g. neo4j://[::1]:7687"
        )
    if parts is None:
        return f"it is not of the form scheme://host:port: {_EXAMPLE}"
    host, port = parts["host"], parts["port"]
    if not host:
        return f"it names no host: {_EXAMPLE}"
    if not host.startswith("[") and not _HOST_NAME.match(host):
        return f"its host is not a name or an IP address: {_EXAMPLE}"
    if port is not None and not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        shown = repr(port) if port.isalnum() else "after the host"
        return f"the port {shown} is not a port number: give one from 1 to 65535, {_EXAMPLE}"
    if parts["path"] not in (None, "/"):
        return f"a Neo4j address has no path (choose the database with --database): {_EXAMPLE}"
    if parts["fragment"] is not None:
        return f"a Neo4j address has no '#' part: {_EXAMPLE}"
    if parts["query"] is not None and not scheme.startswith("neo4j"):
        return (
            "only neo4j:// addresses take ?key=value routing settings: drop them, or use neo4j://"
        )
    for part in (parts["query"] or "").split("&") if parts["query"] else ():
        key, equals, value = part.partition("=")
        if not (key and equals and value):
            return "its ?key=value routing settings have a part without a key or a value: drop it"
    return None


class _Transaction:
    def __init__(self, tx: neo4j.ManagedTransaction, settings: Settings) -> None:
        self._tx = tx
        self._settings = settings

    def run(self, query: str, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
        with _out_of_memory(query, self._settings):
            return [_row(record) for record in self._tx.run(query, dict(parameters))]


_PLAIN = frozenset({str, int, float, bool, type(None)})
_PLAIN_OR_LIST = _PLAIN | {list}

FETCH_SIZE = 10_000
"""Records per batch a read asks the server for."""


def _row(record: neo4j.Record) -> dict[str, Any]:
    """The record as ``record.data()`` gives it, without that method's walk of every
    value when none needs it.

    ``data()`` turns nodes, relationships and paths into dicts and lists; rows of
    ids, text, numbers and lists of them, however nested (what pulls and audits
    read, packed tables included: `journeygraph.store.runner.unpacked`), are kept
    as they are, and the walk took half the time of pulling a large journey.
    """
    row = dict(zip(record.keys(), record.values(), strict=True))
    return row if _plain(list(row.values())) else record.data()


def _plain(values: list[Any]) -> bool:
    """Whether ``values`` are plain values or lists of them, however nested.

    Checked a level of nesting at a time, each level's types gathered at C speed:
    a packed table's row holds hundreds of thousands of values.

    >>> _plain([1, ["a", [None, 2.5]], True]), _plain([1, [{"a": 1}]])
    (True, False)
    """
    while values:
        kinds = set(map(type, values))
        if not kinds <= _PLAIN_OR_LIST:
            return False
        if list not in kinds:
            return True
        values = list(chain.from_iterable(v for v in values if type(v) is list))
    return True


@contextmanager
def _out_of_memory(query: str, settings: Settings) -> Iterator[None]:
    """Say which query ran out of transaction memory, and what to do about it.

    Neo4j classes the error as transient, so the driver would retry it to the
    same end; raised as a `StoreError`, it is reported at once.
    """
    try:
        yield
    except neo4j_errors.Neo4jError as e:
        if not _is_out_of_memory(e):
            raise
        raise StoreError(_out_of_memory_message(settings, f"running {_query_name(query)}")) from e


def _is_out_of_memory(error: neo4j_errors.Neo4jError) -> bool:
    return any(mark in (error.code or "") for mark in ("OutOfMemory", "MemoryLimit"))


def _out_of_memory_message(settings: Settings, doing: str) -> str:
    return (
        f"Neo4j at {settings.where} ran out of transaction memory {doing}: give transactions "
        "more (dbms.memory.transaction.total.max and db.memory.transaction.max in neo4j.conf)"
    )


def _query_name(query: str) -> str:
    """The shipped query ``query`` is (``audit/loop``, say), or "a query"."""
    from journeygraph.store import library

    for name in library.names():
        if library.query(name).text == query:
            return name
    return "a query"


class Neo4jStore:
    """An open connection to one Neo4j database."""

    def __init__(self, driver: neo4j.Driver, settings: Settings) -> None:
        self._driver = driver
        self.settings = settings
        # One chain of bookmarks for everything this store runs: on a cluster, a
        # read right after a write (an audit after a push) sees that write.
        self._bookmarks = neo4j.GraphDatabase.bookmark_manager()

    def run(self, query: str, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Run one statement in its own transaction (reads and schema commands), given
        its journey's current ``$revision`` when it uses one (`Pinned`)."""
        return Pinned(self._run).run(query, parameters)

    def _run(self, query: str, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
        with _translated(self.settings), _out_of_memory(query, self.settings):
            records, _, _ = self._driver.execute_query(
                query,
                dict(parameters),
                database_=self.settings.database,
                bookmark_manager_=self._bookmarks,
            )
            return [_row(record) for record in records]

    def run_implicit(self, query: str, parameters: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Run one statement in an implicit (auto-commit) transaction.

        The only kind in which ``CALL { ... } IN TRANSACTIONS`` may run.
        """
        with _translated(self.settings), self._session() as session:
            return [_row(record) for record in session.run(query, dict(parameters))]

    def plan(
        self, query: str, parameters: Mapping[str, Any], *, profile: bool = False
    ) -> list[dict[str, Any]]:
        """The operators of the query's plan, top first: EXPLAIN runs nothing;
        PROFILE runs the query (read-only) and adds rows and database hits."""
        prefix = "PROFILE " if profile else "EXPLAIN "
        if "$revision" in query and "revision" not in parameters and "journey" in parameters:
            revision = Pinned(self._run).revision(parameters["journey"])
            parameters = {**parameters, "revision": revision}
        with _translated(self.settings), self._session() as session:

            def work(tx: neo4j.ManagedTransaction) -> Any:
                summary = tx.run(prefix + query, dict(parameters)).consume()
                return summary.profile if profile else summary.plan

            tree = session.execute_read(work)
        return list(_operators(tree or {}, 0))

    def write(self, work: Callable[[Runner], T]) -> T:
        """Run ``work`` in one write transaction: all of it happens, or none."""
        with _translated(self.settings), self._session() as session:
            return session.execute_write(
                lambda tx: work(Pinned(_Transaction(tx, self.settings).run))
            )

    def read(self, work: Callable[[Runner], T]) -> T:
        """Run ``work`` in one read transaction, so that it sees one state."""
        with _translated(self.settings), self._session() as session:
            return session.execute_read(
                lambda tx: work(Pinned(_Transaction(tx, self.settings).run))
            )

    def _session(self) -> neo4j.Session:
        # Records come 10,000 at a time, not the driver's 1,000: a pull of a large
        # journey waits for fewer round trips.
        return self._driver.session(
            database=self.settings.database,
            bookmark_manager=self._bookmarks,
            fetch_size=FETCH_SIZE,
        )


def _operators(node: Mapping[str, Any], depth: int) -> Iterator[dict[str, Any]]:
    arguments = node.get("args") or node.get("arguments") or {}
    yield {
        "operator": "  " * depth + str(node.get("operatorType", "?")).split("@")[0],
        "details": " ".join(str(arguments.get("Details", "")).split()),
        "estimated_rows": round(float(arguments.get("EstimatedRows", 0) or 0), 1),
        "rows": node.get("rows"),
        "db_hits": node.get("dbHits"),
    }
    for child in node.get("children") or []:
        yield from _operators(child, depth + 1)


@contextmanager
def connect(settings: Settings) -> Iterator[Neo4jStore]:
    """Open a driver, check the server answers, and close it afterwards."""
    problem = _address_problem(settings.uri)
    if problem is not None:
        raise StoreError(f"cannot use Neo4j address {settings.shown!r}: {problem}")
    with _translated(settings), _bad_address(settings):
        driver = neo4j.GraphDatabase.driver(settings.uri, auth=(settings.user, settings.password))
    try:
        with _translated(settings), _bad_address(settings):
            driver.verify_connectivity()
        store = Neo4jStore(driver, settings)
        _check_version(store)
        yield store
    finally:
        driver.close()


def _check_version(store: Neo4jStore) -> None:
    from journeygraph.store import library

    rows = store.run(library.query("sync/server-version").text, {})
    version = str(rows[0]["version"]) if rows else "unknown"
    problem = unsupported(version)
    if problem:
        raise StoreError(f"Neo4j at {store.settings.where}: {problem}")


def unsupported(version: str) -> str | None:
    """Why journeygraph cannot work with Neo4j ``version``; None when it can.

    Examples
    --------
    >>> unsupported("5.26.0") is None and unsupported("2025.01.0") is None
    True
    >>> unsupported("5.27.0") is None and unsupported("2026.08.1") is None
    True
    >>> unsupported("5.20.0")
    'version 5.20.0 is not supported: journeygraph needs Neo4j 5.26 LTS, or 2025.01 or later \
(Cypher 25); upgrade the server'
    """
    numbers = [int(n) for n in re.findall(r"\d+", version)[:2]]
    if len(numbers) == 2 and (numbers[0] >= 2025 or (numbers[0] == 5 and numbers[1] >= 26)):
        return None
    return (
        f"version {version} is not supported: journeygraph needs Neo4j 5.26 LTS, or 2025.01 "
        "or later (Cypher 25); upgrade the server"
    )


@contextmanager
def _bad_address(settings: Settings) -> Iterator[None]:
    # The driver raises ValueError for an address it cannot parse or resolve
    # (a port that is not a number, say); only while connecting is that the cause.
    try:
        yield
    except ValueError as e:
        raise StoreError(
            f"cannot use Neo4j address {settings.shown!r}: {_one_line(e, settings)}"
        ) from e


@contextmanager
def _translated(settings: Settings) -> Iterator[None]:
    try:
        yield
    except StoreError:
        raise
    except neo4j_errors.AuthError as e:
        raise StoreError(
            f"Neo4j at {settings.shown} refused user {settings.user!r}: check the user and "
            "password (--user/--password or NEO4J_USERNAME/NEO4J_PASSWORD)"
        ) from e
    except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError) as e:
        raise StoreError(
            f"cannot reach Neo4j at {settings.shown}: is the server running, and is the "
            "address right (--uri or NEO4J_URI)?"
        ) from e
    except neo4j_errors.ConfigurationError as e:
        raise StoreError(
            f"cannot use Neo4j address {settings.shown!r}: {_one_line(e, settings)}"
        ) from e
    except neo4j_errors.Neo4jError as e:
        code = e.code or ""
        if _is_out_of_memory(e):
            raise StoreError(_out_of_memory_message(settings, "committing a transaction")) from e
        if "AccessMode" in code:
            raise StoreError(
                f"Neo4j at {settings.where} refused a write in a read-only transaction: "
                "`journeygraph neo4j query` runs a query read-only; pass --write to let it write"
            ) from e
        if "DatabaseNotFound" in code:
            raise StoreError(
                f"Neo4j at {settings.shown} has no database {settings.database!r}: check "
                "--database or NEO4J_DATABASE"
            ) from e
        raise StoreError(
            f"Neo4j at {settings.where} refused the request: {_one_line(e, settings)}"
        ) from e
    except neo4j_errors.DriverError as e:
        raise StoreError(f"Neo4j driver error at {settings.where}: {_one_line(e, settings)}") from e


def _one_line(error: BaseException, settings: Settings) -> str:
    # A driver error raised by the driver itself carries an "unknown error"
    # message (GQL status 50N42); its text is in str(). A server's error is in
    # its message.
    said = error.message if isinstance(error, neo4j_errors.Neo4jError) else None
    text = " ".join(str(said or error).split())
    # A server or the driver may echo what it was sent; no secret reaches a message.
    text = text.replace(settings.uri, settings.shown)
    for secret in settings.secrets:
        text = text.replace(secret, "***")
    return text
