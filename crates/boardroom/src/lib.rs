//! boardroom: governance as code.
//!
//! A [`Structure`] describes parties, the bodies that decide for entities,
//! offices, the rules bodies vote by, interests (typed with the BODS 0.4
//! codelist) and a timeline of dated events. From it the library derives:
//!
//! - the [`State`] on any date, folding the timeline ([`state_as_of`]),
//!   with a [`Verdict`] on every act explaining why it was valid or not
//!   ([`replay`]);
//! - who controls each entity, by what right, through which chain
//!   ([`control`]);
//! - whether a group could have blocked an act ([`could_block`]);
//! - the graph of ownership and control ([`graph`]).
//!
//! The library is pure: no files, no network, no clock. It never panics on
//! user input; problems are [`Diagnostic`]s that name a [`Path`] in the
//! structure.
//!
//! ```
//! use boardroom::{Structure, replay, validate};
//! let s = Structure::default();
//! assert!(validate(&s).is_empty());
//! assert!(replay(&s).verdicts.is_empty());
//! ```

mod blocking;
mod changes;
mod charter;
mod control;
mod diagnostic;
pub mod envelope;
mod game;
mod graph;
mod group;
mod history;
mod index;
mod lookthrough;
mod model;
pub mod question;
mod quota;
mod record;
pub mod report;
mod rulebook;
mod timeline;
mod validation;

pub use blocking::{BlockAnswer, BlockError, Needed, Strategy, could_block};
pub use changes::{
    Act, Changes, ControlDelta, ControllerOn, InterestChange, InterestDelta, MemberIndex, Named,
    Post, PowerDelta, Seats, changes,
};
pub use charter::{Breach, DatedBreach, breaches, breaches_over_time};
pub use control::{
    CHAIN_SHOWN, CHAINS_KEPT, ControlReport, Controller, Divergence, Economic, EntityControl, Link,
    Officer, SIGNIFICANT_SHARE, SeatsHeld, Stakes, Ultimate, Upstream, board_id, board_name,
    control, control_with, definition, direct_controllers, direct_controllers_with,
    general_meeting, seat_rights, stakes, unit_share,
};
pub use diagnostic::{Diagnostic, Path, Seg, Severity, did_you_mean, one_line};
pub use envelope::{Envelope, Verdicts};
pub use game::{BodyGame, GameError, GroupBlock, GroupPlayer, PowerReport, body_game, group_block};
pub use graph::{EdgeKind, Graph, GraphEdge, GraphNode, Omitted, graph};
pub use history::dated_interests;
pub use lookthrough::{LookThrough, LookThroughError, LookThroughInterest, lookthrough};
pub use model::*;
pub use quota::{Base, Quota, QuotaError, in_words as quota_in_words};
pub use record::{Dated, InForce, RecordHistory};
pub use rulebook::{AppliedRule, decision_kind, rule_for, statutory_default, statutory_specific};
pub use timeline::{
    Ballots, Count, Decision, Declaration, Ineligible, Meeting, NoticeCheck, Outcome, Replay,
    RuleUsed, State, UNNAMED_HOLDERS, Verdict, condition_text, replay, state_as_of, state_before,
    summary,
};
pub use validation::{Unreadable, validate, validate_partial};
