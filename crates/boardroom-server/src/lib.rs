//! `boardroom serve`: a shared governance record over HTTP.
//!
//! A structure is created once from a structure file; after that it changes
//! only by appending events to its log, each judged by the engine `replay`
//! uses before it is stored (an invalid act is stored with its verdict and
//! not applied). Every question the command line answers is asked of the
//! record at any date (`as_of`) and at any point of the log (`known_at`),
//! and answered with the command line's JSON envelope. The web UI is served
//! by the same binary.
//!
//! The library is the router (`router`), so tests drive it in process; the
//! command line's `serve` binds it to an address.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use boardroom::{Envelope, Structure};
use serde::Serialize;

pub mod openapi;
pub mod problem;
pub mod questions;
pub mod record;
pub mod store;
pub mod token;
mod ui;

use problem::Problem;
use questions::{COMMON, Param, Params};
use record::{Built, Origin};
use store::{NewEntry, Store, StructureRow};
use token::{Grant, Refusal, Verified};

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the record is kept: a SQLite file (created when missing), or
    /// a PostgreSQL server's `postgres://` URL; migrated at start.
    pub db: String,
    /// Reads need no token (default); when false, every read of a structure
    /// needs a token for it.
    pub public_reads: bool,
    /// The largest request body accepted, in bytes.
    pub max_body: usize,
}

/// The largest request body by default: a structure file of 4 MiB.
pub const MAX_BODY: usize = 4 << 20;

/// The id of the structure a new database starts with.
pub const DEFAULT_ID: &str = "openai-2023";

/// The server's state: the record, and what it has already worked out.
pub struct App {
    store: Store,
    verified: Verified,
    public_reads: bool,
    /// Structure files as read, by id (they never change).
    bases: Mutex<HashMap<String, Arc<Structure>>>,
    /// Structures built from their log, by id and last entry.
    built: Mutex<HashMap<(String, i64), Arc<Built>>>,
    /// Answers already given, by structure, last entry and question.
    answers: Mutex<HashMap<(String, i64, String), Arc<questions::Reply>>>,
    /// The largest request body accepted, in bytes.
    max_body: usize,
    /// Questions worked on at once: as many as the cores, twice over;
    /// more wait their turn, so a burst of heavy questions (voting power
    /// over a large body) queues instead of starving every other request.
    work: Arc<tokio::sync::Semaphore>,
}

/// Built structures kept at most; the cache is emptied when it fills.
const BUILT_KEPT: usize = 256;

/// Answers kept at most, each of at most `ANSWER_KEPT_BYTES` (64 MiB in
/// all); emptied when it fills.
const ANSWERS_KEPT: usize = 512;
const ANSWER_KEPT_BYTES: usize = 128 << 10;

