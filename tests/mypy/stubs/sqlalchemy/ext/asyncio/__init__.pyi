from .engine import AsyncConnection as AsyncConnection
from .engine import AsyncEngine as AsyncEngine
from .engine import create_async_engine as create_async_engine
from .session import AsyncSession as AsyncSession
from .session import async_sessionmaker as async_sessionmaker
