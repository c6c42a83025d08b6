from __future__ import annotations

from fastapi import FastAPI

from features.orders.router import router as orders_router

app = FastAPI()
app.include_router(orders_router)
