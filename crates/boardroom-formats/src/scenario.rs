//! Scenarios compiled into the binary.

/// An embedded scenario.
#[derive(Debug, Clone, Copy)]
pub struct Scenario {
    pub id: &'static str,
    pub title: &'static str,
    /// The structure file, TOML.
    pub text: &'static str,
}

/// Every embedded scenario; the first is the default. The others are the
/// structures in `examples/`, modelled from public filings.
pub const SCENARIOS: [Scenario; 8] = [
    Scenario {
        id: "openai-2023",
        title: "OpenAI, November 2023: the board removes its CEO",
        text: include_str!("../scenarios/openai-2023.toml"),
    },
    Scenario {
        id: "snap-2017",
        title: "Snap Inc. at its IPO: no-vote, one-vote and ten-vote shares",
        text: include_str!("../../../examples/snap.toml"),
    },
    Scenario {
        id: "bosch-2022",
        title: "Robert Bosch GmbH: the foundation's capital, the trust partnership's votes",
        text: include_str!("../../../examples/bosch.toml"),
    },
    Scenario {
        id: "nestle-2019",
        title: "Nestlé S.A.: treasury shares, a 5% voting cap and the Swiss double majority",
        text: include_str!("../../../examples/nestle.toml"),
    },
    Scenario {
        id: "anthropic-2024",
        title: "Anthropic PBC: a board increasingly elected by the Long-Term Benefit Trust",
        text: include_str!("../../../examples/anthropic.toml"),
    },
    Scenario {
        id: "patagonia-2022",
        title: "Patagonia: the Purpose Trust's votes, the Holdfast Collective's capital",
        text: include_str!("../../../examples/patagonia.toml"),
    },
    Scenario {
        id: "mozilla-2005",
        title: "Mozilla: a 501(c)(3) foundation and its wholly owned taxable corporation",
        text: include_str!("../../../examples/mozilla.toml"),
    },
    Scenario {
        id: "reference",
        title: "A fictional reference: every field for share classes, votes, seats, groups and constraints",
        text: include_str!("../../../examples/reference.toml"),
    },
];

/// The embedded scenario with this id.
pub fn scenario(id: &str) -> Option<Scenario> {
    SCENARIOS.iter().copied().find(|s| s.id == id)
}
