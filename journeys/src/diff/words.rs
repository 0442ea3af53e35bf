//! Values as a marketer reads them: "7 days", "the profile's setting", "Mon 1 Dec 2026 09:00
//! CST", "Outcome equals "Booked"". Tiles a value points at are named by their names.

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;

use super::Tiles;
use crate::document::{
    Audience, BranchSource, Condition, Duration, DurationUnit, Frequency, Interaction, MatchMode,
    PhoneField, QuietTimeOption, RepeatUnit, Tile, TileType, Variable, WaitCondition, WaitSpec,
};
use crate::validate::variables::operator_label;

/// Shown for a field the marketer has not filled in.
pub(super) const NOT_SET: &str = "not set";

/// The tile's kind, in words ("wait for trigger").
pub(super) fn kind_label(kind: TileType) -> &'static str {
    match kind {
        TileType::Start => "start",
        TileType::VoiceConversation => "voice conversation",
        TileType::WaitForTrigger => "wait for trigger",
        TileType::AttributeBranch => "attribute branch",
        TileType::WaitTime => "wait time",
        TileType::Exit => "exit",
    }
}

/// How a tile is named in a sentence: its name, else its kind and id.
pub(super) fn tile_label(tile: &Tile) -> String {
    if tile.name().trim().is_empty() {
        let kind = kind_label(tile.tile_type());
        let mut chars = kind.chars();
        let capital: String = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        format!("{capital} ({})", tile.id())
    } else {
        tile.name().to_owned()
    }
}

/// A tile another field points at, named from its document's `tiles` ("'Renewal call'").
pub(super) fn tile_ref(tiles: &Tiles<'_>, id: Option<&str>) -> String {
    match id.filter(|id| !id.is_empty()) {
        None => NOT_SET.to_owned(),
        Some(id) => match tiles.get(id) {
            Some(tile) => quoted(&tile_label(tile)),
            None => format!("missing tile {}", quoted(id)),
        },
    }
}

/// A name or other free text, quoted.
pub(super) fn quoted(text: &str) -> String {
    format!("'{text}'")
}

/// A name that may be empty.
pub(super) fn name_text(name: &str) -> String {
    if name.is_empty() {
        "no name".to_owned()
    } else {
        quoted(name)
    }
}

/// An id chosen from the catalog or typed in, or not set.
pub(super) fn id_text(id: Option<&str>) -> String {
    id.filter(|id| !id.is_empty())
        .map_or_else(|| NOT_SET.to_owned(), str::to_owned)
}

pub(super) fn audience(audience: Audience) -> String {
    match audience {
        Audience::Contact => "contacts",
        Audience::Lead => "leads",
        Audience::Profile => "profiles",
    }
    .to_owned()
}

pub(super) fn duration(d: Duration) -> String {
    let unit = match d.unit {
        DurationUnit::Minutes => "minute",
        DurationUnit::Hours => "hour",
        DurationUnit::Days => "day",
        DurationUnit::Weeks => "week",
    };
    if d.amount == 1 {
        format!("1 {unit}")
    } else {
        format!("{} {unit}s", d.amount)
    }
}

pub(super) fn optional_duration(d: Option<Duration>) -> String {
    d.map_or_else(|| NOT_SET.to_owned(), duration)
}

/// An instant on the journey's clock ("Tue 1 Dec 2026 09:00 CST"); UTC when the zone is not
/// a valid IANA name.
pub(super) fn instant(at: Option<DateTime<Utc>>, zone: &str) -> String {
    let Some(at) = at else {
        return NOT_SET.to_owned();
    };
    let format = if at.timestamp() % 60 == 0 && at.timestamp_subsec_nanos() == 0 {
        "%a %-d %b %Y %H:%M %Z"
    } else {
        "%a %-d %b %Y %H:%M:%S%.f %Z"
    };
    match zone.parse::<Tz>() {
        Ok(tz) => at.with_timezone(&tz).format(format).to_string(),
        Err(_) => at.format(format).to_string(),
    }
}

fn local(at: NaiveDateTime) -> String {
    if at.and_utc().timestamp() % 60 == 0 && at.and_utc().timestamp_subsec_nanos() == 0 {
        at.format("%a %-d %b %Y %H:%M").to_string()
    } else {
        at.format("%a %-d %b %Y %H:%M:%S%.f").to_string()
    }
}

pub(super) fn frequency(frequency: &Frequency) -> String {
    match frequency {
        Frequency::Once => "once".to_owned(),
        Frequency::OnceAdmittingJoiners => "once, admitting later joiners".to_owned(),
        Frequency::Repeat { every, unit } => {
            let unit = match unit {
                RepeatUnit::Days => "day",
                RepeatUnit::Weeks => "week",
                RepeatUnit::Months => "month",
            };
            if *every == 1 {
                format!("every {unit}")
            } else {
                format!("every {every} {unit}s")
            }
        }
    }
}

