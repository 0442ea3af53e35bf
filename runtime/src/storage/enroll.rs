//! Contacts, segments and enrolment: imports, segment members, starts and triggers.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use journeys::contact::Contact;
use journeys::document::{Condition, Frequency, MatchMode, StartCondition, Variable};
use journeys::step::{EventPayload, Input, RunState, condition};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde_json::Value;

use journeys::lifecycle::{SegmentBar, SegmentEntry, segment_bar};

use super::*;
use crate::error::{Error, Result};

impl Store {
    /// Insert or replace contacts.
    ///
    /// Live segment journeys that admit later joiners enroll the new members of their
    /// segments in the same transaction.
    pub fn import_contacts(&self, contacts: &[Contact], now: DateTime<Utc>) -> Result<usize> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO contact (id, data) VALUES (?1, ?2)
                 ON CONFLICT(id) DO UPDATE SET data = excluded.data",
            )?;
            for contact in contacts {
                stmt.execute(params![contact.id, json(contact)?])?;
            }
        }
        let live = live_version_ids(&tx)?;
        for version_id in live {
            let graph = self.graph(&tx, version_id)?;
            let Some(StartCondition::Segment(segment)) = graph.journey().start_condition() else {
                continue;
            };
            if segment.frequency != Frequency::OnceAdmittingJoiners
                || segment.end_at.is_some_and(|end| now >= end)
            {
                continue;
            }
            let due = segment.start_at.map_or(now, |at| at.max(now));
            let journey_id = graph.journey().id.clone();
            for member in members_of(&tx, &segment.segment_ids)? {
                // Idempotent: members already enrolled keep their one run.
                enroll_segment_member(
                    &tx,
                    &journey_id,
                    version_id,
                    &member,
                    SegmentEntry::First,
                    due,
                    "segment",
                )?;
            }
        }
        tx.commit()?;
        Ok(contacts.len())
    }

    /// Create or replace a segment.
    pub fn put_segment(&self, id: &str, definition: &SegmentDefinition) -> Result<()> {
        self.conn().execute(
            "INSERT INTO segment (id, definition) VALUES (?1, ?2)
             ON CONFLICT(id) DO UPDATE SET definition = excluded.definition",
            params![id, json(definition)?],
        )?;
        Ok(())
    }

    /// Every segment, by id, described for the designer's lookup.
    pub fn segments(&self) -> Result<Vec<journeys::catalog::SegmentRef>> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT id, definition FROM segment ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, text) = row?;
            let description = match parse::<SegmentDefinition>(&text, "segment")? {
                SegmentDefinition::Static { contact_ids } => {
                    format!("{} contact(s)", contact_ids.len())
                }
                SegmentDefinition::Filter { conditions, .. } => {
                    format!("attribute filter, {} condition(s)", conditions.len())
                }
            };
            out.push(journeys::catalog::SegmentRef { id, description });
        }
        Ok(out)
    }

    /// Start one contact on the journey's live version.
    pub fn start_run(
        &self,
        journey_id: &str,
        contact_id: &str,
        entry_key: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version_id: i64 = tx
            .query_row(
                "SELECT id FROM journey_version WHERE journey_id = ?1 AND state = 'live'
                 ORDER BY number DESC LIMIT 1",
                [journey_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("journey {journey_id} has no live version")))?;
        contact_exists(&tx, contact_id)?;
        let started = enroll(
            &tx,
            version_id,
            contact_id,
            entry_key,
            &BTreeMap::new(),
            now,
        )?;
        tx.commit()?;
        Ok(started)
    }

    /// A trigger: enroll into every listening live version, deliver to waiting runs.
    pub fn post_trigger(
        &self,
        event: &TriggerEvent,
        now: DateTime<Utc>,
    ) -> Result<TriggerAccepted> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO inbound (event_id, corr, payload, received_at) VALUES (?1, ?2, ?3, ?4)",
            params![format!("trigger:{}", event.event_id), format!("trigger:{}", event.trigger), json(event)?, millis(now)],
        )?;
        if inserted == 0 {
            return Ok(TriggerAccepted {
                duplicate: true,
                enrolled: 0,
                delivered: 0,
            });
        }
        contact_exists(&tx, &event.contact_id)?;
        let live = live_version_ids(&tx)?;
        let mut enrolled = 0;
        for version_id in live {
            let graph = self.graph(&tx, version_id)?;
            let Some(StartCondition::Trigger(trigger)) = graph.journey().start_condition() else {
                continue;
            };
            let open = trigger.start_at.is_none_or(|at| now >= at)
                && trigger.end_at.is_none_or(|at| now < at);
            let source = |v: &Variable| match v {
                Variable::Attribute { name } => event.attributes.get(name).cloned(),
                _ => None,
            };
            let zone = graph
                .journey()
                .time_zone
                .parse()
                .unwrap_or(chrono_tz::Tz::UTC);
            if open
                && trigger.trigger_name.as_deref() == Some(event.trigger.as_str())
                && condition::conditions_hold(MatchMode::All, &trigger.conditions, &source, zone)
                && enroll(
                    &tx,
                    version_id,
                    &event.contact_id,
                    &event.event_id,
                    &event.attributes,
                    now,
                )?
            {
                enrolled += 1;
            }
        }
        let corr = format!("trigger:{}", event.trigger);
        let input = json(&Input::Event {
            corr: corr.clone(),
            payload: EventPayload::Trigger {
                name: event.trigger.clone(),
                attributes: event.attributes.clone(),
            },
        })?;
        let delivered = tx.execute(
            "INSERT INTO work (due_at, run_id, token, input)
             SELECT ?1, w.run_id, NULL, ?2 FROM wait w JOIN contact_run r ON r.id = w.run_id
             WHERE r.contact_id = ?3 AND w.corr = ?4 AND r.status = 'active'",
            params![millis(now), input, event.contact_id, corr],
        )?;
        tx.commit()?;
        Ok(TriggerAccepted {
            duplicate: false,
            enrolled,
            delivered,
        })
    }
}