impl App {
    /// Opens the record at `config.db`; a new, empty record gets the
    /// embedded OpenAI 2023 scenario.
    pub fn open(config: &Config) -> Result<App, store::StoreError> {
        let store = Store::open(&config.db)?;
        if store.structures()?.is_empty() {
            let scenario = boardroom_formats::scenario(DEFAULT_ID).ok_or_else(|| {
                store::StoreError::System("the embedded scenario is missing".into())
            })?;
            let loaded =
                boardroom_formats::load("openai-2023.toml", scenario.text).map_err(|_| {
                    store::StoreError::System("the embedded scenario does not load".into())
                })?;
            store.create_structure(&StructureRow {
                id: DEFAULT_ID.to_string(),
                title: loaded.structure.scenario.title.clone(),
                file_name: "openai-2023.toml".to_string(),
                file_text: scenario.text.to_string(),
                created_by: "boardroom (the embedded default scenario)".to_string(),
                created_at: store::now(),
            })?;
        }
        Ok(App {
            store,
            verified: Verified::default(),
            public_reads: config.public_reads,
            bases: Mutex::default(),
            built: Mutex::default(),
            answers: Mutex::default(),
            max_body: config.max_body,
            work: Arc::new(tokio::sync::Semaphore::new(
                2 * std::thread::available_parallelism().map_or(2, usize::from),
            )),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The caller's grant, from `Authorization: Bearer ...` (none without
    /// the header; a header with a bad token is refused, not ignored).
    fn caller(&self, headers: &HeaderMap) -> Result<Option<Grant>, Problem> {
        let Some(value) = headers.get(header::AUTHORIZATION) else {
            return Ok(None);
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| {
                Problem::new(
                    StatusCode::UNAUTHORIZED,
                    "token",
                    "the Authorization header is not `Bearer <token>`",
                )
            })?;
        match self.verified.check(&self.store, token)? {
            Ok(g) => Ok(Some(g)),
            Err(why) => Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "token",
                match why {
                    Refusal::Malformed => "the token is not a boardroom token (brt_...)",
                    Refusal::Unknown => "the token is not known",
                    Refusal::Revoked => "the token was revoked",
                },
            )
            .hint("`boardroom token create` makes a token; `boardroom token list` shows them")),
        }
    }

    fn may_read(&self, grant: &Option<Grant>, id: &str) -> Result<(), Problem> {
        if self.public_reads {
            return Ok(());
        }
        match grant {
            Some(g) if g.allows(id, false) => Ok(()),
            Some(g) => Err(Problem::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!("token `{}` ({}) may not read `{id}`", g.id, g.name),
            )),
            None => Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "token",
                format!("reading `{id}` needs a token on this server"),
            )
            .hint("send Authorization: Bearer <token>; `boardroom token create` makes one")),
        }
    }

    fn may_write(grant: &Option<Grant>, id: &str) -> Result<Grant, Problem> {
        match grant {
            Some(g) if g.allows(id, true) => Ok(g.clone()),
            Some(g) => Err(Problem::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!("token `{}` ({}) may not write to `{id}`", g.id, g.name),
            )
            .hint("a token writes where it was created to: `boardroom token create --write ID`")),
            None => Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "token",
                "every write needs a token",
            )
            .hint(
                "send Authorization: Bearer <token>; `boardroom token create --write ID` makes one",
            )),
        }
    }

    /// The grant of a caller who may create structures (a token made with
    /// `--write '*'`), or why not.
    fn may_create(grant: Option<Grant>) -> Result<Grant, Problem> {
        match grant {
            Some(g) if g.may_create() => Ok(g),
            Some(g) => Err(Problem::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!("token `{}` ({}) may not create structures", g.id, g.name),
            )
            .hint("only a token made with --write '*' creates structures")),
            None => Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "token",
                "creating a structure needs a token",
            )
            .hint("`boardroom token create --write '*'` makes a token that may create structures")),
        }
    }

    /// Stores a new structure read from `loaded`, and answers 201 with
    /// where it is and `extra` (what reading it found).
    fn create(
        &self,
        id: String,
        name: String,
        text: String,
        loaded: &boardroom_formats::Loaded,
        by: &Grant,
        extra: serde_json::Value,
    ) -> Result<Response, Problem> {
        let row = StructureRow {
            id: id.clone(),
            title: loaded.structure.scenario.title.clone(),
            file_name: name,
            file_text: text,
            created_by: by.name.clone(),
            created_at: store::now(),
        };
        self.store.create_structure(&row)?;
        let mut body = serde_json::json!({ "output": "structure-created", "structure": row });
        if let (Some(b), serde_json::Value::Object(more)) = (body.as_object_mut(), extra) {
            b.extend(more);
        }
        let mut r = json_of(StatusCode::CREATED, &body)?;
        if let Ok(v) = HeaderValue::from_str(&format!("/api/structures/{id}")) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        Ok(r)
    }

    fn base(&self, row: &StructureRow) -> Result<Arc<Structure>, Problem> {
        if let Some(s) = self.bases.lock().ok().and_then(|b| b.get(&row.id).cloned()) {
            return Ok(s);
        }
        let loaded = boardroom_formats::load(&row.file_name, &row.file_text).map_err(|d| {
            Problem::internal(format!(
                "the stored structure file of `{}` no longer loads: {}",
                row.id,
                d.first().map(|d| d.to_string()).unwrap_or_default()
            ))
        })?;
        let s = Arc::new(loaded.structure);
        if let Ok(mut b) = self.bases.lock() {
            b.insert(row.id.clone(), s.clone());
        }
        Ok(s)
    }

    fn row(&self, id: &str) -> Result<StructureRow, Problem> {
        self.store.structure(id)?.ok_or_else(|| {
            let known: Vec<String> = self
                .store
                .structures()
                .map(|r| r.into_iter().map(|r| r.id).collect())
                .unwrap_or_default();
            let names: Vec<&str> = known.iter().map(String::as_str).collect();
            let mut p = Problem::not_found("unknown-structure", format!("no structure `{id}`"));
            p.hint = Some(
                boardroom::did_you_mean(id, names.iter().copied())
                    .unwrap_or_else(|| format!("structures: {}", names.join(", "))),
            );
            p
        })
    }

    /// The last entry a `known_at` includes: a sequence number, or a time
    /// (a date means the end of that day, UTC).
    fn cut(&self, id: &str, known_at: Option<&str>) -> Result<i64, Problem> {
        let head = self.store.head(id)?;
        let Some(k) = known_at else {
            return Ok(head);
        };
        if let Ok(seq) = k.parse::<i64>() {
            return Ok(seq.clamp(0, head));
        }
        let until = if let Ok(d) = chrono::NaiveDate::parse_from_str(k, "%Y-%m-%d") {
            format!("{d}T23:59:59.999999Z")
        } else if let Ok(t) = chrono::DateTime::parse_from_rfc3339(k) {
            t.with_timezone(&chrono::Utc)
                .format("%Y-%m-%dT%H:%M:%S%.6fZ")
                .to_string()
        } else {
            return Err(Problem::bad_request(
                "parameter",
                format!("known_at=`{k}` is neither an entry's number nor a time"),
            )
            .hint("an entry's sequence number (17), a date (2023-11-20) or an RFC 3339 time"));
        };
        Ok(self
            .store
            .entries(id, None)?
            .iter()
            .take_while(|e| e.recorded_at <= until)
            .last()
            .map_or(0, |e| e.seq))
    }

    /// Structure `id` as its record stood after entry `cut`.
    fn built(&self, row: &StructureRow, cut: i64) -> Result<Arc<Built>, Problem> {
        let key = (row.id.clone(), cut);
        if let Some(b) = self.built.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(b);
        }
        let base = self.base(row)?;
        let entries = self.store.entries(&row.id, Some(cut))?;
        let b = Arc::new(record::build(&base, &entries).map_err(Problem::internal)?);
        if let Ok(mut c) = self.built.lock() {
            if c.len() >= BUILT_KEPT {
                c.clear();
            }
            c.insert(key, b.clone());
        }
        Ok(b)
    }
}

