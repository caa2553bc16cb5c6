//! The web UI: a page and its assets, embedded in the binary (no build
//! step and nothing fetched from elsewhere at run time).

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::problem::Problem;

/// Each asset: its name under `/ui/`, media type and text.
const ASSETS: &[(&str, &str, &str)] = &[
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../ui/app.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("../ui/app.css"),
    ),
    (
        "cytoscape.min.js",
        "text/javascript; charset=utf-8",
        include_str!("../ui/vendor/cytoscape.min.js"),
    ),
    (
        "cytoscape-dagre.min.js",
        "text/javascript; charset=utf-8",
        include_str!("../ui/vendor/cytoscape-dagre.min.js"),
    ),
    (
        "LICENSE.cytoscape",
        "text/plain; charset=utf-8",
        include_str!("../ui/vendor/LICENSE.cytoscape"),
    ),
    (
        "LICENSE.cytoscape-dagre",
        "text/plain; charset=utf-8",
        include_str!("../ui/vendor/LICENSE.cytoscape-dagre"),
    ),
    (
        "LICENSE.dagre",
        "text/plain; charset=utf-8",
        include_str!("../ui/vendor/LICENSE.dagre"),
    ),
];

fn with_type(body: &'static str, media: &'static str) -> Response {
    let mut r = body.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    r
}

pub async fn index() -> Response {
    with_type(include_str!("../ui/index.html"), "text/html; charset=utf-8")
}

pub async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, media, body)) => {
            let mut r = with_type(body, media);
            r.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            r
        }
        None => Problem::not_found("not-found", format!("no asset `{file}`")).into_response(),
    }
}
