import { describe, expect, it } from "vitest";
import type { Journey } from "../ipc";
import { journey } from "../test/fixtures";
import { branchOrder, inPort, outPort, tidyPositions, toElkGraph } from "./layout";

const size = () => ({ width: 224, height: 150 });

describe("tidy-up layout mapping", () => {
  it("gives each tile an input port west and its outputs east in branch order", () => {
    const g = toElkGraph(journey(), size);
    const wait = g.children?.find((c) => c.id === "w1");
    expect(wait?.layoutOptions?.["elk.portConstraints"]).toBe("FIXED_ORDER");
    expect(wait?.ports?.map((p) => [p.id, p.layoutOptions?.["elk.port.side"], p.layoutOptions?.["elk.port.index"]])).toEqual([
      [inPort("w1"), "WEST", "0"],
      [outPort("w1", "a"), "EAST", "0"],
      [outPort("w1", "n"), "EAST", "1"],
      [outPort("w1", "other"), "EAST", "2"],
    ]);
    // The start tile has no input.
    expect(g.children?.find((c) => c.id === "start")?.ports?.map((p) => p.id)).toEqual([outPort("start", "next")]);
    expect(g.layoutOptions?.["elk.direction"]).toBe("RIGHT");
    expect(g.layoutOptions?.["elk.layered.considerModelOrder.strategy"]).toBe("NODES_AND_EDGES");
  });

  it("feeds tiles and connections in branch order from the start tile", () => {
    const doc = journey();
    // Stored order scrambled: the mapping still follows the journey.
    const scrambled: Journey = { ...doc, tiles: [...doc.tiles].reverse(), connections: [...doc.connections].reverse() };
    expect(branchOrder(scrambled).map((t) => t.id)).toEqual(["start", "v1", "w1", "x1"]);
    const g = toElkGraph(scrambled, size);
    expect(g.edges?.map((e) => e.sources[0])).toEqual([outPort("start", "next"), outPort("v1", "next"), outPort("w1", "a"), outPort("w1", "other")]);
  });

  it("lays a journey out left to right with branches top to bottom in order", async () => {
    const doc = journey();
    const two: Journey = {
      ...doc,
      tiles: [...doc.tiles, { type: "exit", id: "x2", name: "" }, { type: "exit", id: "x3", name: "" }],
      connections: [
        ...doc.connections.filter((c) => c.from !== "w1"),
        { from: "w1", output: "a", to: "x3" },
        { from: "w1", output: "n", to: "x2" },
        { from: "w1", output: "other", to: "x1" },
      ],
    };
    const p = await tidyPositions(two, size);
    const x = (id: string) => p[id]?.x ?? NaN;
    const y = (id: string) => p[id]?.y ?? NaN;
    expect(x("start")).toBeLessThan(x("v1"));
    expect(x("v1")).toBeLessThan(x("w1"));
    expect(x("w1")).toBeLessThan(x("x1"));
    // Branch order: Attempted (a) above Retry later (n) above Other.
    expect(y("x3")).toBeLessThan(y("x2"));
    expect(y("x2")).toBeLessThan(y("x1"));
  });
});
