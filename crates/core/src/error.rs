//! Validation errors that name the field (`participants[2].person_id`) or input line.

use serde::Serialize;

/// One problem with one field of the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// Path of the offending field, e.g. `participants[2].person_id`.
    pub field: String,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

/// Every problem found with an input; never empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
pub struct ValidationError {
    pub errors: Vec<FieldError>,
}

impl ValidationError {
    /// The same errors with every field path put under `prefix` (e.g. `engagements[3]`).
    pub fn prefixed(mut self, prefix: &str) -> Self {
        if !prefix.is_empty() {
            for e in &mut self.errors {
                e.field = format!("{prefix}.{}", e.field);
            }
        }
        self
    }

    pub fn single(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            errors: vec![FieldError {
                field: field.into(),
                message: message.into(),
            }],
        }
    }
}

/// Collects field errors while a record is checked, so a user sees all of them at once.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    pub fn into_result(self) -> Result<(), ValidationError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ValidationError { errors: self.0 })
        }
    }
}
