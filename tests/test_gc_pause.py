"""The collector pause of one sheet never leaks into, or ends under, another's.

A server checks workbooks side by side; their pauses overlap and end in any order.
"""

from __future__ import annotations

import gc
import threading

import pytest

from shengyuan_xl.core.gc_pause import gc_paused


@pytest.fixture(autouse=True)
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_overlapping_pauses_keep_the_collector_off_until_the_last_one_ends():
    first, second = gc_paused(), gc_paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first sheet is done while the second is not
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_pauses_in_threads_end_with_the_collector_on():
    started = threading.Barrier(4)

    def check_a_sheet():
        with gc_paused():
            started.wait()

    threads = [threading.Thread(target=check_a_sheet) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert gc.isenabled()
