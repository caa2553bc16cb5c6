//! The questions the API answers about a structure, as one table: each
//! question's parameters, formats and output schema. The router serves
//! them, the OpenAPI document is written from them, and a parameter not in
//! the table is refused by name. The answers themselves are the command
//! line's: `boardroom_formats::answer`.

use axum::http::StatusCode;
use boardroom::Structure;
use boardroom::question::{Distribute, PowerQuestion};
use boardroom_formats::answer;
use chrono::NaiveDate;

use crate::problem::Problem;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Date,
    Text,
    /// Comma-separated, or the parameter repeated.
    List,
    Bool,
    Integer,
    /// A decimal amount, with K, M or B allowed (`100B`).
    Amount,
}

#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    pub about: &'static str,
}

const fn p(name: &'static str, kind: Kind, about: &'static str) -> Param {
    Param {
        name,
        kind,
        required: false,
        about,
    }
}

const fn required(name: &'static str, kind: Kind, about: &'static str) -> Param {
    Param {
        name,
        kind,
        required: true,
        about,
    }
}

/// Which point of the log an answer reads the record at.
pub const KNOWN_AT: Param = p(
    "known_at",
    Kind::Text,
    "answer from the record as it stood at a point of the log: an entry's sequence number, or a time (YYYY-MM-DD or RFC 3339, UTC); default: the whole log",
);

/// Parameters every question takes.
pub const COMMON: &[Param] = &[
    KNOWN_AT,
    p(
        "variant",
        Kind::Text,
        "answer under one of the structure's variants (alternative assumptions)",
    ),
    p(
        "format",
        Kind::Text,
        "json (default: the command line's --format json envelope) or one of the question's other formats",
    ),
];

const AS_OF: Param = p(
    "as_of",
    Kind::Date,
    "the date asked about (default: the structure's own date, else its last event's)",
);

pub struct Question {
    pub name: &'static str,
    pub summary: &'static str,
    pub params: &'static [Param],
    /// The output names (schemas) it may answer with.
    pub outputs: &'static [&'static str],
    /// Formats besides `json`.
    pub formats: &'static [&'static str],
}

pub const QUESTIONS: &[Question] = &[
    Question {
        name: "state",
        summary: "Who sits on each body and holds each office on a date",
        params: &[AS_OF],
        outputs: &["state"],
        formats: &["text"],
    },
    Question {
        name: "control",
        summary: "Who controls each entity, directly and through chains",
        params: &[
            AS_OF,
            p(
                "senior_official_fallback",
                Kind::Bool,
                "name senior managing officials where no one controls (BODS's fallback)",
            ),
        ],
        outputs: &["control"],
        formats: &["text"],
    },
    Question {
        name: "replay",
        summary: "Every act judged against the rule in force, with reasons; with against= or absent=, the timeline as it would have run",
        params: &[
            p(
                "against",
                Kind::List,
                "parties who would have voted against wherever they voted",
            ),
            p("absent", Kind::List, "parties who would have stayed away"),
        ],
        outputs: &["replay", "what-if"],
        formats: &["text"],
    },
    Question {
        name: "block",
        summary: "Could a group have blocked an act?",
        params: &[
            required("event", Kind::Text, "the act's event id"),
            required(
                "group",
                Kind::List,
                "the parties (or a declared group) who would have opposed it",
            ),
        ],
        outputs: &["block"],
        formats: &["text"],
    },
    Question {
        name: "power",
        summary: "A body's voting power for a decision: power indices, veto players, minimal coalitions",
        params: &[
            required("body", Kind::Text, "the body's id"),
            required(
                "decision",
                Kind::Text,
                "the decision kind, such as remove-director",
            ),
            p("subject", Kind::Text, "the party the decision is about"),
            AS_OF,
            p(
                "indices",
                Kind::List,
                "the power indices to compute (default: all)",
            ),
            p(
                "coalitions",
                Kind::Bool,
                "also list minimal winning and blocking coalitions",
            ),
            p(
                "limit",
                Kind::Integer,
                "coalitions listed at most (default 20)",
            ),
            p(
                "approx",
                Kind::Integer,
                "Monte Carlo samples, for games too large to solve exactly",
            ),
            p("seed", Kind::Integer, "the Monte Carlo seed (default 1)"),
            p("can_block", Kind::List, "could these players block?"),
        ],
        outputs: &["power"],
        formats: &["text"],
    },
    Question {
        name: "waterfall",
        summary: "Who receives what: one amount, every amount up to one, term sheets compared, or a fund's ledger",
        params: &[
            p(
                "amount",
                Kind::Amount,
                "the amount distributed (100B, 2.5M, 1000000)",
            ),
            p(
                "entity",
                Kind::Text,
                "whose terms (when several entities have some)",
            ),
            AS_OF,
            p(
                "cumulative_to",
                Kind::Amount,
                "every amount from 0 up to this one, tier by tier",
            ),
            p(
                "compare",
                Kind::Bool,
                "the amount under the terms as written and under every variant",
            ),
        ],
        outputs: &[
            "waterfall",
            "waterfall-cumulative",
            "waterfall-comparison",
            "fund-ledger",
        ],
        formats: &["text"],
    },
    Question {
        name: "lookthrough",
        summary: "Each party's economic interest in each entity, through every chain",
        params: &[AS_OF],
        outputs: &["lookthrough"],
        formats: &["text"],
    },
    Question {
        name: "graph",
        summary: "The ownership and control graph on a date",
        params: &[AS_OF],
        outputs: &["graph"],
        formats: &["dot", "mermaid", "svg"],
    },
    Question {
        name: "diff",
        summary: "What changed between two dates, and the acts in between",
        params: &[
            required("from", Kind::Date, "the earlier date"),
            required("to", Kind::Date, "the later date"),
        ],
        outputs: &["diff"],
        formats: &["text"],
    },
    Question {
        name: "report",
        summary: "The full report: state on key dates, verdicts, what they assume, blocking, power, control, economics",
        params: &[AS_OF],
        outputs: &["report"],
        formats: &["text", "markdown", "html"],
    },
    Question {
        name: "bods",
        summary: "The structure as BODS 0.4 statements, streamed: a JSON array, or JSON Lines (format=jsonl)",
        params: &[],
        outputs: &[],
        formats: &["jsonl"],
    },
];

