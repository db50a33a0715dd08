//! People in the catalogue and the user's decisions about them. A face's person is automatic unless
//! the user put it there (`faces.confirmed`); rejections (`face_rejections`) are remembered. A person
//! the user has touched — named, hidden, given a cover, holding confirmed faces or rejections — is
//! never dissolved by re-clustering; untouched automatic people are. A person left without faces is
//! deleted unless it has a name.

use crate::db::{params, Db, Transaction};
use crate::mounts::Mounts;
use serde::Serialize;

use super::{unix_now, Catalog};
use crate::{Error, Result};

/// A person with counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Person {
    pub id: i64,
    pub name: Option<String>,
    pub hidden: bool,
    /// The chosen cover face, or else the person's best face (most confident, then largest).
    pub cover_face_id: Option<i64>,
    pub cover_chosen: bool,
    pub faces: usize,
    pub confirmed_faces: usize,
    pub photos: usize,
}

/// A face of a person (or a suggestion), with where it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PersonFace {
    pub face_id: i64,
    pub photo_id: i64,
    pub path: String,
    /// Box normalised to the upright photo.
    pub bbox: [f32; 4],
    pub score: f32,
    pub confirmed: bool,
}

/// Where split faces go.
#[derive(Debug, Clone, PartialEq)]
pub enum SplitTarget {
    /// A new person, named or not.
    New(Option<String>),
    Existing(i64),
}

/// SQL condition (on `people`) for a person the user has touched.
pub(crate) const TOUCHED: &str = "(people.name IS NOT NULL OR people.hidden = 1
    OR people.cover_face_id IS NOT NULL
    OR EXISTS (SELECT 1 FROM faces f WHERE f.person_id = people.id AND f.confirmed = 1)
    OR EXISTS (SELECT 1 FROM face_rejections r WHERE r.person_id = people.id))";

const PERSON_SELECT: &str = "SELECT p.id, p.name, p.hidden, p.cover_face_id,
       (SELECT f.id FROM faces f WHERE f.person_id = p.id ORDER BY f.confirmed DESC, f.score DESC, f.w * f.h DESC, f.id LIMIT 1),
       (SELECT COUNT(*) FROM faces f WHERE f.person_id = p.id),
       (SELECT COUNT(*) FROM faces f WHERE f.person_id = p.id AND f.confirmed = 1),
       (SELECT COUNT(DISTINCT f.photo_id) FROM faces f WHERE f.person_id = p.id)
     FROM people p";

fn person_row(r: &crate::db::Row) -> crate::Result<Person> {
    let chosen: Option<i64> = r.get(3)?;
    Ok(Person {
        id: r.get(0)?,
        name: r.get(1)?,
        hidden: r.get::<i64>(2)? != 0,
        cover_face_id: chosen.or(r.get(4)?),
        cover_chosen: chosen.is_some(),
        faces: r.get::<i64>(5)? as usize,
        confirmed_faces: r.get::<i64>(6)? as usize,
        photos: r.get::<i64>(7)? as usize,
    })
}

impl Catalog {
    /// People, named first (by name), then by number of faces. Hidden people only when asked.
    pub fn people(&self, include_hidden: bool) -> Result<Vec<Person>> {
        let sql = format!(
            "{PERSON_SELECT} WHERE ?1 OR p.hidden = 0
             ORDER BY p.name IS NULL, p.name COLLATE NOCASE, 6 DESC, p.id"
        );
        let stmt = self.db().prepare(&sql);
        let people = stmt.query_map(params![include_hidden], person_row)?;
        Ok(people)
    }

    /// One person by id.
    pub fn person(&self, id: i64) -> Result<Option<Person>> {
        let sql = format!("{PERSON_SELECT} WHERE p.id = ?1");
        self.db().query_opt(&sql, params![id], person_row)
    }

