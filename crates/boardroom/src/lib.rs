//! boardroom: governance as code.
