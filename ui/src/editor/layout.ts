// Tidy up: the journey laid out left to right in branch order by ELK's layered algorithm. Each
// tile is a node with one input port (west) and its outputs as east ports in branch order
// (FIXED_ORDER: ELK numbers ports clockwise from the top-left, so index k is the k-th row from
// the top on the east side); tiles and connections are fed in branch order from the start
// tile and ELK keeps that order where it adds no crossings.
import type { ELK, ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import type { Journey, Tile } from "../ipc";
import { outputsOf, type Point } from "../store/edits";

export type Size = { width: number; height: number };

const ROOT_OPTIONS = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.spacing.nodeNode": "40",
  "elk.layered.spacing.nodeNodeBetweenLayers": "96",
  "elk.edgeRouting": "ORTHOGONAL",
};

export const inPort = (id: string) => `${id}:in`;
export const outPort = (id: string, output: string) => `${id}:out:${output}`;

/** Tiles in branch order: depth-first from the start tile, outputs in order; unreachable ones last. */
export function branchOrder(doc: Journey): Tile[] {
  const byId = new Map(doc.tiles.map((t) => [t.id, t]));
  const next = new Map<string, Map<string, string>>();
  for (const c of doc.connections) {
    const m = next.get(c.from) ?? new Map<string, string>();
    m.set(c.output, c.to);
    next.set(c.from, m);
  }
  const seen = new Set<string>();
  const order: Tile[] = [];
  const visit = (root: Tile) => {
    const stack = [root];
    while (stack.length) {
      const t = stack.pop();
      if (!t || seen.has(t.id)) continue;
      seen.add(t.id);
      order.push(t);
      const links = next.get(t.id);
      const children = outputsOf(t).flatMap((o) => {
        const to = links?.get(o);
        const tile = to ? byId.get(to) : undefined;
        return tile ? [tile] : [];
      });
      for (let i = children.length - 1; i >= 0; i--) {
        const c = children[i];
        if (c) stack.push(c);
      }
    }
  };
  const start = doc.tiles.find((t) => t.type === "start");
  if (start) visit(start);
  for (const t of doc.tiles) visit(t);
  return order;
}

/** The ELK graph of a journey; `sizeOf` gives each tile's drawn size. */
export function toElkGraph(doc: Journey, sizeOf: (t: Tile) => Size): ElkNode {
  const order = branchOrder(doc);
  const rank = new Map(order.map((t, i) => [t.id, i]));
  const children: ElkNode[] = order.map((t) => {
    const outputs = outputsOf(t);
    return {
      id: t.id,
      ...sizeOf(t),
      layoutOptions: { "elk.portConstraints": "FIXED_ORDER" },
      ports: [
        ...(t.type === "start" ? [] : [{ id: inPort(t.id), width: 1, height: 1, layoutOptions: { "elk.port.side": "WEST", "elk.port.index": "0" } }]),
        ...outputs.map((o, k) => ({
          id: outPort(t.id, o),
          width: 1,
          height: 1,
          layoutOptions: { "elk.port.side": "EAST", "elk.port.index": String(k) },
        })),
      ],
    };
  });
  const tiles = new Map(doc.tiles.map((t) => [t.id, t]));
  const outputIndex = (from: string, output: string) => {
    const t = tiles.get(from);
    return t ? outputsOf(t).indexOf(output) : -1;
  };
  const edges: ElkExtendedEdge[] = doc.connections
    .filter((c) => tiles.has(c.from) && tiles.has(c.to) && outputIndex(c.from, c.output) >= 0)
    .sort((a, b) => (rank.get(a.from) ?? 0) - (rank.get(b.from) ?? 0) || outputIndex(a.from, a.output) - outputIndex(b.from, b.output))
    .map((c) => ({ id: `${c.from}:${c.output}->${c.to}`, sources: [outPort(c.from, c.output)], targets: [inPort(c.to)] }));
  return { id: "journey", layoutOptions: ROOT_OPTIONS, children, edges };
}

/** New positions from a laid-out graph, rounded to whole pixels. */
export function positionsOf(graph: ElkNode): Record<string, Point> {
  const out: Record<string, Point> = {};
  for (const n of graph.children ?? []) out[n.id] = { x: Math.round(n.x ?? 0), y: Math.round(n.y ?? 0) };
  return out;
}

let elk: Promise<ELK> | null = null;

/** Lay the journey out; resolves to every tile's new position. ELK (1.4 MB) loads on first use. */
export async function tidyPositions(doc: Journey, sizeOf: (t: Tile) => Size): Promise<Record<string, Point>> {
  elk ??= import("elkjs/lib/elk.bundled.js").then((m) => new m.default());
  return positionsOf(await (await elk).layout(toElkGraph(doc, sizeOf)));
}
