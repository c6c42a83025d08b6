"""Logging configuration: JSON lines with the request id."""

from __future__ import annotations

import logging
import logging.config


def configure_logging(level: str = "INFO") -> None:
    logging.config.dictConfig(
        {
            "version": 1,
            "formatters": {"json": {"format": '{"level": "%(levelname)s", "msg": "%(message)s"}'}},
            "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json"}},
            "root": {"level": level, "handlers": ["stdout"]},
        }
    )
