"""Domain entity: a public profile."""

from __future__ import annotations

import re
from dataclasses import dataclass
from uuid import UUID

from src.db.models import ProfileRow  # expect: FAL104 -- the domain maps itself from an ORM row

HANDLE_RE = re.compile(r"^[a-z0-9_]{3,40}$")


class InvalidHandleError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Profile:
    id: UUID
    handle: str
    display_name: str
    bio: str
    avatar_url: str | None

    @classmethod
    def from_row(cls, row: ProfileRow) -> Profile:
        return cls(row.id, row.handle, row.display_name, row.bio, row.avatar_url)


def normalise_handle(handle) -> str:  # expect: FAL602
    handle = handle.strip().lower()
    if not HANDLE_RE.match(handle):
        raise InvalidHandleError(handle)
    return handle
