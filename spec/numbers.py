"""Numbers as agreements write them, found in a text and read back into values.

An agreement writes its numbers in words and figures ("thirty (30) days", "One Million Dollars ($1,000,000)",
"two hundredths (.02)"), as dates ("December 15, 2003"), as bare figures ("$5,000", ".015", "5,000,000 shares"),
in words alone ("five days", "thirty-day period", "two-thirds") and as voting shares ("a majority"). `scan`
finds every such phrase in a whitespace-normalized text with its span; `read` turns one phrase into a value of a
parameter's unit. Cardinal words are read with text2num; fractions ("two hundredths", "one-half") with the
ordinal names num2words gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import lru_cache

from num2words import num2words
from text_to_num import text2num

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
_CARDINALS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
              "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
              "thousand million billion").split()


@lru_cache(maxsize=1)
def _denominators() -> dict[str, int]:
    """Ordinal words used as fraction denominators ("third(s)", "hundredth(s)") -> the denominator."""
    out = {"half": 2, "halves": 2, "quarter": 4, "quarters": 4}
    for n in [*range(3, 21), 30, 40, 50, 60, 70, 80, 90, 100, 1000]:
        word = str(num2words(n, to="ordinal")).split()[-1]
        out[word] = n
        out[word + "s"] = n
    return out


_UNITS = ("percent", "per cent", "dollars", "dollar")
# "a majority in interest", "majority-in-interest", "a majority interest": one share, however hyphenated
_INTEREST = r"(?:[\s-]+in[\s-]+interest|\s+interest)"
_WORD = r"[A-Za-z]+"
_DATE = re.compile(rf"\b(?:{'|'.join(MONTHS)})\s+\d{{1,2}},\s+\d{{4}}\b")
_FIG = r"\$?\s?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:\s?-?\s?\d+/\d+)?\s?%?"
_PAREN_FIG = re.compile(rf"\(\s*({_FIG})\s*\)")
_BARE_FIG = re.compile(rf"(?<![\w.(/-])({_FIG})(?![\w/])")
# Figures that name things rather than count them: rules, sections, forms, exhibits, clause numbers.
_NAMING_WORDS = ("Rules", "Rule", "Sections", "Section", "Forms", "Form", "Regulations", "Regulation", "Exhibits",
                 "Exhibit", "Schedules", "Schedule", "S-", "SB-", "No.", "Nos.", "Suite", "Floor", "Item", "Items",
                 "Article", "Articles", "Paragraph", "Paragraphs")
_NAMING = re.compile("(?:" + "|".join(map(re.escape, _NAMING_WORDS)) + r")\s*$")
_NAMING_CHARS = max(map(len, _NAMING_WORDS))  # how far before its spaces a naming word can start


def _named_before(text: str, at: int) -> bool:
    """Whether a word that names things (_NAMING) ends right before `at`, spaces apart: the same answer as
    `_NAMING.search(text[:at])`, read from the end instead of over the whole text before it (linear, not quadratic,
    in a clause's figures)."""
    j = at
    while j > 0 and text[j - 1].isspace():
        j -= 1
    return _NAMING.search(text, max(0, j - _NAMING_CHARS), at) is not None


@lru_cache(maxsize=1)
def _word_phrase() -> re.Pattern[str]:
    """A run of number words joined by spaces or hyphens (with "and", "a" and units inside)."""
    words = sorted({*_CARDINALS, *_denominators(), "majority"}, key=len, reverse=True)
    tok = rf"(?:{'|'.join(words)})"
    glue = r"(?:\s+|-)"
    return re.compile(rf"(?<![\w-])(?:(?:a|an)\s+)?{tok}(?:{glue}(?:and{glue})?{tok})*"
                      rf"(?:\s+(?:percent|per\s+cent|Dollars|dollars))?(?:{_INTEREST})?(?![\w])", re.IGNORECASE)


@dataclass(frozen=True)
class Phrase:
    """A number phrase in a text: its span, its words and figure (either may be absent) and its kind."""

    start: int
    end: int
    text: str
    kind: str  # date | words+figure | figure | words | share
    words: str = ""
    figure: str = ""


def scan(text: str) -> list[Phrase]:
    """Every number phrase in a (whitespace-normalized) text, in order, not overlapping."""
    taken = bytearray(len(text))  # 1 where a phrase already found lies (every phrase has at least one character)
    out: list[Phrase] = []

    def free(a: int, b: int) -> bool:
        return taken.find(1, a, b) < 0

    def add(p: Phrase) -> None:
        taken[p.start:p.end] = b"\x01" * (p.end - p.start)
        out.append(p)

    for m in _DATE.finditer(text):
        add(Phrase(m.start(), m.end(), m.group(0), "date"))
    for m in _PAREN_FIG.finditer(text):
        if not free(m.start(), m.end()):
            continue
        lo = max(0, m.start() - 160)
        before = text[lo:m.start()].rstrip()
        wm = None
        for cand in _word_phrase().finditer(before):
            if cand.end() == len(before):
                wm = cand
        if wm is not None and read_words(wm.group(0)) is not None:
            a = lo + wm.start()
            add(Phrase(a, m.end(), text[a:m.end()], "words+figure", wm.group(0), m.group(1)))
        elif not _named_before(text, m.start()) and _is_amount(m.group(1)):
            add(Phrase(m.start(), m.end(), m.group(0), "figure", figure=m.group(1)))
    for m in _word_phrase().finditer(text):
        if not free(m.start(), m.end()):
            continue
        a, phrase = m.start(), m.group(0)
        if re.search(r"majority", phrase, re.IGNORECASE):
            add(Phrase(a, m.end(), phrase, "share", words=phrase))
            continue
        if read_words(phrase) is None and (art := re.match(r"(?:a|an)\s+", phrase, re.IGNORECASE)):
            a, phrase = a + art.end(), phrase[art.end():]  # "a twelve-month period": the article is not the number
        if read_words(phrase) is not None:
            add(Phrase(a, m.end(), phrase, "words", words=phrase))
    for m in _BARE_FIG.finditer(text):
        a, b = m.start(1), m.end(1)
        if free(a, b) and not _named_before(text, a) and _is_amount(m.group(1)):
            add(Phrase(a, b, m.group(1), "figure", figure=m.group(1)))
    return sorted(out, key=lambda p: p.start)


def _is_amount(fig: str) -> bool:
    """A figure worth treating as a number of the agreement: money, a decimal, a percentage or a count."""
    return read_figure(fig) is not None


def read_words(phrase: str) -> Fraction | None:
    """The value of number words: "forty-five" 45, "two hundredths" 1/50, "one and one-half percent" 3/200,
    "two-thirds" 2/3, "One Million Dollars" 1000000; None if the words are not a number."""
    toks = [t for t in re.split(r"[\s-]+", phrase.lower().strip()) if t]
    scale = Fraction(1)
    while toks and toks[-1] in ("percent", "cent", "per", "dollars", "dollar"):
        if toks[-1] in ("percent", "cent"):
            scale = Fraction(1, 100)
        toks.pop()
    while toks and toks[-1] == "per":
        toks.pop()
    if toks and toks[0] in ("a", "an") and len(toks) > 1:
        toks = ["one", *toks[1:]]
    if not toks or "majority" in toks:
        return None
    dens = _denominators()
    if toks[-1] in dens and toks[-1] not in ("hundred", "thousand"):
        den = dens[toks[-1]]
        body = toks[:-1]
        j = max((i for i, t in enumerate(body) if t == "and"), default=-1)
        num = _cardinal(body[j + 1:]) if body[j + 1:] else 1
        whole = _cardinal(body[:j]) if j > 0 else 0
        if num is None or whole is None:
            return None
        return (whole + Fraction(num, den)) * scale
    value = _cardinal(toks)
    return None if value is None else value * scale


def _cardinal(toks: list[str]) -> int | None:
    if not toks or any(t not in _CARDINALS and t != "and" for t in toks) or toks[0] == "and" or toks[-1] == "and":
        return None
    try:
        return int(text2num(" ".join(toks), "en"))
    except ValueError:
        return None


_MIXED = re.compile(r"^(\d+)\s?-?\s?(\d+)/(\d+)$")


def read_figure(fig: str) -> Fraction | None:
    """The value of a figure: "(30)" 30, "$1,000,000" 1000000, ".02" 1/50, "1.5%" 3/200, "66 2/3%" 2/3."""
    s = fig.strip().strip("()").strip()
    pct = s.endswith("%")
    s = s.rstrip("%").strip().lstrip("$").strip()
    m = _MIXED.match(s)
    if m:
        value = int(m.group(1)) + Fraction(int(m.group(2)), int(m.group(3)))
    else:
        if not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+", s):
            return None
        value = Fraction(s.replace(",", ""))
    return value / 100 if pct else value


def read_date(text: str) -> date | None:
    """A date written "December 15, 2003"."""
    m = re.fullmatch(rf"({'|'.join(MONTHS)})\s+(\d{{1,2}}),\s+(\d{{4}})", text.strip())
    if not m:
        return None
    try:
        return date(int(m.group(3)), MONTHS.index(m.group(1)) + 1, int(m.group(2)))
    except ValueError:
        return None


def read_share(text: str) -> str | None:
    """A voting share: "a majority" -> "majority" (more than half); "two-thirds" or "66 2/3%" -> "2/3" (at least)."""
    t = re.sub(rf"{_INTEREST}$", "", text.strip(), flags=re.IGNORECASE)
    if re.fullmatch(r"(?:a\s+)?(?:simple\s+)?majority", t, re.IGNORECASE):
        return "majority"
    v = read_words(t)
    if v is None:
        m = re.fullmatch(rf"(.*?)\s*\(\s*({_FIG})\s*\)", t)
        v = read_words(m.group(1)) if m else read_figure(t)
    if v is None or not 0 < v <= 1:
        return None
    return "all" if v == 1 else f"{v.numerator}/{v.denominator}"


@dataclass(frozen=True)
class Reading:
    """A phrase read as a value: the value used, what the words and the figure say, and whether they disagree."""

    value: object
    words: object = None
    figure: object = None

    @property
    def disagree(self) -> bool:
        """Words and figures both present and different."""
        return self.words is not None and self.figure is not None and self.words != self.figure


def read(text: str, unit: str) -> Reading | None:
    """Read a phrase as a value of a parameter's unit (days, months, count, shares, USD, ratio, date, share).
    Where the words and the figure disagree, the words are used (the usual rule that words control figures)."""
    t = text.strip()
    if unit == "date":
        d = read_date(t)
        return None if d is None else Reading(d)
    if unit == "share":
        s = read_share(t)
        return None if s is None else Reading(s)
    m = re.fullmatch(rf"(?P<w>.*?)\s*\(\s*(?P<f>{_FIG})\s*\)", t)
    words_text, fig_text = (m.group("w"), m.group("f")) if m and m.group("w") else ("", t if m is None else m.group("f"))
    w = read_words(words_text) if words_text else None
    f = read_figure(fig_text) if fig_text else None
    if f is None and w is None and not words_text:
        w = read_words(t)
    if words_text and w is None:
        return None
    if w is None and f is None:
        return None
    if unit in ("ratio",):
        # "two hundredths (.02)", ".015", "one and one-half percent (1.5%)"
        value = w if w is not None else f
        return Reading(_plain(value), _plain(w), _plain(f))
    if unit in ("days", "months", "count", "shares", "USD"):
        wv: Fraction | int | None = w if w is None or w.denominator != 1 or unit == "USD" else int(w)
        fv: Fraction | int | None = f if f is None or f.denominator != 1 or unit == "USD" else int(f)
        v = wv if wv is not None else fv
        if isinstance(v, Fraction) and v.denominator != 1:
            return None
        return Reading(_plain(v), _plain(wv), _plain(fv))
    return None


def _plain(v: Fraction | int | None) -> object:
    """A Fraction as int when whole, else as float (the parameters' own types)."""
    if v is None:
        return None
    if isinstance(v, Fraction):
        return int(v) if v.denominator == 1 else float(v)
    return v


def words_for(value: int) -> str:
    """English words for a whole number ("forty-five")."""
    return str(num2words(value)).replace(",", "")
