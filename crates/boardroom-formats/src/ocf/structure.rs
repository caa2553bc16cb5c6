//! The package as a structure: the issuer and its stakeholders as parties,
//! its stock classes as share classes, each stock security as a dated
//! shareholding, grants, warrants and convertibles as conditional rights,
//! and the classes' liquidation terms as economics.

use rust_decimal::Decimal;

use boardroom::{
    EconomicTerms, Interest, InterestType, Party, PartyKind, ShareClass, Source, StockClass,
    Structure,
};

use super::cap_table::{CapTable, conversion, votes};
use super::ledger::{Ledger, Security, SecurityKind};
use super::package::{Object, Package};

const SOURCE: &str = "ocf-package";

fn interest(id: String, subject: &str, holder: &str, kind: InterestType) -> Interest {
    Interest {
        id,
        subject: subject.to_string(),
        holder: Some(holder.to_string()),
        unspecified: None,
        kind,
        direct_or_indirect: Default::default(),
        via: Vec::new(),
        beneficial_ownership_or_control: None,
        details: None,
        share: None,
        units: None,
        class: None,
        votes_per_unit: None,
        voted_by: None,
        start: None,
        end: None,
        ends_on: None,
        source: Some(SOURCE.into()),
        assumption: false,
        note: None,
    }
}

/// "option (ISO) over 50 shares of Common Stock at USD 50.00, expiring on
/// 2031-01-20, under the 2021 Stock Incentive Plan".
fn right_words(s: &Security, cap: &CapTable) -> String {
    let class_name = |c: &str| {
        cap.classes
            .iter()
            .find(|x| x.id == c)
            .map_or(c.to_string(), |x| x.name.clone())
    };
    let what = match (s.kind, s.subtype.as_deref()) {
        (SecurityKind::Warrant, _) => "warrant".to_string(),
        (_, Some(t)) => t.to_lowercase().replace('_', " "),
        (k, None) => k.plain().to_string(),
    };
    let mut out = what;
    if let Some(q) = s.quantity {
        out.push_str(&format!(" over {q} shares"));
        if let Some(c) = &s.class {
            out.push_str(&format!(" of {}", class_name(c)));
        }
    }
    if let Some((a, cur)) = &s.amount {
        out.push_str(&format!(" of {cur} {a}"));
    }
    if let Some((p, cur)) = &s.price {
        out.push_str(&format!(" at {cur} {p}"));
    }
    if let Some(e) = s.expiration {
        out.push_str(&format!(", expiring on {e}"));
    }
    if let Some(plan) = &s.plan {
        let name = cap
            .plans
            .iter()
            .find(|x| &x.id == plan)
            .map_or(plan.clone(), |x| x.name.clone());
        out.push_str(&format!(", under {name}"));
    }
    out
}

