from __future__ import annotations

from fastapi import APIRouter, Request, UploadFile

from app.services.upload_service import UploadService

router = APIRouter()


@router.post("/uploads")
async def upload(request: Request, file: UploadFile) -> str:  # the edge: fine
    return UploadService().store_bytes(file.filename or "", await file.read())
