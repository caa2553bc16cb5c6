//! Errors as `application/problem+json` (RFC 9457): a status, a title, what
//! was wrong, a hint, and the located diagnostics when a structure file or
//! an event is at fault.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use boardroom_formats::Located;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// The kind of problem, sent as a URN (`urn:boardroom:problem:unknown-structure`).
    #[serde(rename = "type", serialize_with = "urn")]
    pub kind: &'static str,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Each problem with a structure file or an event, placed in its text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Located>,
}

fn urn<S: serde::Serializer>(code: &&'static str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("urn:boardroom:problem:{code}"))
}

impl Problem {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: code,
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail: detail.into(),
            hint: None,
            diagnostics: Vec::new(),
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Problem {
        self.hint = Some(hint.into());
        self
    }

    pub fn diagnostics(mut self, d: Vec<Located>) -> Problem {
        self.diagnostics = d;
        self
    }

    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, code, detail)
    }

    pub fn not_found(code: &'static str, detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, code, detail)
    }

    /// A fault on the server's side: said plainly, without a panic.
    pub fn internal(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", detail)
            .hint("this is a fault in the server, not in the request; please report it")
    }

    /// A question's refusal (`boardroom::question`): the request asked
    /// something the structure cannot answer.
    pub fn question(e: boardroom::question::QuestionError) -> Problem {
        let mut p = Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "question", e.message);
        p.hint = e.hint;
        p
    }
}

impl From<crate::store::StoreError> for Problem {
    fn from(e: crate::store::StoreError) -> Problem {
        match e {
            crate::store::StoreError::Exists(id) => Problem::new(
                StatusCode::CONFLICT,
                "exists",
                format!("a structure with id `{id}` already exists"),
            )
            .hint("structures are never replaced: append events to it, or choose another id"),
            e => Problem::internal(e.to_string()),
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_string(&self).unwrap_or_else(|_| {
            format!(
                "{{\"type\":\"urn:boardroom:problem:internal\",\"status\":{}}}",
                self.status
            )
        });
        let mut r = (status, body).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"boardroom\""),
            );
        }
        r
    }
}
