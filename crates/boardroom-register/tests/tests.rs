//! Integration tests: the official BODS 0.4 examples, GLEIF data, the
//! reader's handling of damaged and truncated input, and property tests.

use boardroom_register::*;
use std::fmt::Write as _;

const BODS: &str = "../../fixtures/bods/examples";
const GLEIF_RR: &str = "../../fixtures/gleif/rr-sample-400.csv";

fn path(p: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn load_bytes(bytes: &[u8]) -> (Graph, Analysis, ReadSummary, RegisterReport) {
    let (g, s, r) = read_register(
        bytes,
        &ReadOptions::default(),
        &RegisterOptions::default(),
        &Silent,
    )
    .expect("read");
    let a = Analysis::run(&g, &AnalysisOptions::default(), &Silent);
    (g, a, s, r)
}

fn load(file: &str) -> (Graph, Analysis, ReadSummary, RegisterReport) {
    let bytes = std::fs::read(path(&format!("{BODS}/{file}"))).expect("example file");
    load_bytes(&bytes)
}

fn label(g: &Graph, n: NodeId) -> String {
    g.name(n).map_or_else(|| g.id(n).to_owned(), str::to_owned)
}

/// Every entity with its ultimate parties, one line per pair, sorted.
fn describe(g: &Graph, a: &Analysis) -> String {
    let mut lines = Vec::new();
    for n in g.nodes().filter(|&n| g.kind(n) == NodeKind::Entity) {
        let us = a.ultimates(g, n);
        if us.is_empty() {
            lines.push(format!("{}: no parties", label(g, n)));
        }
        for u in us {
            let mut l = format!(
                "{} <- {} ({})",
                label(g, n),
                label(g, u.party),
                g.kind(u.party).as_str()
            );
            if u.is_owner() {
                write!(l, " owns {}", u.share).ok();
            }
            if u.is_controller() {
                l.push_str(" controls");
            }
            if u.is_top() {
                l.push_str(" top");
            }
            write!(l, " depth {}..{}", u.min_depth, u.max_depth).ok();
            if u.via_cycle {
                l.push_str(" via-cycle");
            }
            lines.push(l);
        }
    }
    lines.sort();
    lines.join("\n")
}

fn check(file: &str, expect: &str) {
    let (g, a, s, _) = load(file);
    assert_eq!(s.problem_count, 0, "{file}: {:?}", s.problems);
    assert_eq!(s.format, Format::JsonArray);
    let got = describe(&g, &a);
    assert_eq!(got.trim(), expect.trim(), "{file}\n--- got ---\n{got}");
}

// ---- the ten official BODS 0.4 examples -------------------------------

#[test]
fn example_direct_ownership_package() {
    check(
        "bods-package.json",
        "Profitech Ltd <- Jennifer Hewitson-Smith (person) owns 100% controls top depth 1..1",
    );
}

#[test]
fn example_joint_ownership_through_an_arrangement() {
    // The arrangement holds 100% (control); each person 50% of it, so 50%
    // of CHRINON each, and neither controls.
    check(
        "joint-ownership.json",
        "CHRINON LTD <- Joint shareholding (entity) controls depth 1..1
CHRINON LTD <- Natalie Coleman (person) owns 50% top depth 2..2
CHRINON LTD <- Roberto Lopez (person) owns 50% top depth 2..2
Joint shareholding <- Natalie Coleman (person) owns 50% top depth 1..1
Joint shareholding <- Roberto Lopez (person) owns 50% top depth 1..1",
    );
}

#[test]
fn example_mixed_direct_and_indirect_sums_interests_and_skips_components() {
    // 50% indirect + 50% direct on the summary relationship: 100%, control.
    // The component A -> B is superseded by the summary, so it is not
    // counted twice; B's own component relationship still counts for B.
    check(
        "mixed-direct-and-indirect-ownership.json",
        "Company A <- Person 1 (person) owns 100% controls top depth 1..1
Company B <- Person 1 (person) owns unknown [0%, 100%] top depth 1..1",
    );
}

#[test]
fn example_multiple_indirect_uses_the_declared_summary() {
    check(
        "multiple-indirect-ownership.json",
        "Company B <- Person 1 (person) owns 60% controls top depth 1..1
Company C <- Person 1 (person) owns unknown [0%, 100%] top depth 1..1
Company D <- Person 1 (person) owns unknown [0%, 100%] top depth 1..1",
    );
    let (g, _, _, _) = load("multiple-indirect-ownership.json");
    let b = g.node("63e3a8a8946f").expect("Company B");
    let live: Vec<_> = g.edges(b).iter().filter(|e| e.is_live()).collect();
    assert_eq!(live.len(), 1);
    assert!(live[0].flags & edge_flags::INDIRECT != 0);
    assert_eq!(g.edges(b).len(), 3, "components are kept in the graph");
}

#[test]
fn example_state_owned_chain_splits_ownership_and_control() {
    check(
        "bods-package-fi-soe.json",
        "Gasgrid Finland Oy <- Suomen tasavalta (entity) owns 100% controls top depth 1..1
Suomen Kaasuverkko Oy <- Suomen tasavalta (entity) controls top depth 2..2
Suomen Kaasuverkko Oy <- Valtiovarainministerio (entity) owns 100% depth 1..1
Suomen tasavalta: no parties
Valtiovarainministerio <- Suomen tasavalta (entity) controls top depth 1..1",
    );
}

#[test]
fn example_nomination_is_neither_ownership_nor_control() {
    check(
        "nomination.json",
        // The indirect control of Los Corazones stands for its component
        // (a board seat held through the nomination arrangement). Nominator
        // and nominee are neither ownership nor control of the arrangement:
        // no edge (issue 13: the register followed such edges).
        "Los Corazones de Plata <- Silvia Teixeira Perez (person) controls top depth 1..1
Perez-Rivero nomination: no parties",
    );
}

#[test]
fn example_trust_trustees_control_together_anonymous_beneficiary_owns() {
    check(
        "levent.json",
        // The two trustees act together, as the trust's board (issue 14).
        "Levent Trust <- 81337a6e (unspecified) owns unknown [0%, 100%] top depth 1..1
Levent Trust <- Trustees of Levent Trust (body) controls top depth 1..1",
    );
}

/// Levent's settlor, Bella Buxton, is declared a beneficial owner
/// (`beneficialOwnershipOrControl: true`), as AMLD art. 3(6)(b) makes a
/// trust's settlor. A settlor is neither ownership nor control here, and
/// the relationship used to be dropped without a word: it is now kept
/// beside the edges, with the trustee role (shown by the body) left out.
/// Her votes of a minority, declared a beneficial ownership too, are kept;
/// a majority's (control, shown by an edge) is not, and then the trustees
/// no longer control as a body, so the other trustee's role is kept. A
/// person with an economic share is shown as an owner: what else is
/// declared of them is not repeated.
#[test]
fn regression_a_settlor_declared_a_beneficial_owner_is_kept_not_dropped() {
    use boardroom::InterestType;
    // Bella's relationship with the trust: its interests.
    fn bella(v: &mut serde_json::Value) -> &mut Vec<serde_json::Value> {
        v.as_array_mut()
            .expect("array")
            .iter_mut()
            .find(|s| s["recordId"] == "ee2a8c79")
            .expect("Bella's relationship")["recordDetails"]["interests"]
            .as_array_mut()
            .expect("interests")
    }
    // What is kept of the trust, as (party, interest type).
    fn declared(v: &serde_json::Value) -> Vec<(String, InterestType)> {
        let (g, _, _, _) = load_bytes(v.to_string().as_bytes());
        let trust = g.node("8e40d059").expect("the trust");
        g.declared(trust)
            .iter()
            .flat_map(|d| d.kinds().map(|k| (g.id(d.party).to_string(), k)))
            .collect()
    }
    let (g, _, _, _) = load("levent.json");
    let trust = g.node("8e40d059").expect("the trust");
    let d = g.declared(trust);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(g.id(d[0].party), "d8855000");
    assert_eq!(d[0].kinds().collect::<Vec<_>>(), [InterestType::Settlor]);
    assert_eq!(&*d[0].relationship, "ee2a8c79");
    // The same file with Bella's trustee role taken away: she is no longer
    // on the body, and the settlor's interest is still kept.
    let text = std::fs::read_to_string(path(&format!("{BODS}/levent.json"))).expect("example");
    let mut v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    bella(&mut v).retain(|i| i["type"] == "settlor");
    let settlor = ("d8855000".to_string(), InterestType::Settlor);
    assert_eq!(declared(&v), std::slice::from_ref(&settlor));
    // And a vote: 30% declared a beneficial ownership, 60% too.
    for (share, kept) in [(30, true), (60, false)] {
        let mut v = v.clone();
        bella(&mut v).push(serde_json::json!({"type": "votingRights",
            "directOrIndirect": "direct", "beneficialOwnershipOrControl": true,
            "share": {"exact": share}}));
        let expect = if kept {
            ("d8855000".to_string(), InterestType::VotingRights)
        } else {
            // Bella controls by her votes: the trustees do not control as
            // a body, so Andrew's trustee role, declared, is kept.
            ("700c264e".to_string(), InterestType::Trustee)
        };
        assert_eq!(declared(&v), [expect, settlor.clone()], "{share}%");
    }
    // With a share of the trust, she is an owner, shown as one.
    bella(&mut v).push(serde_json::json!({"type": "beneficiaryOfLegalArrangement",
        "directOrIndirect": "direct", "beneficialOwnershipOrControl": true}));
    assert_eq!(declared(&v), []);
    // No other example declares such an interest.
    for file in [
        "bods-package.json",
        "joint-ownership.json",
        "mixed-direct-and-indirect-ownership.json",
        "multiple-indirect-ownership.json",
        "bods-package-fi-soe.json",
        "nomination.json",
        "listed-company-exempt-from-disclosure.json",
        "fermcat.json",
        "tecido.json",
    ] {
        let (g, _, _, _) = load(file);
        assert!(
            g.all_declared().is_empty(),
            "{file}: {:?}",
            g.all_declared()
        );
    }
}

#[test]
fn example_listed_company_exempt_gives_an_unspecified_party() {
    check(
        "listed-company-exempt-from-disclosure.json",
        "Listed Company OS-17 <- unspecified:subjectExemptFromDisclosure (unspecified) owns unknown [0%, 100%] top depth 1..1",
    );
}

#[test]
fn example_tecido_final_state() {
    // Maria Esteves and her relationship are closed in 2023; the trust's
    // stake was updated to 80%.
    check(
        "tecido.json",
        "Shear Trust: no parties\nTecido Ltd <- Shear Trust (entity) owns 80% controls top depth 1..1",
    );
    let (g, _, _, r) = load("tecido.json");
    assert_eq!(r.updates, 4);
    assert_eq!(r.closures, 2);
    assert_eq!(
        g.kind(g.node("018AF6B3EB").expect("Maria")),
        NodeKind::Closed
    );
}

#[test]
fn example_fermcat_final_state() {
    check(
        "fermcat.json",
        "Fermcat Ltd <- Patrick O'Donohue (person) owns 100% controls top depth 1..1",
    );
}

/// The statements of an example file up to a statementDate, as JSON Lines.
fn until(file: &str, date: &str) -> Vec<u8> {
    let bytes = std::fs::read(path(&format!("{BODS}/{file}"))).expect("example");
    let all: Vec<serde_json::Value> = serde_json::from_slice(&bytes).expect("json");
    let mut out = Vec::new();
    for s in all
        .iter()
        .filter(|s| s["statementDate"].as_str().is_some_and(|d| d <= date))
    {
        out.extend_from_slice(s.to_string().as_bytes());
        out.push(b'\n');
    }
    out
}

#[test]
fn example_tecido_history() {
    let at = |d: &str| {
        let (g, a, s, _) = load_bytes(&until("tecido.json", d));
        assert_eq!(s.format, Format::JsonLines);
        describe(&g, &a)
    };
    assert_eq!(
        at("2020-01-01"),
        "Tecido Ltd <- Maria Esteves (person) owns 100% controls top depth 1..1"
    );
    assert_eq!(
        at("2021-12-31"),
        "Shear Trust: no parties
Tecido Ltd <- Maria Esteves (person) owns 40% top depth 1..1
Tecido Ltd <- Shear Trust (entity) owns 60% controls top depth 1..1"
    );
    assert_eq!(
        at("2022-12-31"),
        "Shear Trust: no parties
Tecido Ltd <- Maria Esteves (person) owns 30% top depth 1..1
Tecido Ltd <- Shear Trust (entity) owns 70% controls top depth 1..1"
    );
}

#[test]
fn example_fermcat_history() {
    let at = |d: &str| {
        let (g, a, _, _) = load_bytes(&until("fermcat.json", d));
        describe(&g, &a)
    };
    let both = "Fermcat Ltd <- Patrick O'Donohue (person) owns 50% top depth 1..1";
    // Two directors with half the shares each: no one holds a majority, so
    // the board controls, as a body.
    let board = "Fermcat Ltd <- Board of Fermcat Ltd (body) controls top depth 1..1";
    assert_eq!(
        at("2020-12-31"),
        format!(
            "{board}\n{both}\nFermcat Ltd <- Riyadh Byrne-Amin (person) owns 50% top depth 1..1"
        )
    );
    // Riyadh's relationship closed with an end date; Declan took his half.
    assert_eq!(
        at("2021-12-31"),
        format!(
            "{board}\nFermcat Ltd <- Declan Byrne-Amin (person) owns 50% top depth 1..1\n{both}"
        )
    );
}

/// The whole example file read as of `date`: the interests in force on
/// that date by the record histories (issue 13: `--as-of` gives the
/// interests in force on any date, from the full record history).
fn as_of(file: &str, date: &str) -> String {
    let bytes = std::fs::read(path(&format!("{BODS}/{file}"))).expect("example file");
    let options = RegisterOptions {
        as_of: Some(date.to_owned()),
        ..RegisterOptions::default()
    };
    let (g, _, _) =
        read_register(&bytes[..], &ReadOptions::default(), &options, &Silent).expect("read");
    let a = Analysis::run(&g, &AnalysisOptions::default(), &Silent);
    describe(&g, &a)
}

/// tecido.json read whole, as of dates across its history: Maria Esteves
/// held everything from 2002; the Shear Trust bought in on 24 September
/// 2021 and grew its stake on 21 September 2022 and 1 March 2023; her
/// record closed on 3 March 2023 without an end date, so her 30% lasts
/// until that statement (two days beside the trust's 80%: the data's own
/// overlap). Regression (2026-12-07 audit): on those days the stated votes
/// add up to 110%, and the trust was reported as controlling by a
/// majority, without a word; it is now a possible controller (as is the
/// board), with a warning that names the contradiction.
#[test]
fn example_tecido_as_of_reads_every_statement() {
    let trust_top = "Shear Trust: no parties";
    // Before its foundingDate the company does not exist.
    assert_eq!(as_of("tecido.json", "2002-03-08"), "");
    assert_eq!(
        as_of("tecido.json", "2010-01-01"),
        "Tecido Ltd <- Maria Esteves (person) owns 100% controls top depth 1..1"
    );
    // The trust exists from its founding on 10 September 2021.
    assert_eq!(
        as_of("tecido.json", "2021-09-23"),
        format!(
            "{trust_top}\nTecido Ltd <- Maria Esteves (person) owns 100% controls top depth 1..1"
        )
    );
    assert_eq!(
        as_of("tecido.json", "2021-09-24"),
        format!(
            "{trust_top}\nTecido Ltd <- Maria Esteves (person) owns 40% top depth 1..1\nTecido Ltd <- Shear Trust (entity) owns 60% controls top depth 1..1"
        )
    );
    assert_eq!(
        as_of("tecido.json", "2022-09-21"),
        format!(
            "{trust_top}\nTecido Ltd <- Maria Esteves (person) owns 30% top depth 1..1\nTecido Ltd <- Shear Trust (entity) owns 70% controls top depth 1..1"
        )
    );
    assert_eq!(
        as_of("tecido.json", "2023-03-02"),
        format!(
            "{trust_top}\nTecido Ltd <- Board of Tecido Ltd (body) top depth 1..1\nTecido Ltd <- Maria Esteves (person) owns 30% top depth 1..1\nTecido Ltd <- Shear Trust (entity) owns 80% top depth 1..1"
        )
    );
    let bytes = std::fs::read(path(&format!("{BODS}/tecido.json"))).expect("example file");
    let on = |date: &str| RegisterOptions {
        as_of: Some(date.to_owned()),
        ..RegisterOptions::default()
    };
    let (g, _, report) = read_register(
        &bytes[..],
        &ReadOptions::default(),
        &on("2023-03-02"),
        &Silent,
    )
    .expect("read");
    let over: Vec<&Warning> = report
        .warnings
        .iter()
        .filter(|w| w.message.contains("add up to more than 100%"))
        .collect();
    assert_eq!(over.len(), 1, "{:?}", report.warnings);
    assert_eq!(&*over[0].record_id, "01B68D7633");
    assert!(
        over[0]
            .message
            .contains("the votes (`018AF6B3EB` 30%, `033E84672B` 80%)"),
        "{}",
        over[0].message
    );
    let trust = g.node("033E84672B").expect("the trust");
    let tecido = g.node("01B68D7633").expect("the company");
    assert!(
        g.edges(tecido)
            .iter()
            .any(|e| e.party == trust && e.flags & edge_flags::MAY_CONTROL != 0),
        "the trust may control"
    );
    // The day after, Maria's record is closed: 80% of 100%, no warning.
    let (_, _, report) = read_register(
        &bytes[..],
        &ReadOptions::default(),
        &on("2023-03-03"),
        &Silent,
    )
    .expect("read");
    assert!(
        !report.warnings.iter().any(|w| w.message.contains("100%")),
        "{:?}",
        report.warnings
    );
    assert_eq!(
        as_of("tecido.json", "2023-03-03"),
        format!("{trust_top}\nTecido Ltd <- Shear Trust (entity) owns 80% controls top depth 1..1")
    );
}

/// fermcat.json read whole: two directors with half the shares each from
/// 11 September 2019 (the board controls, as a body); Riyadh's interests
/// end on 3 April 2021 by the end date his closing statement gives, months
/// before that statement, and Declan holds his half from that day; on 21
/// January 2022 Declan's holding ends and Patrick's is restated as 100%.
#[test]
fn example_fermcat_as_of_reads_every_statement() {
    let board = "Fermcat Ltd <- Board of Fermcat Ltd (body) controls top depth 1..1";
    let patrick = "Fermcat Ltd <- Patrick O'Donohue (person) owns 50% top depth 1..1";
    assert_eq!(
        as_of("fermcat.json", "2019-09-10"),
        "",
        "before its foundingDate"
    );
    assert_eq!(
        as_of("fermcat.json", "2021-04-02"),
        format!(
            "{board}\n{patrick}\nFermcat Ltd <- Riyadh Byrne-Amin (person) owns 50% top depth 1..1"
        )
    );
    assert_eq!(
        as_of("fermcat.json", "2021-04-03"),
        format!(
            "{board}\nFermcat Ltd <- Declan Byrne-Amin (person) owns 50% top depth 1..1\n{patrick}"
        )
    );
    assert_eq!(
        as_of("fermcat.json", "2022-01-20"),
        format!(
            "{board}\nFermcat Ltd <- Declan Byrne-Amin (person) owns 50% top depth 1..1\n{patrick}"
        )
    );
    assert_eq!(
        as_of("fermcat.json", "2022-01-21"),
        "Fermcat Ltd <- Patrick O'Donohue (person) owns 100% controls top depth 1..1"
    );
}

/// The other eight examples have one statement per record: as of a date
/// after every statement they read as their final state, and as of a date
/// before every interest began (and every founding), with no interests.
#[test]
fn examples_as_of_agree_with_their_single_statements() {
    for file in [
        "bods-package.json",
        "joint-ownership.json",
        "mixed-direct-and-indirect-ownership.json",
        "multiple-indirect-ownership.json",
        "bods-package-fi-soe.json",
        "nomination.json",
        "levent.json",
        "listed-company-exempt-from-disclosure.json",
    ] {
        let (g, a, _, _) = load(file);
        assert_eq!(as_of(file, "2030-01-01"), describe(&g, &a), "{file}");
        let early = as_of(file, "1990-01-01");
        assert!(
            early.lines().all(|l| l.ends_with("no parties")),
            "{file} in 1990:\n{early}"
        );
    }
}

/// Shares are kept once per distinct value, but 0.5 and 0.50 are not the
/// same value for later arithmetic (their products round at 28 digits by
/// scale): each keeps its own scale, through the graph and the results.
#[test]
fn equal_shares_keep_their_own_scale() {
    use rust_decimal::Decimal;
    let mut b = GraphBuilder::new();
    let [a, c, m, p, q] = ["a", "c", "m", "p", "q"].map(|id| b.node(id, NodeKind::Entity, None));
    let own = edge_flags::OWNERSHIP;
    b.edge(a, m, ShareRange::exact(Decimal::new(5, 1)), own, "a-m");
    b.edge(c, m, ShareRange::exact(Decimal::new(50, 2)), own, "c-m");
    b.edge(m, p, ShareRange::exact(Decimal::new(1, 0)), own, "m-p");
    b.edge(m, q, ShareRange::exact(Decimal::new(2, 1)), own, "m-q");
    let g = b.build();
    let an = Analysis::run(&g, &AnalysisOptions::default(), &Silent);
    let scales = |n| {
        let mut v: Vec<(String, u32)> = an
            .ultimates(&g, n)
            .iter()
            .map(|u| (g.id(u.party).to_owned(), u.share.lo.scale()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(scales(a), vec![("p".to_owned(), 1), ("q".to_owned(), 2)]);
    assert_eq!(scales(c), vec![("p".to_owned(), 2), ("q".to_owned(), 3)]);
}

/// The graph stores edges grouped by subject, not in the order they were
/// added: each hop must still name its own relationship and share.
#[test]
fn chain_hops_name_their_own_relationships_and_shares() {
    let mut b = GraphBuilder::new();
    let [a, m, p, q] = ["a", "m", "p", "q"].map(|id| b.node(id, NodeKind::Entity, None));
    let pct = |x: i64| ShareRange::percent(rust_decimal::Decimal::from(x));
    b.edge(m, p, pct(60), edge_flags::OWNERSHIP, "m-p");
    b.edge(a, m, pct(50), edge_flags::OWNERSHIP, "a-m");
    b.edge(m, q, pct(40), edge_flags::OWNERSHIP, "m-q");
    let g = b.build();
    let o = owners(&g, a, 10);
    let seen: Vec<(Vec<&str>, String)> = o
        .chains
        .iter()
        .map(|ch| {
            let hops = ch.hops.iter().map(|h| h.relationship.as_str()).collect();
            (hops, ch.share.map(|s| s.to_string()).unwrap_or_default())
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (vec!["a-m", "m-p"], "30%".to_owned()),
            (vec!["a-m", "m-q"], "20%".to_owned())
        ]
    );
    // Past a node's own edges there is no relationship, not the next
    // node's.
    assert_eq!(g.relationship_id(a, 0), "a-m");
    assert_eq!(g.relationship_id(a, 1), "");
    assert_eq!(g.relationship_id(q, 0), "");
}

#[test]
fn owners_lists_chains_with_multiplied_shares() {
    let (g, _, _, _) = load("joint-ownership.json");
    let c = g.node("31c55e425764").expect("CHRINON");
    let o = owners(&g, c, 10);
    assert_eq!(o.chains.len(), 2);
    for ch in &o.chains {
        assert_eq!(ch.hops.len(), 2);
        assert_eq!(
            ch.hops[0].share.map(|s| s.to_string()).as_deref(),
            Some("100%")
        );
        assert_eq!(ch.share.map(|s| s.to_string()).as_deref(), Some("50%"));
        assert!(!ch.control);
        assert_eq!(ch.end, ChainEnd::Top);
    }
}

// ---- the reader -------------------------------------------------------

fn synthetic(n: usize) -> Vec<String> {
    let mut v = Vec::new();
    for i in 0..n {
        v.push(format!(r#"{{"statementId":"se{i}","recordId":"e{i}","recordType":"entity","recordStatus":"new","recordDetails":{{"name":"Entity \"{i}\" Ltd"}}}}"#));
        v.push(format!(r#"{{"statementId":"sp{i}","recordId":"p{i}","recordType":"person","recordDetails":{{"names":[{{"fullName":"Person {i}"}}]}}}}"#));
        let parent = if i % 3 == 0 && i > 0 {
            format!("e{}", i - 1)
        } else {
            format!("p{i}")
        };
        v.push(format!(
            r#"{{"statementId":"sr{i}","recordId":"r{i}","recordType":"relationship","recordDetails":{{"subject":"e{i}","interestedParty":"{parent}","interests":[{{"type":"shareholding","directOrIndirect":"direct","share":{{"exclusiveMinimum":50,"maximum":75}}}}]}}}}"#
        ));
    }
    v
}

/// Records each phase's total and what was advanced.
#[derive(Default)]
struct Recorder(std::sync::Mutex<Vec<(String, Option<u64>, u64)>>);

impl Progress for Recorder {
    fn begin(&self, phase: &str, total: Option<u64>) {
        self.0
            .lock()
            .expect("recorder")
            .push((phase.to_owned(), total, 0));
    }
    fn advance(&self, delta: u64) {
        if let Some(last) = self.0.lock().expect("recorder").last_mut() {
            last.2 += delta;
        }
    }
}

/// Regression (20M product run): the write phase's total was the node
/// count while it advanced per entity, so the bar stopped at 41% and then
/// said done. Every phase now advances exactly to its total.
#[test]
fn every_phase_advances_to_its_total() {
    let bytes = synthetic(70_000).join("\n");
    let p = Recorder::default();
    let (g, _, _) = read_register(
        bytes.as_bytes(),
        &ReadOptions::default(),
        &RegisterOptions::default(),
        &p,
    )
    .expect("read");
    let a = Analysis::run(&g, &AnalysisOptions::default(), &p);
    let rows = write_ultimates(
        &g,
        &a,
        OutputFormat::Csv,
        std::io::sink(),
        &Default::default(),
        &p,
    )
    .expect("writes");
    assert_eq!(rows, 70_000);
    let phases = p.0.into_inner().expect("recorder");
    let names: Vec<&str> = phases.iter().map(|(name, _, _)| name.as_str()).collect();
    assert!(
        names.contains(&"analyse") && names.contains(&"write"),
        "{names:?}"
    );
    // Reading a stream of unknown length has no total.
    for (name, total, done) in phases.iter().filter(|(_, total, _)| total.is_some()) {
        assert_eq!(Some(*done), *total, "phase {name}");
    }
}

fn read_with(bytes: &[u8], chunk: usize, strict: bool) -> Result<(Graph, ReadSummary), ReadError> {
    let opts = ReadOptions {
        chunk_bytes: chunk,
        strict,
        ..ReadOptions::default()
    };
    read_register(bytes, &opts, &RegisterOptions::default(), &Silent).map(|(g, s, _)| (g, s))
}

#[test]
fn jsonl_and_array_give_the_same_graph_whatever_the_chunking() {
    let lines = synthetic(3000);
    let jsonl = lines.join("\n") + "\n";
    let array = format!("[\n  {}\n]\n", lines.join(",\n  "));
    let mut seen = Vec::new();
    for (bytes, fmt) in [
        (jsonl.as_bytes(), Format::JsonLines),
        (array.as_bytes(), Format::JsonArray),
    ] {
        for chunk in [1024, 7919, 1 << 22] {
            let (g, s) = read_with(bytes, chunk, true).expect("read");
            assert_eq!(s.format, fmt);
            assert_eq!(s.statements, 9000);
            let a = Analysis::run(&g, &AnalysisOptions::default(), &Silent);
            seen.push(describe(&g, &a));
        }
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]));
    assert!(
        seen[0].contains(
            "Entity \"3\" Ltd <- Person 2 (person) owns (25%, 56.25%] controls top depth 2..2"
        ),
        "{}",
        &seen[0][..2000]
    );
}

#[test]
fn damaged_lines_are_counted_reported_and_skipped() {
    let mut lines = synthetic(10);
    lines[4] = r#"{"statementId":"bad-1","recordId":"p1","recordType":"person", oops"#.to_owned();
    lines[7] = r#"{"statementId":"bad-2","recordType":"entity","recordDetails":{}}"#.to_owned();
    lines[10] = r#"{"statementId":"bad-3","recordId":"x","recordType":"relationship","recordDetails":{"subject":"e3","interestedParty":"p3","interests":[{"type":"shareholding","share":{"exact":140}}]}}"#.to_owned();
    let jsonl = lines.join("\n") + "\n";
    let (_, s) = read_with(jsonl.as_bytes(), 1024, false).expect("lenient read");
    assert_eq!(s.statements, 27);
    assert_eq!(s.problem_count, 3);
    assert!(!s.truncated);
    let got: Vec<_> = s
        .problems
        .iter()
        .map(|p| (p.line, p.statement_id.as_deref().unwrap_or("?").to_owned()))
        .collect();
    assert_eq!(
        got,
        [
            (5, "bad-1".to_owned()),
            (8, "bad-2".to_owned()),
            (11, "bad-3".to_owned())
        ]
    );
    assert!(
        s.problems[1].message.contains("recordId"),
        "{}",
        s.problems[1]
    );
    assert!(
        s.problems[2].message.contains("share.exact"),
        "{}",
        s.problems[2]
    );
    match read_with(jsonl.as_bytes(), 1024, true) {
        Err(ReadError::Strict(p)) => assert_eq!(p.line, 5),
        other => panic!("strict mode should stop: {other:?}"),
    }
}

/// The statement's UTF-8 is checked once, before parsing (issue 21, item
/// 1): a name with a byte that is not UTF-8 still damages only its own
/// statement, reported on its line with its statementId; the rest are read.
#[test]
fn invalid_utf8_damages_only_its_statement_on_its_line() {
    let lines = synthetic(5);
    let mut bytes = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if i == 3 {
            // Person 1's name, with a lone continuation byte.
            bytes.extend_from_slice(
                br#"{"statementId":"bad-utf8","recordId":"p1","recordType":"person","recordDetails":{"names":[{"fullName":"Ren"#,
            );
            bytes.push(0xA9);
            bytes.extend_from_slice(br#"e"}]}}"#);
        } else {
            bytes.extend_from_slice(l.as_bytes());
        }
        bytes.push(b'\n');
    }
    let (_, s) = read_with(&bytes, 1024, false).expect("lenient read");
    assert_eq!(s.statements, lines.len() as u64 - 1);
    assert_eq!(s.problem_count, 1);
    let p = &s.problems[0];
    assert_eq!((p.line, p.statement_id.as_deref()), (4, Some("bad-utf8")));
    assert!(p.message.contains("invalid UTF-8 at byte 107"), "{p}");
}

/// The statement scanner (issue 21) reads what serde_json reads and no
/// more: damage it meets is reported on its line in serde_json's words,
/// and a statement it leaves to serde_json (an escaped id) is still read.
#[test]
fn the_scanner_reports_damage_on_its_line_in_serde_jsons_words() {
    let mut lines = synthetic(6);
    // Line 2: a repeated field.
    lines[1] = r#"{"statementId":"dup","recordId":"p0","recordId":"p9","recordType":"person","recordDetails":{}}"#.to_owned();
    // Line 6: a share with a leading zero, which JSON does not allow.
    lines[5] = r#"{"statementId":"zero","recordId":"r1","recordType":"relationship","recordDetails":{"subject":"e1","interestedParty":"p1","interests":[{"type":"shareholding","share":{"exact":05}}]}}"#.to_owned();
    // Line 9: a control character inside a string.
    lines[8] = "{\"statementId\":\"ctl\",\"recordId\":\"r2\",\"recordType\":\"relationship\",\"recordDetails\":{\"subject\":\"e2\",\"interestedParty\":\"p\t2\"}}".to_owned();
    // Line 12: a boolean where a string is expected.
    lines[11] =
        r#"{"statementId":"type","recordId":true,"recordType":"relationship","recordDetails":{}}"#
            .to_owned();
    // Line 15: read, through serde_json: the party's id is escaped.
    lines[14] = r#"{"statementId":"esc","recordId":"r4","recordType":"relationship","recordDetails":{"subject":"e4","interestedParty":"\u0070\u0034","interests":[{"type":"shareholding","share":{"exact":60}}]}}"#.to_owned();
    let jsonl = lines.join("\n") + "\n";
    let (g, s) = read_with(jsonl.as_bytes(), 1024, false).expect("lenient read");
    let got: Vec<(u64, &str, &str)> = s
        .problems
        .iter()
        .map(|p| {
            (
                p.line,
                p.statement_id.as_deref().unwrap_or("?"),
                p.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                2,
                "dup",
                "invalid JSON: duplicate field `recordId` at line 1 column 47"
            ),
            (
                6,
                "zero",
                "invalid JSON: invalid number at line 1 column 176"
            ),
            (
                9,
                "ctl",
                "invalid JSON: control character (\\u0000-\\u001F) found while parsing a string at line 1 column 118"
            ),
            (
                12,
                "type",
                "invalid JSON: invalid type: boolean `true`, expected a string at line 1 column 37"
            ),
        ]
    );
    assert_eq!(s.statements, 14);
    // The escaped party is p4, as written.
    let e4 = g.node("e4").expect("e4");
    let p4 = g.node("p4").expect("p4");
    assert!(
        g.edges(e4).iter().any(|e| e.party == p4),
        "e4 is owned by p4"
    );
}

#[test]
fn damaged_array_element_is_skipped() {
    let mut lines = synthetic(5);
    lines[2] = r#"{"statementId":"bad","recordType": 12}"#.to_owned();
    let array = format!("[\n{}\n]", lines.join(",\n"));
    let (_, s) = read_with(array.as_bytes(), 1024, false).expect("read");
    assert_eq!((s.statements, s.problem_count), (14, 1));
    assert_eq!(s.problems[0].line, 4);
}

#[test]
fn truncated_inputs_are_detected() {
    let lines = synthetic(20);
    let jsonl = lines.join("\n");
    let cut = &jsonl.as_bytes()[..jsonl.len() - 30];
    let (_, s) = read_with(cut, 1024, false).expect("read");
    assert!(s.truncated);
    assert_eq!(s.statements, 59);
    assert_eq!(s.problems[0].kind, ProblemKind::Truncated);
    assert_eq!(s.problems[0].line, 60);
    assert_eq!(s.problems[0].statement_id.as_deref(), Some("sr19"));
    // A complete last line without a newline is fine.
    let (_, s) = read_with(jsonl.as_bytes(), 1024, false).expect("read");
    assert_eq!((s.statements, s.truncated), (60, false));
    // An array that never closes.
    let array = format!("[{}", lines.join(","));
    let (_, s) = read_with(array.as_bytes(), 1024, false).expect("read");
    assert!(s.truncated);
    assert_eq!(s.statements, 60);
    let array = format!("[{}", lines.join(","));
    let cut = &array.as_bytes()[..array.len() - 10];
    let (_, s) = read_with(cut, 1024, false).expect("read");
    assert!(s.truncated);
    assert_eq!(s.statements, 59);
}

// ---- GLEIF ------------------------------------------------------------

#[test]
fn gleif_sample_counts_and_ultimate_parents() {
    let f = std::fs::File::open(path(GLEIF_RR)).expect("rr sample");
    let mut b = GleifBuilder::new();
    let problems = read_relationships(f, |r| b.add(&r)).expect("csv");
    assert!(problems.is_empty());
    // Derived from the file: 400 records; ACTIVE: 200 ultimate, 185 direct,
    // 2 branches; 13 INACTIVE; 435 distinct LEIs.
    assert_eq!(
        b.counts,
        GleifCounts {
            records: 400,
            active: 387,
            direct: 185,
            ultimate: 200,
            fund_managed: 0,
            subfund: 0,
            feeder: 0,
            branch: 2,
            inactive: 13
        }
    );
    let (g, a, res) = b.resolve(&Silent);
    assert_eq!(g.node_count(), 435);
    assert_eq!(res.children, 185);
    assert_eq!(res.pairs.len(), 185);
    // The sample does not hold every chain: a declared ultimate parent two
    // levels up is often missing from it.
    assert_eq!(
        (res.agree, res.disagree, res.undeclared, res.cyclic),
        (99, 63, 23, 0)
    );
    // Every difference is the sample's: each chain stops at an entity with
    // no parent record in it (and no exception, none being given).
    assert_eq!(
        (
            res.disagree_leaves_file,
            res.disagree_exception,
            res.disagree_inactive
        ),
        (63, 0, 0)
    );
    assert_eq!(a.stats.depth_histogram.iter().skip(2).sum::<u64>(), 11);
}

/// A seeded xorshift source: each call gives a number below its argument.
fn xorshift(mut state: u64) -> impl FnMut(u64) -> u64 {
    move |m| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % m
    }
}

/// A ring of `n` entities, each holding 60% of the next, and `persons`
/// people, person `i` holding 10% of entity `i`.
fn ring(n: u32, persons: u32) -> Graph {
    use rust_decimal::Decimal;
    let mut b = GraphBuilder::new();
    for i in 0..n {
        b.node(&format!("e{i}"), NodeKind::Entity, None);
    }
    for i in 0..persons {
        b.node(&format!("p{i}"), NodeKind::Person, None);
    }
    let flags = edge_flags::OWNERSHIP | edge_flags::CONTROL;
    for i in 0..n {
        let share = ShareRange::percent(Decimal::from(60));
        b.edge(i, (i + 1) % n, share, flags, &format!("r{i}"));
    }
    for i in 0..persons {
        let share = ShareRange::percent(Decimal::from(10));
        b.edge(i, n + i, share, flags, &format!("q{i}"));
    }
    b.build()
}

/// Issue 20, item 4: every member of a ring had its own step budget (a
/// ring of 30,000 took 45 s, n² steps) and the members past it got no
/// rows. The ring's budget is now shared: the first members are
/// enumerated exactly, the rest are bounded, and every member is found to
/// be owned by the one person above the ring.
#[test]
fn a_ring_is_resolved_once_not_per_member() {
    let n = 100_000;
    let g = ring(n, 1);
    let a = Analysis::run(&g, &AnalysisOptions::default(), &Silent);
    assert_eq!(a.cycles.len(), 1);
    let c = &a.cycles[0];
    assert!(c.truncated && c.enumerated < u64::from(n) && c.unresolved.is_empty());
    let person = g.node("p0").expect("the person");
    for v in (0..n).step_by(997) {
        let us = a.ultimates(&g, v);
        assert_eq!(us.len(), 1, "e{v}: {us:?}");
        let u = us[0];
        assert!(u.party == person && u.is_owner() && u.is_controller() && u.via_cycle);
        // The members enumerated are exact: e0 holds 10% straight, e1 by
        // 60% of e0 (0.06), and so on round the ring.
        let at = c.members.iter().position(|&m| m == v).expect("a member") as u64;
        assert_eq!(u.truncated, at >= c.enumerated, "e{v}");
        if u.truncated {
            assert_eq!(u.share.to_string(), "[0%, 10%]");
        }
    }
    let first = c.members[0];
    let exact = a.ultimates(&g, first)[0];
    assert!(!exact.truncated && exact.share.is_exact(), "{exact:?}");
    assert_eq!(a.stats.entities_with_owner, u64::from(n));
    assert_eq!(a.stats.truncated_cycles, 1);
    assert_eq!(a.stats.entities_only_through_cycles, 0);
}

/// Issue 20, item 4: a ring no party outside holds: its members are held
/// only through the cycle, and the statistics say so.
#[test]
fn a_ring_no_one_outside_holds_is_held_only_through_the_cycle() {
    let g = ring(50_000, 0);
    let a = Analysis::run(&g, &AnalysisOptions::default(), &Silent);
    assert!(a.ultimates(&g, 7).is_empty());
    assert_eq!(a.stats.entities_only_through_cycles, 50_000);
    assert_eq!(a.stats.entities_with_owner, 0);
    assert!(
        a.stats
            .to_string()
            .contains("50000 held only through cycles"),
        "{}",
        a.stats
    );
}

/// Issue 20, item 4: when even the bounded lists outgrow their work (every
/// member of a ring of 2,000 is owned by all 2,000 people above it: four
/// million pairs), the members left are unresolved, listed and counted,
/// never passed off as held by no one.
#[test]
fn members_past_the_bounded_work_are_unresolved_and_counted() {
    let n = 2_000;
    let g = ring(n, n);
    let options = AnalysisOptions {
        max_cycle_steps: 1,
        ..AnalysisOptions::default()
    };
    let a = Analysis::run(&g, &options, &Silent);
    let c = &a.cycles[0];
    assert!(!c.unresolved.is_empty() && c.unresolved.len() < n as usize);
    assert_eq!(a.stats.entities_unresolved, c.unresolved.len() as u64);
    assert_eq!(
        a.stats.entities_with_owner + a.stats.entities_unresolved,
        u64::from(n)
    );
    let text = a.stats.to_string();
    assert!(text.contains("not resolved at all"), "{text}");
    let last = *c.unresolved.last().expect("one");
    let report = owners_report(&g, &a, last, 5).to_string();
    assert!(report.contains("not resolved: a cycle of 2000"), "{report}");
    assert!(!report.contains("held only through"), "{report}");
}

/// Level-parallel resolution must give exactly what one thread gives, on a
/// graph large enough to be split into many chunks per level, with chains,
/// shared holdings and cycles.
#[test]
fn analysis_is_the_same_on_one_thread_and_on_many() {
    use rust_decimal::Decimal;
    let mut next = xorshift(0x2545_F491_4F6C_DD1Du64);
    let n = 60_000u64;
    let mut b = GraphBuilder::new();
    for i in 0..n {
        let kind = if i % 3 == 0 {
            NodeKind::Person
        } else {
            NodeKind::Entity
        };
        b.node(&format!("n{i}"), kind, None);
    }
    let mut k = 0;
    for s in (0..n).filter(|i| i % 3 != 0) {
        for _ in 0..1 + next(2) {
            // Persons above most entities, companies above some, and now
            // and then an edge back down: cycles.
            let p = match next(1000) {
                0..=19 => s + 1 + next(4),
                20..=699 => s - s % 3,
                _ => s.saturating_sub(1 + next(8)),
            } % n;
            let flags = [
                edge_flags::OWNERSHIP | edge_flags::CONTROL,
                edge_flags::OWNERSHIP,
                edge_flags::CONTROL,
            ][next(3) as usize];
            let share = ShareRange::percent(Decimal::from(1 + next(100)));
            b.edge(s as NodeId, p as NodeId, share, flags, &format!("r{k}"));
            k += 1;
        }
    }
    let g = b.build();
    let run = |threads| {
        let options = AnalysisOptions {
            threads,
            max_cycle_steps: 2_000,
        };
        Analysis::run(&g, &options, &Silent)
    };
    let (one, two) = (run(1), run(2));
    assert!(one.stats.pairs > 50_000, "{:?}", one.stats);
    assert!(one.stats.cycles > 10, "{:?}", one.stats);
    assert_eq!(one.stats, two.stats);
    assert_eq!(one.cycles, two.cycles);
    for v in g.nodes() {
        assert_eq!(
            one.ultimates(&g, v),
            two.ultimates(&g, v),
            "node {}",
            g.id(v)
        );
    }
}

/// The register's statistics are the per-entity result lists summed up,
/// including for entities counted off their edges (parties all at the top):
/// repeated edges to one party, superseded edges, unspecified parties,
/// chains and cycles.
#[test]
fn statistics_agree_with_the_per_entity_lists() {
    use rust_decimal::Decimal;
    let mut next = xorshift(0x9E37_79B9_7F4A_7C15u64);
    let n = 20_000u64;
    let mut b = GraphBuilder::new();
    for i in 0..n {
        let kind = match i % 5 {
            0 | 1 => NodeKind::Person,
            2 if i % 15 == 2 => NodeKind::Unspecified,
            _ => NodeKind::Entity,
        };
        b.node(&format!("n{i}"), kind, None);
    }
    let mut k = 0;
    for s in (0..n).filter(|i| i % 5 >= 2) {
        for _ in 0..next(4) {
            let p = match next(100) {
                0..=59 => s - s % 5 + next(2),
                60..=69 => s - s % 5 + 2,
                70..=89 => s + 1 + next(10),
                _ => s.saturating_sub(1 + next(10)),
            } % n;
            let flags = [
                edge_flags::OWNERSHIP | edge_flags::CONTROL,
                edge_flags::OWNERSHIP,
                edge_flags::CONTROL,
                0,
                edge_flags::OWNERSHIP | edge_flags::SUPERSEDED,
            ][next(5) as usize];
            let share = ShareRange::percent(Decimal::from(1 + next(100)));
            b.edge(s as NodeId, p as NodeId, share, flags, &format!("r{k}"));
            k += 1;
        }
    }
    let g = b.build();
    let a = Analysis::run(&g, &AnalysisOptions::default(), &Silent);
    let mut want = Stats {
        cycles: a.stats.cycles,
        largest_cycle: a.stats.largest_cycle,
        truncated_cycles: a.stats.truncated_cycles,
        ..Stats::default()
    };
    for v in g.nodes().filter(|&v| g.kind(v) == NodeKind::Entity) {
        let us = a.ultimates(&g, v);
        want.entities += 1;
        want.entities_without_parties += u64::from(!g.edges(v).iter().any(|e| e.is_live()));
        want.entities_in_cycles += u64::from(a.cycle_of(&g, v).is_some());
        want.pairs += us.len() as u64;
        want.ownership_pairs += us.iter().filter(|u| u.is_owner()).count() as u64;
        want.control_pairs += us.iter().filter(|u| u.is_controller()).count() as u64;
        want.entities_with_owner += u64::from(us.iter().any(|u| u.is_owner()));
        want.entities_with_controller += u64::from(us.iter().any(|u| u.is_controller()));
        want.entities_with_unknown_party += u64::from(us.iter().any(|u| {
            matches!(
                g.kind(u.party),
                NodeKind::Unspecified | NodeKind::Undeclared
            )
        }));
        want.entities_via_cycles += u64::from(us.iter().any(|u| u.via_cycle));
        let unresolved = a.cycle_of(&g, v).is_some_and(|c| c.unresolved.contains(&v));
        want.entities_unresolved += u64::from(unresolved);
        want.entities_only_through_cycles +=
            u64::from(!unresolved && us.is_empty() && g.edges(v).iter().any(|e| e.is_live()));
        let d = us.iter().map(|u| u.max_depth).max().unwrap_or(0) as usize;
        if want.depth_histogram.len() <= d {
            want.depth_histogram.resize(d + 1, 0);
        }
        want.depth_histogram[d] += 1;
    }
    assert!(
        a.stats.cycles > 0 && a.stats.entities_with_unknown_party > 0,
        "{:?}",
        a.stats
    );
    assert!(a.stats.depth_histogram.len() > 3, "{:?}", a.stats);
    assert_eq!(a.stats, want);
}

/// Regression (review): path counts are u32 and stop at their maximum;
/// when they do, the entry says so, and the output carries the flag.
#[test]
fn path_counts_past_u32_are_flagged_as_saturated() {
    use rust_decimal::Decimal;
    // 33 stacked diamonds: a_i -> b_i, c_i -> a_(i+1); 2^33 paths.
    let layers = 33;
    let mut b = GraphBuilder::new();
    let a: Vec<NodeId> = (0..=layers)
        .map(|i| b.node(&format!("a{i}"), NodeKind::Entity, None))
        .collect();
    let mut k = 0;
    for i in 0..layers {
        for side in ["b", "c"] {
            let mid = b.node(&format!("{side}{i}"), NodeKind::Entity, None);
            for (s, p) in [(a[i], mid), (mid, a[i + 1])] {
                let share = ShareRange::percent(Decimal::from(50));
                b.edge(s, p, share, edge_flags::OWNERSHIP, &format!("r{k}"));
                k += 1;
            }
        }
    }
    let g = b.build();
    let an = Analysis::run(&g, &AnalysisOptions::default(), &Silent);
    let top = an.ultimates(&g, a[0]);
    assert_eq!(top.len(), 1);
    assert_eq!(top[0].ownership_paths, u32::MAX);
    assert!(top[0].saturated);
    // 2^33 paths of 4^-33 each: 2^-33, which needs 33 decimal places, so
    // the share is rounded to rust_decimal's 28, and says so.
    let exact = Decimal::ONE / Decimal::from(1u64 << 33);
    assert!((top[0].share.lo - exact).abs() <= Decimal::new(1, 27));
    assert!(top[0].share.rounded);
    let below = an.ultimates(&g, a[2]);
    assert!(!below[0].saturated, "2^31 paths fit");
    let mut csv = Vec::new();
    write_ultimates(
        &g,
        &an,
        OutputFormat::Csv,
        &mut csv,
        &Default::default(),
        &Silent,
    )
    .expect("writes");
    let csv = String::from_utf8(csv).expect("utf-8");
    let header = csv.lines().next().expect("header");
    assert!(header.ends_with(",paths_saturated,bounded"), "{header}");
    // The flags end the row: paths_saturated, then bounded (no cycle here).
    let row = csv
        .lines()
        .find(|l| l.starts_with("a0,"))
        .expect("row of a0");
    assert!(row.ends_with(",true,false"), "{row}");
}

// ---- properties -------------------------------------------------------

mod properties {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::Decimal;
    use std::collections::{BTreeMap, BTreeSet};

    /// Edges (subject, party, percent); node i is owned by nodes above i.
    fn dag() -> impl Strategy<Value = (usize, Vec<(usize, usize, i64)>)> {
        (2usize..14).prop_flat_map(|n| {
            let edge = (0..n - 1).prop_flat_map(move |s| (Just(s), (s + 1)..n, 1i64..=100));
            (Just(n), proptest::collection::vec(edge, 0..30))
        })
    }

    fn build(n: usize, edges: &[(usize, usize, i64)], flags: u16) -> Graph {
        let mut b = GraphBuilder::new();
        for i in 0..n {
            b.node(&format!("n{i}"), NodeKind::Entity, None);
        }
        for (k, &(s, p, pct)) in edges.iter().enumerate() {
            b.edge(
                s as NodeId,
                p as NodeId,
                ShareRange::percent(Decimal::from(pct)),
                flags,
                &format!("r{k}"),
            );
        }
        b.build()
    }

    /// Per top party: the share summed over paths, the paths, and the
    /// shortest and longest path.
    type Paths = BTreeMap<usize, (Decimal, u64, u32, u32)>;

    fn brute(
        edges: &[(usize, usize, i64)],
        from: usize,
        acc: Decimal,
        depth: u32,
        out: &mut Paths,
    ) {
        let ups: Vec<_> = edges.iter().filter(|e| e.0 == from).collect();
        if ups.is_empty() {
            let e = out.entry(from).or_insert((Decimal::ZERO, 0, u32::MAX, 0));
            e.0 += acc;
            e.1 += 1;
            e.2 = e.2.min(depth);
            e.3 = e.3.max(depth);
            return;
        }
        for &&(_, p, pct) in &ups {
            let share = acc * Decimal::from(pct) / Decimal::ONE_HUNDRED;
            brute(edges, p, share, depth + 1, out);
        }
    }

    /// A live edge: subject, party, share (a fraction) and flags.
    type Live = (usize, usize, Decimal, u16);
    /// Party -> (ownership paths, share, control paths, any-kind paths,
    /// reached through a cycle).
    type Figures = BTreeMap<usize, (u64, Decimal, u64, u64, bool)>;

    /// The simple paths from a node (a path never revisits a node; one that
    /// would is cut), following the module's rules: a path ends for a kind
    /// at a party with no live edge of that kind, and for any kind at a
    /// party with no live edge at all.
    struct Walk<'a> {
        live: &'a [Live],
        in_cycle: &'a dyn Fn(usize) -> bool,
        path: Vec<usize>,
        out: Figures,
    }

    impl Walk<'_> {
        fn from(&mut self, x: usize, own: bool, ctrl: bool, share: Decimal, via: bool) {
            let live = self.live;
            let ups: Vec<_> = live.iter().filter(|e| e.0 == x).collect();
            let has = |flag: u16| ups.iter().any(|e| e.3 & flag != 0);
            let via = via || (self.in_cycle)(x);
            if self.path.len() > 1 {
                let f = self.out.entry(x).or_insert((0, Decimal::ZERO, 0, 0, false));
                let o = own && !has(edge_flags::OWNERSHIP);
                let c = ctrl && !has(edge_flags::CONTROL);
                let t = ups.is_empty();
                if o {
                    f.0 += 1;
                    f.1 += share;
                }
                f.2 += u64::from(c);
                f.3 += u64::from(t);
                f.4 |= via && (o || c || t);
            }
            for &&(_, p, pct, flags) in &ups {
                if self.path.contains(&p) {
                    continue;
                }
                let own = own && flags & edge_flags::OWNERSHIP != 0;
                let ctrl = ctrl && flags & edge_flags::CONTROL != 0;
                let share = if own { share * pct } else { Decimal::ZERO };
                self.path.push(p);
                self.from(p, own, ctrl, share, via);
                self.path.pop();
            }
        }
    }

    /// Every node's ultimate parties, with their path counts, shares and
    /// cycle flags, equal the enumeration of its simple paths over `live`,
    /// and no party is listed twice.
    fn figures_equal_the_paths(
        g: &Graph,
        a: &Analysis,
        live: &[Live],
    ) -> Result<(), TestCaseError> {
        let in_cycle = |x: usize| a.cycle_of(g, x as NodeId).is_some();
        for v in 0..g.node_count() {
            let mut w = Walk {
                live,
                in_cycle: &in_cycle,
                path: vec![v],
                out: Figures::new(),
            };
            w.from(v, true, true, Decimal::ONE, false);
            let mut want = w.out;
            want.retain(|_, f| f.0 + f.2 + f.3 > 0);
            let us = a.ultimates(g, v as NodeId);
            let got: Figures = us
                .iter()
                .map(|u| {
                    let share = if u.is_owner() {
                        u.share.lo
                    } else {
                        Decimal::ZERO
                    };
                    let counts = (
                        u64::from(u.ownership_paths),
                        share,
                        u64::from(u.control_paths),
                    );
                    (
                        u.party as usize,
                        (
                            counts.0,
                            counts.1,
                            counts.2,
                            u64::from(u.any_paths),
                            u.via_cycle,
                        ),
                    )
                })
                .collect();
            prop_assert_eq!(&got, &want, "node {}", v);
            prop_assert_eq!(us.len(), got.len(), "a party listed twice for node {}", v);
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn multiplied_shares_equal_the_sum_over_paths((n, edges) in dag()) {
            let g = build(n, &edges, edge_flags::OWNERSHIP);
            let a = Analysis::run(&g, &AnalysisOptions::default(), &Silent);
            for v in 0..n {
                let mut want = Paths::new();
                if edges.iter().any(|e| e.0 == v) {
                    brute(&edges, v, Decimal::ONE, 0, &mut want);
                }
                let got: Paths = a
                    .ultimates(&g, v as NodeId)
                    .into_iter()
                    .map(|u| (u.party as usize, (u.share.lo, u64::from(u.ownership_paths), u.min_depth, u.max_depth)))
                    .collect();
                prop_assert_eq!(&got, &want);
                for u in a.ultimates(&g, v as NodeId) {
                    prop_assert!(u.share.is_exact());
                    prop_assert!(u.is_top());
                }
            }
            prop_assert!(a.cycles.is_empty());
        }

        /// Every ultimate party, with its ownership, control and any-kind
        /// path counts and its share, equals an enumeration of the paths,
        /// on acyclic graphs with mixed interests, repeated parties and
        /// superseded edges (so one-hop nodes, read off their edges, and
        /// stored lists both appear).
        #[test]
        fn figures_equal_the_enumeration_of_paths_with_mixed_interests(
            (n, edges) in dag(),
            kinds in proptest::collection::vec(0usize..5, 30),
        ) {
            const FLAGS: [u16; 5] = [
                edge_flags::OWNERSHIP | edge_flags::CONTROL,
                edge_flags::OWNERSHIP,
                edge_flags::CONTROL,
                0,
                edge_flags::OWNERSHIP | edge_flags::SUPERSEDED,
            ];
            let flags: Vec<u16> = (0..edges.len()).map(|k| FLAGS[kinds[k]]).collect();
            let mut b = GraphBuilder::new();
            for i in 0..n {
                b.node(&format!("n{i}"), NodeKind::Entity, None);
            }
            for (k, &(s, p, pct)) in edges.iter().enumerate() {
                let share = ShareRange::percent(Decimal::from(pct));
                b.edge(s as NodeId, p as NodeId, share, flags[k], &format!("r{k}"));
            }
            let g = b.build();
            let a = Analysis::run(&g, &AnalysisOptions::default(), &Silent);
            let live: Vec<Live> = edges
                .iter()
                .zip(&flags)
                .filter(|(_, f)| *f & edge_flags::SUPERSEDED == 0)
                .map(|(&(s, p, pct), &f)| (s, p, Decimal::from(pct) / Decimal::ONE_HUNDRED, f))
                .collect();
            figures_equal_the_paths(&g, &a, &live)?;
        }

        /// On graphs with cycles and self-loops, every ultimate party's
        /// path counts and share equal an enumeration of the simple paths
        /// (a path never revisits a node; one that would is cut), with
        /// mixed interests, and a party is reached through a cycle exactly
        /// when one of its paths touches a cycle member.
        #[test]
        fn figures_on_cyclic_graphs_equal_the_enumeration_of_simple_paths(
            n in 1usize..8,
            raw in proptest::collection::vec((0usize..8, 0usize..8, 1i64..=100, 0usize..4), 0..20),
        ) {
            const FLAGS: [u16; 4] = [
                edge_flags::OWNERSHIP | edge_flags::CONTROL,
                edge_flags::OWNERSHIP,
                edge_flags::CONTROL,
                0,
            ];
            let live: Vec<Live> = raw
                .iter()
                .map(|&(s, p, pct, k)| (s % n, p % n, Decimal::from(pct) / Decimal::ONE_HUNDRED, FLAGS[k]))
                .collect();
            let mut b = GraphBuilder::new();
            for i in 0..n {
                b.node(&format!("n{i}"), NodeKind::Entity, None);
            }
            for (k, &(s, p, pct, f)) in live.iter().enumerate() {
                b.edge(s as NodeId, p as NodeId, ShareRange::exact(pct), f, &format!("r{k}"));
            }
            let g = b.build();
            let a = Analysis::run(&g, &AnalysisOptions::default(), &Silent);
            prop_assert!(a.cycles.iter().all(|c| !c.truncated));
            figures_equal_the_paths(&g, &a, &live)?;
        }

        /// Issue 20, item 4: when a cycle's step budget runs out, its
        /// members' parties are found by reachability. They are the parties
        /// enumeration finds, by the same kinds of path; a bounded entry's
        /// share range holds the enumerated share (holdings in each entity
        /// add up to at most the whole here), and its counts and depths
        /// are lower bounds; an entry not marked bounded is exact.
        #[test]
        fn bounded_cycles_find_the_parties_enumeration_finds(
            n in 1usize..10,
            raw in proptest::collection::vec((0usize..10, 0usize..10, 0usize..4), 0..30),
            persons in proptest::collection::vec(0usize..10, 0..4),
        ) {
            const FLAGS: [u16; 4] = [
                edge_flags::OWNERSHIP | edge_flags::CONTROL,
                edge_flags::OWNERSHIP,
                edge_flags::CONTROL,
                0,
            ];
            let mut edges: Vec<(usize, usize, u16)> =
                raw.iter().map(|&(s, p, k)| (s % n, p % n, FLAGS[k])).collect();
            // People at the top, holding some of the entities.
            for (i, &s) in persons.iter().enumerate() {
                edges.push((s % n, n + i, FLAGS[0]));
            }
            let mut b = GraphBuilder::new();
            for i in 0..n {
                b.node(&format!("n{i}"), NodeKind::Entity, None);
            }
            for i in 0..persons.len() {
                b.node(&format!("p{i}"), NodeKind::Person, None);
            }
            for (k, &(s, p, f)) in edges.iter().enumerate() {
                // Each entity's holders share at most its whole.
                let holders = edges.iter().filter(|e| e.0 == s).count();
                let share = ShareRange::exact(Decimal::ONE / Decimal::from(holders));
                b.edge(s as NodeId, p as NodeId, share, f, &format!("r{k}"));
            }
            let g = b.build();
            let run = |max_cycle_steps| {
                let options = AnalysisOptions { max_cycle_steps, ..AnalysisOptions::default() };
                Analysis::run(&g, &options, &Silent)
            };
            let (exact, bounded) = (run(u64::MAX), run(0));
            prop_assert!(exact.cycles.iter().all(|c| !c.truncated));
            prop_assert!(bounded.cycles.iter().all(|c| c.unresolved.is_empty()));
            for v in g.nodes() {
                let want = exact.ultimates(&g, v);
                let got = bounded.ultimates(&g, v);
                let kinds = |us: &[Ultimate]| -> BTreeSet<(NodeId, bool, bool, bool)> {
                    us.iter().map(|u| (u.party, u.is_owner(), u.is_controller(), u.is_top())).collect()
                };
                prop_assert_eq!(kinds(&got), kinds(&want), "node {}", v);
                for u in &got {
                    let w = want.iter().find(|w| w.party == u.party).expect("same parties");
                    if !u.truncated {
                        prop_assert_eq!(u, w, "node {}", v);
                        continue;
                    }
                    prop_assert!(u.via_cycle);
                    if u.is_owner() {
                        // Thirds and sevenths are rounded at 28 places,
                        // which may lift a sum a hair over its bound.
                        let slack = if w.share.rounded || u.share.rounded {
                            Decimal::new(1, 26)
                        } else {
                            Decimal::ZERO
                        };
                        prop_assert!(u.share.lo <= w.share.lo && w.share.hi <= u.share.hi + slack,
                            "node {}: {} is not within {}", v, w.share, u.share);
                    }
                    prop_assert!(u.ownership_paths <= w.ownership_paths);
                    prop_assert!(u.control_paths <= w.control_paths);
                    prop_assert!(u.any_paths <= w.any_paths);
                    prop_assert!(u.min_depth <= w.min_depth && u.max_depth <= w.max_depth);
                }
            }
            prop_assert_eq!(&bounded.stats.entities_with_owner, &exact.stats.entities_with_owner);
            prop_assert_eq!(&bounded.stats.entities_only_through_cycles, &exact.stats.entities_only_through_cycles);
        }

        #[test]
        fn resolution_terminates_on_cyclic_graphs_and_reaches_every_top(
            n in 1usize..12,
            raw in proptest::collection::vec((0usize..12, 0usize..12, 1i64..=100, 0u8..4), 0..40),
        ) {
            let edges: Vec<_> = raw.iter().map(|&(s, p, pct, _)| (s % n, p % n, pct)).collect();
            let mut b = GraphBuilder::new();
            for i in 0..n {
                b.node(&format!("n{i}"), NodeKind::Entity, None);
            }
            for (k, (&(s, p, pct), &(_, _, _, f))) in edges.iter().zip(&raw).enumerate() {
                b.edge(s as NodeId, p as NodeId, ShareRange::percent(Decimal::from(pct)), u16::from(f), &format!("r{k}"));
            }
            let g = b.build();
            let a = Analysis::run(&g, &AnalysisOptions { max_cycle_steps: 10_000, ..AnalysisOptions::default() }, &Silent);
            let tops: BTreeSet<usize> = (0..n).filter(|&v| !edges.iter().any(|e| e.0 == v)).collect();
            for v in 0..n {
                // Reachable nodes with no parties, by breadth-first search.
                let mut seen = BTreeSet::from([v]);
                let mut todo = vec![v];
                while let Some(x) = todo.pop() {
                    for e in edges.iter().filter(|e| e.0 == x) {
                        if seen.insert(e.1) {
                            todo.push(e.1);
                        }
                    }
                }
                let want: BTreeSet<usize> = seen.intersection(&tops).copied().filter(|&t| t != v).collect();
                let got: BTreeSet<usize> = a.ultimates(&g, v as NodeId).into_iter().filter(|u| u.is_top()).map(|u| u.party as usize).collect();
                if a.cycles.iter().all(|c| !c.truncated) {
                    prop_assert_eq!(got, want);
                }
            }
            let in_cycle = (0..n).filter(|&v| a.cycle_of(&g, v as NodeId).is_some()).count() as u64;
            prop_assert_eq!(in_cycle, a.cycles.iter().map(|c| c.members.len() as u64).sum::<u64>());
        }
    }
}

/// Roles and unknown parties are kept one bit per node: every node gets
/// its own bit, across word boundaries, a node's kind counts as built
/// (not as first touched), superseded edges give no role, and a node
/// outside the graph is unknown, as `kind` says.
#[test]
fn node_bits_follow_roles_and_kinds_across_words() {
    let mut b = GraphBuilder::new();
    let kinds = [NodeKind::Entity, NodeKind::Person, NodeKind::Unspecified];
    let nodes: Vec<NodeId> = (0..200)
        .map(|i| b.node(&format!("n{i}"), kinds[i % 3], None))
        .collect();
    // Touched first (undeclared), declared later.
    let late = b.touch("late");
    let never = b.touch("never");
    b.node("late", NodeKind::Person, None);
    for i in (0..200).step_by(7) {
        b.edge(
            nodes[i],
            nodes[(i * 13 + 5) % 200],
            ShareRange::UNKNOWN,
            edge_flags::CONTROL,
            "r",
        );
    }
    b.edge(
        nodes[199],
        never,
        ShareRange::UNKNOWN,
        edge_flags::CONTROL,
        "x",
    );
    b.edge(
        nodes[198],
        late,
        ShareRange::UNKNOWN,
        edge_flags::SUPERSEDED,
        "s",
    );
    let g = b.build();
    for n in g.nodes() {
        let live = |e: &&Edge| e.is_live();
        let is_party = g
            .nodes()
            .any(|s| g.edges(s).iter().filter(live).any(|e| e.party == n));
        assert_eq!(g.is_party(n), is_party, "{}", g.id(n));
        assert_eq!(
            g.has_parties(n),
            g.edges(n).iter().any(|e| e.is_live()),
            "{}",
            g.id(n)
        );
        let unknown = matches!(g.kind(n), NodeKind::Unspecified | NodeKind::Undeclared);
        assert_eq!(g.is_unknown(n), unknown, "{}", g.id(n));
    }
    assert!(!g.is_unknown(late) && g.is_unknown(never) && !g.is_party(late));
    let outside = g.node_count() as NodeId + 70;
    assert!(g.is_unknown(outside) && !g.is_party(outside) && !g.has_parties(outside));
}

/// A small register as JSON Lines: `E` entities, `P` persons, and
/// relationships `(subject, party, interests)`.
fn register(entities: &[&str], persons: &[&str], rels: &[(&str, &str, &str)]) -> String {
    let mut out = String::new();
    let mut k = 0;
    let mut id = || {
        k += 1;
        format!("s{k}")
    };
    for e in entities {
        out.push_str(&format!(
            r#"{{"statementId":"{}","statementDate":"2024-01-01","recordId":"{e}","recordType":"entity","recordStatus":"new","recordDetails":{{"isComponent":false,"entityType":{{"type":"registeredEntity"}},"name":"{e}"}}}}"#,
            id()
        ));
        out.push('\n');
    }
    for p in persons {
        out.push_str(&format!(
            r#"{{"statementId":"{}","statementDate":"2024-01-01","recordId":"{p}","recordType":"person","recordStatus":"new","recordDetails":{{"isComponent":false,"personType":"knownPerson","names":[{{"fullName":"{p}"}}]}}}}"#,
            id()
        ));
        out.push('\n');
    }
    for (n, (s, p, interests)) in rels.iter().enumerate() {
        out.push_str(&format!(
            r#"{{"statementId":"{}","statementDate":"2024-01-01","recordId":"r{n}","recordType":"relationship","recordStatus":"new","recordDetails":{{"isComponent":false,"subject":"{s}","interestedParty":"{p}","interests":{interests}}}}}"#,
            id()
        ));
        out.push('\n');
    }
    out
}

fn described(text: &str) -> String {
    let (g, a, s, _) = load_bytes(text.as_bytes());
    assert_eq!(s.problem_count, 0, "{:?}", s.problems);
    describe(&g, &a)
}

/// Regressions (issue 13): the register treated a shareholding above 50%
/// as control where the votes sit elsewhere, counted a senior managing
/// official as a controller, ignored `beneficialOwnershipOrControl = false`
/// on a person's votes, counted the right to appoint one of five directors
/// as control, and followed a contract right as if it were ownership (a
/// licence back made a false ownership cycle).
#[test]
fn the_register_reads_control_by_the_one_definition() {
    // 90% of the capital, but every vote with another holder.
    let votes_elsewhere = register(
        &["co"],
        &["capital", "votes"],
        &[
            (
                "co",
                "capital",
                r#"[{"type":"shareholding","share":{"exact":90}}]"#,
            ),
            (
                "co",
                "votes",
                r#"[{"type":"votingRights","share":{"exact":100}}]"#,
            ),
        ],
    );
    assert_eq!(
        described(&votes_elsewhere),
        "co <- capital (person) owns 90% top depth 1..1\nco <- votes (person) controls top depth 1..1"
    );
    // Non-voting shares: 60% of the capital, no votes.
    let non_voting = register(
        &["co"],
        &["p"],
        &[(
            "co",
            "p",
            r#"[{"type":"shareholding","share":{"exact":60}},{"type":"votingRights","share":{"exact":0}}]"#,
        )],
    );
    assert_eq!(
        described(&non_voting),
        "co <- p (person) owns 60% top depth 1..1"
    );
    // A CEO and a director: the board, as a body, not the CEO.
    let officers = register(
        &["co"],
        &["ceo", "dir"],
        &[
            ("co", "ceo", r#"[{"type":"seniorManagingOfficial"}]"#),
            ("co", "dir", r#"[{"type":"boardMember"}]"#),
        ],
    );
    assert_eq!(
        described(&officers),
        "co <- Board of co (body) controls top depth 1..1"
    );
    // A person's 60% of the votes the data marks as not control.
    let marked = register(
        &["co"],
        &["nominee"],
        &[(
            "co",
            "nominee",
            r#"[{"type":"votingRights","beneficialOwnershipOrControl":false,"share":{"exact":60}}]"#,
        )],
    );
    assert_eq!(described(&marked), "co: no parties");
    // Appointing one of five directors is influence; all of them, control.
    let one_seat = register(
        &["co"],
        &["p", "q"],
        &[
            (
                "co",
                "p",
                r#"[{"type":"appointmentOfBoard","share":{"exact":20}}]"#,
            ),
            ("co", "q", r#"[{"type":"appointmentOfBoard"}]"#),
        ],
    );
    assert_eq!(
        described(&one_seat),
        "co <- q (person) controls top depth 1..1"
    );
    // A licence back from the subsidiary is no ownership: no cycle.
    let licence = register(
        &["parent", "sub"],
        &[],
        &[
            (
                "sub",
                "parent",
                r#"[{"type":"shareholding","share":{"exact":100}}]"#,
            ),
            (
                "parent",
                "sub",
                r#"[{"type":"rightsGrantedByContract","details":"licence"}]"#,
            ),
        ],
    );
    let (g, a, _, r) = load_bytes(licence.as_bytes());
    assert!(a.cycles.is_empty(), "{:?}", a.cycles);
    assert_eq!(r.neither_relationships, 1);
    assert_eq!(
        describe(&g, &a),
        "parent: no parties\nsub <- parent (entity) owns 100% controls top depth 1..1"
    );
}

/// Regression (issue 20, silent damage): one stray quote in a GLEIF row
/// made the CSV reader run the rest of the file into one field: 13
/// children read instead of 185, with exit 0. The damage now stays in its
/// row: that row is reported with its line and skipped, every other row
/// is read.
#[test]
fn a_stray_quote_in_a_gleif_row_damages_that_row_only() {
    let text = std::fs::read_to_string(path(GLEIF_RR)).expect("rr sample");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Line 11 (the 10th record): a quote opened and never closed.
    lines[10] = lines[10].replacen(',', ",\"", 1);
    let damaged = lines.join("\n");
    let mut b = GleifBuilder::new();
    let problems = read_relationships(damaged.as_bytes(), |r| b.add(&r)).expect("csv");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].row, 11);
    assert!(
        problems[0].message.contains("a quote that never closes"),
        "{problems:?}"
    );
    assert_eq!(b.counts.records, 399);
}

/// Regression (issue 20): a row too long to be a row (here 2 MiB) is
/// damaged, reported with its line, and not kept in memory; the rows
/// after it are read.
#[test]
fn an_overlong_gleif_row_is_damaged_and_the_rest_read() {
    let text = std::fs::read_to_string(path(GLEIF_RR)).expect("rr sample");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines.insert(5, "x".repeat(2 << 20));
    let damaged = lines.join("\n");
    let mut b = GleifBuilder::new();
    let problems = read_relationships(damaged.as_bytes(), |r| b.add(&r)).expect("csv");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].row, 6);
    assert!(problems[0].message.contains("longer than"), "{problems:?}");
    assert_eq!(b.counts.records, 400);
}

/// Real files leave trailing empty fields out: such a row is read, not
/// taken as damaged.
#[test]
fn a_gleif_row_without_its_trailing_empty_fields_is_read() {
    let text = "\"LEI\",\"Entity.LegalName\",\"Entity.EntityCategory\"\n\"A\",\"Alpha\"\n\"B\",\"Beta\",\"FUND\"\n";
    let mut names = Vec::new();
    let (n, damaged) = boardroom_register::read_lei_names(text.as_bytes(), |l, nm| {
        names.push((l.to_string(), nm.to_string()))
    })
    .expect("csv");
    assert_eq!((n, damaged.len()), (2, 0));
    assert_eq!(names[0], ("A".to_string(), "Alpha".to_string()));
}

/// CSV, JSON Lines and Parquet are encoded on every core, a chunk of
/// entities per task (issue 21, item 2): the bytes are the same on one
/// thread as on several, the header comes once, and the rows follow the entities in
/// the graph's order across chunk boundaries (40,000 entities: three
/// chunks of 16,384).
#[test]
fn parallel_writing_gives_the_bytes_of_one_thread() {
    let lines = synthetic(40_000);
    let jsonl = lines.join("\n") + "\n";
    let (g, a, _, _) = load_bytes(jsonl.as_bytes());
    let write = |format: OutputFormat, threads: usize| -> Vec<u8> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        pool.install(|| {
            let mut out = Vec::new();
            write_ultimates(&g, &a, format, &mut out, &Default::default(), &Silent)
                .expect("writes");
            out
        })
    };
    for format in [OutputFormat::Csv, OutputFormat::JsonLines] {
        let one = write(format, 1);
        assert_eq!(one, write(format, 2), "{format:?}");
        assert_eq!(one, write(format, 3), "{format:?}");
        let text = String::from_utf8(one).expect("utf-8");
        let mut lines = text.lines();
        if format == OutputFormat::Csv {
            assert!(
                lines
                    .next()
                    .expect("header")
                    .starts_with("entity_id,entity_name,")
            );
            assert!(!text[1..].contains("\nentity_id,"), "one header");
        }
        // Row by row, the entities in the graph's order.
        let expected: Vec<String> = g
            .nodes()
            .filter(|&n| g.kind(n) == NodeKind::Entity)
            .flat_map(|n| vec![g.id(n).to_string(); a.ultimates(&g, n).len()])
            .collect();
        let got: Vec<String> = lines
            .map(|l| match format {
                OutputFormat::Csv => l.split(',').next().unwrap_or("").to_string(),
                _ => {
                    serde_json::from_str::<serde_json::Value>(l).expect("a JSON line")["entity_id"]
                        .as_str()
                        .unwrap_or("")
                        .to_string()
                }
            })
            .collect();
        assert_eq!(got.len(), expected.len(), "{format:?}");
        assert!(got == expected, "{format:?}: rows out of order");
    }
    // Parquet: a row group per chunk, encoded on any thread, the same
    // bytes; read back, the rows in the same order.
    let one = write(OutputFormat::Parquet, 1);
    assert!(
        one == write(OutputFormat::Parquet, 2),
        "Parquet: 1 and 2 threads differ"
    );
    assert!(
        one == write(OutputFormat::Parquet, 3),
        "Parquet: 1 and 3 threads differ"
    );
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::RowAccessor;
    let reader = SerializedFileReader::new(bytes::Bytes::from(one)).expect("a Parquet file");
    assert_eq!(reader.metadata().num_row_groups(), 3);
    let got: Vec<String> = reader
        .get_row_iter(None)
        .expect("rows")
        .map(|r| r.expect("a row").get_string(0).expect("entity_id").clone())
        .collect();
    let expected: Vec<String> = g
        .nodes()
        .filter(|&n| g.kind(n) == NodeKind::Entity)
        .flat_map(|n| vec![g.id(n).to_string(); a.ultimates(&g, n).len()])
        .collect();
    assert_eq!(got.len(), expected.len());
    assert!(got == expected, "Parquet: rows out of order");
}

/// `--strict` on a long file whose first statement is damaged stopped the
/// collector but left the splitter waiting for ever on a full channel: the
/// command hung (found on a 326 MB file). The read must stop, with the
/// first problem, whatever follows it.
#[test]
fn strict_mode_stops_on_a_long_file_instead_of_hanging() {
    let mut lines = synthetic(20_000);
    lines.insert(0, r#"{"statementId": "broken", "recordType": "#.to_string());
    let jsonl = lines.join("\n") + "\n";
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(read_with(jsonl.as_bytes(), 1024, true).map(|_| ()));
    });
    match rx.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(Err(ReadError::Strict(p))) => assert_eq!(p.line, 1),
        Ok(other) => panic!("strict mode should stop at line 1: {other:?}"),
        Err(_) => panic!("strict mode hung on a long file"),
    }
}

