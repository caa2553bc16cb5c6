"""Issue 15, item 5: the HTML report, rendered by headless Chromium, shows
what a reader needs: the summary first, the graph with its legend, the
waterfall chart with its caveats, the verdict table and the numbered
sources, every citation linked to its source; nothing is fetched from
outside the page; it prints to PDF.

Usage: python scripts/browser_test.py BOARDROOM_BINARY OUT_DIR
Writes OUT_DIR/report.html, report.png (a full-page screenshot) and
report.pdf, and exits non-zero on the first check that fails.
"""

import json
import pathlib
import subprocess
import sys

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def run(binary, *args):
    return subprocess.run([binary, *args], check=True, capture_output=True, text=True).stdout


def check(ok, what):
    if not ok:
        sys.exit(f"browser test failed: {what}")
    print(f"ok: {what}")


def main():
    binary, out = sys.argv[1], pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    html = out / "report.html"
    html.write_text(run(binary, "report", "--format", "html"), encoding="utf-8")
    report = json.loads(run(binary, "report", "--format", "json"))
    acts = [v for v in report["verdicts"] if v["outcome"] != "recorded"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        outside = []
        page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
        page.goto(html.resolve().as_uri())
        # The summary comes first, and shows each finding.
        headings = page.locator("h2").all_inner_texts()
        check(headings and headings[0] == "Summary", f"the first section is the summary ({headings[:3]})")
        summary = page.locator("h2#summary + ul > li")
        check(summary.count() == len(report["findings"]), f"{summary.count()} findings shown of {len(report['findings'])}")
        check(summary.first.is_visible() and "18 acts" in summary.first.inner_text(), "the first finding is visible and counts the acts")
        # The graph, with its legend, fits the screen.
        graph = page.locator("#graph-figure svg")
        check(graph.is_visible(), "the graph is visible")
        legend = page.locator("#graph-figure svg .legend")
        check(legend.is_visible() and "Legend" in legend.text_content(), "the graph's legend is visible")
        for kind in ["controls", "ownership or economic interest", "board seat"]:
            check(kind in legend.text_content(), f"the legend names '{kind}'")
        box = graph.bounding_box()
        check(box["width"] <= 1280, f"the graph fits the screen ({box['width']:.0f} px wide)")
        check(page.locator("#graph-figure svg .omitted").is_visible(), "the graph says who it leaves out")
        # The waterfall chart carries its caveats.
        chart = page.locator("#waterfall-figure svg")
        check(chart.is_visible(), "the waterfall chart is visible")
        caveats = chart.locator("text.caveat")
        check(caveats.count() > 0 and caveats.first.is_visible(), f"the chart shows {caveats.count()} caveat lines")
        # The verdict table: one row an act.
        rows = page.locator("h2#verdicts + table tbody tr")
        check(rows.count() == len(acts), f"the verdict table has {rows.count()} rows for {len(acts)} acts")
        # Sources: numbered, each cited, each citation linked.
        sources = page.locator("ol.sources > li")
        check(sources.count() == len(report["sources"]), f"{sources.count()} sources listed, as the JSON cites {len(report['sources'])}")
        check(sources.last.is_visible(), "the source list is visible")
        check(sources.filter(has_text="Fortune").count() == 1, "Fortune is cited by name")
        check(sources.filter(has_text="cannot be checked").count() == 1, "the unidentified source says it cannot be checked")
        links = page.locator("sup.cite a")
        targets = {links.nth(i).get_attribute("href") for i in range(links.count())}
        missing = [t for t in targets if page.locator(t).count() != 1]
        check(links.count() > 0 and not missing, f"{links.count()} citations, each linked to its source ({len(targets)} sources)")
        check(not outside, f"nothing fetched from outside the page ({outside[:3]})")
        page.screenshot(path=str(out / "report.png"), full_page=True)
        page.pdf(path=str(out / "report.pdf"))
        check((out / "report.pdf").stat().st_size > 10_000, "the page prints to PDF")
        browser.close()
    print(f"screenshot: {out / 'report.png'}")


if __name__ == "__main__":
    main()
