import { describe, expect, it } from "vitest";
import { journey } from "../test/fixtures";
import { addTile, connect, createBranchesAfterVoice, disconnect, moveItem, removeTiles, updateTile } from "./edits";

describe("document edits", () => {
  it("removing a tile removes its connections and position, never the start tile", () => {
    const doc = removeTiles(journey(), ["w1", "start"]);
    expect(doc.tiles.map((t) => t.id)).toEqual(["start", "v1", "x1"]);
    expect(doc.connections).toEqual([{ from: "start", output: "next", to: "v1" }]);
    expect(doc.layout.positions.w1).toBeUndefined();
  });

  it("an output leads to one tile: connecting again replaces the link", () => {
    let doc = addTile(journey(), { type: "exit", id: "x2", name: "" }, { x: 1, y: 2 });
    doc = connect(doc, { from: "w1", output: "a", to: "x2" });
    expect(doc.connections.filter((c) => c.from === "w1" && c.output === "a")).toEqual([{ from: "w1", output: "a", to: "x2" }]);
    expect(connect(doc, { from: "w1", output: "nope", to: "x2" })).toBe(doc);
    expect(connect(doc, { from: "v1", output: "next", to: "start" })).toBe(doc);
    expect(connect(doc, { from: "x2", output: "next", to: "x2" })).toBe(doc);
    expect(disconnect(doc, [{ from: "w1", output: "a", to: "x2" }]).connections).toHaveLength(3);
  });

  it("removing a branch drops the connection from its output", () => {
    const doc = updateTile(journey(), "w1", (t) => (t.type === "waitForTrigger" ? { ...t, branches: t.branches.slice(1) } : t));
    expect(doc.connections.some((c) => c.output === "a")).toBe(false);
    expect(doc.connections.some((c) => c.output === "other")).toBe(true);
  });

  it("Create branches adds a 7-day wait with attempted, not attempted and blocked", () => {
    const base = removeTiles(journey(), ["w1"]);
    const doc = createBranchesAfterVoice(base, "v1");
    const wait = doc.tiles.find((t) => t.type === "waitForTrigger");
    expect(wait).toMatchObject({
      condition: { kind: "previousMessage", tileId: "v1" },
      timeLimit: { amount: 7, unit: "days" },
    });
    if (wait?.type !== "waitForTrigger") throw new Error("no wait");
    expect(wait.branches.map((b) => b.interaction)).toEqual(["voiceCallAttempted", "voiceCallNotAttempted", "voiceCallBlocked"]);
    expect(doc.connections).toContainEqual({ from: "v1", output: "next", to: wait.id });
    expect(doc.layout.positions[wait.id]).toEqual({ x: 620, y: 0 });
  });

  it("reorders items", () => {
    expect(moveItem(["a", "b", "c"], 0, 1)).toEqual(["b", "a", "c"]);
    expect(moveItem(["a", "b"], 0, -1)).toEqual(["a", "b"]);
  });
});
