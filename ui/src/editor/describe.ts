// Names and coalescing keys for edits that arrive without them (the inspector's fields call
// `edit(change)`): the label says which tile changed; the key joins every keystroke typed in
// one field, from focusing it until it loses focus or Enter is pressed.
import type { Journey, Tile } from "../ipc";
import { changedTiles, tileById } from "../store/tile-index";
import { tileTitle } from "../tiles/kinds";

let focusEpoch = 0;
if (typeof document !== "undefined") {
  document.addEventListener("focusin", () => (focusEpoch += 1), true);
  document.addEventListener("focusout", () => (focusEpoch += 1), true);
  document.addEventListener(
    "keydown",
    (e) => {
      if (e.key === "Enter") focusEpoch += 1;
    },
    true,
  );
}

export function quoted(tile: Tile): string {
  return `'${tileTitle(tile)}'`;
}

/** The label of the field that has focus, e.g. "Time limit". */
function focusedField(): { path: string; label: string } | null {
  if (typeof document === "undefined") return null;
  const el = document.activeElement;
  if (!(el instanceof HTMLElement) || !el.matches("input, textarea, select, [contenteditable]")) return null;
  const path = el.dataset.path ?? el.dataset.journeyPath ?? el.getAttribute("aria-label") ?? el.id;
  const label = el.closest(".field")?.querySelector(".field-label")?.textContent?.trim() || el.getAttribute("aria-label") || "";
  return { path, label };
}

/** Label and coalescing key of a change between two documents. */
export function describeEdit(before: Journey, after: Journey): { label: string; key: string | null } {
  const field = focusedField();
  const key = field ? `field:${field.path}:${focusEpoch}` : null;
  const what = field?.label ? field.label.toLowerCase() : null;
  // Named as it was before the change: a rename reads "edit tile name of 'Done'".
  const tileEdit = (t: Tile) => ({ label: what ? `edit ${what} of ${quoted(t)}` : `edit ${quoted(t)}`, key: key && `${t.id}:${key}` });
  // An edit of tiles' fields (every keystroke): found by a reference walk, no map of every tile.
  const changed = changedTiles(before.tiles, after.tiles);
  if (changed) {
    const t = changed.length === 1 && changed[0] ? tileById(before, changed[0].id) : undefined;
    if (t) return tileEdit(t);
  } else {
    const old = new Map(before.tiles.map((t) => [t.id, t]));
    const now = new Set(after.tiles.map((t) => t.id));
    const added = after.tiles.filter((t) => !old.has(t.id));
    const removed = before.tiles.filter((t) => !now.has(t.id));
    const [one] = added.length ? added : removed;
    if (one) {
      const what = added.length + removed.length === 1 ? quoted(one) : `${added.length + removed.length} tiles`;
      return { label: `${added.length ? "add" : "delete"} ${what}`, key: null };
    }
    const reordered = after.tiles.filter((t) => old.get(t.id) !== t);
    const t = reordered.length === 1 && reordered[0] ? old.get(reordered[0].id) : undefined;
    if (t) return tileEdit(t);
  }
  if (before.name !== after.name) return { label: "rename journey", key };
  if (before.timeZone !== after.timeZone) return { label: "change time zone", key };
  if (before.audience !== after.audience) return { label: "change audience", key };
  return { label: what ? `edit ${what}` : "edit journey", key };
}
