//! The controlled vocabulary of engagement topics, which administrators extend.
//! Topics are shared vocabulary, not partnership records: no owner, no releasability.

use serde::{Deserialize, Serialize};

use crate::error::Problems;
use crate::ids::TopicCode;
use crate::values::Names;

/// A topic as a client writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    /// Stable code, e.g. `security-gaps`.
    pub code: TopicCode,
    /// Labels in English, Arabic and Sorani.
    pub labels: Names,
}

impl Topic {
    pub fn check(&self, problems: &mut Problems) {
        self.labels.check("labels", problems);
    }
}
