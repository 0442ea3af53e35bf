//! The hidden `--autosave-stress DIR` mode: save a growing draft in a loop and print each
//! committed revision, so a test can kill the process mid-write and check what survived.

use std::io::Write;
use std::path::Path;

use chrono::Utc;

use journeys::document::{ExitTile, Journey, Position, Tile};

use crate::ops;
use crate::storage::{Db, StorageError};

/// The draft id the stress loop writes.
pub const STRESS_ID: &str = "stress";

/// A journey whose name carries the revision and whose size makes each write take a while.
pub fn stress_journey(revision: u64, tiles: usize) -> Journey {
    let mut journey = Journey::new(STRESS_ID, format!("revision {revision}"), "UTC");
    for i in 0..tiles {
        let id = format!("exit-{i}");
        journey.layout.positions.insert(
            id.clone(),
            Position {
                x: i as f64,
                y: revision as f64,
            },
        );
        journey.tiles.push(Tile::Exit(ExitTile {
            id,
            name: format!("Exit {i} of revision {revision}"),
        }));
    }
    journey
}

/// Run the loop until killed; returns an exit code only on failure.
pub fn autosave_loop(dir: &Path) -> i32 {
    match run(dir) {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "autosave stress: {e}");
            2
        }
    }
}

fn run(dir: &Path) -> Result<(), ops::OpsError> {
    let db = Db::open(dir)?;
    let mut revision = match db.draft(STRESS_ID) {
        Ok(row) => row
            .document
            .name
            .strip_prefix("revision ")
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0),
        Err(StorageError::NotFound(_)) => {
            db.insert_draft(&stress_journey(0, 0), "1970-01-01T00:00:00.000Z")?;
            0
        }
        Err(e) => return Err(e.into()),
    };
    let mut out = std::io::stdout().lock();
    loop {
        revision += 1;
        ops::journeys::save_draft(&db, Utc::now(), &stress_journey(revision, 300))?;
        // Printed only after the commit returned: the parent may rely on every printed revision.
        if writeln!(out, "{revision}")
            .and_then(|()| out.flush())
            .is_err()
        {
            return Ok(());
        }
    }
}