    /// A person by id (digits) or by name (case-insensitive).
    pub fn find_person(&self, key: &str) -> Result<Person> {
        let key = key.trim();
        let id = match key.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => self.db().query_opt(
                "SELECT id FROM people WHERE name = ?1 COLLATE NOCASE",
                params![key],
                |r| r.get(0),
            )?,
        };
        match id {
            Some(id) => self
                .person(id)?
                .ok_or_else(|| Error::NoSuchPerson(key.to_string())),
            None => Err(Error::NoSuchPerson(format!("'{key}'"))),
        }
    }

    /// A person's faces, confirmed first, then most confident.
    pub fn person_faces(&self, person: i64) -> Result<Vec<PersonFace>> {
        let stmt = self.db().prepare(
            "SELECT f.id, f.photo_id, p.path, f.x, f.y, f.w, f.h, f.score, f.confirmed
             FROM faces f JOIN photos p ON p.id = f.photo_id
             WHERE f.person_id = ?1 ORDER BY f.confirmed DESC, f.score DESC, f.id",
        );
        let faces = stmt.query_map(params![person], |r| face_row(r, self.mounts()))?;
        Ok(faces)
    }

    /// The people a face was rejected from.
    pub fn rejections_of(&self, face: i64) -> Result<Vec<i64>> {
        let stmt = self
            .db()
            .prepare("SELECT person_id FROM face_rejections WHERE face_id = ?1 ORDER BY person_id");
        let ids = stmt.query_map(params![face], |r| r.get(0))?;
        Ok(ids)
    }

    /// Names a person (`None` clears the name). A name belongs to one person: naming a second person
    /// the same is refused (merge them instead).
    pub fn name_person(&mut self, person: i64, name: Option<&str>) -> Result<()> {
        let name = name.map(str::trim).filter(|n| !n.is_empty());
        self.decide(|tx| {
            require_person(tx, person)?;
            if let Some(name) = name {
                if let Some((other, taken)) = name_holder(tx, name, person)? {
                    return Err(Error::Decision(format!(
                        "person {other} is already called '{taken}': merge them with `argus people merge {other} {person}`"
                    )));
                }
            }
            tx.execute(
                "UPDATE people SET name = ?2 WHERE id = ?1",
                params![person, name],
            )?;
            Ok(())
        })
    }

    /// Merges `others` into `into`: all their faces become `into`'s, confirmed (the user said they are
    /// one person), their rejections carry over, and the others are deleted. The merged person keeps
    /// `into`'s name, or takes the one name among the others; two different names are refused.
    pub fn merge_people(&mut self, into: i64, others: &[i64]) -> Result<()> {
        self.decide(|tx| {
            require_person(tx, into)?;
            let mut name: Option<String> = person_name(tx, into)?;
            for &other in others {
                if other == into {
                    return Err(Error::Decision(format!(
                        "cannot merge person {into} into itself"
                    )));
                }
                require_person(tx, other)?;
                if let Some(other_name) = person_name(tx, other)? {
                    match &name {
                        Some(n) if !n.eq_ignore_ascii_case(&other_name) => {
                            return Err(Error::Decision(format!(
                                "person {into} is '{n}' and person {other} is '{other_name}': rename one first"
                            )))
                        }
                        _ => name = Some(other_name),
                    }
                }
            }
            for &other in others {
                tx.execute(
                    "UPDATE faces SET person_id = ?1 WHERE person_id = ?2",
                    params![into, other],
                )?;
                tx.execute(
                    "INSERT OR IGNORE INTO face_rejections (face_id, person_id)
                     SELECT face_id, ?1 FROM face_rejections WHERE person_id = ?2",
                    params![into, other],
                )?;
                tx.execute(
                    "UPDATE people SET hidden = 0
                     WHERE id = ?1 AND (SELECT hidden FROM people WHERE id = ?2) = 0",
                    params![into, other],
                )?;
                tx.execute("DELETE FROM people WHERE id = ?1", params![other])?;
            }
            tx.execute(
                "UPDATE faces SET confirmed = 1 WHERE person_id = ?1",
                params![into],
            )?;
            // A face now in the person is no longer rejected from it: the merge says it belongs.
            tx.execute(
                "DELETE FROM face_rejections WHERE person_id = ?1
                 AND face_id IN (SELECT id FROM faces WHERE person_id = ?1)",
                params![into],
            )?;
            tx.execute(
                "UPDATE people SET name = ?2 WHERE id = ?1",
                params![into, name],
            )?;
            Ok(())
        })
    }

    /// Moves `faces` (all of `from`) to a new or another person, confirmed there and rejected from
    /// `from`, so clustering never puts them back. Returns the person they went to.
    pub fn split_person(&mut self, from: i64, faces: &[i64], to: SplitTarget) -> Result<i64> {
        if faces.is_empty() {
            return Err(Error::Decision("no faces to split off".into()));
        }
        self.decide(|tx| {
            require_person(tx, from)?;
            for &face in faces {
                let person = face_person(tx, face)?;
                if person != Some(from) {
                    return Err(Error::Decision(format!(
                        "face {face} is not in person {from}"
                    )));
                }
            }
            let target = match &to {
                SplitTarget::Existing(id) if *id == from => {
                    return Err(Error::Decision("cannot split a person into itself".into()))
                }
                SplitTarget::Existing(id) => {
                    require_person(tx, *id)?;
                    *id
                }
                SplitTarget::New(name) => {
                    let id = create_person(tx)?;
                    if let Some(name) = name {
                        ensure_name_free(tx, name, id)?;
                        tx.execute(
                            "UPDATE people SET name = ?2 WHERE id = ?1",
                            params![id, name],
                        )?;
                    }
                    id
                }
            };
            for &face in faces {
                move_confirmed(tx, face, target)?;
                tx.execute(
                    "INSERT OR IGNORE INTO face_rejections (face_id, person_id) VALUES (?1, ?2)",
                    params![face, from],
                )?;
            }
            clear_covers_not_in_person(tx)?;
            prune_empty_people(tx)?;
            Ok(target)
        })
    }

    /// Takes faces out of their people and remembers it: clustering never puts a face back into a
    /// person it was rejected from. Returns the persons they were rejected from.
    pub fn reject_faces(&mut self, faces: &[i64]) -> Result<Vec<i64>> {
        self.decide(|tx| {
            let mut from = Vec::new();
            for &face in faces {
                let Some(person) = face_person(tx, face)? else {
                    return Err(Error::Decision(format!("face {face} is in no person")));
                };
                reject_from(tx, face, person)?;
                from.push(person);
            }
            clear_covers_not_in_person(tx)?;
            prune_empty_people(tx)?;
            Ok(from)
        })
    }

    /// "Not this person" for faces that may be in no person (rejected suggestions): remembered, so
    /// neither clustering nor suggestions offer them for `person` again; a face in `person` leaves it.
    pub fn reject_faces_from(&mut self, person: i64, faces: &[i64]) -> Result<()> {
        self.decide(|tx| {
            require_person(tx, person)?;
            for &face in faces {
                face_person(tx, face)?;
                reject_from(tx, face, person)?;
            }
            clear_covers_not_in_person(tx)?;
            prune_empty_people(tx)?;
            Ok(())
        })
    }

    /// Puts faces into `person` as the user's decision (from suggestions, or a face from the photo
    /// view); a rejection from that person is lifted.
    pub fn confirm_faces(&mut self, person: i64, faces: &[i64]) -> Result<()> {
        self.decide(|tx| {
            require_person(tx, person)?;
            confirm_into(tx, person, faces)
        })
    }

    /// Puts faces into the person called `name` (any case), or into a new person of that name when
    /// nobody is called so — the photo view's "this is …". Returns the person.
    pub fn assign_faces_to_name(&mut self, faces: &[i64], name: &str) -> Result<i64> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::Decision("a person needs a name".into()));
        }
        if faces.is_empty() {
            return Err(Error::Decision("no faces to assign".into()));
        }
        self.decide(|tx| {
            let person = person_called(tx, name)?;
            confirm_into(tx, person, faces)?;
            Ok(person)
        })
    }

    /// Hides or shows a person (hidden people stay clustered but out of lists).
    pub fn hide_person(&mut self, person: i64, hidden: bool) -> Result<()> {
        self.decide(|tx| {
            require_person(tx, person)?;
            tx.execute(
                "UPDATE people SET hidden = ?2 WHERE id = ?1",
                params![person, hidden],
            )?;
            Ok(())
        })
    }

    /// Chooses the face that represents a person; it must be one of the person's faces.
    pub fn set_cover(&mut self, person: i64, face: i64) -> Result<()> {
        self.decide(|tx| {
            require_person(tx, person)?;
            if face_person(tx, face)? != Some(person) {
                return Err(Error::Decision(format!(
                    "face {face} is not in person {person}"
                )));
            }
            tx.execute(
                "UPDATE people SET cover_face_id = ?2 WHERE id = ?1",
                params![person, face],
            )?;
            Ok(())
        })
    }

    /// Runs one decision in one immediate transaction.
    fn decide<T>(&mut self, work: impl FnOnce(&Db) -> Result<T>) -> Result<T> {
        let tx = Transaction::begin(self.db(), true)?;
        one_change_to_people_at_a_time(&tx)?;
        let out = work(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}

/// Waits until no other transaction is changing people (a decision, or clustering new faces) and
/// holds that until this one ends: on a server, machines deciding at once take turns, each seeing
/// what the one before committed, so decisions never interleave half-way and the later one wins
/// where they conflict. (A SQLite file already has one writer at a time.) Decisions are few and
/// short, so the turns cost nothing a person would notice.
pub(crate) fn one_change_to_people_at_a_time(tx: &Db) -> Result<()> {
    match tx.dialect() {
        crate::db::Dialect::Sqlite => Ok(()),
        crate::db::Dialect::Postgres => tx.execute_native_batch(
            "SELECT pg_advisory_xact_lock(7111, hashtext(current_schema())::integer)",
        ),
    }
}

/// A face read as (id, photo id, photo path, x, y, w, h, score, confirmed), its path as this
/// machine sees it.
pub(crate) fn face_row(r: &crate::db::Row, mounts: &Mounts) -> crate::Result<PersonFace> {
    Ok(PersonFace {
        face_id: r.get(0)?,
        photo_id: r.get(1)?,
        path: mounts.local_text(r.get(2)?),
        bbox: [r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?],
        score: r.get(7)?,
        confirmed: r.get::<i64>(8)? != 0,
    })
}

fn require_person(conn: &Db, id: i64) -> Result<()> {
    let found: Option<i64> =
        conn.query_opt("SELECT id FROM people WHERE id = ?1", params![id], |r| {
            r.get(0)
        })?;
    found
        .map(|_| ())
        .ok_or_else(|| Error::NoSuchPerson(id.to_string()))
}

fn person_name(conn: &Db, id: i64) -> Result<Option<String>> {
    conn.query_row("SELECT name FROM people WHERE id = ?1", params![id], |r| {
        r.get(0)
    })
}

/// The person other than `except` who has `name` (case-insensitive), with the name as stored.
fn name_holder(conn: &Db, name: &str, except: i64) -> Result<Option<(i64, String)>> {
    conn.query_opt(
        "SELECT id, name FROM people WHERE name = ?1 COLLATE NOCASE AND id <> ?2",
        params![name, except],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

fn ensure_name_free(conn: &Db, name: &str, except: i64) -> Result<()> {
    match name_holder(conn, name, except)? {
        Some((other, _)) => Err(Error::Decision(format!(
            "person {other} is already called '{name}'"
        ))),
        None => Ok(()),
    }
}

/// The person of a face (an error if there is no such face).
fn face_person(conn: &Db, face: i64) -> Result<Option<i64>> {
    conn.query_opt(
        "SELECT person_id FROM faces WHERE id = ?1",
        params![face],
        |r| r.get(0),
    )?
    .ok_or_else(|| Error::Decision(format!("no face {face}")))
}

/// The person called `name` (any case), if anyone is.
pub(crate) fn person_named(conn: &Db, name: &str) -> Result<Option<i64>> {
    Ok(name_holder(conn, name.trim(), 0)?.map(|(id, _)| id))
}

/// The person called `name` (any case), created when nobody is called so.
pub(crate) fn person_called(conn: &Db, name: &str) -> Result<i64> {
    let name = name.trim();
    if let Some(id) = person_named(conn, name)? {
        return Ok(id);
    }
    let id = create_person(conn)?;
    conn.execute(
        "UPDATE people SET name = ?2 WHERE id = ?1",
        params![id, name],
    )?;
    Ok(id)
}

/// After faces changed hands: covers that left their person are forgotten, unnamed people without
/// faces removed.
pub(crate) fn tidy_people(conn: &Db) -> Result<()> {
    clear_covers_not_in_person(conn)?;
    prune_empty_people(conn)?;
    Ok(())
}

pub(crate) fn create_person(conn: &Db) -> Result<i64> {
    conn.query_row(
        "INSERT INTO people (created_at) VALUES (?1) RETURNING id",
        params![unix_now()],
        |r| r.get(0),
    )
}

/// Records that `face` is not `person`, taking it out of `person` if it was there.
fn reject_from(conn: &Db, face: i64, person: i64) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO face_rejections (face_id, person_id) VALUES (?1, ?2)",
        params![face, person],
    )?;
    conn.execute(
        "UPDATE faces SET person_id = NULL, confirmed = 0, clustered = 1
         WHERE id = ?1 AND person_id = ?2",
        params![face, person],
    )?;
    Ok(())
}

/// Moves faces into `person` as the user's decision, lifting a rejection from that person.
fn confirm_into(conn: &Db, person: i64, faces: &[i64]) -> Result<()> {
    for &face in faces {
        face_person(conn, face)?;
        move_confirmed(conn, face, person)?;
        conn.execute(
            "DELETE FROM face_rejections WHERE face_id = ?1 AND person_id = ?2",
            params![face, person],
        )?;
    }
    clear_covers_not_in_person(conn)?;
    prune_empty_people(conn)?;
    Ok(())
}

fn move_confirmed(conn: &Db, face: i64, person: i64) -> Result<()> {
    conn.execute(
        "UPDATE faces SET person_id = ?2, confirmed = 1, clustered = 1 WHERE id = ?1",
        params![face, person],
    )?;
    Ok(())
}

/// A chosen cover that left its person is forgotten.
fn clear_covers_not_in_person(conn: &Db) -> Result<()> {
    conn.execute(
        "UPDATE people SET cover_face_id = NULL WHERE cover_face_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM faces f WHERE f.id = people.cover_face_id AND f.person_id = people.id)", (),
    )?;
    Ok(())
}

/// Deletes people without faces, unless named.
pub(crate) fn prune_empty_people(conn: &Db) -> Result<usize> {
    conn.execute(
        "DELETE FROM people WHERE name IS NULL
         AND NOT EXISTS (SELECT 1 FROM faces f WHERE f.person_id = people.id)",
        (),
    )
}

#[cfg(test)]
mod tests {
    use crate::fixture::{people_catalogue, person_of};

    #[test]
    fn assigning_faces_to_a_name_finds_or_creates_that_person() {
        let (_dir, mut c) = people_catalogue();
        let faces = [1, 2, 3];
        let zed = c
            .assign_faces_to_name(&faces[..2], "  Zed Nobody ")
            .unwrap();
        let person = c.person(zed).unwrap().unwrap();
        assert_eq!(person.name.as_deref(), Some("Zed Nobody"));
        assert_eq!((person.faces, person.confirmed_faces), (2, 2));
        // The same name in another case is the same person; the face moves there, confirmed.
        assert_eq!(
            c.assign_faces_to_name(&faces[2..], "zed nobody").unwrap(),
            zed
        );
        assert_eq!(c.person(zed).unwrap().unwrap().faces, 3);
        let named = c.people(true).unwrap();
        assert_eq!(
            named
                .iter()
                .filter(|p| p
                    .name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case("zed nobody")))
                .count(),
            1
        );
        assert!(c.assign_faces_to_name(&faces, " ").is_err());
        assert!(c.assign_faces_to_name(&[], "Zed Nobody").is_err());
        assert!(c.assign_faces_to_name(&[i64::MAX], "Zed Nobody").is_err());
    }

    #[test]
    fn rejecting_a_suggestion_remembers_it_without_a_person_to_leave() {
        let (_dir, mut c) = people_catalogue();
        // Face 2 is unassigned, face 1 is in a person.
        let (loose, placed) = (2, 1);
        let person = person_of(&c, placed).unwrap();
        assert_eq!(person_of(&c, loose), None);
        // An unassigned face: reject_faces has no person to take it from; rejecting it from a
        // person is remembered.
        assert!(c.reject_faces(&[loose]).is_err());
        c.reject_faces_from(person, &[loose]).unwrap();
        assert_eq!(c.rejections_of(loose).unwrap(), [person]);
        // A face of that person leaves it.
        c.reject_faces_from(person, &[placed]).unwrap();
        assert!(c.rejections_of(placed).unwrap().contains(&person));
        assert_eq!(person_of(&c, placed), None);
    }
}

