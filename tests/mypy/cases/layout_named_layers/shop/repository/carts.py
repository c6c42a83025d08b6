from __future__ import annotations

from typing import Mapping

from shop.domain.cart import Cart


class CartRepository:
    def __init__(self) -> None:
        self._carts: dict[int, Cart] = {}

    def get(self, cart_id: int) -> Cart:
        return self._carts.setdefault(cart_id, Cart())

    def snapshot(self) -> Mapping[int, Cart]:  # E: fal-repository-raw-return
        return dict(self._carts)
