"""Build the markups in this folder from the bundled agreement (deterministic: same bytes every run).

    python tests/corpus/diff/make_markups.py [--out DIR]

Each markup is the bundled text with a few edits a lawyer on the other side might make; `expected.yaml` says what
`rra diff bundled MARKUP` must report for each. An edit names the words it replaces (whitespace in them matches any
run of whitespace, so the text's line breaks do not matter) and must find them exactly once; the new words are
written on one line. `tests/test_diff.py` checks that running this script reproduces the files byte for byte.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from rra.spec.text import agreement_text

HERE = Path(__file__).resolve().parent

Edit = tuple[str, str]  # (old words, new words)

MARKUPS: dict[str, tuple[Edit, ...]] = {
    # a number changed: the Applicable Percentage of 2(c), in words and figures
    "number-changed.txt": (
        ('means two hundredths (.02).', 'means one and one-half percent (1.5%).'),
    ),
    # a sentence the parser binds (a cap on 2(c) payments), and the memo's own redline for 11(l)'s "penalties"
    "memo-redline.txt": (
        ('Conversion Price (as defined in the Debentures) on such payment date.',
         'Conversion Price (as defined in the Debentures) on such payment date. The aggregate amount of all payments '
         'under this Section 2(c) shall not exceed $120,000.'),
        ('the penalties assessable herein', 'the liquidated damages payable under Section 2(c)'),
    ),
    # a deadline tightened: 3(a)'s own effectiveness deadline from ninety to twenty-five days
    "deadline-tightened.txt": (
        ('than ninety (90) days from the Prior Financing Effective Date),',
         'than twenty-five (25) days from the Prior Financing Effective Date),'),
    ),
    # vote thresholds changed: Section 10's majority becomes two-thirds, and 3(q)'s majority all of the securities
    "vote-threshold.txt": (
        ('and Investors who hold a majority interest of the Registrable Securities',
         'and Investors who hold two-thirds of the Registrable Securities'),
        ('without the consent of the holders of a majority-in-interest of the Registrable Securities',
         'without the consent of the holders of one hundred percent (100%) of the Registrable Securities'),
    ),
    # a clause deleted: 11(l) (specific performance, "the penalties assessable herein") goes, 11(m) becomes 11(l)
    "clause-deleted.txt": (
        ('l. The Company acknowledges that a breach by it of its obligations hereunder will cause irreparable harm to '
         'each Investor by vitiating the intent and purpose of the transactions contemplated hereby. Accordingly, the '
         'Company acknowledges that the remedy at law for breach of its obligations under this Agreement will be '
         'inadequate and agrees, in the event of a breach or threatened breach by the Company of any of the provisions '
         'under this Agreement, that each Investor shall be entitled, in addition to all other available remedies in '
         'law or in equity, and in addition to the penalties assessable herein, to an injunction or injunctions '
         'restraining, preventing or curing any breach of this Agreement and to enforce specifically the terms and '
         'provisions hereof, without the necessity of showing economic loss and without any bond or other security '
         'being required. m. The language used', 'l. The language used'),
    ),
    # layout only: 11(m) rewrapped onto one line with single spaces, curly quotes around a defined term in the
    # recitals, and a non-breaking space in 11(l); nothing the model reads changes, not even the words
    "layout-only.txt": (
        ('m. The language used in this Agreement will be deemed to be the language chosen by the parties to express '
         'their mutual intent, and no rules of strict construction will be applied against any party.',
         'm. The language used in this Agreement will be deemed to be the language chosen by the parties to express '
         'their mutual intent, and no rules of strict construction will be applied against any party.'),
        ('(the "Common Stock"), upon', '(the \u201cCommon Stock\u201d), upon'),
        ('the penalties assessable herein', 'the penalties\u00a0assessable herein'),
    ),
}


def apply(text: str, edits: tuple[Edit, ...], name: str) -> str:
    """The text with each edit made once (ValueError if its words are not found exactly once)."""
    for old, new in edits:
        pattern = re.compile(r"\s+".join(re.escape(w) for w in old.split()))
        hits = pattern.findall(text)
        if len(hits) != 1:
            raise ValueError(f"{name}: {old[:50]!r} found {len(hits)} times")
        text = pattern.sub(lambda _m, new=new: new, text)
    return text


def build() -> dict[str, bytes]:
    """Every markup's bytes by file name."""
    base = agreement_text()
    return {name: apply(base, edits, name).encode("utf-8") for name, edits in MARKUPS.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default=str(HERE))
    out = Path(ap.parse_args().out)
    for name, data in build().items():
        (out / name).write_bytes(data)


if __name__ == "__main__":
    main()
