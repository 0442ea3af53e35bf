// What changed between two versions of a journey, as the validator's patch
// (`journeys::edit::JourneyPatch`). The store's edits are immutable and share untouched
// tiles, so "changed" is a reference comparison: linear in the tile count, with no deep compare
// and no serialising of the rest.
import { changedTiles } from "../store/tile-index";
import type { Connection, Journey_Deserialize, Journey_Serialize, Position, Tile_Deserialize } from "../bindings";

type Journey = Journey_Serialize;
export type Patch = {
  head: Journey_Deserialize;
  tiles: Tile_Deserialize[];
  removed: string[];
  connections: Connection[] | null;
  placed: Record<string, Position>;
  unplaced: string[];
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
