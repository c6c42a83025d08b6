"""Verifies access tokens issued by the identity provider."""

from __future__ import annotations

import jwt

from src.core.config import get_settings

ALGORITHMS = ["RS256"]
TOKEN_AUDIENCE = "profiles"


class InvalidTokenError(Exception):
    pass


def subject_of(token: str) -> str:
    key = get_settings().jwt_public_key.get_secret_value()
    try:
        claims = jwt.decode(token, key, algorithms=ALGORITHMS, audience=TOKEN_AUDIENCE)
    except jwt.PyJWTError as exc:
        raise InvalidTokenError() from exc
    return str(claims["sub"])
