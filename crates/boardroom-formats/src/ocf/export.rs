//! A structure as an OCF package: the issuer's stakeholders, its share
//! classes with their terms, one stock issuance for each holding in force
//! on a date (and for each that ended, with a cancellation on its end
//! date), the options, warrants, SAFEs and notes of its economic terms,
//! each file listed in the manifest with its MD5.
//!
//! What OCF needs and a structure does not hold is not invented: it is
//! left out, and said.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use md5::Digest;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use boardroom::{InterestType, PartyKind, Structure};

use super::SCHEMA_VERSION;

/// The package: (file name, text), the manifest first.
#[derive(Debug, Clone)]
pub struct Exported {
    pub files: Vec<(String, String)>,
    /// What the package does not carry, in words.
    pub not_carried: Vec<String>,
}

fn file(file_type: &str, items: Vec<Value>) -> String {
    let mut text = serde_json::to_string_pretty(&json!({ "file_type": file_type, "items": items }))
        .unwrap_or_default();
    text.push('\n');
    text
}

/// A class's price per share: as stated, else the amount invested over the
/// shares, to OCF's 10 decimal places.
fn class_price(c: &boardroom::ShareClass) -> Option<Decimal> {
    c.price_per_share
        .or_else(|| c.invested.and_then(|inv| inv.checked_div(c.shares)))
        .map(|p| p.round_dp(10))
}

