//! A photo's XMP/IPTC metadata in the catalogue: the scanner writes what it read (rating, label,
//! texts, keywords, regions, the sidecar and any problem), which is then applied to the photo's faces
//! ([`crate::regions`]); `argus show` and the app read it back.

use std::path::PathBuf;

use crate::db::{params, Db};
use serde::{Deserialize, Serialize};

use super::mounts::Mounts;
use super::Catalog;
use crate::persons::link_persons;
use crate::regions::apply_regions;
use crate::rows::norm_box;
use crate::Result;
use argus_core::metadata::{NormBox, PhotoMetadata, Region, RegionSource};

/// A photo's XMP/IPTC metadata as read in a scan, with the sidecar it came from.
#[derive(Debug, Clone, Default)]
pub struct RecordMetadata {
    pub metadata: PhotoMetadata,
    pub sidecar: Option<SidecarState>,
    /// What could not be read (the rest was), for `argus show` and the scan's report.
    pub problem: Option<String>,
}

/// A sidecar file as seen on disk: a different size or mtime means it must be read again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SidecarState {
    pub path: PathBuf,
    pub size: u64,
    pub mtime_ns: i64,
}

/// The source stored for a name without an area (`Iptc4xmpExt:PersonInImage`).
const PERSON_IN_IMAGE: &str = "person-in-image";

/// A photo's metadata as stored, with the sidecar it was read from and what could not be read.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StoredMetadata {
    #[serde(flatten)]
    pub metadata: PhotoMetadata,
    pub sidecar: Option<SidecarState>,
    pub problem: Option<String>,
}

impl Catalog {
    /// What other tools say about photo `id`.
    pub fn photo_metadata(&self, id: i64) -> Result<StoredMetadata> {
        let conn = self.db();
        let mut out = conn.query_row(
            "SELECT rating, color_label, title, caption, creator, copyright, sidecar_path,
                 sidecar_size, sidecar_mtime_ns, metadata_problem FROM photos WHERE id = ?1",
            params![id],
            |r| {
                Ok(StoredMetadata {
                    metadata: PhotoMetadata {
                        rating: r.get(0)?,
                        label: r.get(1)?,
                        title: r.get(2)?,
                        caption: r.get(3)?,
                        creator: r.get(4)?,
                        copyright: r.get(5)?,
                        ..PhotoMetadata::default()
                    },
                    sidecar: sidecar_state(r, 6, self.mounts())?,
                    problem: r.get(9)?,
                })
            },
        )?;
        let m = &mut out.metadata;
        let keywords = conn.prepare(
            "SELECT keyword FROM photo_keywords WHERE photo_id = ?1 ORDER BY keyword COLLATE NOCASE",
        );
        m.keywords = keywords.query_map(params![id], |r| r.get(0))?;
        let regions = conn.prepare(
            "SELECT kind, name, x, y, w, h, source FROM photo_regions WHERE photo_id = ?1 ORDER BY id",
        );
        let rows = regions.query_map(params![id], |r| {
            let area = match (r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?) {
                (Some(x), Some(y), Some(w), Some(h)) => Some(NormBox { x, y, w, h }),
                _ => None,
            };
            Ok((
                r.get::<String>(0)?,
                r.get::<Option<String>>(1)?,
                area,
                r.get::<String>(6)?,
            ))
        })?;
        for row in rows {
            let (kind, name, area, source) = row;
            match (area, RegionSource::from_name(&source)) {
                (Some(area), Some(source)) => m.regions.push(Region {
                    kind,
                    name,
                    area,
                    source,
                }),
                _ => m.people.extend(name),
            }
        }
        Ok(out)
    }
}

/// The sidecar in columns `first..first + 3` (path, size, mtime) of a row, if any; its path as
/// this machine sees it.
pub(crate) fn sidecar_state(
    r: &crate::db::Row,
    first: usize,
    mounts: &Mounts,
) -> crate::Result<Option<SidecarState>> {
    Ok(match r.get::<Option<String>>(first)? {
        Some(path) => Some(SidecarState {
            path: mounts.local(&path),
            size: r.get::<Option<i64>>(first + 1)?.unwrap_or(0) as u64,
            mtime_ns: r.get::<Option<i64>>(first + 2)?.unwrap_or(0),
        }),
        None => None,
    })
}

