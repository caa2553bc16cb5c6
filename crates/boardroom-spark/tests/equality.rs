//! The Spark engine gives the local engine's rows, on the official BODS
//! examples, on generated registers (deep chains, diamonds, unknown and
//! banded shares, control without ownership), and on dates in the past:
//! the statements read on the cluster (by boardroom's reader on each
//! executor, from the `boardroom` Python package installed there), and a
//! graph read here and sent.
//!
//! These tests need a Spark Connect server: `BOARDROOM_SPARK_REMOTE`
//! (`sc://127.0.0.1:15002`), as `.ci/run` starts one. Without it they say
//! so and pass; CI always sets it.
#![cfg(feature = "connect")]
// A test that cannot read its own fixtures should stop there.
#![allow(clippy::unwrap_used)]

use boardroom_register::{
    Analysis, AnalysisOptions, Graph, OutputFormat, ReadOptions, RegisterOptions, Silent,
    read_register, write_ultimates,
};
use boardroom_spark::{Engine, Output, ReadOptions as ClusterOptions};
use serde_json::{Map, Value};
use std::path::Path;

fn remote() -> Option<String> {
    let r = std::env::var("BOARDROOM_SPARK_REMOTE").ok();
    if r.is_none() {
        eprintln!("BOARDROOM_SPARK_REMOTE is not set: the Spark equality tests did not run");
    }
    r
}

fn graph(bytes: &[u8], as_of: Option<&str>) -> Graph {
    let options = RegisterOptions {
        as_of: as_of.map(str::to_owned),
        ..RegisterOptions::default()
    };
    let (g, _, _) = read_register(bytes, &ReadOptions::default(), &options, &Silent).unwrap();
    g
}

/// A row as a map, with an empty text and a missing field alike (the
/// local writer writes `""` for the share of a party that owns nothing;
/// Spark leaves the field out).
fn normal(v: Value) -> Map<String, Value> {
    let Value::Object(m) = v else {
        panic!("not a row: {v}")
    };
    m.into_iter()
        .filter(|(_, v)| !v.is_null() && v.as_str() != Some(""))
        .collect()
}

fn sorted(rows: Vec<Map<String, Value>>) -> Vec<String> {
    let mut r: Vec<String> = rows
        .into_iter()
        .map(|m| serde_json::to_string(&m).unwrap())
        .collect();
    r.sort();
    r
}

fn local_rows(g: &Graph) -> Vec<String> {
    let a = Analysis::run(g, &AnalysisOptions::default(), &Silent);
    local_rows_of(g, &a)
}

fn local_rows_of(g: &Graph, a: &Analysis) -> Vec<String> {
    let mut out = Vec::new();
    write_ultimates(
        g,
        a,
        OutputFormat::JsonLines,
        &mut out,
        &Default::default(),
        &Silent,
    )
    .unwrap();
    sorted(
        out.split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| normal(serde_json::from_slice(l).unwrap()))
            .collect(),
    )
}

fn read_parts(dir: &Path) -> Vec<String> {
    let mut rows = Vec::new();
    for f in std::fs::read_dir(dir).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "json") {
            for l in std::fs::read_to_string(&p).unwrap().lines() {
                rows.push(normal(serde_json::from_str(l).unwrap()));
            }
        }
    }
    sorted(rows)
}

fn spark_rows(engine: &Engine, g: &Graph, out: &Path) -> (Vec<String>, boardroom_spark::Rounds) {
    let rounds = engine.analyse(g, 1_000_000).unwrap();
    engine
        .write(&out.to_string_lossy(), Output::JsonLines)
        .unwrap();
    (read_parts(out), rounds)
}

/// The statements as JSON Lines, as the cluster reads them (a JSON array's
/// elements one a line, in order).
fn json_lines(bytes: &[u8]) -> Vec<u8> {
    if bytes.trim_ascii_start().starts_with(b"[") {
        let all: Vec<Value> = serde_json::from_slice(bytes).unwrap();
        all.iter()
            .map(|v| v.to_string() + "\n")
            .collect::<String>()
            .into_bytes()
    } else {
        bytes.to_vec()
    }
}

