from __future__ import annotations

import time

import httpx
import requests

from app.legacy import client as legacy
from app.legacy.client import LegacyClient, RetryingClient, fetch_report


async def report(
    c: LegacyClient, r: RetryingClient, http: requests.Session, client: httpx.Client
) -> None:
    fetch_report("a")  # E: fal-blocking-in-async
    legacy.fetch_report("b")  # E: fal-blocking-in-async
    c.call("c")  # E: fal-blocking-in-async
    r.call("d")  # E: fal-blocking-in-async
    c.ping()  # not in the list
    time.sleep(1)  # E: fal-blocking-in-async
    with open("x.txt") as handle:  # allowed by the config
        handle.read()
    http.get("https://example.org")  # requests.Session allowed by the config
    client.get("https://example.org")  # one method allowed by the config
    client.post("https://example.org")  # E: fal-blocking-in-async
