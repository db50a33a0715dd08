//! How the index numbers what it holds: catalogue ids to numbers ([`IdMap`]), and numbers mapped to
//! new ones when some are taken out ([`renumbered`], used by `update`).

use std::collections::HashMap;

use roaring::RoaringBitmap;

/// A number taken out (see [`renumbered`]).
pub(crate) const GONE: u32 = u32::MAX;

/// Maps catalogue ids to numbers (`first` for the first id given, and on): a table when ids are
/// dense, a hash map otherwise.
pub(crate) enum IdMap {
    Dense(Vec<u32>),
    Sparse(HashMap<i64, u32>),
}

impl IdMap {
    pub(crate) fn new(ids: &[i64], first: u32) -> IdMap {
        let max = ids.iter().copied().max().unwrap_or(0);
        let min = ids.iter().copied().min().unwrap_or(0);
        if min >= 0 && (max as usize) <= 4 * ids.len() + 1024 {
            let mut table = vec![u32::MAX; max as usize + 1];
            for (n, &id) in ids.iter().enumerate() {
                table[id as usize] = first + n as u32;
            }
            IdMap::Dense(table)
        } else {
            IdMap::Sparse(
                ids.iter()
                    .enumerate()
                    .map(|(n, &id)| (id, first + n as u32))
                    .collect(),
            )
        }
    }

    pub(crate) fn get(&self, id: i64) -> Option<u32> {
        match self {
            IdMap::Dense(t) => usize::try_from(id)
                .ok()
                .and_then(|i| t.get(i))
                .copied()
                .filter(|&n| n != u32::MAX),
            IdMap::Sparse(m) => m.get(&id).copied(),
        }
    }
}

/// `set`'s numbers mapped through `map`, those mapped to [`GONE`] left out.
pub(crate) fn renumbered(set: &RoaringBitmap, map: &[u32]) -> RoaringBitmap {
    RoaringBitmap::from_sorted_iter(set.iter().map(|n| map[n as usize]).filter(|&n| n != GONE))
        .expect("a numbering keeps the order")
}
