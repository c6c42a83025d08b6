from __future__ import annotations

from fastapi import APIRouter, HTTPException

from shop.domain.cart import CartFull
from shop.repository.carts import CartRepository
from shop.service.carts import CartService

router = APIRouter()
repository = CartRepository()  # E: fal-router-uses-repository
service = CartService(repository)


@router.post("/carts/{cart_id}/items")
async def add_item(cart_id: int, item: str) -> list[str]:
    try:
        cart = await service.add(cart_id, item)
    except CartFull:
        raise HTTPException(409) from None
    return cart.items


@router.get("/carts/{cart_id}")
async def read_cart(cart_id: int) -> list[str]:
    return repository.get(cart_id).items  # E: fal-router-uses-repository
