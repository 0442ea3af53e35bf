//! The contacts at one tile of a version — who waits there now, who entered it, who left by
//! a branch, who ended there — a page at a time in run order, and the CSV a marketer exports.

use std::io::Write;

use chrono::{DateTime, Utc};
use journeys::contact::Contact;
use journeys::document::{Journey, Tile};
use journeys::lifecycle::VersionState;
use rusqlite::{Row, params};
use serde::{Deserialize, Serialize};

use super::{Store, from_millis, parse, version_id};
use crate::error::{Error, Result};

/// The most contacts one page holds.
pub const MAX_PAGE: usize = 10_000;

/// Which contacts of a tile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactsAt {
    /// On the tile now (waiting, held, about to be called).
    Here,
    /// Every contact that entered it.
    Entered,
    /// Contacts whose run ended on it.
    Ended,
    /// Contacts that left it (a branching tile) by this output: a branch id or `other`.
    Branch(String),
}

impl ContactsAt {
    /// The words `at` takes.
    pub const WORDS: [&str; 4] = ["here", "entered", "ended", "branch"];

    /// From the API's words: `at` is `here`, `entered`, `ended` or `branch` (with `branch`).
    pub fn parse(at: &str, branch: Option<&str>) -> Result<ContactsAt> {
        match (at, branch) {
            ("here", None) => Ok(ContactsAt::Here),
            ("entered", None) => Ok(ContactsAt::Entered),
            ("ended", None) => Ok(ContactsAt::Ended),
            ("branch", Some(b)) if !b.is_empty() => Ok(ContactsAt::Branch(b.to_owned())),
            ("branch", _) => Err(Error::BadInput(
                "at=branch needs the branch's id in branch=".into(),
            )),
            ("here" | "entered" | "ended", Some(_)) => Err(Error::BadInput(format!(
                "branch= only goes with at=branch, not at={at}"
            ))),
            _ => Err(Error::BadInput(format!(
                "at must be here, entered, ended or branch, not {at:?}"
            ))),
        }
    }
}

/// Which page of which contacts of which tile an executor is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TileContactsQuery {
    /// The tile's id.
    pub tile: String,
    /// Which of its contacts.
    pub at: ContactsAt,
    /// The run id the page starts after (0 for the first page).
    pub after: i64,
    /// At most this many (1 to [`MAX_PAGE`]).
    pub limit: usize,
}

/// One contact at a tile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContactAtTile {
    /// The run's id (the page cursor).
    pub run_id: i64,
    /// The contact.
    pub contact_id: String,
    /// Its first phone (mobile, else business, else home), as imported.
    pub phone: Option<String>,
    /// Its own time zone, if it has one.
    pub time_zone: Option<String>,
    /// The run's status: `active`, `done`, `stopped` or `failed`.
    pub run_status: String,
    /// Where the run is in its tile: `new`, `held`, `waiting`, `sleeping`, `paused`, `done`.
    pub phase: String,
    /// When it entered the tile (none for runs that moved before the runtime kept it).
    pub entered_at: Option<DateTime<Utc>>,
    /// The branch it left by (a branch id or `other`), if it left a branching tile.
    pub branch: Option<String>,
    /// That output's label on the canvas.
    pub branch_name: Option<String>,
    /// When it left the tile by a branch, or ended there.
    pub left_at: Option<DateTime<Utc>>,
}

/// One page of contacts at a tile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TileContactsPage {
    /// The contacts, in run order.
    pub contacts: Vec<ContactAtTile>,
    /// Pass as `after` for the next page; none on the last page.
    pub next_after: Option<i64>,
}

/// The CSV columns, in order.
pub const CSV_HEADER: [&str; 9] = [
    "contactId",
    "phone",
    "timeZone",
    "runStatus",
    "phase",
    "enteredAt",
    "branch",
    "branchName",
    "leftAt",
];

