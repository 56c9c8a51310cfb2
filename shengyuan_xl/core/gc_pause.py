"""Pause Python's cyclic garbage collector while a whole sheet is processed.

Reading and checking a sheet allocates a few objects per cell and per row and
creates no reference cycles: reference counting frees all of it. The cyclic
collector, though, is triggered by the allocations alone and walks every
live object (the whole sheet) again and again; on 20,000 rows that is a
third of the run.

CPython has one collector per process, so a pause cannot belong to one
thread. A server checks several workbooks side by side: the pauses are
counted, the collector is off only while at least one sheet is being
checked, and it is on again (if it was on before the first pause) the moment
the last one ends, whatever order they end in. Use it around the work it
protects only, never around a whole request.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
