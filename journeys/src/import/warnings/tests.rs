use super::*;

const CSV: &str = "id,mobilePhone,homePhone,timeZone\n\
c1,+13125550100,,America/Chicago\n\
c2,not-a-phone,,America/Chicago\n\
c3,+1312555,,Mars/Olympus\n\
c4,,3125550100,\n";

#[test]
fn bad_numbers_and_zones_are_reported_by_line_and_column() {
    let checked = contacts_checked(CSV.as_bytes(), Format::Csv).unwrap();
    assert_eq!(checked.items.len(), 4, "every row is still read");
    let found: Vec<(u32, &str, &str, &str)> = checked
        .warnings
        .iter()
        .map(|w| {
            (
                w.row,
                w.contact_id.as_deref().unwrap(),
                w.column.as_str(),
                w.value.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (3, "c2", "mobilePhone", "not-a-phone"),
            (4, "c3", "mobilePhone", "+1312555"),
            (4, "c3", "timeZone", "Mars/Olympus"),
            (5, "c4", "homePhone", "3125550100"),
        ]
    );
    assert!(
        checked.warnings[0].message.contains("blocked"),
        "{:?}",
        checked.warnings[0]
    );
    assert!(checked.warnings[2].message.contains("journey's zone"));
    assert!(checked.warnings[3].message.contains("E.164"));
}

#[test]
fn the_library_knows_numbers_a_digit_count_cannot() {
    // Right length for E.164, but no such area code in the North American plan.
    let json = r#"[{"id": "a", "mobilePhone": "+11115550100"}, {"id": "b", "mobilePhone": "+44 20 7946 0958"}]"#;
    let checked = contacts_checked(json.as_bytes(), Format::Json).unwrap();
    assert_eq!(checked.warnings.len(), 1, "{:?}", checked.warnings);
    assert_eq!(checked.warnings[0].row, 1);
    assert!(checked.warnings[0].message.contains("not reach"));
}

#[test]
fn consent_for_numbers_no_contact_has_is_reported() {
    let contacts = contacts(CSV.as_bytes(), Format::Csv).unwrap();
    let known = known_contact_points(&contacts);
    assert!(known.contains("+13125550100"));
    let csv = "contactPoint,channel,scope,scopeId,status,updatedAt\n\
+1 (312) 555-0100,voice,purpose,p,optedIn,2026-01-01T00:00:00Z\n\
+13125550199,voice,purpose,p,optedIn,2026-01-01T00:00:00Z\n\
nobody,voice,purpose,p,optedIn,2026-01-01T00:00:00Z\n";
    let checked = consents_checked(csv.as_bytes(), Format::Csv, &known).unwrap();
    assert_eq!(checked.items.len(), 3);
    let rows: Vec<(u32, &str)> = checked
        .warnings
        .iter()
        .map(|w| (w.row, w.value.as_str()))
        .collect();
    assert_eq!(rows, vec![(3, "+13125550199"), (4, "nobody")]);
    assert!(checked.warnings[0].message.contains("no contact"));
}

#[test]
fn a_json_file_with_contacts_and_consents_reports_both() {
    let body = br#"{
        "contacts": [
            {"id": "j1", "mobilePhone": "+13125550100"},
            {"id": "j2", "mobilePhone": "not-a-phone", "timeZone": "Mars/Olympus"}
        ],
        "consents": [
            {"contactPoint": "+13125550100", "channel": "voice", "scope": {"kind": "purpose", "purposeId": "p"},
             "status": "optedIn", "updatedAt": "2026-01-01T00:00:00Z"},
            {"contactPoint": "+13125550199", "channel": "voice", "scope": {"kind": "purpose", "purposeId": "p"},
             "status": "optedIn", "updatedAt": "2026-01-01T00:00:00Z"}
        ]
    }"#;
    let (contacts, consents) = contacts_with_consents_checked(body, Format::Json).unwrap();
    assert_eq!((contacts.items.len(), consents.items.len()), (2, 2));
    let found = |warnings: &[ImportWarning]| -> Vec<(u32, String, String)> {
        warnings
            .iter()
            .map(|w| (w.row, w.column.clone(), w.value.clone()))
            .collect()
    };
    assert_eq!(
        found(&contacts.warnings),
        vec![
            (2, "mobilePhone".into(), "not-a-phone".into()),
            (2, "timeZone".into(), "Mars/Olympus".into()),
        ]
    );
    // The second record's number is no contact's in the file.
    assert_eq!(
        found(&consents.warnings),
        vec![(2, "contactPoint".into(), "+13125550199".into())]
    );
    // A CSV file holds contacts only, reported by line.
    let (csv, none) = contacts_with_consents_checked(CSV.as_bytes(), Format::Csv).unwrap();
    assert_eq!((csv.warnings.len(), none.items.len()), (4, 0));
}