thread_local! {
    /// Statements a bucket holds in this test (the engine's default where
    /// unset).
    static BUCKET_STATEMENTS: std::cell::Cell<Option<u64>> = const { std::cell::Cell::new(None) };
}

fn buckets_of() -> Option<u64> {
    BUCKET_STATEMENTS.with(std::cell::Cell::get)
}

/// The Spark engine's rows for the statements `bytes`, read on the
/// cluster from a JSON Lines file in `out`'s parent.
fn spark_rows_read(
    engine: &Engine,
    bytes: &[u8],
    as_of: Option<&str>,
    out: &Path,
) -> (Vec<String>, boardroom_spark::Rounds) {
    let file = out.with_extension("jsonl");
    std::fs::write(&file, json_lines(bytes)).unwrap();
    let options = ClusterOptions {
        as_of: as_of.map(str::to_owned),
        bucket_statements: buckets_of(),
        ..ClusterOptions::default()
    };
    let (read, rounds) = engine
        .analyse_bods(&file.to_string_lossy(), &options, 1_000_000)
        .unwrap();
    // Damaged statements (the generators make some) are said as the
    // local reader says them, on the same lines.
    let lines = json_lines(bytes);
    let (_, local, _) = read_register(
        &lines[..],
        &ReadOptions::default(),
        &RegisterOptions::default(),
        &Silent,
    )
    .unwrap();
    let expected: Vec<String> = local
        .problems
        .iter()
        .take(20)
        .map(ToString::to_string)
        .collect();
    assert_eq!(read.problems, expected);
    assert_eq!(read.problem_count, local.problem_count);
    engine
        .write(&out.to_string_lossy(), Output::JsonLines)
        .unwrap();
    (read_parts(out), rounds)
}

/// Each cycle as its sorted members and the paths cut in it.
fn local_cycles(g: &Graph, a: &Analysis) -> Vec<String> {
    let mut c: Vec<String> = a
        .cycles
        .iter()
        .map(|c| {
            let mut m: Vec<&str> = c.members.iter().map(|&n| g.id(n)).collect();
            m.sort_unstable();
            format!("{m:?} cut {}", c.cut_paths)
        })
        .collect();
    c.sort();
    c
}

/// The Spark engine's cycles, as [`local_cycles`] shows them, after
/// checking that each example is a cycle of members.
fn spark_cycles(engine: &Engine, out: &Path) -> Vec<String> {
    engine
        .write_cycles(&out.to_string_lossy(), Output::JsonLines)
        .unwrap();
    let mut c = Vec::new();
    for f in std::fs::read_dir(out).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "json") {
            for l in std::fs::read_to_string(&p).unwrap().lines() {
                let v: Value = serde_json::from_str(l).unwrap();
                let m: Vec<&str> = v["members"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap())
                    .collect();
                if let Some(ex) = v["example"].as_array().filter(|e| !e.is_empty()) {
                    assert_eq!(ex.first(), ex.last(), "an example is a cycle: {l}");
                    assert!(
                        ex.iter().all(|x| m.contains(&x.as_str().unwrap())),
                        "an example runs through members: {l}"
                    );
                }
                c.push(format!("{m:?} cut {}", v["cut_paths"]));
            }
        }
    }
    c.sort();
    c
}