/// A convertible the waterfall models at an exit: a SAFE (post- or
/// pre-money, with a valuation cap, a discount, or MFN) or a convertible
/// note with a cap or a discount and one interest rate (simple, or compounded monthly, quarterly or
/// annually), with its exit multiple. Anything else is `None`, counted
/// among the convertibles left out.
fn convertible(issuance: &Object, sec: &Security) -> Option<boardroom_waterfall::Safe> {
    use boardroom_waterfall::{CapBasis, Compounding, ConvertibleKind, DayCount, NoteInterest};
    let kind = match issuance.str("convertible_type") {
        Some("SAFE") => ConvertibleKind::Safe,
        Some("NOTE") => ConvertibleKind::Note,
        _ => return None,
    };
    let (amount, _) = sec.amount.clone()?;
    let wanted = match kind {
        ConvertibleKind::Safe => "SAFE_CONVERSION",
        ConvertibleKind::Note => "CONVERTIBLE_NOTE_CONVERSION",
    };
    let mechanism = issuance.value["conversion_triggers"]
        .as_array()?
        .iter()
        .map(|t| &t["conversion_right"]["conversion_mechanism"])
        .find(|m| m["type"].as_str() == Some(wanted))?;
    let cap = super::ledger::money(&mechanism["conversion_valuation_cap"]).map(|c| c.0);
    let mfn = mechanism["conversion_mfn"].as_bool().unwrap_or(false);
    // OCF states the discount as a fraction: 0.2 for 20%.
    let discount = super::ledger::number(&mechanism["conversion_discount"])
        .map(|d| d * Decimal::ONE_HUNDRED)
        .filter(|d| !d.is_zero());
    if cap.is_none() && discount.is_none() && !(mfn && kind == ConvertibleKind::Safe) {
        return None;
    }
    let cap_basis = match (kind, mechanism["conversion_timing"].as_str()) {
        (ConvertibleKind::Safe, Some("POST_MONEY")) => CapBasis::PostMoney,
        (ConvertibleKind::Safe, Some("PRE_MONEY")) => CapBasis::PreMoney,
        (ConvertibleKind::Safe, _) => return None,
        (ConvertibleKind::Note, _) => CapBasis::PreMoney,
    };
    let multiple = super::ledger::number(&mechanism["exit_multiple"]["numerator"])
        .zip(super::ledger::number(
            &mechanism["exit_multiple"]["denominator"],
        ))
        .map(|(n, d)| n.checked_div(d).unwrap_or(Decimal::ZERO));
    if multiple.is_some_and(|m| m <= Decimal::ZERO) {
        return None;
    }
    let interest = match kind {
        ConvertibleKind::Safe => None,
        ConvertibleKind::Note => {
            let rates = mechanism["interest_rates"].as_array();
            match rates.map(|r| r.as_slice()) {
                None | Some([]) => None,
                Some([one]) if one["accrual_end_date"].is_null() => {
                    let rate = super::ledger::number(&one["rate"])?;
                    let since = super::ledger::date(&one["accrual_start_date"])?;
                    let day_count = match mechanism["day_count_convention"].as_str() {
                        Some("30_360") => DayCount::Thirty360,
                        _ => DayCount::Actual365,
                    };
                    let compounding = match (
                        mechanism["compounding_type"].as_str(),
                        mechanism["interest_accrual_period"].as_str(),
                    ) {
                        (Some("COMPOUNDING"), Some("ANNUAL")) => Compounding::Annual,
                        (Some("COMPOUNDING"), Some("QUARTERLY")) => Compounding::Quarterly,
                        (Some("COMPOUNDING"), Some("MONTHLY")) => Compounding::Monthly,
                        (Some("COMPOUNDING"), _) => return None,
                        _ => Compounding::Simple,
                    };
                    Some(NoteInterest {
                        rate_percent: rate * Decimal::ONE_HUNDRED,
                        since,
                        compounding,
                        day_count,
                    })
                }
                // Several rates, or one that ends: not modelled.
                Some(_) => return None,
            }
        }
    };
    Some(boardroom_waterfall::Safe {
        id: sec.id.clone(),
        party: sec.holder.clone(),
        purchase_amount: amount,
        valuation_cap: cap,
        kind,
        cap_basis,
        interest,
        repayment_multiple: multiple.filter(|m| *m != Decimal::ONE),
        discount_percent: discount,
        mfn: mfn && cap.is_none(),
        seniority: None,
        source: Some(SOURCE.into()),
        note: None,
    })
}

fn jurisdiction(issuer: &Object) -> Option<String> {
    let country = issuer.str("country_of_formation")?;
    Some(match issuer.str("country_subdivision_of_formation") {
        Some(sub) => format!("{country}-{sub}"),
        None => country.to_string(),
    })
}

