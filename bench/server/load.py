"""Load on `boardroom serve` (issue 16, item 7): many clients reading and
appending at once on loopback, with latency percentiles and throughput.

A new record is started in a temporary directory with the binary given;
READERS threads ask questions (state, control, graph, power at random dates
of the timeline) and WRITERS threads append meetings, each over its own
keep-alive connection, for SECONDS. In the same run, for the same time and
with the same clients: a peer, Python's threading `http.server` serving
the same answers as static files (no work at all: what a cache in front of
boardroom would give), and boardroom's own `/healthz` (no work, no
database). The ratios say what live answers from the record cost; this
Python client shares the machine's two cores with the servers, so absolute
figures are a floor, not a ceiling.

Then it checks the record: every acknowledged append is in the log at the
sequence number the server gave.

Usage: python bench/server/load.py BOARDROOM_BINARY [READERS] [WRITERS] [SECONDS]
"""

import http.client
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

QUESTIONS = [
    "state?as_of={d}",
    "control?as_of={d}",
    "graph?as_of={d}",
    "power?body=board&decision=remove-director&as_of={d}",
]
DATES = ["2023-11-16", "2023-11-17", "2023-11-18", "2023-11-20", "2023-11-22", "2023-11-29"]


def start(binary, db):
    server = subprocess.Popen([binary, "serve", "--db", str(db), "--addr", "127.0.0.1:0"],
                              stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    m = re.search(r"http://([0-9.]+):([0-9]+)/", server.stderr.readline())
    return server, m.group(1), int(m.group(2))


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p / 100 * len(xs)))] * 1000 if xs else float("nan")


PEER = """
import functools, http.server, sys
class H(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls between header and body
    def log_message(self, *a):
        pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(H, directory=sys.argv[1]))
print(s.server_address[1], flush=True)
s.serve_forever()
"""


def start_peer(host, port, work):
    """Python's http.server on the same answers, written out as files."""
    files = work / "static"
    (files / "api/structures/openai-2023").mkdir(parents=True)
    for q in QUESTIONS:
        for d in DATES:
            name = q.format(d=d).replace("?", "_").replace("&", "_").replace("=", "-")
            body = subprocess.run(["curl", "-s", f"http://{host}:{port}/api/structures/openai-2023/{q.format(d=d)}"],
                                  capture_output=True, check=True).stdout
            (files / "api/structures/openai-2023" / name).write_bytes(body)
    peer = subprocess.Popen([sys.executable, "-c", PEER, str(files)], stdout=subprocess.PIPE, text=True)
    return peer, int(peer.stdout.readline())


def run(host, port, seconds, readers, writers, token, healthz, static=False):
    stop = time.monotonic() + seconds
    lat = {"read": [], "append": []}
    acked, errors = [], []
    lock = threading.Lock()

    def reader(i):
        c = http.client.HTTPConnection(host, port, timeout=60)
        rng = random.Random(i)
        mine = []
        while time.monotonic() < stop:
            q = rng.choice(QUESTIONS).format(d=rng.choice(DATES))
            if static:
                path = "/api/structures/openai-2023/" + q.replace("?", "_").replace("&", "_").replace("=", "-")
            elif healthz:
                path = "/healthz"
            else:
                path = "/api/structures/openai-2023/" + q
            t = time.perf_counter()
            c.request("GET", path)
            r = c.getresponse()
            r.read()
            mine.append(time.perf_counter() - t)
            if r.status != 200:
                errors.append((path, r.status))
        with lock:
            lat["read"].extend(mine)

    def writer(i):
        c = http.client.HTTPConnection(host, port, timeout=60)
        n, mine, ok = 0, [], []
        while time.monotonic() < stop:
            n += 1
            if healthz:
                body, path, method = None, "/healthz", "GET"
            else:
                day = time.strftime("%Y-%m-%d", time.gmtime(1704067200 + 86400 * (n % 3000)))
                body = json.dumps({"id": f"load-{i}-{n}", "date": day, "act": "meeting", "body": "board",
                                   "present": ["dangelo", "taylor", "summers"]})
                path, method = "/api/structures/openai-2023/events", "POST"
            t = time.perf_counter()
            c.request(method, path, body=body,
                      headers={"authorization": f"Bearer {token}", "content-type": "application/json"})
            r = c.getresponse()
            data = r.read()
            mine.append(time.perf_counter() - t)
            if not healthz:
                if r.status != 201:
                    errors.append((path, r.status, data[:200]))
                else:
                    ok.append((f"load-{i}-{n}", json.loads(data)["entry"]["seq"]))
        with lock:
            lat["append"].extend(mine)
            acked.extend(ok)

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(readers)]
    if not static:
        threads += [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return lat, acked, errors


def main():
    binary = sys.argv[1]
    readers = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    writers = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 20
    work = Path(tempfile.mkdtemp(prefix="boardroom-load-"))
    db = work / "record.db"
    token = subprocess.run([binary, "token", "create", "--name", "load", "--write", "openai-2023", "--db", str(db)],
                           check=True, capture_output=True, text=True).stdout.strip()
    server, host, port = start(binary, db)
    peer = None
    try:
        peer, peer_port = start_peer(host, port, work)
        rows = []
        for what, p, healthz, static in (
            ("peer: http.server, the same answers as files", peer_port, False, True),
            ("/healthz (baseline)", port, True, False),
            ("questions + appends", port, False, False),
        ):
            lat, acked, errors = run(host, p, seconds, readers, writers, token, healthz, static)
            for kind in ("read", "append"):
                xs = lat[kind]
                if not xs:
                    continue
                rows.append((what, kind, len(xs), len(xs) / seconds, pct(xs, 50), pct(xs, 90), pct(xs, 99), max(xs) * 1000))
            if errors:
                sys.exit(f"load: {len(errors)} failed requests; the first: {errors[0]}")
        log = json.loads(subprocess.run(["curl", "-s", f"http://{host}:{port}/api/structures/openai-2023/log"],
                                        capture_output=True, text=True).stdout)
        by_seq = {e["seq"]: e["event"]["id"] for e in log["entries"]}
        lost = [a for a in acked if by_seq.get(a[1]) != a[0]]
        print(f"load: {readers} readers and {writers} writers, {seconds:.0f} s each phase, on {host}:{port}")
        print("| phase | kind | requests | per second | p50 ms | p90 ms | p99 ms | max ms |")
        print("|---|---|---|---|---|---|---|---|")
        for r in rows:
            print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]:.0f} | {r[4]:.1f} | {r[5]:.1f} | {r[6]:.1f} | {r[7]:.1f} |")
        base = next(r for r in rows if r[0].startswith("/healthz") and r[1] == "read")
        peer_row = next(r for r in rows if r[0].startswith("peer") and r[1] == "read")
        real = next(r for r in rows if r[0].startswith("questions") and r[1] == "read")
        print(f"live questions: {real[3] / peer_row[3]:.2f}x the peer's throughput, "
              f"{real[4] / peer_row[4]:.2f}x its median latency; "
              f"{real[3] / base[3]:.2f}x the throughput of boardroom's /healthz")
        print(f"log: {len(log['entries'])} entries; {len(acked)} appends acknowledged, {len(lost)} lost")
        if lost:
            sys.exit(f"load: acknowledged appends are missing from the log: {lost[:3]}")
    finally:
        server.terminate()
        server.wait(timeout=10)
        if peer:
            peer.terminate()


if __name__ == "__main__":
    main()
