// Validation while editing, without sending the whole journey per edit: the backend keeps the
// journey (`validate_edit`), and each edit after the first goes as a patch of what changed.
// The store's edits are immutable and share untouched tiles, so "changed" is a reference
// comparison: linear in the tile count, with no deep compare and no serialising of the rest.
// The answer is a delta as well: the tiles whose problems changed since the revision the
// patch was made from. Each open journey store has its own session, so the deltas it gets are
// always from the problems it holds.
// Autosave goes through the same session: when the backend holds the document on screen (it
// validated it), it saves its own copy and nothing is sent; else the draft goes whole.
import { commands } from "../bindings";
import { IpcError } from "./index";
import { changedTiles } from "../store/tile-index";
import type { Connection, DraftSummary, Journey_Deserialize, Journey_Serialize, Position, Tile_Deserialize, ValidatedRevision_Serialize } from "../bindings";

type Journey = Journey_Serialize;
type Patch = {
  head: Journey_Deserialize;
  tiles: Tile_Deserialize[];
  removed: string[];
  connections: Connection[] | null;
  placed: Record<string, Position>;
  unplaced: string[];
};

/** The validator's answer: every tile's problems (`complete`), or the tiles whose problems changed. */
export type ProblemsUpdate = Pick<ValidatedRevision_Serialize, "complete" | "tiles">;

/** One journey's validation while it is edited; apply every answer, in order. */
export type Validator = {
  validate: (doc: Journey) => Promise<ProblemsUpdate>;
  /** Forget the revision held: the next call sends the journey whole and gets every problem. */
  reset: () => void;
  /** Save `doc` as the draft: the backend's copy when it holds `doc`, else `doc` whole. */
  save: (doc: Journey) => Promise<DraftSummary>;
};

/**
 * What changed from `prev` to `next`, or `null` when a patch cannot say it (tiles reordered):
 * then the journey goes whole.
 */
export function patchOf(prev: Journey, next: Journey): Patch | null {
  if (prev.id !== next.id) return null;
  const head: Journey_Deserialize = { ...next, tiles: [], connections: [], layout: { positions: {} } };
  const connections = prev.connections === next.connections ? null : next.connections;
  const placed: Record<string, Position> = {};
  const unplaced: string[] = [];
  const before = prev.layout.positions;
  const after = next.layout.positions;
  if (before !== after) {
    for (const [id, p] of Object.entries(after)) if (p && before[id] !== p) placed[id] = p;
    for (const id of Object.keys(before)) if (!(id in after)) unplaced.push(id);
  }
  if (prev.tiles === next.tiles) return { head, tiles: [], removed: [], connections, placed, unplaced };
  // An edit of tiles' fields (the same ids in the same order): a reference walk finds them.
  const changed = changedTiles(prev.tiles, next.tiles);
  if (changed) return { head, tiles: changed, removed: [], connections, placed, unplaced };
  const old = new Map(prev.tiles.map((t) => [t.id, t]));
  const ids = new Set(next.tiles.map((t) => t.id));
  const removed = prev.tiles.filter((t) => !ids.has(t.id)).map((t) => t.id);
  // The backend replaces changed tiles in place and appends new ones: the order must be the
  // old order without the removed tiles, then the new tiles.
  const kept = prev.tiles.filter((t) => ids.has(t.id));
  const tiles: Tile_Deserialize[] = [];
  for (const [i, tile] of next.tiles.entries()) {
    const was = old.get(tile.id);
    const same = kept[i];
    if (same) {
      if (same.id !== tile.id) return null;
      if (was !== tile) tiles.push(tile);
    } else {
      if (was) return null;
      tiles.push(tile);
    }
  }
  return { head, tiles, removed, connections, placed, unplaced };
}

/** A validation session for one open journey. */
export function createValidator(): Validator {
  /** What the backend holds for this session: the document it has seen and its revision. */
  let held: { doc: Journey; revision: number } | null = null;
  /** One request at a time, in order, so each patch applies to the revision it was made from. */
  let queue: Promise<unknown> = Promise.resolve();
  /** Requests queued and not yet answered. */
  let pending = 0;

  /**
   * Run `job` after every request before it; at once when none is waiting, so an edit's patch
   * goes out before the page draws the edit (Rust validates while React renders).
   */
  function enqueue<T>(job: () => Promise<T>, onError: () => void): Promise<T> {
    pending += 1;
    const run = (pending === 1 ? job() : queue.then(job)).finally(() => {
      pending -= 1;
    });
    queue = run.catch(onError);
    return run;
  }

  async function send(doc: Journey): Promise<ProblemsUpdate> {
    const last = held;
    const patch = last ? patchOf(last.doc, doc) : null;
    if (last && patch) {
      const r = await commands.validateEdit({ kind: "patch", base: last.revision, ...patch });
      if (r.status === "error") throw new IpcError(r.error);
      if (r.data) {
        held = { doc, revision: r.data.revision };
        return r.data;
      }
    }
    held = null;
    const r = await commands.validateEdit({ kind: "whole", document: doc });
    if (r.status === "error") throw new IpcError(r.error);
    if (!r.data) throw new Error("the validator refused the whole journey");
    held = { doc, revision: r.data.revision };
    return r.data;
  }

  return {
    // A failed call leaves what the backend holds unknown: the next goes whole.
    validate: (doc) =>
      enqueue(
        () => send(doc),
        () => {
          held = null;
        },
      ),
    reset: () => {
      void enqueue(
        async () => {
          held = null;
        },
        () => undefined,
      );
    },
    save: (doc) =>
      enqueue(
        async () => {
          if (held?.doc === doc) {
            const r = await commands.saveOpenDraft(doc.id, held.revision);
            if (r.status === "error") throw new IpcError(r.error);
            if (r.data) return r.data;
          }
          const r = await commands.saveDraft(doc);
          if (r.status === "error") throw new IpcError(r.error);
          return r.data;
        },
        () => undefined,
      ),
  };
}
