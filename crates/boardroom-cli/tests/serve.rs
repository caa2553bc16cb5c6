//! `boardroom serve` as a user runs it: the real binary on a free port,
//! spoken to over HTTP. Its answers are the command line's, and killing it
//! with SIGKILL in the middle of appends loses no acknowledged event.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::Value;

fn bin() -> String {
    env!("CARGO_BIN_EXE_boardroom").to_string()
}

/// The server, started on a free port; killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(db: &std::path::Path) -> Server {
    let mut child = Command::new(bin())
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(db)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("the server starts");
    let mut line = String::new();
    BufReader::new(child.stderr.take().expect("stderr"))
        .read_line(&mut line)
        .expect("the server says where it listens");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Server { child, addr }
}

/// One HTTP/1.1 request; the status and body, or an error when the
/// connection fails (as it does once the server is killed).
fn request(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: &str,
) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no complete answer"))?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    Ok((
        status,
        if chunked {
            dechunk(body)?
        } else {
            body.to_string()
        },
    ))
}

/// A chunked body (a streamed answer) put back together.
fn dechunk(mut rest: &str) -> std::io::Result<String> {
    let mut out = String::new();
    loop {
        let (size, after) = rest
            .split_once("\r\n")
            .ok_or_else(|| std::io::Error::other("a chunk is cut short"))?;
        let size = usize::from_str_radix(size.trim(), 16)
            .map_err(|_| std::io::Error::other("a chunk size is not hexadecimal"))?;
        if size == 0 {
            return Ok(out);
        }
        let chunk = after
            .get(..size)
            .ok_or_else(|| std::io::Error::other("a chunk is cut short"))?;
        out.push_str(chunk);
        rest = after
            .get(size + 2..)
            .ok_or_else(|| std::io::Error::other("a chunk is cut short"))?;
    }
}

fn get_json(addr: &str, path: &str) -> Value {
    let (status, body) = request(addr, "GET", path, None, "").expect("an answer");
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {body}"))
}

