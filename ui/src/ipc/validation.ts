// Validation while editing, without sending the whole journey per edit: the backend keeps the
// journey (`validate_edit`), and each edit after the first goes as a patch of what changed.
// The store's edits are immutable and share untouched tiles, so "changed" is a reference
// comparison: linear in the tile count, with no deep compare and no serialising of the rest.
import { commands } from "../bindings";
import { IpcError } from "./index";
import type { Connection, Diagnostic_Serialize, Journey_Deserialize, Journey_Serialize, Tile_Deserialize } from "../bindings";

type Journey = Journey_Serialize;
type Patch = {
  head: Journey_Deserialize;
  tiles: Tile_Deserialize[];
  removed: string[];
  connections: Connection[] | null;
};

/** What the backend holds for each journey: the document it has seen and its revision. */
const held = new Map<string, { doc: Journey; revision: number }>();
/** One request at a time, in order, so each patch applies to the revision it was made from. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * What changed from `prev` to `next`, or `null` when a patch cannot say it (tiles reordered):
 * then the journey goes whole.
 */
export function patchOf(prev: Journey, next: Journey): Patch | null {
  if (prev.id !== next.id) return null;
  const head: Journey_Deserialize = { ...next, tiles: [], connections: [], layout: { positions: {} } };
  const connections = prev.connections === next.connections ? null : next.connections;
  if (prev.tiles === next.tiles) return { head, tiles: [], removed: [], connections };
  const before = new Map(prev.tiles.map((t) => [t.id, t]));
  const after = new Set(next.tiles.map((t) => t.id));
  const removed = prev.tiles.filter((t) => !after.has(t.id)).map((t) => t.id);
  // The backend replaces changed tiles in place and appends new ones: the order must be the
  // old order without the removed tiles, then the new tiles.
  const kept = prev.tiles.filter((t) => after.has(t.id));
  const tiles: Tile_Deserialize[] = [];
  for (const [i, tile] of next.tiles.entries()) {
    const old = before.get(tile.id);
    const same = kept[i];
    if (same) {
      if (same.id !== tile.id) return null;
      if (old !== tile) tiles.push(tile);
    } else {
      if (old) return null;
      tiles.push(tile);
    }
  }
  return { head, tiles, removed, connections };
}

async function send(doc: Journey): Promise<Diagnostic_Serialize[]> {
  const last = held.get(doc.id);
  const patch = last ? patchOf(last.doc, doc) : null;
  if (last && patch) {
    const r = await commands.validateEdit({ kind: "patch", base: last.revision, ...patch });
    if (r.status === "error") throw new IpcError(r.error);
    if (r.data) {
      held.set(doc.id, { doc, revision: r.data.revision });
      return r.data.diagnostics;
    }
  }
  const r = await commands.validateEdit({ kind: "whole", document: doc });
  if (r.status === "error") throw new IpcError(r.error);
  if (!r.data) throw new Error("the validator refused the whole journey");
  held.set(doc.id, { doc, revision: r.data.revision });
  return r.data.diagnostics;
}

/** Every problem of `doc`, validated from a patch of the last journey sent when possible. */
export function validateEdit(doc: Journey): Promise<Diagnostic_Serialize[]> {
  const run = queue.then(() => send(doc));
  queue = run.catch(() => undefined);
  return run;
}
