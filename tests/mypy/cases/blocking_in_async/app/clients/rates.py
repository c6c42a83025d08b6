from __future__ import annotations

import httpx
import requests


class RatesClient:
    def __init__(self, http: requests.Session, client: httpx.Client) -> None:
        self.http = http
        self.client = client
