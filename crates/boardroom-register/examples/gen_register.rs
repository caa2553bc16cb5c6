//! Generates a register-like BODS 0.4 JSON Lines file, deterministic given
//! a seed: entities owned mostly by persons, company chains of up to 15
//! hops, shared holding companies, cycles, unspecified parties, PSC-style
//! share bands, later `updated` and `closed` statements, and real entity
//! names from the GLEIF Level 1 subset.
//!
//! cargo run --release -p boardroom-register --example gen_register -- \
//!     --statements 1000000 --seed 7 --out /work/bench-data/reg-1m.jsonl
//!
//! `--shape groups` instead gives the shape of the brief's peer measurement
//! (1M companies, 2M ownership edges, 3.26M company/ultimate-owner pairs):
//! every company has two owners, each an earlier company with probability
//! 0.28 and otherwise a person (a known one three times in ten), so that a
//! company has 2(1 - p)/(1 - 2p), about 3.3, ultimate owners on average.
//! About 4.45 statements per company: `--statements 4450000` gives about
//! 1M companies.

use std::io::{BufWriter, Write};

#[path = "common/rng.rs"]
mod rng;
use rng::Rng;

const FIRST: [&str; 16] = [
    "Olivia", "James", "Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Ivy",
    "Muhammad", "Freya", "Leo", "Lily", "Harry",
];
const LAST: [&str; 16] = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts",
];
const REASONS: [&str; 4] = [
    "subjectUnableToConfirmOrIdentifyBeneficialOwner",
    "interestedPartyHasNotProvidedInformation",
    "subjectExemptFromDisclosure",
    "unknown",
];

struct Gen<W: Write> {
    out: W,
    rng: Rng,
    names: Vec<String>,
    statements: u64,
    next_id: u64,
    holdings: Vec<u64>,
    companies: Vec<u64>,
    persons: Vec<u64>,
}

