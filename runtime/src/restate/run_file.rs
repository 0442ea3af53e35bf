//! What a run knows of its contact file between reads: the copy it keeps, and the look-up
//! that tells whether a step consulted consent (then the step is taken again on the file as
//! it is now; see `ContactJourney::advance`).

use std::cell::Cell;

use journeys::compliance::{ConsentLookup, ScopeRef};
use journeys::contact::{ConsentRecord, ConsentScope, ConsentStatus};
use journeys::document::Channel;
use restate_sdk::prelude::*;

use super::{ContactFileClient, ContactRecord};

/// The contact file of a run that has none (never: a run reads it before its first step).
pub(super) static NO_FILE: ContactRecord = ContactRecord {
    contact: None,
    consents: Vec::new(),
};

pub(super) async fn read_file(
    ctx: &ObjectContext<'_>,
    contact_id: &str,
) -> HandlerResult<ContactRecord> {
    let Json(file) = ctx
        .object_client::<ContactFileClient>(contact_id.to_owned())
        .read()
        .call()
        .await?;
    Ok(file)
}

/// A run's consent records (its contact file's and those it recorded since), noting whether
/// the step looked any up.
pub(super) struct Watched<'a> {
    file: &'a [ConsentRecord],
    recorded: &'a [ConsentRecord],
    pub(super) consulted: Cell<bool>,
}

impl<'a> Watched<'a> {
    pub(super) fn new(file: &'a [ConsentRecord], recorded: &'a [ConsentRecord]) -> Self {
        Watched {
            file,
            recorded,
            consulted: Cell::new(false),
        }
    }

    /// The newer of two answers (the newest `updatedAt` wins, as in one list).
    fn newest(
        &self,
        a: Option<&ConsentRecord>,
        b: Option<&ConsentRecord>,
    ) -> Option<ConsentStatus> {
        self.consulted.set(true);
        match (a, b) {
            (Some(a), Some(b)) if b.updated_at >= a.updated_at => Some(b.status),
            (Some(a), _) => Some(a.status),
            (None, b) => b.map(|b| b.status),
        }
    }
}

impl<'a> ConsentLookup for Watched<'a> {
    fn status(
        &self,
        contact_point: &str,
        channel: Channel,
        scope: &ConsentScope,
    ) -> Option<ConsentStatus> {
        let find = |records: &'a [ConsentRecord]| {
            records
                .iter()
                .filter(|r| {
                    r.contact_point == contact_point && r.channel == channel && &r.scope == scope
                })
                .max_by_key(|r| r.updated_at)
        };
        self.newest(find(self.file), find(self.recorded))
    }

    fn status_of(
        &self,
        contact_point: &str,
        channel: Channel,
        scope: ScopeRef<'_>,
    ) -> Option<ConsentStatus> {
        let find = |records: &'a [ConsentRecord]| {
            records
                .iter()
                .filter(|r| {
                    r.contact_point == contact_point
                        && r.channel == channel
                        && scope.matches(&r.scope)
                })
                .max_by_key(|r| r.updated_at)
        };
        self.newest(find(self.file), find(self.recorded))
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;

    fn record(status: ConsentStatus, at: &str) -> ConsentRecord {
        ConsentRecord {
            contact_point: "+13125550100".into(),
            channel: Channel::Voice,
            scope: ConsentScope::Purpose {
                purpose_id: "pur-promotions".into(),
            },
            status,
            updated_at: at.parse::<DateTime<Utc>>().expect("a time"),
            source: None,
        }
    }

    #[test]
    fn the_newest_record_of_file_and_run_wins_and_a_look_up_is_noticed() {
        let file = [record(ConsentStatus::OptedIn, "2026-12-01T00:00:00Z")];
        let recorded = [record(ConsentStatus::OptedOut, "2026-12-02T00:00:00Z")];
        let scope = file[0].scope.clone();
        let point = "+13125550100";
        let both = Watched::new(&file, &recorded);
        assert!(!both.consulted.get(), "nothing looked up yet");
        assert_eq!(
            both.status(point, Channel::Voice, &scope),
            Some(ConsentStatus::OptedOut),
            "the run's newer opt-out wins over the file's older opt-in"
        );
        assert!(both.consulted.get());
        let later = [record(ConsentStatus::OptedIn, "2026-12-03T00:00:00Z")];
        let file_newer = Watched::new(&later, &recorded);
        assert_eq!(
            file_newer.status(point, Channel::Voice, &scope),
            Some(ConsentStatus::OptedIn),
            "a file newer than the run's record wins"
        );
        // The borrowed look-up the engine uses answers the same and is noticed too.
        let borrowed = Watched::new(&file, &recorded);
        assert_eq!(
            borrowed.status_of(point, Channel::Voice, ScopeRef::Purpose("pur-promotions")),
            Some(ConsentStatus::OptedOut)
        );
        assert!(borrowed.consulted.get());
        let none = Watched::new(&[], &[]);
        assert_eq!(none.status(point, Channel::Voice, &scope), None);
        assert!(
            none.consulted.get(),
            "a look-up that finds nothing is a look-up too"
        );
    }
}
