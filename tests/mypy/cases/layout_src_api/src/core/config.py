from __future__ import annotations

API_URL = "https://inventory.internal"
