//! Confidentiality labels on exported records, in the manner of STANAG 4774: a policy
//! identifier, a classification, and the categories that say who may read the record —
//! its owner and its releasability exactly as stored, so that a receiving system sees
//! the markings Hawkari decides reads by.
//!
//! Hawkari stores no national or NATO classification level. Its labels therefore name
//! Hawkari's own policy ([`POLICY_URI`]) and carry the fixed classification
//! [`CLASSIFICATION`], which means "read only by the organisations the categories list";
//! a receiving system maps that policy to its own. One label has three renderings: JSON
//! (GeoJSON properties), CSV cells (list and incident exports) and XML (CoT `<detail>`).

use serde::Serialize;

use crate::access::ReleaseGroup;
use crate::record::RecordData;

/// The policy every Hawkari label is issued under.
pub const POLICY_URI: &str = "urn:hawkari:policy:releasability:1";
/// The policy's short name, as a STANAG 4774 `PolicyIdentifier`'s text.
pub const POLICY_NAME: &str = "HAWKARI RELEASABILITY";
/// The one classification of Hawkari's policy: releasable only as the categories say.
pub const CLASSIFICATION: &str = "CONTROLLED";
/// The XML namespace of STANAG 4774 confidentiality labels.
pub const STANAG_4774_NS: &str = "urn:nato:stanag:4774:confidentialitymetadatalabel:1:0";

/// A record's confidentiality label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfidentialityLabel {
    /// Always [`POLICY_URI`].
    pub policy_identifier: &'static str,
    /// Always [`CLASSIFICATION`].
    pub classification: &'static str,
    /// The owning organisation's id (who may always read and alone may change it).
    pub owner: String,
    /// The organisations (ids as Hawkari stores them) the record is released to, each
    /// reaching the organisations below it.
    pub releasable_to: Vec<String>,
    /// The release groups (organisation kinds) the record is released to.
    pub release_groups: Vec<String>,
    /// A handling caveat, if the record has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caveat: Option<String>,
}

/// The CSV header cells of a label, in [`ConfidentialityLabel::csv_cells`]'s order.
pub const CSV_HEADER: [&str; 6] = [
    "label_policy",
    "label_classification",
    "label_owner",
    "label_releasable_to",
    "label_release_groups",
    "label_caveat",
];

/// The HXL hashtags of [`CSV_HEADER`].
pub const CSV_HXL: [&str; 6] = [
    "#meta+label+policy",
    "#meta+label+classification",
    "#org+code+owner",
    "#org+code+releasable",
    "#meta+label+release_groups",
    "#meta+label+caveat",
];

impl ConfidentialityLabel {
    /// The label of a record's content.
    pub fn of<D: RecordData>(data: &D) -> Self {
        Self {
            policy_identifier: POLICY_URI,
            classification: CLASSIFICATION,
            owner: data.owner_org_id().to_string(),
            releasable_to: data.releasable_to().iter().map(|o| o.to_string()).collect(),
            release_groups: data
                .release_groups()
                .iter()
                .map(|g| ReleaseGroup::as_str(*g).to_owned())
                .collect(),
            caveat: data.caveat().map(|c| c.as_str().to_owned()),
        }
    }

    /// The label as JSON, for a GeoJSON feature's `confidentiality_label` property.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// The label as CSV cells (lists separated by spaces: ids hold none).
    pub fn csv_cells(&self) -> [String; 6] {
        [
            self.policy_identifier.to_owned(),
            self.classification.to_owned(),
            self.owner.clone(),
            self.releasable_to.join(" "),
            self.release_groups.join(" "),
            self.caveat.clone().unwrap_or_default(),
        ]
    }

    /// The label as a STANAG 4774 `originatorConfidentialityLabel` element: the owner as
    /// an informative "Owner" category (the owner always reads), the organisations
    /// released to as a permissive "Releasable To" category, the release groups as a
    /// permissive "Release Groups" category (a reader in either may read), and the caveat
    /// as an informative one. Empty categories are left out.
    pub fn to_xml(&self) -> String {
        let mut x = format!(
            "<originatorConfidentialityLabel xmlns=\"{STANAG_4774_NS}\">\
             <ConfidentialityInformation>\
             <PolicyIdentifier URI=\"{POLICY_URI}\">{POLICY_NAME}</PolicyIdentifier>\
             <Classification>{CLASSIFICATION}</Classification>"
        );
        let category = |x: &mut String, tag: &str, kind: &str, values: &[&str]| {
            if values.is_empty() {
                return;
            }
            x.push_str(&format!(
                "<Category TagName=\"{tag}\" Type=\"{kind}\" URI=\"urn:hawkari:category:{}\">",
                tag.to_lowercase().replace(' ', "-")
            ));
            for v in values {
                x.push_str(&format!("<GenericValue>{}</GenericValue>", xml_escape(v)));
            }
            x.push_str("</Category>");
        };
        let owner = [self.owner.as_str()];
        let released: Vec<&str> = self.releasable_to.iter().map(String::as_str).collect();
        category(&mut x, "Owner", "INFORMATIVE", &owner);
        category(&mut x, "Releasable To", "PERMISSIVE", &released);
        let groups: Vec<&str> = self.release_groups.iter().map(String::as_str).collect();
        category(&mut x, "Release Groups", "PERMISSIVE", &groups);
        if let Some(c) = &self.caveat {
            category(&mut x, "Caveat", "INFORMATIVE", &[c.as_str()]);
        }
        x.push_str("</ConfidentialityInformation></originatorConfidentialityLabel>");
        x
    }
}

/// Text as XML character data or an attribute value (quotes escaped too), with the
/// characters XML 1.0 cannot hold dropped.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escape_keeps_markup_out_and_drops_control_characters() {
        assert_eq!(
            xml_escape("a<b & \"c\"\u{1}'"),
            "a&lt;b &amp; &quot;c&quot;&apos;"
        );
    }
}
