"""Pagination helpers (utils/ has no layer: only the layer-free rules apply)."""

from __future__ import annotations

from config import settings


def clamp(limit, minimum=1):
    return max(minimum, min(limit, settings.page_size_max))


def page_links(base_url, limit, offset, total):
    links = {}
    if offset + limit < total:
        links["next"] = f"{base_url}?limit={limit}&offset={offset + limit}"
    if offset > 0:
        links["prev"] = f"{base_url}?limit={limit}&offset={max(0, offset - limit)}"
    return links