impl<W: Write> Gen<W> {
    fn id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }
    fn entity(&mut self) -> std::io::Result<u64> {
        let id = self.id();
        let name = &self.names[(self.rng.below(self.names.len() as u64)) as usize];
        writeln!(
            self.out,
            r#"{{"statementId":"s{}","statementDate":"2024-01-01","recordId":"e{id}","recordType":"entity","recordStatus":"new","recordDetails":{{"isComponent":false,"entityType":{{"type":"registeredEntity"}},"name":{},"jurisdiction":{{"code":"GB"}}}}}}"#,
            self.statements, name
        )?;
        self.statements += 1;
        Ok(id)
    }
    fn person(&mut self) -> std::io::Result<u64> {
        let id = self.id();
        let f = FIRST[self.rng.below(16) as usize];
        let l = LAST[self.rng.below(16) as usize];
        writeln!(
            self.out,
            r#"{{"statementId":"s{}","statementDate":"2024-01-01","recordId":"p{id}","recordType":"person","recordStatus":"new","recordDetails":{{"isComponent":false,"personType":"knownPerson","names":[{{"type":"individual","fullName":"{f} {l}"}}],"nationalities":[{{"code":"GB"}}]}}}}"#,
            self.statements
        )?;
        self.statements += 1;
        Ok(id)
    }
    /// A PSC-style band, or an exact share.
    fn share(&mut self, exact: bool) -> String {
        if exact {
            let v = ["100", "100", "100", "51", "60", "75", "80", "90", "33.33"]
                [self.rng.below(9) as usize];
            return format!(r#"{{"exact":{v}}}"#);
        }
        match self.rng.below(3) {
            0 => r#"{"exclusiveMinimum":25,"maximum":50}"#.to_owned(),
            1 => r#"{"exclusiveMinimum":50,"exclusiveMaximum":75}"#.to_owned(),
            _ => r#"{"minimum":75,"maximum":100}"#.to_owned(),
        }
    }
    fn rel(
        &mut self,
        subject: u64,
        party: &str,
        exact: bool,
        status: &str,
        rid: Option<u64>,
    ) -> std::io::Result<u64> {
        let rid = match rid {
            Some(r) => r,
            None => self.id(),
        };
        let share = self.share(exact);
        let interests = match self.rng.below(10) {
            0 => r#"[{"type":"appointmentOfBoard","directOrIndirect":"direct","beneficialOwnershipOrControl":true,"startDate":"2016-04-06"}]"#.to_owned(),
            1..=4 => format!(
                r#"[{{"type":"shareholding","directOrIndirect":"direct","beneficialOwnershipOrControl":true,"share":{share},"startDate":"2016-04-06"}},{{"type":"votingRights","directOrIndirect":"direct","beneficialOwnershipOrControl":true,"share":{share},"startDate":"2016-04-06"}}]"#
            ),
            _ => format!(r#"[{{"type":"shareholding","directOrIndirect":"direct","beneficialOwnershipOrControl":true,"share":{share},"startDate":"2016-04-06"}}]"#),
        };
        writeln!(
            self.out,
            r#"{{"statementId":"s{}","statementDate":"2024-01-01","recordId":"r{rid}","recordType":"relationship","recordStatus":"{status}","recordDetails":{{"isComponent":false,"subject":"e{subject}","interestedParty":{party},"interests":{interests}}}}}"#,
            self.statements
        )?;
        self.statements += 1;
        Ok(rid)
    }
    fn persons_own(&mut self, e: u64, max: u64) -> std::io::Result<()> {
        let k = 1 + self.rng.below(max);
        for _ in 0..k {
            let p = self.person()?;
            let rid = self.rel(e, &format!("\"p{p}\""), false, "new", None)?;
            if self.rng.chance(15) {
                self.rel(e, &format!("\"p{p}\""), false, "updated", Some(rid))?;
            } else if self.rng.chance(5) {
                // A closed relationship, then a new person takes over.
                writeln!(
                    self.out,
                    r#"{{"statementId":"s{}","statementDate":"2024-06-01","recordId":"r{rid}","recordType":"relationship","recordStatus":"closed","recordDetails":{{"isComponent":false,"subject":"e{e}","interestedParty":"p{p}","interests":[]}}}}"#,
                    self.statements
                )?;
                self.statements += 1;
                let q = self.person()?;
                self.rel(e, &format!("\"p{q}\""), false, "new", None)?;
            }
        }
        Ok(())
    }
    /// One company of the `groups` shape, with its two owners.
    fn grouped_company(&mut self) -> std::io::Result<()> {
        let e = self.entity()?;
        for _ in 0..2 {
            let party = if !self.companies.is_empty() && self.rng.chance(280) {
                let c = self.companies[self.rng.below(self.companies.len() as u64) as usize];
                format!("\"e{c}\"")
            } else if !self.persons.is_empty() && self.rng.chance(300) {
                let p = self.persons[self.rng.below(self.persons.len() as u64) as usize];
                format!("\"p{p}\"")
            } else {
                let p = self.person()?;
                self.persons.push(p);
                format!("\"p{p}\"")
            };
            self.rel(e, &party, true, "new", None)?;
        }
        self.companies.push(e);
        Ok(())
    }
    fn group(&mut self) -> std::io::Result<()> {
        let r = self.rng.below(1000);
        if r < 700 {
            let e = self.entity()?;
            self.persons_own(e, 3)
        } else if r < 940 {
            // A chain e0 <- e1 <- ... <- eL; geometric length, at most 15.
            let mut len = 1;
            while len < 15 && self.rng.chance(600) {
                len += 1;
            }
            let mut below = self.entity()?;
            if self.rng.chance(200) {
                self.persons_own(below, 1)?;
            }
            for _ in 0..len {
                let top = if self.rng.chance(100) && !self.holdings.is_empty() {
                    self.holdings[self.rng.below(self.holdings.len() as u64) as usize]
                } else {
                    self.entity()?
                };
                self.rel(below, &format!("\"e{top}\""), true, "new", None)?;
                if self.holdings.contains(&top) {
                    return Ok(());
                }
                below = top;
            }
            if self.holdings.len() < 10_000 && self.rng.chance(300) {
                self.holdings.push(below);
            }
            self.persons_own(below, 2)
        } else if r < 960 {
            // A cycle of 2 or 3 companies with one way out to a person.
            let k = 2 + self.rng.below(2);
            let es: Vec<u64> = (0..k).map(|_| self.entity()).collect::<Result<_, _>>()?;
            for i in 0..k as usize {
                let next = es[(i + 1) % k as usize];
                self.rel(es[i], &format!("\"e{next}\""), true, "new", None)?;
            }
            self.persons_own(es[0], 1)
        } else {
            let e = self.entity()?;
            let reason = REASONS[self.rng.below(4) as usize];
            self.rel(
                e,
                &format!(r#"{{"reason":"{reason}","description":"Not known"}}"#),
                false,
                "new",
                None,
            )?;
            if self.rng.chance(500) {
                self.persons_own(e, 1)?;
            }
            Ok(())
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut statements = 1_000_000u64;
    let mut seed = 7u64;
    let mut shape = String::from("register");
    let mut out = String::from("/work/bench-data/reg.jsonl");
    let mut names_path = String::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/gleif/lei-l1-subset-399k.csv.gz"
    ));
    let args: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i + 1 < args.len() {
        match args[i].as_str() {
            "--statements" => statements = args[i + 1].parse()?,
            "--seed" => seed = args[i + 1].parse()?,
            "--out" => out = args[i + 1].clone(),
            "--names" => names_path = args[i + 1].clone(),
            "--shape" => shape = args[i + 1].clone(),
            other => return Err(format!("unknown option {other}").into()),
        }
        i += 2;
    }
    let file = std::fs::File::open(&names_path).map_err(|e| format!("{names_path}: {e}"))?;
    let mut rdr =
        csv::Reader::from_reader(std::io::BufReader::new(flate2::read::GzDecoder::new(file)));
    let mut names = Vec::new();
    for rec in rdr.records() {
        let rec = rec?;
        if let Some(n) = rec.get(1) {
            names.push(serde_json::to_string(n)?);
        }
    }
    let w = BufWriter::with_capacity(
        1 << 22,
        std::fs::File::create(&out).map_err(|e| format!("{out}: {e}"))?,
    );
    let mut g = Gen {
        out: w,
        rng: Rng(seed),
        names,
        statements: 0,
        next_id: 0,
        holdings: Vec::new(),
        companies: Vec::new(),
        persons: Vec::new(),
    };
    match shape.as_str() {
        "register" => {
            while g.statements < statements {
                g.group()?;
            }
        }
        "groups" => {
            while g.statements < statements {
                g.grouped_company()?;
            }
        }
        other => return Err(format!("unknown shape {other}: expected register or groups").into()),
    }
    g.out.flush()?;
    eprintln!("wrote {} statements to {out}", g.statements);
    Ok(())
}