#[cfg(test)]
mod concurrent_tests {
    use std::collections::HashMap;

    use crate::db::params;
    use crate::fixture::people_catalogue;
    use crate::{Catalog, Error, SplitTarget};

    /// One of a few decisions, chosen by `n` (a tiny deterministic sequence per machine).
    fn decide(catalog: &mut Catalog, machine: u64, n: u64) -> crate::Result<()> {
        let pick = |k: u64| (machine * 7919 + n * 104_729 + k * 31) % 1000;
        let people: Vec<i64> = catalog.people(true)?.iter().map(|p| p.id).collect();
        if people.is_empty() {
            return Ok(());
        }
        let person = people[pick(1) as usize % people.len()];
        let other = people[pick(2) as usize % people.len()];
        let names = ["Ana", "Ben", "Carla", "Dan"];
        match pick(3) % 5 {
            0 | 1 => catalog.name_person(person, Some(names[pick(4) as usize % names.len()])),
            2 => catalog.merge_people(person, &[other]),
            3 => {
                let faces = catalog.person_faces(person)?;
                match faces.first() {
                    Some(face) => catalog
                        .split_person(person, &[face.face_id], SplitTarget::New(None))
                        .map(drop),
                    None => Ok(()),
                }
            }
            _ => {
                let faces = catalog.person_faces(other)?;
                match faces.last() {
                    Some(face) => catalog.reject_faces(&[face.face_id]).map(drop),
                    None => Ok(()),
                }
            }
        }
    }

