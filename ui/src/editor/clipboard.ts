// Copy and paste of tiles as journey JSON: a fragment with a type tag and the schema version,
// the tiles (never the start tile), the connections among them and their positions. Reading a
// pasted fragment is Rust's (`parse_fragment` checks it against the document schema); giving
// the pasted tiles new ids, and their references with them, is the editor's.
import type { Connection, Fragment, Journey, Tile } from "../ipc";
import { newId, pointOf, type Point } from "../store/edits";

export const FRAGMENT_TYPE = "switchboard/tiles";

export type { Fragment };

/** The selected tiles as a fragment, with only the connections whose both ends are selected. */
export function toFragment(doc: Journey, ids: readonly string[]): Fragment | null {
  const wanted = new Set(ids);
  const tiles = doc.tiles.filter((t) => wanted.has(t.id) && t.type !== "start");
  if (tiles.length === 0) return null;
  const kept = new Set(tiles.map((t) => t.id));
  const positions: Record<string, Point> = {};
  for (const t of tiles) {
    const p = pointOf(doc.layout.positions[t.id]);
    if (p) positions[t.id] = p;
  }
  return {
    type: FRAGMENT_TYPE,
    version: doc.schemaVersion,
    tiles,
    connections: doc.connections.filter((c) => kept.has(c.from) && kept.has(c.to)),
    positions,
  };
}

const PREFIX: Record<Tile["type"], string> = {
  start: "start",
  voiceConversation: "voice",
  waitForTrigger: "wait",
  attributeBranch: "branch",
  waitTime: "waitTime",
  exit: "exit",
};

/** A tile id referenced from inside the fragment follows to its new id; one left behind is cleared. */
function follow(ids: ReadonlyMap<string, string>, ref: string | null): string | null {
  return ref === null ? null : (ids.get(ref) ?? null);
}

/**
 * Give every tile and branch of the fragment a new id and rewrite every reference through the
 * same map: connections, outputs (branch ids), a wait's watched message and an attribute
 * branch's voice tile. A reference to a tile outside the fragment is cleared, so validation
 * reports it instead of it silently pointing at the original.
 */
export function remapFragment(fragment: Pick<Fragment, "tiles" | "connections" | "positions">): {
  tiles: Tile[];
  connections: Connection[];
  positions: Record<string, Point>;
  ids: Map<string, string>;
} {
  const ids = new Map(fragment.tiles.map((t) => [t.id, newId(PREFIX[t.type])]));
  const outputs = new Map<string, string>();
  const branchId = (old: string) => {
    const fresh = newId("b");
    outputs.set(old, fresh);
    return fresh;
  };
  const tiles = fragment.tiles.map((t): Tile => {
    const id = ids.get(t.id) ?? t.id;
    switch (t.type) {
      case "start":
      case "voiceConversation":
      case "waitTime":
      case "exit":
        return { ...t, id };
      case "waitForTrigger":
        return {
          ...t,
          id,
          condition: t.condition?.kind === "previousMessage" ? { ...t.condition, tileId: follow(ids, t.condition.tileId) } : t.condition,
          branches: t.branches.map((b) => ({ ...b, id: branchId(`${t.id}\u0000${b.id}`) })),
        };
      case "attributeBranch":
        return {
          ...t,
          id,
          source: t.source && t.source.kind !== "contact" ? { ...t.source, tileId: follow(ids, t.source.tileId) } : t.source,
          branches: t.branches.map((b) => ({ ...b, id: branchId(`${t.id}\u0000${b.id}`) })),
        };
    }
  });
  const connections = fragment.connections.flatMap((c): Connection[] => {
    const from = ids.get(c.from);
    const to = ids.get(c.to);
    if (!from || !to) return [];
    const output = outputs.get(`${c.from}\u0000${c.output}`) ?? c.output;
    return [{ from, output, to }];
  });
  const positions: Record<string, Point> = {};
  for (const [old, stored] of Object.entries(fragment.positions)) {
    const id = ids.get(old);
    const p = pointOf(stored);
    if (id && p) positions[id] = p;
  }
  return { tiles, connections, positions, ids };
}

/**
 * Add remapped tiles to a journey, moved so their top-left corner is at `at` (or offset from
 * where they were copied when `at` is null), keeping their arrangement.
 */
export function pasteInto(doc: Journey, fragment: Pick<Fragment, "tiles" | "connections" | "positions">, at: Point | null): { doc: Journey; ids: string[] } {
  const r = remapFragment(fragment);
  const points = r.tiles.map((t, i) => r.positions[t.id] ?? { x: i * 260, y: 0 });
  const minX = Math.min(...points.map((p) => p.x));
  const minY = Math.min(...points.map((p) => p.y));
  const dx = at ? at.x - minX : 40;
  const dy = at ? at.y - minY : 40;
  const positions = { ...doc.layout.positions };
  r.tiles.forEach((t, i) => {
    const p = points[i] ?? { x: 0, y: 0 };
    positions[t.id] = { x: Math.round(p.x + dx), y: Math.round(p.y + dy) };
  });
  return {
    doc: {
      ...doc,
      tiles: [...doc.tiles, ...r.tiles],
      connections: [...doc.connections, ...r.connections],
      layout: { positions },
    },
    ids: r.tiles.map((t) => t.id),
  };
}
