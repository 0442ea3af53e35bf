//! The journey document, version 1: what a marketer designs and what gets published.
//!
//! The JSON form is the contract between the designer, the runtime, the command line and
//! files kept in git: camelCase keys, stable string ids, `schemaVersion: 1`.
//! Fields a marketer fills in on the canvas are `Option`s, so an unfinished draft still
//! parses and the validator can say what is missing, on which tile and field.
//! Canvas positions live in [`Layout`], apart from the semantics: the validator never reads
//! them and a published version's content hash leaves them out.

mod entry;
mod parse;
mod tile_de;
mod tiles;

pub use entry::{Frequency, RepeatUnit, SegmentStart, StartCondition, StartTile, TriggerStart};
pub use parse::{MAX_DOCUMENT_BYTES, MAX_TILES, ParseError, parse_journey};
pub use tiles::{
    AttributeBranch, AttributeBranchTile, BranchSource, Condition, Duration, DurationUnit,
    ExitTile, Interaction, MatchMode, Operator, PhoneField, QuietTimeOption, Variable,
    VoiceConversationTile, WaitBranch, WaitCondition, WaitForTriggerTile, WaitSpec, WaitTimeTile,
};

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use specta::Type;

/// The only document schema this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// The output key of a tile that has exactly one output (start, voice conversation, wait time).
pub const OUTPUT_NEXT: &str = "next";
/// The output key of the built-in Other branch of wait-for-trigger and attribute-branch tiles.
pub const OUTPUT_OTHER: &str = "other";

/// A journey document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Journey {
    /// Always [`SCHEMA_VERSION`]; a newer value is refused by [`parse_journey`].
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1))]
    pub schema_version: u32,
    /// Stable id of the journey.
    pub id: String,
    /// What the marketer calls it (at most 150 characters).
    #[serde(default)]
    pub name: String,
    /// Who enters: contacts, leads or profiles. Voice tiles need contacts.
    pub audience: Audience,
    /// IANA time zone of the journey (e.g. `America/Chicago`).
    #[serde(default)]
    pub time_zone: String,
    /// The tiles, in no particular order; exactly one is the start tile.
    #[serde(default)]
    pub tiles: Vec<Tile>,
    /// Tile output → tile.
    #[serde(default)]
    pub connections: Vec<Connection>,
    /// Canvas positions, kept apart from what the journey does.
    #[serde(default)]
    pub layout: Layout,
}

/// Who a journey is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum Audience {
    /// Contacts (required by voice tiles).
    Contact,
    /// Leads.
    Lead,
    /// Customer profiles.
    Profile,
}

/// One tile on the canvas. The `type` key says which kind it is.
///
/// `Deserialize` is written by hand in `tile_de.rs` (same JSON, faster when `type` comes
/// first, as Switchboard writes it); the attributes here drive `Serialize` and the bindings.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Tile {
    /// Where contacts enter: a segment or a trigger.
    Start(StartTile),
    /// Ask the contact center to call the contact.
    VoiceConversation(VoiceConversationTile),
    /// Wait for an interaction or a trigger, with a time limit.
    WaitForTrigger(WaitForTriggerTile),
    /// Route on data available at entry.
    AttributeBranch(AttributeBranchTile),
    /// Pause the contact.
    WaitTime(WaitTimeTile),
    /// End the contact's run.
    Exit(ExitTile),
}

/// The kind of a tile, without its settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum TileType {
    /// [`Tile::Start`]
    Start,
    /// [`Tile::VoiceConversation`]
    VoiceConversation,
    /// [`Tile::WaitForTrigger`]
    WaitForTrigger,
    /// [`Tile::AttributeBranch`]
    AttributeBranch,
    /// [`Tile::WaitTime`]
    WaitTime,
    /// [`Tile::Exit`]
    Exit,
}

/// An output's label: a name the marketer gave it, or the words the canvas shows for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputLabel {
    /// The branch's own name.
    Named(String),
    /// The canvas's words (an interaction, `Other`, `Next`).
    Shown(&'static str),
}

impl OutputLabel {
    /// The label as plain text.
    pub fn text(&self) -> &str {
        match self {
            OutputLabel::Named(name) => name,
            OutputLabel::Shown(words) => words,
        }
    }
}

