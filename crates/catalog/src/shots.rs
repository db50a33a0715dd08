//! Shots: a camera RAW and a JPEG (or HEIC) with the same name in the same folder are one shot, as a
//! camera's RAW+JPEG mode writes them. Both files stay in the catalogue; the shot's primary (the JPEG
//! by default: [`shot_primary_rank`]; the file the user chose, `shot_pinned`, when there is one) has
//! `shot_of` NULL and every companion points at it. Companions
//! are left out of the grid, search, facets and analysis, so a shot counts once and is analysed once.
//!
//! The analysis of a shot lives on its primary. When the primary changes — its file is deleted, or a
//! JPEG arrives next to a RAW that was analysed alone — the analysis (faces with their people,
//! labels, scores, text, the runs) moves to the new primary instead of being computed again. Face
//! boxes are normalised, so they hold for both files of the shot.

use std::collections::HashMap;
use std::path::Path;

use crate::db::{params, Db};

use super::Catalog;
use crate::analysis::ANALYSIS_TABLES;
use crate::photos::{photo_from_row, PHOTO_COLUMNS};
use crate::{Photo, Result};
use argus_core::formats::shot_primary_rank;

struct Member {
    id: i64,
    rank: u8,
    shot_of: Option<i64>,
    analysed: bool,
    pinned: bool,
}

/// The rank of camera RAW formats in [`shot_primary_rank`].
const RAW_RANK: u8 = 3;

/// Recomputes every shot from the photos' paths and formats: in each folder, the RAW files and the
/// best-ranked developed file (JPEG, else HEIC …) of the same name form a shot. Moves the analysis to a
/// shot's primary where the primary changed. Returns how many files are companions afterwards.
pub(crate) fn regroup_shots(conn: &Db) -> Result<u64> {
    let mut groups: HashMap<(String, String), Vec<Member>> = HashMap::new();
    // A file that stopped reading fine leaves its shot (or stack).
    conn.execute(
        "UPDATE photos SET shot_of = NULL, stack_kind = NULL
         WHERE shot_of IS NOT NULL AND status <> 'ok'",
        (),
    )?;
    conn.query_each(
        "SELECT id, path, format, shot_of,
             EXISTS (SELECT 1 FROM analysis_runs r WHERE r.photo_id = photos.id), shot_pinned
         FROM photos WHERE status = 'ok' AND stack_kind IS NULL",
        (),
        |r| {
            let path: String = r.get(1)?;
            let format: Option<String> = r.get(2)?;
            let path = Path::new(&path);
            let folder = path.parent().map(|p| p.to_string_lossy().into_owned());
            let stem = path.file_stem().map(|s| s.to_string_lossy().to_lowercase());
            let (Some(folder), Some(stem)) = (folder, stem) else {
                return Ok(());
            };
            groups.entry((folder, stem)).or_default().push(Member {
                id: r.get(0)?,
                rank: format.as_deref().map(shot_primary_rank).unwrap_or(u8::MAX),
                shot_of: r.get(3)?,
                analysed: r.get(4)?,
                pinned: r.get(5)?,
            });
            Ok(())
        },
    )?;
    let set_shot = conn.prepare("UPDATE photos SET shot_of = ?2 WHERE id = ?1");
    let mut companions = 0;
    for mut members in groups.into_values() {
        members.sort_by_key(|m| (m.rank, m.id));
        // The shot: every RAW of the name and the best developed file (a JPEG and a HEIC of the same
        // name beside it are two photos).
        let developed = members.iter().find(|m| m.rank < RAW_RANK).map(|m| m.id);
        let in_shot = |m: &Member| m.rank == RAW_RANK || Some(m.id) == developed;
        let has_raw = members.iter().any(|m| m.rank == RAW_RANK);
        let primary = developed.filter(|_| has_raw).map(|developed| {
            members
                .iter()
                .find(|m| m.pinned && in_shot(m))
                .map_or(developed, |m| m.id)
        });
        if let Some(primary) = primary {
            let primary_analysed = members.iter().any(|m| m.id == primary && m.analysed);
            if !primary_analysed {
                // The analysis of the shot so far lives on its former primary (or a lone RAW).
                if let Some(from) = members
                    .iter()
                    .find(|m| m.id != primary && in_shot(m) && m.shot_of.is_none() && m.analysed)
                {
                    move_analysis(conn, from.id, primary)?;
                }
            }
        }
        for m in &members {
            let wanted = primary.filter(|p| *p != m.id && in_shot(m));
            companions += wanted.is_some() as u64;
            if wanted != m.shot_of {
                set_shot.execute(params![m.id, wanted])?;
            }
        }
    }
    Ok(companions)
}

