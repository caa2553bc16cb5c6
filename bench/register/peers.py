"""Peer comparison: ultimate-owner resolution with DuckDB (WITH RECURSIVE ...
UNION) and networkx, on the edges boardroom exported from the same BODS file,
checked against boardroom's (entity, party at the top) pairs.

usage: peers.py duckdb|networkx EDGES.csv PAIRS.csv [RUNS]
An ultimate owner is a node with no parties above it reached from a subject
by any path; UNION deduplicates, so cycles terminate. The resolution runs
RUNS times (default 3) on the loaded data; the first and the fastest are
printed, as boardroom's cold run and fastest rerun are.
"""
import csv
import sys
import time


def boardroom_pairs(path):
    with open(path, newline="") as f:
        r = csv.reader(f)
        next(r)
        return {(a, b) for a, b in r}


def run_duckdb(edges, runs):
    import duckdb

    t0 = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"CREATE TABLE e AS SELECT * FROM read_csv('{edges}', header=true, columns={{'subject':'VARCHAR','party':'VARCHAR'}})")
    load = time.perf_counter() - t0
    times = []
    for _ in range(runs):
        con.execute("DROP TABLE IF EXISTS pairs")
        t1 = time.perf_counter()
        resolve_duckdb(con)
        times.append(time.perf_counter() - t1)
    rows = con.execute("SELECT start, node FROM pairs").fetchall()
    return {(a, b) for a, b in rows}, load, times


def resolve_duckdb(con):
    # The pairs are materialised inside DuckDB, as boardroom keeps its
    # results in memory; fetching them into Python for the check is not timed.
    con.execute(
        """
        CREATE TABLE pairs AS
        WITH RECURSIVE reach(start, node) AS (
            SELECT subject, party FROM e
            UNION
            SELECT r.start, e.party FROM reach r JOIN e ON e.subject = r.node
        )
        SELECT start, node FROM reach
        WHERE node NOT IN (SELECT subject FROM e) AND start <> node
        """
    )


def load_bods_edges(con, path):
    """Table `e(subject, party)` of a BODS JSON Lines file's relationships.
    Only relationships matter to ownership; an interested party that is an
    object (unspecified) has no recordId and is left out, as boardroom
    reports it under its reason rather than as a record."""
    con.execute(
        f"""
        CREATE TABLE e AS
        SELECT json_extract_string(recordDetails, '$.subject') AS subject,
               json_extract_string(recordDetails, '$.interestedParty') AS party
        FROM read_json('{path}', format='newline_delimited',
                       columns={{'recordType': 'VARCHAR', 'recordStatus': 'VARCHAR', 'recordDetails': 'JSON'}})
        WHERE recordType = 'relationship'
          AND json_type(recordDetails, '$.interestedParty') = 'VARCHAR'
        """
    )


def networkx_pairs(g):
    """Every (node, ultimate party) pair of a networkx DiGraph whose edges
    point from a subject to its party."""
    import networkx as nx

    pairs = set()
    for n in g.nodes:
        if g.out_degree(n) == 0:
            continue
        for d in nx.descendants(g, n):
            if g.out_degree(d) == 0:
                pairs.add((n, d))
    return pairs


def run_networkx(edges, runs):
    import networkx as nx

    t0 = time.perf_counter()
    g = nx.DiGraph()
    with open(edges, newline="") as f:
        r = csv.reader(f)
        next(r)
        g.add_edges_from(r)
    load = time.perf_counter() - t0
    times = []
    for _ in range(runs):
        t1 = time.perf_counter()
        pairs = networkx_pairs(g)
        times.append(time.perf_counter() - t1)
    return pairs, load, times


def main():
    tool, edges, pairs_path = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    got, load, times = {"duckdb": run_duckdb, "networkx": run_networkx}[tool](edges, runs)
    want = boardroom_pairs(pairs_path)
    print(f"{tool}: load {load:.3f} s, resolve first {times[0]:.3f} s, fastest {min(times):.3f} s ({runs} runs), pairs {len(got)}")
    print(f"{tool}: agrees with boardroom: {got == want} (only peer {len(got - want)}, only boardroom {len(want - got)})")
    if got != want:
        sys.exit(1)


if __name__ == "__main__":
    main()
