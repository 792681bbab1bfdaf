"""The input edge, piece by piece: limits, data files, error messages, output paths, the folder swap, the top of
the command line (exit statuses, --debug, --version), signals held over a swap, and worker processes."""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from rra.spec.overrides import DATE_RANGE, bounds, coerce
from rra.spec.parameters import PARAMETERS

import rra.cli
import rra.output
from rra import __version__
from rra.datafile import read_data
from rra.errors import BadInput
from rra.interrupt import held, installed
from rra.limits import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    check_output_dir,
    check_output_file,
    decimal,
    read_text,
    short,
    whole_number,
)
from rra.output import write_atomic, write_folder
from rra.workers import Background


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = rra.cli.main(list(args))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


# ------------------------------------------------------------------------------------------- messages


def test_a_value_shared_a_billion_times_is_shown_in_eighty_characters_without_being_expanded() -> None:
    x: list[object] = ["lol"] * 9
    for _ in range(9):
        x = [x] * 9  # 9**10 leaves if expanded
    t0 = time.process_time()
    text = short(x)
    assert time.process_time() - t0 < 1.0  # generous: expanding would take hours
    assert len(text) <= 90 and text.startswith("[[[[") and text.endswith("...")


def test_an_error_message_is_one_line_with_the_value_cut() -> None:
    exc = BadInput("name\nfield", "x" * 50_000_000, "bad\nvalue")
    text = str(exc)
    assert "\n" not in text and len(text) < 400
    assert text.startswith("name\\nfield: 'xxxx") and text.endswith("...: bad\\nvalue")


def test_a_whole_number_of_thousands_of_digits_is_described_not_printed() -> None:
    assert short(10**50_000) == "<a whole number of about 50000 digits>"


# ------------------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("raw", ["1e100000000", "-1e5000", "nan", "inf", float("nan"), float("inf"), "1/0", "9" * 60,
                                 True, None, [1], "0x10", "1e-400"])
def test_decimal_refuses_what_is_not_a_finite_number_of_reasonable_size_at_once(raw: object) -> None:
    t0 = time.process_time()
    with pytest.raises(BadInput):
        decimal(raw, "f")
    assert time.process_time() - t0 < 1.0


@pytest.mark.parametrize(("raw", "value"), [("1,000,000.50", 1_000_000.5), ("$5,000", 5000), ("2.5e3", 2500),
                                            ("1/10", 0.1), (0.1, 0.1), (7, 7)])
def test_decimal_reads_numbers_as_people_write_them(raw: object, value: float) -> None:
    assert float(decimal(raw, "f")) == value


def test_a_float_is_read_as_the_decimal_it_prints_as() -> None:
    assert decimal(0.1, "f").denominator == 10


@pytest.mark.parametrize("raw", ["1.5", 1.5, "1e3", "-", "\u0661\u0662", "9" * 41, float("inf"), True])
def test_whole_number_refuses_what_is_not_one(raw: object) -> None:
    with pytest.raises(BadInput):
        whole_number(raw, "f", 0, 10**9)


def test_whole_number_names_the_range() -> None:
    with pytest.raises(BadInput, match="must be between 1 and 24"):
        whole_number("0", "--set allowed_delay.window_months", 1, 24)


def test_every_parameter_a_redraft_can_set_has_bounds_that_hold_its_own_value() -> None:
    for p in PARAMETERS:
        if p.choices:
            continue
        if p.unit == "share":
            assert coerce(p, str(p.value)) == p.value, p.id
            continue
        b = bounds(p)
        assert b is not None, p.id
        if p.value is not None:
            assert b[0] <= p.value <= b[1], p.id
            assert coerce(p, p.value.isoformat() if isinstance(p.value, date) else str(p.value)) == p.value