/// Write contacts as CSV rows (the header first when `header`). A field a spreadsheet would
/// run as a formula (`=`, `@`, `+`/`-` not followed by a number, tab, CR) gets a leading `'`.
pub fn write_csv<W: Write>(out: W, contacts: &[ContactAtTile], header: bool) -> Result<()> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out);
    let csv_error = |e: csv::Error| Error::BadInput(format!("writing the CSV failed: {e}"));
    if header {
        w.write_record(CSV_HEADER).map_err(csv_error)?;
    }
    let time = |t: Option<DateTime<Utc>>| {
        t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default()
    };
    for c in contacts {
        let text = |v: &Option<String>| safe(v.as_deref().unwrap_or_default());
        w.write_record([
            safe(&c.contact_id),
            text(&c.phone),
            text(&c.time_zone),
            c.run_status.clone(),
            c.phase.clone(),
            time(c.entered_at),
            text(&c.branch),
            text(&c.branch_name),
            time(c.left_at),
        ])
        .map_err(csv_error)?;
    }
    w.flush()
        .map_err(|e| Error::BadInput(format!("writing the CSV failed: {e}")))?;
    Ok(())
}

/// A field as a spreadsheet may open it without running it.
fn safe(field: &str) -> String {
    let numeric = |rest: &str| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '(' | ')' | '-'))
    };
    let risky = match field.chars().next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !numeric(&field[1..]),
        _ => false,
    };
    if risky {
        format!("'{field}")
    } else {
        field.to_owned()
    }
}

impl Store {
    /// Up to `limit` (1 to [`MAX_PAGE`]) contacts of `at` on `tile` of version `number` of
    /// `journey_id`, runs after `after` in run order. An unknown version, tile or branch is
    /// [`Error::NotFound`] naming it.
    pub fn tile_contacts(
        &self,
        journey_id: &str,
        number: i64,
        tile: &str,
        at: &ContactsAt,
        after: i64,
        limit: usize,
    ) -> Result<TileContactsPage> {
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(Error::BadInput(format!(
                "limit must be 1 to {MAX_PAGE}, not {limit}"
            )));
        }
        let conn = self.conn();
        let (version_id, _) = version_id(&conn, journey_id, number)?;
        let graph = self.graph(&conn, version_id)?;
        let found = checked_tile(graph.journey(), journey_id, number, tile, at)?;
        // The visit of the tile a run is on now, or ended on, is in `contact_run`; `run_tile`
        // holds the visits runs left (written once, when the run leaves). A graph has no
        // cycles: a run enters a tile once, so the two never hold the same run and tile.
        const CONTACT: &str = "r.id, r.contact_id, r.status, r.phase";
        const ON_IT: &str = "SELECT r.id, r.tile_entered_at, r.tile_branch, r.tile_left_at
                             FROM contact_run r WHERE r.version_id = ?1 AND r.tile = ?2";
        const LEFT: &str = "SELECT t.run_id, t.entered_at, t.branch, t.left_at
                            FROM run_tile t WHERE t.version_id = ?1 AND t.tile = ?2";
        let sql = match at {
            ContactsAt::Here | ContactsAt::Ended => format!(
                "SELECT {CONTACT}, r.tile_entered_at, r.tile_branch, r.tile_left_at, c.data
                 FROM contact_run r
                 LEFT JOIN contact c ON c.id = r.contact_id
                 WHERE r.version_id = ?1 AND r.tile = ?2 AND r.status = ?3 AND r.id > ?4
                 ORDER BY r.id LIMIT ?5"
            ),
            // Those that left by it, and those that ended on the tile taking it.
            ContactsAt::Branch(_) => format!(
                "SELECT {CONTACT}, v.entered_at, v.branch, v.left_at, c.data FROM (
                     {LEFT} AND t.branch = ?3 AND t.run_id > ?4
                     UNION ALL
                     {ON_IT} AND r.status = 'done' AND r.tile_branch = ?3 AND r.id > ?4
                     ORDER BY 1 LIMIT ?5
                 ) v
                 JOIN contact_run r ON r.id = v.run_id
                 LEFT JOIN contact c ON c.id = r.contact_id
                 ORDER BY v.run_id"
            ),
            // Those that left it, and those on it now or that ended on it.
            ContactsAt::Entered => format!(
                "SELECT {CONTACT}, v.entered_at, v.branch, v.left_at, c.data FROM (
                     {LEFT} AND t.run_id > ?4
                     UNION ALL
                     {ON_IT} AND r.tile_entered_at IS NOT NULL AND r.id > ?4
                     ORDER BY 1 LIMIT ?5
                 ) v
                 JOIN contact_run r ON r.id = v.run_id
                 LEFT JOIN contact c ON c.id = r.contact_id
                 ORDER BY v.run_id"
            ),
        };
        let filter: Option<&str> = match at {
            ContactsAt::Here => Some("active"),
            ContactsAt::Ended => Some("done"),
            ContactsAt::Entered => None,
            ContactsAt::Branch(branch) => Some(branch),
        };
        let mut stmt = conn.prepare_cached(&sql)?;
        // One more than asked tells whether another page follows.
        let fetch = i64::try_from(limit + 1).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![version_id, tile, filter, after, fetch], |r| {
            read_row(r)
        })?;
        let mut contacts = Vec::with_capacity(limit.min(1024));
        for row in rows {
            let (mut contact, data) = row?;
            if let Some(data) = data {
                let stored: Contact = parse(&data, "contact")?;
                contact.phone = stored
                    .mobile_phone
                    .or(stored.business_phone)
                    .or(stored.home_phone);
                contact.time_zone = stored.time_zone;
            }
            contact.branch_name = contact
                .branch
                .as_deref()
                .and_then(|b| found.output_label(b))
                .map(|l| l.text().to_owned());
            contacts.push(contact);
        }
        let next_after = if contacts.len() > limit {
            contacts.truncate(limit);
            contacts.last().map(|c| c.run_id)
        } else {
            None
        };
        Ok(TileContactsPage {
            contacts,
            next_after,
        })
    }
}

