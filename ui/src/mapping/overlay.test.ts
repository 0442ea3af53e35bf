import { describe, expect, it } from "vitest";
import type { Journey, TileCounts } from "../ipc";
import { journey } from "../test/fixtures";
import { edgeId } from "./flow";
import { blockLabel, overlayFromCounts } from "./overlay";

function counts(partial: Partial<TileCounts>): TileCounts {
  return {
    entered: 0,
    waiting: 0,
    held: 0,
    sent: 0,
    blocked: {},
    attempted: {},
    notAttempted: {},
    branches: {},
    dispositions: {},
    completed: 0,
    ...partial,
  };
}

function doc(): Journey {
  const d = journey();
  return {
    ...d,
    tiles: [
      ...d.tiles.filter((t) => t.type !== "attributeBranch"),
      {
        type: "waitForTrigger",
        id: "w",
        name: "",
        condition: { kind: "previousMessage", tileId: "v1" },
        timeLimit: { amount: 7, unit: "days" },
        branches: [
          { id: "att", name: "Attempted", interaction: "voiceCallAttempted" },
          { id: "blk", name: "Blocked", interaction: "voiceCallBlocked" },
        ],
      } as unknown as Journey["tiles"][number],
    ],
    connections: [
      { from: "start", output: "next", to: "v1" },
      { from: "v1", output: "next", to: "w" },
    ],
  };
}

describe("overlayFromCounts", () => {
  it("maps counts to tile lines, outputs and edge labels", () => {
    const d = doc();
    const o = overlayFromCounts(
      d,
      {
        start: counts({ entered: 20 }),
        v1: counts({
          entered: 20,
          held: 3,
          sent: 12,
          blocked: { CONSENT_PURPOSE_OPTED_OUT: 4, QUIET_TIME_NO_WINDOW: 1 },
          attempted: { LiveAnswer: 7, Voicemail: 2 },
          notAttempted: { NoAnswer: 3 },
        }),
        w: counts({ entered: 17, waiting: 5, branches: { att: 9, blk: 3 } }),
      },
      "Live · v1",
    );
    expect(o.title).toBe("Live · v1");
    const v1 = o.tiles.v1!;
    expect(v1.entered).toBe(20);
    expect(v1.lines.map((l) => [l.key, l.value])).toEqual([
      ["held", 3],
      ["sent", 12],
      ["attempted", 9],
      ["notAttempted", 3],
      ["blocked", 5],
      ["blocked:CONSENT_PURPOSE_OPTED_OUT", 4],
      ["blocked:QUIET_TIME_NO_WINDOW", 1],
    ]);
    expect(v1.lines.find((l) => l.key === "attempted")?.detail).toBe("LiveAnswer 7 · Voicemail 2");
    expect(v1.lines.find((l) => l.key.startsWith("blocked:"))).toMatchObject({ label: "opted out (purpose)", sub: true });
    // A single-output tile passes on everyone not still on it: 20 − 3 held.
    expect(v1.outputs.next).toBe(17);
    expect(o.edges[edgeId({ from: "v1", output: "next", to: "w" })]).toBe(17);
    expect(o.edges[edgeId({ from: "start", output: "next", to: "v1" })]).toBe(20);
    // Branching tiles report their branches as counted; zero lines are left out.
    expect(o.tiles.w!.outputs).toEqual({ att: 9, blk: 3 });
    expect(o.tiles.w!.lines.map((l) => l.key)).toEqual(["waiting"]);
  });

  it("leaves tiles without counts and unconnected outputs alone", () => {
    const o = overlayFromCounts(doc(), { w: counts({ entered: 2, branches: { other: 2 } }) }, "Test run");
    expect(Object.keys(o.tiles)).toEqual(["w"]);
    expect(o.edges).toEqual({});
  });

  it("words block codes in either spelling", () => {
    expect(blockLabel("CONSENT_TOPIC_NOT_OPTED_IN")).toBe("no opt-in (topic)");
    expect(blockLabel("contactPointMissing")).toBe("no phone number");
    expect(blockLabel("SOMETHING_NEW")).toBe("something new");
  });
});
