"""What blocks the event loop, as the mypy plugin sees it.

Functions come from the same list as FAL501
(``flake8_fastapi_layers.blocking``: ``BLOCKING_CALLS`` plus the
``extra-blocking-calls`` / minus the ``allowed-calls`` options).  The classes
in that list (``requests.Session``, ``httpx.Client``, the sync SQLAlchemy
``Session``) are different for the plugin: creating one is not the offence
(RULES.md §11); calling one of its I/O methods on any expression of that type
(or a subclass) is.
"""

from __future__ import annotations

from dataclasses import dataclass
_HTTP_IO = frozenset(
    {"request", "get", "post", "put", "patch", "delete", "head", "options", "send"}
)
_SESSION_IO = frozenset(
    {
        "execute",
        "scalar",
        "scalars",
        "get",
        "get_one",
        "merge",
        "flush",
        "commit",
        "rollback",
        "refresh",
        "close",
        "delete",
        "connection",
        "exec",  # sqlmodel
        "bulk_save_objects",
        "bulk_insert_mappings",
        "bulk_update_mappings",
    }
)


@dataclass(frozen=True)
class SyncClient:
    """A sync I/O class: its defining fullname, the names that switch it on in
    the FAL501 list, and its I/O methods."""

    fullname: str
    list_names: frozenset[str]
    methods: frozenset[str]
    alternative: str


_SESSION_NAMES = frozenset(
    {
        "sqlalchemy.orm.Session",
        "sqlalchemy.orm.session.Session",
        "sqlmodel.Session",
        "sqlmodel.orm.session.Session",
    }
)
_SQL_ALTERNATIVE = "an AsyncSession/AsyncConnection and await it"

SYNC_CLIENTS: tuple[SyncClient, ...] = (
    SyncClient("sqlalchemy.orm.session.Session", _SESSION_NAMES, _SESSION_IO, _SQL_ALTERNATIVE),
    SyncClient(
        "sqlalchemy.orm.scoping.scoped_session", _SESSION_NAMES, _SESSION_IO, _SQL_ALTERNATIVE
    ),
    SyncClient(
        "sqlalchemy.orm.query.Query",
        _SESSION_NAMES,
        frozenset(
            {"all", "first", "one", "one_or_none", "scalar", "count", "get", "delete", "update"}
        ),
        _SQL_ALTERNATIVE,
    ),
    SyncClient(
        "sqlalchemy.engine.base.Connection",
        _SESSION_NAMES | {"sqlalchemy.create_engine", "sqlalchemy.engine.create_engine"},
        frozenset(
            {"execute", "scalar", "scalars", "exec_driver_sql", "commit", "rollback", "close"}
        ),
        _SQL_ALTERNATIVE,
    ),
    SyncClient(
        "sqlalchemy.engine.base.Engine",
        frozenset({"sqlalchemy.create_engine", "sqlalchemy.engine.create_engine"}),
        frozenset({"connect", "begin"}),
        "create_async_engine() and 'async with engine.connect()'",
    ),
    SyncClient(
        "requests.sessions.Session",
        frozenset({"requests.Session", "requests.session", "requests.sessions.Session"}),
        _HTTP_IO,
        "'httpx.AsyncClient'",
    ),
    SyncClient(
        "httpx._client.Client",
        frozenset({"httpx.Client"}),
        _HTTP_IO | {"stream"},
        "'httpx.AsyncClient'",
    ),
)


def client_active(client: SyncClient, names: frozenset[str]) -> bool:
    """A client's methods are checked while one of its names is in the list."""
    return bool(client.list_names & names)
