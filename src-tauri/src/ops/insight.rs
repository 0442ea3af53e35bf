//! Per-tile insight for the version shown (the live one, or one opened from the versions
//! panel): entered, waiting here, left by each branch, ended here; for a voice tile its
//! results, disposition codes and block reasons in words. And the export of the contacts at
//! a tile (or on one of its branches) to a CSV file the marketer picked.

use std::io::Write;
use std::path::Path;

use journeys::catalog::Catalog;
use journeys::designer_rules::block_code_words;
use journeys::document::Tile;
use runtime::storage::{ContactsAt, MAX_PAGE, TileContactsQuery, TileCounts, write_csv};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::runtime::RuntimeClient;
use super::{OpsError, Result};

/// One counted line: what, in words, and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct InsightLine {
    /// The runtime's key (a result value, a disposition code, a block code).
    pub key: String,
    /// What the marketer reads.
    pub label: String,
    /// How many.
    pub count: i64,
}

/// One branch of a branching tile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BranchInsight {
    /// The output's id (a branch id or `other`).
    pub output: String,
    /// Its label on the canvas.
    pub label: String,
    /// Contacts that left by it.
    pub count: i64,
    /// The file name an export of them suggests.
    pub file_name: String,
}

/// What a voice tile's calls came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct VoiceInsight {
    /// Call requests sent.
    pub sent: i64,
    /// Times a call was held by quiet time so far.
    pub held_so_far: i64,
    /// Attempted calls by result (the catalog's label).
    pub attempted: Vec<InsightLine>,
    /// Not-attempted calls by result.
    pub not_attempted: Vec<InsightLine>,
    /// Call results by disposition code.
    pub dispositions: Vec<InsightLine>,
    /// Calls blocked, by reason in words.
    pub blocked: Vec<InsightLine>,
}

/// The insight of one tile of one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TileInsight {
    /// The version.
    pub number: i64,
    /// Its state (`live`, `paused`, `completing`, …).
    pub state: String,
    /// The tile's id.
    pub tile_id: String,
    /// The tile's name as shown.
    pub tile_name: String,
    /// Contacts that entered.
    pub entered: i64,
    /// On the tile now, waiting.
    pub waiting: i64,
    /// On the tile now, held by quiet time.
    pub held: i64,
    /// Runs that ended on the tile.
    pub ended: i64,
    /// A tile with one output: contacts that went on (entered, not here, not ended here).
    pub went_on: Option<i64>,
    /// A branching tile: every branch, in the tile's order, with its count.
    pub branches: Vec<BranchInsight>,
    /// A voice tile's calls.
    pub voice: Option<VoiceInsight>,
    /// The file name an export of the tile's contacts suggests:
    /// `<journey>-v<N>-<tile name>.csv`.
    pub file_name: String,
}

/// Which contacts of a tile to export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ContactsChoice {
    /// Everyone who entered it.
    Entered,
    /// On it now.
    Here,
    /// Their run ended on it.
    Ended,
    /// Left it by this branch.
    Branch {
        /// The branch's output id.
        output: String,
    },
}

/// A finished export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ContactsExport {
    /// Where it was written.
    pub path: String,
    /// Contacts written (rows after the header).
    pub rows: u32,
}

