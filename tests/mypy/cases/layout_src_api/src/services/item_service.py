from __future__ import annotations

import httpx
from fastapi.responses import JSONResponse

from core.config import API_URL
from models.domain.item import Item, ItemNotFound
from repositories.item_repository import ItemRepository


class ItemService:
    def __init__(self, repo: ItemRepository, client: httpx.Client) -> None:
        self.repo = repo
        self.client = client

    async def get(self, item_id: int) -> Item:
        item = self.repo.get(item_id)
        if item is None:
            raise ItemNotFound(item_id)
        self.repo.session_for_tests().commit()  # E: fal-blocking-in-async
        return item

    async def price(self, item: Item) -> float:
        response = self.client.get(f"{API_URL}/prices/{item.id}")  # E: fal-blocking-in-async
        return float(response.json())

    def as_response(self, item: Item) -> JSONResponse:  # E: fal-http-type-in-service
        return JSONResponse({"id": item.id})
