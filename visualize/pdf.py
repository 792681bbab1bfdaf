"""The report page printed to PDF by headless Chromium (`rra report --pdf`).

The page's print stylesheet starts each section on a new page and scales every chart and diagram to fit one.
Chromium is looked for before any work starts (RRA_CHROMIUM names a binary; else chromium, chromium-browser or
google-chrome on the PATH): without it `--pdf` is refused in one line (exit status 2), and the HTML report needs
no browser at all. The PDF's creation and modification dates are set to the agreement's date, so the same page
gives the same file.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from rra.errors import RraError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PRINT_TIMEOUT_S = 180
FIXED_DATE = b"D:20030509000000"  # the agreement's date: a PDF's dates would otherwise change on every run


class NoChromium(RraError):
    """--pdf was asked for and no Chromium is installed (one line, exit status 2)."""

    exit_code = 2


class PrintFailed(RraError):
    """Chromium could not print the page (exit status 3: a fault, not the user's input)."""

    exit_code = 3


def find_chromium() -> str:
    """The Chromium binary to print with, or NoChromium naming how to get one."""
    named = os.environ.get("RRA_CHROMIUM")
    if named:
        if shutil.which(named):
            return str(shutil.which(named))
        raise NoChromium(f"--pdf: RRA_CHROMIUM={named!r} is not an executable Chromium; unset it or install "
                         "chromium (apt-get install chromium)")
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise NoChromium("--pdf: printing the report needs Chromium, which is not installed (apt-get install chromium); "
                     "without --pdf the HTML report needs no browser")


def print_pdf(html: str, chromium: str, timeout_s: float = PRINT_TIMEOUT_S) -> bytes:
    """The page printed to PDF (Letter, the page's own print stylesheet, no browser header or footer)."""
    with tempfile.TemporaryDirectory(prefix="rra-pdf-") as tmp:
        page = Path(tmp) / "index.html"
        page.write_text(html, encoding="utf-8")
        out = Path(tmp) / "report.pdf"
        args = [chromium, "--headless", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--mute-audio", f"--user-data-dir={Path(tmp) / 'profile'}",
                "--no-pdf-header-footer", "--generate-pdf-document-outline", f"--print-to-pdf={out}", page.as_uri()]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to start as root with its sandbox
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            _out, err = proc.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise PrintFailed(f"--pdf: Chromium did not finish printing within {timeout_s:.0f} s") from None
        except BaseException:  # an interruption: end Chromium and every process it started, then go on ending
            _kill_group(proc)
            raise
        if proc.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
            raise PrintFailed(f"--pdf: Chromium could not print the page (exit {proc.returncode}: {tail[0][:200]})")
        return stable(out.read_bytes())


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


_DATE = re.compile(rb"D:\d{14}")


def stable(pdf: bytes) -> bytes:
    """The PDF with its creation and modification dates set to FIXED_DATE (same length, so offsets hold)."""
    return _DATE.sub(lambda m: FIXED_DATE, pdf)


__all__ = ["NoChromium", "PrintFailed", "find_chromium", "print_pdf", "stable"]
