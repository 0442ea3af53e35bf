//! Reading a journey document from JSON text, with errors a person can act on.

use serde::Deserialize;

use super::{Journey, SCHEMA_VERSION};

/// Documents larger than this are refused before parsing (50 MB).
pub const MAX_DOCUMENT_BYTES: usize = 50 * 1024 * 1024;
/// Documents with more tiles than this are refused.
pub const MAX_TILES: usize = 100_000;

/// Why a journey document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The text is larger than [`MAX_DOCUMENT_BYTES`].
    #[error("the document is {bytes} bytes; journeys are limited to {MAX_DOCUMENT_BYTES} bytes")]
    TooLarge {
        /// Size of the text.
        bytes: usize,
    },
    /// More than [`MAX_TILES`] tiles.
    #[error("the document has {tiles} tiles; journeys are limited to {MAX_TILES} tiles")]
    TooManyTiles {
        /// How many tiles it has.
        tiles: usize,
    },
    /// The document says it is of a schema version this build does not read.
    #[error(
        "schemaVersion {found} is not supported: this Switchboard reads schemaVersion {SCHEMA_VERSION}{}",
        if *.found > i64::from(SCHEMA_VERSION) { " (the file was written by a newer Switchboard)" } else { "" }
    )]
    UnsupportedSchemaVersion {
        /// The version found in the document.
        found: i64,
    },
    /// Not JSON, or JSON of the wrong shape (unknown tile type, wrong field type, …).
    #[error("line {line}, column {column}: {message}")]
    Invalid {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What is wrong there.
        message: String,
    },
}

/// Parse a journey document.
///
/// The typed parse runs first; only when it fails is the text probed for a different
/// `schemaVersion`, so a document from a newer Switchboard is reported as such rather than
/// as an unknown field, and the happy path parses once.
pub fn parse_journey(text: &str) -> Result<Journey, ParseError> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(ParseError::TooLarge { bytes: text.len() });
    }
    match serde_json::from_str::<Journey>(text) {
        Ok(journey) => {
            if journey.schema_version != SCHEMA_VERSION {
                return Err(ParseError::UnsupportedSchemaVersion {
                    found: i64::from(journey.schema_version),
                });
            }
            if journey.tiles.len() > MAX_TILES {
                return Err(ParseError::TooManyTiles {
                    tiles: journey.tiles.len(),
                });
            }
            Ok(journey)
        }
        Err(error) => {
            if let Some(found) = probe_schema_version(text)
                && found != i64::from(SCHEMA_VERSION)
            {
                return Err(ParseError::UnsupportedSchemaVersion { found });
            }
            Err(ParseError::Invalid {
                line: error.line(),
                column: error.column(),
                message: error
                    .to_string()
                    .split(" at line ")
                    .next()
                    .unwrap_or("")
                    .to_owned(),
            })
        }
    }
}

/// The document's `schemaVersion`, when the text is a JSON object that has an integer one.
fn probe_schema_version(text: &str) -> Option<i64> {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(rename = "schemaVersion")]
        schema_version: Option<i64>,
    }
    serde_json::from_str::<Probe>(text).ok()?.schema_version
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journey_waits_for_the_triggers_its_wait_tiles_name() {
        let text = r#"{"schemaVersion": 1, "id": "j", "audience": "contact", "tiles": [
            {"type": "waitForTrigger", "id": "w1", "name": "",
             "condition": {"kind": "trigger", "triggerName": "paid"}},
            {"type": "waitForTrigger", "id": "w2", "name": "",
             "condition": {"kind": "previousMessage", "tileId": "call"}}
        ]}"#;
        let journey = parse_journey(text).expect("parses");
        assert!(journey.waits_for_trigger("paid"));
        assert!(
            !journey.waits_for_trigger("call"),
            "a call result is no trigger"
        );
        assert!(!journey.waits_for_trigger("refunded"));
    }

    #[test]
    fn newer_schema_version_is_named_even_when_the_shape_is_unknown() {
        let text = r#"{"schemaVersion": 2, "id": "j", "audience": "contact", "brandNewField": 1}"#;
        let error = parse_journey(text).unwrap_err();
        assert_eq!(error, ParseError::UnsupportedSchemaVersion { found: 2 });
        assert!(error.to_string().contains("newer Switchboard"), "{error}");
    }

    #[test]
    fn newer_schema_version_with_a_valid_shape_is_refused() {
        let text = r#"{"schemaVersion": 7, "id": "j", "audience": "contact"}"#;
        assert_eq!(
            parse_journey(text).unwrap_err(),
            ParseError::UnsupportedSchemaVersion { found: 7 }
        );
    }

    #[test]
    fn unknown_tile_type_reports_line_and_column() {
        let text = "{\"schemaVersion\": 1, \"id\": \"j\", \"audience\": \"contact\",\n\"tiles\": [\n  {\"type\": \"fax\", \"id\": \"t1\"}\n]}";
        match parse_journey(text).unwrap_err() {
            ParseError::Invalid { line, message, .. } => {
                assert_eq!(line, 3);
                assert!(message.contains("fax"), "{message}");
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    #[test]
    fn malformed_json_is_an_error_not_a_panic() {
        assert!(matches!(
            parse_journey("{\"schemaVersion\": 1,"),
            Err(ParseError::Invalid { .. })
        ));
    }

    #[test]
    fn oversized_text_is_refused_before_parsing() {
        let text = " ".repeat(MAX_DOCUMENT_BYTES + 1);
        assert!(matches!(
            parse_journey(&text),
            Err(ParseError::TooLarge { .. })
        ));
    }

    #[test]
    fn a_minimal_document_round_trips() {
        let journey = super::super::Journey::new("j1", "Renewals", "America/Chicago");
        let text = serde_json::to_string(&journey).unwrap();
        assert_eq!(parse_journey(&text).unwrap(), journey);
    }

    /// Positions read in bulk give the same map as inserting one by one: any order in the
    /// file, and a repeated tile id keeps its last position.
    #[test]
    fn positions_in_any_order_and_repeated_ids_read_like_inserts() {
        let journey = super::super::Journey::new("j1", "Renewals", "America/Chicago");
        let mut value = serde_json::to_value(&journey).unwrap();
        value["layout"] = serde_json::from_str(
            r#"{"positions": {"b": {"x": 1, "y": 2}, "a": {"x": 3, "y": 4}, "b": {"x": 5, "y": 6}}}"#,
        )
        .unwrap();
        let parsed = parse_journey(&value.to_string()).unwrap();
        let positions: Vec<_> = parsed
            .layout
            .positions
            .iter()
            .map(|(id, p)| (id.as_str(), p.x, p.y))
            .collect();
        assert_eq!(positions, [("a", 3.0, 4.0), ("b", 5.0, 6.0)]);
        let text = r#"{"positions": {"b": {"x": 1, "y": 2}, "a": {"x": 3, "y": 4}, "b": {"x": 5, "y": 6}}}"#;
        let layout: super::super::Layout = serde_json::from_str(text).unwrap();
        assert_eq!(layout.positions.len(), 2);
        assert_eq!(layout.positions["b"].x, 5.0);
        let bad = r#"{"positions": [1, 2]}"#;
        assert!(serde_json::from_str::<super::super::Layout>(bad).is_err());
    }
}