fn cli_json(args: &[&str]) -> Value {
    let out = Command::new(bin())
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("the command runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn the_server_answers_each_question_as_the_command_line_does() {
    let dir = tempfile::tempdir().expect("a directory");
    let server = start(&dir.path().join("record.db"));
    let api = "/api/structures/openai-2023";
    let cases: &[(&str, &[&str])] = &[
        (
            "state?as_of=2023-11-18",
            &["state", "--as-of", "2023-11-18"],
        ),
        (
            "control?as_of=2023-11-20",
            &["control", "--as-of", "2023-11-20"],
        ),
        ("replay", &["replay"]),
        ("replay?against=toner", &["replay", "--against", "toner"]),
        (
            "block?event=remove-altman-director&group=sutskever,toner",
            &[
                "block",
                "--event",
                "remove-altman-director",
                "--group",
                "sutskever,toner",
            ],
        ),
        (
            "power?body=board&decision=remove-director&as_of=2023-11-17",
            &[
                "power",
                "--body",
                "board",
                "--decision",
                "remove-director",
                "--as-of",
                "2023-11-17",
            ],
        ),
        ("waterfall?amount=100B", &["waterfall", "--amount", "100B"]),
        ("lookthrough", &["lookthrough"]),
        (
            "diff?from=2023-11-16&to=2023-11-30",
            &["diff", "--from", "2023-11-16", "--to", "2023-11-30"],
        ),
        (
            "graph?as_of=2023-11-18",
            &["graph", "--as-of", "2023-11-18"],
        ),
        ("report", &["report"]),
    ];
    for (path, args) in cases {
        let served = get_json(&server.addr, &format!("{api}/{path}"));
        let printed = cli_json(args);
        assert_eq!(served, printed, "{path} differs from boardroom {args:?}");
    }
}

#[test]
fn killing_the_server_during_appends_loses_no_acknowledged_event() {
    let dir = tempfile::tempdir().expect("a directory");
    let db = dir.path().join("record.db");
    let token = Command::new(bin())
        .args([
            "token",
            "create",
            "--name",
            "clerk",
            "--write",
            "openai-2023",
            "--db",
        ])
        .arg(&db)
        .output()
        .expect("a token");
    assert!(token.status.success());
    let token = String::from_utf8(token.stdout)
        .expect("text")
        .trim()
        .to_string();
    let mut server = start(&db);
    let addr = server.addr.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // Four clients append meetings, each with its own ids, as fast as the
    // server takes them; each keeps what was acknowledged (201, with a
    // sequence number).
    let clients: Vec<_> = (0..4)
        .map(|c| {
            let (addr, token, stop, count) =
                (addr.clone(), token.clone(), stop.clone(), count.clone());
            std::thread::spawn(move || {
                let mut acknowledged: Vec<(String, i64)> = Vec::new();
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let id = format!("meeting-{c}-{n}");
                    let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1)
                        .and_then(|d| d.checked_add_days(chrono::Days::new(n)))
                        .expect("a date");
                    let event = format!(
                        r#"{{"id":"{id}","date":"{day}","act":"meeting","body":"board","present":["dangelo","taylor","summers"]}}"#
                    );
                    match request(&addr, "POST", "/api/structures/openai-2023/events", Some(&token), &event) {
                        Ok((201, body)) => {
                            let v: Value = serde_json::from_str(&body).expect("JSON");
                            let seq = v["entry"]["seq"].as_i64().expect("a sequence number");
                            acknowledged.push((id, seq));
                            count.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok((status, body)) => panic!("append refused ({status}): {body}"),
                        Err(_) => break,
                    }
                }
                acknowledged
            })
        })
        .collect();
    // Let the log grow, then kill -9 in the middle of it: what the clients
    // were told decides when, not what the database shows.
    let waited = std::time::Instant::now();
    while count.load(Ordering::Relaxed) < 40 && waited.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.child.kill().expect("SIGKILL");
    server.child.wait().expect("the server is gone");
    stop.store(true, Ordering::Relaxed);
    let acknowledged: Vec<(String, i64)> = clients
        .into_iter()
        .flat_map(|c| c.join().expect("a client"))
        .collect();
    assert!(
        acknowledged.len() >= 10,
        "only {} appends were acknowledged",
        acknowledged.len()
    );
    // The database is consistent, and holds every acknowledged event at the
    // place the server said.
    let store = boardroom_server::store::Store::open(&db.display().to_string())
        .expect("the record opens again");
    assert_eq!(store.integrity().expect("a check"), "ok");
    let entries = store.entries("openai-2023", None).expect("the log");
    for (id, seq) in &acknowledged {
        let e = entries
            .iter()
            .find(|e| e.seq == *seq)
            .unwrap_or_else(|| panic!("acknowledged entry {seq} ({id}) is lost"));
        let event: Value = serde_json::from_str(&e.event).expect("JSON");
        assert_eq!(event["id"], id.as_str());
    }
    // A restarted server serves them.
    let again = start(&db);
    let log = get_json(&again.addr, "/api/structures/openai-2023/log");
    let served = log["entries"].as_array().map_or(0, Vec::len);
    assert_eq!(served, entries.len());
    assert!(served >= acknowledged.len());
    eprintln!(
        "killed with {} entries in the log, {} of them acknowledged: none lost",
        entries.len(),
        acknowledged.len()
    );
}

#[test]
fn tokens_are_made_listed_and_revoked_from_the_command_line() {
    let dir = tempfile::tempdir().expect("a directory");
    let db = dir.path().join("record.db");
    let run = |args: &[&str]| {
        Command::new(bin())
            .args(args)
            .arg("--db")
            .arg(&db)
            .output()
            .expect("runs")
    };
    let none = run(&["token", "create", "--name", "x"]);
    assert_eq!(
        none.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&none.stderr)
    );
    assert!(String::from_utf8_lossy(&none.stderr).contains("--write ID"));
    let made = run(&[
        "token",
        "create",
        "--name",
        "secretary",
        "--write",
        "openai-2023",
    ]);
    assert!(made.status.success());
    let token = String::from_utf8_lossy(&made.stdout).trim().to_string();
    assert!(token.starts_with("brt_") && token.len() > 70, "{token}");
    let id = token.split('_').nth(1).expect("an id").to_string();
    let list = String::from_utf8_lossy(&run(&["token", "list"]).stdout).into_owned();
    assert!(list.contains(&id) && list.contains("secretary") && list.contains("write openai-2023"));
    assert!(!list.contains(&token), "the secret is never shown again");
    assert!(run(&["token", "revoke", &id]).status.success());
    let again = run(&["token", "revoke", &id]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already revoked"));
    let unknown = run(&["token", "revoke", "nope"]);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("token list"));
    let list = String::from_utf8_lossy(&run(&["token", "list"]).stdout).into_owned();
    assert!(list.contains("revoked"));
}
