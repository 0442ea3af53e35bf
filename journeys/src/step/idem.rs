//! The idempotency key of a call request, `{run}:{tile}:{attempt}`: sent as the request id on
//! every retry, so the contact center deduplicates a re-executed dial.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One call request's key: a run, a voice tile, and the tile's attempt (1, 2, …).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct IdemKey {
    /// The run.
    pub run_id: String,
    /// The voice tile.
    pub tile_id: String,
    /// Which visit of the tile this call belongs to, from 1.
    pub attempt: u32,
}

/// A string that is not `{run}:{tile}:{attempt}`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("idempotency key {0:?} is not {{run}}:{{tile}}:{{attempt}} with a numeric attempt")]
pub struct BadIdemKey(pub String);

impl fmt::Display for IdemKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.run_id, self.tile_id, self.attempt)
    }
}

impl FromStr for IdemKey {
    type Err = BadIdemKey;

    /// The run is before the first `:`, the attempt after the last; a tile id may hold `:`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || BadIdemKey(text.to_owned());
        let (run_id, rest) = text.split_once(':').ok_or_else(bad)?;
        let (tile_id, attempt) = rest.rsplit_once(':').ok_or_else(bad)?;
        Ok(IdemKey {
            run_id: run_id.to_owned(),
            tile_id: tile_id.to_owned(),
            attempt: attempt.parse().map_err(|_| bad())?,
        })
    }
}

impl From<IdemKey> for String {
    fn from(key: IdemKey) -> String {
        key.to_string()
    }
}

impl TryFrom<String> for IdemKey {
    type Error = BadIdemKey;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_keeps_colons_in_the_tile() {
        let key = IdemKey {
            run_id: "17".into(),
            tile_id: "voice:renewal".into(),
            attempt: 3,
        };
        assert_eq!(key.to_string(), "17:voice:renewal:3");
        assert_eq!("17:voice:renewal:3".parse::<IdemKey>(), Ok(key.clone()));
        let json = serde_json::to_string(&key).expect("serializes");
        assert_eq!(json, "\"17:voice:renewal:3\"");
        assert_eq!(serde_json::from_str::<IdemKey>(&json).expect("parses"), key);
    }

    #[test]
    fn refuses_a_key_without_a_numeric_attempt() {
        for text in ["17", "17:voice", "17:voice:x", "17:voice:-1"] {
            assert_eq!(
                text.parse::<IdemKey>(),
                Err(BadIdemKey(text.into())),
                "{text}"
            );
        }
    }
}
