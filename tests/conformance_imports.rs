//! Imports in the conformance suite: consent imported before the contacts it is about counts
//! for them (the app imports the consent file first), on both executors.

use chrono::Duration;
use journeys::contact::{ConsentRecord, ConsentScope, ConsentStatus, Contact};
use journeys::document::Channel;
use runtime::storage::SegmentDefinition;

use crate::conformance::{Harness, dials_of, start, tile, voice};
use crate::restate_engine::monday;

pub(crate) fn consent_before_contacts(h: &dyn Harness) {
    let exec = h.exec();
    let phone = |i: usize| format!("+1312777{i:04}");
    let consents: Vec<ConsentRecord> = (0..2)
        .map(|i| ConsentRecord {
            contact_point: phone(i),
            channel: Channel::Voice,
            scope: ConsentScope::Purpose {
                purpose_id: "pur-promotions".into(),
            },
            status: if i == 1 {
                ConsentStatus::OptedOut
            } else {
                ConsentStatus::OptedIn
            },
            updated_at: monday() - Duration::days(1),
            source: None,
        })
        .collect();
    assert_eq!(exec.import_consents(&consents).expect("consents"), 2);
    let contacts: Vec<Contact> = (0..2)
        .map(|i| Contact {
            id: format!("cb{i}"),
            mobile_phone: Some(phone(i)),
            time_zone: Some("America/Chicago".into()),
            ..Contact::default()
        })
        .collect();
    assert_eq!(exec.import_contacts(&contacts).expect("contacts"), 2);
    exec.put_segment(
        "none",
        &SegmentDefinition::Static {
            contact_ids: vec![],
        },
    )
    .expect("segment");
    exec.publish(&voice("cb")).expect("publish");
    start(h, "cb", "cb0");
    start(h, "cb", "cb1");
    h.until("one call goes out and one is blocked", &mut |e| {
        let call = tile(e, "cb", 1, "call");
        call.sent + call.blocked.values().sum::<i64>() == 2
    });
    let call = tile(exec, "cb", 1, "call");
    assert_eq!(call.sent, 1, "{call:?}");
    assert_eq!(
        call.blocked.get("CONSENT_PURPOSE_OPTED_OUT"),
        Some(&1),
        "{call:?}"
    );
    let dialled: Vec<_> = dials_of(h, "cb").into_iter().map(|(c, _)| c).collect();
    assert_eq!(dialled, ["cb0"]);
}
