"""The Python package, tested from the outside: every function, exact
values, errors, and the Arrow table as pyarrow, pandas and polars read it.

Figures come from the embedded scenario's sources (OpenAI's board in
November 2023), from published power indices, and from the command line
itself: the package must give the command line's answers.
"""

from __future__ import annotations

import datetime
import json
import pathlib
import signal
import subprocess
import sys
import threading
import time
import warnings
from decimal import Decimal
from fractions import Fraction

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import boardroom

ROOT = pathlib.Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
BODS = ROOT / "fixtures/bods/examples"
GLEIF = ROOT / "fixtures/gleif"
CLI = ROOT / "target/debug/boardroom"


def cli(*args: str) -> dict:
    """The command line's JSON answer, to compare with the package's."""
    assert CLI.exists(), "build the command line first: cargo build"
    out = subprocess.run([str(CLI), *args, "--format", "json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def openai() -> boardroom.Structure:
    return boardroom.default()


# --- loading ---------------------------------------------------------------


def test_default_is_the_openai_scenario(openai):
    assert "OpenAI" in openai.title
    assert boardroom.scenarios()[0] == "openai-2023"
    assert "nine-seats" in openai.variants


def test_load_reads_a_path_a_pathlike_and_text(tmp_path):
    path = EXAMPLES / "reference.toml"
    by_str = boardroom.load(str(path))
    by_path = boardroom.load(path)
    by_text = boardroom.load(path.read_text())
    assert by_str.title == by_path.title == by_text.title
    assert by_path.to_toml() == by_text.to_toml()


def test_a_bad_structure_raises_every_problem_located(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[party]]\nid = "a"\nkind = "person"\nname = "A"\n\n'
        '[[party]]\nid = "b"\nkind = "nonsense"\nname = "B"\n\n'
        '[[interest]]\nholder = "nobody"\nsubject = "a"\ntype = "shareholding"\n'
    )
    with pytest.raises(boardroom.StructureError) as e:
        boardroom.load(bad)
    err = e.value
    assert isinstance(err, boardroom.BoardroomError)
    assert len(err.diagnostics) >= 2
    lines = sorted(d["line"] for d in err.diagnostics)
    assert lines[0] == 8  # kind = "nonsense"
    assert all(d["file"] == str(bad) for d in err.diagnostics)
    assert "bad.toml:8:" in str(err)
    kind = next(d for d in err.diagnostics if d["line"] == 8)
    assert "nonsense" in kind["message"] and "person" in kind["expected"]
    assert kind["hint"]
    assert any(d["line"] == 11 and "`id`" in d["message"] for d in err.diagnostics)


def test_a_missing_file_and_non_utf8_text_say_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="no structure file"):
        boardroom.load(tmp_path / "nope.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'[scenario]\ntitle = "caf\xe9"\n')
    with pytest.raises(boardroom.StructureError, match="offset 23"):
        boardroom.load(latin)


# --- the questions, as the command line answers them -------------------------


def test_state_on_18_november_has_four_directors(openai):
    st = openai.state(as_of=datetime.date(2023, 11, 18))
    assert isinstance(st, boardroom.State)
    assert st.date == datetime.date(2023, 11, 18)
    board = st.bodies[0]
    assert len(board.members) == 4
    assert st.sources, "every answer cites its sources"
    # The same answer as the command line, field for field.
    assert json.loads(st.to_json()) == cli("state", "--as-of", "2023-11-18")


def test_replay_judges_every_act_with_reasons(openai):
    r = openai.replay()
    assert isinstance(r, boardroom.Replay)
    assert len(r.verdicts) == len(cli("replay")["verdicts"])
    removal = next(v for v in r.verdicts if v.id == "remove-altman-director")
    assert removal.outcome == "valid"
    assert removal.summary and removal.authority  # why it was valid
    assert isinstance(removal.date, datetime.date)


def test_what_if_votes_change_verdicts(openai):
    w = openai.replay(against=["sutskever"])
    assert isinstance(w, boardroom.WhatIf)
    assert json.loads(w.to_json()) == cli("replay", "--against", "sutskever")
    with pytest.raises(boardroom.QuestionError, match="both voting against and absent"):
        openai.replay(against=["sutskever"], absent=["sutskever"])
    with pytest.raises(boardroom.QuestionError, match="unknown party `nobody` in absent="):
        openai.replay(absent=["nobody"])


def test_control_names_the_board_and_microsoft_holds_none(openai):
    c = openai.control()
    assert isinstance(c, boardroom.Control)
    assert json.loads(c.to_json()) == cli("control")
    text = c.to_json()
    assert "microsoft" in text
    for e in c.entities:
        for ctl in e.get("controllers", []):
            assert ctl.get("party") != "microsoft"


def test_block_answers_and_refuses_unknown_parties(openai):
    b = openai.block(event="remove-altman-director", group=["sutskever"])
    assert isinstance(b, boardroom.Block)
    assert json.loads(b.to_json()) == cli(
        "block", "--event", "remove-altman-director", "--group", "sutskever"
    )
    with pytest.raises(boardroom.QuestionError) as e:
        openai.block(event="remove-altman-director", group=["sutskevr"])
    assert e.value.message == "unknown party `sutskevr` in group="
    assert "sutskever" in e.value.hint
    assert isinstance(e.value, ValueError)


def test_power_of_a_six_seat_board_is_exact(openai):
    p = openai.power(body="board", decision="remove-director", as_of="2023-11-16")
    assert isinstance(p, boardroom.Power)
    players = p.analysis.players
    assert len(players) == 6
    # Six equal seats: each holds exactly a sixth.
    for x in players:
        assert x.shapley_shubik == Fraction(1, 6)
        assert x.banzhaf_normalised == Fraction(1, 6)
    assert isinstance(p.analysis.winning_coalitions, int)


def test_power_of_a_weighted_game_matches_published_values():
    # The 1958 EEC Council of Ministers: [12; 4, 4, 4, 2, 2, 1]; Shapley-Shubik
    # 14/60 for the large three, 9/60 for the middle two, 0 for Luxembourg
    # (Felsenthal and Machover, The Measurement of Voting Power, 1998).
    p = boardroom.power(weights=[4, 4, 4, 2, 2, 1], quota=12,
                        names=["DE", "FR", "IT", "BE", "NL", "LU"])
    ss = {x.name: x.shapley_shubik for x in p.analysis.players}
    assert ss == {"DE": Fraction(14, 60), "FR": Fraction(14, 60), "IT": Fraction(14, 60),
                  "BE": Fraction(9, 60), "NL": Fraction(9, 60), "LU": Fraction(0)}
    # Banzhaf: 10, 10, 10, 6, 6, 0 swings; normalised 5/21 and 1/7.
    bz = {x.name: x.swings for x in p.analysis.players}
    assert bz == {"DE": 10, "FR": 10, "IT": 10, "BE": 6, "NL": 6, "LU": 0}
    assert p.analysis.players[0].banzhaf_normalised == Fraction(5, 21)
    assert p.analysis.players[3].banzhaf_normalised == Fraction(1, 7)
    assert json.loads(p.to_json()) == cli("power", "--quota", "12", "--weights", "4,4,4,2,2,1",
                                          "--names", "DE,FR,IT,BE,NL,LU")


def test_power_refuses_bad_games_with_hints():
    with pytest.raises(boardroom.QuestionError):
        boardroom.power(weights=[1, -2], quota=1)
    with pytest.raises(boardroom.QuestionError, match="no power index"):
        boardroom.power(weights=[1, 1], quota=2, indices=["shapely"])
    with pytest.raises(boardroom.QuestionError, match="names for"):
        boardroom.power(weights=[1, 1], quota=2, names=["a", "b", "c"])


def test_big_counts_stay_exact_integers():
    # 70 players of weight 1 and a quota of 36: the swing count is
    # C(69, 35), past 2^64.
    p = boardroom.power(weights=[1] * 70, quota=36, indices=["banzhaf"])
    from math import comb
    assert p.analysis.players[0].swings == comb(69, 35)
    assert p.analysis.players[0].swings > 2**64


def test_waterfall_is_exact_money(openai):
    w = openai.waterfall(amount=Decimal("100e9"))
    assert isinstance(w, boardroom.Waterfall)
    assert sum(p.exact for p in w.payouts) == 100_000_000_000
    assert all(isinstance(p.amount, Decimal) for p in w.payouts)
    same = openai.waterfall(amount="100B")
    assert same.to_json() == w.to_json()
    assert json.loads(w.to_json()) == cli("waterfall", "--amount", "100B")
    with pytest.raises(boardroom.QuestionError, match="not exact"):
        openai.waterfall(amount=1e11)


def test_cumulative_waterfall_and_term_sheets(openai):
    c = openai.waterfall(cumulative_to="200B")
    assert isinstance(c, boardroom.WaterfallCumulative)
    assert json.loads(c.to_json()) == cli("waterfall", "--cumulative", "--to", "200B")
    cmp = openai.waterfall(amount="100B", compare=True)
    assert isinstance(cmp, boardroom.WaterfallComparison)
    with pytest.raises(boardroom.QuestionError, match="say what to distribute"):
        openai.waterfall()


def test_a_fund_gives_its_ledger():
    fund = boardroom.load(EXAMPLES / "fund.toml")
    ledger = fund.waterfall()
    assert isinstance(ledger, boardroom.FundLedger)
    with pytest.raises(boardroom.QuestionError, match="ledger"):
        fund.waterfall(amount=100)


def test_lookthrough_is_fractions(openai):
    lt = openai.lookthrough()
    assert isinstance(lt, boardroom.LookThrough)
    ms = [x for x in lt.interests if x.party == "microsoft" and x.entity == "openai-global"]
    assert ms and ms[0].fraction == Fraction(49, 100)
    assert ms[0].percent == Decimal(49)


def test_diff_graph_report_and_bods(openai):
    d = openai.diff("2023-11-16", datetime.date(2023, 11, 30))
    assert isinstance(d, boardroom.Diff)
    assert d["from"] == datetime.date(2023, 11, 16)
    with pytest.raises(boardroom.QuestionError, match="earlier date first"):
        openai.diff("2023-11-30", "2023-11-16")
    g = openai.graph()
    assert isinstance(g, boardroom.Graph) and g.nodes
    assert openai.graph(format="dot").startswith("digraph")
    assert "<svg" in openai.graph(format="svg")
    r = openai.report()
    assert isinstance(r, boardroom.Report)
    assert "<html" in openai.report(format="html").lower()
    statements = openai.to_bods()
    assert statements and all("statementId" in x for x in statements)


def test_variant_applies(openai):
    nine = openai.variant("nine-seats")
    assert "nine-seats" in nine.title
    with pytest.raises(boardroom.QuestionError) as e:
        openai.variant("nine-seat")
    assert "nine-seats" in e.value.hint


def test_a_bad_date_is_refused_with_a_hint(openai):
    with pytest.raises(boardroom.QuestionError) as e:
        openai.state(as_of="18/11/2023")
    assert "YYYY-MM-DD" in e.value.hint
    with pytest.raises(boardroom.QuestionError, match="datetime"):
        openai.state(as_of=datetime.datetime(2023, 11, 18, 12))


def test_results_are_dicts_with_attributes_and_plain_to_dict(openai):
    st = openai.state()
    assert st.output == "state" and st.version == 1
    plain = st.to_dict()
    assert type(plain) is dict and type(plain["bodies"][0]) is dict
    with pytest.raises(AttributeError, match="fields"):
        st.nonexistent


def test_ids_that_look_like_numbers_stay_text():
    s = boardroom.load(
        '{"party": [{"id": "42", "kind": "person", "name": "Forty-two"},'
        ' {"id": "7", "kind": "corporation", "name": "Seven"}],'
        ' "interest": [{"id": "i1", "holder": "42", "subject": "7", "type": "shareholding",'
        ' "share": {"exact": 60}}]}'
    )
    lt = s.lookthrough()
    assert lt.interests[0].party == "42"
    assert lt.interests[0].fraction == Fraction(3, 5)


def test_typed_results_are_current():
    # The result classes are generated from the checked-in schemas.
    out = subprocess.run([sys.executable, str(ROOT / "scripts/python_results.py"), "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


# --- registers ---------------------------------------------------------------


def test_analyse_bods_gives_an_arrow_table_read_by_pandas_and_polars(tmp_path):
    import pandas as pd
    import polars as pl

    path = BODS / "multiple-indirect-ownership.json"
    table = boardroom.analyse(bods=path)
    assert isinstance(table, pa.Table)
    # The same rows as the command line's Parquet output.
    out = tmp_path / "rows.parquet"
    subprocess.run([str(CLI), "analyse", "--bods", str(path), "-q", "-o", str(out)], check=True)
    expected = pq.read_table(out)
    assert table.drop_columns([]).to_pylist() == expected.to_pylist()
    assert table.schema.remove_metadata() == expected.schema.remove_metadata()
    frame = table.to_pandas()
    assert isinstance(frame, pd.DataFrame) and len(frame) == table.num_rows
    polars = pl.from_arrow(table)
    assert polars.height == table.num_rows
    s = boardroom.summary(table)
    assert s["read"] > 0 and s["skipped"] == 0
    assert s["stats"]["pairs"] == table.num_rows


def test_every_official_bods_example_agrees_with_the_command_line(tmp_path):
    for path in sorted(BODS.glob("*.json")):
        table = boardroom.analyse(bods=path)
        out = tmp_path / (path.stem + ".parquet")
        subprocess.run([str(CLI), "analyse", "--bods", str(path), "-q", "-o", str(out)], check=False)
        assert table.to_pylist() == pq.read_table(out).to_pylist(), path.name


def test_analyse_as_of_reads_past_records(tmp_path):
    path = BODS / "multiple-indirect-ownership.json"
    old = boardroom.analyse(bods=path, as_of="1900-01-01")
    assert old.num_rows == 0 or old.num_rows <= boardroom.analyse(bods=path).num_rows


def test_analyse_as_of_names_the_statements_without_a_date(tmp_path):
    # The same note as the command line's: how many statements had no
    # statementDate, the first line, and how they were read.
    statements = json.loads((BODS / "multiple-indirect-ownership.json").read_text())
    for s in statements:
        s.pop("statementDate", None)
    path = tmp_path / "undated.jsonl"
    path.write_text("\n".join(json.dumps(s) for s in statements) + "\n")
    warnings = boardroom.summary(boardroom.analyse(bods=path, as_of="2020-01-01"))["warnings"]
    notes = [w for w in warnings if "no statementDate" in w]
    assert len(notes) == 1, warnings
    assert notes[0].startswith(f"{len(statements)} statements have no statementDate (the first on line 1)")
    assert not [w for w in boardroom.summary(boardroom.analyse(bods=path))["warnings"] if "statementDate" in w]


def test_damaged_statements_warn_and_strict_raises(tmp_path):
    good = (BODS / "mixed-direct-and-indirect-ownership.json").read_text()
    statements = json.loads(good)
    lines = [json.dumps(x) for x in statements]
    lines.insert(1, '{"statementId": "broken", "recordType": ')
    damaged = tmp_path / "damaged.jsonl"
    damaged.write_text("\n".join(lines) + "\n")
    with pytest.warns(boardroom.PartialInput, match="1 damaged statement skipped"):
        table = boardroom.analyse(bods=damaged)
    s = boardroom.summary(table)
    assert s["skipped"] == 1 and "line 2" in s["problems"][0]
    with pytest.raises(boardroom.QuestionError):
        boardroom.analyse(bods=damaged, strict=True)


def test_analyse_gleif_with_names():
    rr = GLEIF / "rr-sample-400.csv"
    lei = GLEIF / "lei-sample-400.csv"
    if not rr.exists():
        pytest.skip("no GLEIF fixture")
    table = boardroom.analyse(gleif=(rr, lei))
    assert table.num_rows > 0
    assert table.column("party_name").null_count < table.num_rows


def test_analyse_refuses_bad_arguments(tmp_path):
    with pytest.raises(boardroom.QuestionError, match="give a register"):
        boardroom.analyse()
    with pytest.raises(boardroom.QuestionError, match="could not read"):
        boardroom.analyse(bods=tmp_path / "nope.jsonl")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(boardroom.QuestionError, match="no statements"):
        boardroom.analyse(bods=empty)


# --- long work ---------------------------------------------------------------


def test_long_work_releases_the_gil():
    # While a long exact computation runs, another Python thread runs too.
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(1)
            time.sleep(0.005)

    t = threading.Thread(target=tick)
    t.start()
    boardroom.power(weights=list(range(1, 301)), quota=22576, indices=["shapley-shubik"])
    done.set()
    t.join()
    assert len(ticks) > 5


def test_ctrl_c_interrupts_a_long_call():
    # SIGINT to ourselves mid-computation raises KeyboardInterrupt at once.
    # Python's own handler is installed for the test: a process started in
    # the background by a shell (as CI may be) inherits SIGINT ignored.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.3, lambda: signal.raise_signal(signal.SIGINT))
    start = time.monotonic()
    try:
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            boardroom.power(weights=list(range(1, 601)), quota=90150, indices=["shapley-shubik"])
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)
    assert time.monotonic() - start < 5


def test_the_example_finds_unknown_owners_and_draws_depths(tmp_path):
    example = ROOT / "crates/boardroom-py/examples/unknown_owners.py"
    picture = tmp_path / "depths.png"
    out = subprocess.run(
        [sys.executable, str(example), str(BODS / "bods-package.json"), str(picture)],
        capture_output=True, text=True,
    )
    assert out.returncode == 0, out.stderr
    assert "entities have an unknown ultimate party" in out.stdout
    assert picture.stat().st_size > 1000 and picture.read_bytes()[:4] == b"\x89PNG"


def test_every_public_function_is_typed():
    import inspect

    for name in boardroom.__all__:
        obj = getattr(boardroom, name)
        if inspect.isfunction(obj):
            hints = obj.__annotations__
            assert "return" in hints, f"{name} has no return type"
    assert (pathlib.Path(boardroom.__file__).parent / "py.typed").exists()
    assert (pathlib.Path(boardroom.__file__).parent / "_native.pyi").exists()


def _statement(n: int, record: str, kind: str, details: dict, subject: str) -> str:
    return json.dumps({
        "statementId": f"00000000-0000-4000-8000-{n:012d}",
        "declarationSubject": subject,
        "statementDate": "2024-01-01",
        "publicationDetails": {"publicationDate": "2024-01-01", "bodsVersion": "0.4",
                               "publisher": {"name": "test"}},
        "recordId": record, "recordStatus": "new", "recordType": kind,
        "recordDetails": details,
    })


def _register(path: pathlib.Path) -> None:
    """Chains, a diamond, a cycle held from outside, an unspecified owner, a
    dangling party and share ranges: the shapes where the Arrow rows and the
    Parquet rows could part."""
    lines, n = [], 0

    def entity(e):
        nonlocal n
        n += 1
        lines.append(_statement(n, e, "entity", {"isComponent": False, "entityType": {"type": "registeredEntity"},
                                                  "name": f"Company {e}"}, e))

    def person(p):
        nonlocal n
        n += 1
        lines.append(_statement(n, p, "person", {"isComponent": False, "personType": "knownPerson",
                                                  "names": [{"type": "legal", "fullName": f"Person {p}"}]}, p))

    def owns(holder, subject, share, control=False):
        nonlocal n
        n += 1
        interests = [{"type": "shareholding", "directOrIndirect": "direct",
                      "beneficialOwnershipOrControl": True, "share": share}]
        if control:
            interests.append({"type": "votingRights", "directOrIndirect": "direct",
                              "beneficialOwnershipOrControl": True, "share": {"exact": 60}})
        lines.append(_statement(n, f"r{n}", "relationship", {"isComponent": False, "subject": subject,
                                                              "interestedParty": holder, "interests": interests},
                                subject))

    for e in [f"e{i}" for i in range(12)]:
        entity(e)
    for p in ["p1", "p2", "p3"]:
        person(p)
    for i in range(5):                      # a chain e0 <- e1 <- ... <- e5 <- p1
        owns(f"e{i + 1}", f"e{i}", {"exact": 80}, control=True)
    owns("p1", "e5", {"exact": 100}, control=True)
    owns("e7", "e6", {"exact": 50})         # a diamond: e6 <- e7, e8 <- p2
    owns("e8", "e6", {"exact": 50})
    owns("p2", "e7", {"minimum": 25, "exclusiveMaximum": 50})  # BODS 0.4: a number
    owns("p2", "e8", {"exact": 75}, control=True)
    owns("e10", "e9", {"exact": 40})        # a cycle e9 <-> e10, held by p3
    owns("e9", "e10", {"exact": 40})
    owns("p3", "e9", {"exact": 60}, control=True)
    owns("ghost", "e11", {"exact": 30})     # a party never declared
    n += 1
    lines.append(_statement(n, "r-unspecified", "relationship", {
        "isComponent": False, "subject": "e11",
        "interestedParty": {"reason": "subjectUnableToConfirmOrIdentifyBeneficialOwner",
                            "description": "not known"},
        "interests": [{"type": "shareholding", "directOrIndirect": "direct",
                       "beneficialOwnershipOrControl": True, "share": {"exact": 70}}]}, "e11"))
    path.write_text("\n".join(lines) + "\n")


def test_a_register_with_chains_diamonds_cycles_and_unknowns_agrees_with_parquet(tmp_path):
    path = tmp_path / "shapes.jsonl"
    _register(path)
    table = boardroom.analyse(bods=path)
    out = tmp_path / "shapes.parquet"
    subprocess.run([str(CLI), "analyse", "--bods", str(path), "-q", "-o", str(out)], check=True)
    assert table.to_pylist() == pq.read_table(out).to_pylist()
    rows = table.to_pylist()
    # p1 owns e0 through five hops of 80%: 0.8^5 = 32.768%.
    e0 = [r for r in rows if r["entity_id"] == "e0" and r["party_id"] == "p1"]
    assert e0 and Decimal(e0[0]["share_min_pct"]) == Decimal("32.768") and e0[0]["max_depth"] == 6
    assert any(r["via_cycle"] for r in rows if r["entity_id"] in ("e9", "e10"))
    kinds = {r["party_kind"] for r in rows if r["entity_id"] == "e11"}
    assert {"unspecified", "undeclared"} <= kinds
    assert boardroom.summary(table)["stats"]["cycles"] == 1


def test_schemas_scenarios_and_a_structure_as_a_register(openai):
    assert boardroom.schema("state")["title"] == "boardroom state on a date"
    with pytest.raises(boardroom.QuestionError, match="no schema"):
        boardroom.schema("stat")
    for sid in boardroom.scenarios():
        assert boardroom.scenario(sid).title
    with pytest.raises(boardroom.QuestionError, match="no scenario"):
        boardroom.scenario("openai-2024")
    # The structure read as a register names the controllers `control` names.
    table = openai.analyse()
    controllers = {(r["entity_id"], r["party_id"]) for r in table.to_pylist() if r["control"]}
    assert controllers
    assert not any(p == "microsoft" for _, p in controllers)
    assert boardroom.summary(table)["input"] == "structure"
    with pytest.raises(boardroom.QuestionError, match="did not come from"):
        boardroom.summary(pa.table({"x": [1]}))


def test_no_field_of_any_output_is_hidden_by_a_dict_method():
    # A Record is a dict whose keys are attributes: a field called `items`
    # would read as the method. Every property of every output's schema is
    # checked, nested ones too.
    hidden = set(dir(boardroom.Record)) - {"caveats"}
    clashes = []

    def walk(x, where):
        if isinstance(x, dict):
            for k in x.get("properties", {}):
                if k in hidden:
                    clashes.append(f"{where}: {k}")
            for v in x.values():
                walk(v, where)
        elif isinstance(x, list):
            for v in x:
                walk(v, where)

    for path in sorted((ROOT / "schema").glob("*.schema.json")):
        walk(json.loads(path.read_text()), path.name)
    assert clashes == []


def cli_text(*args: str) -> str:
    assert CLI.exists(), "build the command line first: cargo build"
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, check=True).stdout


def test_str_of_an_answer_is_the_command_lines_text(openai):
    # What a person reads: the same words, numbered sources and caveats as
    # the command line prints.
    pairs = [
        (openai.state(as_of="2023-11-18"), ["state", "--as-of", "2023-11-18"]),
        (openai.replay(), ["replay"]),
        (openai.replay(against=["sutskever"]), ["replay", "--against", "sutskever"]),
        (openai.control(), ["control"]),
        (openai.block(event="remove-altman-director", group=["sutskever"]),
         ["block", "--event", "remove-altman-director", "--group", "sutskever"]),
        (openai.power(body="board", decision="remove-director", as_of="2023-11-16"),
         ["power", "--body", "board", "--decision", "remove-director", "--as-of", "2023-11-16"]),
        (openai.waterfall(amount="100B"), ["waterfall", "--amount", "100B"]),
        (openai.waterfall(cumulative_to="200B"), ["waterfall", "--cumulative", "--to", "200B"]),
        (openai.lookthrough(), ["lookthrough"]),
        (openai.diff("2023-11-16", "2023-11-30"), ["diff", "--from", "2023-11-16", "--to", "2023-11-30"]),
        (boardroom.power(weights=[4, 4, 4, 2, 2, 1], quota=12), ["power", "--quota", "12", "--weights", "4,4,4,2,2,1"]),
    ]
    for result, args in pairs:
        assert str(result).rstrip("\n") == cli_text(*args).rstrip("\n"), args
    assert "caveat:" in str(openai.waterfall(amount="100B"))


def test_the_package_type_checks(tmp_path):
    # The installed package, as a user's type checker reads it (py.typed,
    # the stubs of the engine), and a user's script against it.
    script = tmp_path / "user.py"
    script.write_text(
        "import datetime\n"
        "from decimal import Decimal\n"
        "import boardroom\n"
        "s = boardroom.default()\n"
        "st: boardroom.State = s.state(as_of=datetime.date(2023, 11, 18))\n"
        "d: datetime.date | None = st.date\n"
        "w = s.waterfall(amount=Decimal('1e9'))\n"
        "p: boardroom.Power = boardroom.power(weights=[2, 1, 1], quota=3)\n"
        "n: int = p.version\n"
    )
    for target in (["-p", "boardroom"], [str(script)]):
        out = subprocess.run(
            [sys.executable, "-m", "mypy", "--ignore-missing-imports", "--no-incremental", *target],
            capture_output=True, text=True, cwd=tmp_path,
        )
        assert out.returncode == 0, out.stdout + out.stderr


def test_the_spark_executors_reader_reads_a_bucket_as_the_register_does():
    # What a Spark cluster's executors call (boardroom._spark.read_bucket,
    # named by the Spark engine's command): one bucket's statements in, in
    # any order, the graph's rows out, keyed by record id, tagged. Here the
    # whole of tecido as one bucket, on two dates, and a damaged line.
    from boardroom import _spark

    statements = json.loads((BODS / "tecido.json").read_text())
    lines = list(range(1, len(statements) + 1))
    texts = [json.dumps(s) for s in statements]
    lines.append(len(lines) + 1)
    texts.append('{"statementId": "broken", "recordType": ')
    order = list(reversed(range(len(lines))))  # the reader orders by line

    # What the cluster routed each by: a relationship's subject, else its recordId.
    routed = [s["recordDetails"]["subject"] if s["recordType"] == "relationship" else s["recordId"] for s in statements]
    routed.append(None)

    def bucket(as_of, routed=routed):
        table = pa.table({
            "b": [0] * len(lines),
            "line": [lines[i] for i in order],
            "value": [texts[i] for i in order],
            "routed": [routed[i] for i in order],
            "as_of": [as_of] * len(lines),
            "fallback": [False] * len(lines),
        })
        out = _spark.read_bucket(table)
        assert out.column_names == ["tag", "row"]
        return [(t, json.loads(r, parse_float=Decimal)) for t, r in zip(out.column("tag").to_pylist(), out.column("row").to_pylist())]

    rows = bucket(None)
    edges = [r for t, r in rows if t == "edge"]
    assert len(edges) == 1 and edges[0]["c"] == "01B68D7633" and edges[0]["p"] == "033E84672B"
    assert edges[0]["own"] and edges[0]["ctrl"] and str(edges[0]["lo"]) == "0.80"
    problems = [r for t, r in rows if t == "problem"]
    assert [p["line"] for p in problems] == [len(lines)]
    assert "(statementId broken): damaged statement" in problems[0]["message"]
    assert {t for t, _ in rows} == {"node", "edge", "problem"}
    # A statement routed by another id than it names is said, not read as if routed right.
    wrong = ["elsewhere"] + routed[1:]
    moved = [r for t, r in bucket(None, wrong) if t == "moved"]
    assert len(moved) == 1 and "was routed as `elsewhere`" in moved[0]["message"]
    # Before the trust bought in, Maria Esteves held it all.
    old = [r for t, r in bucket("2019-06-01") if t == "edge"]
    assert len(old) == 1 and old[0]["p"] != "033E84672B"
    assert _spark.read_bucket(pa.table({"b": pa.array([], pa.int64())})).num_rows == 0
