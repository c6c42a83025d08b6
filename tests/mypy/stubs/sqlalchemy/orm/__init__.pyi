from .query import Query as Query
from .scoping import scoped_session as scoped_session
from .session import Session as Session
from .session import sessionmaker as sessionmaker
from .decl_api import DeclarativeBase as DeclarativeBase
from .decl_api import Mapped as Mapped
from .decl_api import mapped_column as mapped_column
