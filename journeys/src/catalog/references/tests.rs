use super::*;
use crate::catalog::{EngagementChannel, PurposeType};
use crate::document::parse_journey;

fn sample_catalog() -> Catalog {
    Catalog::from_json(include_str!("../../../samples/catalog.json")).unwrap()
}

fn renewal_journey() -> Journey {
    parse_journey(include_str!("../../../samples/renewal-calls.journey.json")).unwrap()
}

#[test]
fn a_voice_tile_uses_its_engagement_profile_purpose_topic_and_inherited_setting() {
    let catalog = sample_catalog();
    let mut journey = renewal_journey();
    journey
        .tiles
        .retain(|t| !matches!(t, Tile::VoiceConversation(_)));
    let Tile::VoiceConversation(mut voice) = renewal_journey()
        .tiles
        .into_iter()
        .find(|t| matches!(t, Tile::VoiceConversation(_)))
        .unwrap()
    else {
        unreachable!()
    };
    voice.engagement_id = Some("eng-renewals-voice".into());
    voice.compliance_profile_id = Some("cp-us-marketing".into());
    voice.purpose_id = Some("pur-promotions".into());
    voice.topic_id = Some("top-renewal-offers".into());
    voice.quiet_time = Some(QuietTimeOption::Inherit);
    journey.tiles.push(Tile::VoiceConversation(voice.clone()));
    let used = references(&journey, &catalog);
    let expected: BTreeSet<CatalogItem> = [
        CatalogItem::Engagement {
            id: "eng-renewals-voice".into(),
        },
        CatalogItem::Profile {
            id: "cp-us-marketing".into(),
        },
        CatalogItem::Purpose {
            profile_id: "cp-us-marketing".into(),
            id: "pur-promotions".into(),
        },
        CatalogItem::Topic {
            profile_id: "cp-us-marketing".into(),
            purpose_id: "pur-promotions".into(),
            id: "top-renewal-offers".into(),
        },
        CatalogItem::QuietTimeSetting {
            id: "qt-us-tcpa".into(),
        },
    ]
    .into_iter()
    .collect();
    assert_eq!(used, expected);

    // No quiet time: the profile's setting is not used.
    voice.quiet_time = Some(QuietTimeOption::None);
    journey.tiles.pop();
    journey.tiles.push(Tile::VoiceConversation(voice));
    assert!(
        !references(&journey, &catalog).contains(&CatalogItem::QuietTimeSetting {
            id: "qt-us-tcpa".into()
        })
    );
}

#[test]
fn diff_names_added_removed_and_retyped_items() {
    let old = sample_catalog();
    let mut new = old.clone();
    new.quiet_time_settings.retain(|s| s.id != "qt-clinic");
    new.engagements[0].channel = EngagementChannel::Sms;
    new.engagements[1].name = "Renamed".into();
    let purpose = &mut new.compliance_profiles[0].purposes[0];
    purpose.purpose_type = PurposeType::Transactional;
    purpose.topics.push(crate::catalog::Topic {
        id: "top-new".into(),
        name: "New".into(),
        active: true,
    });
    let changes = diff(&old, &new);
    assert_eq!(
        changes.removed,
        vec![CatalogItem::QuietTimeSetting {
            id: "qt-clinic".into()
        }]
    );
    assert_eq!(
        changes.added,
        vec![CatalogItem::Topic {
            profile_id: "cp-us-marketing".into(),
            purpose_id: "pur-promotions".into(),
            id: "top-new".into(),
        }]
    );
    let retyped: Vec<_> = changes
        .changed
        .iter()
        .map(|c| (c.item.to_string(), c.retyped))
        .collect();
    assert_eq!(
        retyped,
        vec![
            ("engagement eng-appointments-ai".to_owned(), false),
            ("engagement eng-renewals-voice".to_owned(), true),
            (
                "purpose pur-promotions of profile cp-us-marketing".to_owned(),
                true
            ),
        ]
    );
    assert!(diff(&old, &old).is_empty());
}

#[test]
fn only_removed_or_retyped_items_in_use_break() {
    let old = sample_catalog();
    let journey = parse_journey(include_str!(
        "../../../../runtime/samples/voice-journey.json"
    ))
    .unwrap();
    let used = references(&journey, &old);
    let mut new = old.clone();
    new.engagements.retain(|e| e.id != "eng-renewals-voice");
    new.engagements.retain(|e| e.id != "eng-legacy-survey");
    new.engagements[0].name = "Renamed, harmless".into();
    let breaking = breaking_changes(&used, &old, &new);
    assert_eq!(
        breaking,
        vec![BreakingChange {
            item: CatalogItem::Engagement {
                id: "eng-renewals-voice".into()
            },
            change: "removed".into()
        }]
    );
    // Removing the inherited quiet-time setting breaks it too; an empty catalog breaks all.
    let emptied = breaking_changes(&used, &old, &Catalog::default());
    assert_eq!(emptied.len(), used.len(), "{emptied:?}");
    assert!(breaking_changes(&used, &old, &old).is_empty());
}
