from typing import Any, Generic, TypeVar

_T = TypeVar("_T")

class DeclarativeBase: ...

class Mapped(Generic[_T]):
    def __get__(self, instance: object, owner: Any) -> _T: ...

def mapped_column(*args: Any, **kwargs: Any) -> Any: ...