/// A read of one structure: its parameters checked, the caller allowed to
/// read it, and the structure as its record stood at `known_at`.
struct Reading {
    params: Params,
    row: StructureRow,
    built: Arc<Built>,
}

impl App {
    fn reading(
        &self,
        headers: &HeaderMap,
        id: &str,
        query: Option<&str>,
        allowed: &[&[Param]],
    ) -> Result<Reading, Problem> {
        let params = Params::parse(query);
        params.check(allowed)?;
        let grant = self.caller(headers)?;
        self.may_read(&grant, id)?;
        let row = self.row(id)?;
        let built = self.built(&row, self.cut(id, params.one("known_at"))?)?;
        Ok(Reading { params, row, built })
    }
}

/// Runs `work` off the async threads (the database and the engine block).
async fn blocking(work: impl FnOnce() -> Result<Response, Problem> + Send + 'static) -> Response {
    match tokio::task::spawn_blocking(work).await {
        Ok(Ok(r)) => r,
        Ok(Err(p)) => p.into_response(),
        Err(e) => Problem::internal(format!("the request's work stopped: {e}")).into_response(),
    }
}

fn json_response(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn json_of<T: Serialize>(status: StatusCode, value: &T) -> Result<Response, Problem> {
    let body = serde_json::to_string(value).map_err(|e| Problem::internal(e.to_string()))?;
    Ok(json_response(status, body))
}

/// A request body, or a clear refusal (too large, unreadable, not UTF-8).
fn body_text(body: Result<Bytes, BytesRejection>, max: usize) -> Result<String, Problem> {
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                format!("the request body is larger than {max} bytes"),
            )
            .hint("split the work, or start the server with a larger --max-body")
        } else {
            Problem::bad_request("body", format!("the request body could not be read: {e}"))
        }
    })?;
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        Problem::bad_request(
            "body",
            format!(
                "the request body is not UTF-8 text (byte {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// An id: lower-case letters, digits and hyphens, 1 to 64 of them.
fn check_id(id: &str) -> Result<(), Problem> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(
            Problem::bad_request("id", format!("`{id}` cannot be a structure id"))
                .hint("use 1 to 64 lower-case letters, digits and hyphens, such as acme-2024"),
        )
    }
}

/// What the API says about a structure: enough for a client to ask it
/// questions (its parties, bodies, decisions, dates, variants).
#[derive(Serialize)]
struct Summary<'a> {
    id: &'a str,
    title: &'a str,
    file_name: &'a str,
    created_by: &'a str,
    created_at: &'a str,
    /// The last entry of the log the answer includes (0: none).
    known_at: i64,
    /// The last entry of the log.
    head: i64,
    first_date: Option<chrono::NaiveDate>,
    last_date: Option<chrono::NaiveDate>,
    default_date: Option<chrono::NaiveDate>,
    parties: Vec<SummaryParty<'a>>,
    bodies: Vec<SummaryBody<'a>>,
    events: Vec<SummaryEvent<'a>>,
    /// Entities with economic terms (for `waterfall?entity=`).
    economics: Vec<&'a str>,
    variants: Vec<&'a str>,
    /// Every question, with its parameters: `/api/structures/{id}/{question}`.
    questions: Vec<&'static str>,
}

