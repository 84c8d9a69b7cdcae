//! The HTTP API, driven over a real socket on a random port, with a fresh database per
//! test: SQLite, or a fresh PostgreSQL schema when `HAWKARI_TEST_DATABASE_URL` is set
//! (`scripts/test` runs the suite both ways).

mod helpers;

mod access;
mod accounts;
mod administration;
mod areas;
mod audit;
mod clusters;
mod commitments;
mod copy;
mod engagements;
mod errors;
mod federation;
mod federation_contributions;
mod federation_entropy;
mod feeds;
mod geography;
mod imports;
mod incidents;
mod intake;
mod labels;
mod mapped_imports;
mod nats;
mod notices;
mod notices_mail;
mod pagination;
mod programmes;
mod reach;
mod registry;
mod roundtrip;
mod schemathesis;
mod search;
mod transport;
mod trust;
mod web_commitments;
mod web_forms;
mod web_geo_forms;
mod web_imports;
mod web_intake;
mod web_lists;
mod web_programme_forms;
mod web_registry;
mod web_sites;
