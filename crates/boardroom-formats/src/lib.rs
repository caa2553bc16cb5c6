//! Readers and writers for boardroom: structure files (TOML and JSON, with
//! located diagnostics), the embedded scenarios, the JSON Schema of the
//! structure format, and pictures of the graph (DOT and Mermaid).
//!
//! ```
//! let loaded = boardroom_formats::load("openai.toml", boardroom_formats::scenario("openai-2023").unwrap().text)
//!     .expect("the embedded scenario is valid");
//! assert_eq!(loaded.structure.scenario.id, "openai-2023");
//! ```

pub mod answer;
pub mod bods;
pub mod bods_validation;
mod document;
pub mod gleif;
pub mod ocf;
mod page;
mod picture;
mod scenario;
mod schema;
mod statement_array;
mod structure_file;
pub mod text;

pub use document::{Node, SyntaxError, Value, line_col, parse_json, parse_toml};
pub use page::{report_html, report_markdown};
pub use picture::{graph_title, to_dot, to_mermaid, to_svg};
pub use scenario::{SCENARIOS, Scenario, scenario};
pub use schema::{SCHEMAS, schema, structure_schema};
pub use structure_file::{Checked, ItemText, Loaded, Located, Syntax, load, read_item, to_toml};
