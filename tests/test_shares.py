"""Items shared out between rra's process and its forked worker: each taken once, by whichever process is free."""

import time

import pytest

from rra.workers import Background, Shares, pool


def _take_back(delay: float) -> list[int]:
    shares = Shares()
    got = []
    while (k := shares.back()) is not None:
        got.append(k)
        time.sleep(delay)
    return got


def test_the_parent_takes_from_the_front_and_the_worker_from_the_back_each_item_once() -> None:
    with pool(1) as p:
        shares = Shares(40)
        pending = p.apply_async(_take_back, (0.002,))
        mine = []
        while (k := shares.front()) is not None:
            mine.append(k)
            time.sleep(0.01)  # slower than the worker: it has time to start and take some
        theirs = pending.get()
    assert mine == sorted(mine) and theirs == sorted(theirs, reverse=True)
    assert sorted(mine + theirs) == list(range(40))
    assert mine and theirs


def test_a_background_job_shares_the_items_of_its_parent() -> None:
    shares = Shares(10)
    job = Background(_take_back, 0.0)
    theirs = job.result()
    assert shares.front() is None and sorted(theirs) == list(range(10))


def test_a_busy_worker_leaves_the_items_to_the_parent() -> None:
    with pool(1) as p:
        shares = Shares(5)
        mine = [k for k in iter(shares.front, None)]
        assert p.apply_async(_take_back, (0.0,)).get() == []
    assert mine == [0, 1, 2, 3, 4]


def test_a_process_that_was_given_no_items_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import rra.workers

    monkeypatch.setattr(rra.workers, "_BOARD", None)
    with pytest.raises(RuntimeError, match="no items are shared"):
        Shares()
