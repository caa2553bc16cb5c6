//! Readers and writers for boardroom structures.
