//! The API, driven in process (`Router` + `oneshot`) on a SQLite record in a
//! temporary directory.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use boardroom_server::{App, Config, router};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

struct Server {
    router: Router,
    app_: Option<Arc<App>>,
    db: String,
    _dir: Option<tempfile::TempDir>,
}

/// Runs `f` on a thread of its own, outside the test's async runtime: the
/// record's backends block (PostgreSQL's client runs a runtime of its own).
fn off<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(f).join().expect("the work finished"))
}

/// Where a test's record is kept: a SQLite file in `dir`, or, when
/// BOARDROOM_TEST_POSTGRES names a PostgreSQL server
/// (postgres://user@host:port/database), a new database on it.
fn database(dir: &tempfile::TempDir) -> String {
    match std::env::var("BOARDROOM_TEST_POSTGRES") {
        Ok(base) => off(|| {
            static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let name = format!(
                "boardroom_test_{}_{}",
                std::process::id(),
                N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            );
            let mut c = postgres::Client::connect(&base, postgres::NoTls).expect("PostgreSQL");
            c.batch_execute(&format!("CREATE DATABASE {name}"))
                .expect("a database");
            let (server, _) = base.rsplit_once('/').expect("a database in the URL");
            format!("{server}/{name}")
        }),
        Err(_) => dir.path().join("record.db").display().to_string(),
    }
}

fn server(public_reads: bool, max_body: usize) -> Server {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let config = Config {
        db: database(&dir),
        public_reads,
        max_body,
    };
    let app = Arc::new(off(|| App::open(&config)).expect("the record opens"));
    Server {
        router: router(app.clone()),
        app_: Some(app),
        db: config.db.clone(),
        _dir: Some(dir),
    }
}

impl Server {
    /// Another server on the same record, with nothing worked out yet.
    fn reopen(&self) -> Server {
        let config = Config {
            db: self.db.clone(),
            public_reads: true,
            max_body: boardroom_server::MAX_BODY,
        };
        let app = Arc::new(off(|| App::open(&config)).expect("the record opens"));
        Server {
            router: router(app.clone()),
            app_: Some(app),
            db: config.db,
            _dir: None,
        }
    }

    fn app(&self) -> &App {
        self.app_.as_deref().expect("the app")
    }
}

impl Drop for Server {
    /// The record is closed off the test's runtime: PostgreSQL's client
    /// blocks on a runtime of its own as it closes.
    fn drop(&mut self) {
        let router = std::mem::replace(&mut self.router, Router::new());
        let app = self.app_.take();
        std::thread::spawn(move || drop((router, app)))
            .join()
            .expect("closed");
    }
}

fn token(s: &Server, name: &str, scope: &str, write: bool) -> String {
    off(|| boardroom_server::token::create(s.app().store(), name, scope, write))
        .expect("a token")
        .1
}