/// The insight of `tile_id` on version `number` of journey `id`; `catalog` names results.
pub fn tile_insight(
    runtime: &RuntimeClient,
    catalog: &Catalog,
    id: &str,
    number: i64,
    tile_id: &str,
) -> Result<TileInsight> {
    let document = runtime.version_document(id, number)?;
    let journey = &document.journey;
    let Some(tile) = journey.tile(tile_id) else {
        return Err(OpsError::InvalidInput(format!(
            "Version {number} has no tile {tile_id:?}: it was added after that version was published."
        )));
    };
    let counts = runtime.counts(id, number)?;
    let c = counts.tiles.get(tile_id).cloned().unwrap_or_default();
    let name = tile.shown_name().to_owned();
    let branches = if tile.is_branching() {
        tile.outputs()
            .into_iter()
            .map(|output| {
                let label = tile
                    .output_label(output)
                    .map_or_else(|| output.to_owned(), |l| l.text().to_owned());
                BranchInsight {
                    output: output.to_owned(),
                    count: c.branches.get(output).copied().unwrap_or(0),
                    file_name: export_file_name(&journey.name, number, &name, Some(&label)),
                    label,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let went_on = (!tile.is_branching() && !tile.outputs().is_empty())
        .then(|| (c.entered - c.waiting - c.held - c.completed).max(0));
    let voice = matches!(tile, Tile::VoiceConversation(_)).then(|| voice_insight(&c, catalog));
    Ok(TileInsight {
        number,
        state: counts.version.state.to_string(),
        tile_id: tile_id.to_owned(),
        file_name: export_file_name(&journey.name, number, &name, None),
        tile_name: name,
        entered: c.entered,
        waiting: c.waiting,
        held: c.held,
        ended: c.completed,
        went_on,
        branches,
        voice,
    })
}

pub(super) fn voice_insight(c: &TileCounts, catalog: &Catalog) -> VoiceInsight {
    let result = |(key, n): (&String, &i64)| InsightLine {
        key: key.clone(),
        label: catalog
            .result(key)
            .map_or_else(|| key.clone(), |r| r.label.clone()),
        count: *n,
    };
    let mut dispositions: Vec<InsightLine> = c
        .dispositions
        .iter()
        .map(|(code, n)| InsightLine {
            key: code.clone(),
            label: code.clone(),
            count: *n,
        })
        .collect();
    // Most frequent first: the codes a marketer acts on.
    dispositions.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
    VoiceInsight {
        sent: c.sent,
        held_so_far: c.held_total,
        attempted: c.attempted.iter().map(result).collect(),
        not_attempted: c.not_attempted.iter().map(result).collect(),
        dispositions,
        blocked: c
            .blocked
            .iter()
            .map(|(code, n)| InsightLine {
                key: code.clone(),
                label: block_code_words(code).map_or_else(|| code.clone(), str::to_owned),
                count: *n,
            })
            .collect(),
    }
}

/// `<journey>-v<N>-<tile name>[-<branch>].csv`: `/ \\ :` become `-`, what else a file name
/// may not hold (`* ? " < > |`, control characters) is left out, and no leading dot.
pub fn export_file_name(journey: &str, number: i64, tile: &str, branch: Option<&str>) -> String {
    let mut name = format!("{journey}-v{number}-{tile}");
    if let Some(branch) = branch {
        name.push('-');
        name.push_str(branch);
    }
    let safe: String = name
        .chars()
        .filter(|c| !c.is_control() && !"*?\"<>|".contains(*c))
        .map(|c| if "/\\:".contains(c) { '-' } else { c })
        .take(150)
        .collect();
    format!("{}.csv", safe.trim().trim_matches('.'))
}

/// Write the contacts of `choice` on `tile_id` of version `number` of journey `id` to `path`
/// as CSV, a page at a time. The file is written beside the target and renamed over it, so a
/// failed export never leaves half a file.
pub fn export_tile_contacts(
    runtime: &RuntimeClient,
    id: &str,
    number: i64,
    tile_id: &str,
    choice: &ContactsChoice,
    path: &Path,
) -> Result<ContactsExport> {
    let failed = |e: &dyn std::fmt::Display| {
        OpsError::InvalidInput(format!(
            "Cannot write the contacts to {}: {e}",
            path.display()
        ))
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let temp = builder.tempfile_in(dir).map_err(|e| failed(&e))?;
    let mut out = std::io::BufWriter::new(temp);
    let at = match choice {
        ContactsChoice::Entered => ContactsAt::Entered,
        ContactsChoice::Here => ContactsAt::Here,
        ContactsChoice::Ended => ContactsAt::Ended,
        ContactsChoice::Branch { output } => ContactsAt::Branch(output.clone()),
    };
    let mut query = TileContactsQuery {
        tile: tile_id.to_owned(),
        at,
        after: 0,
        limit: MAX_PAGE,
    };
    let mut rows: u32 = 0;
    loop {
        let page = runtime.tile_contacts(id, number, &query)?;
        write_csv(&mut out, &page.contacts, query.after == 0).map_err(|e| failed(&e))?;
        rows = rows.saturating_add(u32::try_from(page.contacts.len()).unwrap_or(u32::MAX));
        match page.next_after {
            Some(next) => query.after = next,
            None => break,
        }
    }
    out.flush().map_err(|e| failed(&e))?;
    let temp = out.into_inner().map_err(|e| failed(&e.error()))?;
    temp.as_file().sync_all().map_err(|e| failed(&e))?;
    temp.persist(path).map_err(|e| failed(&e.error))?;
    Ok(ContactsExport {
        path: path.display().to_string(),
        rows,
    })
}
