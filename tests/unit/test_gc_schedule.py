"""Full garbage collections on a schedule: start-up frozen, CPython's own full passes off,
cyclic garbage still collected at the next pass."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import weakref

from restaurant.lifespan import NEVER, scheduled_full_collections


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


async def test_gc_full_collections_run_on_the_schedule_only() -> None:
    thresholds = gc.get_threshold()
    task = asyncio.create_task(scheduled_full_collections(0.2))
    try:
        await asyncio.sleep(0.05)
        assert gc.get_freeze_count() > 0, "what start-up made is frozen"
        assert gc.get_threshold() == (thresholds[0], thresholds[1], NEVER)
        a, b = _Node(), _Node()
        a.other, b.other = b, a  # a cycle: only the collector frees it
        gone = weakref.ref(a)
        for generation in (0, 1):
            gc.collect(generation)  # young passes move it to the oldest generation
        del a, b
        gc.collect(1)
        assert gone() is not None, "left for the next full pass"
        await asyncio.sleep(0.3)
        assert gone() is None, "collected by the scheduled full pass"
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        gc.set_threshold(*thresholds)
