//! The rulebook: which rule governs a body's decision, with the statutory
//! defaults that apply where a structure states none.
//!
//! The defaults are the Delaware General Corporation Law's, each cited to
//! its subsection and checked against the statute's text:
//!
//! | body, decision | quorum | to carry | by written consent | source |
//! |---|---|---|---|---|
//! | board, any | majority of the total number of directors | majority of the directors present | all directors in office | §141(b), §141(f) |
//! | board, fill a vacancy | none ("although less than a quorum") | majority of the directors then in office | all directors in office | §223(a)(1) |
//! | board, remove a director | — | no power: directors are removed by the stockholders (members), §141(k) | — | §141(k) |
//! | board of a nonstock corporation with no other members, remove a director | none | majority of the directors then in office, who are its members | same | §102(a)(4), §141(j), §141(k) |
//! | committee, any | majority of the directors then serving on it | majority of the members present | all its members | §141(c)(4), §141(f) |
//! | stockholders, any | majority of the shares entitled to vote | majority of the shares present | holders of a majority of all shares | §216(1)–(2), §228(a) |
//! | stockholders, elect a director | majority of the shares entitled to vote | a plurality of the shares present | holders of a majority of all shares | §216(3), §228(a), §211(b) |
//! | stockholders, remove a director | none | majority of the shares then entitled to vote | same | §141(k), §228(a) |
//! | a class, any | majority of the class's shares | majority of the class's shares present | majority of the class's shares | §216(4), §228(a) |
//! | members (nonstock), any | one third of the members | majority of the members present | majority of all members | §215(c)(1)–(2), §228(a) |
//! | members, elect a director | one third of the members | a plurality of the members present | majority of all members | §215(c)(3) |
//! | members, remove a director | none | majority of the members then entitled to vote | same | §141(k) by §141(j) |
//!
//! The DGCL governs corporations. For an LLC, a partnership, a trust or a
//! fund, governance is set by its agreement; the same defaults are applied
//! by analogy and marked as an assumption.

use crate::model::{
    ActKind, Basis, Body, BodyKind, Event, Notice, PartyKind, Role, Rule, Structure,
};
use crate::quota::{Base, Quota};

/// A rule as applied: the rule, and whether it was stated or defaulted.
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedRule {
    pub rule: Rule,
    /// A short name for explanations: the rule's id, or where it came from.
    pub name: String,
    /// Whether the rule is a statutory default (the structure states none).
    pub defaulted: bool,
    /// Why the body has no power to take the decision at all, when it has
    /// none (a board removing a director of a stock corporation).
    pub no_power: Option<String>,
}

const ALL_IN_OFFICE: Quota = Quota::Fraction {
    num: 1,
    den: 1,
    strict: false,
    base: Base::SeatsInOffice,
};

/// Whether the DGCL governs `entity`: a corporation or a nonstock
/// (nonprofit) corporation of Delaware (`US-DE`), or of no stated
/// jurisdiction. `None` when the entity is not in the structure.
fn dgcl_governs(s: &Structure, entity: &str) -> Option<bool> {
    s.party(entity).map(|p| {
        matches!(p.kind, PartyKind::Corporation | PartyKind::Nonprofit)
            && p.jurisdiction.as_deref().is_none_or(|j| j == "US-DE")
    })
}

fn statute(
    body: &Body,
    decision: &str,
    quorum: Option<Quota>,
    threshold: Quota,
    consent: Quota,
    citation: &str,
    what: &str,
) -> AppliedRule {
    AppliedRule {
        rule: Rule {
            id: None,
            body: body.id.clone(),
            decision: decision.to_string(),
            quorum,
            threshold,
            ineligible: Vec::new(),
            notice: Some(Notice::None),
            written_consent: Some(consent),
            all: Vec::new(),
            any: Vec::new(),
            basis: Basis::Statute,
            source: None,
            note: Some(format!("statutory default: {citation}: {what}")),
        },
        name: format!("statutory default ({citation})"),
        defaulted: true,
        no_power: None,
    }
}

