import { describe, expect, it } from "vitest";
import { journey } from "../test/fixtures";
import { addTile, removeTiles, updateTile } from "./edits";
import { namedTiles } from "./problems";
import { changedTiles, sameTileIds, tileById, tileIndex } from "./tile-index";

describe("tile index", () => {
  it("finds tiles by id and keeps its map while the ids stay in order", () => {
    const doc = journey();
    const index = tileIndex(doc.tiles);
    expect(tileById(doc, "w1")).toBe(doc.tiles[2]);
    expect(tileById(doc, "gone")).toBeUndefined();
    expect(tileById(doc, null)).toBeUndefined();
    const edited = updateTile(doc, "v1", (t) => ({ ...t, name: "Call" }));
    expect(tileIndex(edited.tiles)).toBe(index);
    expect(tileById(edited, "v1")?.name).toBe("Call");
  });

  it("is made again when tiles are added, removed or reordered", () => {
    const doc = journey();
    const index = tileIndex(doc.tiles);
    const added = addTile(doc, { type: "exit", id: "x2", name: "" }, { x: 0, y: 0 });
    expect(tileIndex(added.tiles)).not.toBe(index);
    expect(tileById(added, "x2")?.id).toBe("x2");
    const removed = removeTiles(doc, ["w1"]);
    expect(tileById(removed, "x1")).toBe(doc.tiles[3]);
    expect(tileById(removed, "w1")).toBeUndefined();
    const [a, b, ...rest] = doc.tiles;
    const swapped = { ...doc, tiles: [b!, a!, ...rest] };
    expect(sameTileIds(doc.tiles, swapped.tiles)).toBe(false);
    expect(tileById(swapped, "start")).toBe(a);
  });

  it("names the tiles an edit of fields changed, or null when ids changed", () => {
    const doc = journey();
    const edited = updateTile(
      updateTile(doc, "v1", (t) => ({ ...t, name: "Call" })),
      "x1",
      (t) => ({ ...t, name: "End" }),
    );
    expect(changedTiles(doc.tiles, edited.tiles)?.map((t) => t.name)).toEqual(["Call", "End"]);
    expect(changedTiles(doc.tiles, doc.tiles)).toEqual([]);
    expect(changedTiles(doc.tiles, removeTiles(doc, ["w1"]).tiles)).toBeNull();
    const [a, b, ...rest] = doc.tiles;
    expect(changedTiles(doc.tiles, [b!, a!, ...rest])).toBeNull();
  });

  it("an update keeps the connections unless the tile's outputs changed", () => {
    const doc = journey();
    expect(updateTile(doc, "w1", (t) => ({ ...t, name: "Outcome" })).connections).toBe(doc.connections);
    const fewer = updateTile(doc, "w1", (t) => (t.type === "waitForTrigger" ? { ...t, branches: t.branches.slice(1) } : t));
    expect(fewer.connections).not.toBe(doc.connections);
    expect(fewer.connections.some((c) => c.from === "w1" && c.output === "a")).toBe(false);
    expect(fewer.connections).toHaveLength(doc.connections.length - 1);
    expect(updateTile(doc, "gone", (t) => t)).toBe(doc);
  });
});

describe("tiles as the Problems panel lists them", () => {
  it("stay the same array until a tile is renamed, added, removed or reordered", () => {
    const doc = journey();
    const listed = namedTiles(doc.tiles);
    const purpose = updateTile(doc, "v1", (t) => ({ ...t, purposeId: null }));
    expect(namedTiles(purpose.tiles)).toBe(listed);
    const renamed = updateTile(purpose, "v1", (t) => ({ ...t, name: "Call" }));
    expect(namedTiles(renamed.tiles)).toBe(renamed.tiles);
    expect(namedTiles(removeTiles(renamed, ["w1"]).tiles).map((t) => t.id)).toEqual(["start", "v1", "x1"]);
  });
});
