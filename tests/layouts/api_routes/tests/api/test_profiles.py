from __future__ import annotations

from unittest.mock import patch

from fastapi.testclient import TestClient

from src.api.dependencies import get_current_user
from src.main import app


def test_avatar_requires_a_url() -> None:
    app.dependency_overrides[get_current_user] = lambda: "00000000-0000-0000-0000-000000000001"
    with patch("time.sleep"), TestClient(app) as client:
        response = client.post("/api/v1/profiles/me/avatar", json={})
    assert response.status_code == 422