/// Whether a contact is in a segment filter.
pub(super) fn in_filter(contact: &Contact, mode: MatchMode, conditions: &[Condition]) -> bool {
    let source = |v: &Variable| match v {
        Variable::Attribute { name } => contact.attribute(name),
        _ => None,
    };
    condition::conditions_hold(mode, conditions, &source, chrono_tz::Tz::UTC)
}

/// Enroll a segment member in `version_id` unless the fact [`segment_bar`] names for this
/// entry holds of their past in this journey (every version); `entry_key` is `segment` for a
/// first entry and `segment:{round}` for a round.
pub(super) fn enroll_segment_member(
    tx: &Transaction<'_>,
    journey_id: &str,
    version_id: i64,
    contact_id: &str,
    entry: SegmentEntry,
    due: DateTime<Utc>,
    entry_key: &str,
) -> Result<bool> {
    let barred: bool = match segment_bar(entry) {
        SegmentBar::EnteredAnotherVersion => tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM contact_run
                  WHERE version_id IN (SELECT id FROM journey_version WHERE journey_id = ?1 AND id <> ?2)
                    AND contact_id = ?3 AND entry_key = 'segment')",
            )?
            .query_row(params![journey_id, version_id, contact_id], |r| r.get(0))?,
        SegmentBar::StillInside => tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM contact_run
                  WHERE version_id IN (SELECT id FROM journey_version WHERE journey_id = ?1)
                    AND contact_id = ?2 AND status = 'active')",
            )?
            .query_row(params![journey_id, contact_id], |r| r.get(0))?,
    };
    if barred {
        return Ok(false);
    }
    enroll(tx, version_id, contact_id, entry_key, &BTreeMap::new(), due)
}

pub(super) fn contact_exists(conn: &Connection, contact_id: &str) -> Result<()> {
    let found: Option<i64> = conn
        .prepare_cached("SELECT 1 FROM contact WHERE id = ?1")?
        .query_row([contact_id], |r| r.get(0))
        .optional()?;
    match found {
        Some(_) => Ok(()),
        None => Err(Error::NotFound(format!(
            "contact {contact_id} is not known; import it first"
        ))),
    }
}

pub(super) fn load_contact(conn: &Connection, contact_id: &str) -> Result<Contact> {
    let text: Option<String> = conn
        .prepare_cached("SELECT data FROM contact WHERE id = ?1")?
        .query_row([contact_id], |r| r.get(0))
        .optional()?;
    match text {
        Some(text) => parse(&text, "contact"),
        // A contact removed after entering: no phone, no attributes; calls block.
        None => Ok(Contact {
            id: contact_id.to_owned(),
            ..Contact::default()
        }),
    }
}

/// The members of these segments, each once, in id order.
pub(super) fn members_of(conn: &Connection, segment_ids: &[String]) -> Result<Vec<String>> {
    let mut members = Vec::new();
    for id in segment_ids {
        members.extend(segment_members(conn, id)?);
    }
    members.sort();
    members.dedup();
    Ok(members)
}

pub(super) fn segment_members(conn: &Connection, segment_id: &str) -> Result<Vec<String>> {
    let text: String = conn
        .query_row(
            "SELECT definition FROM segment WHERE id = ?1",
            [segment_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| Error::BadInput(format!("segment {segment_id} does not exist")))?;
    match parse::<SegmentDefinition>(&text, "segment")? {
        SegmentDefinition::Static { contact_ids } => Ok(contact_ids),
        SegmentDefinition::Filter {
            match_mode,
            conditions,
        } => {
            let mut stmt = conn.prepare("SELECT data FROM contact ORDER BY id")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            let mut out = Vec::new();
            for row in rows {
                let contact: Contact = parse(&row?, "contact")?;
                if in_filter(&contact, match_mode, &conditions) {
                    out.push(contact.id);
                }
            }
            Ok(out)
        }
    }
}

/// Idempotent enrollment: (version, contact, entry key) starts at most one run.
pub(super) fn enroll(
    tx: &Transaction<'_>,
    version_id: i64,
    contact_id: &str,
    entry_key: &str,
    attributes: &BTreeMap<String, Value>,
    due: DateTime<Utc>,
) -> Result<bool> {
    let inserted = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO contact_run (version_id, contact_id, entry_key, state, status, phase)
             VALUES (?1, ?2, ?3, '', 'active', 'new')",
        )?
        .execute(params![version_id, contact_id, entry_key])?;
    if inserted == 0 {
        return Ok(false);
    }
    let run_id = tx.last_insert_rowid();
    tx.prepare_cached("UPDATE contact_run SET state = ?1 WHERE id = ?2")?
        .execute(params![json(&RunState::new(run_id.to_string()))?, run_id])?;
    insert_work(
        tx,
        due,
        run_id,
        &Input::Start {
            trigger_attributes: attributes.clone(),
        },
    )?;
    Ok(true)
}

pub(super) fn insert_work(
    conn: &Connection,
    due: DateTime<Utc>,
    run_id: i64,
    input: &Input,
) -> Result<()> {
    conn.prepare_cached("INSERT INTO work (due_at, run_id, token, input) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![
            millis(due),
            run_id,
            input_token(input),
            json(input)?
        ])?;
    Ok(())
}