struct Reply {
    status: StatusCode,
    media: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

async fn call(s: &Server, method: &str, uri: &str, token: Option<&str>, body: &str) -> Reply {
    let mut r = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        r = r.header("authorization", format!("Bearer {t}"));
    }
    let response = s
        .router
        .clone()
        .oneshot(r.body(Body::from(body.to_string())).expect("a request"))
        .await
        .expect("an answer");
    let status = response.status();
    let media = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    Reply {
        status,
        media,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(s: &Server, uri: &str) -> Reply {
    call(s, "GET", uri, None, "").await
}

const API: &str = "/api/structures/openai-2023";

/// The board's meeting of 8 March 2024 (three present) and what it could
/// decide: events a secretary would append.
const MEETING: &str = r#"{"id":"board-2024-03-08","date":"2024-03-08","act":"meeting","body":"board","present":["taylor","summers","dangelo"]}"#;
const REAPPOINT_ALTMAN: &str = r#"{"id":"reappoint-altman","date":"2024-03-08","act":"appoint","person":"altman","body":"board","by":"board","meeting":"board-2024-03-08","for":["taylor","summers","dangelo"]}"#;
const REMOVE_DANGELO_ONE_VOTE: &str = r#"{"id":"remove-dangelo","date":"2024-03-08","act":"remove","person":"dangelo","body":"board","by":"board","meeting":"board-2024-03-08","for":["taylor"]}"#;

fn members(state: &Value) -> Vec<String> {
    state["bodies"][0]["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| m["name"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn a_new_record_holds_the_default_scenario_and_answers_as_the_library_does() {
    let s = server(true, boardroom_server::MAX_BODY);
    let list = get(&s, "/api/structures").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.json()["structures"][0]["id"], "openai-2023");
    // The answer is the command line's envelope, byte for byte: the same
    // function renders both.
    let state = get(&s, &format!("{API}/state?as_of=2023-11-18")).await;
    assert_eq!(state.status, StatusCode::OK);
    assert_eq!(state.media, "application/json");
    let text = boardroom_formats::scenario("openai-2023")
        .expect("embedded")
        .text;
    let loaded = boardroom_formats::load("openai-2023.toml", text).expect("loads");
    let expected = boardroom_formats::answer::state(
        &loaded.structure,
        chrono::NaiveDate::from_ymd_opt(2023, 11, 18),
    )
    .expect("an answer");
    assert_eq!(state.body, expected.json);
    assert_eq!(
        members(&state.json()),
        [
            "Ilya Sutskever",
            "Adam D'Angelo",
            "Tasha McCauley",
            "Helen Toner"
        ]
    );
    let words = get(&s, &format!("{API}/state?as_of=2023-11-18&format=text")).await;
    assert_eq!(words.body, expected.text);
    assert!(words.media.starts_with("text/plain"));
}

#[tokio::test]
async fn microsoft_holds_49_percent_of_the_economics_and_controls_nothing() {
    let s = server(true, boardroom_server::MAX_BODY);
    let g = get(&s, &format!("{API}/graph?as_of=2023-11-18"))
        .await
        .json();
    let edges = g["edges"].as_array().expect("edges");
    let economic: Vec<&Value> = edges
        .iter()
        .filter(|e| e["from"] == "microsoft" && e["kind"] == "economic")
        .collect();
    assert_eq!(economic.len(), 1);
    assert_eq!(economic[0]["to"], "openai-global");
    // Exact decimals travel as text, as every amount does.
    assert_eq!(economic[0]["share"]["exact"], "49");
    assert!(!edges.iter().any(
        |e| e["from"] == "microsoft" && (e["kind"] == "control" || e["kind"] == "may-control")
    ));
    let c = get(&s, &format!("{API}/control?as_of=2023-11-18"))
        .await
        .json();
    for e in c["entities"].as_array().expect("entities") {
        for d in e["direct"].as_array().expect("direct") {
            assert_ne!(d["controller"], "microsoft", "{e}");
        }
    }
}

#[tokio::test]
async fn a_write_without_a_token_is_refused_and_nothing_is_stored() {
    let s = server(true, boardroom_server::MAX_BODY);
    let r = call(&s, "POST", &format!("{API}/events"), None, MEETING).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.media, "application/problem+json");
    assert_eq!(r.json()["type"], "urn:boardroom:problem:token");
    let bad = call(
        &s,
        "POST",
        &format!("{API}/events"),
        Some("brt_nope_nope"),
        MEETING,
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    let not_ours = call(
        &s,
        "POST",
        &format!("{API}/events"),
        Some("not-a-token"),
        MEETING,
    )
    .await;
    assert_eq!(not_ours.status, StatusCode::UNAUTHORIZED);
    // A token whose secret is wrong is refused too.
    let t = token(&s, "secretary", "openai-2023", true);
    // Change the secret's last hex digit to a different one (replacing it with
    // a fixed digit would leave it unchanged one time in sixteen).
    let last = if t.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{last}", &t[..t.len() - 1]);
    assert_ne!(forged, t);
    let r = call(&s, "POST", &format!("{API}/events"), Some(&forged), MEETING).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        off(|| s.app().store().head("openai-2023")).expect("head"),
        0
    );
}

#[tokio::test]
async fn a_token_writes_only_where_it_was_made_to_and_not_after_it_is_revoked() {
    let s = server(true, boardroom_server::MAX_BODY);
    let elsewhere = token(&s, "other desk", "acme", true);
    let r = call(
        &s,
        "POST",
        &format!("{API}/events"),
        Some(&elsewhere),
        MEETING,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let reader = token(&s, "reader", "*", false);
    let r = call(&s, "POST", &format!("{API}/events"), Some(&reader), MEETING).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let t = token(&s, "secretary", "openai-2023", true);
    let r = call(&s, "POST", &format!("{API}/events"), Some(&t), MEETING).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["entry"]["recorded_by"], "secretary");
    let id = t.split('_').nth(1).expect("an id");
    assert!(off(|| s.app().store().revoke(id)).expect("revoked"));
    let r = call(
        &s,
        "POST",
        &format!("{API}/events"),
        Some(&t),
        REAPPOINT_ALTMAN,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(
        r.json()["detail"]
            .as_str()
            .unwrap_or("")
            .contains("revoked")
    );
    assert_eq!(
        off(|| s.app().store().head("openai-2023")).expect("head"),
        1
    );
}

#[tokio::test]
async fn a_protected_record_is_not_read_without_a_token() {
    let s = server(false, boardroom_server::MAX_BODY);
    for path in [
        "/api/structures/openai-2023/state",
        "/api/structures/openai-2023",
        "/api/structures/openai-2023/log",
        "/api/structures/openai-2023/acts",
    ] {
        let r = get(&s, path).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}: {}", r.body);
    }
    // The list shows only what the caller may read: nothing.
    let list = get(&s, "/api/structures").await.json();
    assert_eq!(list["structures"].as_array().map(Vec::len), Some(0));
    let other = token(&s, "other", "acme", false);
    let r = call(&s, "GET", &format!("{API}/state"), Some(&other), "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let reader = token(&s, "reader", "openai-2023", false);
    let r = call(&s, "GET", &format!("{API}/state"), Some(&reader), "").await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn a_valid_and_an_invalid_act_are_both_stored_with_their_verdicts() {
    let s = server(true, boardroom_server::MAX_BODY);
    let t = token(&s, "secretary", "openai-2023", true);
    let post = |body: &'static str| {
        let (s, t) = (&s, t.clone());
        async move { call(s, "POST", &format!("{API}/events"), Some(&t), body).await }
    };
    assert_eq!(post(MEETING).await.status, StatusCode::CREATED);
    let valid = post(REAPPOINT_ALTMAN).await;
    assert_eq!(valid.status, StatusCode::CREATED);
    assert_eq!(valid.json()["verdict"]["outcome"], "valid");
    let invalid = post(REMOVE_DANGELO_ONE_VOTE).await;
    assert_eq!(invalid.status, StatusCode::CREATED, "{}", invalid.body);
    let v = invalid.json();
    assert_eq!(v["verdict"]["outcome"], "invalid");
    assert!(
        v["verdict"]["reasons"][0]
            .as_str()
            .unwrap_or("")
            .contains("not carried: 1 vote for"),
        "{v}"
    );
    // Both are in the log, each with its verdict and who recorded it.
    let log = get(&s, &format!("{API}/log")).await.json();
    let entries = log["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[2]["outcome"], "invalid");
    assert_eq!(entries[2]["recorded_by"], "secretary");
    assert_eq!(entries[2]["event"]["id"], "remove-dangelo");
    // The valid act is applied, the invalid one is not.
    let state = get(&s, &format!("{API}/state?as_of=2024-03-09"))
        .await
        .json();
    let names = members(&state);
    assert!(names.contains(&"Sam Altman".to_string()), "{names:?}");
    assert!(names.contains(&"Adam D'Angelo".to_string()), "{names:?}");
    // The acts list says where each act comes from.
    let acts = get(&s, &format!("{API}/acts")).await.json();
    let last = acts["acts"]
        .as_array()
        .and_then(|a| a.last())
        .expect("acts");
    assert_eq!(last["origin"]["from"], "log");
    assert_eq!(last["origin"]["seq"], 3);
    assert_eq!(last["verdict"]["outcome"], "invalid");
    // A server that reads the record afresh answers the same as the one
    // that kept what each append built.
    let fresh = s.reopen();
    for path in [
        "acts",
        "state?as_of=2024-03-09",
        "replay",
        "control?as_of=2024-03-09",
    ] {
        let a = get(&s, &format!("{API}/{path}")).await;
        let b = get(&fresh, &format!("{API}/{path}")).await;
        assert_eq!(a.body, b.body, "{path}");
    }
}

#[tokio::test]
async fn a_dry_run_judges_without_storing() {
    let s = server(true, boardroom_server::MAX_BODY);
    let t = token(&s, "secretary", "openai-2023", true);
    let r = call(
        &s,
        "POST",
        &format!("{API}/events?dry_run=true"),
        Some(&t),
        MEETING,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["dry_run"], true);
    assert_eq!(r.json()["verdict"]["outcome"], "recorded");
    assert_eq!(
        off(|| s.app().store().head("openai-2023")).expect("head"),
        0
    );
}

#[tokio::test]
async fn a_malformed_event_is_refused_with_each_problem_located_and_nothing_stored() {
    let s = server(true, boardroom_server::MAX_BODY);
    let t = token(&s, "secretary", "openai-2023", true);
    let body = "{\n  \"date\": \"2024-03-08\",\n  \"act\": \"remov\",\n  \"person\": \"altman\"\n}";
    let r = call(&s, "POST", &format!("{API}/events"), Some(&t), body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let p = r.json();
    assert_eq!(p["diagnostics"][0]["line"], 3);
    assert_eq!(p["diagnostics"][0]["path"], "act");
    assert_eq!(p["diagnostics"][0]["hint"], "did you mean `remove`?");
    // An unknown party is found by the structure's own checks, and placed
    // in the body too.
    let body =
        r#"{"date":"2024-03-08","act":"remove","person":"nobody","body":"board","by":"board"}"#;
    let r = call(&s, "POST", &format!("{API}/events"), Some(&t), body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let p = r.json();
    assert_eq!(p["diagnostics"][0]["file"], "request body");
    assert_eq!(p["diagnostics"][0]["path"], "person");
    assert!(
        p["diagnostics"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("unknown party `nobody`")
    );
    for bad in ["", "{", "[1,2]", "{\"date\": 3}", "\u{0}"] {
        let r = call(&s, "POST", &format!("{API}/events"), Some(&t), bad).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad:?}: {}",
            r.body
        );
        assert_eq!(r.media, "application/problem+json");
    }
    assert_eq!(
        off(|| s.app().store().head("openai-2023")).expect("head"),
        0
    );
}

#[tokio::test]
async fn an_act_recorded_late_says_which_later_verdicts_it_changes() {
    let s = server(true, boardroom_server::MAX_BODY);
    let t = token(&s, "secretary", "openai-2023", true);
    let post = |body: String| {
        let (s, t) = (&s, t.clone());
        async move { call(s, "POST", &format!("{API}/events"), Some(&t), &body).await }
    };
    // Two of three directors remove a third on 8 March: a majority then.
    assert_eq!(post(MEETING.into()).await.status, StatusCode::CREATED);
    let removal = post(
        r#"{"id":"remove-dangelo","date":"2024-03-08","act":"remove","person":"dangelo","body":"board","by":"board","meeting":"board-2024-03-08","for":["taylor","summers"]}"#.into(),
    )
    .await;
    assert_eq!(
        removal.json()["verdict"]["outcome"],
        "valid",
        "{}",
        removal.body
    );
    // Recorded late: on 1 February the board had grown to five, so two
    // votes were no longer a majority of the four who could vote.
    assert_eq!(
        post(r#"{"id":"board-2024-02-01","date":"2024-02-01","act":"meeting","body":"board","present":["taylor","summers","dangelo"]}"#.into()).await.status,
        StatusCode::CREATED
    );
    let first = post(
        r#"{"id":"appoint-altman-feb","date":"2024-02-01","act":"appoint","person":"altman","body":"board","by":"board","meeting":"board-2024-02-01","for":["taylor","summers","dangelo"]}"#.into(),
    )
    .await
    .json();
    assert_eq!(first["verdict"]["outcome"], "valid", "{first}");
    assert_eq!(first["changed"], serde_json::json!([]), "{first}");
    let late = post(
        r#"{"id":"appoint-brockman-feb","date":"2024-02-01","act":"appoint","person":"brockman","body":"board","by":"board","meeting":"board-2024-02-01","for":["taylor","summers","dangelo"]}"#.into(),
    )
    .await;
    let v = late.json();
    assert_eq!(v["verdict"]["outcome"], "valid", "{v}");
    let changed = v["changed"].as_array().expect("changed");
    assert_eq!(changed.len(), 1, "{v}");
    assert_eq!(changed[0]["id"], "remove-dangelo");
    assert_eq!(changed[0]["before"], "valid");
    assert_eq!(changed[0]["after"], "invalid");
    assert_eq!(changed[0]["origin"]["seq"], 2);
    // The log keeps the verdict the removal got when it was recorded; the
    // replay of the whole record judges it again.
    let acts = get(&s, &format!("{API}/acts")).await.json();
    let removal = acts["acts"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["verdict"]["id"] == "remove-dangelo"))
        .expect("the removal");
    assert_eq!(removal["verdict"]["outcome"], "invalid");
    assert_eq!(removal["origin"]["outcome_when_recorded"], "valid");
}

#[tokio::test]
async fn known_at_answers_from_the_record_as_it_stood() {
    let s = server(true, boardroom_server::MAX_BODY);
    let t = token(&s, "secretary", "openai-2023", true);
    for body in [MEETING, REAPPOINT_ALTMAN] {
        let r = call(&s, "POST", &format!("{API}/events"), Some(&t), body).await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let now = members(
        &get(&s, &format!("{API}/state?as_of=2024-03-09"))
            .await
            .json(),
    );
    let before = members(
        &get(&s, &format!("{API}/state?as_of=2024-03-09&known_at=1"))
            .await
            .json(),
    );
    let at_start = members(
        &get(&s, &format!("{API}/state?as_of=2024-03-09&known_at=0"))
            .await
            .json(),
    );
    assert!(now.contains(&"Sam Altman".to_string()));
    assert!(!before.contains(&"Sam Altman".to_string()));
    assert_eq!(before, at_start);
    // A time before any entry was recorded: the file alone.
    let r = get(&s, &format!("{API}?known_at=2020-01-01")).await.json();
    assert_eq!(r["known_at"], 0);
    assert_eq!(r["head"], 2);
    let bad = get(&s, &format!("{API}/state?known_at=yesterday")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_log_refuses_updates_and_deletes_in_the_database_itself() {
    let s = server(true, boardroom_server::MAX_BODY);
    let t = token(&s, "secretary", "openai-2023", true);
    call(&s, "POST", &format!("{API}/events"), Some(&t), MEETING).await;
    let old = token(&s, "old", "openai-2023", true);
    let id = old.split('_').nth(1).expect("an id");
    assert!(off(|| s.app().store().revoke(id)).expect("revoked"));
    let statements = [
        "UPDATE entry SET outcome = 'valid'",
        "DELETE FROM entry",
        "UPDATE structure SET title = 'x'",
        "DELETE FROM structure",
        "UPDATE token SET name = 'x'",
        "DELETE FROM token",
        "DELETE FROM token_revocation",
    ];
    match s.app().store().sqlite_path() {
        Some(path) => {
            let c = rusqlite::Connection::open(path).expect("opens");
            for sql in statements {
                let e = c.execute(sql, []).expect_err(sql);
                assert!(
                    e.to_string().contains("append-only") || e.to_string().contains("never"),
                    "{sql}: {e}"
                );
            }
        }
        None => off(|| {
            let mut c = postgres::Client::connect(&s.db, postgres::NoTls).expect("PostgreSQL");
            for sql in statements.iter().chain(&["TRUNCATE entry"]) {
                let e = c.batch_execute(sql).expect_err(sql);
                let text = e
                    .as_db_error()
                    .map(|d| d.message().to_string())
                    .unwrap_or_default();
                assert!(text.contains("append-only"), "{sql}: {e}");
            }
        }),
    }
    assert_eq!(
        off(|| s.app().store().head("openai-2023")).expect("head"),
        1
    );
    assert_eq!(
        off(|| s.app().store().schema_version()).expect("version"),
        1
    );
    // Opening again does not migrate twice.
    let again = off(|| boardroom_server::store::Store::open(&s.db)?.schema_version());
    assert_eq!(again.expect("reopens"), 1);
}

#[tokio::test]
async fn bad_requests_get_a_clear_4xx() {
    let s = server(true, 1024);
    let t = token(&s, "secretary", "openai-2023", true);
    let big = format!("{{\"note\": \"{}\"}}", "x".repeat(4096));
    let r = call(&s, "POST", &format!("{API}/events"), Some(&t), &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert!(
        r.json()["detail"]
            .as_str()
            .unwrap_or("")
            .contains("larger than 1024 bytes"),
        "{}",
        r.body
    );
    assert_eq!(r.media, "application/problem+json");
    let cases = [
        (
            "/api/structures/openai-2023/stat",
            StatusCode::NOT_FOUND,
            "did you mean `state`?",
        ),
        (
            "/api/structures/openai-2023/state?as_off=2023-11-18",
            StatusCode::BAD_REQUEST,
            "did you mean `as_of`?",
        ),
        (
            "/api/structures/openai-2023/state?as_of=18/11/2023",
            StatusCode::BAD_REQUEST,
            "dates are YYYY-MM-DD",
        ),
        (
            "/api/structures/openai-2024/state",
            StatusCode::NOT_FOUND,
            "did you mean `openai-2023`?",
        ),
        (
            "/api/structures/openai-2023/block?event=remove-altman-director",
            StatusCode::BAD_REQUEST,
            "",
        ),
        (
            "/api/structures/openai-2023/block?event=remove-altman-director&group=ilya",
            StatusCode::UNPROCESSABLE_ENTITY,
            "",
        ),
        (
            "/api/structures/openai-2023/graph?format=png",
            StatusCode::BAD_REQUEST,
            "formats: json, dot, mermaid, svg",
        ),
        (
            "/api/structures/openai-2023/waterfall?amount=lots",
            StatusCode::UNPROCESSABLE_ENTITY,
            "",
        ),
        (
            "/api/structures/openai-2023/state?variant=nope",
            StatusCode::UNPROCESSABLE_ENTITY,
            "",
        ),
        ("/nowhere", StatusCode::NOT_FOUND, "/openapi.json"),
        (
            "/api/structures/openai-2023/power?body=board&decision=remove-director&approx=1000000000000",
            StatusCode::BAD_REQUEST,
            "at most 10000000",
        ),
        (
            "/api/structures/openai-2023/power?body=board&decision=remove-director&coalitions=true&limit=99999999",
            StatusCode::BAD_REQUEST,
            "at most 10000",
        ),
    ];
    for (uri, status, hint) in cases {
        let r = get(&s, uri).await;
        assert_eq!(r.status, status, "{uri}: {}", r.body);
        assert_eq!(r.media, "application/problem+json", "{uri}");
        let p = r.json();
        assert!(
            p["hint"].as_str().unwrap_or("").contains(hint),
            "{uri}: {p}"
        );
    }
    // Hostile nesting is refused, and the server goes on answering.
    let s = server(true, boardroom_server::MAX_BODY);
    let t = token(&s, "secretary", "openai-2023", true);
    for hostile in [
        "[".repeat(200_000),
        format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000)),
    ] {
        let r = call(&s, "POST", &format!("{API}/events"), Some(&t), &hostile).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(get(&s, "/healthz").await.status, StatusCode::OK);
    }
    let r = call(&s, "DELETE", "/api/structures/openai-2023", Some(&t), "").await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.media, "application/problem+json");
}

#[tokio::test]
async fn a_structure_is_created_once_from_its_file_with_located_problems() {
    let s = server(true, boardroom_server::MAX_BODY);
    let admin = token(&s, "admin", "*", true);
    let desk = token(&s, "desk", "openai-2023", true);
    let file = "[scenario]\nid = \"acme\"\ntitle = \"Acme\"\n\n[[party]]\nid = \"acme\"\nname = \"Acme Ltd\"\nkind = \"corporation\"\n";
    let r = call(&s, "POST", "/api/structures", Some(&desk), file).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let bad = "[scenario]\nid = \"acme\"\n\n[[party]]\nid = \"acme\"\nkind = \"entiti\"\n";
    let r = call(
        &s,
        "POST",
        "/api/structures?name=acme.toml",
        Some(&admin),
        bad,
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let p = r.json();
    assert_eq!(p["diagnostics"][0]["file"], "acme.toml");
    assert!(
        p["diagnostics"][0]["line"].as_u64().unwrap_or(0) >= 5,
        "{p}"
    );
    let r = call(&s, "POST", "/api/structures", Some(&admin), file).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let again = call(&s, "POST", "/api/structures", Some(&admin), file).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let r = call(
        &s,
        "POST",
        "/api/structures?id=Not%20An%20Id",
        Some(&admin),
        file,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let got = get(&s, "/api/structures/acme").await.json();
    assert_eq!(got["parties"][0]["name"], "Acme Ltd");
    assert_eq!(got["created_by"], "admin");
}

#[tokio::test]
async fn bods_goes_out_and_comes_back_in() {
    let s = server(true, boardroom_server::MAX_BODY);
    let admin = token(&s, "admin", "*", true);
    let bods = get(&s, &format!("{API}/bods")).await;
    assert_eq!(bods.status, StatusCode::OK);
    let statements = bods.json();
    assert!(statements.as_array().map_or(0, Vec::len) > 10);
    let r = call(
        &s,
        "POST",
        "/api/structures/import/bods?id=openai-copy",
        Some(&admin),
        &bods.body,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let a = get(&s, &format!("{API}/control?as_of=2023-11-18"))
        .await
        .json();
    let b = get(&s, "/api/structures/openai-copy/control?as_of=2023-11-18")
        .await
        .json();
    assert_eq!(a["entities"], b["entities"]);
    let r = call(
        &s,
        "POST",
        "/api/structures/import/bods?id=junk",
        Some(&admin),
        "[{\"x\": 1}]",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
}

#[tokio::test]
async fn the_openapi_document_names_every_question_with_its_output_schema() {
    let s = server(true, boardroom_server::MAX_BODY);
    let doc = get(&s, "/openapi.json").await.json();
    assert_eq!(doc["openapi"], "3.1.0");
    for q in boardroom_server::questions::QUESTIONS {
        let path = &doc["paths"][format!("/api/structures/{{id}}/{}", q.name)]["get"];
        assert!(path.is_object(), "{}", q.name);
        let names: Vec<&str> = path["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        for p in q.params {
            assert!(names.contains(&p.name), "{}: {}", q.name, p.name);
        }
    }
    // Every reference resolves inside the document.
    let text = doc.to_string();
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = part.split('"').next().unwrap_or("");
        assert!(schemas.contains_key(name), "unresolved $ref {name}");
    }
    assert!(schemas.contains_key("StateOutput") && schemas.contains_key("Event"));
    assert!(!text.contains("#/$defs/"));
}

#[tokio::test]
async fn the_web_ui_is_served_whole_from_the_binary() {
    let s = server(true, boardroom_server::MAX_BODY);
    let page = get(&s, "/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.media.starts_with("text/html"));
    for asset in [
        "app.js",
        "app.css",
        "cytoscape.min.js",
        "cytoscape-dagre.min.js",
    ] {
        assert!(page.body.contains(&format!("/ui/{asset}")), "{asset}");
        let r = get(&s, &format!("/ui/{asset}")).await;
        assert_eq!(r.status, StatusCode::OK, "{asset}");
        assert!(r.body.len() > 100, "{asset}");
    }
    // Nothing is fetched from elsewhere.
    assert!(!page.body.contains("http://") && !page.body.contains("https://"));
}

#[tokio::test]
async fn the_log_and_the_bods_export_stream_as_json_lines_too() {
    let s = server(true, boardroom_server::MAX_BODY);
    let t = token(&s, "secretary", "openai-2023", true);
    for body in [MEETING, REAPPOINT_ALTMAN] {
        call(&s, "POST", &format!("{API}/events"), Some(&t), body).await;
    }
    let whole = get(&s, &format!("{API}/log")).await.json();
    let lines = get(&s, &format!("{API}/log?format=jsonl")).await;
    assert_eq!(lines.media, "application/jsonl");
    let parsed: Vec<Value> = lines
        .body
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(whole["entries"].as_array().expect("entries"), &parsed);
    assert_eq!(parsed.len(), 2);
    let earlier = get(&s, &format!("{API}/log?format=jsonl&known_at=1")).await;
    assert_eq!(earlier.body.lines().count(), 1);
    let array = get(&s, &format!("{API}/bods")).await.json();
    let bods = get(&s, &format!("{API}/bods?format=jsonl")).await;
    let statements: Vec<Value> = bods
        .body
        .lines()
        .map(|l| serde_json::from_str(l).expect("a statement"))
        .collect();
    assert_eq!(array.as_array().expect("statements"), &statements);
    let bad = get(&s, &format!("{API}/log?format=csv")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
