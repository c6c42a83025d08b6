from __future__ import annotations

import asyncio
import subprocess
import time
import time as t
from time import sleep as nap

import httpx
import requests
from requests import get as fetch
from sqlalchemy import create_engine, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.clients.rates import RatesClient
from app.db.session import AuditedSession, ScopedSession, sync_session


class ReportService:
    def __init__(self, session: Session, asession: AsyncSession, rates: RatesClient) -> None:
        self.session = session  # a sync Session that arrived through the constructor
        self.asession = asession
        self.rates = rates

    async def build(self, audited: AuditedSession) -> None:
        time.sleep(1)  # E: fal-blocking-in-async
        t.sleep(1)  # E: fal-blocking-in-async
        nap(1)  # E: fal-blocking-in-async
        self.session.execute(select(1))  # E: fal-blocking-in-async
        self.session.commit()  # E: fal-blocking-in-async
        self.session.add(object())  # no I/O: fine
        audited.scalars(select(1))  # E: fal-blocking-in-async
        sync_session().execute(text("select 1"))  # E: fal-blocking-in-async
        ScopedSession.execute(text("select 1"))  # E: fal-blocking-in-async
        self.session.query(int).all()  # E: fal-blocking-in-async
        self.rates.http.get("https://rates")  # E: fal-blocking-in-async
        self.rates.client.post("https://rates")  # E: fal-blocking-in-async
        requests.get("https://rates")  # E: fal-blocking-in-async
        fetch("https://rates")  # E: fal-blocking-in-async
        httpx.get("https://rates")  # E: fal-blocking-in-async
        subprocess.run(["ls"])  # E: fal-blocking-in-async
        with open("report.txt") as handle:  # E: fal-blocking-in-async
            handle.read()
        create_engine("sqlite://")  # E: fal-blocking-in-async

    async def fine(self) -> None:
        await asyncio.sleep(1)
        await self.asession.execute(select(1))
        await self.asession.commit()
        async with httpx.AsyncClient() as client:
            await client.get("https://rates")
        await asyncio.to_thread(time.sleep, 1)  # handing it to a thread is the fix
        client_factory = httpx.Client  # obtaining a client is not a call of its I/O
        sync = requests.Session()  # nor is creating one
        del client_factory, sync
        Session()  # creating a Session is FAL501/FAL505 for flake8, not this check

    async def nested(self) -> None:
        def helper() -> None:
            time.sleep(1)  # runs where it is called, not on the loop here

        callback = lambda: time.sleep(1)  # noqa: E731  (a lambda is its own frame)
        await asyncio.to_thread(helper)
        await asyncio.to_thread(callback)

    def sync_job(self) -> None:
        time.sleep(1)  # a plain def may block
        self.session.execute(select(1))
        requests.get("https://rates")
