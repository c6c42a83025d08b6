from __future__ import annotations


def fetch_report(name: str) -> str:
    return name


class LegacyClient:
    def call(self, name: str) -> str:
        return name

    def ping(self) -> None:
        pass


class RetryingClient(LegacyClient):
    pass