impl Tile {
    /// The tile's stable id.
    pub fn id(&self) -> &str {
        match self {
            Tile::Start(t) => &t.id,
            Tile::VoiceConversation(t) => &t.id,
            Tile::WaitForTrigger(t) => &t.id,
            Tile::AttributeBranch(t) => &t.id,
            Tile::WaitTime(t) => &t.id,
            Tile::Exit(t) => &t.id,
        }
    }

    /// The tile's display name (may be empty: the UI then shows the kind).
    pub fn name(&self) -> &str {
        match self {
            Tile::Start(t) => &t.name,
            Tile::VoiceConversation(t) => &t.name,
            Tile::WaitForTrigger(t) => &t.name,
            Tile::AttributeBranch(t) => &t.name,
            Tile::WaitTime(t) => &t.name,
            Tile::Exit(t) => &t.name,
        }
    }

    /// The tile as the marketer knows it: its name, else its kind as the canvas shows it.
    pub fn shown_name(&self) -> &str {
        let name = self.name();
        if !name.trim().is_empty() {
            return name;
        }
        match self {
            Tile::Start(_) => "Start",
            Tile::VoiceConversation(_) => "Voice conversation",
            Tile::WaitForTrigger(_) => "Wait for trigger",
            Tile::AttributeBranch(_) => "Attribute branch",
            Tile::WaitTime(_) => "Wait",
            Tile::Exit(_) => "Exit",
        }
    }

    /// Which kind of tile this is.
    pub fn tile_type(&self) -> TileType {
        match self {
            Tile::Start(_) => TileType::Start,
            Tile::VoiceConversation(_) => TileType::VoiceConversation,
            Tile::WaitForTrigger(_) => TileType::WaitForTrigger,
            Tile::AttributeBranch(_) => TileType::AttributeBranch,
            Tile::WaitTime(_) => TileType::WaitTime,
            Tile::Exit(_) => TileType::Exit,
        }
    }

    /// The message channel this tile sends on, if it is a message tile.
    ///
    /// Adding a message channel (email, text message) means a new tile kind answering here.
    pub fn message_channel(&self) -> Option<Channel> {
        match self {
            Tile::VoiceConversation(_) => Some(Channel::Voice),
            _ => None,
        }
    }

    /// The output keys of this tile, in display order: `next` for single-output tiles,
    /// each branch id then `other` for branching tiles, none for exit.
    pub fn outputs(&self) -> Vec<&str> {
        match self {
            Tile::Start(_) | Tile::VoiceConversation(_) | Tile::WaitTime(_) => vec![OUTPUT_NEXT],
            Tile::WaitForTrigger(t) => t
                .branches
                .iter()
                .map(|b| b.id.as_str())
                .chain([OUTPUT_OTHER])
                .collect(),
            Tile::AttributeBranch(t) => t
                .branches
                .iter()
                .map(|b| b.id.as_str())
                .chain([OUTPUT_OTHER])
                .collect(),
            Tile::Exit(_) => Vec::new(),
        }
    }

    /// How the canvas labels one of this tile's outputs: the branch's own name, else a wait
    /// branch's interaction, else `Other` / `Next`; `None` when the tile has no such output.
    pub fn output_label(&self, output: &str) -> Option<OutputLabel> {
        if !self.outputs().contains(&output) {
            return None;
        }
        let (name, interaction) = match self {
            Tile::WaitForTrigger(w) => w
                .branches
                .iter()
                .find(|b| b.id == output)
                .map_or((None, None), |b| (Some(b.name.as_str()), b.interaction)),
            Tile::AttributeBranch(a) => (
                a.branches
                    .iter()
                    .find(|b| b.id == output)
                    .map(|b| b.name.as_str()),
                None,
            ),
            _ => (None, None),
        };
        Some(match (name.filter(|n| !n.trim().is_empty()), interaction) {
            (Some(name), _) => OutputLabel::Named(name.to_owned()),
            (None, Some(interaction)) => OutputLabel::Shown(interaction.label()),
            (None, None) if output == OUTPUT_OTHER => OutputLabel::Shown("Other"),
            (None, None) if output == OUTPUT_NEXT => OutputLabel::Shown("Next"),
            (None, None) => OutputLabel::Shown("Unnamed branch"),
        })
    }

