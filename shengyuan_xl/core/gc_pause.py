"""Pause Python's cyclic garbage collector while a whole sheet is processed.

Reading and checking a sheet allocates a few objects per cell and per row and
creates no reference cycles: reference counting frees all of it. The cyclic
collector, though, is triggered by the allocations alone and walks every
live object (the whole sheet) again and again; on 20,000 rows that is a
third of the run. Collection resumes afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
