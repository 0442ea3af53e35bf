//! Tiles on the clipboard: the journey JSON the designer copies, read back with errors a person
//! can act on. The shape is checked here, against the document types; new ids are the
//! editor's business (it knows which ids the open journey already uses).

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use specta::Type;

use journeys::document::{Connection, Position, SCHEMA_VERSION, Tile};

/// The `type` tag of a clipboard fragment.
pub const FRAGMENT_TYPE: &str = "switchboard/tiles";
/// Clipboard text larger than this is refused before parsing (5 MB).
pub const MAX_FRAGMENT_BYTES: usize = 5 * 1024 * 1024;

/// Tiles copied from a journey, with the connections among them and where they were drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Fragment {
    /// Always [`FRAGMENT_TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
    /// The document schema version the tiles are written in.
    pub version: u32,
    /// The tiles, never a start tile.
    pub tiles: Vec<Tile>,
    /// Connections whose both ends are among `tiles`.
    pub connections: Vec<Connection>,
    /// Canvas positions of the tiles, by tile id.
    #[serde(default)]
    pub positions: BTreeMap<String, Position>,
}

/// Why clipboard text is not tiles this designer can paste.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FragmentError {
    /// The text is larger than [`MAX_FRAGMENT_BYTES`].
    #[error("the clipboard holds {bytes} bytes; a paste is limited to {MAX_FRAGMENT_BYTES} bytes")]
    TooLarge {
        /// Size of the text.
        bytes: usize,
    },
    /// Not JSON at all.
    #[error(
        "the clipboard does not hold Switchboard tiles (it is not JSON: line {line}, column {column})"
    )]
    NotJson {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
    },
    /// JSON, but without the fragment's type tag.
    #[error("the clipboard does not hold Switchboard tiles (no \"type\": \"{FRAGMENT_TYPE}\")")]
    NotFragment,
    /// Tiles copied from a newer Switchboard.
    #[error(
        "the tiles were copied from a newer Switchboard (schema version {found}; this one reads {SCHEMA_VERSION})"
    )]
    NewerVersion {
        /// The version found in the fragment.
        found: u64,
    },
    /// Tagged as tiles, but of the wrong shape.
    #[error("the copied tiles cannot be read: line {line}, column {column}: {message}")]
    Invalid {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What is wrong there.
        message: String,
    },
    /// Tagged as tiles, but there are none to paste.
    #[error("the clipboard holds no tiles to paste (the start tile is never pasted)")]
    Empty,
}

/// Read clipboard text as a fragment: start tiles are dropped, and so are connections and
/// positions of tiles that are not in it.
pub fn parse_fragment(text: &str) -> Result<Fragment, FragmentError> {
    if text.len() > MAX_FRAGMENT_BYTES {
        return Err(FragmentError::TooLarge { bytes: text.len() });
    }
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| FragmentError::NotJson {
            line: e.line(),
            column: e.column(),
        })?;
    if value.get("type").and_then(|t| t.as_str()) != Some(FRAGMENT_TYPE) {
        return Err(FragmentError::NotFragment);
    }
    if let Some(found) = value.get("version").and_then(|v| v.as_u64())
        && found > u64::from(SCHEMA_VERSION)
    {
        return Err(FragmentError::NewerVersion { found });
    }
    let mut fragment: Fragment =
        serde_json::from_str(text).map_err(|e| FragmentError::Invalid {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
    fragment.tiles.retain(|t| !matches!(t, Tile::Start(_)));
    if fragment.tiles.is_empty() {
        return Err(FragmentError::Empty);
    }
    let ids: HashSet<String> = fragment.tiles.iter().map(|t| t.id().to_owned()).collect();
    fragment
        .connections
        .retain(|c| ids.contains(&c.from) && ids.contains(&c.to));
    fragment.positions.retain(|id, _| ids.contains(id));
    Ok(fragment)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fragment_text(version: u32) -> String {
        serde_json::json!({
            "type": FRAGMENT_TYPE,
            "version": version,
            "tiles": [
                {"type": "start", "id": "start", "name": "", "start": null},
                {"type": "exit", "id": "x1", "name": "Done"},
                {"type": "exit", "id": "x2", "name": ""}
            ],
            "connections": [
                {"from": "start", "output": "next", "to": "x1"},
                {"from": "x1", "output": "next", "to": "gone"}
            ],
            "positions": {"x1": {"x": 1.0, "y": 2.0}, "start": {"x": 0.0, "y": 0.0}}
        })
        .to_string()
    }

    #[test]
    fn a_fragment_loses_its_start_tile_and_dangling_links() {
        let f = parse_fragment(&fragment_text(SCHEMA_VERSION)).expect("fragment");
        let ids: Vec<&str> = f.tiles.iter().map(|t| t.id()).collect();
        assert_eq!(ids, ["x1", "x2"]);
        assert!(f.connections.is_empty());
        assert_eq!(f.positions.keys().collect::<Vec<_>>(), ["x1"]);
    }

    #[test]
    fn bad_input_says_what_is_wrong() {
        assert_eq!(
            parse_fragment("hello"),
            Err(FragmentError::NotJson { line: 1, column: 1 })
        );
        assert_eq!(
            parse_fragment(r#"{"nodes": []}"#),
            Err(FragmentError::NotFragment)
        );
        assert_eq!(
            parse_fragment(&fragment_text(SCHEMA_VERSION + 1)),
            Err(FragmentError::NewerVersion {
                found: u64::from(SCHEMA_VERSION) + 1
            })
        );
        let wrong = format!(
            r#"{{"type":"{FRAGMENT_TYPE}","version":1,"tiles":[{{"type":"rocket","id":"r"}}],"connections":[]}}"#
        );
        let err = parse_fragment(&wrong).expect_err("unknown tile type");
        assert!(
            matches!(err, FragmentError::Invalid { line: 1, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("rocket"), "{err}");
        let only_start = format!(
            r#"{{"type":"{FRAGMENT_TYPE}","version":1,"tiles":[{{"type":"start","id":"s","name":"","start":null}}],"connections":[]}}"#
        );
        assert_eq!(parse_fragment(&only_start), Err(FragmentError::Empty));
        let huge = " ".repeat(MAX_FRAGMENT_BYTES + 1);
        assert!(matches!(
            parse_fragment(&huge),
            Err(FragmentError::TooLarge { .. })
        ));
    }
}
