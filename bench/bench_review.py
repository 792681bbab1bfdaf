"""Benchmark: the drafting review as `rra check` runs it (lenient parse + every text check + the graph).

    python -m bench.bench_review [--runs 7]

Prints the median wall time of: parsing the bundled agreement, reviewing it (fresh parse each run, so nothing
is cached), building the text graph alone, and reviewing a draft four times as long (the agreement's
operative sections repeated with renumbered sections), with the ratio review / parse. Target: the review
well under one second.
"""

from __future__ import annotations

import argparse
import re

from rra.solver.review import review
from rra.solver.textgraph import build_graph
from rra.spec.clauses import parse
from rra.spec.text import agreement_text

from bench.timing import median_time


def long_draft(copies: int = 4) -> str:
    """The agreement with its Sections 1-11 repeated, renumbered 1..11*copies (a longer draft, same style)."""
    text = agreement_text()
    lines = text.split("\n")
    start = next(i for i, ln in enumerate(lines) if re.match(r"^\s*1\.\s+DEFINITIONS\.", ln))
    end = next(i for i, ln in enumerate(lines) if "IN WITNESS" in ln)
    body = lines[start:end]
    out = lines[:start]
    for k in range(copies):
        for ln in body:
            m = re.match(r"^(\s*)(\d{1,2})(\.\s+[A-Z].*)$", ln)
            out.append(f"{m.group(1)}{int(m.group(2)) + 11 * k}{m.group(3)}" if m else ln)
    return "\n".join(out + lines[end:])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    text = agreement_text()
    big = long_draft()
    parse_s = median_time(lambda: parse(text, strict=False), args.runs)
    review_s = median_time(lambda: review(parse(text, strict=False)), args.runs)
    graph_s = median_time(lambda: build_graph(parse(text, strict=False)), args.runs)
    big_s = median_time(lambda: review(parse(big, strict=False)), max(3, args.runs // 2))
    n = len(review(parse(text, strict=False)))
    print(f"parse (bundled, {len(text.splitlines())} lines):  median {parse_s * 1000:8.1f} ms")
    print(f"review (bundled, incl. parse, {n} findings): median {review_s * 1000:8.1f} ms  "
          f"(ratio to parse {review_s / parse_s:5.1f}x)")
    print(f"text graph alone (incl. parse):          median {graph_s * 1000:8.1f} ms")
    print(f"review (4x longer draft, {len(big.splitlines())} lines):   median {big_s * 1000:8.1f} ms  "
          f"(ratio to bundled {big_s / review_s:5.1f}x)")


if __name__ == "__main__":
    main()
