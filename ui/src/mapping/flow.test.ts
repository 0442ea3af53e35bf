import { describe, expect, it } from "vitest";
import { catalog, journey } from "../test/fixtures";
import type { Journey } from "../ipc";
import { moveTiles, updateTile } from "../store/edits";
import { tileOutputs, tileSummary } from "../tiles/kinds";
import { connectionAllowed, fromEdge, toEdges, toNodes, updateNodes, type MapInput } from "./flow";

describe("toNodes", () => {
  it("maps each tile to a node with its kind, position and selection", () => {
    const nodes = toNodes(journey(), new Set(["v1"]));
    expect(nodes.map((n) => n.id)).toEqual(["start", "v1", "w1", "x1"]);
    expect(nodes.map((n) => n.data.kind)).toEqual(["start", "voiceConversation", "waitForTrigger", "exit"]);
    const voice = nodes[1]!;
    expect(voice.position).toEqual({ x: 300, y: 0 });
    expect(voice.selected).toBe(true);
    expect(nodes[0]!.deletable).toBe(false);
    // The height estimate before measuring counts the outputs (three for the wait).
    expect(nodes[2]!.initialHeight).toBeGreaterThan(nodes[3]!.initialHeight!);
  });
});

describe("what a drawn tile shows (tiles/kinds)", () => {
  it("gives its key settings and labelled outputs", () => {
    const doc = journey();
    const [, voice, wait, exit] = doc.tiles;
    expect(tileSummary(voice!, { doc, catalog })).toEqual(["Policy renewal calls", "Purpose: Promotions"]);
    expect(tileOutputs(wait!)).toEqual([
      { key: "a", label: "Attempted" },
      { key: "n", label: "Retry later" },
      { key: "other", label: "Other" },
    ]);
    expect(tileSummary(wait!, { doc, catalog })).toContain("Time limit: 7 days");
    expect(tileOutputs(exit!)).toEqual([]);
  });

  it("names a referenced tile by its name after a rename", () => {
    const doc = updateTile(journey(), "v1", (t) => ({ ...t, name: "Courtesy call" }));
    expect(tileSummary(doc.tiles[2]!, { doc, catalog })[0]).toBe("Watches: Courtesy call");
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

const inputOf = (doc: Journey, selected: string[] = []): MapInput => ({
  doc,
  selected: new Set(selected),
});

describe("updateNodes", () => {
  it("returns the same array when nothing drawn changed, keeping measurements", () => {
    const a = inputOf(journey());
    const first = updateNodes([], a, a).map((n) => ({ ...n, measured: { width: 244, height: 120 } }));
    // A new document object whose tiles and positions are the same ones.
    const b = inputOf({ ...a.doc, name: "Renamed journey" });
    expect(updateNodes(first, a, b)).toBe(first);
  });

  it("leaves the nodes alone when an edit changes only tiles' fields", () => {
    const a = inputOf(journey());
    const first = updateNodes([], a, a).map((n) => ({ ...n, measured: { width: 244, height: 120 } }));
    const b = inputOf(updateTile(a.doc, "x1", (t) => ({ ...t, name: "Finished" })));
    expect(updateNodes(first, a, b)).toBe(first);
  });

  it("moves and selects only the tiles concerned, and keeps a dragged tile where the pointer has it", () => {
    const a = inputOf(journey());
    const first = updateNodes([], a, a);
    first[2] = { ...first[2]!, dragging: true, position: { x: 333, y: 44 } };
    const b = inputOf(moveTiles(a.doc, { v1: { x: 10, y: 20 }, w1: { x: 1, y: 2 } }), ["x1"]);
    const next = updateNodes(first, a, b);
    expect(next[1]!.position).toEqual({ x: 10, y: 20 });
    expect(next[1]!.data).toBe(first[1]!.data);
    expect(next[2]!.position).toEqual({ x: 333, y: 44 });
    expect(next[3]!.selected).toBe(true);
    expect(next[0]).toBe(first[0]);
  });

  it("maps added tiles and drops removed ones", () => {
    const a = inputOf(journey());
    const first = updateNodes([], a, a);
    const doc = { ...a.doc, tiles: a.doc.tiles.filter((t) => t.id !== "w1") };
    const next = updateNodes(first, a, inputOf(doc));
    expect(next.map((n) => n.id)).toEqual(["start", "v1", "x1"]);
    expect(next[2]).toBe(first[3]);
    const back = updateNodes(next, inputOf(doc), a);
    expect(back.map((n) => n.id)).toEqual(["start", "v1", "w1", "x1"]);
    expect(back[2]!.data.kind).toBe("waitForTrigger");
    expect(back[3]).toBe(first[3]);
  });
});

describe("toEdges reuse", () => {
  it("keeps edge objects of untouched connections and the previous array when nothing changed", () => {
    const doc = journey();
    const first = toEdges(doc);
    expect(toEdges({ ...doc, tiles: [...doc.tiles] }, new Set(), first)).toBe(first);
    const id = first[0]!.id;
    const picked = toEdges(doc, new Set([id]), first);
    expect(picked[0]!.selected).toBe(true);
    expect(picked.slice(1).every((e, i) => e === first[i + 1])).toBe(true);
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
