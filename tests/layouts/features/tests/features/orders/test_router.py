from __future__ import annotations

from decimal import Decimal
from http import HTTPStatus
from unittest.mock import AsyncMock

from httpx import AsyncClient

from app.dependencies import get_order_service
from app.main import app
from features.orders.exceptions import OrderNotFoundError
from features.orders.models import Order, OrderStatus
from features.orders.service import OrderService
from features.users.models import User  # tests may import any layer of any feature (RULES §2)


def make_rows() -> tuple[User, Order]:
    user = User(id=1, email="ada@example.com", full_name="Ada", hashed_password="x")
    order = Order(id=7, user_id=user.id, idempotency_key="k-123456", total=Decimal("9.99"))
    order.status = OrderStatus.PENDING
    return user, order


async def test_cancel_unknown_order_is_404(client: AsyncClient) -> None:
    service = AsyncMock(spec=OrderService)
    service.cancel.side_effect = OrderNotFoundError(7)
    app.dependency_overrides[get_order_service] = lambda: service
    response = await client.post("/api/v1/orders/7/cancel")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.status_code == 404
