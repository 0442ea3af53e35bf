use super::*;

const SAMPLE_CONTACTS: &str = include_str!("../../../runtime/samples/contacts.csv");
const SAMPLE_CONSENTS: &str = include_str!("../../../runtime/samples/consents.csv");

fn csv_contacts(text: &str) -> Result<Vec<Contact>, ImportError> {
    contacts(text.as_bytes(), Format::Csv)
}

fn csv_consents(text: &str) -> Result<Vec<ConsentRecord>, ImportError> {
    consents(text.as_bytes(), Format::Csv)
}

fn message<T: std::fmt::Debug>(r: Result<T, ImportError>) -> String {
    r.expect_err("the input is bad").to_string()
}

#[test]
fn the_sample_files_read() {
    let list = csv_contacts(SAMPLE_CONTACTS).unwrap();
    assert_eq!(list.len(), 20);
    assert_eq!(list[0].id, "c01");
    assert_eq!(list[0].mobile_phone.as_deref(), Some("+13125551000"));
    assert_eq!(list[0].time_zone.as_deref(), Some("America/New_York"));
    assert_eq!(list[0].state_or_province.as_deref(), Some("NY"));
    assert_eq!(list[0].attributes["policyTier"], "gold");
    assert_eq!(list[19].mobile_phone, None);
    let records = csv_consents(SAMPLE_CONSENTS).unwrap();
    assert_eq!(records.len(), 29);
    assert_eq!(
        records[1].scope,
        ConsentScope::Topic {
            topic_id: "top-renewal-offers".into()
        }
    );
    assert_eq!(records[0].source.as_deref(), Some("crm-export"));
}

#[test]
fn csv_contacts_keep_extra_columns_as_attributes_and_skip_empty_cells() {
    let list =
        csv_contacts("id,mobilePhone,timeZone,tier\nc1,+13125550100,America/Chicago,gold\nc2,,,\n")
            .unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].attributes["tier"], "gold");
    assert_eq!(list[1].mobile_phone, None);
    assert!(list[1].attributes.is_empty());
}

#[test]
fn headers_match_without_case_spaces_or_a_byte_order_mark() {
    let text = "\u{feff}ID , MobilePhone,TIMEZONE\n c1 , +13125550100 , America/Denver \n";
    let list = csv_contacts(text).unwrap();
    assert_eq!(list[0].id, "c1");
    assert_eq!(list[0].mobile_phone.as_deref(), Some("+13125550100"));
    assert_eq!(list[0].time_zone.as_deref(), Some("America/Denver"));
    assert!(list[0].attributes.is_empty(), "{:?}", list[0].attributes);
}

#[test]
fn bad_contact_rows_name_their_line_and_column() {
    assert_eq!(
        message(csv_contacts("mobilePhone\n+13125550100\n")),
        "the header has no id column (the columns are id, mobilePhone, businessPhone, homePhone, \
         timeZone, country, stateOrProvince)"
    );
    assert_eq!(
        message(csv_contacts("id,mobilePhone\nc1,+1312\n,+1313\n")),
        "line 3, column id: empty; every contact needs an id"
    );
    assert_eq!(
        message(csv_contacts("Id,mobilePhone\nc1,+1312\nc2,+1\nc1,+1313\n")),
        "line 4, column Id: c1 is already on line 2; ids must not repeat"
    );
    assert_eq!(
        message(csv_contacts("id,mobilePhone\nc1,+1312\nc2\n")),
        "line 3: has 1 field(s); the header has 2"
    );
    let mut latin1 = b"id,name\nc1,Jos".to_vec();
    latin1.extend([0xe9, b'\n']);
    assert_eq!(
        message(contacts(&latin1, Format::Csv)),
        "line 2: field 2 is not UTF-8 text (save the file as UTF-8)"
    );
    // A quoted cell over two lines counts from the line the row starts on.
    assert_eq!(
        message(csv_contacts("id,note\nc1,\"two\nlines\"\n,x\n")),
        "line 4, column id: empty; every contact needs an id"
    );
}

