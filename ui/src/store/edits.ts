// Pure document edits. Each returns a new document and never mutates its input.
import type { Connection, Journey, Tile } from "../ipc";
import { tileIndex } from "./tile-index";

export type Point = { x: number; y: number };

/** A stored position as a point (the generated type allows null: JSON has no NaN). */
export function pointOf(p: { x: number | null; y: number | null } | undefined): Point | null {
  return p ? { x: p.x ?? 0, y: p.y ?? 0 } : null;
}

export function newId(prefix: string): string {
  const bytes = new Uint8Array(4);
  crypto.getRandomValues(bytes);
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export function outputsOf(tile: Tile): string[] {
  switch (tile.type) {
    case "start":
    case "voiceConversation":
    case "waitTime":
      return ["next"];
    case "waitForTrigger":
    case "attributeBranch":
      return [...tile.branches.map((b) => b.id), "other"];
    case "exit":
      return [];
  }
}

export function addTile(doc: Journey, tile: Tile, at: Point): Journey {
  return {
    ...doc,
    tiles: [...doc.tiles, tile],
    layout: { positions: { ...doc.layout.positions, [tile.id]: at } },
  };
}

export function updateTile(doc: Journey, id: string, update: (t: Tile) => Tile): Journey {
  const i = tileIndex(doc.tiles).get(id);
  const old = i === undefined ? undefined : doc.tiles[i];
  if (i === undefined || !old) return doc;
  const updated = update(old);
  const tiles = doc.tiles.slice();
  tiles[i] = updated;
  // Connections from outputs that no longer exist (a removed branch) go too.
  const before = outputsOf(old);
  const outputs = outputsOf(updated);
  if (outputs.length === before.length && outputs.every((o, k) => o === before[k])) return { ...doc, tiles };
  const kept = new Set(outputs);
  const connections = doc.connections.filter((c) => c.from !== id || kept.has(c.output));
  return { ...doc, tiles, connections: connections.length === doc.connections.length ? doc.connections : connections };
}

export function removeTiles(doc: Journey, ids: readonly string[]): Journey {
  const gone = new Set(ids.filter((id) => doc.tiles.find((t) => t.id === id)?.type !== "start"));
  if (gone.size === 0) return doc;
  const positions = { ...doc.layout.positions };
  for (const id of gone) delete positions[id];
  return {
    ...doc,
    tiles: doc.tiles.filter((t) => !gone.has(t.id)),
    connections: doc.connections.filter((c) => !gone.has(c.from) && !gone.has(c.to)),
    layout: { positions },
  };
}

export function moveTiles(doc: Journey, moves: Record<string, Point>): Journey {
  return { ...doc, layout: { positions: { ...doc.layout.positions, ...moves } } };
}

/** Connect an output to a tile; an output leads to one tile, so an earlier link is replaced. */
export function connect(doc: Journey, link: Connection): Journey {
  if (link.from === link.to) return doc;
  const from = doc.tiles.find((t) => t.id === link.from);
  const to = doc.tiles.find((t) => t.id === link.to);
  if (!from || !to || to.type === "start" || !outputsOf(from).includes(link.output)) return doc;
  const connections = doc.connections.filter((c) => !(c.from === link.from && c.output === link.output));
  return { ...doc, connections: [...connections, link] };
}

export function disconnect(doc: Journey, links: readonly Connection[]): Journey {
  const key = (c: Connection) => `${c.from}\u0000${c.output}\u0000${c.to}`;
  const gone = new Set(links.map(key));
  return { ...doc, connections: doc.connections.filter((c) => !gone.has(key(c))) };
}

export function moveItem<T>(items: readonly T[], index: number, delta: -1 | 1): T[] {
  const target = index + delta;
  if (target < 0 || target >= items.length) return [...items];
  const copy = [...items];
  const [item] = copy.splice(index, 1);
  if (item !== undefined) copy.splice(target, 0, item);
  return copy;
}

/**
 * The "Create branches" convenience of a voice tile (domain D9): a wait for trigger watching
 * the call, with Attempted / Not attempted / Blocked branches and a 7-day time limit, placed to
 * the right and connected from the voice tile's output.
 */
export function createBranchesAfterVoice(doc: Journey, voiceId: string): Journey {
  const voice = doc.tiles.find((t) => t.id === voiceId);
  if (!voice || voice.type !== "voiceConversation") return doc;
  const at = pointOf(doc.layout.positions[voiceId]) ?? { x: 0, y: 0 };
  const wait: Tile = {
    type: "waitForTrigger",
    id: newId("wait"),
    name: "Call outcome",
    condition: { kind: "previousMessage", tileId: voiceId },
    branches: [
      { id: newId("b"), name: "Attempted", interaction: "voiceCallAttempted", conditions: [] },
      { id: newId("b"), name: "Not attempted", interaction: "voiceCallNotAttempted", conditions: [] },
      { id: newId("b"), name: "Blocked", interaction: "voiceCallBlocked", conditions: [] },
    ],
    timeLimit: { amount: 7, unit: "days" },
  };
  const withWait = addTile(doc, wait, { x: at.x + 320, y: at.y });
  return connect(withWait, { from: voiceId, output: "next", to: wait.id });
}