pub fn question(name: &str) -> Option<&'static Question> {
    QUESTIONS.iter().find(|q| q.name == name)
}

/// A request's query parameters.
#[derive(Debug, Default, Clone)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    pub fn parse(query: Option<&str>) -> Params {
        Params(
            form_urlencoded::parse(query.unwrap_or("").as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    pub fn one(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    pub fn list(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    }

    pub fn date(&self, name: &str) -> Result<Option<NaiveDate>, Problem> {
        self.one(name)
            .map(|t| {
                NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|e| {
                    Problem::bad_request("parameter", format!("{name}=`{t}` is not a date ({e})"))
                        .hint("dates are YYYY-MM-DD, such as 2023-11-17")
                })
            })
            .transpose()
    }

    pub fn flag(&self, name: &str) -> Result<bool, Problem> {
        match self.one(name) {
            None | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some(other) => Err(Problem::bad_request(
                "parameter",
                format!("{name}=`{other}` is not true or false"),
            )),
        }
    }

    pub fn integer(&self, name: &str) -> Result<Option<u64>, Problem> {
        self.one(name)
            .map(|t| {
                t.parse::<u64>().map_err(|_| {
                    Problem::bad_request("parameter", format!("{name}=`{t}` is not a whole number"))
                })
            })
            .transpose()
    }

    /// Refuses any parameter that `allowed` does not name, and any required
    /// one missing, by name.
    pub fn check(&self, allowed: &[&[Param]]) -> Result<(), Problem> {
        let known: Vec<&Param> = allowed.iter().flat_map(|ps| ps.iter()).collect();
        for (k, _) in &self.0 {
            if !known.iter().any(|p| p.name == k) {
                let names: Vec<&str> = known.iter().map(|p| p.name).collect();
                let mut p = Problem::bad_request("parameter", format!("no parameter `{k}` here"));
                p.hint = Some(
                    boardroom::did_you_mean(k, names.iter().copied())
                        .unwrap_or_else(|| format!("parameters here: {}", names.join(", "))),
                );
                return Err(p);
            }
        }
        for p in known.iter().filter(|p| p.required) {
            if self.one(p.name).is_none() && self.list(p.name).is_empty() {
                return Err(Problem::bad_request(
                    "parameter",
                    format!("`{}` is needed: {}", p.name, p.about),
                ));
            }
        }
        Ok(())
    }
}

/// The most Monte Carlo samples one request may ask for: each sample costs
/// a pass over the players, so many more would hold a worker for minutes
/// on a large body.
pub const MAX_SAMPLES: u64 = 10_000_000;

/// The most coalitions one request may list.
pub const MAX_LISTED: u64 = 10_000;

/// An answer as sent: its body and media type.
pub struct Reply {
    pub body: String,
    pub media: &'static str,
}

const JSON: &str = "application/json";

fn media(format: &str) -> &'static str {
    match format {
        "json" => JSON,
        "svg" => "image/svg+xml",
        "html" => "text/html; charset=utf-8",
        "markdown" => "text/markdown; charset=utf-8",
        "dot" => "text/vnd.graphviz; charset=utf-8",
        "jsonl" => "application/jsonl",
        _ => "text/plain; charset=utf-8",
    }
}

