//! The rulebook: which rule governs a body's decision, with the statutory
//! defaults that apply where a structure states none.
//!
//! The defaults follow the Delaware General Corporation Law:
//! - boards and committees, §141(b): a quorum is a majority of the total
//!   number of directors, and the act of a majority of the directors present
//!   at a meeting with a quorum is the act of the board; §141(f): the board
//!   may act without a meeting by the written consent of all its members;
//! - members of a nonstock corporation, §215(c): a quorum is one third of
//!   the members entitled to vote, and a majority of those present decides;
//! - stockholders, §216: a quorum is a majority of the shares entitled to
//!   vote, and a majority of the shares present decides; §228: written
//!   consent of the holders of the votes needed at a meeting where all were
//!   present.

use crate::model::{ActKind, Basis, Body, BodyKind, Event, Notice, Role, Rule, Structure};
use crate::quota::{Base, Quota};

/// A rule as applied: the rule, and whether it was stated or defaulted.
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedRule {
    pub rule: Rule,
    /// A short name for explanations: the rule's id, or where it came from.
    pub name: String,
    /// Whether the rule is a statutory default (the structure states none).
    pub defaulted: bool,
}

/// The statutory default rule for a body of this kind.
pub fn statutory_default(body: &Body) -> AppliedRule {
    let (quorum, threshold, consent, citation) = match body.kind {
        BodyKind::Board | BodyKind::Committee => (
            Quota::majority(Base::TotalSeats),
            Quota::majority(Base::Present),
            Quota::Fraction {
                num: 1,
                den: 1,
                strict: false,
                base: Base::SeatsInOffice,
            },
            "DGCL §141(b) and §141(f)",
        ),
        BodyKind::Members => (
            Quota::Fraction {
                num: 1,
                den: 3,
                strict: false,
                base: Base::TotalSeats,
            },
            Quota::majority(Base::Present),
            Quota::majority(Base::TotalSeats),
            "DGCL §215(c) and §228",
        ),
        BodyKind::Shareholders | BodyKind::Class => (
            Quota::majority(Base::TotalSeats),
            Quota::majority(Base::Present),
            Quota::majority(Base::TotalSeats),
            "DGCL §216 and §228",
        ),
    };
    AppliedRule {
        rule: Rule {
            id: None,
            body: body.id.clone(),
            decision: "*".to_string(),
            quorum: Some(quorum),
            threshold,
            ineligible: Vec::new(),
            notice: Some(Notice::None),
            written_consent: Some(consent),
            basis: Basis::Statute,
            source: None,
            note: Some(format!("statutory default: {citation}")),
        },
        name: format!("statutory default ({citation})"),
        defaulted: true,
    }
}

/// A statutory rule for one kind of decision that a body's general (`*`)
/// rule does not displace. DGCL §223(a)(1): unless the bylaws provide
/// otherwise, vacancies on a board may be filled by a majority of the
/// directors then in office, although less than a quorum.
pub fn statutory_specific(body: &Body, decision: &str) -> Option<AppliedRule> {
    if !matches!(body.kind, BodyKind::Board | BodyKind::Committee) || decision != "appoint-director"
    {
        return None;
    }
    let citation = "DGCL §223(a)(1)";
    Some(AppliedRule {
        rule: Rule {
            id: None,
            body: body.id.clone(),
            decision: decision.to_string(),
            quorum: None,
            threshold: Quota::majority(Base::SeatsInOffice),
            ineligible: Vec::new(),
            notice: Some(Notice::None),
            written_consent: Some(Quota::Fraction {
                num: 1,
                den: 1,
                strict: false,
                base: Base::SeatsInOffice,
            }),
            basis: Basis::Statute,
            source: None,
            note: Some(format!(
                "statutory default: {citation}, vacancies filled by a majority of the directors in office, although less than a quorum"
            )),
        },
        name: format!("statutory default ({citation})"),
        defaulted: true,
    })
}

/// The rule `body` follows for `decision` among `rules`: the stated rule
/// for that decision, else a statutory rule specific to the decision
/// ([`statutory_specific`]), else the body's stated `*` rule, else the
/// statutory default for the body.
pub fn rule_for(rules: &[Rule], body: &Body, decision: &str) -> AppliedRule {
    let exact = rules
        .iter()
        .rev()
        .find(|r| r.body == body.id && r.decision == decision);
    if exact.is_none()
        && let Some(specific) = statutory_specific(body, decision)
    {
        return specific;
    }
    let stated = exact.or_else(|| {
        rules
            .iter()
            .rev()
            .find(|r| r.body == body.id && r.decision == "*")
    });
    match stated {
        Some(rule) => {
            let mut rule = rule.clone();
            let default = statutory_default(body).rule;
            let quorum_defaulted = rule.quorum.is_none();
            rule.quorum = rule.quorum.or(default.quorum);
            rule.written_consent = rule.written_consent.or(default.written_consent);
            let mut name = rule
                .id
                .clone()
                .unwrap_or_else(|| format!("{} rule for {}", body.id, rule.decision));
            if quorum_defaulted {
                name.push_str(" (quorum: statutory default)");
            }
            AppliedRule {
                rule,
                name,
                defaulted: false,
            }
        }
        None => statutory_default(body),
    }
}

/// The decision kind an event stands for: its `decision`, or one inferred
/// from the act (`remove-officer`, `appoint-director`, `remove-chair`, ...).
pub fn decision_kind(structure: &Structure, event: &Event) -> String {
    if let Some(d) = &event.decision {
        return d.clone();
    }
    let verb = match event.act {
        ActKind::Appoint => "appoint",
        ActKind::Remove => "remove",
        ActKind::Resign => "resign",
        ActKind::Issue => return "issue-interest".to_string(),
        ActKind::Transfer => return "transfer-interest".to_string(),
        ActKind::EndInterest => return "end-interest".to_string(),
        ActKind::AmendRule => return "amend-rules".to_string(),
        ActKind::Declare => {
            return format!(
                "declare-{}",
                event.declaration.as_deref().unwrap_or("declaration")
            );
        }
        ActKind::Meeting => return "meeting".to_string(),
    };
    let object = if event.office.is_some() {
        "officer"
    } else if event.role == Some(Role::Chair) {
        "chair"
    } else {
        match event
            .body
            .as_deref()
            .and_then(|b| structure.body(b))
            .map(|b| b.kind)
        {
            Some(BodyKind::Board | BodyKind::Committee) => "director",
            _ => "member",
        }
    };
    format!("{verb}-{object}")
}
