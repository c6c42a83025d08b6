from __future__ import annotations


def count_items(items: dict[int, str]) -> int:
    return len(items)