/// Stores what a scan read about photo `id` (replacing what was stored) and applies its named regions
/// to the photo's faces.
pub(crate) fn write_metadata(conn: &Db, id: i64, read: &RecordMetadata) -> Result<()> {
    let m = &read.metadata;
    let sidecar = read.sidecar.as_ref();
    conn.prepare(
        "UPDATE photos SET rating = ?2, color_label = ?3, title = ?4, caption = ?5, creator = ?6,
             copyright = ?7, sidecar_path = ?8, sidecar_size = ?9, sidecar_mtime_ns = ?10,
             metadata_problem = ?11
         WHERE id = ?1",
    )
    .execute(params![
        id,
        m.rating,
        m.label,
        m.title,
        m.caption,
        m.creator,
        m.copyright,
        sidecar.map(|s| s.path.to_string_lossy().into_owned()),
        sidecar.map(|s| s.size as i64),
        sidecar.map(|s| s.mtime_ns),
        read.problem,
    ])?;
    conn.prepare("DELETE FROM photo_keywords WHERE photo_id = ?1")
        .execute(params![id])?;
    let keyword =
        conn.prepare("INSERT OR IGNORE INTO photo_keywords (photo_id, keyword) VALUES (?1, ?2)");
    for k in &m.keywords {
        keyword.execute(params![id, k])?;
    }
    conn.prepare("DELETE FROM photo_regions WHERE photo_id = ?1")
        .execute(params![id])?;
    let region = conn.prepare(
        "INSERT INTO photo_regions (photo_id, kind, name, x, y, w, h, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    );
    for r in &m.regions {
        let a = r.area;
        region.execute(params![
            id,
            r.kind,
            r.name,
            a.x,
            a.y,
            a.w,
            a.h,
            r.source.name()
        ])?;
    }
    for name in &m.people {
        region.execute(params![
            id,
            "person",
            name,
            None::<f64>,
            None::<f64>,
            None::<f64>,
            None::<f64>,
            PERSON_IN_IMAGE
        ])?;
    }
    apply_regions(conn, id)?;
    link_persons(conn, id)
}

/// What Argus knows about a photo that a sidecar can carry (see `argus-xmp`'s writer).
#[derive(Debug, Clone, Default)]
pub struct SidecarSource {
    pub path: PathBuf,
    /// The image as stored (MWG regions describe it), and its EXIF orientation.
    pub stored_width: u32,
    pub stored_height: u32,
    pub orientation: Option<u16>,
    /// Faces of named people who are not hidden: the name and the box on the upright photo.
    pub named_faces: Vec<(String, NormBox)>,
    /// Scene labels (cat, beach …).
    pub labels: Vec<String>,
    /// Every face attribute value of every face: (name, value).
    pub face_attributes: Vec<(String, f32)>,
    /// The photo's own keywords and rating, as read from it.
    pub keywords: Vec<String>,
    pub rating: Option<i8>,
    /// The sidecar the last scan read.
    pub sidecar: Option<SidecarState>,
}

/// A photo's path, displayed width and height, and EXIF orientation.
type PhotoGeometry = (String, Option<u32>, Option<u32>, Option<u16>);

impl Catalog {
    /// What a sidecar of photo `id` can carry; `None` when there is no such readable photo.
    pub fn sidecar_source(&self, id: i64) -> Result<Option<SidecarSource>> {
        let conn = self.db();
        let row: Option<PhotoGeometry> = conn.query_opt(
            "SELECT path, width, height, orientation FROM photos WHERE id = ?1 AND status = 'ok'",
            params![id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        let Some((path, width, height, orientation)) = row else {
            return Ok(None);
        };
        let (w, h) = (width.unwrap_or(0), height.unwrap_or(0));
        let (stored_width, stored_height) = if matches!(orientation, Some(5..=8)) {
            (h, w)
        } else {
            (w, h)
        };
        let stored = self.photo_metadata(id)?;
        let named_faces = conn
            .prepare(
                "SELECT p.name, f.x, f.y, f.w, f.h FROM faces f JOIN people p ON p.id = f.person_id
                 WHERE f.photo_id = ?1 AND p.name IS NOT NULL AND p.hidden = 0 ORDER BY f.x, f.id",
            )
            .query_map(params![id], |r| Ok((r.get(0)?, norm_box(r, 1)?)))?;
        let labels = conn
            .prepare(
                "SELECT label FROM labels WHERE photo_id = ?1 AND kind = 'label' ORDER BY score DESC",
            )
            .query_map(params![id], |r| r.get(0))?;
        let face_attributes = conn
            .prepare(
                "SELECT a.name, a.value FROM face_attributes a JOIN faces f ON f.id = a.face_id
                 WHERE f.photo_id = ?1 ORDER BY a.name",
            )
            .query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(Some(SidecarSource {
            path: self.mounts().local(&path),
            stored_width,
            stored_height,
            orientation,
            named_faces,
            labels,
            face_attributes,
            keywords: stored.metadata.keywords,
            rating: stored.metadata.rating,
            sidecar: stored.sidecar,
        }))
    }

    /// Records the sidecar Argus just wrote for photo `id`, so the next scan need not read it again.
    pub fn record_sidecar(&mut self, id: i64, sidecar: &SidecarState) -> Result<()> {
        self.db().execute(
            "UPDATE photos SET sidecar_path = ?2, sidecar_size = ?3, sidecar_mtime_ns = ?4 WHERE id = ?1",
            params![
                id,
                self.mounts().stored(&sidecar.path),
                sidecar.size as i64,
                sidecar.mtime_ns
            ],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Catalog;
    use argus_core::metadata::{NormBox, PhotoMetadata, Region, RegionSource};
    use argus_core::results::{NewFace, PhotoAnalysis};

    fn region(name: &str, x: f64) -> Region {
        Region {
            kind: Region::FACE.into(),
            name: Some(name.into()),
            area: NormBox {
                x,
                y: 0.1,
                w: 0.2,
                h: 0.2,
            },
            source: RegionSource::Mwg,
        }
    }

    fn face(x: f32) -> NewFace {
        NewFace {
            x,
            y: 0.12,
            w: 0.18,
            h: 0.2,
            score: 0.9,
            landmarks: [[0.0; 2]; 5],
            embedding: None,
            attributes: Vec::new(),
        }
    }

    /// (source, person name) of photo 3's faces, by x.
    fn faces_of(c: &Catalog) -> Vec<(String, Option<String>)> {
        c.db()
            .query_map(
                "SELECT f.source, p.name FROM faces f LEFT JOIN people p ON p.id = f.person_id
                 WHERE f.photo_id = 3 ORDER BY f.x",
                (),
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    }

    fn detect(c: &Catalog, faces: Vec<NewFace>) {
        let analysis = PhotoAnalysis {
            photo_id: 3,
            new_faces: Some(("yunet@test".into(), faces)),
            ..PhotoAnalysis::default()
        };
        crate::analysis::write_analysis(c.db(), &analysis).unwrap();
    }

    #[test]
    fn regions_name_faces_stand_in_for_missing_ones_and_yield_to_the_user() {
        let (_dir, mut c) = crate::fixture::catalogue();
        let read = RecordMetadata {
            metadata: PhotoMetadata {
                regions: vec![region("Bo", 0.1), region("ana", 0.6)],
                ..PhotoMetadata::default()
            },
            ..RecordMetadata::default()
        };
        // Before analysis: both regions are faces of their own; "ana" joins the existing Ana.
        write_metadata(c.db(), 3, &read).unwrap();
        assert_eq!(
            faces_of(&c),
            [
                ("region".into(), Some("Bo".into())),
                ("region".into(), Some("Ana".into()))
            ]
        );
        // Detection finds Bo's face: it is confirmed to Bo and replaces the stand-in; Ana's region,
        // with no face found, stays one.
        detect(&c, vec![face(0.11)]);
        assert_eq!(
            faces_of(&c),
            [
                ("detected".into(), Some("Bo".into())),
                ("region".into(), Some("Ana".into()))
            ]
        );
        let bo_face: i64 = c
            .db()
            .query_row(
                "SELECT id FROM faces WHERE photo_id = 3 AND source = 'detected'",
                (),
                |r| r.get(0),
            )
            .unwrap();
        // The user says that face is not Bo: the region does not overrule them, now or later.
        let bo = crate::people::person_named(c.db(), "Bo").unwrap().unwrap();
        c.reject_faces_from(bo, &[bo_face]).unwrap();
        write_metadata(c.db(), 3, &read).unwrap();
        assert_eq!(faces_of(&c)[0], ("detected".into(), None));
        // A face the user puts on someone else stays there too.
        c.assign_faces_to_name(&[bo_face], "Cy").unwrap();
        detect(&c, vec![face(0.11), face(0.61)]);
        assert_eq!(
            faces_of(&c),
            [
                ("detected".into(), Some("Cy".into())),
                ("detected".into(), Some("Ana".into()))
            ]
        );
        // Without regions, nothing is made up; a drawn face stays through detection.
        write_metadata(c.db(), 3, &RecordMetadata::default()).unwrap();
        let drawn = c
            .add_manual_face(
                3,
                NormBox {
                    x: 0.4,
                    y: 0.5,
                    w: 0.1,
                    h: 0.1,
                },
                "Dee",
            )
            .unwrap();
        detect(&c, vec![face(0.11)]);
        assert!(faces_of(&c).contains(&("manual".into(), Some("Dee".into()))));
        assert!(c
            .add_manual_face(
                3,
                NormBox {
                    x: 0.95,
                    y: 0.5,
                    w: 0.1,
                    h: 0.1
                },
                "Dee"
            )
            .is_err());
        assert!(c
            .add_manual_face(
                3,
                NormBox {
                    x: 0.4,
                    y: 0.5,
                    w: 0.1,
                    h: 0.1
                },
                " "
            )
            .is_err());
        c.remove_manual_face(drawn).unwrap();
        assert!(
            c.remove_manual_face(bo_face).is_err(),
            "detected faces are rejected, not removed"
        );
    }
}
