// Finding a tile by id without a search of every tile. An edit of one tile's fields gives a new
// tiles array with the same ids in the same order, so the index of the array before it is kept:
// a keystroke costs a reference walk over the tiles, never a map of all of them.
import type { Journey, Tile } from "../ipc";

const indexes = new WeakMap<readonly Tile[], ReadonlyMap<string, number>>();
/** The tiles array whose index was asked for last (the edit before the current one, usually). */
let lastTiles: readonly Tile[] | null = null;

/** Whether `a` and `b` have the same tile ids in the same order (shared tiles compare by reference). */
export function sameTileIds(a: readonly Tile[], b: readonly Tile[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y && x?.id !== y?.id) return false;
  }
  return true;
}

/** Each tile's position in `tiles`, by id; the same map while the ids and their order stay. */
export function tileIndex(tiles: readonly Tile[]): ReadonlyMap<string, number> {
  let index = indexes.get(tiles);
  if (!index) {
    const last = lastTiles && indexes.get(lastTiles);
    index = last && lastTiles && sameTileIds(lastTiles, tiles) ? last : new Map(tiles.map((t, i) => [t.id, i]));
    indexes.set(tiles, index);
  }
  lastTiles = tiles;
  return index;
}

/** The tile with this id, if the journey has it. */
export function tileById(doc: Journey, id: string | null | undefined): Tile | undefined {
  if (id === null || id === undefined) return undefined;
  const i = tileIndex(doc.tiles).get(id);
  return i === undefined ? undefined : doc.tiles[i];
}

/**
 * The tiles of `after` that are not the same object in `before`, when both have the same ids in
 * the same order (an edit of tiles' fields); `null` when tiles were added, removed or reordered.
 */
export function changedTiles(before: readonly Tile[], after: readonly Tile[]): Tile[] | null {
  if (before === after) return [];
  if (before.length !== after.length) return null;
  const changed: Tile[] = [];
  for (let i = 0; i < after.length; i++) {
    const x = before[i];
    const y = after[i];
    if (x === y || !y) continue;
    if (x?.id !== y.id) return null;
    changed.push(y);
  }
  return changed;
}
