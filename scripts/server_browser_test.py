"""Issue 16, item 6: `boardroom serve` in a real browser (Debian's chromium,
driven by Playwright). A new record is started on a free port; the test
- loads the default structure;
- moves the date slider, with the keyboard, to 2023-11-18 and sees the
  four directors;
- clicks Microsoft in the graph and sees 49% of the economics and no
  control;
- checks an event (dry run), then records a valid and an invalid one and
  sees both verdicts, the invalid one with its reason;
- is refused a write without a token;
and saves a screenshot of each view in OUT_DIR.

Usage: python scripts/server_browser_test.py BOARDROOM_BINARY OUT_DIR
"""

import json
import pathlib
import re
import subprocess
import sys
import tempfile
import time

from playwright.sync_api import sync_playwright

from browser_test import ARGS, CHROMIUM  # the same Chromium, started the same way

MEETING = {"id": "board-2023-12-01", "date": "2023-12-01", "act": "meeting", "body": "board",
           "present": ["dangelo", "taylor", "summers"]}
VALID = {"id": "reappoint-altman", "date": "2023-12-01", "act": "appoint", "person": "altman",
         "body": "board", "by": "board", "meeting": "board-2023-12-01",
         "for": ["dangelo", "taylor", "summers"]}
INVALID = {"id": "remove-dangelo", "date": "2023-12-01", "act": "remove", "person": "dangelo",
           "body": "board", "by": "board", "meeting": "board-2023-12-01", "for": ["taylor"]}


def check(ok, what):
    if not ok:
        sys.exit(f"server browser test failed: {what}")
    print(f"ok: {what}")


def start(binary, db, *flags):
    server = subprocess.Popen(
        [binary, "serve", "--db", str(db), "--addr", "127.0.0.1:0", *flags],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )
    line = server.stderr.readline()
    m = re.search(r"http://([0-9.:]+)/", line)
    if not m:
        server.kill()
        sys.exit(f"server browser test failed: the server did not start: {line}")
    return server, f"http://{m.group(1)}"


def record(page, event, seq, shot):
    """Records `event`, which should become entry `seq`; the answer shown."""
    page.fill("#event-json", json.dumps(event, indent=2))
    page.click("#record")
    page.wait_for_function(
        "(seq) => document.querySelector('#append-result').innerText.includes('Recorded as entry ' + seq + ' ')"
        " || document.querySelector('#append-result .problem')",
        arg=seq)
    page.screenshot(path=str(shot), full_page=False)
    return page.inner_text("#append-result")