impl Store {
    /// The tile `tile` of version `number` of `journey_id` and the version's state, once
    /// `at` fits it: an unknown version, tile or branch is [`Error::NotFound`] naming it (as
    /// [`Store::tile_contacts`] answers; the Restate executor asks this before its own read).
    pub fn tile_for_contacts(
        &self,
        journey_id: &str,
        number: i64,
        tile: &str,
        at: &ContactsAt,
    ) -> Result<(Tile, VersionState)> {
        let conn = self.conn();
        let (version_id, state) = version_id(&conn, journey_id, number)?;
        let graph = self.graph(&conn, version_id)?;
        let found = checked_tile(graph.journey(), journey_id, number, tile, at)?;
        Ok((found.clone(), state))
    }
}

/// `tile` of the version's `journey`, once `at` fits it (a branch it has).
fn checked_tile<'j>(
    journey: &'j Journey,
    journey_id: &str,
    number: i64,
    tile: &str,
    at: &ContactsAt,
) -> Result<&'j Tile> {
    let Some(found) = journey.tile(tile) else {
        return Err(Error::NotFound(format!(
            "version {number} of journey {journey_id} has no tile {tile:?}"
        )));
    };
    if matches!(at, ContactsAt::Branch(_)) && !found.is_branching() {
        return Err(Error::NotFound(format!(
            "tile {:?} has no branches: ask for the contacts that entered it",
            found.shown_name()
        )));
    }
    if let ContactsAt::Branch(branch) = at
        && found.output_label(branch).is_none()
    {
        return Err(Error::NotFound(format!(
            "tile {:?} has no branch {branch:?} (its outputs: {})",
            found.shown_name(),
            found.outputs().join(", ")
        )));
    }
    Ok(found)
}

fn read_row(r: &Row<'_>) -> rusqlite::Result<(ContactAtTile, Option<String>)> {
    Ok((
        ContactAtTile {
            run_id: r.get(0)?,
            contact_id: r.get(1)?,
            phone: None,
            time_zone: None,
            run_status: r.get(2)?,
            phase: r.get(3)?,
            entered_at: r.get::<_, Option<i64>>(4)?.map(from_millis),
            branch: r.get(5)?,
            branch_name: None,
            left_at: r.get::<_, Option<i64>>(6)?.map(from_millis),
        },
        r.get(7)?,
    ))
}