/// Whether two rows are the same: every field equal, except that where
/// both engines say a share was rounded past 28 places (`≈`), they
/// rounded at different steps (the local engine hop by hop from the top,
/// doubling in halves), so its bounds may differ by what that rounding
/// leaves: half a unit in the 28th place per hop, of at most `max_depth`
/// hops, in each engine.
fn same_row(l: &str, s: &str) -> bool {
    if l == s {
        return true;
    }
    let (l, s): (Map<String, Value>, Map<String, Value>) = (
        serde_json::from_str(l).unwrap(),
        serde_json::from_str(s).unwrap(),
    );
    let rounded = |m: &Map<String, Value>| m["share"].as_str().is_some_and(|t| t.contains('≈'));
    if !(rounded(&l) && rounded(&s)) {
        return false;
    }
    let depth = l["max_depth"].as_u64().unwrap_or(0);
    // In percent: 1e-28 of the whole is 1e-26%.
    let tolerance = rust_decimal::Decimal::new(i64::try_from(depth).unwrap_or(i64::MAX), 26);
    let close = |k: &str| {
        let d = |m: &Map<String, Value>| {
            m[k].as_str()
                .and_then(|t| t.parse::<rust_decimal::Decimal>().ok())
        };
        matches!((d(&l), d(&s)), (Some(a), Some(b)) if (a - b).abs() <= tolerance)
    };
    let rest = |m: &Map<String, Value>| {
        let mut m = m.clone();
        for k in ["share", "share_min_pct", "share_max_pct"] {
            m.remove(k);
        }
        m
    };
    close("share_min_pct") && close("share_max_pct") && rest(&l) == rest(&s)
}

/// The first row where the two differ, or a difference in number.
fn difference(local: &[String], spark: &[String]) -> Option<String> {
    for (l, s) in local.iter().zip(spark) {
        if !same_row(l, s) {
            return Some(format!("local: {l}\nspark: {s}"));
        }
    }
    (local.len() != spark.len())
        .then(|| format!("{} local rows, {} Spark rows", local.len(), spark.len()))
}

/// The Spark engine on the statements `bytes` read on the cluster, against
/// the local engine on the same statements read here.
fn assert_same(
    engine: &Engine,
    name: &str,
    bytes: &[u8],
    as_of: Option<&str>,
    dir: &Path,
) -> boardroom_spark::Rounds {
    let g = &graph(bytes, as_of);
    let (spark, rounds) = spark_rows_read(engine, bytes, as_of, &dir.join(name));
    compare(engine, name, g, spark, rounds, dir)
}

/// The Spark engine on a graph read here and sent, against the local engine.
fn assert_same_graph(
    engine: &Engine,
    name: &str,
    g: &Graph,
    dir: &Path,
) -> boardroom_spark::Rounds {
    let (spark, rounds) = spark_rows(engine, g, &dir.join(name));
    compare(engine, name, g, spark, rounds, dir)
}

/// The Spark engine's rows and cycles against the local engine's on `g`.
fn compare(
    engine: &Engine,
    name: &str,
    g: &Graph,
    spark: Vec<String>,
    rounds: boardroom_spark::Rounds,
    dir: &Path,
) -> boardroom_spark::Rounds {
    let a = Analysis::run(g, &AnalysisOptions::default(), &Silent);
    let local = local_rows_of(g, &a);
    if let Some(d) = difference(&local, &spark) {
        panic!("{name}: the Spark engine differs from the local engine\n{d}");
    }
    assert_eq!(
        local_cycles(g, &a),
        spark_cycles(engine, &dir.join(format!("{name}-cycles"))),
        "{name}: the cycles differ"
    );
    assert_eq!(rounds.cycles, a.cycles.len() as u64, "{name}");
    eprintln!(
        "{name}: {} rows and {} cycles agree ({} reach, {} cycle, {} doubling, {} relaxation rounds)",
        local.len(),
        rounds.cycles,
        rounds.reach,
        rounds.cycle_rounds,
        rounds.doubling,
        rounds.relaxation
    );
    rounds
}

/// A Spark Connect server ends an operation's response stream after
/// `spark.connect.execute.reattachable.senderMaxStreamDuration` (CI's: 2 s,
/// `SPARK_STREAM_DURATION`) while the operation runs, and the client must
/// reattach until the operation says it is complete. The released client
/// took that end for the end of the operation (vendor/README.md): a query
/// still running gave no rows, and a write still running was taken as
/// written. Here a query and a write of about 4.5 s each (a row every
/// 1.5 s, on one partition) give their rows.
#[test]
fn an_operation_outliving_its_response_stream_is_followed_to_its_end() {
    let Some(remote) = remote() else { return };
    let session = spark_connect::SparkSessionBuilder::new()
        .remote(&remote)
        .get_or_create()
        .unwrap();
    let slow = "SELECT id, reflect('java.lang.Thread', 'sleep', CAST(1500 AS BIGINT)) AS slept \
                FROM range(0, 3, 1, 1)";
    let rows = session.sql(slow).unwrap().collect().unwrap();
    assert_eq!(rows.len(), 3, "a query longer than its response stream");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("slow").to_string_lossy().into_owned();
    session
        .sql(slow)
        .unwrap()
        .write()
        .mode("overwrite")
        .parquet(&path)
        .unwrap();
    // Read at once: a write taken as done while it ran was not there yet.
    let written = session.read().parquet(&path).count().unwrap();
    assert_eq!(written, 3, "a write longer than its response stream");
}

