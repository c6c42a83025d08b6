from typing import Any, Literal, overload

from .base import Engine

@overload
def create_engine(url: str, *, future: Literal[True], **kwargs: Any) -> Engine: ...
@overload
def create_engine(url: str, **kwargs: Any) -> Engine: ...
