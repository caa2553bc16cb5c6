"""End to end on one BODS JSON Lines file: DuckDB reads it, resolves every
company's ultimate owners with a recursive query and writes them as CSV;
then the pairs are checked against boardroom's `analyse` CSV.

usage: end_to_end.py duckdb FILE.jsonl OUT.csv
       end_to_end.py check BOARDROOM.csv DUCKDB.csv

`duckdb` prints its split (read, resolve, write) and the total, timed inside
the process. `check` prints the pair count and a checksum of each side (the
sum of each "entity,party" line's CRC-32, an order-free fingerprint) and
exits 1 if they differ.
"""
import csv
import sys
import time
import zlib

from peers import load_bods_edges, resolve_duckdb


def run_duckdb(path, out):
    import duckdb

    t0 = time.perf_counter()
    con = duckdb.connect()
    load_bods_edges(con, path)
    t1 = time.perf_counter()
    # The same recursive query as the resolution-only comparison.
    resolve_duckdb(con)
    t2 = time.perf_counter()
    con.execute(f"COPY pairs TO '{out}' (HEADER, DELIMITER ',')")
    t3 = time.perf_counter()
    rows = con.execute("SELECT count(*) FROM pairs").fetchone()[0]
    print(f"duckdb {duckdb.__version__}: read {t1 - t0:.2f} s, resolve {t2 - t1:.2f} s, "
          f"write {t3 - t2:.2f} s, total {t3 - t0:.2f} s, {rows} pairs")


def fingerprint(pairs):
    total = 0
    n = 0
    for a, b in pairs:
        total += zlib.crc32(f"{a},{b}".encode())
        n += 1
    return n, total


def boardroom_pairs(path):
    with open(path, newline="") as f:
        r = csv.DictReader(f)
        for row in r:
            if row["top"] == "true" and (row["entity_id"] != row["party_id"] or row["min_depth"] != "0"):
                yield row["entity_id"], row["party_id"]


def duckdb_pairs(path):
    with open(path, newline="") as f:
        r = csv.reader(f)
        next(r)
        for a, b in r:
            yield a, b


def check(ours, theirs):
    a = fingerprint(boardroom_pairs(ours))
    b = fingerprint(duckdb_pairs(theirs))
    print(f"boardroom: {a[0]} pairs, checksum {a[1]}")
    print(f"duckdb:    {b[0]} pairs, checksum {b[1]}")
    if a != b:
        print("the outputs differ")
        sys.exit(1)
    print("the outputs agree")


if __name__ == "__main__":
    if sys.argv[1] == "duckdb":
        run_duckdb(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
