// Pure mapping between the journey document and React Flow nodes and edges.
import type { Edge, Node } from "@xyflow/react";
import { RULES, type Catalog, type Connection, type Diagnostic, type Journey, type Tile, type TileType } from "../ipc";
import { pointOf } from "../store/edits";
import { kinds, tileOutputs, tileSummary, tileTitle, type OutputSpec } from "../tiles/kinds";

export type TileNodeData = {
  tile: Tile;
  kind: TileType;
  title: string;
  summary: string[];
  outputs: OutputSpec[];
  errors: number;
  warnings: number;
};

export type TileNode = Node<TileNodeData, "tile">;

/** The drawn width of a tile (kept in step with `.tile` in styles.css). */
export const TILE_WIDTH = 224;

export type Counts = { errors: number; warnings: number };

export function countByTile(diagnostics: readonly Diagnostic[]): Map<string, Counts> {
  const out = new Map<string, Counts>();
  for (const d of diagnostics) {
    if (!d.tileId) continue;
    const c = out.get(d.tileId) ?? { errors: 0, warnings: 0 };
    if (d.severity === "error") c.errors += 1;
    else c.warnings += 1;
    out.set(d.tileId, c);
  }
  return out;
}

export function toNodes(doc: Journey, diagnostics: readonly Diagnostic[], catalog: Catalog, selected: ReadonlySet<string>): TileNode[] {
  const counts = countByTile(diagnostics);
  return doc.tiles.map((tile, i) => {
    const c = counts.get(tile.id) ?? { errors: 0, warnings: 0 };
    const outputs = tileOutputs(tile);
    return {
      id: tile.id,
      type: "tile",
      position: pointOf(doc.layout.positions[tile.id]) ?? { x: i * 40, y: i * 40 },
      selected: selected.has(tile.id),
      deletable: tile.type !== "start",
      // An estimate until measured, so a big canvas can skip drawing off-screen tiles at once.
      initialWidth: TILE_WIDTH,
      initialHeight: 96 + (outputs.length ? 9 + outputs.length * 26 : 0),
      data: {
        tile,
        kind: tile.type,
        title: tileTitle(tile),
        summary: tileSummary(tile, { doc, catalog }),
        outputs,
        errors: c.errors,
        warnings: c.warnings,
      },
    };
  });
}

export function edgeId(c: Connection): string {
  return `${c.from}:${c.output}->${c.to}`;
}

export function toEdges(doc: Journey): Edge[] {
  const tiles = new Map(doc.tiles.map((t) => [t.id, t]));
  return doc.connections
    .filter((c) => tiles.has(c.from) && tiles.has(c.to))
    .map((c) => ({
      id: edgeId(c),
      source: c.from,
      sourceHandle: c.output,
      target: c.to,
      targetHandle: "in",
      type: "smoothstep",
    }));
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

function sameData(a: TileNodeData, b: TileNodeData): boolean {
  return (
    a.tile === b.tile &&
    a.title === b.title &&
    a.errors === b.errors &&
    a.warnings === b.warnings &&
    a.summary.join("\n") === b.summary.join("\n") &&
    a.outputs.map((o) => `${o.key}=${o.label}`).join("\n") === b.outputs.map((o) => `${o.key}=${o.label}`).join("\n")
  );
}

/**
 * Merge freshly mapped nodes into the previous ones: keep React Flow's measurements, keep a
 * node being dragged where the pointer has it, and reuse unchanged node objects so memoised
 * tiles do not re-render.
 */
export function mergeNodes(prev: readonly TileNode[], next: readonly TileNode[]): TileNode[] {
  const byId = new Map(prev.map((n) => [n.id, n]));
  return next.map((n) => {
    const old = byId.get(n.id);
    if (!old) return n;
    const position = old.dragging ? old.position : n.position;
    const data = sameData(old.data, n.data) ? old.data : n.data;
    if (data === old.data && position.x === old.position.x && position.y === old.position.y && old.selected === n.selected) return old;
    return { ...old, data, position, selected: n.selected };
  });
}

export const KIND_ORDER = Object.keys(kinds) as TileType[];