fn engine(dir: &Path) -> Option<Engine> {
    let remote = remote()?;
    Some(Engine::connect(&remote, &dir.join("work").to_string_lossy()).unwrap())
}

#[test]
fn the_official_examples_give_the_local_rows() {
    let dir = tempfile::tempdir().unwrap();
    let Some(engine) = engine(dir.path()) else {
        return;
    };
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/bods/examples");
    let mut files: Vec<_> = std::fs::read_dir(&examples)
        .unwrap()
        .map(|f| f.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 10, "the ten official examples");
    let mut rows = 0;
    for f in &files {
        let name = f.file_stem().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(f).unwrap();
        rows += local_rows(&graph(&bytes, None)).len();
        assert_same(&engine, &name, &bytes, None, dir.path());
    }
    assert!(rows > 20, "the examples have rows to compare: {rows}");
}

/// The graph's tables reach the cluster through Spark Connect, not through
/// a file system both sides share: the parts arrive in the working
/// directory's `upload/`, sent by the server, and the staging copies here
/// are gone. A working directory the cluster cannot write is refused with
/// what to give instead, not a stack trace.
#[test]
fn the_tables_are_sent_through_spark_connect() {
    let dir = tempfile::tempdir().unwrap();
    let Some(engine) = engine(dir.path()) else {
        return;
    };
    let f = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/bods/examples/tecido.json");
    let g = graph(&std::fs::read(f).unwrap(), None);
    let rounds = assert_same_graph(&engine, "tecido", &g, dir.path());
    let upload = dir.path().join("work/upload");
    for (table, rows) in [("nodes", rounds.nodes), ("edges", rounds.edges)] {
        let sent = std::fs::read_to_string(upload.join(format!("{table}-00000.jsonl"))).unwrap();
        assert_eq!(sent.lines().count() as u64, rows, "{table}");
        assert!(
            dir.path().join("work").join(table).is_dir(),
            "{table} as Parquet"
        );
    }
    let staged = || {
        std::fs::read_dir(std::env::temp_dir())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("boardroom-spark-staging")
            })
            .count()
    };
    assert_eq!(staged(), 0, "the staging directory is removed");
    let remote = remote().unwrap();
    let nowhere = Engine::connect(&remote, "nosuchfs://bucket/work").unwrap();
    let err = nowhere.analyse(&g, 1_000_000).unwrap_err().to_string();
    assert!(
        err.starts_with(
            "could not send a table to `nosuchfs://bucket/work/upload/nodes-00000.jsonl`"
        ),
        "{err}"
    );
    assert!(
        err.contains("= hint: --work must be storage the cluster can write"),
        "{err}"
    );
}

