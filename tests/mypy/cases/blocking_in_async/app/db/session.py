from __future__ import annotations

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, scoped_session, sessionmaker

engine = create_engine("sqlite://")
SessionLocal = sessionmaker(engine)
ScopedSession = scoped_session(SessionLocal)


class AuditedSession(Session):
    """A sync Session subclass: its I/O methods block too."""


def sync_session() -> Session:
    return SessionLocal()
