"""Remake the images in docs/: each chart of the demo data and a screenshot of its report.

Run from the repository root (needs the plot extra, and Debian's ``chromium`` for the
screenshot)::

    python tools/make_doc_images.py

writes docs/charts/{nine_box,gap_heatmap,jpm_distribution,placement_flows}.png (labels in
English, the language of the docs) and docs/report.png (the top of the demo report, in
Indonesian, the report's default).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import asn_match as am
from asn_match import plots

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def charts(lang: str = "en") -> dict[str, object]:
    """The four charts of the demo data, by file name."""
    employees_df, positions_df = am.datasets.tegal_administrators()
    employees = am.read_employees(employees_df)
    positions = am.read_positions(positions_df)
    placement = am.assign(am.score(employees, positions))
    needs = am.training_needs(am.development_plan(employees, positions, target=placement))
    return {
        "nine_box": plots.nine_box_chart(am.nine_box(employees), lang=lang),
        "gap_heatmap": plots.gap_heatmap(needs, lang=lang),
        "jpm_distribution": plots.jpm_distribution(placement, lang=lang),
        "placement_flows": plots.placement_flows(placement, lang=lang),
    }


def screenshot(page: Path, image: Path, *, width: int, height: int) -> None:
    """The top ``height`` pixels of a page as rendered by headless Chromium."""
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("make_doc_images: chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", f"--user-data-dir={profile}", f"--window-size={width},{height}",
             f"--screenshot={image}", page.as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Write the images; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-report", action="store_true", help="remake the charts only")
    args = parser.parse_args(argv)
    (DOCS / "charts").mkdir(parents=True, exist_ok=True)
    for name, fig in charts().items():
        path = DOCS / "charts" / f"{name}.png"
        fig.savefig(path, dpi=80, metadata={"Software": None})
        print(f"wrote {path.relative_to(ROOT)}")
    if not args.no_report:
        with tempfile.TemporaryDirectory() as folder:
            page = Path(folder) / "report.html"
            am.report(*am.datasets.tegal_administrators(), page)
            screenshot(page, DOCS / "report.png", width=1000, height=2200)
        print(f"wrote {(DOCS / 'report.png').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
