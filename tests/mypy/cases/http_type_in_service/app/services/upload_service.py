from __future__ import annotations

from typing import Optional

import fastapi
import starlette.requests
from fastapi import BackgroundTasks, Response, UploadFile, WebSocket
from fastapi.responses import JSONResponse

from app.web.http import HttpRequest, ProblemResponse, TenantRequest


class UploadService:
    async def store(self, file: UploadFile) -> str:  # E: fal-http-type-in-service
        return str(await file.read())

    async def store_many(self, files: list[UploadFile]) -> int:  # E: fal-http-type-in-service
        return len(files)

    def schedule(self, tasks: BackgroundTasks, name: str) -> None:  # E: fal-http-type-in-service
        tasks.add_task(print, name)

    def answer(self, payload: dict[str, int]) -> JSONResponse:  # E: fal-http-type-in-service
        return JSONResponse(payload)

    def problem(self) -> Optional[ProblemResponse]:  # E: fal-http-type-in-service
        return None

    def store_bytes(self, name: str, content: bytes) -> str:  # plain values: fine
        return name

    @staticmethod
    def fine(value: int) -> int:
        return value


def tenant_of(request: TenantRequest) -> str:  # E: fal-http-type-in-service
    return str(request.url)


def client_ip(request: fastapi.Request) -> str:  # E: fal-http-type-in-service
    return str(request.headers)


def raw(request: starlette.requests.Request, *extra: HttpRequest) -> None:  # E: fal-http-type-in-service
    pass


async def chat(ws: WebSocket) -> None:  # E: fal-http-type-in-service
    await ws.accept()


def empty() -> Response:  # E: fal-http-type-in-service
    return Response(status_code=204)


def response_class() -> type[JSONResponse]:  # E: fal-http-type-in-service
    return JSONResponse


def untyped(request):  # type: ignore[no-untyped-def, unused-ignore]
    return request  # no annotation: nothing to see (mypy --strict reports it)