#[derive(Serialize)]
struct SummaryParty<'a> {
    id: &'a str,
    name: &'a str,
    kind: String,
}

#[derive(Serialize)]
struct SummaryBody<'a> {
    id: &'a str,
    name: &'a str,
    entity: &'a str,
    decisions: Vec<String>,
}

#[derive(Serialize)]
struct SummaryEvent<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    date: chrono::NaiveDate,
    origin: &'a Origin,
}

fn summary(row: &StructureRow, b: &Built, head: i64) -> Result<Response, Problem> {
    let s = &b.structure;
    let value = Summary {
        id: &row.id,
        title: &s.scenario.title,
        file_name: &row.file_name,
        created_by: &row.created_by,
        created_at: &row.created_at,
        known_at: b.head,
        head,
        first_date: s.event.first().map(|e| e.date),
        last_date: s.event.last().map(|e| e.date),
        default_date: boardroom::report::default_date(s),
        parties: s
            .party
            .iter()
            .map(|p| SummaryParty {
                id: &p.id,
                name: &p.name,
                kind: serde_json::to_value(p.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
            })
            .collect(),
        bodies: s
            .body
            .iter()
            .map(|body| SummaryBody {
                id: &body.id,
                name: &body.name,
                entity: &body.entity,
                decisions: boardroom::question::known_decisions(s, &body.id),
            })
            .collect(),
        events: s
            .event
            .iter()
            .zip(&b.origins)
            .map(|(e, o)| SummaryEvent {
                id: e.id.as_deref(),
                date: e.date,
                origin: o,
            })
            .collect(),
        economics: s.economics.iter().map(|e| e.entity.as_str()).collect(),
        variants: s.variant.iter().map(|v| v.id.as_str()).collect(),
        questions: questions::QUESTIONS.iter().map(|q| q.name).collect(),
    };
    json_of(StatusCode::OK, &value)
}

const KNOWN_AT: &[Param] = &[questions::KNOWN_AT];

async fn list_structures(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    blocking(move || {
        let grant = app.caller(&headers)?;
        let rows: Vec<StructureRow> = app
            .store
            .structures()?
            .into_iter()
            .filter(|r| app.may_read(&grant, &r.id).is_ok())
            .collect();
        json_of(
            StatusCode::OK,
            &serde_json::json!({ "output": "structures", "structures": rows }),
        )
    })
    .await
}

async fn create_structure(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    blocking(move || {
        let params = Params::parse(query.as_deref());
        params.check(&[&[
            questions::Param {
                name: "id",
                kind: questions::Kind::Text,
                required: false,
                about: "the new structure's id (default: its scenario.id)",
            },
            questions::Param {
                name: "name",
                kind: questions::Kind::Text,
                required: false,
                about: "the file's name, for messages; .json or .toml says its syntax",
            },
        ]])?;
        let g = App::may_create(app.caller(&headers)?)?;
        let text = body_text(body, app.max_body)?;
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("json"));
        let name = params.one("name").map(str::to_string).unwrap_or_else(|| {
            if json {
                "structure.json"
            } else {
                "structure.toml"
            }
            .to_string()
        });
        let loaded = boardroom_formats::load(&name, &text).map_err(|d| {
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "structure",
                format!(
                    "the structure file has {} problem(s)",
                    d.iter().filter(|d| d.diagnostic.is_error()).count()
                ),
            )
            .hint("each diagnostic says where, what was expected, and how to fix it")
            .diagnostics(d)
        })?;
        let id = params
            .one("id")
            .map(str::to_string)
            .unwrap_or_else(|| loaded.structure.scenario.id.clone());
        if id.is_empty() {
            return Err(Problem::bad_request("id", "the structure has no id")
                .hint("pass ?id=..., or give the file a scenario.id"));
        }
        check_id(&id)?;
        app.create(
            id,
            name,
            text,
            &loaded,
            &g,
            serde_json::json!({ "warnings": loaded.warnings }),
        )
    })
    .await
}

