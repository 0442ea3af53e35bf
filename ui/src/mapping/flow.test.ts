import { describe, expect, it } from "vitest";
import { catalog, journey } from "../test/fixtures";
import { connectionAllowed, countByTile, fromEdge, mergeNodes, toEdges, toNodes } from "./flow";

describe("toNodes", () => {
  it("maps each tile to a node with its position, key settings and labelled outputs", () => {
    const nodes = toNodes(journey(), [], catalog, new Set(["v1"]));
    expect(nodes.map((n) => n.id)).toEqual(["start", "v1", "w1", "x1"]);
    const voice = nodes[1]!;
    expect(voice.position).toEqual({ x: 300, y: 0 });
    expect(voice.selected).toBe(true);
    expect(voice.data.summary).toEqual(["Policy renewal calls", "Purpose: Promotions"]);
    const wait = nodes[2]!;
    expect(wait.data.outputs).toEqual([
      { key: "a", label: "Attempted" },
      { key: "n", label: "Retry later" },
      { key: "other", label: "Other" },
    ]);
    expect(wait.data.summary).toContain("Time limit: 7 days");
    expect(nodes[3]!.data.outputs).toEqual([]);
    expect(nodes[0]!.deletable).toBe(false);
  });

  it("counts errors and warnings per tile, ignoring journey-level ones", () => {
    const d = (tileId: string | null, severity: "error" | "warning") => ({
      code: "journey.name-missing" as const,
      severity,
      tileId,
      path: null,
      message: "m",
    });
    const nodes = toNodes(journey(), [d("v1", "error"), d("v1", "warning"), d("w1", "warning"), d(null, "error")], catalog, new Set());
    expect(nodes[1]!.data).toMatchObject({ errors: 1, warnings: 1 });
    expect(nodes[2]!.data).toMatchObject({ errors: 0, warnings: 1 });
    expect(countByTile([d(null, "error")]).size).toBe(0);
  });
});

describe("edges", () => {
  it("round-trip to connections and drop links to missing tiles", () => {
    const doc = journey();
    doc.connections.push({ from: "w1", output: "n", to: "gone" });
    const edges = toEdges(doc);
    expect(edges).toHaveLength(4);
    expect(edges.map(fromEdge)).toEqual(journey().connections);
  });
});

describe("mergeNodes", () => {
  it("keeps measurements and unchanged node objects, and a dragged node's position", () => {
    const doc = journey();
    const first = toNodes(doc, [], catalog, new Set()).map((n) => ({ ...n, measured: { width: 244, height: 120 } }));
    first[1] = { ...first[1]!, dragging: true, position: { x: 333, y: 44 } };
    const next = toNodes(doc, [], catalog, new Set());
    const merged = mergeNodes(first, next);
    expect(merged[0]).toBe(first[0]);
    expect(merged[1]!.position).toEqual({ x: 333, y: 44 });
    expect(merged[2]!.measured).toEqual({ width: 244, height: 120 });
  });

  it("replaces the data of a changed tile", () => {
    const doc = journey();
    const first = toNodes(doc, [], catalog, new Set());
    const edited = { ...doc, tiles: doc.tiles.map((t) => (t.id === "x1" ? { ...t, name: "Finished" } : t)) };
    const merged = mergeNodes(first, toNodes(edited, [], catalog, new Set()));
    expect(merged[3]!.data.title).toBe("Finished");
    expect(merged[2]).toBe(first[2]);
  });
});

describe("connections the canvas refuses (Rust's designer_rules)", () => {
  const doc = journey();
  const start = doc.tiles.find((t) => t.type === "start")!;
  const other = doc.tiles.find((t) => t.type !== "start")!;
  it("refuses a connection into the start tile and one to the tile itself", () => {
    expect(connectionAllowed(doc, { source: other.id, target: start.id })).toBe(false);
    expect(connectionAllowed(doc, { source: other.id, target: other.id })).toBe(false);
  });
  it("allows a connection between two other tiles", () => {
    expect(connectionAllowed(doc, { source: start.id, target: other.id })).toBe(true);
  });
});
