//! Tiles added, removed, and compared field by field for each kind.

use crate::document::{
    AttributeBranchTile, QuietTimeOption, SegmentStart, StartCondition, StartTile, Tile,
    TriggerStart, VoiceConversationTile, WaitForTriggerTile, WaitTimeTile,
};

use super::branches::{BranchView, attribute_views, wait_views};
use super::words::{self, NOT_SET};
use super::{ChangeKind, Diff};

impl<'a> Diff<'a> {
    /// Tiles in the new document's order (added or compared), then removed tiles in the old
    /// document's order.
    pub(super) fn tiles(&mut self) {
        let (old, new) = (self.old, self.new);
        for tile in &new.tiles {
            if !first_of_its_id(&self.new_tiles, tile) {
                continue;
            }
            match self.old_tiles.get(tile.id()).copied() {
                Some(before) => self.tile(before, tile),
                None => {
                    let kind = words::kind_label(tile.tile_type());
                    self.tile_change(
                        tile,
                        ChangeKind::Added,
                        None,
                        (None, Some(kind.to_owned())),
                        format!("new {kind} tile"),
                    );
                }
            }
        }
        for tile in &old.tiles {
            if first_of_its_id(&self.old_tiles, tile) && !self.new_tiles.contains_key(tile.id()) {
                let kind = words::kind_label(tile.tile_type());
                self.tile_change(
                    tile,
                    ChangeKind::Removed,
                    None,
                    (Some(kind.to_owned()), None),
                    format!("{kind} tile removed"),
                );
            }
        }
    }

    fn tile(&mut self, before: &Tile, after: &Tile) {
        if before == after {
            return;
        }
        if before.name() != after.name() {
            self.field(
                after,
                "name".into(),
                "name",
                words::name_text(before.name()),
                words::name_text(after.name()),
            );
        }
        match (before, after) {
            (Tile::Start(b), Tile::Start(a)) => self.start(after, b, a),
            (Tile::VoiceConversation(b), Tile::VoiceConversation(a)) => self.voice(after, b, a),
            (Tile::WaitForTrigger(b), Tile::WaitForTrigger(a)) => {
                self.wait_for_trigger(after, b, a)
            }
            (Tile::AttributeBranch(b), Tile::AttributeBranch(a)) => {
                self.attribute_branch(after, b, a);
            }
            (Tile::WaitTime(b), Tile::WaitTime(a)) => self.wait_time(after, b, a),
            (Tile::Exit(_), Tile::Exit(_)) => {}
            _ => self.field(
                after,
                "type".into(),
                "kind",
                words::kind_label(before.tile_type()).to_owned(),
                words::kind_label(after.tile_type()).to_owned(),
            ),
        }
    }

    fn start(&mut self, on: &Tile, before: &StartTile, after: &StartTile) {
        let (old_zone, new_zone) = (self.old.time_zone.as_str(), self.new.time_zone.as_str());
        match (&before.start, &after.start) {
            (None, None) => {}
            (Some(StartCondition::Segment(b)), Some(StartCondition::Segment(a))) => {
                self.segment_start(on, b, a);
            }
            (Some(StartCondition::Trigger(b)), Some(StartCondition::Trigger(a))) => {
                self.trigger_start(on, b, a);
            }
            (b, a) => self.field(
                on,
                "start".into(),
                "start",
                start_summary(b.as_ref(), old_zone),
                start_summary(a.as_ref(), new_zone),
            ),
        }
    }

    fn segment_start(&mut self, on: &Tile, b: &SegmentStart, a: &SegmentStart) {
        if b.segment_ids != a.segment_ids {
            self.field(
                on,
                "start.segmentIds".into(),
                "segments",
                words::list(&b.segment_ids),
                words::list(&a.segment_ids),
            );
        }
        if b.frequency != a.frequency {
            self.field(
                on,
                "start.frequency".into(),
                "schedule",
                words::frequency(&b.frequency),
                words::frequency(&a.frequency),
            );
        }
        self.start_window(on, (b.start_at, b.end_at), (a.start_at, a.end_at));
    }

    fn trigger_start(&mut self, on: &Tile, b: &TriggerStart, a: &TriggerStart) {
        if b.trigger_name != a.trigger_name {
            self.field(
                on,
                "start.triggerName".into(),
                "trigger",
                words::id_text(b.trigger_name.as_deref()),
                words::id_text(a.trigger_name.as_deref()),
            );
        }
        if b.conditions != a.conditions {
            let mode = crate::document::MatchMode::All;
            self.field(
                on,
                "start.conditions".into(),
                "trigger conditions",
                words::conditions(mode, &b.conditions),
                words::conditions(mode, &a.conditions),
            );
        }
        self.start_window(on, (b.start_at, b.end_at), (a.start_at, a.end_at));
    }

    /// When contacts start and stop entering, each on its document's clock.
    fn start_window(
        &mut self,
        on: &Tile,
        before: (
            Option<chrono::DateTime<chrono::Utc>>,
            Option<chrono::DateTime<chrono::Utc>>,
        ),
        after: (
            Option<chrono::DateTime<chrono::Utc>>,
            Option<chrono::DateTime<chrono::Utc>>,
        ),
    ) {
        let (old_zone, new_zone) = (self.old.time_zone.as_str(), self.new.time_zone.as_str());
        if before.0 != after.0 {
            self.field(
                on,
                "start.startAt".into(),
                "starts",
                words::instant(before.0, old_zone),
                words::instant(after.0, new_zone),
            );
        }
        if before.1 != after.1 {
            self.field(
                on,
                "start.endAt".into(),
                "ends",
                words::instant(before.1, old_zone),
                words::instant(after.1, new_zone),
            );
        }
    }

