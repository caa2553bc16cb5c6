//! `analyse --engine spark`, from the outside. With the `spark` feature
//! and a Spark Connect server (`BOARDROOM_SPARK_REMOTE`, as `.ci/run`
//! starts one), the command's rows are the local engine's; without the
//! feature, it says how to build it.
// A test that cannot run its command should stop there.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use std::path::Path;

fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/bods/examples")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

#[cfg(not(feature = "spark"))]
#[test]
fn without_the_feature_the_spark_engine_says_how_to_build_it() {
    let out = Command::cargo_bin("boardroom")
        .unwrap()
        .args([
            "analyse",
            "--engine",
            "spark",
            "--remote",
            "sc://127.0.0.1:15002",
            "--bods",
            &example("tecido.json"),
            "-o",
            "rows",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("built without the Spark engine"), "{err}");
    assert!(err.contains("--features boardroom-cli/spark"), "{err}");
}

#[cfg(feature = "spark")]
mod with_spark {
    use super::*;
    use serde_json::Value;

    fn remote() -> Option<String> {
        let r = std::env::var("BOARDROOM_SPARK_REMOTE").ok();
        if r.is_none() {
            eprintln!("BOARDROOM_SPARK_REMOTE is not set: the Spark CLI tests did not run");
        }
        r
    }

    /// Rows as sorted JSON texts, an empty text and a missing field alike.
    fn rows(text: &str) -> Vec<String> {
        let mut r: Vec<String> = text
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| {
                let v: serde_json::Map<String, Value> = serde_json::from_str(l).unwrap();
                let v: serde_json::Map<String, Value> = v
                    .into_iter()
                    .filter(|(_, v)| !v.is_null() && v.as_str() != Some(""))
                    .collect();
                serde_json::to_string(&v).unwrap()
            })
            .collect();
        r.sort();
        r
    }

    fn parts(dir: &Path) -> String {
        let mut text = String::new();
        for f in std::fs::read_dir(dir).unwrap() {
            let p = f.unwrap().path();
            if p.extension().is_some_and(|e| e == "json") {
                text.push_str(&std::fs::read_to_string(p).unwrap());
            }
        }
        text
    }

    /// A JSON array's statements as a JSON Lines file in `dir`.
    fn json_lines(path: &str, dir: &Path) -> String {
        let all: Vec<Value> = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let name = Path::new(path)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let out = dir.join(format!("{name}.jsonl"));
        let text: String = all.iter().map(|v| v.to_string() + "\n").collect();
        std::fs::write(&out, text).unwrap();
        out.to_string_lossy().into_owned()
    }

    /// Read on the cluster, a damaged statement is warned about on its
    /// line and skipped, and the command exits 3 as the local one does; a
    /// JSON array is refused (exit 2) with how to make JSON Lines of it.
    #[test]
    fn damaged_statements_on_the_cluster_exit_3_and_arrays_are_refused() {
        let Some(remote) = remote() else { return };
        let dir = tempfile::tempdir().unwrap();
        let lines = json_lines(&example("tecido.json"), dir.path());
        let mut text = std::fs::read_to_string(&lines).unwrap();
        text.push_str("{\"statementId\": \"broken\", \"recordType\": \n");
        std::fs::write(&lines, &text).unwrap();
        let out = dir.path().join("rows").to_string_lossy().into_owned();
        let run = |bods: &str| {
            Command::cargo_bin("boardroom")
                .unwrap()
                .args([
                    "analyse", "--engine", "spark", "--remote", &remote, "--bods", bods, "-o", &out,
                ])
                .output()
                .unwrap()
        };
        let s = run(&lines);
        let err = String::from_utf8_lossy(&s.stderr);
        assert_eq!(s.status.code(), Some(3), "{err}");
        let last = text.lines().count();
        assert!(
            err.contains(&format!(
                "line {last} (statementId broken): damaged statement"
            )),
            "{err}"
        );
        assert!(err.contains("1 damaged statement skipped"), "{err}");
        let s = run(&example("tecido.json"));
        let err = String::from_utf8_lossy(&s.stderr);
        assert_eq!(s.status.code(), Some(2), "{err}");
        assert!(err.contains("it is a JSON array"), "{err}");
    }

    #[test]
    fn the_command_writes_the_local_engines_rows() {
        let Some(remote) = remote() else { return };
        let dir = tempfile::tempdir().unwrap();
        for (file, as_of) in [
            ("tecido.json", None),
            ("tecido.json", Some("2019-06-01")),
            ("fermcat.json", Some("2020-06-01")),
            ("bods-package-fi-soe.json", None),
        ] {
            // The local command reads the official JSON array; the cluster
            // reads the same statements as JSON Lines.
            let path = example(file);
            let lines = json_lines(&path, dir.path());
            let mut local = vec!["analyse", "--bods", &path, "--format", "jsonl"];
            let mut spark = vec![
                "analyse", "--engine", "spark", "--remote", &remote, "--bods", &lines,
            ];
            if let Some(d) = as_of {
                local.extend(["--as-of", d]);
                spark.extend(["--as-of", d]);
            }
            let out = dir
                .path()
                .join(format!("{file}-{}.jsonl", as_of.unwrap_or("now")));
            let out = out.to_string_lossy().into_owned();
            spark.extend(["-o", &out]);
            let l = Command::cargo_bin("boardroom")
                .unwrap()
                .args(&local)
                .output()
                .unwrap();
            assert!(l.status.success(), "{}", String::from_utf8_lossy(&l.stderr));
            let s = Command::cargo_bin("boardroom")
                .unwrap()
                .args(&spark)
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&s.stderr);
            assert!(s.status.success(), "{err}");
            assert!(err.contains("rounds:"), "the rounds are reported: {err}");
            let local_rows = rows(&String::from_utf8_lossy(&l.stdout));
            assert!(!local_rows.is_empty() || as_of.is_some(), "{file}");
            assert_eq!(
                local_rows,
                rows(&parts(Path::new(&out))),
                "{file} as of {as_of:?}"
            );
        }
    }

    /// GLEIF Level 2: the graph of direct and ultimate parents, as the
    /// local command builds it.
    #[test]
    fn gleif_relationships_give_the_local_rows() {
        let Some(remote) = remote() else { return };
        let dir = tempfile::tempdir().unwrap();
        let gleif = |f: &str| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../fixtures/gleif")
                .join(f)
                .to_string_lossy()
                .into_owned()
        };
        let (rr, lei) = (gleif("rr-sample-400.csv"), gleif("lei-sample-400.csv"));
        let out = dir.path().join("gleif").to_string_lossy().into_owned();
        let l = Command::cargo_bin("boardroom")
            .unwrap()
            .args([
                "analyse", "--gleif", &rr, "--lei", &lei, "--format", "jsonl",
            ])
            .output()
            .unwrap();
        assert!(l.status.success(), "{}", String::from_utf8_lossy(&l.stderr));
        let s = Command::cargo_bin("boardroom")
            .unwrap()
            .args([
                "analyse", "--engine", "spark", "--remote", &remote, "--gleif", &rr, "--lei", &lei,
                "--format", "jsonl", "-o", &out,
            ])
            .output()
            .unwrap();
        assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
        let local_rows = rows(&String::from_utf8_lossy(&l.stdout));
        assert!(local_rows.len() > 100, "{}", local_rows.len());
        assert_eq!(local_rows, rows(&parts(Path::new(&out))));
    }

    #[test]
    fn bad_addresses_and_outputs_are_refused_at_once() {
        let tecido = example("tecido.json");
        for (args, says) in [
            (
                vec!["--remote", "sc://127.0.0.1:1", "-o", "rows"],
                "could not reach the Spark Connect server",
            ),
            (
                vec!["--remote", "http://127.0.0.1:15002", "-o", "rows"],
                "does not start with sc://",
            ),
            (vec!["--remote", "sc://127.0.0.1:15002"], "give -o DIR"),
            (
                vec!["--remote", "sc://127.0.0.1:15002", "-o", "rows.csv"],
                "not CSV",
            ),
        ] {
            let started = std::time::Instant::now();
            let out = Command::cargo_bin("boardroom")
                .unwrap()
                .args(["analyse", "--engine", "spark", "--bods", &tecido])
                .args(&args)
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert!(err.contains(says), "{args:?}: {err}");
            assert!(
                started.elapsed() < std::time::Duration::from_secs(30),
                "{args:?} took {:?}",
                started.elapsed()
            );
        }
    }
}
