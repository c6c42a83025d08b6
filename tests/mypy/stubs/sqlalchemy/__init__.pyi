from .engine import create_engine as create_engine
from .engine.row import Row as Row
from .engine.row import RowMapping as RowMapping
from .engine.result import Result as Result
from .sql.expression import select as select
from .sql.expression import text as text
