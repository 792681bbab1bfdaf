"""Which words a redraft changed, clause by clause: the Words part of `rra diff`.

Each clause of the two texts is compared by its own words (a parent's words without its children's), read in a
form that ignores layout: the number as written ("c.", "(c)", "Section 2.") is dropped, the characters are
canonicalized and whitespace collapsed (rra.spec.text.normalize), and a section heading is compared without
regard to case or its closing full stop. Two texts that differ only in layout therefore have no word changes.

Clauses are matched by content, not by number, so a clause that moved or was renumbered is one clause that moved,
never a deletion and an insertion:

1. clauses with the same words are matched (the same id first, then in document order);
2. the remaining pairs are matched greedily by similarity (rapidfuzz's normalized Indel ratio of their words),
   best first, when at least `MATCH_SCORE` (a tie goes to the same id, then to the nearer position);
3. what remains with the same id on both sides is a rewritten clause; anything else was deleted or inserted.

The word-level redline of a matched pair comes from difflib's SequenceMatcher over words (the Python standard
library's kept implementation; no hand-written diff).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz
from rra.spec.clauses import Clause, Document
from rra.spec.text import normalize

MATCH_SCORE = 60.0  # least similarity (0-100) for two clauses with different words to be one clause changed
CONTEXT_WORDS = 6  # unchanged words shown on each side of a change in a short redline


@dataclass(frozen=True)
class ClauseWords:
    """A clause's own words as a reader sees them (`shown`) and as they are compared (`key`, word for word)."""

    id: str
    index: int  # position in its document
    shown: tuple[str, ...]
    key: tuple[str, ...]

    @property
    def text(self) -> str:
        """The words as one string."""
        return " ".join(self.shown)


def clause_words(c: Clause, index: int) -> ClauseWords:
    """A clause's own words without its number as written; a section heading compared without case or its full
    stop."""
    text = normalize(c.text)
    label = normalize(c.label)
    if label and text.startswith(label):
        text = text[len(label):].strip()
    shown = text.split()
    key = list(shown)
    head = [_bare(w) for w in normalize(c.heading or "").split()]
    if head and [_bare(w) for w in shown[:len(head)]] == head:
        rest = shown[len(head):]
        while rest and rest[0] in (".", ":", "-"):
            rest = rest[1:]
        key = [*head, *rest]
        shown = [*shown[:len(head)], *rest]
    return ClauseWords(c.id, index, tuple(shown), tuple(key))


def _bare(word: str) -> str:
    """A heading word compared without case or closing punctuation."""
    return word.lower().rstrip(".:")


def document_words(doc: Document) -> list[ClauseWords]:
    """Every clause's own words, in document order."""
    return [clause_words(c, i) for i, c in enumerate(doc.clauses)]


Op = tuple[str, str, str]  # (equal | delete | insert | replace, old words, new words)


@dataclass(frozen=True)
class ClauseChange:
    """One clause whose words or number changed.

    status: changed (same number, other words) | renumbered (same words, another number) | moved and changed |
    deleted | inserted. `old` / `new` are the clause ids on each side (None for an inserted / deleted clause)."""

    status: str
    old: str | None
    new: str | None
    ops: tuple[Op, ...] = ()
    similarity: float = 100.0

    @property
    def inserted_words(self) -> int:
        """How many words the new text has that the old does not."""
        return sum(len(b.split()) for op, _, b in self.ops if op in ("insert", "replace"))

    @property
    def deleted_words(self) -> int:
        """How many words of the old text are gone."""
        return sum(len(a.split()) for op, a, _ in self.ops if op in ("delete", "replace"))

    def redline(self, context: int | None = CONTEXT_WORDS) -> str:
        """The change as [-deleted-] {+inserted+} words (see `redline`)."""
        return redline(self.ops, context)


def redline(ops: Iterable[Op], context: int | None = CONTEXT_WORDS) -> str:
    """Opcodes as [-deleted-] {+inserted+} words; with `context`, unchanged runs longer than twice that are cut to
    `context` words on each side of a change ("...")."""
    ops = list(ops)
    out: list[str] = []
    last = len(ops) - 1
    for k, (op, a, b) in enumerate(ops):
        if op == "equal":
            words = a.split()
            if context is not None and len(words) > 2 * context:
                head = words[:context] if k > 0 else []
                tail = words[-context:] if k < last else []
                a = " ".join([*head, "...", *tail])
            out.append(a)
            continue
        if a:
            out.append(f"[-{a}-]")
        if b:
            out.append(f"{{+{b}+}}")
    return " ".join(x for x in out if x)


def word_ops(old: ClauseWords, new: ClauseWords) -> tuple[Op, ...]:
    """Word-level opcodes between two clauses (compared by their keys, shown in their own words)."""
    sm = difflib.SequenceMatcher(a=old.key, b=new.key, autojunk=False)
    ops: list[Op] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        ops.append((op, " ".join(old.shown[i1:i2]), " ".join(new.shown[j1:j2])))
    return tuple(ops)