/// Before photos are deleted: a deleted primary hands its shot (and its analysis) to its best
/// remaining companion.
pub(crate) fn hand_over_shots(conn: &Db, deleted: &[i64]) -> Result<()> {
    let companions = conn.prepare(
        "SELECT id, format FROM photos WHERE shot_of = ?1 AND status = 'ok' AND stack_kind IS NULL",
    );
    for &gone in deleted {
        let mut heirs: Vec<(u8, i64)> = companions.query_map(params![gone], |r| {
            Ok((
                r.get::<Option<String>>(1)?
                    .as_deref()
                    .map(shot_primary_rank)
                    .unwrap_or(u8::MAX),
                r.get::<i64>(0)?,
            ))
        })?;
        heirs.retain(|(_, id)| !deleted.contains(id));
        heirs.sort_unstable();
        let Some(&(_, heir)) = heirs.first() else {
            continue;
        };
        move_analysis(conn, gone, heir)?;
        conn.execute(
            "UPDATE photos SET shot_of = CASE WHEN id = ?2 THEN NULL ELSE ?2 END
             WHERE shot_of = ?1 AND stack_kind IS NULL",
            params![gone, heir],
        )?;
    }
    Ok(())
}

/// Moves everything analysis found from photo `from` to photo `to` (whose own results, if any, are
/// dropped first: they are the same shot's).
fn move_analysis(conn: &Db, from: i64, to: i64) -> Result<()> {
    for table in ANALYSIS_TABLES {
        conn.execute(
            &format!("DELETE FROM {table} WHERE photo_id = ?1"),
            params![to],
        )?;
        conn.execute(
            &format!("UPDATE {table} SET photo_id = ?2 WHERE photo_id = ?1"),
            params![from, to],
        )?;
    }
    Ok(())
}

/// Makes `photo` its shot's primary (the user's choice, kept across scans), moving the shot's analysis
/// to it. Whether `photo` belongs to a shot at all.
pub(crate) fn choose_shot_primary(conn: &Db, photo: i64) -> Result<bool> {
    let primary: Option<Option<i64>> = conn.query_opt(
        "SELECT shot_of FROM photos WHERE id = ?1",
        params![photo],
        |r| r.get(0),
    )?;
    let Some(shot_of) = primary else {
        return Ok(false);
    };
    let primary = shot_of.unwrap_or(photo);
    let members = conn.execute(
        "UPDATE photos SET shot_pinned = CASE WHEN id = ?2 THEN 1 ELSE 0 END
         WHERE id = ?1 OR (shot_of = ?1 AND stack_kind IS NULL)",
        params![primary, photo],
    )?;
    if members < 2 {
        conn.execute(
            "UPDATE photos SET shot_pinned = 0 WHERE id = ?1",
            params![photo],
        )?;
        return Ok(false);
    }
    regroup_shots(conn)?;
    Ok(true)
}

impl Catalog {
    /// The other files of `photo`'s shot: for a primary its companions, for a companion its primary
    /// and the other companions. Empty for a photo that is a shot of its own.
    pub fn shot_files(&self, photo: &Photo) -> Result<Vec<Photo>> {
        if photo.stack_kind.is_some() {
            return Ok(Vec::new());
        }
        let primary = photo.shot_of.unwrap_or(photo.id);
        let sql = format!(
            "SELECT {PHOTO_COLUMNS} FROM photos
             WHERE (id = ?1 OR (shot_of = ?1 AND stack_kind IS NULL)) AND id <> ?2
             ORDER BY path"
        );
        let stmt = self.db().prepare(&sql);
        let rows = stmt.query_map(params![primary, photo.id], |r| {
            photo_from_row(r, self.mounts())
        })?;
        Ok(rows.into_iter().collect())
    }
}
