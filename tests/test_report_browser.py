"""The demo report renders in headless Chromium, with no console message, showing its figures.

Needs Debian's ``chromium`` (``.ci/run`` installs it when missing); without it the tests skip
and say why.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import asn_match as am
from asn_match.report import report
from asn_match.talent import nine_box

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium; .ci/run installs it)",
)

# Headless, offline and quiet: no network, no updates, no sync, a fresh profile every run.
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--enable-logging=stderr",
    "--v=0",
)


def render(page: Path, profile: Path, *extra: str) -> tuple[str, list[str]]:
    """(the DOM after rendering, the console messages) of a page in headless Chromium."""
    done = subprocess.run(
        [CHROMIUM, *_FLAGS, f"--user-data-dir={profile}", *extra, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    # Chromium logs every console message (errors, CSP refusals) as a CONSOLE line.
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return done.stdout, console


def test_the_checker_sees_console_errors(tmp_path):
    planted = tmp_path / "planted.html"
    planted.write_text(
        "<!DOCTYPE html><html><body><p>x</p><script>console.error('planted');"
        "missing();</script></body></html>",
        encoding="utf-8",
    )
    dom, console = render(planted, tmp_path / "profile")
    assert "<p>x</p>" in dom
    assert any("planted" in line for line in console)
    assert any("missing is not defined" in line for line in console)


def _workforce(name: str):
    if name == "demo":
        return am.datasets.tegal_administrators()
    return am.datasets.synthetic_workforce(40, 8, seed=11)


# The demo data's report, charts and all, takes a while to draw on a busy machine: the slow run
# (which CI runs too) renders it; the default run renders a small synthetic workforce's report
# without charts (tests/test_report.py checks the charts are embedded), by the same checks.
@pytest.mark.parametrize(
    "name", [pytest.param("demo", marks=pytest.mark.slow), pytest.param("synthetic")]
)
def test_report_renders_with_its_figures(name, tmp_path):
    pytest.importorskip("matplotlib", reason="the report's charts need matplotlib")
    employees, positions = _workforce(name)
    path = tmp_path / "report.html"
    charts = name == "demo"
    report(employees, positions, path, charts=charts)
    dom, console = render(path, tmp_path / "profile")
    assert console == []
    summary = am.assign(am.score(employees, positions)).summary()
    for key in ("employees", "placed", "filled_seats", "moves"):
        found = re.search(rf'data-key="{key}" data-value="(\d+)"', dom)
        assert found is not None, key
        assert int(found.group(1)) == summary[key]
    boxes = nine_box(employees)
    for box in range(1, 10):
        assert f'data-box="{box}" data-count="{int((boxes["box"] == box).sum())}"' in dom
    assert dom.count('src="data:image/png;base64,') == (4 if charts else 0)
    assert "Laporan Penempatan" in dom
    # Every key figure card is in the DOM, not only the ones checked against the summary.
    assert len(re.findall(r'class="figure" data-key=', dom)) >= 11