@dataclass(frozen=True)
class WordsDiff:
    """The Words part: every clause that changed, in the new text's order, and where each old clause went."""

    changes: tuple[ClauseChange, ...]
    mapping: dict[str, str]  # old clause id -> new clause id, for every matched clause

    @property
    def empty(self) -> bool:
        """No clause changed its words or its number."""
        return not self.changes


def _similarity(a: ClauseWords, b: ClauseWords) -> float:
    return float(fuzz.ratio(" ".join(a.key), " ".join(b.key)))


def match(old: list[ClauseWords], new: list[ClauseWords]) -> list[tuple[ClauseWords, ClauseWords, float]]:
    """Pairs of the same clause in two texts (see the module docstring), each with its similarity."""
    pairs: list[tuple[ClauseWords, ClauseWords, float]] = []
    free_new = {n.id: n for n in new}
    by_key: dict[tuple[str, ...], list[ClauseWords]] = {}
    for n in new:
        by_key.setdefault(n.key, []).append(n)
    rest_old: list[ClauseWords] = []
    for o in sorted(old, key=lambda o: (o.key not in by_key or not any(n.id == o.id for n in by_key[o.key]),
                                          o.index)):
        cands = [n for n in by_key.get(o.key, []) if n.id in free_new]
        if not cands:
            rest_old.append(o)
            continue
        n = next((n for n in cands if n.id == o.id), cands[0])
        del free_new[n.id]
        pairs.append((o, n, 100.0))
    rest_old.sort(key=lambda o: o.index)
    rest_new = sorted(free_new.values(), key=lambda n: n.index)
    scored = sorted(((_similarity(o, n), o.id == n.id, -abs(o.index - n.index), o.index, n.index)
                     for o in rest_old for n in rest_new), reverse=True)
    by_old = {o.index: o for o in rest_old}
    by_new = {n.index: n for n in rest_new}
    taken_o: set[int] = set()
    taken_n: set[int] = set()
    for score, _same, _dist, oi, ni in scored:
        if score < MATCH_SCORE:
            break
        if oi in taken_o or ni in taken_n:
            continue
        taken_o.add(oi)
        taken_n.add(ni)
        pairs.append((by_old[oi], by_new[ni], score))
    left_new = {n.id: n for n in rest_new if n.index not in taken_n}
    for o in rest_old:
        if o.index not in taken_o and o.id in left_new:
            n = left_new.pop(o.id)
            pairs.append((o, n, _similarity(o, n)))
    return pairs


def compare_documents(old: Document, new: Document) -> WordsDiff:
    """The clause-by-clause word changes from one text to another."""
    ow, nw = document_words(old), document_words(new)
    pairs = match(ow, nw)
    mapping = {o.id: n.id for o, n, _ in pairs}
    matched_old = {o.id for o, _, _ in pairs}
    matched_new = {n.id for _, n, _ in pairs}
    entries: list[tuple[float, ClauseChange]] = []
    for o, n, score in pairs:
        same_words = o.key == n.key
        if same_words and o.id == n.id:
            continue
        if same_words:
            entries.append((n.index, ClauseChange("renumbered", o.id, n.id)))
        else:
            status = "changed" if o.id == n.id else "moved and changed"
            entries.append((n.index, ClauseChange(status, o.id, n.id, word_ops(o, n), round(score, 1))))
    # a deleted clause sits where its old neighbour went in the new text
    new_at = {o.index: n.index for o, n, _ in pairs}
    for o in ow:
        if o.id in matched_old:
            continue
        before = max((new_at[i] for i in new_at if i < o.index), default=-1)
        entries.append((before + 0.5, ClauseChange("deleted", o.id, None, (("delete", o.text, ""),), 0.0)))
    for n in nw:
        if n.id not in matched_new:
            entries.append((n.index, ClauseChange("inserted", None, n.id, (("insert", "", n.text),), 0.0)))
    entries.sort(key=lambda e: (e[0], e[1].old or "", e[1].new or ""))
    return WordsDiff(tuple(c for _, c in entries), mapping)


def renumbering(diff: WordsDiff) -> dict[str, str]:
    """Old clause id -> new clause id, for the clauses whose number changed."""
    return {o: n for o, n in diff.mapping.items() if o != n}


def translate(ids: Iterable[str], diff: WordsDiff) -> tuple[str, ...]:
    """Old clause ids in the new text's numbering (a deleted clause keeps its old id)."""
    return tuple(diff.mapping.get(c, c) for c in ids)


__all__ = ["ClauseChange", "ClauseWords", "WordsDiff", "compare_documents", "document_words", "match", "redline",
           "renumbering", "translate", "word_ops"]
