//! The branches of a wait-for-trigger or attribute-branch tile: added, removed, renamed,
//! reordered (the first match wins), and what each one matches.

use std::collections::HashMap;

use crate::document::{AttributeBranch, Condition, Interaction, MatchMode, Tile, WaitBranch};

use super::words::{self, quoted};
use super::{ChangeKind, Diff};

/// What the comparison needs of a branch of either kind.
pub(super) struct BranchView<'b> {
    id: &'b str,
    name: &'b str,
    /// The interaction a previous-message wait's branch waits for; `None` on attribute
    /// branches, which have none.
    interaction: Option<Option<Interaction>>,
    mode: MatchMode,
    conditions: &'b [Condition],
}

pub(super) fn wait_views(branches: &[WaitBranch]) -> Vec<BranchView<'_>> {
    branches
        .iter()
        .map(|b| BranchView {
            id: &b.id,
            name: &b.name,
            interaction: Some(b.interaction),
            mode: MatchMode::All,
            conditions: &b.conditions,
        })
        .collect()
}

pub(super) fn attribute_views(branches: &[AttributeBranch]) -> Vec<BranchView<'_>> {
    branches
        .iter()
        .map(|b| BranchView {
            id: &b.id,
            name: &b.name,
            interaction: None,
            mode: b.match_mode,
            conditions: &b.conditions,
        })
        .collect()
}

impl BranchView<'_> {
    /// How a sentence names the branch: its name, else its id.
    fn label(&self) -> String {
        if self.name.is_empty() {
            quoted(self.id)
        } else {
            quoted(self.name)
        }
    }

    fn matches(&self) -> String {
        words::conditions(self.mode, self.conditions)
    }

    /// What the branch takes, in words (for a branch added or removed).
    fn rule(&self) -> String {
        match self.interaction {
            Some(interaction) if self.conditions.is_empty() => {
                format!("on {}", words::interaction(interaction))
            }
            Some(interaction) => format!(
                "on {} when {}",
                words::interaction(interaction),
                self.matches()
            ),
            None => format!("matching {}", self.matches()),
        }
    }
}

/// Branch id → position, first occurrence wins.
fn positions<'v>(views: &'v [BranchView<'_>]) -> HashMap<&'v str, usize> {
    let mut out = HashMap::with_capacity(views.len());
    for (i, view) in views.iter().enumerate() {
        out.entry(view.id).or_insert(i);
    }
    out
}

pub(super) fn compare(
    diff: &mut Diff<'_>,
    on: &Tile,
    before: &[BranchView<'_>],
    after: &[BranchView<'_>],
) {
    let old_at = positions(before);
    let new_at = positions(after);
    for (i, a) in after.iter().enumerate() {
        if new_at.get(a.id) != Some(&i) {
            continue;
        }
        match old_at.get(a.id) {
            Some(&j) => one(diff, on, i, &before[j], a),
            None => diff.tile_change(
                on,
                ChangeKind::Added,
                Some(format!("branches.{i}")),
                (None, Some(a.rule())),
                format!("branch {} added, {}", a.label(), a.rule()),
            ),
        }
    }
    for (j, b) in before.iter().enumerate() {
        if old_at.get(b.id) == Some(&j) && !new_at.contains_key(b.id) {
            diff.tile_change(
                on,
                ChangeKind::Removed,
                Some(format!("branches.{j}")),
                (Some(b.rule()), None),
                format!("branch {} removed", b.label()),
            );
        }
    }
    // Order among the branches in both (the first that matches wins).
    let kept_before: Vec<&BranchView<'_>> = before
        .iter()
        .enumerate()
        .filter(|(j, b)| old_at.get(b.id) == Some(j) && new_at.contains_key(b.id))
        .map(|(_, b)| b)
        .collect();
    let kept_after: Vec<&BranchView<'_>> = after
        .iter()
        .enumerate()
        .filter(|(i, a)| new_at.get(a.id) == Some(i) && old_at.contains_key(a.id))
        .map(|(_, a)| a)
        .collect();
    if kept_before
        .iter()
        .map(|b| b.id)
        .ne(kept_after.iter().map(|a| a.id))
    {
        let names = |views: &[&BranchView<'_>]| {
            views
                .iter()
                .map(|v| v.label())
                .collect::<Vec<_>>()
                .join(", ")
        };
        diff.field(
            on,
            "branches".into(),
            "branch order",
            names(&kept_before),
            names(&kept_after),
        );
    }
}

/// One branch in both documents, at position `i` in the new one.
fn one(diff: &mut Diff<'_>, on: &Tile, i: usize, b: &BranchView<'_>, a: &BranchView<'_>) {
    if b.name != a.name {
        diff.field(
            on,
            format!("branches.{i}.name"),
            "branch name",
            words::name_text(b.name),
            words::name_text(a.name),
        );
    }
    if b.interaction != a.interaction {
        let (was, is) = (
            words::interaction(b.interaction.flatten()),
            words::interaction(a.interaction.flatten()),
        );
        diff.tile_change(
            on,
            ChangeKind::Changed,
            Some(format!("branches.{i}.interaction")),
            (Some(was.clone()), Some(is.clone())),
            format!("branch {} now waits for {is} (was {was})", a.label()),
        );
    }
    let conditions_changed = b.conditions != a.conditions;
    if conditions_changed || b.mode != a.mode {
        let (was, is) = if b.mode == a.mode || b.conditions.len() > 1 && a.conditions.len() > 1 {
            (b.matches(), a.matches())
        } else {
            (
                words::conditions_with_mode(b.mode, b.conditions),
                words::conditions_with_mode(a.mode, a.conditions),
            )
        };
        let field = if conditions_changed {
            "conditions"
        } else {
            "match"
        };
        diff.tile_change(
            on,
            ChangeKind::Changed,
            Some(format!("branches.{i}.{field}")),
            (Some(was.clone()), Some(is.clone())),
            format!("branch {} now matches {is} (was {was})", a.label()),
        );
    }
}
