"""The provisions review finds a defect however it is worded, and only the defect: for each detector, the corpus
(tests/corpus/provisions/cases.yaml) has drafts with the defect paraphrased (it must fire) and drafts cured
differently from the detector's own redline (it must stay silent, and not because it could not run). A paraphrase
keeps the meaning of the words it replaces (the redline mechanism re-reads the formal terms from the new words); a
cure may say what its new words mean (`meaning`, as a redline does)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rra.solver import provisions
from rra.solver.memo import Redline
from rra.solver.redline import redlined
from rra.spec.agreement import Agreement

from .support import BUNDLED

CASES: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "corpus" / "provisions" / "cases.yaml").read_text())
provisions.load()


def _draft(edits: list[dict[str, Any]]) -> Agreement:
    reds = [Redline(e["clause"], e["find"], e["replace"], e.get("count", 1), {"*": {}, **(e.get("meaning") or {})})
            for e in edits]
    draft, _ = redlined(BUNDLED, reds)
    return draft


def _ids(kind: str) -> list[str]:
    return [c["detector"] for c in CASES if c["detector"] == kind]


@pytest.mark.parametrize("case", [c for c in CASES if c.get("fires")], ids=lambda c: c["detector"])
def test_a_paraphrased_defect_is_found(case: dict[str, Any]) -> None:
    for k, edits in enumerate(case["fires"]):
        out = provisions.run(_draft(edits), [case["detector"]])
        assert not out.withheld, (k, out.withheld)
        assert out.findings, (case["detector"], k, case.get("says"))
        # the finding is about the paraphrased words, not another place the detector also reads
        for clause in case.get("sections", []):
            assert any(clause in f.sections for f in out.findings), (case["detector"], clause)


@pytest.mark.parametrize("case", [c for c in CASES if c.get("silent")], ids=lambda c: c["detector"])
def test_a_defect_cured_in_other_words_is_not_reported(case: dict[str, Any]) -> None:
    for k, edits in enumerate(case["silent"]):
        out = provisions.run(_draft(edits), [case["detector"]])
        assert not out.withheld, (k, out.withheld)
        assert not out.findings, (case["detector"], k, [f.title for f in out.findings])


def test_the_corpus_names_real_detectors_and_covers_both_sides() -> None:
    assert {c["detector"] for c in CASES} <= set(provisions.DETECTORS)
    for c in CASES:
        assert c.get("fires") and c.get("silent"), c["detector"]
    _ = _ids
