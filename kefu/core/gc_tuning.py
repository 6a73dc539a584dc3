"""The garbage collector, tuned for `kefu serve` (docs/decisions/0005-one-call-writes.md).

With 2,000 WebSockets a server process holds ~750,000 objects the collector tracks (each socket
has its tasks, queues and coroutine frames). CPython's default thresholds (700, 10, 10) made it
collect the young generation every few hundred allocations, promote short-lived frames and
rows, and run full collections of 100–600 ms several times a minute under load: those pauses
were most of the delivery latency's p99. Here what exists once start-up is done is frozen
(never examined again), the young generation is collected every 10,000 allocations (most
objects of a message are gone by then) and the old one rarely.
"""

from __future__ import annotations

import gc

THRESHOLDS = (10_000, 20, 100)


def for_server() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
