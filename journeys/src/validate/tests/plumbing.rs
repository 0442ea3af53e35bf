//! Samples, ordering of diagnostics, and the journey's own fields.

use super::*;

// ---------------------------------------------------------------- samples and plumbing

#[test]
fn the_seed_flow_is_valid_without_warnings() {
    assert_eq!(validate(&renewal(), &catalog()), Vec::new());
}

#[test]
fn every_valid_sample_has_no_errors_and_every_invalid_one_has() {
    let catalog = catalog();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/samples")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".journey.json") {
            continue;
        }
        let journey = parse_journey(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let errors = has_errors(&validate(&journey, &catalog));
        assert_eq!(errors, name.starts_with("invalid-"), "{name}");
    }
}

#[test]
fn codes_are_unique_kebab_strings_that_serialize_as_themselves() {
    let mut seen = std::collections::HashSet::new();
    for &code in Code::ALL {
        let text = code.as_str();
        assert!(seen.insert(text), "{text} twice");
        let (area, name) = text.split_once('.').unwrap();
        for part in [area, name] {
            assert!(
                !part.is_empty()
                    && part
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{text}"
            );
        }
        assert_eq!(serde_json::to_value(code).unwrap(), json!(text));
        assert_eq!(serde_json::from_value::<Code>(json!(text)).unwrap(), code);
    }
}

#[test]
fn diagnostics_are_ordered_by_tile_then_path_with_numbers_compared_as_numbers() {
    let mut journey = renewal();
    journey.name = String::new();
    let mut branches = contact_branch("many", 12);
    if let Tile::AttributeBranch(b) = &mut branches {
        for b in &mut b.branches {
            b.conditions.clear();
        }
    }
    journey.tiles.insert(1, branches);
    disconnect(&mut journey, "why-blocked", "quiet-time");
    connect(&mut journey, "why-blocked", "quiet-time", "many");
    let all = validate(&journey, &catalog());
    let places: Vec<(Option<&str>, Option<&str>)> = all
        .iter()
        .map(|d| (d.tile_id.as_deref(), d.path.as_deref()))
        .collect();
    assert_eq!(places[0], (None, Some("name")));
    let many: Vec<&str> = places
        .iter()
        .filter(|(t, _)| *t == Some("many"))
        .filter_map(|(_, p)| *p)
        .collect();
    let expected: Vec<String> = (0..12)
        .map(|b| format!("branches.{b}.conditions"))
        .collect();
    assert_eq!(many, expected);
    assert_eq!(
        validate(&journey, &catalog()),
        all,
        "same input, same output"
    );
}

#[test]
fn paths_compare_segment_by_segment() {
    use std::cmp::Ordering::*;
    assert_eq!(compare_paths(Some("branches.2"), Some("branches.10")), Less);
    assert_eq!(compare_paths(None, Some("a")), Less);
    assert_eq!(compare_paths(Some("a.b"), Some("a")), Greater);
    assert_eq!(compare_paths(Some("name"), Some("name")), Equal);
}

// ---------------------------------------------------------------- journey

#[test]
fn journey_name_missing() {
    let mut journey = renewal();
    journey.name = "   ".to_owned();
    fires(&journey, Code::JourneyNameMissing, None, Some("name"));
    journey.name = "R".to_owned();
    quiet(&journey, Code::JourneyNameMissing);
}

#[test]
fn journey_name_too_long() {
    let mut journey = renewal();
    journey.name = "é".repeat(151);
    fires(&journey, Code::JourneyNameTooLong, None, Some("name"));
    journey.name = "é".repeat(150);
    quiet(&journey, Code::JourneyNameTooLong);
}

#[test]
fn journey_time_zone_missing_or_not_iana() {
    let mut journey = renewal();
    journey.time_zone = String::new();
    fires(
        &journey,
        Code::JourneyTimeZoneMissing,
        None,
        Some("timeZone"),
    );
    journey.time_zone = "Central Standard Time".to_owned();
    fires(
        &journey,
        Code::JourneyTimeZoneInvalid,
        None,
        Some("timeZone"),
    );
    journey.time_zone = "Europe/Paris".to_owned();
    quiet(&journey, Code::JourneyTimeZoneInvalid);
    quiet(&journey, Code::JourneyTimeZoneMissing);
}

#[test]
fn voice_requires_a_contact_audience() {
    let mut journey = renewal();
    journey.audience = Audience::Lead;
    fires(
        &journey,
        Code::JourneyVoiceRequiresContactAudience,
        None,
        Some("audience"),
    );
    let mut no_voice = chain(vec![exit("done")]);
    no_voice.audience = Audience::Profile;
    quiet(&no_voice, Code::JourneyVoiceRequiresContactAudience);
}
