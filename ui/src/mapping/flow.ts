// Pure mapping between the journey document and React Flow nodes and edges.
import type { Edge, Node } from "@xyflow/react";
import { RULES, type Connection, type Journey, type Tile, type TileType } from "../ipc";
import { outputsOf, pointOf } from "../store/edits";
import { tileById, tileIndex } from "../store/tile-index";
import { kinds } from "../tiles/kinds";

/**
 * What React Flow holds of a tile: its kind. The tile's fields, title, summary, outputs and
 * problems are read by the drawn tile itself from the journey store (canvas/TileNode.tsx), so an
 * edit of a tile's fields leaves React Flow's nodes alone (handing it a new node array makes it
 * re-adopt every node: tens of ms at 10,000 tiles); only a move, a selection or an added or
 * removed tile gives it new nodes.
 */
export type TileNodeData = { kind: TileType };

export type TileNode = Node<TileNodeData, "tile">;

/** The drawn width of a tile (kept in step with `.tile` in styles.css). */
export const TILE_WIDTH = 224;

/** What the canvas's nodes are made from: the document and the selection. */
export type MapInput = {
  doc: Journey;
  selected: ReadonlySet<string>;
};

function positionOf(doc: Journey, id: string, i: number) {
  return pointOf(doc.layout.positions[id]) ?? { x: i * 40, y: i * 40 };
}

function toNode(tile: Tile, i: number, input: MapInput): TileNode {
  const outputs = outputsOf(tile).length;
  return {
    id: tile.id,
    type: "tile",
    position: positionOf(input.doc, tile.id, i),
    selected: input.selected.has(tile.id),
    deletable: tile.type !== "start",
    // An estimate until measured, so a big canvas can skip drawing off-screen tiles at once.
    initialWidth: TILE_WIDTH,
    initialHeight: 96 + (outputs ? 9 + outputs * 26 : 0),
    data: { kind: tile.type },
  };
}

export function toNodes(doc: Journey, selected: ReadonlySet<string>): TileNode[] {
  const input = { doc, selected };
  return doc.tiles.map((tile, i) => toNode(tile, i, input));
}

/**
 * The nodes for `next`, reusing every node of `prev` (mapped from `last`) whose tile id, kind,
 * place and selection did not change: an edit of tiles' fields costs a walk of reference
 * comparisons and returns `prev` itself. Places are read again only when the document's
 * positions changed. Keeps React Flow's measurements and a dragged node where the pointer has it.
 */
export function updateNodes(prev: readonly TileNode[], last: MapInput, next: MapInput): TileNode[] {
  const { doc } = next;
  const tiles = doc.tiles;
  // An unplaced tile is drawn by its index: a change of the tile count may move it.
  const placesSame = last.doc.layout.positions === doc.layout.positions && prev.length === tiles.length;
  const selectionSame = last.selected === next.selected;
  let byId: Map<string, TileNode> | null = null;
  let nodes: TileNode[] | null = prev.length === tiles.length ? null : [];
  tiles.forEach((tile, i) => {
    let old = prev[i];
    if (old?.id !== tile.id) {
      byId ??= new Map(prev.map((n) => [n.id, n]));
      old = byId.get(tile.id);
    }
    let node: TileNode;
    if (!old || old.data.kind !== tile.type) node = toNode(tile, i, next);
    else {
      const p = placesSame || old.dragging ? old.position : positionOf(doc, tile.id, i);
      const position = p.x === old.position.x && p.y === old.position.y ? old.position : p;
      const selected = selectionSame ? old.selected : next.selected.has(tile.id);
      node = position === old.position && selected === old.selected ? old : { ...old, position, selected };
    }
    if (nodes === null && node !== prev[i]) nodes = prev.slice(0, i);
    nodes?.push(node);
  });
  return nodes ?? (prev as TileNode[]);
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
  const tiles = tileIndex(doc.tiles);
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
  const target = tileById(doc, c.target);
  return !target || !(RULES.connections.noInput as readonly TileType[]).includes(target.type);
}

/** The connection an edge stands for. */
export function fromEdge(e: Pick<Edge, "source" | "sourceHandle" | "target">): Connection {
  return { from: e.source, output: e.sourceHandle ?? "next", to: e.target };
}

export const KIND_ORDER = Object.keys(kinds) as TileType[];
