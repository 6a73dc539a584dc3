"""`kefu serve` tunes the garbage collector once started (kefu/core/gc_tuning.py); an app made
for tests or embedding leaves the process's collector alone."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from kefu.app import create_app
from kefu.core import gc_tuning
from kefu.core.settings import Settings


@pytest.fixture
def collector() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


async def test_the_served_app_tunes_the_collector(settings: Settings, collector: None) -> None:
    app = create_app(settings, server=True)
    async with app.router.lifespan_context(app):
        assert gc.get_threshold() == gc_tuning.THRESHOLDS
        assert gc.get_freeze_count() > 0  # what start-up made is never examined again


async def test_other_apps_leave_the_collector_alone(settings: Settings, collector: None) -> None:
    before = gc.get_threshold()
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        assert gc.get_threshold() == before
        assert gc.get_freeze_count() == 0
