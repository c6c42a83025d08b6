from __future__ import annotations

import time

from fastapi import UploadFile

from shop.domain.cart import Cart, CartFull
from shop.repository.carts import CartRepository


class CartService:
    def __init__(self, repo: CartRepository) -> None:
        self.repo = repo

    async def add(self, cart_id: int, item: str) -> Cart:
        cart = self.repo.get(cart_id)
        if len(cart.items) > 10:
            raise CartFull()
        time.sleep(0.01)  # E: fal-blocking-in-async
        cart.add(item)
        return cart

    async def import_items(self, cart_id: int, upload: UploadFile) -> Cart:  # E: fal-http-type-in-service
        cart = self.repo.get(cart_id)
        for line in (await upload.read()).decode().splitlines():
            cart.add(line)
        return cart
