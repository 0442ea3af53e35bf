// Which tiles and connections a comparison marks on the canvas: a pure mapping of the change
// list `journeys::diff` produced (through `compare_journeys`); no comparing happens here.
import { createContext, useContext } from "react";
import type { JourneyDiff } from "../../ipc";
import { edgeId } from "../../mapping/flow";

export type MarkKind = "added" | "removed" | "changed";

export type CompareMarks = {
  /** What the marks compare, e.g. "v1 → Draft". */
  title: string;
  tiles: Record<string, MarkKind>;
  edges: Record<string, MarkKind>;
};

/** Marks from a change list: a tile added or removed as such, any other change of a tile (a
 * field, a branch) as changed; connections by their edge id on the canvas. */
export function marksFromDiff(title: string, diff: JourneyDiff): CompareMarks {
  const tiles: Record<string, MarkKind> = {};
  const edges: Record<string, MarkKind> = {};
  for (const c of diff.changes) {
    if (c.subject === "tile" && c.tileId) {
      const whole = c.field === null || c.field === undefined;
      tiles[c.tileId] = whole ? c.kind : (tiles[c.tileId] ?? "changed");
    } else if (c.subject === "connection") {
      const conn = c.connectionAfter ?? c.connectionBefore;
      if (conn) edges[edgeId(conn)] = c.kind;
    }
  }
  return { title, tiles, edges };
}

export const CompareMarksContext = createContext<CompareMarks | null>(null);

export function useTileMark(tileId: string): MarkKind | null {
  return useContext(CompareMarksContext)?.tiles[tileId] ?? null;
}