    #[test]
    fn machines_deciding_at_once_leave_people_consistent() {
        let (_dir, catalog) = people_catalogue();
        let machines: Vec<_> = (0..3u64)
            .map(|machine| {
                let mut own = catalog.connect_again().unwrap();
                std::thread::spawn(move || {
                    let mut refused = 0;
                    for n in 0..40 {
                        match decide(&mut own, machine, n) {
                            Ok(()) => {}
                            // What a person deciding on a stale screen is told.
                            Err(Error::Decision(_) | Error::NoSuchPerson(_)) => refused += 1,
                            Err(other) => panic!("machine {machine}, decision {n}: {other}"),
                        }
                    }
                    refused
                })
            })
            .collect();
        let refused: usize = machines.into_iter().map(|m| m.join().unwrap()).sum();
        assert!(
            refused < 120,
            "most decisions went through ({refused} refused)"
        );
        // One person per name; no face in a person it was rejected from; every face's person
        // exists; no unnamed person without faces.
        let people = catalog.people(true).unwrap();
        let mut names: HashMap<String, i64> = HashMap::new();
        for p in &people {
            if let Some(name) = &p.name {
                let earlier = names.insert(name.to_lowercase(), p.id);
                assert!(earlier.is_none(), "{name} is two people");
            }
            assert!(p.faces > 0 || p.name.is_some(), "person {} is empty", p.id);
        }
        let rejected_but_in: i64 = catalog
            .db()
            .query_row(
                "SELECT COUNT(*) FROM face_rejections r JOIN faces f ON f.id = r.face_id
                 WHERE f.person_id = r.person_id",
                (),
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(rejected_but_in, 0);
        let orphans: i64 = catalog
            .db()
            .query_row(
                "SELECT COUNT(*) FROM faces f WHERE f.person_id IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM people p WHERE p.id = f.person_id)",
                params![],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(orphans, 0);
    }
}
