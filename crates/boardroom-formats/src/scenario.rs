//! Scenarios compiled into the binary.

/// An embedded scenario.
#[derive(Debug, Clone, Copy)]
pub struct Scenario {
    pub id: &'static str,
    pub title: &'static str,
    /// The structure file, TOML.
    pub text: &'static str,
}

/// Every embedded scenario; the first is the default.
pub const SCENARIOS: [Scenario; 1] = [Scenario {
    id: "openai-2023",
    title: "OpenAI, November 2023: the board removes its CEO",
    text: include_str!("../scenarios/openai-2023.toml"),
}];

/// The embedded scenario with this id.
pub fn scenario(id: &str) -> Option<Scenario> {
    SCENARIOS.iter().copied().find(|s| s.id == id)
}
