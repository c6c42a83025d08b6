from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Order(Base):
    id: Mapped[int] = mapped_column(primary_key=True)
    total: Mapped[int] = mapped_column()