async fn import_bods(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    blocking(move || {
        let params = Params::parse(query.as_deref());
        params.check(&[&[questions::Param {
            name: "id",
            kind: questions::Kind::Text,
            required: true,
            about: "the new structure's id",
        }]])?;
        let g = App::may_create(app.caller(&headers)?)?;
        let id = params.one("id").unwrap_or("").to_string();
        check_id(&id)?;
        let text = body_text(body, app.max_body)?;
        let imported = boardroom_formats::bods::import(
            text.as_bytes(),
            &boardroom_formats::bods::ImportOptions::default(),
        )
        .map_err(|e| {
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bods",
                format!("not BODS 0.4: {e}"),
            )
            .hint("BODS 0.4 statements: a JSON array of objects, or one object per line")
        })?;
        if imported.structure.party.is_empty() {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bods",
                format!(
                    "nothing could be read: {} statement(s), {} problem(s); the first: {}",
                    imported.statements,
                    imported.problems.len(),
                    imported
                        .problems
                        .first()
                        .map(|p| p.message.as_str())
                        .unwrap_or("none")
                ),
            ));
        }
        let toml = boardroom_formats::to_toml(&imported.structure)
            .map_err(|e| Problem::internal(format!("could not write the structure: {e}")))?;
        let name = format!("{id}.toml");
        let loaded = boardroom_formats::load(&name, &toml).map_err(|d| {
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "structure",
                "the statements do not make a valid structure",
            )
            .diagnostics(d)
        })?;
        app.create(
            id,
            name,
            toml,
            &loaded,
            &g,
            serde_json::json!({
                "statements": imported.statements,
                "problems": imported.problems,
                "not_carried": imported.carried.lost(),
            }),
        )
    })
    .await
}

async fn get_structure(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    blocking(move || {
        let r = app.reading(&headers, &id, query.as_deref(), &[KNOWN_AT])?;
        summary(&r.row, &r.built, app.store.head(&id)?)
    })
    .await
}

/// The structure file as the record stands: TOML (default) or JSON.
async fn get_file(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    blocking(move || {
        let format = questions::Param {
            name: "format",
            kind: questions::Kind::Text,
            required: false,
            about: "toml (default) or json",
        };
        let Reading {
            params, built: b, ..
        } = app.reading(&headers, &id, query.as_deref(), &[KNOWN_AT, &[format]])?;
        match params.one("format").unwrap_or("toml") {
            "toml" => {
                let t = boardroom_formats::to_toml(&b.structure)
                    .map_err(|e| Problem::internal(e.to_string()))?;
                let mut r = t.into_response();
                r.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/toml; charset=utf-8"),
                );
                Ok(r)
            }
            "json" => json_of(StatusCode::OK, &b.structure),
            other => Err(Problem::bad_request(
                "parameter",
                format!("no format `{other}` for a structure file"),
            )
            .hint("toml or json")),
        }
    })
    .await
}

/// Entries read from the database at a time while the log is streamed.
const LOG_PAGE: i64 = 500;

/// One entry as the log shows it; the stored JSON is spliced in as stored.
fn entry_json(e: &store::Entry) -> String {
    format!(
        "{{\"seq\":{},\"recorded_by\":{},\"recorded_at\":{},\"outcome\":{},\"event\":{},\"verdict\":{}}}",
        e.seq,
        serde_json::to_string(&e.recorded_by).unwrap_or_default(),
        serde_json::to_string(&e.recorded_at).unwrap_or_default(),
        serde_json::to_string(&e.outcome).unwrap_or_default(),
        e.event,
        e.verdict
    )
}

/// The log: every entry, with who recorded it, when, and the verdict it got
/// then; streamed from the database a page at a time, as one JSON document
/// or (`format=jsonl`) one entry per line.
async fn get_log(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let checked = {
        let app = app.clone();
        let id = id.clone();
        tokio::task::spawn_blocking(move || {
            let format = questions::Param {
                name: "format",
                kind: questions::Kind::Text,
                required: false,
                about: "json (default) or jsonl",
            };
            let r = app.reading(&headers, &id, query.as_deref(), &[KNOWN_AT, &[format]])?;
            let lines = match r.params.one("format").unwrap_or("json") {
                "json" => false,
                "jsonl" => true,
                other => {
                    return Err(Problem::bad_request(
                        "parameter",
                        format!("no format `{other}` for the log"),
                    )
                    .hint("json or jsonl"));
                }
            };
            Ok((r.built.head, lines))
        })
        .await
    };
    let (upto, lines) = match checked {
        Ok(Ok(x)) => x,
        Ok(Err(p)) => return p.into_response(),
        Err(e) => return Problem::internal(e.to_string()).into_response(),
    };
    let media = if lines {
        "application/jsonl"
    } else {
        "application/json"
    };
    streamed(media, move |send| {
        if !lines {
            let head = format!(
                "{{\"output\":\"log\",\"structure\":{},\"entries\":[",
                serde_json::to_string(&id).unwrap_or_default()
            );
            if !send(head) {
                return Ok(());
            }
        }
        let (mut after, mut first) = (0, true);
        loop {
            let page = app
                .store
                .entries_page(&id, after, upto, LOG_PAGE)
                .map_err(|e| e.to_string())?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            let mut chunk = String::with_capacity(page.len() * 512);
            for e in &page {
                if !lines && !first {
                    chunk.push(',');
                }
                first = false;
                chunk.push_str(&entry_json(e));
                if lines {
                    chunk.push('\n');
                }
            }
            if !send(chunk) {
                return Ok(());
            }
        }
        if !lines {
            send("]}".to_string());
        }
        Ok(())
    })
}

