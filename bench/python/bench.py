"""The Python API against the command line, DuckDB and networkx, each from
a fresh process on the same BODS JSON Lines file: every company's ultimate
owners, timed inside the process (reading included), and each tool's
(company, ultimate owner) pairs fingerprinted for the agreement check.

usage: bench.py boardroom|duckdb|networkx FILE.jsonl FINGERPRINT.txt
       bench.py cli-pairs ROWS.parquet FINGERPRINT.txt
       bench.py check FINGERPRINT.txt...

Each tool prints one line: `TOOL: T s (what)`. The fingerprint is the pair
count and the sum of each "entity,party" line's CRC-32, order-free, as
bench/register/end_to_end.py computes it.
"""
import sys
import time
import zlib

# The peers' queries live beside the register benches.
sys.path.insert(0, __file__.rsplit("/", 2)[0] + "/register")


def fingerprint(pairs):
    n = total = 0
    for a, b in pairs:
        total += zlib.crc32(f"{a},{b}".encode())
        n += 1
    return f"{n} {total}"


def top_pairs(table):
    """boardroom's rows that are (company, ultimate owner) pairs: a party at
    the top, other than the company itself."""
    import pyarrow.compute as pc

    keep = pc.and_(table["top"], pc.or_(pc.not_equal(table["entity_id"], table["party_id"]),
                                        pc.not_equal(table["min_depth"], 0)))
    t = table.filter(keep)
    return zip(t["entity_id"].to_pylist(), t["party_id"].to_pylist())


def run_boardroom(path):
    t0 = time.perf_counter()
    import boardroom

    t1 = time.perf_counter()
    table = boardroom.analyse(bods=path)
    t2 = time.perf_counter()
    import pyarrow.parquet as pq

    pq.write_table(table, "/dev/null", compression="none")
    t3 = time.perf_counter()
    print(f"python: {t2 - t1:.2f} s (boardroom.analyse to a pyarrow.Table, {table.num_rows} rows; "
          f"import {t1 - t0:.2f} s; then pyarrow.parquet.write_table {t3 - t2:.2f} s)")
    return top_pairs(table)


def run_duckdb(path):
    import duckdb

    from peers import load_bods_edges, resolve_duckdb

    t0 = time.perf_counter()
    con = duckdb.connect()
    load_bods_edges(con, path)
    resolve_duckdb(con)
    table = con.sql("SELECT start, node FROM pairs").to_arrow_table()
    t1 = time.perf_counter()
    print(f"duckdb: {t1 - t0:.2f} s (duckdb {duckdb.__version__}: read_json, recursive query, "
          f"pairs as an Arrow table, {table.num_rows} pairs)")
    return zip(table["start"].to_pylist(), table["node"].to_pylist())


def run_networkx(path):
    import json

    import networkx as nx

    from peers import networkx_pairs

    t0 = time.perf_counter()
    g = nx.DiGraph()
    with open(path, "rb") as f:
        for line in f:
            if b'"relationship"' not in line:
                continue
            s = json.loads(line)
            d = s.get("recordDetails", {})
            party = d.get("interestedParty")
            if s.get("recordType") == "relationship" and isinstance(party, str):
                g.add_edge(d["subject"], party)
    t1 = time.perf_counter()
    pairs = networkx_pairs(g)
    t2 = time.perf_counter()
    print(f"networkx: {t2 - t0:.2f} s (networkx {nx.__version__}: json.loads per line {t1 - t0:.2f} s, "
          f"descendants {t2 - t1:.2f} s, {len(pairs)} pairs)")
    return pairs


def main():
    mode = sys.argv[1]
    if mode == "check":
        prints = {p: open(p).read().strip() for p in sys.argv[2:]}
        for p, f in prints.items():
            print(f"{p.rsplit('/', 1)[-1]}: {f}")
        if len(set(prints.values())) != 1:
            print("the outputs differ")
            sys.exit(1)
        print("the outputs agree")
        return
    if mode == "cli-pairs":
        import pyarrow.parquet as pq

        pairs = top_pairs(pq.read_table(sys.argv[2]))
    else:
        pairs = {"boardroom": run_boardroom, "duckdb": run_duckdb, "networkx": run_networkx}[mode](sys.argv[2])
    with open(sys.argv[3], "w") as f:
        f.write(fingerprint(pairs) + "\n")


if __name__ == "__main__":
    main()
