"""What blocks the event loop: FAL501's list, shared with the mypy plugin.

``flake8_fastapi_layers.rules.fal5_async`` (FAL501) and
``mypy_layers_plugin`` (``fal-blocking-in-async``) both read this module, so
the two front ends agree on what blocks.  It imports nothing of the rule
catalogue: the mypy plugin loads it on warm runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .catalogue import option

if TYPE_CHECKING:
    from .config import Config


@dataclass(frozen=True)
class BlockingOptions:
    """``[tool.fastapi-layers.FAL501]``, read by both front ends."""

    extra_blocking_calls: tuple[str, ...] = option(
        (),
        "More blocking callables, as qualified names "
        '(`["shutil.copyfileobj", "myapp.legacy.fetch"]`).',
    )
    allowed_calls: tuple[str, ...] = option(
        (),
        "Qualified names removed from the blocking list "
        '(`["builtins.open"]`); `sqlalchemy.orm.sessionmaker` turns off the '
        "`sessionmaker(...)()` check.",
    )


_HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")

#: Qualified names of callables that block the event loop when called
#: (RULES.md FAL501).  Calling the class is the offence for ``requests.Session``,
#: ``httpx.Client`` and the sync SQLAlchemy ``Session``.
BLOCKING_CALLS: frozenset[str] = frozenset(
    {
        "time.sleep",
        # requests: the module-level helpers and a sync session
        *(f"requests.{verb}" for verb in _HTTP_VERBS),
        *(f"requests.api.{verb}" for verb in _HTTP_VERBS),
        "requests.Session",
        "requests.session",
        "requests.sessions.Session",
        # urllib
        "urllib.request.urlopen",
        "urllib.request.urlretrieve",
        # httpx: the sync helpers and the sync client (not AsyncClient)
        *(f"httpx.{verb}" for verb in (*_HTTP_VERBS, "stream")),
        "httpx.Client",
        # processes
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.Popen",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
        "os.system",
        "os.popen",
        # files, terminal, sockets
        "builtins.open",
        "io.open",
        "codecs.open",
        "builtins.input",
        "socket.create_connection",
        # sync SQLAlchemy / SQLModel
        "sqlalchemy.create_engine",
        "sqlalchemy.engine.create_engine",
        "sqlmodel.create_engine",
        "sqlalchemy.orm.Session",
        "sqlalchemy.orm.session.Session",
        "sqlmodel.Session",
        "sqlmodel.orm.session.Session",
    }
)

#: Sync session factories: ``sessionmaker(...)()`` creates a sync ``Session``
#: (unless ``class_=AsyncSession`` is passed).  Calling ``sessionmaker(...)``
#: itself does no I/O, so these are not in :data:`BLOCKING_CALLS`.
SYNC_SESSIONMAKERS: frozenset[str] = frozenset(
    {"sqlalchemy.orm.sessionmaker", "sqlalchemy.orm.session.sessionmaker"}
)
ASYNC_SESSIONMAKERS: frozenset[str] = frozenset(
    {
        "sqlalchemy.ext.asyncio.async_sessionmaker",
        "sqlalchemy.ext.asyncio.session.async_sessionmaker",
    }
)
ASYNC_SESSION_CLASSES: frozenset[str] = frozenset(
    {
        "sqlalchemy.ext.asyncio.AsyncSession",
        "sqlalchemy.ext.asyncio.session.AsyncSession",
        "sqlmodel.ext.asyncio.session.AsyncSession",
    }
)
SYNC_SESSION_CLASSES: frozenset[str] = frozenset(
    {
        "sqlalchemy.orm.Session",
        "sqlalchemy.orm.session.Session",
        "sqlmodel.Session",
        "sqlmodel.orm.session.Session",
    }
)

#: What to use instead, by qualified-name prefix (first match wins).
_ALTERNATIVES: tuple[tuple[str, str], ...] = (
    ("time.sleep", "'await asyncio.sleep()'"),
    ("requests.", "'httpx.AsyncClient'"),
    ("httpx.", "'httpx.AsyncClient'"),
    ("urllib.", "'httpx.AsyncClient'"),
    ("subprocess.", "'asyncio.create_subprocess_exec()'"),
    ("os.system", "'asyncio.create_subprocess_shell()'"),
    ("os.popen", "'asyncio.create_subprocess_shell()'"),
    ("builtins.open", "'anyio.open_file()'/aiofiles or 'await asyncio.to_thread(...)'"),
    ("io.open", "'anyio.open_file()'/aiofiles or 'await asyncio.to_thread(...)'"),
    ("codecs.open", "'anyio.open_file()'/aiofiles or 'await asyncio.to_thread(...)'"),
    ("socket.", "'asyncio.open_connection()'"),
    ("sqlalchemy.", "'create_async_engine'/'AsyncSession' and await the queries"),
    ("sqlmodel.", "'create_async_engine'/'AsyncSession' and await the queries"),
)
_DEFAULT_ALTERNATIVE = "an async API or 'await asyncio.to_thread(...)'"


def blocking_calls(config: Config) -> frozenset[str]:
    """The blocking callables in effect: the defaults plus ``extra-blocking-calls``
    minus ``allowed-calls`` (both FAL501 options, qualified names)."""
    options = config.options(BlockingOptions)
    return (BLOCKING_CALLS | frozenset(options.extra_blocking_calls)) - frozenset(
        options.allowed_calls
    )


def alternative(qualified: str) -> str:
    """What to use instead of a blocking callable, for messages."""
    for prefix, instead in _ALTERNATIVES:
        if qualified.startswith(prefix):
            return instead
    return _DEFAULT_ALTERNATIVE