def main():
    binary, out = sys.argv[1], pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    work = pathlib.Path(tempfile.mkdtemp(prefix="boardroom-serve-"))
    db = work / "record.db"
    token = subprocess.run(
        [binary, "token", "create", "--name", "secretary", "--write", "openai-2023", "--db", str(db)],
        check=True, capture_output=True, text=True).stdout.strip()
    server, base = start(binary, db)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            outside = []
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(base + "/")
            page.wait_for_selector("body[data-ready=true]", timeout=30000)
            check("OpenAI, November 2023" in page.inner_text("#structure-meta"), "the default structure is loaded")
            page.screenshot(path=str(out / "serve-overview.png"), full_page=True)

            # The slider, moved with the keyboard, one day at a time.
            slider = page.locator("#date-slider")
            slider.focus()
            for _ in range(400):
                now = page.inner_text("#date-label")
                if now == "2023-11-18":
                    break
                page.keyboard.press("ArrowLeft" if now > "2023-11-18" else "ArrowRight")
            check(page.inner_text("#date-label") == "2023-11-18", "the slider reaches 2023-11-18")
            page.wait_for_function(
                "() => document.querySelector('#board').innerText.includes('(4 members)')", timeout=15000)
            board = page.inner_text("#board")
            for name in ["Ilya Sutskever", "Adam D'Angelo", "Tasha McCauley", "Helen Toner"]:
                check(name in board, f"{name} is on the board on 2023-11-18")
            check("Sam Altman" not in board.split("Offices")[0], "Sam Altman is not on the board on 2023-11-18")
            page.screenshot(path=str(out / "serve-2023-11-18.png"), full_page=False)

            # Microsoft, clicked in the graph itself.
            page.wait_for_function("() => window.boardroomGraph && window.boardroomGraph.$id('microsoft').nonempty()")
            pos = page.evaluate("() => window.boardroomGraph.$id('microsoft').renderedPosition()")
            box = page.locator("#cy").bounding_box()
            page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
            page.wait_for_function("() => document.querySelector('#details h3')")
            details = page.inner_text("#details")
            check("Microsoft Corporation" in details, "clicking the node shows Microsoft")
            check("49% economic interest" in details and "OpenAI Global, LLC" in details,
                  "Microsoft holds 49% of OpenAI Global's economics")
            check("controls no entity" in details, "Microsoft controls no entity")
            page.locator("#graph-title").scroll_into_view_if_needed()
            page.screenshot(path=str(out / "serve-microsoft.png"), full_page=False)

            # The share threshold hides interests below it.
            page.fill("#threshold", "50")
            page.dispatch_event("#threshold", "input")
            hidden = page.evaluate(
                "() => window.boardroomGraph.edges('.below').map(e => e.source().id() + '>' + e.target().id())")
            check("microsoft>openai-global" in hidden, f"a 50% threshold hides Microsoft's 49% ({hidden})")
            page.fill("#threshold", "0")
            page.dispatch_event("#threshold", "input")

            # A dry run stores nothing; then a valid and an invalid act.
            page.fill("#token", token)
            page.fill("#event-json", json.dumps(MEETING, indent=2))
            page.click("#check")
            page.wait_for_function("() => document.querySelector('#append-result').innerText.includes('nothing was stored')")
            check("RECORDED" in page.inner_text("#append-result").upper(), "the dry run shows the meeting's verdict")
            log = json.loads(subprocess.run(["curl", "-s", base + "/api/structures/openai-2023/log"],
                                            capture_output=True, text=True).stdout)
            check(log["entries"] == [], "the dry run stored nothing")
            record(page, MEETING, 1, out / "serve-meeting.png")
            text = record(page, VALID, 2, out / "serve-valid.png")
            check("VALID" in text.upper() and "Recorded as entry 2" in text, "the valid act is recorded with its verdict")
            text = record(page, INVALID, 3, out / "serve-invalid.png")
            check("INVALID" in text.upper() and "not carried: 1 vote for" in text and "not applied" in text,
                  "the invalid act is recorded with its verdict and reason, not applied")
            page.wait_for_function("() => document.querySelector('#acts').innerText.includes('entry 3')")
            acts = page.inner_text("#acts")
            check("entry 2, recorded by secretary" in acts and "entry 3, recorded by secretary" in acts,
                  "the acts list shows both entries and who recorded them")
            page.locator("#acts-title").scroll_into_view_if_needed()
            page.screenshot(path=str(out / "serve-acts.png"), full_page=False)

            # A write without a token.
            page.fill("#token", "")
            page.fill("#event-json", json.dumps({**MEETING, "id": "another"}, indent=2))
            page.click("#record")
            page.wait_for_selector("#append-result .problem")
            check("every write needs a token" in page.inner_text("#append-result"), "a write without a token is refused")
            page.locator("#append-title").scroll_into_view_if_needed()
            page.screenshot(path=str(out / "serve-refused.png"), full_page=False)
            log = json.loads(subprocess.run(["curl", "-s", base + "/api/structures/openai-2023/log"],
                                            capture_output=True, text=True).stdout)
            check(len(log["entries"]) == 3, "the refused write stored nothing")

            # Blocking and voting power, asked from the page.
            page.fill("#date-input", "2023-11-18")
            page.dispatch_event("#date-input", "change")
            page.select_option("#block-event", "remove-altman-director")
            page.check("#block-members input[value=sutskever]")
            page.check("#block-members input[value=toner]")
            page.click("#block-form button[type=submit]")
            page.wait_for_selector("#block-result .verdict")
            check("could have blocked" in page.inner_text("#block-result"), "Sutskever and Toner could have blocked the removal")
            page.wait_for_function("() => document.querySelector('#power table')")
            check("Banzhaf" in page.inner_text("#power"), "the voting power table is shown")
            page.wait_for_selector("#waterfall .bar-row")
            check("Microsoft Corporation" in page.inner_text("#waterfall"), "the waterfall chart is shown")
            page.screenshot(path=str(out / "serve-full.png"), full_page=True)

            # Under the structure's own variant of nine seats, four directors
            # were no quorum: the removal is invalid there.
            page.select_option("#variant", "nine-seats")
            page.wait_for_function(
                "() => [...document.querySelectorAll('#acts li')].some(li => "
                "li.innerText.includes('remove Sam Altman from Board') && li.querySelector('.badge.invalid'))",
                timeout=15000)
            check(True, "under the nine-seats variant, Altman's removal is invalid")
            page.select_option("#variant", "")
            page.wait_for_function(
                "() => [...document.querySelectorAll('#acts li')].some(li => "
                "li.innerText.includes('remove Sam Altman from Board') && li.querySelector('.badge.valid'))",
                timeout=15000)
            check(True, "as written, it is valid again")

            # Every control is labelled; sources are listed; nothing came from outside.
            unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
                .filter(e => e.type !== 'checkbox' && !e.labels?.length && !e.getAttribute('aria-label'))
                .map(e => e.id)""")
            check(unlabelled == [], f"every control has a label ({unlabelled})")
            check(page.locator("#sources li").count() >= 5, "the sources of what is shown are listed")
            check(outside == [], f"nothing was fetched from outside the server ({outside[:3]})")
            check(errors == [], f"no script errors ({errors[:3]})")

            # The same record served with --private: nothing is shown until
            # a token is given, then everything is.
            private, private_base = start(binary, db, "--private")
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(private_base + "/")
                page.wait_for_selector("body[data-ready=true]", timeout=30000)
                check("needs a token" in page.inner_text("#structure-meta"), "a private server shows nothing without a token")
                page.fill("#token", token)
                page.dispatch_event("#token", "change")
                page.wait_for_function("() => document.querySelector('#board').innerText.includes('members')", timeout=15000)
                check("OpenAI, November 2023" in page.inner_text("#structure-meta"), "with the token, the record is shown")
            finally:
                private.terminate()
                private.wait(timeout=10)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
