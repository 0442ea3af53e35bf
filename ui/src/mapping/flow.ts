// Pure mapping between the journey document and React Flow nodes and edges.
import type { Edge, Node } from "@xyflow/react";
import { RULES, type Catalog, type Connection, type Journey, type Tile, type TileType } from "../ipc";
import { pointOf } from "../store/edits";
import { kinds, tileOutputs, tileSummary, tileTitle, type OutputSpec } from "../tiles/kinds";

export type TileNodeData = {
  tile: Tile;
  kind: TileType;
  title: string;
  summary: string[];
  outputs: OutputSpec[];
};

export type TileNode = Node<TileNodeData, "tile">;

/** The drawn width of a tile (kept in step with `.tile` in styles.css). */
export const TILE_WIDTH = 224;

/**
 * What the canvas's nodes are made from: the document, the catalog, the selection. A tile's
 * problem badge is not in its node: the tile reads it from the store's problems by tile, so
 * a validation that changes one tile's problems redraws that tile and leaves React Flow alone.
 */
export type MapInput = {
  doc: Journey;
  catalog: Catalog;
  selected: ReadonlySet<string>;
};

function positionOf(doc: Journey, id: string, i: number) {
  return pointOf(doc.layout.positions[id]) ?? { x: i * 40, y: i * 40 };
}

function dataOf(tile: Tile, { doc, catalog }: MapInput): TileNodeData {
  return {
    tile,
    kind: tile.type,
    title: tileTitle(tile),
    summary: tileSummary(tile, { doc, catalog }),
    outputs: tileOutputs(tile),
  };
}

function toNode(tile: Tile, i: number, input: MapInput): TileNode {
  const data = dataOf(tile, input);
  return {
    id: tile.id,
    type: "tile",
    position: positionOf(input.doc, tile.id, i),
    selected: input.selected.has(tile.id),
    deletable: tile.type !== "start",
    // An estimate until measured, so a big canvas can skip drawing off-screen tiles at once.
    initialWidth: TILE_WIDTH,
    initialHeight: 96 + (data.outputs.length ? 9 + data.outputs.length * 26 : 0),
    data,
  };
}

export function toNodes(doc: Journey, catalog: Catalog, selected: ReadonlySet<string>): TileNode[] {
  const input = { doc, catalog, selected };
  return doc.tiles.map((tile, i) => toNode(tile, i, input));
}

/**
 * Kinds whose summary reads the journey beyond the tile itself (its time zone, the names of
 * the tiles it refers to); the others read only their tile and the catalog (tiles/kinds.ts).
 */
const SUMMARY_READS_JOURNEY: ReadonlySet<TileType> = new Set<TileType>(["start", "waitForTrigger", "attributeBranch"]);

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}

/** Whether any tile was added, removed, reordered, renamed or changed kind from `a` to `b`. */
function namesChanged(a: Journey, b: Journey): boolean {
  if (a.tiles === b.tiles) return false;
  if (a.tiles.length !== b.tiles.length) return true;
  return b.tiles.some((t, i) => {
    const o = a.tiles[i];
    return o !== t && (!o || o.id !== t.id || o.name !== t.name || o.type !== t.type);
  });
}

/**
 * The nodes for `next`, reusing every node of `prev` (mapped from `last`) whose tile, place
 * and selection did not change: the document shares untouched tiles, so an
 * edit costs one reference comparison per tile, and memoised tiles whose node is the same
 * object do not render again. Keeps React Flow's measurements and a dragged node where the
 * pointer has it. Returns `prev` itself when nothing changed.
 */
export function updateNodes(prev: readonly TileNode[], last: MapInput, next: MapInput): TileNode[] {
  const { doc } = next;
  const catalogSame = last.catalog === next.catalog;
  const journeySame = catalogSame && last.doc.timeZone === doc.timeZone && !namesChanged(last.doc, doc);
  let byId: Map<string, TileNode> | null = null;
  let changed = prev.length !== doc.tiles.length;
  const nodes = doc.tiles.map((tile, i) => {
    let old = prev[i];
    if (old?.id !== tile.id) {
      byId ??= new Map(prev.map((n) => [n.id, n]));
      old = byId.get(tile.id);
      changed = true;
    }
    if (!old) return toNode(tile, i, next);
    let data = old.data;
    if (data.tile !== tile) data = dataOf(tile, next);
    else if (!catalogSame || (!journeySame && SUMMARY_READS_JOURNEY.has(tile.type))) {
      const summary = tileSummary(tile, { doc, catalog: next.catalog });
      if (!sameLines(summary, data.summary)) data = { ...data, summary };
    }
    const p = old.dragging ? old.position : positionOf(doc, tile.id, i);
    const position = p.x === old.position.x && p.y === old.position.y ? old.position : p;
    const selected = next.selected.has(tile.id);
    if (data === old.data && position === old.position && selected === old.selected) return old;
    changed = true;
    return { ...old, data, position, selected };
  });
  return changed ? nodes : (prev as TileNode[]);
}

export function edgeId(c: Connection): string {
  return `${c.from}:${c.output}->${c.to}`;
}

/** Edge objects by the connection they draw (connections are immutable and shared between versions). */
const plainEdges = new WeakMap<Connection, Edge>();
const selectedEdges = new WeakMap<Edge, Edge>();
const NO_IDS: ReadonlySet<string> = new Set();

/**
 * The edges of the document's connections between existing tiles, `selected` marked. The same
 * connection always gives the same edge object, and `prev` itself comes back when no edge
 * changed, so an edit that leaves the connections alone costs React Flow nothing.
 */
export function toEdges(doc: Journey, selected: ReadonlySet<string> = NO_IDS, prev: readonly Edge[] = []): Edge[] {
  const tiles = new Set(doc.tiles.map((t) => t.id));
  const edges: Edge[] = [];
  for (const c of doc.connections) {
    if (!tiles.has(c.from) || !tiles.has(c.to)) continue;
    let e = plainEdges.get(c);
    if (!e) {
      e = { id: edgeId(c), source: c.from, sourceHandle: c.output, target: c.to, targetHandle: "in", type: "smoothstep" };
      plainEdges.set(c, e);
    }
    if (selected.has(e.id)) {
      const plain = e;
      e = selectedEdges.get(plain) ?? { ...plain, selected: true };
      selectedEdges.set(plain, e);
    }
    edges.push(e);
  }
  return edges.length === prev.length && edges.every((e, i) => e === prev[i]) ? (prev as Edge[]) : edges;
}

/** Whether the canvas lets the marketer draw this connection (Rust's `designer_rules`). */
export function connectionAllowed(doc: Journey, c: { source: string; target: string }): boolean {
  if (!RULES.connections.toItself && c.source === c.target) return false;
  const target = doc.tiles.find((t) => t.id === c.target);
  return !target || !(RULES.connections.noInput as readonly TileType[]).includes(target.type);
}

/** The connection an edge stands for. */
export function fromEdge(e: Pick<Edge, "source" | "sourceHandle" | "target">): Connection {
  return { from: e.source, output: e.sourceHandle ?? "next", to: e.target };
}

export const KIND_ORDER = Object.keys(kinds) as TileType[];