def test_date_parameters_keep_to_their_range_and_refuse_a_date_and_time() -> None:
    p = next(p for p in PARAMETERS if p.id == "effectiveness.outside_date")
    assert DATE_RANGE[0] <= p.value <= DATE_RANGE[1]
    with pytest.raises(BadInput, match="must be between"):
        coerce(p, "2039-12-31", "--set effectiveness.outside_date")
    from datetime import datetime

    with pytest.raises(BadInput, match="not a date and time"):
        coerce(p, datetime(2004, 1, 1, 10, 0), "x")


# ------------------------------------------------------------------------------------------- files


def test_read_text_refuses_folders_devices_pipes_large_files_and_other_encodings(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "big").write_bytes(b"a" * (MAX_FILE_BYTES + 1))
    (tmp_path / "latin1").write_bytes(b"caf\xe9\n")
    for path, problem in ((tmp_path, "is a folder"), ("/dev/zero", "not a regular file"),
                          (tmp_path / "pipe", "not a regular file"), (tmp_path / "big", "larger than the limit"),
                          (tmp_path / "latin1", "not UTF-8 text (byte 4, line 1)"),
                          (tmp_path / "missing", "cannot read file")):
        with pytest.raises(BadInput, match=re.escape(problem)):
            read_text(path, "--x")


def test_a_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "s.json").write_bytes(b'\xef\xbb\xbf{"a": 1}')
    assert read_data(tmp_path / "s.json", "f") == {"a": 1}


@pytest.mark.parametrize(("text", "problem"), [
    ("a: 1\nb: 2\na: 3\n", "line 3: duplicate key 'a' (first at line 1)"),
    ("x:\n  - {a: 1, a: 2}\n", "line 2: duplicate key 'a'"),
    ("~: 1\n", "line 1: a key is null"),
    ("yes: 1\n", "the key 'yes' reads as true; quote it"),
    ("2004-01-01: 1\n", "is not a name"),
    ("a: !!str 1\nb: !!int 2\n", "explicit tags such as 'tag:yaml.org,2002:int'"),
    ("a: &x [*x]\n", "recursive alias"),
    ("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n", f"nested more than {MAX_DEPTH} levels deep"),
    ("a: " + "9" * 41 + "\n", "a number longer than 40 characters"),
    ("a: &x 1\n" + "".join(f"b{i}: *x\n" for i in range(101)), "more than 100 aliases"),
])
def test_yaml_limits_and_rules_are_enforced_with_the_line(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(BadInput, match=re.escape(problem)):
        read_data(tmp_path / "d.yaml", "--x")


@pytest.mark.parametrize(("text", "problem"), [
    ('{"a": 1,\n "a": 2}', "line 2: duplicate key 'a' (first at line 1)"),
    ('[{"a": 1}, {"a": 2, "b": {"a": 3}}]', None),
    ('{"a": NaN}', "NaN is not a number"),
    ('{"a": -Infinity}', "-Infinity is not a number"),
    ('{"a": ' + "1" * 41 + "}", "a number longer than 40 characters"),
    ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), f"nested more than {MAX_DEPTH} levels deep"),
    ('{"a": "' + "x" * 10_001 + '"}', "a value longer than 10,000 characters"),
    ('{"a": 1', "not valid JSON (line 1"),
])
def test_json_limits_and_rules_are_enforced(tmp_path: Path, text: str, problem: str | None) -> None:
    (tmp_path / "d.json").write_text(text, encoding="utf-8")
    if problem is None:
        read_data(tmp_path / "d.json", "--x")
        return
    with pytest.raises(BadInput, match=re.escape(problem)):
        read_data(tmp_path / "d.json", "--x")