/// A body written as `produce` makes it, chunk by chunk, on a blocking
/// thread: memory stays bounded whatever the size. `send` returns false
/// once the client has gone. A failure midway aborts the body, so a client
/// never takes a cut answer for a whole one.
fn streamed(
    media: &'static str,
    produce: impl FnOnce(&dyn Fn(String) -> bool) -> Result<(), String> + Send + 'static,
) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(8);
    tokio::task::spawn_blocking(move || {
        let send = |chunk: String| tx.blocking_send(Ok(Bytes::from(chunk))).is_ok();
        if let Err(e) = produce(&send) {
            let _ = tx.blocking_send(Err(std::io::Error::other(e)));
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    let mut r = Response::new(axum::body::Body::from_stream(stream));
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    r
}

/// Every act of the timeline with its verdict (as `replay` gives it) and
/// where it comes from: the structure file, or an entry of the log (who
/// recorded it, when, and what it was judged then).
#[derive(Serialize)]
struct Act<'a> {
    origin: &'a Origin,
    verdict: &'a boardroom::Verdict,
}

async fn get_acts(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    blocking(move || {
        let Reading {
            params, built: b, ..
        } = app.reading(&headers, &id, query.as_deref(), &[&COMMON[..2]])?;
        let s = match params.one("variant") {
            Some(v) => std::borrow::Cow::Owned(
                boardroom::question::under_variant(&b.structure, v).map_err(Problem::question)?,
            ),
            None => std::borrow::Cow::Borrowed(&b.structure),
        };
        let r = boardroom::replay(&s);
        let acts: Vec<Act> = r
            .verdicts
            .iter()
            .map(|v| Act {
                origin: b.origins.get(v.index).unwrap_or(&Origin::File),
                verdict: v,
            })
            .collect();
        #[derive(Serialize)]
        struct Acts<'a> {
            acts: Vec<Act<'a>>,
        }
        json_of(StatusCode::OK, &Envelope::new("acts", &s, Acts { acts }))
    })
    .await
}

/// The answer to a write: the entry stored (none on a dry run), the
/// verdict, and acts already recorded whose verdict the event changes.
#[derive(Serialize)]
struct Recorded<'a> {
    dry_run: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    entry: Option<EntryRef<'a>>,
    verdict: &'a boardroom::Verdict,
    changed: &'a [record::Changed],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    warnings: &'a [boardroom_formats::Located],
}

#[derive(Serialize)]
struct EntryRef<'a> {
    seq: i64,
    recorded_by: &'a str,
    recorded_at: &'a str,
}

