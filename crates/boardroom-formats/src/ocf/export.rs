//! A structure as an OCF package: the issuer's stakeholders, its share
//! classes with their terms, and one stock issuance for each holding in
//! force on a date, each file listed in the manifest with its MD5.
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
pub fn export(s: &Structure, entity: &str, as_of: NaiveDate) -> Result<Exported, String> {
    let Some(issuer) = s.party(entity) else {
        return Err(format!("`{entity}` is not a party of the structure"));
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
    let ended = s
        .interests_in(entity)
        .filter(|i| i.kind == InterestType::Shareholding && i.end.is_some_and(|e| e <= as_of))
        .count();
    if ended > 0 {
        lost.push(format!(
            "holdings that ended by {as_of} ({ended}): OCF records how a security ended (a transfer, a cancellation, a repurchase) and the structure does not say, so only the holdings in force are exported"
        ));
    }
    let mut stakeholders: BTreeMap<String, Value> = BTreeMap::new();
    let mut transactions = Vec::new();
    let mut unpriced = 0usize;
    let mut no_units = 0usize;
    let sole = (classes.len() == 1).then(|| classes[0].id.clone());
    for i in &holdings {
        let holder = i.holder.clone().unwrap_or_default();
        let (Some(units), Some(class)) = (i.units, i.class.clone().or_else(|| sole.clone())) else {
            no_units += 1;
            continue;
        };
        let party = s.party(&holder);
        stakeholders.entry(holder.clone()).or_insert_with(|| {
            json!({
                "object_type": "STAKEHOLDER",
                "id": holder,
                "name": { "legal_name": party.map_or(holder.as_str(), |p| p.name.as_str()) },
                "stakeholder_type": if party.is_some_and(|p| p.kind == PartyKind::Person) { "INDIVIDUAL" } else { "INSTITUTION" },
                "comments": []
            })
        });
        let price = class_terms(&class).and_then(class_price);
        if price.is_none() {
            unpriced += 1;
        }
        let mut comments = Vec::new();
        if price.is_none() {
            comments.push(json!(
                "boardroom: the structure states no price paid; 0 is written"
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
                "initial_shares_authorized": number(c.issued),
                "votes_per_share": number(c.votes()),
                "seniority": number(Decimal::from(t.map_or(0, |t| t.seniority))),
                "comments": ["boardroom: shares authorised are not in the structure; the shares issued are written"]
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
                v["conversion_rights"] = json!([{
                    "type": "STOCK_CLASS_CONVERSION_RIGHT",
                    "conversion_mechanism": {
                        "type": "RATIO_CONVERSION",
                        "conversion_price": { "amount": "0", "currency": terms.map_or("USD", |x| x.currency.as_str()) },
                        "ratio": { "numerator": number(ratio), "denominator": "1" },
                        "rounding_type": "NORMAL"
                    },
                    "converts_to_stock_class_id": conv.class
                }]);
            }
            v
        })
        .collect();
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
    if let Some(t) = terms {
        if !t.option.is_empty() {
            lost.push(format!(
                "options and warrants ({}): OCF requires an expiration date and exercise windows that the structure does not hold",
                t.option.len()
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
    let files = vec![
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
    let entry = |name: &str, text: &str| json!([{ "filepath": format!("./{name}"), "md5": md5_hex(text.as_bytes()) }]);
    let mut issuer_json = json!({
        "object_type": "ISSUER",
        "id": entity,
        "legal_name": issuer.name,
        "comments": []
    });
    if let Some(d) = issuer.founded {
        issuer_json["formation_date"] = json!(d.to_string());
    }
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
        "stock_plans_files": [],
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
