"""Benchmark: the clause parser on the bundled agreement and on 1 MB and 5 MB drafts.

    python -m bench.bench_parse [--runs 5]

The long drafts repeat the agreement's Sections 1-11 (renumbered 12, 13, ...) until they reach the size, so they
parse strictly like the agreement itself. For each text it prints the median wall time of a strict parse, of
looking up the clause of every line (`Document.clause_at`) and of finding 20 of the model's quotes
(`Document.find`), and the ratio of the parse to the bundled parse next to the ratio of the sizes: the parse is
linear when the two ratios are alike.
"""

from __future__ import annotations

import argparse
import re

from rra.spec.clauses import Document, parse
from rra.spec.model import ALL_ELEMENTS
from rra.spec.text import agreement_text

from bench.timing import median_time


def long_draft(size: int) -> str:
    """The agreement with its Sections 1-11 repeated (renumbered) until the text is at least `size` bytes."""
    lines = agreement_text().split("\n")
    start = next(i for i, ln in enumerate(lines) if re.match(r"^\s*1\.\s+DEFINITIONS\.", ln))
    end = next(i for i, ln in enumerate(lines) if "IN WITNESS" in ln)
    body, head, tail = lines[start:end], lines[:start], lines[end:]
    out = list(head)
    total = sum(len(ln) + 1 for ln in head + tail)
    body_size = sum(len(ln) + 1 for ln in body)
    k = 0
    while total < size or k == 0:
        for ln in body:
            m = re.match(r"^(\s*)(\d{1,2})(\.\s+[A-Z][A-Z0-9 ,;'&\-]*\.\s*)$", ln)
            out.append(f"{m.group(1)}{int(m.group(2)) + 11 * k}{m.group(3)}" if m else ln)
        total += body_size
        k += 1
    return "\n".join(out + tail)


def measure(text: str, runs: int, quotes: list[str]) -> tuple[float, float, float, Document]:
    """Median seconds of a strict parse, of clause_at for every line and of find for the quotes (each on a
    fresh parse, so nothing is cached), and the parsed document."""
    docs = [parse(text)]

    def fresh() -> None:
        docs[0] = parse(text)

    def lookup() -> None:
        for line in range(1, len(docs[0].lines) + 1):
            docs[0].clause_at(line)

    def find() -> None:
        for q in quotes:
            docs[0].find(q)

    return median_time(fresh, runs), median_time(lookup, runs, fresh), median_time(find, runs, fresh), docs[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    quotes = [e.quote for e in ALL_ELEMENTS if getattr(e, "quote", "")][:20]
    texts = [("bundled", agreement_text()), ("1 MB", long_draft(1_000_000)), ("5 MB", long_draft(5_000_000))]
    base_parse = base_size = 0.0
    print(f"{'text':<8} {'bytes':>10} {'lines':>8} {'clauses':>8} {'parse s':>9} {'clause_at s':>12} {'find x20 s':>11}"
          f" {'size ratio':>11} {'parse ratio':>12}")
    for name, text in texts:
        parse_s, at_s, find_s, doc = measure(text, args.runs if name == "bundled" else max(3, args.runs // 2), quotes)
        if name == "bundled":
            base_parse, base_size = parse_s, float(len(text))
        print(f"{name:<8} {len(text):>10,} {len(doc.lines):>8,} {len(doc.clauses):>8,} {parse_s:>9.3f}"
              f" {at_s:>12.3f} {find_s:>11.3f} {len(text) / base_size:>10.1f}x {parse_s / base_parse:>11.1f}x")


if __name__ == "__main__":
    main()
