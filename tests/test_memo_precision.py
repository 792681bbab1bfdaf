"""The precision corpus (tests/corpus/precision/cases.yaml): what the memo must not report, each with a
counter-example draft where it must."""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any

import pytest
import yaml
from rra.solver.memo_build import Memo, build
from rra.solver.redline import find_words
from rra.spec.agreement import Agreement, agreement_of_text

from .support import BUNDLED

CASES = yaml.safe_load((Path(__file__).parent / "corpus" / "precision" / "cases.yaml").read_text())
TEXT = "\n".join(BUNDLED.document.lines)


def _draft(edits: list[dict[str, str]]) -> Agreement:
    if not edits:
        return BUNDLED
    text = TEXT
    for e in edits:
        spans = find_words(e["find"], text, 0, len(text))
        assert spans, e["find"]
        text = text[:spans[0][0]] + e["replace"] + text[spans[0][1]:]
    return agreement_of_text(text)


def _memo(a: Agreement, analyses: list[str]) -> Memo:
    from rra.solver.analyses import ANALYSES
    from rra.solver.findings import CheckContext

    found: list[dict[str, Any]] = []
    for name in analyses:
        found += [f.to_json() for f in ANALYSES[name](CheckContext(a)).findings]
    return build(a, found)


def _hits(memo: Memo, patterns: list[str]) -> list[str]:
    return [i.id for i in memo.issues if any(fnmatch.fnmatchcase(i.id.lower(), p.lower()) for p in patterns)]


@pytest.mark.parametrize("case", CASES, ids=[c["rule"] for c in CASES])
def test_the_memo_stays_silent_where_a_partner_would(case: dict[str, Any]) -> None:
    spec = case.get("silent")
    if not spec:
        pytest.skip("no silent part")
    memo = _memo(_draft(spec.get("edits", [])), case["analyses"])
    assert not _hits(memo, spec.get("entries", [])), case["says"]
    carried = [f for i in memo.issues for f in i.findings]
    for pat in spec.get("not_carried", []):
        assert not fnmatch.filter(carried, pat), (case["says"], pat)
    body = [f for i in memo.body for f in i.findings]
    for pat in spec.get("body", []):
        assert not fnmatch.filter(body, pat), (case["says"], pat)
    text = " ".join(i.title + " " + i.explanation for i in memo.issues)
    for words in spec.get("titles", []):
        assert words not in text, case["says"]


@pytest.mark.parametrize("case", [c for c in CASES if c.get("fires")], ids=[c["rule"] for c in CASES if c.get("fires")])
def test_the_counter_example_is_reported(case: dict[str, Any]) -> None:
    spec = case["fires"]
    memo = _memo(_draft(spec.get("edits", [])), case["analyses"])
    hits = [i for i in memo.issues if fnmatch.fnmatchcase(i.id.lower(), spec["entry"].lower())]
    assert hits, (case["says"], [i.id for i in memo.issues])
    if "title" in spec:
        assert any(spec["title"] in i.title for i in hits)
