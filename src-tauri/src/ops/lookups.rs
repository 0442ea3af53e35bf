//! Read-only answers the property panels need: validation, condition variables, time zones,
//! the effective quiet time. The rules themselves live in `journeys`.

use serde::{Deserialize, Serialize};
use specta::Type;

use chrono::{DateTime, Utc};
use journeys::catalog::{Catalog, Schedule, ScheduleRow, Weekday};
use journeys::conditions::{VariableChoice, branch_variables};
use journeys::document::{Channel, Journey, QuietTimeOption, Tile};
use journeys::validate::{Diagnostic, validate_with};

use super::catalog::{current_catalog, current_catalog_at};
use super::{Db, Result};

/// Every problem of the journey, against the cached catalog; a segment or trigger missing
/// from a list refreshed over [`super::catalog::FRESH_FOR_MINUTES`] before `now` is a warning.
pub fn validate_journey(db: &Db, now: DateTime<Utc>, journey: &Journey) -> Result<Vec<Diagnostic>> {
    let (catalog, freshness) = current_catalog_at(db, now)?;
    Ok(validate_with(journey, &catalog, freshness))
}

/// The variables, operators and values the conditions of an attribute-branch tile may use.
pub fn condition_variables(
    db: &Db,
    journey: &Journey,
    tile_id: &str,
) -> Result<Vec<VariableChoice>> {
    let catalog = current_catalog(db)?;
    Ok(branch_variables(journey, &catalog, tile_id))
}

/// Every IANA time zone name, sorted.
pub fn time_zones() -> Vec<String> {
    let mut zones: Vec<String> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name().to_owned())
        .collect();
    zones.sort();
    zones
}

/// The quiet time a voice tile ends up with, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct QuietTimeSummary {
    /// The effective setting's name, `None` when no quiet time applies.
    pub setting_name: Option<String>,
    /// One line per rule, e.g. "Commercial: Mon–Fri 21:00–08:00".
    pub lines: Vec<String>,
}

fn weekday(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Mon",
        Weekday::Tue => "Tue",
        Weekday::Wed => "Wed",
        Weekday::Thu => "Thu",
        Weekday::Fri => "Fri",
        Weekday::Sat => "Sat",
        Weekday::Sun => "Sun",
    }
}

fn describe_rows(kind: &str, rows: &[ScheduleRow], out: &mut Vec<String>) {
    for row in rows.iter().filter(|r| r.channels.contains(&Channel::Voice)) {
        let blocks: Vec<String> = row
            .weekly_blocks
            .iter()
            .map(|b| {
                let days: Vec<&str> = b.weekdays.iter().map(|&d| weekday(d)).collect();
                let when = if b.all_day {
                    "all day".to_owned()
                } else {
                    format!("{}–{}", b.start, b.end)
                };
                format!("{} {when}", days.join(", "))
            })
            .collect();
        if !blocks.is_empty() {
            out.push(format!("{kind}: quiet {}", blocks.join("; ")));
        }
        if !row.quiet_dates.is_empty() {
            out.push(format!(
                "{kind}: {} quiet date range(s)",
                row.quiet_dates.len()
            ));
        }
    }
}

fn describe(schedule: &Schedule, out: &mut Vec<String>) {
    describe_rows("Commercial", &schedule.commercial, out);
    describe_rows("Transactional", &schedule.transactional, out);
}

/// The effective quiet time of a voice tile (domain D5a: inherit, override, none).
pub fn quiet_time_summary(db: &Db, journey: &Journey, tile_id: &str) -> Result<QuietTimeSummary> {
    let catalog = current_catalog(db)?;
    Ok(summarise(&catalog, journey, tile_id))
}

fn summarise(catalog: &Catalog, journey: &Journey, tile_id: &str) -> QuietTimeSummary {
    let none = QuietTimeSummary {
        setting_name: None,
        lines: vec!["No quiet time applies; consent is still checked.".into()],
    };
    let Some(Tile::VoiceConversation(tile)) = journey.tile(tile_id) else {
        return none;
    };
    let setting_id = match &tile.quiet_time {
        // The profile's quiet time, before a profile is chosen: say what to do, not "none".
        None | Some(QuietTimeOption::Inherit) if tile.compliance_profile_id.is_none() => {
            return QuietTimeSummary {
                setting_name: None,
                lines: vec![
                    "Choose a compliance profile first: this tile then follows its quiet time."
                        .into(),
                ],
            };
        }
        None | Some(QuietTimeOption::Inherit) => tile
            .compliance_profile_id
            .as_deref()
            .and_then(|id| catalog.profile(id))
            .and_then(|p| p.quiet_time_setting_id.clone()),
        Some(QuietTimeOption::Override { setting_id }) => setting_id.clone(),
        Some(QuietTimeOption::None) => None,
    };
    let Some(setting) = setting_id
        .as_deref()
        .and_then(|id| catalog.quiet_time_setting(id))
    else {
        return none;
    };
    let mut lines = Vec::new();
    describe(&setting.general, &mut lines);
    if !setting.advanced_rules.is_empty() {
        lines.push(format!(
            "{} regional rule(s): {}",
            setting.advanced_rules.len(),
            setting
                .advanced_rules
                .iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    QuietTimeSummary {
        setting_name: Some(setting.name.clone()),
        lines,
    }
}