def test_yaml_aliases_within_the_limits_still_work(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").write_text("a: &p {start: 2004-01-01, end: 2004-01-05}\nb: [*p, *p]\n<<: {c: 1}\n")
    assert read_data(tmp_path / "d.yaml", "--x") == {"a": {"start": date(2004, 1, 1), "end": date(2004, 1, 5)},
                                                     "b": [{"start": date(2004, 1, 1), "end": date(2004, 1, 5)}] * 2,
                                                     "c": 1}


def test_the_limited_loader_uses_libyaml_where_pyyaml_has_it() -> None:
    from rra.datafile import limited

    cls = limited(yaml.SafeLoader)
    assert any(b.__name__ == "CParser" for b in cls.__mro__) == yaml.__with_libyaml__


# ------------------------------------------------------------------------------------------- output paths


def test_an_output_folder_is_checked_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "keep").write_text("x")
    (tmp_path / "ours").mkdir()
    (tmp_path / "ours" / ".marker").write_text("x")
    os.symlink(tmp_path / "missing" / "deep", tmp_path / "dangling")
    os.symlink(tmp_path / "ours", tmp_path / "link")
    for name, problem in (("file", "exists and is not a folder"), ("file/x", "is not a folder"),
                          ("missing/x", "does not exist"), ("mine", "not an rra folder"),
                          ("dangling", "does not exist"), ("link", "symbolic link")):
        with pytest.raises(BadInput, match=problem):
            check_output_dir(str(tmp_path / name), "--out", ".marker")
    for text, problem in (("", "expected a path"), (".", "name the folder"), ("..", "name the folder"),
                          ("/", "name the folder"), (f"{tmp_path}/.", "name the folder")):
        with pytest.raises(BadInput, match=problem):
            check_output_dir(text, "--out", ".marker")
    assert check_output_dir(str(tmp_path / "ours"), "--out", ".marker") == tmp_path / "ours"
    assert check_output_dir(str(tmp_path / "new"), "--out", ".marker") == tmp_path / "new"
    assert not (tmp_path / "missing").exists() and not (tmp_path / "new").exists()
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".")]  # the write probe is gone


def test_an_output_file_is_checked_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    for name, problem in (("dir", "is a folder"), ("missing/x.csv", "does not exist")):
        with pytest.raises(BadInput, match=problem):
            check_output_file(str(tmp_path / name), "--csv")
    with pytest.raises(BadInput, match="not a regular file"):
        check_output_file("/dev/null", "--csv")
    check_output_file(str(tmp_path / "x.csv"), "--csv")


def test_write_folder_replaces_the_old_folder_whole_and_leaves_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_folder(out, {"a.txt": "1", "sub/b.txt": b"2"})
    (out / "stale").write_text("old")
    write_folder(out, {"a.txt": "3"})
    assert sorted(os.listdir(out)) == ["a.txt"] and (out / "a.txt").read_text() == "3"
    assert os.listdir(tmp_path) == ["out"]


