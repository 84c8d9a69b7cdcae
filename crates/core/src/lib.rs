//! Hawkari domain: the records the partnership keeps, as validated types with typed ids,
//! and the pure rules over them (text normalisation for search, date precision, overdue).
//!
//! Nothing here does I/O. Values that exist are valid: they are parsed, not checked later
//! ("parse, don't validate"), and deserialising a record fails with the field that is wrong.
#![forbid(unsafe_code)]

pub mod access;
pub mod area;
pub mod commitment;
pub mod coverage;
pub mod dataset;
pub mod engagement;
pub mod error;
pub mod gazetteer;
pub mod ids;
pub mod incident;
pub mod intake;
pub mod label;
pub mod meta;
pub mod operation;
pub mod organisation;
pub mod person;
pub mod place;
pub mod programme;
pub mod record;
pub mod text;
pub mod time;
pub mod topic;
pub mod values;

pub use error::{FieldError, ValidationError};
