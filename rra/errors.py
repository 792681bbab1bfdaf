"""The one root exception type for everything a user can get wrong."""

from __future__ import annotations

from typing import Any

from rra.limits import FIELD_CHARS, MESSAGE_CHARS, one_line, short


class RraError(Exception):
    """Root of all rra errors that are reported to the user as one line."""

    exit_code = 1

    def __reduce__(self) -> tuple[Any, ...]:
        # pickled as built, whatever the subclass's __init__ takes: an error raised in a worker process reaches the
        # parent whole (Exception pickles its message only and calls __init__ with it, which a subclass refuses)
        return _rebuilt, (type(self), self.args, dict(self.__dict__))


def _rebuilt(cls: type[RraError], args: tuple[Any, ...], state: dict[str, Any]) -> RraError:
    """An rra error as it was pickled (RraError.__reduce__)."""
    err = cls.__new__(cls)
    Exception.__init__(err, *args)
    err.__dict__.update(state)
    return err


class OutputError(RraError):
    """The output could not be written (standard output closed, a full disk): one line, exit status 74
    (EX_IOERR)."""

    exit_code = 74


class BadInput(RraError):
    """Bad input from the user (scenario file, override, CLI argument): one line, exit status 2.

    The message names the field, the value and what is wrong with it. The value is shown cut to about 80
    characters (never expanded in full), and the whole message is kept on one line.
    """

    exit_code = 2

    def __init__(self, field: str, value: object, problem: str) -> None:
        self.field = field
        self.value = value
        self.problem = problem
        super().__init__(f"{one_line(str(field), FIELD_CHARS)}: {short(value)}: {one_line(str(problem), MESSAGE_CHARS)}")


class ParseError(RraError):
    """An agreement text that cannot be parsed into a clause tree (exit status 2)."""

    exit_code = 2

    def __init__(self, line: int | None, problem: str, source: str = "agreement") -> None:
        self.line = line
        self.problem = problem
        where = f"{source} line {line}" if line is not None else source
        super().__init__(one_line(f"{where}: {problem}", FIELD_CHARS + MESSAGE_CHARS))


class Withheld(RraError):
    """An analysis needs words that a draft changed beyond its numbers (or a value it could not read).

    Raised where the analysis reads the element or parameter; the command lists the analysis as withheld with
    this reason (or, when the command is that one analysis, prints the reason and exits with status 2).
    """

    exit_code = 2

    def __init__(self, element: str, clause: str | None, reason: str, words: str | None = None) -> None:
        """`element`: the id (kept for --json); `words`: what it is for a reader (Element.words), said instead."""
        self.element = element
        self.clause = clause
        self.reason = reason
        self.words = words
        super().__init__(one_line(f"withheld: it rests on {self.rests_on}, {reason}", FIELD_CHARS + MESSAGE_CHARS))

    @property
    def rests_on(self) -> str:
        """What the analysis rests on, for a reader: its words (or its id), and its clause (`with_clause`)."""
        return with_clause(self.words or self.element, self.clause)


def with_clause(what: str, clause: str | None) -> str:
    """What an element is, followed by its clause in brackets unless the words already say it ("the deadline
    "Effectiveness deadline (2(c))"" is not followed by "(2(c))" again)."""
    return f"{what} ({clause})" if clause and f"({clause})" not in what else what