async fn append_event(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    blocking(move || {
        let params = Params::parse(query.as_deref());
        params.check(&[&[questions::Param {
            name: "dry_run",
            kind: questions::Kind::Bool,
            required: false,
            about: "judge the event and say the verdict, without storing it",
        }]])?;
        let dry_run = params.flag("dry_run")?;
        let grant = app.caller(&headers)?;
        let g = App::may_write(&grant, &id)?;
        let row = app.row(&id)?;
        let text = body_text(body, app.max_body)?;
        let refuse = |d: Vec<boardroom_formats::Located>| {
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "event",
                format!("the event has {} problem(s); nothing was stored", d.len()),
            )
            .hint("an event is one [[event]] item of a structure file, as a JSON object")
            .diagnostics(d)
        };
        let base = app.base(&row)?;
        if dry_run {
            let b = app.built(&row, app.store.head(&id)?)?;
            let j = record::judge(&b, "request body", &text).map_err(refuse)?;
            let out = Recorded {
                dry_run: true,
                entry: None,
                verdict: &j.verdict,
                changed: &j.changed,
                warnings: &j.warnings,
            };
            return json_of(
                StatusCode::OK,
                &Envelope::new("judgement", &b.structure, out),
            );
        }
        // Judged inside the write's transaction, against the log as it
        // stands there: no other append can come in between.
        let mut judged = None;
        let mut built_for = None;
        let stored = app.store.append(&id, |log| {
            // The log as it stands in the transaction; built already when
            // a read or the last append saw the same last entry.
            let head = log.last().map_or(0, |e| e.seq);
            let cached = app
                .built
                .lock()
                .ok()
                .and_then(|c| c.get(&(id.clone(), head)).cloned());
            let b = match cached {
                Some(b) => b,
                None => Arc::new(record::build(&base, log).map_err(|e| {
                    vec![boardroom_formats::Located {
                        file: "the record".into(),
                        line: 0,
                        column: 0,
                        diagnostic: boardroom::Diagnostic::error(boardroom::Path::root(), e),
                        excerpt: None,
                    }]
                })?),
            };
            let j = record::judge(&b, "request body", &text)?;
            let new = NewEntry {
                event: serde_json::to_string(&j.event).unwrap_or_default(),
                outcome: serde_json::to_value(j.verdict.outcome)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                verdict: serde_json::to_string(&j.verdict).unwrap_or_default(),
                recorded_by: g.name.clone(),
            };
            judged = Some(j);
            built_for = Some(b);
            Ok(new)
        })?;
        let entry = stored.map_err(refuse)?;
        let (Some(j), Some(b)) = (judged, built_for) else {
            return Err(Problem::internal(
                "the entry was stored without its verdict",
            ));
        };
        // The record as it now stands, for the next read or append.
        if let Ok(mut c) = app.built.lock() {
            if c.len() >= BUILT_KEPT {
                c.clear();
            }
            c.insert((id.clone(), entry.seq), Arc::new(j.built(&b, &entry)));
        }
        let out = Recorded {
            dry_run: false,
            entry: Some(EntryRef {
                seq: entry.seq,
                recorded_by: &entry.recorded_by,
                recorded_at: &entry.recorded_at,
            }),
            verdict: &j.verdict,
            changed: &j.changed,
            warnings: &j.warnings,
        };
        let mut r = json_of(
            StatusCode::CREATED,
            &Envelope::new("entry", &b.structure, out),
        )?;
        if let Ok(v) =
            HeaderValue::from_str(&format!("/api/structures/{id}/log?known_at={}", entry.seq))
        {
            r.headers_mut().insert(header::LOCATION, v);
        }
        Ok(r)
    })
    .await
}

async fn ask_question(
    State(app): State<Arc<App>>,
    Path((id, name)): Path<(String, String)>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let Ok(_turn) = app.work.clone().acquire_owned().await else {
        return Problem::internal("the server is shutting down").into_response();
    };
    blocking(move || {
        let Some(q) = questions::question(&name) else {
            let names: Vec<&str> = questions::QUESTIONS.iter().map(|q| q.name).collect();
            let mut p = Problem::not_found("unknown-question", format!("no question `{name}`"));
            p.hint = Some(
                boardroom::did_you_mean(&name, names.iter().copied())
                    .unwrap_or_else(|| format!("questions: {}", names.join(", "))),
            );
            return Err(p);
        };
        let Reading {
            params, built: b, ..
        } = app.reading(&headers, &id, query.as_deref(), &[COMMON, q.params])?;
        if q.name == "bods" {
            // Statements are written one at a time as they are sent.
            let s = match params.one("variant") {
                Some(v) => boardroom::question::under_variant(&b.structure, v)
                    .map_err(Problem::question)?,
                None => b.structure.clone(),
            };
            let lines = params.one("format") == Some("jsonl");
            if !matches!(params.one("format"), None | Some("json") | Some("jsonl")) {
                return Err(Problem::bad_request("parameter", "no such format for bods")
                    .hint("formats: json, jsonl"));
            }
            let statements = boardroom_formats::bods::export(&s);
            let media = if lines {
                "application/jsonl"
            } else {
                "application/json"
            };
            return Ok(streamed(media, move |send| {
                if !lines && !send("[".to_string()) {
                    return Ok(());
                }
                for (i, st) in statements.iter().enumerate() {
                    let mut chunk = serde_json::to_string(st).map_err(|e| e.to_string())?;
                    if lines {
                        chunk.push('\n');
                    } else if i > 0 {
                        chunk.insert(0, ',');
                    }
                    if !send(chunk) {
                        return Ok(());
                    }
                }
                if !lines {
                    send("]".to_string());
                }
                Ok(())
            }));
        }
        // An answer depends only on the record at its last entry and the
        // question's own parameters: the same question again is served
        // from memory until the log grows.
        let mut asked: Vec<(&str, &str)> = params
            .0
            .iter()
            .filter(|(k, _)| k != "known_at")
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        asked.sort_unstable();
        let key = (
            id.clone(),
            b.head,
            format!(
                "{name}?{}",
                serde_json::to_string(&asked).unwrap_or_default()
            ),
        );
        let known = app.answers.lock().ok().and_then(|a| a.get(&key).cloned());
        let reply = match known {
            Some(r) => r,
            None => {
                let reply = Arc::new(match params.one("variant") {
                    Some(v) => {
                        let s = boardroom::question::under_variant(&b.structure, v)
                            .map_err(Problem::question)?;
                        questions::ask(&s, q, &params)?
                    }
                    None => questions::ask(&b.structure, q, &params)?,
                });
                if reply.body.len() <= ANSWER_KEPT_BYTES
                    && let Ok(mut a) = app.answers.lock()
                {
                    if a.len() >= ANSWERS_KEPT {
                        a.clear();
                    }
                    a.insert(key, reply.clone());
                }
                reply
            }
        };
        let mut r = reply.body.clone().into_response();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(reply.media));
        Ok(r)
    })
    .await
}