/// The MD5 of `bytes`, as lowercase hex (as OCF manifests list files).
pub fn md5_hex(bytes: &[u8]) -> String {
    md5::Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn number(d: Decimal) -> Value {
    Value::String(d.normalize().to_string())
}

/// Export `entity` of `s` on `as_of`.
/// A party of the structure as an OCF stakeholder.
fn stakeholder_json(s: &Structure, id: &str) -> Value {
    let party = s.party(id);
    json!({
        "object_type": "STAKEHOLDER",
        "id": id,
        "name": { "legal_name": party.map_or(id, |p| p.name.as_str()) },
        "stakeholder_type": if party.is_some_and(|p| p.kind == PartyKind::Person) { "INDIVIDUAL" } else { "INSTITUTION" },
        "comments": []
    })
}

/// The id of the stakeholder that stands for the holders a structure does
/// not name: `unnamed-holders`, unless a party already has it.
fn unnamed_stakeholder(s: &Structure) -> String {
    let mut id = "unnamed-holders".to_string();
    while s.party(&id).is_some() {
        id.push('_');
    }
    id
}

pub fn export(s: &Structure, entity: &str, as_of: NaiveDate) -> Result<Exported, String> {
    let Some(issuer) = s.party(entity) else {
        return Err(format!("`{entity}` is not a party of the structure"));
    };
    let Some(founded) = issuer.founded else {
        return Err(format!(
            "OCF requires the issuer's formation date, and the party `{entity}` states none: no package is written\n  = hint: add `founded = YYYY-MM-DD` to the party `{entity}`, from its certificate of incorporation or register entry"
        ));
    };
    let classes: Vec<&boardroom::StockClass> = s.classes_of(entity).collect();
    if classes.is_empty() {
        return Err(format!(
            "`{entity}` has no share classes: an OCF cap table is made of them"
        ));
    }
    let mut lost = Vec::new();
    let terms = s.economics.iter().find(|t| t.entity == entity);
    let class_terms = |id: &str| terms.and_then(|t| t.class.iter().find(|c| c.id == id));
    let (state, _) = boardroom::state_as_of(s, as_of);
    // Holdings in force on the date, with units and a class.
    let holdings: Vec<&boardroom::Interest> = state
        .interests_in(entity)
        .filter(|i| i.kind == InterestType::Shareholding && i.holder.is_some())
        .collect();
    // Holdings that ended by the date: issued, then cancelled on their end.
    let ended: Vec<&boardroom::Interest> = s
        .interests_in(entity)
        .filter(|i| {
            i.kind == InterestType::Shareholding
                && i.holder.is_some()
                && i.end.is_some_and(|e| e <= as_of)
                && i.start.is_none_or(|d| d <= as_of)
        })
        .collect();
    if !ended.is_empty() {
        lost.push(format!(
            "holdings that ended by {as_of} ({}): each is issued and then cancelled on its end date, with a reason saying that the structure does not record whether it was transferred, repurchased or cancelled",
            ended.len()
        ));
    }
    let mut stakeholders: BTreeMap<String, Value> = BTreeMap::new();
    let mut transactions = Vec::new();
    let mut unpriced = 0usize;
    let mut no_units = 0usize;
    let sole = (classes.len() == 1).then(|| classes[0].id.clone());
    for i in holdings.iter().chain(&ended) {
        let holder = i.holder.clone().unwrap_or_default();
        let (Some(units), Some(class)) = (i.units, i.class.clone().or_else(|| sole.clone())) else {
            no_units += 1;
            continue;
        };
        stakeholders
            .entry(holder.clone())
            .or_insert_with(|| stakeholder_json(s, &holder));
        let price = class_terms(&class).and_then(class_price);
        if price.is_none() {
            unpriced += 1;
        }
        let mut comments = Vec::new();
        if price.is_none() {
            comments.push(json!(
                "boardroom: the structure states no price paid; 0 is written"
            ));
        } else if class_terms(&class).is_some_and(|t| t.price_per_share.is_none()) {
            comments.push(json!(
                "boardroom: the price is the class's amount invested over its shares (an average): the structure keeps no price per issuance"
            ));
        }
        if i.start.is_none() {
            comments.push(json!(format!(
                "boardroom: the structure states no start date; {as_of} is written"
            )));
        }
        transactions.push(json!({
            "object_type": "TX_STOCK_ISSUANCE",
            "id": format!("{}-issuance", i.id),
            "security_id": i.id,
            "custom_id": i.id,
            "date": i.start.unwrap_or(as_of).to_string(),
            "stakeholder_id": holder,
            "stock_class_id": class,
            "share_price": { "amount": number(price.unwrap_or_default()), "currency": terms.map_or("USD", |t| t.currency.as_str()) },
            "quantity": number(units),
            "stock_legend_ids": [],
            "security_law_exemptions": [],
            "comments": comments
        }));
        if let Some(end) = i.end.filter(|e| *e <= as_of) {
            transactions.push(json!({
                "object_type": "TX_STOCK_CANCELLATION",
                "id": format!("{}-ended", i.id),
                "security_id": i.id,
                "date": end.to_string(),
                "quantity": number(units),
                "reason_text": "boardroom: the holding ended on this date; the structure does not say whether it was transferred, repurchased or cancelled",
                "comments": []
            }));
        }
    }
    // Shares no named holding accounts for: issued to one stakeholder that
    // says what it is, so the classes' counts survive the export.
    let mut unnamed_lines = Vec::new();
    for c in &classes {
        let named: Decimal = holdings
            .iter()
            .filter(|i| i.class.as_deref().or(sole.as_deref()) == Some(c.id.as_str()))
            .filter_map(|i| i.units)
            .sum();
        let rest = c.outstanding() - named;
        if rest <= Decimal::ZERO {
            continue;
        }
        let id = unnamed_stakeholder(s);
        stakeholders.entry(id.clone()).or_insert_with(|| {
            json!({
                "object_type": "STAKEHOLDER",
                "id": id,
                "name": { "legal_name": boardroom::UNNAMED_HOLDERS },
                "stakeholder_type": "INSTITUTION",
                "comments": ["boardroom: not a holder: the shares the structure counts in its classes and gives no named holder, together; they may be held by many holders"]
            })
        });
        transactions.push(json!({
            "object_type": "TX_STOCK_ISSUANCE",
            "id": format!("{}-unnamed-issuance", c.id),
            "security_id": format!("{}-unnamed", c.id),
            "custom_id": format!("{}-unnamed", c.id),
            "date": as_of.to_string(),
            "stakeholder_id": id,
            "stock_class_id": c.id,
            "share_price": { "amount": "0", "currency": terms.map_or("USD", |t| t.currency.as_str()) },
            "quantity": number(rest),
            "stock_legend_ids": [],
            "security_law_exemptions": [],
            "comments": [format!("boardroom: the {} shares of the class outstanding on {as_of} that no holding in the structure names; their holders, dates and price are not in it (0 is written)", boardroom::report::count(rest))]
        }));
        unnamed_lines.push(format!(
            "{} {}",
            c.name.as_deref().unwrap_or(&c.id),
            boardroom::report::count(rest)
        ));
    }
    if !unnamed_lines.is_empty() {
        lost.push(format!(
            "shares whose holders the structure does not name ({}): issued on {as_of} at 0 to one stakeholder, `{}`, named \"{}\", so each class's count is kept; they may be many holders",
            unnamed_lines.join(", "),
            unnamed_stakeholder(s),
            boardroom::UNNAMED_HOLDERS
        ));
    }
    if unpriced > 0 {
        lost.push(format!(
            "holdings whose class states no price ({unpriced}): their issuances say a price of 0, with a comment"
        ));
    }
    if no_units > 0 {
        lost.push(format!(
            "holdings stated as a percentage, not in shares of a class ({no_units}): not exported"
        ));
    }
    let mut unpriced_conversions: Vec<String> = Vec::new();
    let stock_classes: Vec<Value> = classes
        .iter()
        .map(|c| {
            let t = class_terms(&c.id);
            let preferred = t.is_some_and(|t| {
                t.liquidation_preference_multiple
                    .is_some_and(|m| !m.is_zero())
            });
            let mut v = json!({
                "object_type": "STOCK_CLASS",
                "id": c.id,
                "name": c.name.clone().unwrap_or_else(|| c.id.clone()),
                "class_type": if preferred { "PREFERRED" } else { "COMMON" },
                "default_id_prefix": format!("{}-", c.id.to_uppercase()),
                "initial_shares_authorized": number(c.authorised.unwrap_or(c.issued)),
                "votes_per_share": number(c.votes()),
                "seniority": number(Decimal::from(t.map_or(0, |t| t.seniority))),
                "comments": if c.authorised.is_some() {
                    json!([])
                } else {
                    json!(["boardroom: the structure states no shares authorised; the shares issued are written"])
                }
            });
            if let Some(t) = t {
                if let Some(m) = t.liquidation_preference_multiple {
                    v["liquidation_preference_multiple"] = number(m);
                }
                if let Some(m) = t.participation_cap_multiple {
                    v["participation_cap_multiple"] = number(m);
                }
                if let Some(p) = class_price(t) {
                    v["price_per_share"] = json!({ "amount": number(p), "currency": terms.map_or("USD", |x| x.currency.as_str()) });
                }
            }
            if let Some(n) = c.nominal {
                v["par_value"] = json!({ "amount": number(n), "currency": terms.map_or("USD", |x| x.currency.as_str()) });
            }
            if let Some(conv) = &c.converts_into {
                let ratio = conv.ratio.unwrap_or(Decimal::ONE);
                // The effective price per share converted into: the class's
                // price over the ratio, where the structure has a price.
                let conversion_price = t
                    .and_then(class_price)
                    .and_then(|p| p.checked_div(ratio))
                    .map(|p| p.round_dp(10));
                if conversion_price.is_none() {
                    unpriced_conversions.push(c.id.clone());
                }
                v["conversion_rights"] = json!([{
                    "type": "STOCK_CLASS_CONVERSION_RIGHT",
                    "conversion_mechanism": {
                        "type": "RATIO_CONVERSION",
                        "conversion_price": { "amount": number(conversion_price.unwrap_or_default()), "currency": terms.map_or("USD", |x| x.currency.as_str()) },
                        "ratio": { "numerator": number(ratio), "denominator": "1" },
                        "rounding_type": "NORMAL"
                    },
                    "converts_to_stock_class_id": conv.class
                }]);
            }
            v
        })
        .collect();
    if !unpriced_conversions.is_empty() {
        lost.push(format!(
            "the conversion price of class{} {}: the structure states no price for {}; 0 is written",
            if unpriced_conversions.len() == 1 { "" } else { "es" },
            unpriced_conversions.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "),
            if unpriced_conversions.len() == 1 { "it" } else { "them" }
        ));
    }
    if classes
        .iter()
        .any(|c| c.treasury.is_some_and(|t| !t.is_zero()))
    {
        lost.push(
            "treasury shares: OCF has no count of them; the classes' shares issued are written"
                .into(),
        );
    }
    if classes.iter().any(|c| c.vote_cap.is_some()) {
        lost.push("voting caps: OCF has no field for them".into());
    }
    // Pools: written so that OCF's count of what is available (reserved,
    // less the grants drawn, plus what was returned) gives the structure's
    // own, from the grants the package holds.
    let mut stock_plans = Vec::new();
    for p in terms.map(|t| t.pool.as_slice()).unwrap_or_default() {
        let granted: Decimal = terms
            .map(|t| {
                t.option
                    .iter()
                    .filter(|o| o.plan.as_deref() == Some(p.id.as_str()))
                    .map(|o| o.units)
                    .sum()
            })
            .unwrap_or_default();
        let reserved = p.available + granted;
        let mut comments = Vec::new();
        if reserved != p.reserved {
            let why = format!(
                "pool `{}`: {} shares reserved, written as {} ({} available{} + {} in the grants exported), so that OCF counts the same {} available: the grants drawn from it and since exercised, cancelled or returned are not in the structure",
                p.id,
                boardroom::report::count(p.reserved),
                boardroom::report::count(reserved),
                boardroom::report::count(p.available),
                p.counted_on.map(|d| format!(" on {d}")).unwrap_or_default(),
                boardroom::report::count(granted),
                boardroom::report::count(p.available),
            );
            comments.push(format!("boardroom: {why}"));
            lost.push(why);
        }
        let mut plan = json!({
            "object_type": "STOCK_PLAN",
            "id": p.id,
            "plan_name": p.name.clone().unwrap_or_else(|| p.id.clone()),
            "initial_shares_reserved": number(reserved),
            "comments": comments
        });
        if let Some(c) = &p.class {
            plan["stock_class_ids"] = json!([c]);
        }
        stock_plans.push(plan);
    }
    if let Some(t) = terms {
        let currency = t.currency.as_str();
        let money = |d: Decimal| json!({ "amount": number(d), "currency": currency });
        let mut stakeholder = |id: &str| {
            stakeholders
                .entry(id.to_string())
                .or_insert_with(|| stakeholder_json(s, id));
        };
        // The date a right was granted: its interest's start, if the
        // structure has one under the same id.
        let granted = |id: &str| s.interest.iter().find(|i| i.id == id).and_then(|i| i.start);
        let mut undated = 0usize;
        for o in &t.option {
            stakeholder(&o.party);
            let date = granted(&o.id);
            undated += usize::from(date.is_none());
            let date = date.unwrap_or(as_of).to_string();
            match o.kind {
                boardroom_waterfall::OptionKind::Option => {
                    let mut v = json!({
                    "object_type": "TX_EQUITY_COMPENSATION_ISSUANCE",
                    "id": format!("{}-issuance", o.id),
                    "security_id": o.id,
                    "custom_id": o.id,
                    "date": date,
                    "stakeholder_id": o.party,
                    "stock_class_id": o.class,
                    "compensation_type": "OPTION",
                    "quantity": number(o.units),
                    "exercise_price": money(o.strike),
                    "expiration_date": null,
                    "termination_exercise_windows": [],
                    "security_law_exemptions": [],
                    "comments": ["boardroom: the structure states no expiration date or exercise windows"]
                });
                    if let Some(plan) = &o.plan {
                        v["stock_plan_id"] = json!(plan);
                    }
                    transactions.push(v);
                }
                boardroom_waterfall::OptionKind::Warrant => transactions.push(json!({
                    "object_type": "TX_WARRANT_ISSUANCE",
                    "id": format!("{}-issuance", o.id),
                    "security_id": o.id,
                    "custom_id": o.id,
                    "date": date,
                    "stakeholder_id": o.party,
                    "quantity": number(o.units),
                    "exercise_price": money(o.strike),
                    "purchase_price": money(Decimal::ZERO),
                    "exercise_triggers": [{
                        "trigger_id": format!("{}-exercise", o.id),
                        "type": "UNSPECIFIED",
                        "conversion_right": {
                            "type": "WARRANT_CONVERSION_RIGHT",
                            "conversion_mechanism": { "type": "FIXED_AMOUNT_CONVERSION", "converts_to_quantity": number(o.units) },
                            "converts_to_stock_class_id": o.class
                        }
                    }],
                    "security_law_exemptions": [],
                    "comments": ["boardroom: the structure states no purchase price or exercise terms; 0 and an unspecified trigger are written"]
                })),
            }
        }
        for sf in &t.safe {
            stakeholder(&sf.party);
            let date = granted(&sf.id);
            undated += usize::from(date.is_none());
            let mut mechanism = match sf.kind {
                boardroom_waterfall::ConvertibleKind::Safe => json!({
                    "type": "SAFE_CONVERSION",
                    "conversion_mfn": sf.mfn,
                    "conversion_timing": match sf.cap_basis {
                        boardroom_waterfall::CapBasis::PostMoney => "POST_MONEY",
                        boardroom_waterfall::CapBasis::PreMoney => "PRE_MONEY",
                    }
                }),
                boardroom_waterfall::ConvertibleKind::Note => {
                    let (rates, compounding, period, day_count) = match &sf.interest {
                        Some(i) => (
                            json!([{ "rate": number(i.rate_percent / Decimal::ONE_HUNDRED), "accrual_start_date": i.since.to_string() }]),
                            if i.compounding == boardroom_waterfall::Compounding::Simple {
                                "SIMPLE"
                            } else {
                                "COMPOUNDING"
                            },
                            match i.compounding {
                                boardroom_waterfall::Compounding::Monthly => "MONTHLY",
                                boardroom_waterfall::Compounding::Quarterly => "QUARTERLY",
                                _ => "ANNUAL",
                            },
                            match i.day_count {
                                boardroom_waterfall::DayCount::Thirty360 => "30_360",
                                _ => "ACTUAL_365",
                            },
                        ),
                        None => (json!([]), "SIMPLE", "ANNUAL", "ACTUAL_365"),
                    };
                    if sf.interest.as_ref().is_some_and(|i| {
                        matches!(
                            i.day_count,
                            boardroom_waterfall::DayCount::Actual360
                                | boardroom_waterfall::DayCount::ActualActual
                        )
                    }) {
                        lost.push(format!(
                            "note `{}`: its day count has no OCF name; actual/365 is written",
                            sf.id
                        ));
                    }
                    json!({
                        "type": "CONVERTIBLE_NOTE_CONVERSION",
                        "interest_rates": rates,
                        "day_count_convention": day_count,
                        "interest_payout": "DEFERRED",
                        "interest_accrual_period": period,
                        "compounding_type": compounding
                    })
                }
            };
            if let Some(cap) = sf.valuation_cap {
                mechanism["conversion_valuation_cap"] = money(cap);
            }
            if let Some(d) = sf.discount_percent {
                // OCF holds a percentage to 10 places.
                mechanism["conversion_discount"] = number((d / Decimal::ONE_HUNDRED).round_dp(10));
            }
            if let Some(m) = sf.repayment_multiple {
                mechanism["exit_multiple"] = json!({ "numerator": number(m), "denominator": "1" });
            }
            transactions.push(json!({
                "object_type": "TX_CONVERTIBLE_ISSUANCE",
                "id": format!("{}-issuance", sf.id),
                "security_id": sf.id,
                "custom_id": sf.id,
                "date": date.unwrap_or(as_of).to_string(),
                "stakeholder_id": sf.party,
                "convertible_type": match sf.kind {
                    boardroom_waterfall::ConvertibleKind::Safe => "SAFE",
                    boardroom_waterfall::ConvertibleKind::Note => "NOTE",
                },
                "investment_amount": money(sf.purchase_amount),
                "seniority": 1,
                "conversion_triggers": [{
                    "trigger_id": format!("{}-conversion", sf.id),
                    "type": "UNSPECIFIED",
                    "conversion_right": {
                        "type": "CONVERTIBLE_CONVERSION_RIGHT",
                        "conversion_mechanism": mechanism
                    }
                }],
                "security_law_exemptions": [],
                "comments": []
            }));
        }
        let exported: Vec<&str> = t
            .option
            .iter()
            .map(|o| o.id.as_str())
            .chain(t.safe.iter().map(|x| x.id.as_str()))
            .collect();
        let rights_left = state
            .interests_in(entity)
            .filter(|i| {
                i.kind == InterestType::ConditionalRightsGrantedByContract
                    && !exported.contains(&i.id.as_str())
            })
            .count();
        if rights_left > 0 {
            lost.push(format!(
                "conditional rights not in the economic terms ({rights_left}), such as a warrant that names no class: the structure holds them in words only, so they are not exported"
            ));
        }
        if !t.option.is_empty() || !t.safe.is_empty() {
            lost.push(format!(
                "options, warrants, SAFEs and notes ({}): exported with their classes, quantities, strikes, amounts, caps and interest; expiration dates, exercise windows, purchase prices, triggers and seniority are not in the structure and are written as null, 0, unspecified or 1{}",
                t.option.len() + t.safe.len(),
                if undated > 0 {
                    format!("; {undated} of them have no grant date in the structure and carry the export's date")
                } else {
                    String::new()
                }
            ));
        }
        if !t.tier.is_empty() || !t.claim.is_empty() || t.fund.is_some() || !t.cap.is_empty() {
            lost.push(
                "tiers, claims, caps and fund terms: OCF describes share classes, not these".into(),
            );
        }
    }
    if !s.body.is_empty() || !s.event.is_empty() {
        lost.push(
            "bodies, rules and the timeline of acts: OCF is a cap table, not a governance record"
                .into(),
        );
    }
    let mut files = vec![
        (
            "Stakeholders.ocf.json".to_string(),
            file(
                "OCF_STAKEHOLDERS_FILE",
                stakeholders.into_values().collect(),
            ),
        ),
        (
            "StockClasses.ocf.json".to_string(),
            file("OCF_STOCK_CLASSES_FILE", stock_classes),
        ),
        (
            "Transactions.ocf.json".to_string(),
            file("OCF_TRANSACTIONS_FILE", transactions),
        ),
    ];
    if !stock_plans.is_empty() {
        files.push((
            "StockPlans.ocf.json".to_string(),
            file("OCF_STOCK_PLANS_FILE", stock_plans),
        ));
    }
    let entry = |name: &str, text: &str| json!([{ "filepath": format!("./{name}"), "md5": md5_hex(text.as_bytes()) }]);
    let mut issuer_json = json!({
        "object_type": "ISSUER",
        "id": entity,
        "legal_name": issuer.name,
        "comments": []
    });
    issuer_json["formation_date"] = json!(founded.to_string());
    if let Some(j) = &issuer.jurisdiction {
        let (country, sub) = j
            .split_once('-')
            .map_or((j.as_str(), None), |(c, s)| (c, Some(s)));
        issuer_json["country_of_formation"] = json!(country);
        if let Some(sub) = sub {
            issuer_json["country_subdivision_of_formation"] = json!(sub);
        }
    }
    let manifest = json!({
        "ocf_version": SCHEMA_VERSION,
        "file_type": "OCF_MANIFEST_FILE",
        "issuer": issuer_json,
        "as_of": as_of.to_string(),
        "generated_at": format!("{as_of}T00:00:00Z"),
        "stakeholders_files": entry(&files[0].0, &files[0].1),
        "stock_classes_files": entry(&files[1].0, &files[1].1),
        "transactions_files": entry(&files[2].0, &files[2].1),
        "stock_plans_files": match files.get(3) {
            Some((name, text)) => entry(name, text),
            None => json!([]),
        },
        "stock_legend_templates_files": [],
        "vesting_terms_files": [],
        "valuations_files": [],
        "comments": [format!("Exported by boardroom from the structure `{}` as of {as_of}.", s.scenario.id)]
    });
    let mut out = vec![(
        "Manifest.ocf.json".to_string(),
        serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n",
    )];
    out.extend(files);
    Ok(Exported {
        files: out,
        not_carried: lost,
    })
}
