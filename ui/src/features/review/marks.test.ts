import { describe, expect, it } from "vitest";
import type { JourneyDiff } from "../../ipc";
import { marksFromDiff } from "./marks";

type Change = JourneyDiff["changes"][number];

const change = (c: Partial<Change>): Change => ({
  subject: "tile",
  kind: "changed",
  tileId: null,
  tileType: null,
  tileName: null,
  field: null,
  before: null,
  after: null,
  connectionBefore: null,
  connectionAfter: null,
  sentence: "",
  ...c,
});

describe("marksFromDiff", () => {
  it("marks whole tiles as added or removed, field changes as changed, and connections by edge id", () => {
    const marks = marksFromDiff("v1 → Draft", {
      changes: [
        change({ tileId: "wait", field: "timeLimit" }),
        change({ tileId: "new", kind: "added" }),
        change({ tileId: "gone", kind: "removed" }),
        change({ subject: "connection", kind: "added", tileId: "new", connectionAfter: { from: "new", output: "next", to: "wait" } }),
        change({ subject: "journey", field: "name" }),
      ],
    });
    expect(marks.tiles).toEqual({ wait: "changed", new: "added", gone: "removed" });
    expect(marks.edges).toEqual({ "new:next->wait": "added" });
    expect(marks.title).toBe("v1 → Draft");
  });
});
