// The journey's problems kept by tile, updated from the validator's deltas (`validate_edit`
// answers only the tiles whose problems changed). A tile's list keeps its identity while its
// problems do not change, so a component that reads one tile's problems renders again only
// when they change.
import type { Diagnostic, ProblemsUpdate, Tile, TileProblems } from "../ipc";

export type Problems = {
  /** Problems of each tile that has some, in the validator's order. */
  readonly byTile: ReadonlyMap<string, readonly Diagnostic[]>;
  /** Problems of the journey itself (no tile). */
  readonly journey: readonly Diagnostic[];
  readonly errors: number;
  readonly warnings: number;
};

const NONE: readonly Diagnostic[] = [];

export const NO_PROBLEMS: Problems = { byTile: new Map(), journey: NONE, errors: 0, warnings: 0 };

function errorsIn(list: readonly Diagnostic[]): number {
  let n = 0;
  for (const d of list) if (d.severity === "error") n += 1;
  return n;
}

/** `p` with the validator's answer applied: everything replaced, or only the tiles named. */
export function applyProblems(p: Problems, update: ProblemsUpdate): Problems {
  if (!update.complete && update.tiles.length === 0) return p;
  const byTile = update.complete ? new Map<string, readonly Diagnostic[]>() : new Map(p.byTile);
  let journey = update.complete ? NONE : p.journey;
  let errors = update.complete ? 0 : p.errors;
  let warnings = update.complete ? 0 : p.warnings;
  for (const { tileId, diagnostics } of update.tiles) {
    const old = tileId === null ? journey : (byTile.get(tileId) ?? NONE);
    const oldErrors = errorsIn(old);
    errors -= oldErrors;
    warnings -= old.length - oldErrors;
    const list = diagnostics.length ? diagnostics : NONE;
    const newErrors = errorsIn(list);
    errors += newErrors;
    warnings += list.length - newErrors;
    if (tileId === null) journey = list;
    else if (list.length) byTile.set(tileId, list);
    else byTile.delete(tileId);
  }
  return { byTile, journey, errors, warnings };
}

/** A flat list grouped by tile, as the validator answers for a whole journey. */
export function groupByTile(list: readonly Diagnostic[]): TileProblems[] {
  const groups = new Map<string | null, Diagnostic[]>();
  for (const d of list) {
    const group = groups.get(d.tileId);
    if (group) group.push(d);
    else groups.set(d.tileId, [d]);
  }
  return Array.from(groups, ([tileId, diagnostics]) => ({ tileId, diagnostics }));
}

/** Problems from a flat list (a refused publish names them all). */
export function problemsOf(list: readonly Diagnostic[]): Problems {
  return applyProblems(NO_PROBLEMS, { complete: true, tiles: groupByTile(list) });
}

/** The problems of a tile (`null`: of the journey itself); the same empty list when none. */
export function problemsOfTile(p: Problems, tileId: string | null): readonly Diagnostic[] {
  return tileId === null ? p.journey : (p.byTile.get(tileId) ?? NONE);
}

/** Every problem: the journey's own, then each tile's in the order of `tiles`. */
export function listProblems(p: Problems, tiles: readonly { id: string }[]): Diagnostic[] {
  const out = [...p.journey];
  if (p.byTile.size === 0) return out;
  for (const t of tiles) {
    const own = p.byTile.get(t.id);
    if (own) out.push(...own);
  }
  // Problems of tiles no longer in the document (a reference the validator still names).
  if (out.length < p.errors + p.warnings) {
    const ids = new Set(tiles.map((t) => t.id));
    for (const [id, own] of p.byTile) if (!ids.has(id)) out.push(...own);
  }
  return out;
}

/** The last tiles array asked for and the array `namedTiles` answered for it. */
let named: { tiles: readonly Tile[]; answer: readonly Tile[] } | null = null;

/**
 * `tiles`, or an earlier array with the same ids, names and kinds in the same order: what the
 * Problems panel lists by (where each problem is), so an edit of other fields does not list
 * every problem again.
 */
export function namedTiles(tiles: readonly Tile[]): readonly Tile[] {
  if (named?.tiles === tiles) return named.answer;
  const earlier = named?.answer;
  const same =
    earlier !== undefined &&
    earlier.length === tiles.length &&
    tiles.every((t, i) => {
      const o = earlier[i];
      return o === t || (o !== undefined && o.id === t.id && o.name === t.name && o.type === t.type);
    });
  named = { tiles, answer: same ? earlier : tiles };
  return named.answer;
}
