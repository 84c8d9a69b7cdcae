//! The HTTP API, driven over a real socket on a random port, with a fresh SQLite
//! database per test.

mod helpers;

mod access;
mod accounts;
mod areas;
mod commitments;
mod engagements;
mod errors;
mod geography;
mod incidents;
mod pagination;
mod programmes;
mod registry;
mod roundtrip;
mod search;