#[test]
fn bad_consent_rows_name_their_line_and_column() {
    let header = "contactPoint,channel,scope,scopeId,status,updatedAt\n";
    let row = |cells: &str| {
        format!("{header}+13125550100,voice,purpose,p,optedIn,2026-01-01T00:00:00Z\n{cells}\n")
    };
    assert_eq!(
        message(csv_consents(&row(
            "+1312,voice,purpose,p,maybe,2026-01-01T00:00:00Z"
        ))),
        "line 3, column status: maybe is not one of optedIn, optedOut or notSet"
    );
    assert_eq!(
        message(csv_consents(&row(
            "+1312,phone,purpose,p,optedIn,2026-01-01T00:00:00Z"
        ))),
        "line 3, column channel: phone is not one of voice, sms, email or custom"
    );
    assert_eq!(
        message(csv_consents(&row(
            "+1312,voice,brand,p,optedIn,2026-01-01T00:00:00Z"
        ))),
        "line 3, column scope: brand is neither purpose nor topic"
    );
    assert_eq!(
        message(csv_consents(&row(
            ",voice,purpose,p,optedIn,2026-01-01T00:00:00Z"
        ))),
        "line 3, column contactPoint: empty"
    );
    assert_eq!(
        message(csv_consents(&row(
            "+1312,voice,topic,,optedIn,2026-01-01T00:00:00Z"
        ))),
        "line 3, column scopeId: empty"
    );
    let when = message(csv_consents(&row(
        "+1312,voice,purpose,p,optedIn,yesterday",
    )));
    assert!(
        when.starts_with("line 3, column updatedAt: yesterday is not an RFC 3339 instant"),
        "{when}"
    );
    assert_eq!(
        message(csv_consents("contactPoint,channel,scope,scopeId,status\n")),
        "the header has no updatedAt column (the columns are contactPoint, channel, scope, \
         scopeId, status, updatedAt, source)"
    );
}

#[test]
fn json_errors_say_where() {
    let error = message(contacts(
        b"[\n  {\"id\": \"c1\", \"phone\": \"+1\"}\n]",
        Format::Json,
    ));
    assert!(error.starts_with("line 2, column "), "{error}");
    assert!(error.contains("unknown field `phone`"), "{error}");
    assert_eq!(
        message(contacts(
            br#"[{"id": "a"}, {"id": "b"}, {"id": "a"}]"#,
            Format::Json
        )),
        "entry 3: id a is also entry 1"
    );
    assert_eq!(
        message(contacts(br#"[{"id": " "}]"#, Format::Json)),
        "entry 1: the id is empty; every contact needs an id"
    );
}

#[test]
fn one_file_of_contacts_with_consents() {
    let body = br#"{"contacts": [{"id": "ann", "mobilePhone": "+13125550100"}],
        "consents": [{"contactPoint": "+13125550100", "channel": "voice",
          "scope": {"kind": "purpose", "purposeId": "p"}, "status": "optedIn",
          "updatedAt": "2026-01-01T00:00:00Z"}]}"#;
    let (list, records) = contacts_with_consents(body, Format::Json).unwrap();
    assert_eq!((list.len(), records.len()), (1, 1));
    let (list, records) = contacts_with_consents(b" [{\"id\": \"b\"}]", Format::Json).unwrap();
    assert_eq!((list.len(), records.len()), (1, 0));
    let (list, _) = contacts_with_consents(SAMPLE_CONTACTS.as_bytes(), Format::Csv).unwrap();
    assert_eq!(list.len(), 20);
    let error = message(contacts_with_consents(
        b"{\"contacts\": [], \"people\": []}",
        Format::Json,
    ));
    assert!(error.contains("unknown field `people`"), "{error}");
}

#[test]
fn the_format_comes_from_the_name_then_the_text() {
    assert_eq!(Format::detect("people.CSV", b"[1]"), Format::Csv);
    assert_eq!(Format::detect("people.json", b"id\n"), Format::Json);
    assert_eq!(
        Format::detect("export.txt", b"\xEF\xBB\xBF  [{}]"),
        Format::Json
    );
    assert_eq!(Format::detect("", b"id,mobilePhone\n"), Format::Csv);
}