    /// Whether this tile splits contacts over branches.
    pub fn is_branching(&self) -> bool {
        matches!(self, Tile::WaitForTrigger(_) | Tile::AttributeBranch(_))
    }
}

/// A message channel.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
// tauri-specta reserves the TypeScript name `Channel`; serde_json never writes enum names.
#[serde(rename = "MessageChannel")]
pub enum Channel {
    /// Voice calls through the contact center.
    Voice,
    /// Text messages.
    Sms,
    /// Email.
    Email,
    /// A custom channel.
    Custom,
}

/// A connection from one tile's output to another tile.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Connection {
    /// The tile the contact leaves.
    pub from: String,
    /// Which output: `next`, a branch id, or `other`.
    pub output: String,
    /// The tile the contact enters.
    pub to: String,
}

/// Canvas layout: where each tile is drawn. No semantics.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Layout {
    /// Tile id → position.
    #[serde(default, deserialize_with = "positions_in_bulk")]
    // The same wire shape as without the custom reader (specta-serde asks for it to be said).
    #[specta(type = BTreeMap<String, Position>)]
    pub positions: BTreeMap<String, Position>,
}

/// Reads the positions into a list and builds the map in one go. Switchboard writes them in key
/// order (they come from this map), which the sort inside `BTreeMap::from_iter` sees in one
/// pass, so building is linear instead of one tree descent with string compares per tile.
/// Same result as inserting one by one: a repeated key keeps its last position.
fn positions_in_bulk<'de, D>(deserializer: D) -> Result<BTreeMap<String, Position>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Entries;

    impl<'de> serde::de::Visitor<'de> for Entries {
        type Value = BTreeMap<String, Position>;

        fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            formatter.write_str("a map of tile ids to positions")
        }

        fn visit_map<A>(self, mut map: A) -> Result<Self::Value, A::Error>
        where
            A: serde::de::MapAccess<'de>,
        {
            let mut entries: Vec<(String, Position)> =
                Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
            while let Some(entry) = map.next_entry()? {
                entries.push(entry);
            }
            Ok(entries.into_iter().collect())
        }
    }

    deserializer.deserialize_map(Entries)
}

/// A point on the canvas.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// Horizontal, in canvas pixels.
    pub x: f64,
    /// Vertical, in canvas pixels.
    pub y: f64,
}

impl Journey {
    /// A new, empty contact journey with only a start tile.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        time_zone: impl Into<String>,
    ) -> Self {
        let start_id = "start".to_owned();
        let mut layout = Layout::default();
        layout
            .positions
            .insert(start_id.clone(), Position { x: 0.0, y: 0.0 });
        Journey {
            schema_version: SCHEMA_VERSION,
            id: id.into(),
            name: name.into(),
            audience: Audience::Contact,
            time_zone: time_zone.into(),
            tiles: vec![Tile::Start(StartTile {
                id: start_id,
                name: String::new(),
                start: None,
            })],
            connections: Vec::new(),
            layout,
        }
    }

    /// The tile with this id, if any (first one when ids repeat).
    pub fn tile(&self, id: &str) -> Option<&Tile> {
        self.tiles.iter().find(|t| t.id() == id)
    }

    /// The start tile, if any (the first when there are several, which the validator reports).
    pub fn start_tile(&self) -> Option<&StartTile> {
        self.tiles.iter().find_map(|t| match t {
            Tile::Start(start) => Some(start),
            _ => None,
        })
    }

    /// How contacts enter, once the marketer has chosen.
    pub fn start_condition(&self) -> Option<&StartCondition> {
        self.start_tile()?.start.as_ref()
    }

    /// A run of this journey can wait for the trigger `name` (a wait-for-trigger tile waiting
    /// for it): only such runs take that trigger as an event.
    pub fn waits_for_trigger(&self, name: &str) -> bool {
        self.tiles.iter().any(|tile| {
            matches!(tile, Tile::WaitForTrigger(WaitForTriggerTile {
                condition: Some(WaitCondition::Trigger { trigger_name: Some(n) }),
                ..
            }) if n == name)
        })
    }

    /// The journey without its layout, as canonical JSON: what a published version hashes.
    pub fn semantic_json(&self) -> Result<String, serde_json::Error> {
        let mut semantic = self.clone();
        semantic.layout = Layout::default();
        serde_json::to_string(&semantic)
    }
}
