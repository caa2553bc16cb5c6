//! One module per command.

pub mod analyse;
pub mod block;
pub mod check;
pub mod control;
pub mod diff;
pub mod example;
pub mod export;
pub mod graph;
pub mod import;
pub mod lookthrough;
pub mod owners;
pub mod power;
pub mod replay;
pub mod report;
pub mod schema;
pub mod serve;
pub mod state;
pub mod token;
pub mod validate;
pub mod waterfall;