/// A caller that asks to stop (the Python package, on Ctrl-C) gets
/// `ReadError::Stopped` after the chunk in hand, and nothing partial.
#[test]
fn a_read_stops_when_its_caller_asks() {
    struct StopAfter(std::sync::atomic::AtomicU64);
    impl boardroom_register::Progress for StopAfter {
        fn advance(&self, _: u64) {
            self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        fn stopped(&self) -> bool {
            self.0.load(std::sync::atomic::Ordering::Relaxed) >= 3
        }
    }
    let jsonl = synthetic(20_000).join("\n") + "\n";
    let opts = ReadOptions {
        chunk_bytes: 1024,
        ..ReadOptions::default()
    };
    let progress = StopAfter(std::sync::atomic::AtomicU64::new(0));
    match read_register(
        jsonl.as_bytes(),
        &opts,
        &RegisterOptions::default(),
        &progress,
    ) {
        Err(ReadError::Stopped) => {}
        other => panic!("the read should stop: {:?}", other.map(|(_, s, _)| s)),
    }
    assert_eq!(progress.0.load(std::sync::atomic::Ordering::Relaxed), 3);
}

/// Regression (found 2026-12-07): whether a person's interest marked
/// `beneficialOwnershipOrControl: false` counted as control depended on
/// the order of the file. The register asked whether the holder was a
/// person when it read the relationship, so a relationship stated before
/// its person's statement made her a controller, and the same statements
/// the other way round did not.
#[test]
fn a_persons_flag_reads_the_same_before_or_after_her_statement() {
    let entity = r#"{"statementId":"s1","recordId":"c","recordType":"entity","recordDetails":{"name":"Co","entityType":{"type":"registeredEntity"}}}"#;
    let person = r#"{"statementId":"s2","recordId":"p","recordType":"person","recordDetails":{"personType":"knownPerson","names":[{"fullName":"Ann"}]}}"#;
    let rel = r#"{"statementId":"s3","recordId":"r","recordType":"relationship","recordDetails":{"subject":"c","interestedParty":"p","interests":[{"type":"votingRights","share":{"exact":60},"beneficialOwnershipOrControl":false}]}}"#;
    let person_first = described(&format!("{entity}\n{person}\n{rel}\n"));
    let person_last = described(&format!("{entity}\n{rel}\n{person}\n"));
    // Her votes are marked not hers to control: no edge, no controller.
    assert_eq!(person_first, "Co: no parties");
    assert_eq!(person_last, person_first);
    // On an entity the flag says nothing (BODS requires `false` there).
    let holder = r#"{"statementId":"s2","recordId":"p","recordType":"entity","recordDetails":{"name":"Holdco","entityType":{"type":"registeredEntity"}}}"#;
    for text in [
        format!("{entity}\n{holder}\n{rel}\n"),
        format!("{entity}\n{rel}\n{holder}\n"),
    ] {
        let got = described(&text);
        assert!(got.contains("Co <- Holdco (entity) controls top"), "{got}");
    }
}

/// The statements of a register, each record's in its own order, but the
/// records interleaved in any way, give the same owners and controllers:
/// only a record's own history is ordered (issue 13's reading of dates;
/// the regression above). Run on the official examples read whole and on
/// dates, and on a register with flagged votes, a board, a trust, an
/// update and a closure.
mod any_interleaving {
    use super::*;
    use proptest::prelude::*;

    fn statements(file: &str) -> Vec<serde_json::Value> {
        let bytes = std::fs::read(path(&format!("{BODS}/{file}"))).expect("example file");
        serde_json::from_slice(&bytes).expect("a JSON array")
    }

    /// Flagged votes on a person and on an entity, a board of three, a
    /// trust with its trustees, an update and a closed holder.
    fn varied() -> Vec<serde_json::Value> {
        let rels = [
            (
                "co1",
                "ann",
                r#"[{"type":"votingRights","share":{"exact":60},"beneficialOwnershipOrControl":false},{"type":"shareholding","share":{"exact":60}}]"#,
            ),
            (
                "co1",
                "bob",
                r#"[{"type":"votingRights","share":{"exact":40}}]"#,
            ),
            (
                "co2",
                "co1",
                r#"[{"type":"votingRights","share":{"exact":70},"beneficialOwnershipOrControl":false}]"#,
            ),
            ("co3", "d1", r#"[{"type":"boardMember"}]"#),
            ("co3", "d2", r#"[{"type":"boardMember"}]"#),
            ("co3", "d3", r#"[{"type":"boardMember"}]"#),
            (
                "co3",
                "ann",
                r#"[{"type":"shareholding","share":{"exact":30}}]"#,
            ),
            ("tr", "d1", r#"[{"type":"trustee"}]"#),
            ("tr", "d2", r#"[{"type":"trustee"}]"#),
            (
                "co4",
                "tr",
                r#"[{"type":"shareholding","share":{"exact":100}}]"#,
            ),
            (
                "co4",
                "gone",
                r#"[{"type":"votingRights","share":{"exact":10}}]"#,
            ),
        ];
        let text = register(
            &["co1", "co2", "co3", "co4"],
            &["ann", "bob", "d1", "d2", "d3", "gone"],
            &rels,
        );
        let mut out: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        // The trust, declared as one.
        let tr = r#"{"statementId":"t1","statementDate":"2024-01-01","recordId":"tr","recordType":"entity","recordStatus":"new","recordDetails":{"isComponent":false,"entityType":{"type":"arrangement","subtype":"trust"},"name":"Trust"}}"#;
        out.push(serde_json::from_str(tr).expect("json"));
        // bob's votes grow to 55%, then the holder `gone` closes.
        let update = r#"{"statementId":"u1","statementDate":"2024-02-01","recordId":"r1","recordType":"relationship","recordStatus":"updated","recordDetails":{"isComponent":false,"subject":"co1","interestedParty":"bob","interests":[{"type":"votingRights","share":{"exact":55}}]}}"#;
        let close = r#"{"statementId":"u2","statementDate":"2024-03-01","recordId":"gone","recordType":"person","recordStatus":"closed","recordDetails":{"isComponent":false,"personType":"knownPerson","names":[{"fullName":"gone"}]}}"#;
        out.push(serde_json::from_str(update).expect("json"));
        out.push(serde_json::from_str(close).expect("json"));
        out
    }

    /// The statements in the order of `keys`, each record's statements
    /// keeping their own order.
    fn interleave(sts: &[serde_json::Value], keys: &[u32]) -> String {
        let mut by_record: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
        for (i, s) in sts.iter().enumerate() {
            by_record
                .entry(s["recordId"].as_str().unwrap_or_default().to_owned())
                .or_default()
                .push(i);
        }
        let mut slot = vec![0u64; sts.len()];
        for idx in by_record.values() {
            let mut ks: Vec<u64> = idx
                .iter()
                .map(|&i| (u64::from(keys[i % keys.len()]) << 32) | i as u64)
                .collect();
            ks.sort_unstable();
            for (&i, k) in idx.iter().zip(ks) {
                slot[i] = k;
            }
        }
        let mut order: Vec<usize> = (0..sts.len()).collect();
        order.sort_by_key(|&i| slot[i]);
        order.iter().map(|&i| sts[i].to_string() + "\n").collect()
    }

    fn read(text: &str, as_of: Option<&str>) -> String {
        let options = RegisterOptions {
            as_of: as_of.map(str::to_owned),
            ..RegisterOptions::default()
        };
        let (g, s, _) = read_register(text.as_bytes(), &ReadOptions::default(), &options, &Silent)
            .expect("read");
        assert_eq!(s.problem_count, 0, "{:?}", s.problems);
        let a = Analysis::run(&g, &AnalysisOptions::default(), &Silent);
        describe(&g, &a)
    }

    fn cases() -> Vec<(Vec<serde_json::Value>, Option<&'static str>)> {
        let mut out = vec![(varied(), None), (varied(), Some("2024-02-15"))];
        for f in [
            "bods-package.json",
            "joint-ownership.json",
            "mixed-direct-and-indirect-ownership.json",
            "multiple-indirect-ownership.json",
            "nomination.json",
            "listed-company-exempt-from-disclosure.json",
        ] {
            out.push((statements(f), None));
        }
        for (f, d) in [
            ("tecido.json", "2021-12-31"),
            ("tecido.json", "2023-03-02"),
            ("fermcat.json", "2019-06-30"),
        ] {
            out.push((statements(f), Some(d)));
        }
        out
    }

    #[test]
    fn the_varied_register_reads_as_its_parts_say() {
        let got = read(&interleave(&varied(), &[0]), None);
        // ann's flagged votes are not control, her 60% is ownership; bob's
        // 55% of the votes controls; co1's flag says nothing on an entity.
        assert!(got.contains("co1 <- ann (person) owns 60% top"), "{got}");
        assert!(got.contains("co1 <- bob (person) controls top"), "{got}");
        assert!(
            !got.contains("co1 <- ann (person) owns 60% controls"),
            "{got}"
        );
        assert!(got.contains("co2 <- bob (person) controls"), "{got}");
        assert!(got.contains("Board of co3 (body) controls"), "{got}");
        assert!(got.contains("co4 <- Trust (entity) owns 100%"), "{got}");
        assert!(!got.contains("gone"), "{got}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]
        #[test]
        fn any_interleaving_of_records_gives_the_same_answer(
            keys in proptest::collection::vec(0u32..1000, 1..64),
        ) {
            for (sts, as_of) in cases() {
                let file_order = read(&interleave(&sts, &[0]), as_of);
                let shuffled = read(&interleave(&sts, &keys), as_of);
                prop_assert_eq!(&shuffled, &file_order, "as of {:?}", as_of);
            }
        }
    }
}
