//! Reading a [`Tile`] without buffering it.
//!
//! serde's derived reader for an internally tagged enum first copies the whole object into
//! a buffer, because the tag may come last; that copy was most of the time spent parsing a
//! large journey. Switchboard always writes `type` first, so when the first key is `type`
//! the rest of the object is read straight into the variant's struct. Otherwise the object
//! is buffered as before: the accepted documents and the error messages stay the same.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, de::value::MapAccessDeserializer};

use super::{
    AttributeBranchTile, ExitTile, StartTile, Tile, TileType, VoiceConversationTile,
    WaitForTriggerTile, WaitTimeTile,
};

impl<'de> Deserialize<'de> for Tile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Tile, D::Error> {
        deserializer.deserialize_map(TileVisitor)
    }
}

/// Reads the rest of a tile of kind `kind` from `deserializer`.
fn tile_of<'de, D: Deserializer<'de>>(kind: TileType, deserializer: D) -> Result<Tile, D::Error> {
    Ok(match kind {
        TileType::Start => Tile::Start(StartTile::deserialize(deserializer)?),
        TileType::VoiceConversation => {
            Tile::VoiceConversation(VoiceConversationTile::deserialize(deserializer)?)
        }
        TileType::WaitForTrigger => {
            Tile::WaitForTrigger(WaitForTriggerTile::deserialize(deserializer)?)
        }
        TileType::AttributeBranch => {
            Tile::AttributeBranch(AttributeBranchTile::deserialize(deserializer)?)
        }
        TileType::WaitTime => Tile::WaitTime(WaitTimeTile::deserialize(deserializer)?),
        TileType::Exit => Tile::Exit(ExitTile::deserialize(deserializer)?),
    })
}

struct TileVisitor;

impl<'de> Visitor<'de> for TileVisitor {
    type Value = Tile;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a tile: an object with a \"type\"")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tile, A::Error> {
        match map.next_key_seed(FirstKey)? {
            Some(None) => {
                let kind: TileType = map.next_value()?;
                tile_of(kind, MapAccessDeserializer::new(map))
            }
            first => {
                let mut object = serde_json::Map::new();
                if let Some(Some(key)) = first {
                    object.insert(key, map.next_value()?);
                }
                while let Some(key) = map.next_key::<String>()? {
                    object.insert(key, map.next_value()?);
                }
                let kind = object
                    .remove("type")
                    .ok_or_else(|| de::Error::missing_field("type"))?;
                let kind = TileType::deserialize(kind).map_err(de::Error::custom)?;
                tile_of(kind, serde_json::Value::Object(object)).map_err(de::Error::custom)
            }
        }
    }
}

/// The first key of a tile object: `None` for `type`, else the key itself.
struct FirstKey;

impl<'de> DeserializeSeed<'de> for FirstKey {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for FirstKey {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok((key != "type").then(|| key.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Tile, parse_journey};

    #[test]
    fn the_type_may_come_anywhere_in_the_object() {
        let first: Tile =
            serde_json::from_str(r#"{"type": "exit", "id": "e", "name": "Done"}"#).unwrap();
        let last: Tile =
            serde_json::from_str(r#"{"id": "e", "name": "Done", "type": "exit"}"#).unwrap();
        assert_eq!(first, last);
        assert_eq!(serde_json::to_value(&first).unwrap()["type"], "exit");
    }

    #[test]
    fn bad_tiles_are_refused_either_way() {
        for text in [
            r#"{"type": "exit", "id": "e", "colour": "red"}"#,
            r#"{"id": "e", "colour": "red", "type": "exit"}"#,
            r#"{"id": "e"}"#,
            r#"{}"#,
            r#"{"type": 3, "id": "e"}"#,
            r#"{"id": "e", "type": "fax"}"#,
            r#"{"type": "voiceConversation", "id": "v", "sendTo": "pager"}"#,
            r#"[]"#,
        ] {
            assert!(serde_json::from_str::<Tile>(text).is_err(), "{text}");
        }
    }

    #[test]
    fn an_error_inside_a_tile_names_its_line() {
        let text = "{\"schemaVersion\": 1, \"id\": \"j\", \"audience\": \"contact\",\n\"tiles\": [\n  {\"type\": \"voiceConversation\",\n   \"id\": \"v\",\n   \"sendTo\": \"pager\"}\n]}";
        match parse_journey(text).unwrap_err() {
            super::super::ParseError::Invalid { line, message, .. } => {
                assert_eq!(line, 5, "{message}");
                assert!(message.contains("pager"), "{message}");
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
    }
}
