"""Structured logs (structlog) with e-mail addresses and phone numbers masked."""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping
from typing import Any

import structlog

EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
PHONE = re.compile(r"(?<!\d)(\+?\d{3})\d{4,8}(\d{2})(?!\d)")


def mask(text: str) -> str:
    """`alice@example.com` → `a***@example.com`; `13812345678` → `138******78`."""
    text = EMAIL.sub(r"\1***@\2", text)
    return PHONE.sub(
        lambda m: m.group(1) + "*" * (len(m.group(0)) - len(m.group(1)) - 2) + m.group(2), text
    )


def _mask_processor(
    _logger: Any, _name: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    return {k: mask(v) if isinstance(v, str) else v for k, v in event.items()}


def configure_logging(level: str = "info") -> None:
    logging.basicConfig(format="%(message)s", level=level.upper())
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso"),
            _mask_processor,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
    )
