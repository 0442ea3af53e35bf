import { describe, expect, it } from "vitest";
import type { SimulationResult } from "../ipc";
import { journey } from "../test/fixtures";
import { edgeId } from "./flow";
import { findTraces, heldReleases, overlayFromSimulation, summarize } from "./simulation";

type Counts = SimulationResult["tiles"][string];
function counts(partial: Partial<Counts>): Counts {
  return { entered: 0, sent: 0, held: 0, heldUntil: {}, blocked: {}, attempted: {}, notAttempted: {}, branches: {}, completed: 0, ...partial };
}

function result(): SimulationResult {
  return {
    contacts: 10,
    seed: 7,
    start: "2026-11-25T14:00:00Z",
    finishedAt: "2026-11-26T14:00:00Z",
    tiles: {
      start: counts({ entered: 10 }),
      v1: counts({
        entered: 10,
        sent: 7,
        held: 4,
        heldUntil: { "America/Chicago": { "2026-11-26T14:00:00Z": 3 }, "America/New_York": { "2026-11-26T13:00:00Z": 1 } },
        blocked: { CONSENT_PURPOSE_NOT_OPTED_IN: 2, CONTACT_POINT_MISSING: 1 },
        attempted: { LiveAnswer: 5 },
        notAttempted: { InvalidAddress: 2 },
      }),
      w1: counts({ entered: 10, branches: { a: 5, n: 2, other: 3 } }),
      x1: counts({ entered: 5, completed: 5 }),
    },
    edges: [
      { from: "start", output: "next", to: "v1", count: 10 },
      { from: "v1", output: "next", to: "w1", count: 10 },
      { from: "w1", output: "a", to: "x1", count: 5 },
    ],
    callsByLocalHour: Array.from({ length: 24 }, (_, h) => (h >= 8 && h < 21 ? 1 : 0)),
    exits: { exitTile: 5, unconnectedOutput: 5 },
    forecast: [
      {
        tile: "v1",
        name: "Call",
        callNow: 6,
        held: 2,
        heldUntil: { "America/Chicago": { "2026-11-26T14:00:00Z": 2 } },
        blocked: { CONSENT_PURPOSE_NOT_OPTED_IN: 2 },
      },
    ],
    traces: [
      { contactId: "c-0001", phone: "+1 555 010 0001", timeZone: "America/Chicago", steps: [] },
      { contactId: "c-0002", phone: null, timeZone: "America/Chicago", steps: [] },
      { contactId: "c-0013", phone: "+1 (555) 010-0013", timeZone: "America/New_York", steps: [] },
    ],
  };
}

describe("overlayFromSimulation", () => {
  it("puts every tile's counts and the run's edge counts on the canvas", () => {
    const doc = journey();
    const o = overlayFromSimulation(doc, result());
    expect(o.title).toContain("Test run");
    expect(o.tiles.v1?.entered).toBe(10);
    const lines = Object.fromEntries((o.tiles.v1?.lines ?? []).map((l) => [l.key, l.value]));
    expect(lines).toMatchObject({ held: 4, sent: 7, attempted: 5, notAttempted: 2, blocked: 3, "blocked:CONSENT_PURPOSE_NOT_OPTED_IN": 2 });
    expect(lines.waiting).toBeUndefined();
    expect(o.edges[edgeId({ from: "w1", output: "a", to: "x1" })]).toBe(5);
    expect(o.edges[edgeId({ from: "start", output: "next", to: "v1" })]).toBe(10);
    expect(o.tiles.w1?.outputs).toMatchObject({ a: 5, n: 2, other: 3 });
    expect(o.tiles.v1?.outputs.next).toBe(10);
  });

  it("draws nothing for tiles the run never counted", () => {
    const r = result();
    delete r.tiles.x1;
    const o = overlayFromSimulation(journey(), r);
    expect(o.tiles.x1).toBeUndefined();
  });
});

describe("summarize", () => {
  it("adds held, blocked by reason and results across tiles", () => {
    const s = summarize(result());
    expect(s).toMatchObject({ contacts: 10, sent: 7, held: 4, attempted: 5, notAttempted: 2 });
    expect(s.blocked).toEqual([
      ["CONSENT_PURPOSE_NOT_OPTED_IN", 2],
      ["CONTACT_POINT_MISSING", 1],
    ]);
    // Each release keeps the zone it reads in (the contact's), earliest first.
    expect(s.heldUntil).toEqual([
      { at: "2026-11-26T13:00:00Z", zone: "America/New_York", count: 1 },
      { at: "2026-11-26T14:00:00Z", zone: "America/Chicago", count: 3 },
    ]);
    expect(s.results[0]).toEqual(["LiveAnswer", 5]);
  });
});

describe("heldReleases", () => {
  it("merges the same release in the same zone across tables", () => {
    const a = { "America/Denver": { "2026-11-26T15:00:00Z": 2 } };
    const b = { "America/Denver": { "2026-11-26T15:00:00Z": 1 }, UTC: { "2026-11-26T08:00:00Z": 0 } };
    expect(heldReleases([a, b])).toEqual([{ at: "2026-11-26T15:00:00Z", zone: "America/Denver", count: 3 }]);
  });
});

describe("findTraces", () => {
  it("finds a contact by id or by number, ignoring formatting", () => {
    const t = result().traces;
    expect(findTraces(t, "0002").map((x) => x.contactId)).toEqual(["c-0002"]);
    expect(findTraces(t, "5550100013").map((x) => x.contactId)).toEqual(["c-0013"]);
    expect(findTraces(t, "nobody")).toEqual([]);
    expect(findTraces(t, "", 2)).toHaveLength(2);
    // An id with digits in it is not a phone number.
    expect(findTraces(t, "c-0013").map((x) => x.contactId)).toEqual(["c-0013"]);
    expect(findTraces(t, "c-1").map((x) => x.contactId)).toEqual([]);
  });
});