def test_without_an_atomic_exchange_the_old_folder_is_swapped_by_two_renames(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rra.output, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    write_folder(out, {"a.txt": "1"})
    write_folder(out, {"a.txt": "2"})
    assert (out / "a.txt").read_text() == "2" and os.listdir(tmp_path) == ["out"]


def test_a_swap_that_fails_puts_the_old_folder_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rra.output, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    write_folder(out, {"a.txt": "1"})
    real_rename = os.rename

    def rename(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(dst) == out and ".new-" in Path(src).name:  # the new folder cannot be put in place
            raise OSError(28, "No space left on device")
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(BadInput, match="--out: .*cannot write \\(No space left on device\\)"):
        write_folder(out, {"a.txt": "2"})
    assert (out / "a.txt").read_text() == "1" and os.listdir(tmp_path) == ["out"]


def test_write_atomic_replaces_a_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    write_atomic(tmp_path / "x.csv", "1")
    write_atomic(tmp_path / "x.csv", "2")
    assert (tmp_path / "x.csv").read_text() == "2" and os.listdir(tmp_path) == ["x.csv"]


# ------------------------------------------------------------------------------------------- the command line


def test_rra_version_prints_the_version() -> None:
    assert _run("--version") == (0, f"rra {__version__}\n", "")


def test_an_internal_error_is_one_line_with_exit_status_3_and_debug_shows_the_traceback(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import rra.commands.coverage as coverage

    def boom(args: object) -> int:
        raise ZeroDivisionError("division by zero\nsecond line")

    monkeypatch.setattr(coverage, "run", boom)
    code, out, err = _run("coverage")
    assert code == 3 and out == ""
    assert err.splitlines() == ["rra coverage: internal error (ZeroDivisionError: division by zero\\nsecond line); "
                                "run again with --debug for the traceback"]
    for args in (("--debug", "coverage"), ("coverage", "--debug")):
        code, _, err = _run(*args)
        assert code == 3 and "Traceback (most recent call last)" in err and err.splitlines()[-1].startswith("rra coverage: internal")


def test_a_fault_rra_detects_in_itself_points_to_the_traceback_too(monkeypatch: pytest.MonkeyPatch) -> None:
    # an error of exit status 3 that rra raises itself (the optimizer and the evaluator disagree) is a bug too
    from rra.solver.maxmin import RepricingError

    import rra.commands.coverage as coverage

    def disagree(args: object) -> int:
        raise RepricingError("worst_case: the evaluator prices the timeline at $1.00, the optimizer at $2.00")

    monkeypatch.setattr(coverage, "run", disagree)
    code, out, err = _run("coverage")
    assert code == 3 and out == "" and err.splitlines() == [
        "rra coverage: worst_case: the evaluator prices the timeline at $1.00, the optimizer at $2.00; run again "
        "with --debug for the traceback"]
    code, _, err = _run("coverage", "--debug")
    assert code == 3 and "Traceback (most recent call last)" in err


def test_a_recursion_error_is_an_internal_error_too(monkeypatch: pytest.MonkeyPatch) -> None:
    import rra.commands.coverage as coverage

    def deep(args: object) -> int:
        return deep(args)

    monkeypatch.setattr(coverage, "run", deep)
    code, _, err = _run("coverage")
    assert code == 3 and err.splitlines() == ["rra coverage: internal error (RecursionError); run again with --debug "
                                              "for the traceback"]


def test_an_argument_error_is_one_line_with_exit_status_2() -> None:
    code, _, err = _run("exposure", "--workers", "many")
    assert code == 2 and len(err.splitlines()) == 1


def test_a_signal_during_a_run_ends_it_with_128_plus_the_signal(monkeypatch: pytest.MonkeyPatch) -> None:
    import rra.commands.coverage as coverage

    def interrupted(args: object) -> int:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
        return 0

    monkeypatch.setattr(coverage, "run", interrupted)
    before = signal.getsignal(signal.SIGTERM)
    assert _run("coverage") == (143, "", "rra: ended by SIGTERM\n")
    assert signal.getsignal(signal.SIGTERM) == before  # the handlers are put back


def test_signals_are_held_over_a_swap_and_delivered_after_it() -> None:
    events = []
    with pytest.raises(KeyboardInterrupt), installed():
        with held():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.3)
            events.append("swap finished")
        time.sleep(5)
    assert events == ["swap finished"]


# ------------------------------------------------------------------------------------------- workers


def _slow() -> int:
    time.sleep(60)
    return 1


def _fail() -> int:
    raise ValueError("from the worker")


def _parts(gate: str) -> Iterator[str]:
    yield "first"
    while not os.path.exists(gate):  # the second value waits until the parent has the first
        time.sleep(0.01)
    yield "second"


def _parts_then_fail() -> Iterator[str]:
    yield "first"
    raise ValueError("after the first value")


def test_a_background_job_that_yields_hands_each_value_over_as_soon_as_it_is_made(tmp_path: Path) -> None:
    gate = tmp_path / "gate"
    w = Background(_parts, str(gate))
    try:
        assert w.next_part() == "first"  # would wait forever if values came only when the job ends
        gate.touch()
        assert w.next_part() == "second"
        with pytest.raises(RuntimeError, match="no more values"):
            w.next_part()
        assert w._proc.exitcode is not None  # ended and reaped
    finally:
        w.close()
    w = Background(_parts_then_fail)
    assert w.next_part() == "first"
    with pytest.raises(ValueError, match="after the first value"):
        w.next_part()


def test_a_background_worker_is_ended_by_close_and_its_error_is_raised_by_result() -> None:
    w = Background(_slow)
    pid = w._proc.pid
    w.close()
    assert w._proc.exitcode is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    with pytest.raises(ValueError, match="from the worker"):
        Background(_fail).result()


def _shell(command: str, **env: str) -> Any:
    """Run `rra` (this interpreter's) in a shell command line, with standard streams set up there."""
    import shlex
    import subprocess
    import sys

    rra = f"{shlex.quote(sys.executable)} -m rra"
    return subprocess.run(["sh", "-c", command.replace("RRA", rra)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env})


def test_a_closed_standard_output_is_said_in_one_line_with_exit_status_74_before_any_work() -> None:
    t0 = time.monotonic()
    r = _shell("RRA check >&-")
    assert r.returncode == 74 and r.stderr.splitlines() == [
        "rra: standard output is closed: nothing could be printed (send it to a file or to /dev/null)"]
    assert time.monotonic() - t0 < 30  # no analysis ran (it is not timed: a generous bound against running it all)


def test_a_closed_standard_error_drops_the_messages_and_keeps_the_exit_status(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    r = _shell(f"RRA coverage 2>&- > {out}")
    assert r.returncode == 0 and out.read_text() == _shell("RRA coverage").stdout
    assert _shell("RRA exposure --as-of not-a-date 2>&-").returncode == 2


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("form", ["", " --json"], ids=["table", "json"])
def test_an_output_that_cannot_be_written_is_one_line_and_exit_status_74(form: str) -> None:
    r = _shell(f"RRA coverage{form} > /dev/full")
    assert r.returncode == 74
    assert r.stderr.splitlines() == ["rra coverage: cannot write the output: No space left on device"]


@pytest.mark.parametrize("unbuffered", ["", "1"], ids=["buffered", "unbuffered"])
def test_a_reader_that_stops_early_ends_the_run_with_141_and_nothing_said(unbuffered: str) -> None:
    # unbuffered, Python writes a pipe's worth and returns: the rest must still be written, and fail
    r = _shell("{ RRA coverage --json; echo \"rc=$?\" >&2; } | head -c 10 > /dev/null", PYTHONUNBUFFERED=unbuffered)
    assert r.stderr.splitlines() == ["rc=141"]


def test_every_rra_error_crosses_a_process_boundary_whole() -> None:
    # a worker's error is pickled to the parent: Exception pickles its message only and calls __init__ with it,
    # which the subclasses' own __init__ refuse (the pool's result thread died on a Withheld)
    import pickle

    from rra.solver.assumptions import ImpossibleAssumptions
    from rra.solver.maxmin import RepricingError

    from rra.errors import OutputError, ParseError, Withheld

    for err in (Withheld("measure.2c", "2(c)", "its words changed"), BadInput("--set", "x=1", "unknown"),
                ParseError(3, "no marker", "draft"), OutputError("cannot write"), ImpossibleAssumptions(["a", "b"]),
                RepricingError("disagree")):
        back = pickle.loads(pickle.dumps(err))
        assert type(back) is type(err) and str(back) == str(err) and back.__dict__ == err.__dict__


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("unbuffered", ["", "1"], ids=["buffered", "unbuffered"])
def test_help_and_version_that_cannot_be_written_say_so_and_a_usage_error_keeps_its_status(unbuffered: str) -> None:
    # argparse prints them and exits itself, dropping a write that fails (unbuffered) or leaving Python's exit to
    # report it in two lines and exit 120 (buffered)
    for args in ("--help", "--version", "check --help"):
        r = _shell(f"RRA {args} > /dev/full", PYTHONUNBUFFERED=unbuffered)
        assert r.returncode == 74 and r.stderr.splitlines() == [
            "rra: cannot write the output: No space left on device"], args
    assert _shell("RRA coverage --bogus 2> /dev/full", PYTHONUNBUFFERED=unbuffered).returncode == 2