    fn voice(&mut self, on: &Tile, b: &VoiceConversationTile, a: &VoiceConversationTile) {
        let catalog = self.catalog;
        let engagement = |t: &VoiceConversationTile| {
            let id = t.engagement_id.as_deref();
            words::named(
                id,
                id.and_then(|id| catalog.engagement(id))
                    .map(|e| e.name.as_str()),
            )
        };
        let profile = |t: &VoiceConversationTile| {
            t.compliance_profile_id
                .as_deref()
                .and_then(|id| catalog.profile(id))
        };
        let purpose = |t: &VoiceConversationTile| {
            profile(t).and_then(|p| t.purpose_id.as_deref().and_then(|id| p.purpose(id)))
        };
        // Names are looked up only for a field that changed.
        let name = |field: usize, t: &VoiceConversationTile| match field {
            0 => engagement(t),
            1 => words::named(
                t.compliance_profile_id.as_deref(),
                profile(t).map(|p| p.name.as_str()),
            ),
            2 => words::named(t.purpose_id.as_deref(), purpose(t).map(|p| p.name.as_str())),
            _ => words::named(
                t.topic_id.as_deref(),
                purpose(t)
                    .and_then(|p| t.topic_id.as_deref().and_then(|id| p.topic(id)))
                    .map(|t| t.name.as_str()),
            ),
        };
        let ids = [
            (
                "engagementId",
                "conversation",
                &b.engagement_id,
                &a.engagement_id,
            ),
            (
                "complianceProfileId",
                "compliance profile",
                &b.compliance_profile_id,
                &a.compliance_profile_id,
            ),
            ("purposeId", "purpose", &b.purpose_id, &a.purpose_id),
            ("topicId", "topic", &b.topic_id, &a.topic_id),
        ];
        for (field, (path, label, before, after)) in ids.into_iter().enumerate() {
            if before != after {
                self.field(on, path.into(), label, name(field, b), name(field, a));
            }
        }
        if b.send_to != a.send_to {
            self.field(
                on,
                "sendTo".into(),
                "send to",
                words::phone(b.send_to),
                words::phone(a.send_to),
            );
        }
        if b.quiet_time != a.quiet_time {
            let setting = |option: Option<&QuietTimeOption>| match option {
                Some(QuietTimeOption::Override {
                    setting_id: Some(id),
                }) => catalog.quiet_time_setting(id).map(|s| s.name.as_str()),
                _ => None,
            };
            self.field(
                on,
                "quietTime".into(),
                "quiet time",
                words::quiet_time(b.quiet_time.as_ref(), setting(b.quiet_time.as_ref())),
                words::quiet_time(a.quiet_time.as_ref(), setting(a.quiet_time.as_ref())),
            );
        }
    }

    fn wait_for_trigger(&mut self, on: &Tile, b: &WaitForTriggerTile, a: &WaitForTriggerTile) {
        if b.condition != a.condition {
            self.field(
                on,
                "condition".into(),
                "waits for",
                words::wait_condition(&self.old_tiles, b.condition.as_ref()),
                words::wait_condition(&self.new_tiles, a.condition.as_ref()),
            );
        }
        if b.time_limit != a.time_limit {
            self.field(
                on,
                "timeLimit".into(),
                "time limit",
                words::optional_duration(b.time_limit),
                words::optional_duration(a.time_limit),
            );
        }
        if b.branches != a.branches {
            self.branches(on, &wait_views(&b.branches), &wait_views(&a.branches));
        }
    }

    fn attribute_branch(&mut self, on: &Tile, b: &AttributeBranchTile, a: &AttributeBranchTile) {
        if b.source != a.source {
            self.field(
                on,
                "source".into(),
                "branch on",
                words::branch_source(&self.old_tiles, b.source.as_ref()),
                words::branch_source(&self.new_tiles, a.source.as_ref()),
            );
        }
        self.branches(
            on,
            &attribute_views(&b.branches),
            &attribute_views(&a.branches),
        );
    }

    fn wait_time(&mut self, on: &Tile, b: &WaitTimeTile, a: &WaitTimeTile) {
        if b.wait != a.wait {
            self.field(
                on,
                "wait".into(),
                "wait",
                words::wait_spec(b.wait.as_ref()),
                words::wait_spec(a.wait.as_ref()),
            );
        }
    }

    fn branches(&mut self, on: &Tile, before: &[BranchView<'_>], after: &[BranchView<'_>]) {
        super::branches::compare(self, on, before, after);
    }
}

/// Whether `tile` is the one its id stands for in `index` (the first with that id).
fn first_of_its_id(index: &super::Tiles<'_>, tile: &Tile) -> bool {
    index
        .get(tile.id())
        .is_some_and(|first| std::ptr::eq(*first, tile))
}

/// A whole start condition in words, when its kind changed.
fn start_summary(start: Option<&StartCondition>, zone: &str) -> String {
    match start {
        None => NOT_SET.to_owned(),
        Some(StartCondition::Segment(s)) => format!(
            "segments {}, {}, from {}",
            words::list(&s.segment_ids),
            words::frequency(&s.frequency),
            words::instant(s.start_at, zone)
        ),
        Some(StartCondition::Trigger(t)) => {
            format!("trigger {}", words::id_text(t.trigger_name.as_deref()))
        }
    }
}