async fn get_schema(Path(name): Path<String>) -> Response {
    let name = name.strip_suffix(".json").unwrap_or(&name);
    let name = name.strip_suffix(".schema").unwrap_or(name);
    match boardroom_formats::schema(name) {
        Some(s) => json_response(StatusCode::OK, s),
        None => {
            let known: Vec<&str> = boardroom_formats::SCHEMAS.iter().map(|(n, _)| *n).collect();
            Problem::not_found("unknown-schema", format!("no schema `{name}`"))
                .hint(format!("schemas: {}", known.join(", ")))
                .into_response()
        }
    }
}

async fn not_found() -> Response {
    Problem::not_found("not-found", "nothing is served here")
        .hint("the API is under /api (see /openapi.json); the web UI is at /")
        .into_response()
}

async fn method_not_allowed() -> Response {
    Problem::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method",
        "this path does not take that method",
    )
    .hint("see /openapi.json for each path's methods")
    .into_response()
}

/// The whole service: API, OpenAPI document, schemas and web UI.
pub fn router(app: Arc<App>) -> Router {
    let max_body = app.max_body;
    Router::new()
        .route("/", get(ui::index))
        .route("/ui/{file}", get(ui::asset))
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/openapi.json", get(openapi::document))
        .route("/schemas/{name}", get(get_schema))
        .route(
            "/api/structures",
            get(list_structures).post(create_structure),
        )
        .route(
            "/api/structures/import/bods",
            axum::routing::post(import_bods),
        )
        .route("/api/structures/{id}", get(get_structure))
        .route("/api/structures/{id}/file", get(get_file))
        .route("/api/structures/{id}/log", get(get_log))
        .route("/api/structures/{id}/acts", get(get_acts))
        .route(
            "/api/structures/{id}/events",
            axum::routing::post(append_event),
        )
        .route("/api/structures/{id}/{question}", get(ask_question))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(app)
}

/// Serves `config` on `addr` until Ctrl-C (or SIGTERM); `ready` is called
/// with the address bound (port 0 picks a free one).
pub async fn serve(
    config: Config,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), String> {
    let c = config.clone();
    let app = tokio::task::spawn_blocking(move || App::open(&c))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("could not open the record: {e}"))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("could not listen on {addr}: {e}"))?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    ready(bound);
    let app = Arc::new(app);
    let served = axum::serve(listener, router(app.clone()))
        .with_graceful_shutdown(async {
            let ctrl_c = tokio::signal::ctrl_c();
            #[cfg(unix)]
            {
                let mut term =
                    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    {
                        Ok(t) => t,
                        Err(_) => {
                            let _ = ctrl_c.await;
                            return;
                        }
                    };
                tokio::select! {
                    _ = ctrl_c => {},
                    _ = term.recv() => {},
                }
            }
            #[cfg(not(unix))]
            {
                let _ = ctrl_c.await;
            }
        })
        .await
        .map_err(|e| e.to_string());
    // The record's connections are closed off the async threads (the
    // PostgreSQL client blocks on a runtime of its own as it closes).
    let _ = tokio::task::spawn_blocking(move || drop(app)).await;
    served
}
