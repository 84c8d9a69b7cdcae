//! Which keys an import has already read, and where: so that a key read twice in one
//! file is refused wherever the second one is, not only when both fall in one batch.
//! Each key is kept as a 128-bit digest (about 32 bytes a key with the table's overhead,
//! some 32 MB for a million rows), not as its text; two different keys share a digest
//! with a chance of about one in 10^26 for a billion keys.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use sha2::{Digest, Sha256};

/// Keys read so far, each with where it was first read.
#[derive(Debug, Default)]
pub(crate) struct Seen<T> {
    first: HashMap<u128, T>,
}

impl<T: Copy> Seen<T> {
    /// Records the key made of `parts` as read at `at`; if it was read before, where.
    pub(crate) fn first(&mut self, parts: &[&str], at: T) -> Option<T> {
        match self.first.entry(digest(parts)) {
            Entry::Occupied(e) => Some(*e.get()),
            Entry::Vacant(e) => {
                e.insert(at);
                None
            }
        }
    }
}

fn digest(parts: &[&str]) -> u128 {
    let mut h = Sha256::new();
    for p in parts {
        // The length first, so that ("ab", "c") and ("a", "bc") differ.
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    let d = h.finalize();
    let mut first = [0u8; 16];
    first.copy_from_slice(&d[..16]);
    u128::from_le_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::Seen;

    #[test]
    fn a_key_read_again_gives_where_it_was_first_read() {
        let mut seen = Seen::default();
        assert_eq!(seen.first(&["incident", "a"], 2u64), None);
        assert_eq!(seen.first(&["incident", "b"], 3), None);
        assert_eq!(seen.first(&["incident", "a"], 9), Some(2));
        assert_eq!(
            seen.first(&["incidenta", ""], 4),
            None,
            "parts are kept apart"
        );
    }
}
