//! A TAK data package (ATAK's "mission package"): a zip holding `MANIFEST/manifest.xml`
//! (`MissionPackageManifest` version 2, naming each content's uid) and one `.cot` file per
//! event under a folder named by its uid, as ATAK and WinTAK import it. The zip is written
//! here with entries stored uncompressed (CoT is small, and this keeps a zip library out
//! of the tree); names are UTF-8 (flag bit 11).

use chrono::{DateTime, Datelike, Timelike, Utc};
use hawkari_core::label::xml_escape;

use crate::cot::CotEvent;

/// The package's bytes: the manifest, then each event's file.
pub fn package(name: &str, package_uid: &str, events: &[CotEvent], at: DateTime<Utc>) -> Vec<u8> {
    let mut zip = ZipWriter::new(at);
    let mut manifest = format!(
        "<MissionPackageManifest version=\"2\"><Configuration>\
         <Parameter name=\"uid\" value=\"{}\"/><Parameter name=\"name\" value=\"{}\"/>\
         </Configuration><Contents>",
        xml_escape(package_uid),
        xml_escape(name)
    );
    for e in events {
        let entry = entry_name(&e.uid);
        manifest.push_str(&format!(
            "<Content ignore=\"false\" zipEntry=\"{}\"><Parameter name=\"uid\" value=\"{}\"/></Content>",
            xml_escape(&entry),
            xml_escape(&e.uid)
        ));
    }
    manifest.push_str("</Contents></MissionPackageManifest>\n");
    zip.add("MANIFEST/manifest.xml", manifest.as_bytes());
    for e in events {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n{}",
            e.xml
        );
        zip.add(&entry_name(&e.uid), body.as_bytes());
    }
    zip.finish()
}

/// The zip entry of an event: `<uid>/<uid>.cot`, with characters a file name should not
/// hold replaced by `_`.
fn entry_name(uid: &str) -> String {
    let safe: String = uid
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}/{safe}.cot")
}

/// A zip of stored (uncompressed) entries, in memory.
struct ZipWriter {
    out: Vec<u8>,
    central: Vec<u8>,
    entries: u16,
    dos_time: u16,
    dos_date: u16,
}

impl ZipWriter {
    fn new(at: DateTime<Utc>) -> Self {
        let dos_time = ((at.hour() << 11) | (at.minute() << 5) | (at.second() / 2)) as u16;
        let year = (at.year() - 1980).clamp(0, 127) as u32;
        let dos_date = ((year << 9) | (at.month() << 5) | at.day()) as u16;
        Self {
            out: Vec::new(),
            central: Vec::new(),
            entries: 0,
            dos_time,
            dos_date,
        }
    }

    fn add(&mut self, name: &str, data: &[u8]) {
        let crc = crc32fast::hash(data);
        let size = data.len() as u32;
        let offset = self.out.len() as u32;
        let name = name.as_bytes();
        // Local file header.
        let o = &mut self.out;
        o.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        o.extend_from_slice(&20u16.to_le_bytes()); // version needed: 2.0
        o.extend_from_slice(&0x0800u16.to_le_bytes()); // UTF-8 names
        o.extend_from_slice(&0u16.to_le_bytes()); // stored
        o.extend_from_slice(&self.dos_time.to_le_bytes());
        o.extend_from_slice(&self.dos_date.to_le_bytes());
        o.extend_from_slice(&crc.to_le_bytes());
        o.extend_from_slice(&size.to_le_bytes());
        o.extend_from_slice(&size.to_le_bytes());
        o.extend_from_slice(&(name.len() as u16).to_le_bytes());
        o.extend_from_slice(&0u16.to_le_bytes());
        o.extend_from_slice(name);
        o.extend_from_slice(data);
        // Its central directory record.
        let c = &mut self.central;
        c.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        c.extend_from_slice(&20u16.to_le_bytes()); // made by
        c.extend_from_slice(&20u16.to_le_bytes()); // needed
        c.extend_from_slice(&0x0800u16.to_le_bytes());
        c.extend_from_slice(&0u16.to_le_bytes());
        c.extend_from_slice(&self.dos_time.to_le_bytes());
        c.extend_from_slice(&self.dos_date.to_le_bytes());
        c.extend_from_slice(&crc.to_le_bytes());
        c.extend_from_slice(&size.to_le_bytes());
        c.extend_from_slice(&size.to_le_bytes());
        c.extend_from_slice(&(name.len() as u16).to_le_bytes());
        c.extend_from_slice(&[0; 8]); // extra, comment, disk, internal attributes
        c.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        c.extend_from_slice(&offset.to_le_bytes());
        c.extend_from_slice(name);
        self.entries += 1;
    }

    fn finish(mut self) -> Vec<u8> {
        let offset = self.out.len() as u32;
        let size = self.central.len() as u32;
        self.out.append(&mut self.central);
        let o = &mut self.out;
        o.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        o.extend_from_slice(&[0; 4]); // this disk, the central directory's disk
        o.extend_from_slice(&self.entries.to_le_bytes());
        o.extend_from_slice(&self.entries.to_le_bytes());
        o.extend_from_slice(&size.to_le_bytes());
        o.extend_from_slice(&offset.to_le_bytes());
        o.extend_from_slice(&0u16.to_le_bytes());
        self.out
    }
}
