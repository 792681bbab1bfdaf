"""Headless Chromium for the report's tests: screenshots, and where each element of a page is laid out.

Element positions come from the browser itself: the test copies the page to a temporary folder, drops its
Content-Security-Policy and adds one script that writes every element's box (getBoundingClientRect plus the
scroll offset, in CSS pixels) into the DOM, and Chromium's --dump-dom prints it. The report itself has no
script; only this copy, made by the test, does."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from html import unescape
from pathlib import Path

CHROMIUM = shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium") or None

MEASURE_JS = """<script>
const out = {};
for (const el of document.querySelectorAll('[id]')) {
  const r = el.getBoundingClientRect();
  out[el.id] = [r.left + scrollX, r.top + scrollY, r.right + scrollX, r.bottom + scrollY];
}
out['__page__'] = [0, 0, document.documentElement.scrollWidth, document.documentElement.scrollHeight];
const pre = document.createElement('pre'); pre.id = 'rra-measured'; pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script>"""


def run(url: str, *extra: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Headless Chromium on a URL, with a throw-away profile."""
    assert CHROMIUM is not None
    profile = tempfile.mkdtemp(prefix="rra-chromium-")
    try:
        return subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *extra, url],
            capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def boxes(page: Path, width: int = 1400, height: int = 1800) -> dict[str, tuple[float, float, float, float]]:
    """Every element with an id: (left, top, right, bottom) in CSS pixels from the top of the page, laid out in a
    window `width` wide."""
    html = page.read_text(encoding="utf-8")
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    html = html.replace("</body>", MEASURE_JS + "</body>")
    with tempfile.TemporaryDirectory(prefix="rra-measure-") as tmp:
        copy = Path(tmp) / "measure.html"
        copy.write_text(html, encoding="utf-8")
        r = run(copy.as_uri(), f"--window-size={width},{height}", "--dump-dom")
    m = re.search(r'<pre id="rra-measured">(.*?)</pre>', r.stdout, flags=re.DOTALL)
    assert m is not None, r.stderr[-2000:]
    return {k: tuple(v) for k, v in json.loads(unescape(m.group(1))).items()}
