//! The runtime's storage tests' shared fixture: a SQLite executor on real files under a
//! virtual clock from a Monday morning in Chicago, with the sample catalog, the 20 sample
//! contacts and their consents, and the segment `renewals-due` of all of them.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use journeys::catalog::Catalog;
use journeys::import::{self, Format};

use crate::adapters::{ContactCenter, Simulator, SimulatorConfig};
use crate::clock::VirtualClock;
use crate::executor::{Executor, SqliteExecutor};
use crate::storage::{SegmentDefinition, Store};

pub(super) fn start() -> DateTime<Utc> {
    // Monday 08:00 in Chicago: inside calling hours.
    Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap()
}

pub(super) fn open(dir: &Path) -> (Arc<VirtualClock>, SqliteExecutor) {
    let clock = Arc::new(VirtualClock::new(start()));
    let store = Store::open(&dir.join("rt.sqlite"), false).unwrap();
    let sim: Arc<dyn ContactCenter> =
        Arc::new(Simulator::open(&dir.join("sim.sqlite"), SimulatorConfig::default()).unwrap());
    let exec = SqliteExecutor::open(store, clock.clone(), sim).unwrap();
    exec.set_catalog(
        Catalog::from_json(include_str!("../../../journeys/samples/catalog.json")).unwrap(),
    )
    .unwrap();
    let contacts =
        import::contacts(include_bytes!("../../samples/contacts.csv"), Format::Csv).unwrap();
    let consents =
        import::consents(include_bytes!("../../samples/consents.csv"), Format::Csv).unwrap();
    exec.import_contacts(&contacts).unwrap();
    exec.import_consents(&consents).unwrap();
    exec.put_segment(
        "renewals-due",
        &SegmentDefinition::Static {
            contact_ids: contacts.into_iter().map(|c| c.id).collect(),
        },
    )
    .unwrap();
    (clock, exec)
}
