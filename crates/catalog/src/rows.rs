//! Reading columns of a row into the types the catalogue hands out.

use argus_core::metadata::NormBox;

/// The box in columns `first..first + 4` (x, y, w, h) of a row.
pub(crate) fn norm_box(r: &crate::db::Row, first: usize) -> crate::Result<NormBox> {
    Ok(NormBox {
        x: r.get(first)?,
        y: r.get(first + 1)?,
        w: r.get(first + 2)?,
        h: r.get(first + 3)?,
    })
}