/// Read on the cluster, a damaged statement is said as the local reader
/// says it, on its line, and skipped; a relationship record whose
/// statements name two subjects (which the cluster's routing cannot read
/// together) and a JSON array (the cluster reads JSON Lines) are refused
/// with a hint, not read wrong.
#[test]
fn the_cluster_reads_damage_as_the_local_reader_does() {
    let dir = tempfile::tempdir().unwrap();
    let Some(engine) = engine(dir.path()) else {
        return;
    };
    let f = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/bods/examples/tecido.json");
    let good = String::from_utf8(json_lines(&std::fs::read(f).unwrap())).unwrap();
    let mut lines: Vec<&str> = good.lines().collect();
    lines.insert(2, r#"{"statementId": "broken", "recordType": "#);
    lines.insert(5, r#"{"statementId": "no-type", "recordId": "x"}"#);
    let damaged = lines.join("\n") + "\n";
    let (_, local, _) = read_register(
        damaged.as_bytes(),
        &ReadOptions::default(),
        &RegisterOptions::default(),
        &Silent,
    )
    .unwrap();
    let expected: Vec<String> = local.problems.iter().map(ToString::to_string).collect();
    assert_eq!(expected.len(), 2, "{expected:?}");
    let file = dir.path().join("damaged.jsonl");
    std::fs::write(&file, &damaged).unwrap();
    let (read, _) = engine
        .analyse_bods(
            &file.to_string_lossy(),
            &ClusterOptions::default(),
            1_000_000,
        )
        .unwrap();
    assert_eq!(read.problems, expected);
    assert_eq!(read.problem_count, 2);
    assert_eq!(read.statements, lines.len() as u64);
    // A relationship record that changes its subject.
    let moved = [
        entity("a"),
        entity("b"),
        person("p"),
        relationship(
            "r",
            "a",
            "p",
            r#"{"type":"shareholding","share":{"exact":60}}"#,
        ),
        relationship(
            "r",
            "b",
            "p",
            r#"{"type":"shareholding","share":{"exact":60}}"#,
        ),
    ];
    let file = dir.path().join("moved.jsonl");
    std::fs::write(&file, moved.join("\n") + "\n").unwrap();
    let err = refused(&engine, &file);
    assert!(
        err.contains(
            "line 5: relationship `r` names subject `b` here, but `a` in its first statement"
        ),
        "{err}"
    );
    assert!(err.contains("= hint: run the local engine"), "{err}");
    // A JSON array.
    let array =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/bods/examples/tecido.json");
    let err = refused(&engine, &array);
    assert!(
        err.contains("it is a JSON array; the cluster reads JSON Lines"),
        "{err}"
    );
    assert!(err.contains("jq -c"), "{err}");
    // A directory of two files has no one order of statements.
    let two = dir.path().join("two");
    std::fs::create_dir(&two).unwrap();
    for (i, f) in ["a", "b"].iter().enumerate() {
        std::fs::write(
            two.join(format!("{f}.jsonl")),
            format!("{}\n", entity(&format!("e{i}"))),
        )
        .unwrap();
    }
    let err = refused(&engine, &two);
    assert!(err.contains("it holds 2 files"), "{err}");
}

/// Why the cluster refused to read the register at `path`.
fn refused(engine: &Engine, path: &Path) -> String {
    engine
        .analyse_bods(
            &path.to_string_lossy(),
            &ClusterOptions::default(),
            1_000_000,
        )
        .unwrap_err()
        .to_string()
}

/// A small deterministic generator (xorshift), so that a failure repeats.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn entity(id: &str) -> String {
    format!(
        r#"{{"statementId":"s-{id}","recordId":"{id}","recordType":"entity","recordDetails":{{"isComponent":false,"entityType":{{"type":"registeredEntity"}},"name":"{id} Ltd"}}}}"#
    )
}

fn person(id: &str) -> String {
    format!(
        r#"{{"statementId":"s-{id}","recordId":"{id}","recordType":"person","recordDetails":{{"isComponent":false,"personType":"knownPerson","names":[{{"fullName":"{id}"}}]}}}}"#
    )
}

fn relationship(id: &str, subject: &str, party: &str, interests: &str) -> String {
    format!(
        r#"{{"statementId":"s-{id}","recordId":"{id}","recordType":"relationship","recordDetails":{{"isComponent":false,"subject":"{subject}","interestedParty":"{party}","interests":[{interests}]}}}}"#
    )
}

/// One interest of a kind the generator picks: exact, unknown, banded with
/// open bounds, votes alone, or the right to appoint the board.
fn interests(r: &mut Rng) -> String {
    match r.next(8) {
        0 => r#"{"type":"shareholding"}"#.to_owned(),
        1 => format!(
            r#"{{"type":"shareholding","share":{{"minimum":{},"exclusiveMaximum":{}}}}}"#,
            5 * (1 + r.next(5)),
            25 + 5 * r.next(5)
        ),
        2 => format!(
            r#"{{"type":"votingRights","share":{{"exact":{}}}}}"#,
            20 + r.next(60)
        ),
        3 => r#"{"type":"appointmentOfBoard"}"#.to_owned(),
        4 => format!(
            r#"{{"type":"shareholding","share":{{"exact":{}}}}},{{"type":"votingRights","share":{{"exact":{}}}}}"#,
            r.next(100),
            r.next(100)
        ),
        _ => format!(
            r#"{{"type":"shareholding","share":{{"exact":{}.{}}}}}"#,
            r.next(100),
            r.next(1000)
        ),
    }
}

/// `companies` entities, each held by one to three parties among the
/// companies after it and `people` people: a graph without cycles, with
/// diamonds wherever two holders share a holder.
fn generated(seed: u64, companies: u64, people: u64) -> Vec<u8> {
    generated_with(seed, companies, people, 0)
}

/// As [`generated`], and one holder in `back` (of 100) is a company before
/// its subject: cycles, some through each other.
fn generated_with(seed: u64, companies: u64, people: u64, back: u64) -> Vec<u8> {
    let mut r = Rng(seed);
    let mut lines = Vec::new();
    for p in 0..people {
        lines.push(person(&format!("p{p}")));
    }
    for c in 0..companies {
        lines.push(entity(&format!("c{c}")));
    }
    let mut rel = 0;
    for c in 0..companies {
        for _ in 0..1 + r.next(3) {
            let party = if c > 0 && r.next(100) < back {
                format!("c{}", c - 1 - r.next(c.min(8)))
            } else if c + 1 < companies && r.next(3) > 0 {
                format!("c{}", c + 1 + r.next((companies - c - 1).min(6)))
            } else {
                format!("p{}", r.next(people))
            };
            lines.push(relationship(
                &format!("r{rel}"),
                &format!("c{c}"),
                &party,
                &interests(&mut r),
            ));
            rel += 1;
        }
    }
    (lines.join("\n") + "\n").into_bytes()
}

#[test]
fn generated_registers_give_the_local_rows() {
    let dir = tempfile::tempdir().unwrap();
    let Some(engine) = engine(dir.path()) else {
        return;
    };
    for seed in [1, 2, 3] {
        let bytes = generated(seed, 150, 20);
        assert_same(
            &engine,
            &format!("generated-{seed}"),
            &bytes,
            None,
            dir.path(),
        );
    }
}

/// Read in many small buckets (a dozen statements each, so that most
/// subjects' holders, and the persons and companies they name, are read
/// in other buckets than their own): the same rows, and the same damage
/// said once. What a register of millions of statements does at 200,000
/// a bucket, on registers CI can read in seconds.
#[test]
fn many_small_buckets_give_the_local_rows() {
    let dir = tempfile::tempdir().unwrap();
    let Some(engine) = engine(dir.path()) else {
        return;
    };
    BUCKET_STATEMENTS.with(|b| b.set(Some(12)));
    for (seed, back) in [(8, 0), (9, 12)] {
        let bytes = generated_with(seed, 120, 15, back);
        let statements = bytes
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .count();
        assert!(
            statements > 12 * 20,
            "{statements} statements make many buckets"
        );
        assert_same(
            &engine,
            &format!("buckets-{seed}"),
            &bytes,
            None,
            dir.path(),
        );
    }
    let f = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/bods/examples/tecido.json");
    let bytes = std::fs::read(f).unwrap();
    assert_same(
        &engine,
        "buckets-tecido",
        &bytes,
        Some("2021-01-20"),
        dir.path(),
    );
    BUCKET_STATEMENTS.with(|b| b.set(None));
}

/// Two unknown holdings of one company add up to at most the whole: the
/// local engine caps the sum at 100% at each node, so a 50% holder of it
/// gets at most 50%, not 100%. Path doubling alone gives the looser bound;
/// the relaxation rounds must bring it back.
#[test]
fn a_capped_upper_bound_on_the_way_is_the_local_one() {
    let dir = tempfile::tempdir().unwrap();
    let Some(engine) = engine(dir.path()) else {
        return;
    };
    let lines = [
        person("p"),
        entity("a"),
        entity("b"),
        entity("c"),
        entity("x"),
        entity("top"),
        relationship("r1", "a", "p", r#"{"type":"shareholding"}"#),
        relationship("r2", "b", "p", r#"{"type":"shareholding"}"#),
        relationship("r3", "c", "a", r#"{"type":"shareholding"}"#),
        relationship("r4", "c", "b", r#"{"type":"shareholding"}"#),
        relationship(
            "r5",
            "x",
            "c",
            r#"{"type":"shareholding","share":{"exact":50}}"#,
        ),
        relationship(
            "r6",
            "top",
            "x",
            r#"{"type":"shareholding","share":{"exact":50}}"#,
        ),
    ];
    let bytes = (lines.join("\n") + "\n").into_bytes();
    let local = local_rows(&graph(&bytes, None));
    assert!(
        local
            .iter()
            .any(|r| r.contains(r#""entity_id":"top""#) && r.contains(r#""share_max_pct":"25""#)),
        "the local engine caps on the way: {local:#?}"
    );
    let rounds = assert_same(&engine, "capped", &bytes, None, dir.path());
    assert!(rounds.relaxation > 0, "the relaxation ran: {rounds:?}");
}

/// A chain of 300 holdings: nine doubling rounds, not 300.
#[test]
fn a_deep_chain_takes_logarithmic_rounds() {
    let dir = tempfile::tempdir().unwrap();
    let Some(engine) = engine(dir.path()) else {
        return;
    };
    let n = 300;
    let mut lines = vec![person("p")];
    for i in 0..n {
        lines.push(entity(&format!("c{i}")));
        let party = if i + 1 < n {
            format!("c{}", i + 1)
        } else {
            "p".to_owned()
        };
        lines.push(relationship(
            &format!("r{i}"),
            &format!("c{i}"),
            &party,
            r#"{"type":"shareholding","share":{"exact":90}}"#,
        ));
    }
    let bytes = (lines.join("\n") + "\n").into_bytes();
    let rounds = assert_same(&engine, "chain", &bytes, None, dir.path());
    assert!(rounds.doubling <= 10, "{rounds:?}");
}

/// On dates in the past, from the official examples with histories.
#[test]
fn dates_in_the_past_give_the_local_rows() {
    let dir = tempfile::tempdir().unwrap();
    let Some(engine) = engine(dir.path()) else {
        return;
    };
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/bods/examples");
    for (file, dates) in [
        ("tecido.json", ["2019-06-01", "2021-01-20", "2024-01-01"]),
        ("fermcat.json", ["2019-06-01", "2020-06-01", "2024-01-01"]),
    ] {
        let bytes = std::fs::read(examples.join(file)).unwrap();
        for d in dates {
            assert_same(&engine, &format!("{file}-{d}"), &bytes, Some(d), dir.path());
        }
    }
}

/// The comparison can fail: one share changed on the cluster's side is
/// found.
#[test]
fn one_perturbed_share_is_a_difference() {
    let dir = tempfile::tempdir().unwrap();
    let Some(engine) = engine(dir.path()) else {
        return;
    };
    let bytes = generated(4, 60, 10);
    let text = String::from_utf8(bytes.clone()).unwrap();
    let at = text.find(r#""exact":"#).expect("a stated share");
    let end = at + text[at..].find('}').unwrap();
    let perturbed = format!("{}\"exact\":13.31{}", &text[..at], &text[end..]);
    assert_ne!(perturbed, text);
    let local = local_rows(&graph(&bytes, None));
    let (spark, _) = spark_rows_read(
        &engine,
        perturbed.as_bytes(),
        None,
        &dir.path().join("perturbed"),
    );
    assert!(
        difference(&local, &spark).is_some(),
        "a perturbed share went unnoticed"
    );
}

/// Cross-holdings: rings, rings through rings, cycles with owners outside
/// them and unknown shares inside, as the local engine enumerates them.
#[test]
fn cycles_give_the_local_rows_and_cycles() {
    let dir = tempfile::tempdir().unwrap();
    let Some(engine) = engine(dir.path()) else {
        return;
    };
    let mut cycles = 0;
    for seed in [5, 6, 7] {
        let bytes = generated_with(seed, 80, 12, 12);
        let rounds = assert_same(&engine, &format!("cyclic-{seed}"), &bytes, None, dir.path());
        cycles += rounds.cycles;
    }
    assert!(cycles >= 3, "the generated registers have cycles: {cycles}");
    // A company that holds itself, and a ring of three held from outside.
    let lines = [
        person("p"),
        entity("a"),
        entity("b"),
        entity("c"),
        entity("self"),
        relationship(
            "r1",
            "a",
            "b",
            r#"{"type":"shareholding","share":{"exact":60}}"#,
        ),
        relationship(
            "r2",
            "b",
            "c",
            r#"{"type":"shareholding","share":{"exact":70}}"#,
        ),
        relationship("r3", "c", "a", r#"{"type":"shareholding"}"#),
        relationship(
            "r4",
            "c",
            "p",
            r#"{"type":"shareholding","share":{"exact":40}}"#,
        ),
        relationship(
            "r5",
            "self",
            "self",
            r#"{"type":"shareholding","share":{"exact":10}}"#,
        ),
        relationship(
            "r6",
            "self",
            "a",
            r#"{"type":"votingRights","share":{"exact":90}}"#,
        ),
    ];
    let bytes = (lines.join("\n") + "\n").into_bytes();
    let rounds = assert_same(&engine, "rings", &bytes, None, dir.path());
    assert_eq!(rounds.cycles, 2, "{rounds:?}");
}

/// One of the cluster's two executors killed (`kill -9`) in the middle of
/// a run: Spark runs its lost tasks again (the local cluster starts a new
/// executor), each round's results being on disk, and the rows are still
/// the local engine's.
#[test]
fn an_executor_killed_during_a_run_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let Some(engine) = engine(dir.path()) else {
        return;
    };
    let bytes = generated_with(31, 500, 40, 6);
    let g = graph(&bytes, None);
    let start = std::time::Instant::now();
    let killer = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(12));
        // The executors of a local cluster are JVMs of their own.
        let out = std::process::Command::new("pgrep")
            .args(["-f", "CoarseGrainedExecutorBackend"])
            .output()
            .unwrap();
        let pids = String::from_utf8(out.stdout).unwrap();
        let pid = pids.lines().next()?.to_owned();
        let killed = std::process::Command::new("kill")
            .args(["-9", &pid])
            .status()
            .unwrap()
            .success();
        killed.then(|| (pid, start.elapsed()))
    });
    let a = Analysis::run(&g, &AnalysisOptions::default(), &Silent);
    let local = local_rows_of(&g, &a);
    let (spark, rounds) = spark_rows_read(&engine, &bytes, None, &dir.path().join("killed"));
    let took = start.elapsed();
    let (pid, when) = killer
        .join()
        .unwrap()
        .expect("an executor to kill (pgrep CoarseGrainedExecutorBackend)");
    assert!(
        when < took,
        "the executor {pid} was killed at {when:?}, after the run ({took:?}): make the run longer"
    );
    if let Some(d) = difference(&local, &spark) {
        panic!("after killing executor {pid}, the Spark engine differs\n{d}");
    }
    eprintln!(
        "executor {pid} killed at {when:?} of {took:?}; {} rows agree ({} doubling rounds)",
        local.len(),
        rounds.doubling
    );
}

/// More seeds, larger registers: `cargo test -p boardroom-spark --features
/// connect -- --ignored`, for a change to the plan.
#[test]
#[ignore = "minutes of Spark; run by hand after changing the plan"]
fn many_generated_registers_give_the_local_rows() {
    let dir = tempfile::tempdir().unwrap();
    let Some(engine) = engine(dir.path()) else {
        return;
    };
    for seed in 10..22 {
        let back = if seed % 2 == 0 { 0 } else { 8 };
        let bytes = generated_with(seed, 300, 30, back);
        assert_same(&engine, &format!("many-{seed}"), &bytes, None, dir.path());
    }
}