/// A statutory default for an entity the DGCL does not govern (an LLC, a
/// partnership): applied by analogy, and so an assumption.
fn by_analogy(s: &Structure, body: &Body, mut rule: AppliedRule) -> AppliedRule {
    if dgcl_governs(s, &body.entity) == Some(false) {
        let party = s.party(&body.entity);
        let kind = party.map_or("entity", |p| p.kind.label());
        let foreign = party
            .filter(|p| matches!(p.kind, PartyKind::Corporation | PartyKind::Nonprofit))
            .and_then(|p| p.jurisdiction.as_deref());
        let why = match foreign {
            Some(j) => format!(
                "a {kind} of {j} is governed by its own statute, which boardroom's rulebook does not hold; state the body's rule"
            ),
            None => format!("an {kind}'s governance is set by its agreement, not the DGCL"),
        };
        rule.rule.basis = Basis::Assumption;
        rule.rule.note = Some(format!(
            "{}; applied by analogy: {why}",
            rule.rule.note.unwrap_or_default()
        ));
        rule.name = format!("{} by analogy", rule.name);
    }
    rule
}

/// The statutory default rule for a body of this kind, for any decision.
pub fn statutory_default(s: &Structure, body: &Body) -> AppliedRule {
    let rule = match body.kind {
        BodyKind::Board => statute(
            body,
            "*",
            Some(Quota::majority(Base::TotalSeats)),
            Quota::majority(Base::Present),
            ALL_IN_OFFICE,
            "DGCL §141(b) and §141(f)",
            "a majority of the total number of directors is a quorum; the vote of a majority of the directors present at a meeting with a quorum is the act of the board; without a meeting, the written consent of all its members",
        ),
        BodyKind::Committee => statute(
            body,
            "*",
            Some(Quota::majority(Base::SeatsInOffice)),
            Quota::majority(Base::Present),
            ALL_IN_OFFICE,
            "DGCL §141(c)(4) and §141(f)",
            "a majority of the directors then serving on the committee is a quorum; the vote of a majority of the members present is the act of the committee; without a meeting, the written consent of all its members",
        ),
        BodyKind::Members => statute(
            body,
            "*",
            Some(Quota::Fraction {
                num: 1,
                den: 3,
                strict: false,
                base: Base::SeatsInOffice,
            }),
            Quota::majority(Base::Present),
            Quota::majority(Base::TotalSeats),
            "DGCL §215(c)(1)-(2) and §228(a)",
            "one third of the members is a quorum; the vote of a majority of the members present is the act of the members; by written consent, members with the votes that would be needed at a meeting at which all members entitled to vote were present and voted",
        ),
        BodyKind::Shareholders => statute(
            body,
            "*",
            Some(Quota::majority(Base::TotalSeats)),
            Quota::majority(Base::Present),
            Quota::majority(Base::TotalSeats),
            "DGCL §216(1)-(2) and §228(a)",
            "a majority of the shares entitled to vote is a quorum; the vote of a majority of the shares present is the act of the stockholders; by written consent, the holders of the votes that would be needed at a meeting at which all shares entitled to vote were present and voted",
        ),
        BodyKind::Class => statute(
            body,
            "*",
            Some(Quota::majority(Base::TotalSeats)),
            Quota::majority(Base::Present),
            Quota::majority(Base::TotalSeats),
            "DGCL §216(4) and §228(a)",
            "a majority of the outstanding shares of the class is a quorum; the vote of a majority of the class's shares present is the act of the class",
        ),
    };
    by_analogy(s, body, rule)
}

