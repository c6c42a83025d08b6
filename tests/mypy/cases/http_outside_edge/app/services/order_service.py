from __future__ import annotations

import fastapi
from fastapi import HTTPException
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.exceptions import WebSocketException

from app.core.http_errors import Gone, NotFound, Teapot
from app.core.reexport import Missing
from app.exceptions import OrderError, OrderNotFound


class OrderService:
    async def get(self, order_id: int) -> int:
        if order_id == 0:
            raise HTTPException(404, "no order")  # E: fal-http-outside-edge
        if order_id == 1:
            raise fastapi.HTTPException(status_code=404)  # E: fal-http-outside-edge
        if order_id == 2:
            raise StarletteHTTPException(404)  # E: fal-http-outside-edge
        if order_id == 3:
            raise NotFound()  # E: fal-http-outside-edge
        if order_id == 4:
            raise Gone  # E: fal-http-outside-edge
        if order_id == 5:
            raise Missing("gone")  # E: fal-http-outside-edge
        if order_id == 6:
            raise Teapot()  # E: fal-http-outside-edge
        if order_id == 7:
            raise OrderNotFound(order_id)  # a domain exception: fine
        if order_id == 8:
            raise WebSocketException(1008)  # not an HTTPException
        return order_id

    def build_error(self) -> HTTPException:  # naming the type is not raising it
        error = NotFound("later")  # E: fal-http-outside-edge
        return error

    def translate(self) -> None:
        error_class = NotFound
        raise error_class()  # E: fal-http-outside-edge

    def reraise(self) -> None:
        try:
            self.translate()
        except HTTPException:
            raise  # re-raising what came in is not creating one
        except OrderError as exc:
            if isinstance(exc, HTTPException):
                pass
