from __future__ import annotations

from fastapi import FastAPI, HTTPException

from app.exceptions import OrderNotFound

app = FastAPI()


@app.exception_handler(OrderNotFound)
async def order_not_found(exc: OrderNotFound) -> HTTPException:
    return HTTPException(404, str(exc))  # the composition root: fine
