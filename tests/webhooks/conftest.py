"""Fixtures of the webhook tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import LiveServer


@pytest.fixture
def allow_private(server: LiveServer) -> Iterator[None]:
    """The receiver listens on 127.0.0.1: let webhooks reach it (the operator's setting)."""
    settings = server.runtime.settings
    settings.webhook_allow_private = True
    yield
    settings.webhook_allow_private = False
