"""Make docs/img/report-top.png, the picture of the top of the report page that the README shows.

Builds the report of the bundled agreement in a temporary folder (rra.visualize.report.build) and has headless
Chromium take a screenshot of its first 1400 x 1800 CSS pixels: the summary, the partner's high-severity
problems and the risk analyst's worst case. Run it again whenever the top of the page changes:

    .venv/bin/python docs/make_screenshot.py            # writes docs/img/report-top.png
    .venv/bin/python docs/make_screenshot.py --out x.png

Needs Chromium (RRA_CHROMIUM, or chromium on the PATH), as `rra report --pdf` does.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from rra.spec.agreement import load_agreement
from rra.visualize.pdf import find_chromium
from rra.visualize.report import build

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 1400, 1800  # the window of the page test (tests/test_report_page.py): what fits in it is the top
TIMEOUT_S = 180


def screenshot(page: Path, png: Path, chromium: str, width: int = WIDTH, height: int = HEIGHT) -> None:
    """A screenshot of the first `width` x `height` CSS pixels of a page, by headless Chromium."""
    profile = tempfile.mkdtemp(prefix="rra-shot-")
    try:
        args = [chromium, "--headless", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--force-device-scale-factor=1", f"--user-data-dir={profile}",
                f"--window-size={width},{height}", f"--screenshot={png}", page.as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to start as root with its sandbox
        r = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT_S)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if r.returncode != 0 or not png.exists() or png.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"make_screenshot: Chromium made no screenshot (exit {r.returncode}): {r.stderr[-500:]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "report-top.png", help="the PNG to write")
    args = ap.parse_args(argv)
    chromium = find_chromium()
    with tempfile.TemporaryDirectory(prefix="rra-shot-") as tmp:
        folder = Path(tmp) / "rra-report"
        build(folder, load_agreement(None))
        png = Path(tmp) / "top.png"
        screenshot(folder / "index.html", png, chromium)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, args.out)
    print(f"Wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
