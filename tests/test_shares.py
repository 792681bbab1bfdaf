"""Items shared out between rra's process and its forked worker: each taken once, by whichever process is free."""

import time
from collections.abc import Iterator

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


def _echo_twice() -> Iterator[object]:
    from rra.workers import receive

    yield "ready"
    first = receive()
    yield ("got", first)
    yield ("then", receive())  # None: the parent closed its end


def test_a_background_job_with_an_inbox_reads_what_its_parent_sends_and_none_once_the_parent_has_closed_it() -> None:
    job = Background(_echo_twice, inbox=True)
    try:
        assert job.next_part() == "ready"
        job.send({"a": [1, 2]})
        assert job.next_part() == ("got", {"a": [1, 2]})
        job._out.close()  # type: ignore[union-attr]  # the parent's end only: the worker goes on
        job._out = None
        assert job._conn.poll(30), "the worker still waits: it did not see the parent's end closed"
        assert job.next_part() == ("then", None)
    finally:
        job.close()


def test_a_background_job_without_an_inbox_cannot_be_sent_anything_and_receives_none() -> None:
    job = Background(_echo_twice)
    try:
        with pytest.raises(RuntimeError, match="without an inbox"):
            job.send(1)
        assert job.next_part() == "ready"
        assert job.next_part() == ("got", None)
    finally:
        job.close()


def test_a_parent_can_send_a_large_job_without_waiting_for_a_busy_worker_where_the_system_allows_it() -> None:
    import fcntl
    from pathlib import Path

    from rra.workers import INBOX_BYTES

    limit = Path("/proc/sys/fs/pipe-max-size")
    if not hasattr(fcntl, "F_GETPIPE_SZ") or not limit.exists() or int(limit.read_text()) < INBOX_BYTES:
        pytest.skip("pipes cannot hold INBOX_BYTES here")
    job = Background(_echo_twice, inbox=True)
    try:
        assert job._out is not None and fcntl.fcntl(job._out.fileno(), fcntl.F_GETPIPE_SZ) == INBOX_BYTES
        job.send(b"x" * (INBOX_BYTES // 2))  # the worker has not read yet: the pipe holds it
        assert job.next_part() == "ready" and job.next_part() == ("got", b"x" * (INBOX_BYTES // 2))
    finally:
        job.close()
