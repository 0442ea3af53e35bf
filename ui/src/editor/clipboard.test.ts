import { describe, expect, it } from "vitest";
import type { Journey, Tile, TileOf } from "../ipc";
import { journey } from "../test/fixtures";
import { FRAGMENT_TYPE, pasteInto, remapFragment, toFragment } from "./clipboard";

function withBranch(): Journey {
  const doc = journey();
  const branch: Tile = {
    type: "attributeBranch",
    id: "ab1",
    name: "Outcome",
    source: { kind: "voiceCall", tileId: "v1" },
    branches: [{ id: "yes", name: "Yes", conditions: [] } as unknown as TileOf<"attributeBranch">["branches"][number]],
  };
  return {
    ...doc,
    tiles: [...doc.tiles, branch],
    connections: [...doc.connections, { from: "w1", output: "n", to: "ab1" }, { from: "ab1", output: "yes", to: "x1" }],
    layout: { positions: { ...doc.layout.positions, ab1: { x: 900, y: 200 } } },
  };
}

describe("clipboard fragments", () => {
  it("copies the selected tiles with only the connections among them, never the start tile", () => {
    const f = toFragment(journey(), ["start", "v1", "w1"]);
    expect(f?.type).toBe(FRAGMENT_TYPE);
    expect(f?.version).toBe(1);
    expect(f?.tiles.map((t) => t.id)).toEqual(["v1", "w1"]);
    expect(f?.connections).toEqual([{ from: "v1", output: "next", to: "w1" }]);
    expect(Object.keys(f?.positions ?? {})).toEqual(["v1", "w1"]);
    expect(toFragment(journey(), ["start"])).toBeNull();
  });

  it("gives pasted tiles and branches new ids and moves references and connections with them", () => {
    const doc = withBranch();
    const f = toFragment(doc, ["v1", "w1", "ab1", "x1"]);
    if (!f) throw new Error("no fragment");
    const r = remapFragment(f);
    const oldIds = new Set(doc.tiles.map((t) => t.id));
    for (const t of r.tiles) expect(oldIds.has(t.id)).toBe(false);
    const v = r.ids.get("v1");
    const wait = r.tiles.find((t) => t.type === "waitForTrigger");
    const branch = r.tiles.find((t) => t.type === "attributeBranch");
    if (wait?.type !== "waitForTrigger" || branch?.type !== "attributeBranch") throw new Error("tiles lost");
    expect(wait.condition).toEqual({ kind: "previousMessage", tileId: v });
    expect(branch.source).toEqual({ kind: "voiceCall", tileId: v });
    // Branch ids are outputs: new ones, and the connections from them follow.
    const retry = wait.branches.find((b) => b.name === "Retry later");
    expect(retry?.id).not.toBe("n");
    expect(r.connections).toContainEqual({ from: wait.id, output: retry?.id, to: branch.id });
    const yes = branch.branches[0];
    expect(r.connections).toContainEqual({ from: branch.id, output: yes?.id, to: r.ids.get("x1") });
    expect(r.connections).toContainEqual({ from: r.ids.get("v1"), output: "next", to: wait.id });
    expect(r.connections).toHaveLength(f.connections.length);
  });

  it("clears references to tiles left behind, so validation reports them", () => {
    const doc = withBranch();
    const f = toFragment(doc, ["w1", "ab1"]);
    if (!f) throw new Error("no fragment");
    const r = remapFragment(f);
    const wait = r.tiles.find((t) => t.type === "waitForTrigger");
    const branch = r.tiles.find((t) => t.type === "attributeBranch");
    expect(wait?.type === "waitForTrigger" && wait.condition).toEqual({ kind: "previousMessage", tileId: null });
    expect(branch?.type === "attributeBranch" && branch.source).toEqual({ kind: "voiceCall", tileId: null });
  });

  it("pastes at a point keeping the arrangement, and twice gives two independent copies", () => {
    const doc = journey();
    const f = toFragment(doc, ["v1", "w1"]);
    if (!f) throw new Error("no fragment");
    const once = pasteInto(doc, f, { x: 100, y: 500 });
    const twice = pasteInto(once.doc, f, null);
    expect(once.doc.tiles).toHaveLength(doc.tiles.length + 2);
    expect(twice.doc.tiles).toHaveLength(doc.tiles.length + 4);
    expect(new Set(twice.doc.tiles.map((t) => t.id)).size).toBe(twice.doc.tiles.length);
    const [a, b] = once.ids;
    expect(once.doc.layout.positions[a ?? ""]).toEqual({ x: 100, y: 500 });
    expect(once.doc.layout.positions[b ?? ""]).toEqual({ x: 400, y: 500 });
    // Without a point: offset from where they were copied.
    expect(twice.doc.layout.positions[twice.ids[0] ?? ""]).toEqual({ x: 340, y: 40 });
    // The original is untouched.
    expect(doc).toEqual(journey());
  });
});