/// The structure, and what the structure cannot carry.
pub fn to_structure(p: &Package, l: &Ledger, cap: &CapTable) -> (Structure, Vec<String>) {
    let mut s = Structure::default();
    let mut lost = Vec::new();
    let issuer = p.issuer.id.clone();
    let on = cap.as_of;
    s.scenario.id = format!("ocf-{issuer}");
    s.scenario.title = format!("{}: the cap table of an OCF package", cap.issuer);
    s.scenario.as_of = Some(on);
    s.scenario.description = Some(format!(
        "Imported from the Open Cap Format package `{}` (OCF {}), as of {on}.",
        p.manifest, p.ocf_version
    ));
    s.source.push(Source {
        id: SOURCE.into(),
        title: format!(
            "OCF package `{}` of {} (OCF {})",
            p.manifest, cap.issuer, p.ocf_version
        ),
        publisher: Some(cap.issuer.clone()),
        url: None,
        date: p.as_of,
        note: p.generated_at.as_ref().map(|g| format!("generated at {g}")),
        unidentified: false,
    });
    s.party.push(Party {
        id: issuer.clone(),
        name: cap.issuer.clone(),
        kind: PartyKind::Corporation,
        jurisdiction: jurisdiction(&p.issuer),
        identifier: Vec::new(),
        founded: super::ledger::date(&p.issuer.value["formation_date"]),
        dissolved: None,
        source: Some(SOURCE.into()),
        note: p
            .issuer
            .str("dba")
            .map(|d| format!("doing business as {d}")),
    });
    for o in p.objects.iter().filter(|o| o.object_type == "STAKEHOLDER") {
        let individual = o.str("stakeholder_type") == Some("INDIVIDUAL");
        s.party.push(Party {
            id: o.id.clone(),
            name: cap
                .holders
                .iter()
                .find(|h| h.id == o.id)
                .map_or(o.id.clone(), |h| h.name.clone()),
            kind: if individual {
                PartyKind::Person
            } else {
                PartyKind::Corporation
            },
            jurisdiction: None,
            identifier: Vec::new(),
            founded: None,
            dissolved: None,
            source: Some(SOURCE.into()),
            note: (!individual).then(|| {
                "OCF says only that it is an institution: boardroom records it as a corporation"
                    .to_string()
            }),
        });
    }
    // Classes: ranked by seniority, highest paid first.
    let class_objects: Vec<&Object> = p
        .objects
        .iter()
        .filter(|o| o.object_type == "STOCK_CLASS")
        .collect();
    let mut seniorities: Vec<Decimal> = cap.classes.iter().filter_map(|c| c.seniority).collect();
    seniorities.sort_unstable_by(|a, b| b.cmp(a));
    seniorities.dedup();
    // A class with no share outstanding is not a class of the structure
    // (a class has shares); its figures stay in the cap table.
    let present: Vec<&str> = cap
        .classes
        .iter()
        .filter(|c| c.outstanding > Decimal::ZERO)
        .map(|c| c.id.as_str())
        .collect();
    for (c, o) in cap.classes.iter().zip(&class_objects) {
        if !present.contains(&c.id.as_str()) {
            lost.push(format!(
                "class `{}` has no share outstanding on {on}: it is in the cap table, not in the structure",
                c.name
            ));
            continue;
        }
        let mut note = vec![format!("OCF class type {}", c.class_type)];
        if votes(o).is_none() {
            note.push("the package does not state votes per share: boardroom's default of one vote applies".into());
        }
        note.push(format!("shares outstanding on {on}"));
        s.share_class.push(StockClass {
            id: c.id.clone(),
            entity: issuer.clone(),
            name: Some(c.name.clone()),
            issued: c.outstanding,
            authorised: c.authorized,
            treasury: None,
            nominal: super::ledger::money(&o.value["par_value"]).map(|m| m.0),
            votes_per_share: c.votes_per_share,
            vote_cap: None,
            vote_cap_of: None,
            rank: c
                .seniority
                .and_then(|x| seniorities.iter().position(|y| *y == x))
                .map(|k| k as u32 + 1),
            economic_rights: None,
            converts_into: conversion(o)
                .filter(|(into, _)| present.contains(&into.as_str()))
                .map(|(class, ratio)| boardroom::Conversion {
                    class,
                    // The ratio in force on the date (after adjustments).
                    ratio: Some(c.conversion_ratio.unwrap_or(ratio)),
                    when: None,
                }),
            transfer_restriction: None,
            source: Some(SOURCE.into()),
            note: Some(note.join("; ")),
        });
    }
    let known_holder = |h: &str| cap.holders.iter().any(|x| x.id == h);
    let (mut void, mut unknown_class) = (0usize, 0usize);
    for sec in &l.securities {
        if !known_holder(&sec.holder) {
            continue;
        }
        if sec.end.as_ref().is_some_and(|e| e.void) {
            void += 1;
            continue;
        }
        let end = sec.end.as_ref().filter(|e| !e.keeps_rest).map(|e| e.date);
        match sec.kind {
            SecurityKind::Stock => {
                let Some(class) = sec.class.as_ref().filter(|c| present.contains(&c.as_str()))
                else {
                    if sec.class.is_none() {
                        unknown_class += 1;
                    }
                    continue;
                };
                let mut i = interest(
                    sec.id.clone(),
                    &issuer,
                    &sec.holder,
                    InterestType::Shareholding,
                );
                let factor = l.split_factor(class, sec.date, end.unwrap_or(on).min(on));
                i.units = sec.quantity.map(|q| q * factor);
                i.class = Some(class.clone());
                i.start = Some(sec.date);
                i.end = end;
                if factor != Decimal::ONE {
                    i.note = Some(format!(
                        "{} shares as issued, × {factor} for the splits since",
                        sec.quantity.unwrap_or_default()
                    ));
                }
                if let Some(e) = sec.end.as_ref().filter(|e| e.keeps_rest) {
                    // Part consumed, the rest kept: two holdings.
                    let q = sec.quantity.unwrap_or_default();
                    let rest = q - e.quantity.unwrap_or(q);
                    i.end = Some(e.date);
                    let mut r = i.clone();
                    r.id = format!("{}-rest", sec.id);
                    r.units = Some(rest * l.split_factor(class, sec.date, on));
                    r.start = Some(e.date);
                    r.end = None;
                    r.note = Some(format!(
                        "what {} left of `{}`; the package names no balance security",
                        e.object_type, sec.id
                    ));
                    s.interest.push(i);
                    s.interest.push(r);
                } else {
                    s.interest.push(i);
                }
            }
            _ => {
                let mut i = interest(
                    sec.id.clone(),
                    &issuer,
                    &sec.holder,
                    InterestType::ConditionalRightsGrantedByContract,
                );
                let mut words = right_words(sec, cap);
                match super::vesting::of(p, l, sec) {
                    None => {}
                    Some(Ok(t)) if !t.is_empty() => {
                        let vested = super::vesting::vested_on(&t, cap.as_of);
                        let total: Decimal = t.iter().map(|x| x.amount).sum();
                        words.push_str(&format!(
                            "; vesting: {vested} of {total} vested on {}, in {} tranche{} from {} to {}",
                            cap.as_of,
                            t.len(),
                            if t.len() == 1 { "" } else { "s" },
                            t[0].date,
                            t[t.len() - 1].date
                        ));
                    }
                    Some(Ok(_)) => {}
                    Some(Err(why)) => words.push_str(&format!("; vesting not dated: {why}")),
                }
                i.details = Some(words);
                i.start = Some(sec.date);
                i.end = end;
                s.interest.push(i);
            }
        }
    }
    if void > 0 {
        lost.push(format!("{void} retracted securit{} left out: OCF retracts a security as if it was never issued", if void == 1 { "y" } else { "ies" }));
    }
    if unknown_class > 0 {
        lost.push(format!(
            "{unknown_class} stock securities name no class and are left out"
        ));
    }
    let rights = l
        .securities
        .iter()
        .filter(|x| x.kind != SecurityKind::Stock)
        .count();
    if rights > 0 {
        lost.push(format!(
            "grants, warrants and convertibles ({rights}) are carried as conditional rights, in words: votes and control do not count them"
        ));
    }
    // The pools, as counted on the date: what is still available dilutes.
    let pools: Vec<boardroom_waterfall::Pool> = cap
        .plans
        .iter()
        .map(|plan| boardroom_waterfall::Pool {
            id: plan.id.clone(),
            name: Some(plan.name.clone()),
            class: p
                .objects
                .iter()
                .find(|o| o.object_type == "STOCK_PLAN" && o.id == plan.id)
                .and_then(|o| {
                    let ids = o.value["stock_class_ids"].as_array();
                    match ids {
                        Some(a) if a.len() == 1 => a[0].as_str(),
                        Some(_) => None,
                        None => o.str("stock_class_id"),
                    }
                })
                .map(str::to_string),
            reserved: plan.reserved,
            available: plan.available,
            counted_on: Some(cap.as_of),
            source: Some(SOURCE.into()),
            note: Some(format!(
                "{} drawn (every grant and share issued under the plan), {} returned to the pool",
                boardroom::report::count(plan.drawn),
                boardroom::report::count(plan.returned)
            )),
        })
        .collect();
    lost.push(
        "vesting is carried in words on each grant and warrant (what is vested on the date, and when the rest vests), and the cap table counts the unvested shares, restricted stock included; votes, control and the waterfall count unvested shares as outstanding. Legends, valuations, financings and documents are not carried".into(),
    );
    // Economics: the classes' liquidation terms.
    let common: Vec<&str> = cap
        .classes
        .iter()
        .filter(|c| c.class_type == "COMMON")
        .map(|c| c.id.as_str())
        .collect();
    let mut classes = Vec::new();
    for c in cap.classes.iter().filter(|c| c.outstanding > Decimal::ZERO) {
        let preferred = c.class_type == "PREFERRED";
        let holders = cap
            .holders
            .iter()
            .filter_map(|h| {
                let u = h.shares.get(&c.id).copied().unwrap_or_default();
                (u > Decimal::ZERO).then(|| boardroom_waterfall::Holder {
                    party: h.id.clone(),
                    units: u,
                })
            })
            .collect();
        if preferred && c.liquidation_preference_multiple.is_none() {
            lost.push(format!(
                "class `{}` is preferred but the package states no liquidation preference: the waterfall pays it as common, as converted",
                c.name
            ));
        }
        if !preferred
            && c.liquidation_preference_multiple
                .is_some_and(|m| !m.is_zero())
        {
            lost.push(format!(
                "class `{}` is common but states a liquidation preference multiple: boardroom gives common no preference",
                c.name
            ));
        }
        classes.push(ShareClass {
            id: c.id.clone(),
            shares: c.outstanding,
            price_per_share: if c.invested.is_none() {
                c.price_per_share
            } else {
                None
            },
            invested: c.invested,
            seniority: c.seniority.map_or(0, |x| x.trunc().try_into().unwrap_or(0)),
            liquidation_preference_multiple: if preferred {
                c.liquidation_preference_multiple
            } else {
                None
            },
            participating: preferred && c.participation_cap_multiple.is_some(),
            participation_cap_multiple: if preferred {
                c.participation_cap_multiple
            } else {
                None
            },
            conversion_ratio: c
                .converts_into
                .as_deref()
                .filter(|into| common.contains(into))
                .and(c.conversion_ratio),
            convertible: !preferred || c.converts_into.is_some(),
            dividends_accrued: None,
            dividend: None,
            votes_per_share: c.votes_per_share,
            holders,
            source: Some(SOURCE.into()),
            note: None,
        });
    }
    // Grants and warrants outstanding on the date, over a class that shares
    // as common: exercised in the waterfall when in the money.
    let mut options = Vec::new();
    let mut safes = Vec::new();
    let (mut no_class, mut over_preferred, mut convertibles) = (0usize, 0usize, 0usize);
    for sec in l
        .securities
        .iter()
        .filter(|x| x.alive_on(on) && known_holder(&x.holder))
    {
        let kind = match sec.kind {
            SecurityKind::EquityCompensation => boardroom_waterfall::OptionKind::Option,
            SecurityKind::Warrant => boardroom_waterfall::OptionKind::Warrant,
            SecurityKind::Convertible => {
                match convertible(&p.objects[sec.issuance], sec) {
                    Some(safe) => safes.push(safe),
                    None => convertibles += 1,
                }
                continue;
            }
            SecurityKind::Stock => continue,
        };
        // Shares and prices after the splits since the grant.
        let split = l.right_split_factor(p, sec, sec.date, on);
        let units = sec.held_on(on).checked_mul(split).unwrap_or_default();
        if units <= Decimal::ZERO {
            continue;
        }
        let class = super::ledger::right_class(p, sec);
        let Some(class) = class.filter(|c| classes.iter().any(|x| &x.id == c)) else {
            no_class += 1;
            continue;
        };
        if classes.iter().any(|x| {
            x.id == class
                && x.liquidation_preference_multiple
                    .is_some_and(|m| !m.is_zero())
        }) {
            over_preferred += 1;
        }
        let rsu = sec.subtype.as_deref() == Some("RSU");
        let stated = sec.price.as_ref().map(|p| p.0);
        let repriced = l
            .repricings
            .iter()
            .filter(|(id, d, _)| id == &sec.id && *d <= on)
            .max_by_key(|(_, d, _)| *d)
            .map(|(_, d, price)| (*price, *d));
        let strike = if rsu {
            Decimal::ZERO
        } else {
            match (repriced, stated) {
                (Some((price, d)), _) => price
                    .checked_div(l.right_split_factor(p, sec, d, on))
                    .unwrap_or_default(),
                (None, Some(price)) => price.checked_div(split).unwrap_or_default(),
                (None, None) => Decimal::ZERO,
            }
        };
        options.push(boardroom_waterfall::OptionGrant {
            id: sec.id.clone(),
            party: sec.holder.clone(),
            class,
            units,
            strike: strike.normalize(),
            kind,
            plan: sec.plan.clone(),
            source: Some(SOURCE.into()),
            note: if rsu {
                Some("an RSU: settled in shares, no strike".into())
            } else if stated.is_none() && repriced.is_none() {
                Some("the package states no exercise price: counted as zero".into())
            } else {
                None
            },
        });
    }
    if no_class > 0 {
        lost.push(format!(
            "grants and warrants that name no class with shares outstanding ({no_class}): the waterfall leaves them out"
        ));
    }
    if over_preferred > 0 {
        lost.push(format!(
            "options and warrants over a preferred class ({over_preferred}): at an exit each is exercised only where a share of the class is worth more than its strike, so the waterfall is given for single amounts, not cumulatively"
        ));
    }
    if convertibles > 0 {
        lost.push(format!(
            "convertibles outstanding that the waterfall leaves out ({convertibles}): SAFEs and notes with neither a cap nor a discount, notes with several interest rates or compounding daily or semi-annually, and SAFEs without a stated pre- or post-money cap are not modelled at an exit"
        ));
    }
    if classes.is_empty() && !pools.is_empty() {
        lost.push(format!(
            "the pools of {} plan(s): no class has shares outstanding, so there are no economic terms to hold them",
            pools.len()
        ));
    }
    if !classes.is_empty() {
        let currency = l
            .securities
            .iter()
            .find_map(|x| x.price.as_ref().map(|p| p.1.clone()))
            .unwrap_or_else(|| "USD".into());
        s.economics.push(EconomicTerms {
            entity: issuer.clone(),
            currency,
            investment: Vec::new(),
            tier: Vec::new(),
            cap: Vec::new(),
            claim: Vec::new(),
            safe: safes,
            class: classes,
            option: options,
            pool: pools,
            fund: None,
            paid: Vec::new(),
            residual: None,
            source: Some(SOURCE.into()),
            note: Some("OCF gives no participation flag: a preferred class with a participation cap is read as participating up to it".into()),
        });
    }
    // The file keeps what the import left out, beside the source it read.
    if let Some(src) = s.source.iter_mut().find(|x| x.id == SOURCE) {
        let carried = format!("Not carried by the import: {}", lost.join("; "));
        src.note = Some(match src.note.take() {
            Some(n) => format!("{n}. {carried}"),
            None => carried,
        });
    }
    (s, lost)
}
