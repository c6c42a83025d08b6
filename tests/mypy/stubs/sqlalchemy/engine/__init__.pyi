from .base import Connection as Connection
from .base import Engine as Engine
from .create import create_engine as create_engine
from .cursor import CursorResult as CursorResult
from .result import Result as Result
from .row import Row as Row
from .row import RowMapping as RowMapping
