//! Repeating segment journeys on Restate: each round's run is an object of its own. A run's
//! object is keyed by version and contact ([`run_key`]); a repeating journey admits its
//! members again each round (`journeys::lifecycle::round_at`, enrolled by the metadata store
//! with the SQLite executor's rules under the entry key `segment:{round}`), and a round's run
//! is `{run key}.{round}` — its own state, timers and `{run}:{tile}:{attempt}` keys, so the
//! contact center takes its calls as new ones. The first entry keeps the plain run key.

use std::collections::BTreeMap;
use std::time::Duration;

use super::{Ingress, IngressError, run_key};

/// The round an entry key names (`segment:{round}`), if any.
pub(crate) fn round_of(entry_key: &str) -> Option<u32> {
    entry_key.strip_prefix("segment:")?.parse().ok()
}

/// The key of the object of the run an enrolment (`entry_key`) started: [`run_key`], with
/// `.{round}` for a repeating journey's later round (a contact id's `.` is escaped, so the
/// two never meet).
pub fn entry_run_key(journey_id: &str, number: i64, contact_id: &str, entry_key: &str) -> String {
    let key = run_key(journey_id, number, contact_id);
    match round_of(entry_key) {
        Some(round) => format!("{key}.{round}"),
        None => key,
    }
}

impl Ingress {
    /// Hand over the start of the run of the enrolment `entry_key` (a round's run has a key of
    /// its own, [`entry_run_key`]); the run's key, which is also the idempotency key.
    pub fn send_entry_start(
        &self,
        journey_id: &str,
        number: i64,
        contact_id: &str,
        entry_key: &str,
        trigger_attributes: BTreeMap<String, serde_json::Value>,
        delay: Duration,
    ) -> Result<String, IngressError> {
        let key = entry_run_key(journey_id, number, contact_id, entry_key);
        self.send_start(
            key,
            journey_id,
            number,
            contact_id,
            trigger_attributes,
            delay,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rounds_run_has_a_key_of_its_own_and_the_first_entry_the_plain_one() {
        assert_eq!(entry_run_key("j", 1, "c.1", "segment"), "j.1.c%2E1");
        assert_eq!(entry_run_key("j", 1, "c.1", "segment:3"), "j.1.c%2E1.3");
        assert_eq!(entry_run_key("j", 1, "c", "event-7"), "j.1.c");
        assert_eq!(round_of("segment:x"), None);
    }
}