/// Asks question `q` of `s` with `params` (already checked against the
/// question's table).
pub fn ask(s: &Structure, q: &Question, params: &Params) -> Result<Reply, Problem> {
    let format = params.one("format").unwrap_or("json");
    if format != "json" && !q.formats.contains(&format) {
        let mut all = vec!["json"];
        all.extend_from_slice(q.formats);
        return Err(Problem::bad_request(
            "parameter",
            format!("no format `{format}` for {}", q.name),
        )
        .hint(format!("formats: {}", all.join(", "))));
    }
    let as_of = params.date("as_of")?;
    let pair = |a: Result<answer::Answer, boardroom::question::QuestionError>| {
        a.map_err(Problem::question).map(|a| {
            if format == "text" {
                Reply {
                    body: a.text,
                    media: media("text"),
                }
            } else {
                Reply {
                    body: a.json,
                    media: JSON,
                }
            }
        })
    };
    let whole = |r: Result<String, boardroom::question::QuestionError>| {
        r.map_err(Problem::question).map(|body| Reply {
            body,
            media: media(format),
        })
    };
    match q.name {
        "state" => pair(answer::state(s, as_of)),
        "control" => pair(answer::control(
            s,
            as_of,
            params.flag("senior_official_fallback")?,
        )),
        "replay" => {
            let (against, absent) = (params.list("against"), params.list("absent"));
            if against.is_empty() && absent.is_empty() {
                pair(Ok(answer::replay(s)))
            } else {
                pair(answer::what_if(s, &against, &absent))
            }
        }
        "block" => pair(answer::block(
            s,
            params.one("event").unwrap_or(""),
            &params.list("group"),
        )),
        "power" => {
            let indices = params.list("indices");
            let indices = if indices.is_empty() {
                boardroom_power::Index::ALL.to_vec()
            } else {
                indices
                    .iter()
                    .map(|i| {
                        i.parse::<boardroom_power::Index>().map_err(|_| {
                            let known: Vec<&str> = boardroom_power::Index::ALL
                                .iter()
                                .map(|x| x.name())
                                .collect();
                            Problem::bad_request("parameter", format!("no power index `{i}`"))
                                .hint(format!("indices: {}", known.join(", ")))
                        })
                    })
                    .collect::<Result<_, _>>()?
            };
            let limit = params.integer("limit")?.unwrap_or(20);
            if limit > MAX_LISTED {
                return Err(Problem::bad_request(
                    "parameter",
                    format!("limit={limit} lists more coalitions than this server does"),
                )
                .hint(format!(
                    "at most {MAX_LISTED}; the counts are exact whatever the limit"
                )));
            }
            if let Some(n) = params.integer("approx")?
                && !(1..=MAX_SAMPLES).contains(&n)
            {
                return Err(Problem::bad_request(
                    "parameter",
                    format!("approx={n} samples is more than this server draws for one request"),
                )
                .hint(format!(
                    "at most {MAX_SAMPLES} (a 95% interval of about ±0.0003 on each index); for more, run `boardroom power --approx` on your own machine"
                )));
            }
            let options = boardroom_power::Options {
                indices,
                coalitions: params.flag("coalitions")?,
                limit: limit as usize,
                approx: params
                    .integer("approx")?
                    .map(|samples| boardroom_power::Approx {
                        samples,
                        seed: params.integer("seed").ok().flatten().unwrap_or(1),
                    }),
                ..boardroom_power::Options::default()
            };
            let question = PowerQuestion::Body {
                s,
                body: params.one("body").unwrap_or(""),
                decision: params.one("decision").unwrap_or(""),
                subject: params.one("subject"),
                as_of,
            };
            pair(
                answer::power(&question, &options, &params.list("can_block")).map_err(|e| {
                    boardroom::question::QuestionError {
                        hint: e.hint.map(|h| {
                            h.replace(
                                "pass approx mode (a sample count and a seed)",
                                "pass approx=SAMPLES (and seed=)",
                            )
                        }),
                        ..e
                    }
                }),
            )
        }
        "waterfall" => {
            let amount = |name: &str| {
                params
                    .one(name)
                    .map(boardroom::question::amount)
                    .transpose()
                    .map_err(Problem::question)
            };
            let compare = params.flag("compare")?;
            let what = match (amount("amount")?, amount("cumulative_to")?) {
                (Some(_), Some(_)) => {
                    return Err(Problem::bad_request(
                        "parameter",
                        "both amount and cumulative_to were given",
                    )
                    .hint("amount= distributes one amount; cumulative_to= every amount up to it"));
                }
                (Some(x), None) if compare => Distribute::Compare(x),
                (Some(x), None) => Distribute::Amount(x),
                (None, Some(_)) if compare => {
                    return Err(Problem::bad_request(
                        "parameter",
                        "compare=true compares one amount",
                    )
                    .hint("give amount= with compare=true"));
                }
                (None, Some(x)) => Distribute::Cumulative(x),
                (None, None) => Distribute::Ledger,
            };
            pair(answer::waterfall(s, params.one("entity"), as_of, what))
        }
        "lookthrough" => pair(answer::lookthrough(s, as_of)),
        "graph" => whole(answer::graph(s, as_of, format)),
        "diff" => {
            let (Some(from), Some(to)) = (params.date("from")?, params.date("to")?) else {
                return Err(Problem::bad_request(
                    "parameter",
                    "from= and to= are needed",
                ));
            };
            pair(answer::diff(s, from, to))
        }
        "report" => whole(answer::report(s, as_of, format)),
        "bods" => whole(answer::json(&boardroom_formats::bods::export(s))),
        other => Err(Problem::new(
            StatusCode::NOT_FOUND,
            "unknown-question",
            format!("no question `{other}`"),
        )),
    }
}
