from typing import Any, TypeVar

from .result import Result

_T = TypeVar("_T", bound=tuple[Any, ...])

class CursorResult(Result[_T]): ...