/// A statutory rule for one kind of decision that a body's general (`*`)
/// rule does not displace: filling a board vacancy (§223(a)(1)), electing
/// and removing directors (§216(3), §215(c)(3), §141(k)).
pub fn statutory_specific(s: &Structure, body: &Body, decision: &str) -> Option<AppliedRule> {
    let rule = match (body.kind, statutory_kind(decision)) {
        (BodyKind::Board, "appoint-director") => statute(
            body,
            decision,
            None,
            Quota::majority(Base::SeatsInOffice),
            ALL_IN_OFFICE,
            "DGCL §223(a)(1)",
            "vacancies are filled by a majority of the directors then in office, although less than a quorum",
        ),
        (BodyKind::Board, "remove-director") => {
            let nonstock = s
                .party(&body.entity)
                .is_some_and(|p| p.kind == PartyKind::Nonprofit);
            let self_perpetuating = body.filled_by.as_ref().is_none_or(|f| f == &body.id);
            let other_members = s.body.iter().any(|b| {
                b.entity == body.entity
                    && matches!(b.kind, BodyKind::Members | BodyKind::Shareholders)
            });
            if nonstock && self_perpetuating && !other_members {
                statute(
                    body,
                    decision,
                    None,
                    Quota::majority(Base::SeatsInOffice),
                    Quota::majority(Base::SeatsInOffice),
                    "DGCL §102(a)(4), §141(j) and §141(k)",
                    "a nonstock corporation whose directors elect their successors has its directors as its members, and a director is removed by a majority of the members then entitled to vote, the director concerned among them",
                )
            } else {
                let mut r = statute(
                    body,
                    decision,
                    None,
                    Quota::majority(Base::SeatsInOffice),
                    ALL_IN_OFFICE,
                    "DGCL §141(k)",
                    "a director is removed by the holders of a majority of the shares (in a nonstock corporation, the members) then entitled to vote, not by the other directors",
                );
                r.no_power = Some(
                    "under DGCL §141(k) a director is removed by the stockholders (members), not by the board; the board may remove one only under a rule the structure states for `remove-director`".into(),
                );
                r
            }
        }
        (BodyKind::Shareholders | BodyKind::Class, "appoint-director") => statute(
            body,
            decision,
            Some(Quota::majority(Base::TotalSeats)),
            Quota::Plurality,
            Quota::majority(Base::TotalSeats),
            "DGCL §216(3), §228(a) and §211(b)",
            "directors are elected by a plurality of the votes of the shares present; by written consent, the holders of a majority of all shares (less than unanimous consent elects only to vacant seats, §211(b))",
        ),
        (BodyKind::Members, "appoint-director") => statute(
            body,
            decision,
            Some(Quota::Fraction {
                num: 1,
                den: 3,
                strict: false,
                base: Base::SeatsInOffice,
            }),
            Quota::Plurality,
            Quota::majority(Base::TotalSeats),
            "DGCL §215(c)(3) and §228(a)",
            "members elect directors by a plurality of the votes of the members present",
        ),
        (BodyKind::Shareholders | BodyKind::Class, "remove-director") => statute(
            body,
            decision,
            None,
            Quota::majority(Base::TotalSeats),
            Quota::majority(Base::TotalSeats),
            "DGCL §141(k) and §228(a)",
            "a director is removed, with or without cause, by the holders of a majority of the shares then entitled to vote at an election of directors",
        ),
        (BodyKind::Members, "remove-director") => statute(
            body,
            decision,
            None,
            Quota::majority(Base::TotalSeats),
            Quota::majority(Base::TotalSeats),
            "DGCL §141(k), applied to members by §141(j)",
            "a director is removed by a majority of the members then entitled to vote",
        ),
        _ => return None,
    };
    Some(by_analogy(s, body, rule))
}

/// The decision a statute names, from the words a structure may use for
/// it: electing directors (`elect-director`, `elect-directors`,
/// `appoint-directors`) is `appoint-director`, the kind an appointment to a
/// board is given; `remove-directors` is `remove-director`. A stated rule
/// is still matched by the structure's own word first.
pub fn statutory_kind(decision: &str) -> &str {
    match decision {
        "elect-director" | "elect-directors" | "appoint-directors" => "appoint-director",
        "remove-directors" => "remove-director",
        d => d,
    }
}

/// The rule `body` follows for `decision` among `rules`: the stated rule
/// for that decision, else a statutory rule specific to the decision
/// ([`statutory_specific`]), else the body's stated `*` rule, else the
/// statutory default for the body.
pub fn rule_for(s: &Structure, rules: &[Rule], body: &Body, decision: &str) -> AppliedRule {
    let exact = rules
        .iter()
        .rev()
        .find(|r| r.body == body.id && r.decision == decision);
    if exact.is_none()
        && let Some(specific) = statutory_specific(s, body, decision)
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
            let default = statutory_default(s, body).rule;
            let quorum_defaulted = rule.quorum.is_none();
            rule.quorum = rule.quorum.or(default.quorum);
            rule.written_consent = rule.written_consent.or(default.written_consent);
            let mut name = rule
                .id
                .clone()
                .unwrap_or_else(|| format!("{} rule for {}", body.id, rule.decision));
            if quorum_defaulted && default.basis == Basis::Assumption {
                // The quorum comes from a statute that does not govern the
                // entity: an assumption, said as such.
                name.push_str(" (quorum: assumed by analogy)");
                rule.basis = Basis::Assumption;
                rule.note = Some(format!(
                    "{}the quorum is not stated: {}",
                    rule.note.map(|n| format!("{n}; ")).unwrap_or_default(),
                    default.note.unwrap_or_default()
                ));
            } else if quorum_defaulted {
                name.push_str(" (quorum: statutory default)");
            }
            AppliedRule {
                rule,
                name,
                defaulted: false,
                no_power: None,
            }
        }
        None => statutory_default(s, body),
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