pub(super) fn list(ids: &[String]) -> String {
    if ids.is_empty() {
        "none".to_owned()
    } else {
        ids.join(", ")
    }
}

pub(super) fn phone(field: Option<PhoneField>) -> String {
    field.map_or_else(|| NOT_SET.to_owned(), |p| p.label().to_lowercase())
}

/// A catalog choice: its name from the catalog when known, else its id.
pub(super) fn named(id: Option<&str>, name: Option<&str>) -> String {
    match name.filter(|n| !n.is_empty()) {
        Some(name) => quoted(name),
        None => id_text(id),
    }
}

/// The quiet-time option; `setting_name` is the override setting's name in the catalog.
pub(super) fn quiet_time(option: Option<&QuietTimeOption>, setting_name: Option<&str>) -> String {
    match option {
        None => NOT_SET.to_owned(),
        Some(QuietTimeOption::Inherit) => "the compliance profile's setting".to_owned(),
        Some(QuietTimeOption::Override { setting_id }) => {
            format!("setting {}", named(setting_id.as_deref(), setting_name))
        }
        Some(QuietTimeOption::None) => "don't apply".to_owned(),
    }
}

pub(super) fn wait_condition(tiles: &Tiles<'_>, condition: Option<&WaitCondition>) -> String {
    match condition {
        None => NOT_SET.to_owned(),
        Some(WaitCondition::PreviousMessage { tile_id }) => {
            format!(
                "an interaction with {}",
                tile_ref(tiles, tile_id.as_deref())
            )
        }
        Some(WaitCondition::Trigger { trigger_name }) => {
            format!("trigger {}", id_text(trigger_name.as_deref()))
        }
    }
}

pub(super) fn branch_source(tiles: &Tiles<'_>, source: Option<&BranchSource>) -> String {
    match source {
        None => NOT_SET.to_owned(),
        Some(BranchSource::VoiceCall { tile_id }) => {
            format!("the call of {}", tile_ref(tiles, tile_id.as_deref()))
        }
        Some(BranchSource::VoiceCallBlocked { tile_id }) => {
            format!("why {} was blocked", tile_ref(tiles, tile_id.as_deref()))
        }
        Some(BranchSource::Contact) => "the contact's attributes".to_owned(),
    }
}

pub(super) fn wait_spec(spec: Option<&WaitSpec>) -> String {
    match spec {
        None => NOT_SET.to_owned(),
        Some(WaitSpec::Duration(d)) => duration(*d),
        Some(WaitSpec::Until { local: at }) => format!("until {} (journey time)", local(*at)),
    }
}

pub(super) fn interaction(interaction: Option<Interaction>) -> String {
    interaction.map_or_else(|| NOT_SET.to_owned(), |i| i.label().to_lowercase())
}

pub(super) fn match_mode(mode: MatchMode) -> &'static str {
    match mode {
        MatchMode::All => "all",
        MatchMode::Any => "any",
    }
}

/// "all of: result equals "LiveAnswer"; Outcome equals "Booked"".
pub(super) fn conditions(mode: MatchMode, conditions: &[Condition]) -> String {
    if conditions.is_empty() {
        return "no conditions".to_owned();
    }
    let each: Vec<String> = conditions.iter().map(condition).collect();
    if each.len() == 1 {
        each.concat()
    } else {
        format!("{} of: {}", match_mode(mode), each.join("; "))
    }
}

/// [`conditions`] saying "all of" or "any of" even for one condition (when that is what
/// changed).
pub(super) fn conditions_with_mode(mode: MatchMode, conditions: &[Condition]) -> String {
    let each: Vec<String> = conditions.iter().map(condition).collect();
    format!("{} of: {}", match_mode(mode), each.join("; "))
}

pub(super) fn condition(condition: &Condition) -> String {
    let variable = match &condition.variable {
        None => "(no variable)".to_owned(),
        Some(Variable::DispositionCodes) => "disposition codes".to_owned(),
        Some(Variable::Result) => "result".to_owned(),
        Some(Variable::BlockCode) => "block code".to_owned(),
        Some(Variable::EngagementVariable { name } | Variable::Attribute { name }) => name.clone(),
    };
    let operator = condition.operator.map_or("(no operator)", operator_label);
    match &condition.value {
        Some(value) => format!("{variable} {operator} {value}"),
        None => format!("{variable} {operator}"),
    }
}
