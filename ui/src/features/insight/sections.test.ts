import { describe, expect, it } from "vitest";
import type { TileInsight } from "../../ipc";
import { insightSections } from "./sections";

const base: TileInsight = {
  number: 2,
  state: "live",
  tileId: "call",
  tileName: "Renewal call",
  entered: 20,
  waiting: 0,
  held: 0,
  ended: 0,
  wentOn: 20,
  branches: [],
  voice: null,
  fileName: "Renewals-v2-Renewal call.csv",
};

describe("insightSections", () => {
  it("lists entered, on the tile now, went on and ended, exporting only rows with contacts", () => {
    const [contacts, ...rest] = insightSections({ ...base, waiting: 3, held: 2, wentOn: 15 });
    expect(rest).toEqual([]);
    expect(contacts?.rows.map((r) => [r.key, r.count, r.sub ?? false])).toEqual([
      ["entered", 20, false],
      ["here", 5, false],
      ["waiting", 3, true],
      ["held", 2, true],
      ["wentOn", 15, false],
      ["ended", 0, false],
    ]);
    const byKey = Object.fromEntries((contacts?.rows ?? []).map((r) => [r.key, r]));
    expect(byKey.entered?.exportAs).toEqual({
      choice: { kind: "entered" },
      fileName: "Renewals-v2-Renewal call.csv",
      what: "everyone who entered 'Renewal call'",
    });
    expect(byKey.here?.exportAs?.choice).toEqual({ kind: "here" });
    expect(byKey.ended?.exportAs).toBeUndefined();
    expect(byKey.wentOn?.exportAs).toBeUndefined();
  });

  it("gives each branch its own row and file, and a branching tile no 'went on'", () => {
    const sections = insightSections({
      ...base,
      wentOn: null,
      branches: [
        { output: "booked", label: "Booked", count: 4, fileName: "R-v2-Outcome-Booked.csv" },
        { output: "other", label: "Other", count: 0, fileName: "R-v2-Outcome-Other.csv" },
      ],
    });
    expect(sections[0]?.rows.some((r) => r.key === "wentOn")).toBe(false);
    const branches = sections[1];
    expect(branches?.title).toBe("Left by branch");
    expect(branches?.rows.map((r) => [r.key, r.label, r.count])).toEqual([
      ["branch:booked", "Booked", 4],
      ["branch:other", "Other", 0],
    ]);
    expect(branches?.rows[0]?.exportAs?.choice).toEqual({ kind: "branch", output: "booked" });
    expect(branches?.rows[0]?.exportAs?.fileName).toBe("R-v2-Outcome-Booked.csv");
    expect(branches?.rows[1]?.exportAs).toBeUndefined();
  });

  it("totals a voice tile's results and blocks above their lines and lists disposition codes", () => {
    const sections = insightSections({
      ...base,
      voice: {
        sent: 9,
        heldSoFar: 2,
        attempted: [
          { key: "LiveAnswer", label: "Live answer", count: 4 },
          { key: "AnsweringMachine", label: "Answering machine", count: 1 },
        ],
        notAttempted: [],
        dispositions: [{ key: "Interested", label: "Interested", count: 3 }],
        blocked: [{ key: "CONSENT_PURPOSE_OPTED_OUT", label: "opted out (purpose)", count: 2 }],
      },
    });
    expect(sections.map((s) => s.key)).toEqual(["contacts", "calls", "dispositions"]);
    expect(sections[1]?.rows.map((r) => [r.key, r.label, r.count])).toEqual([
      ["sent", "Calls requested", 9],
      ["heldSoFar", "Held by quiet time (so far)", 2],
      ["attempted", "Attempted", 5],
      ["attempted:LiveAnswer", "Live answer", 4],
      ["attempted:AnsweringMachine", "Answering machine", 1],
      ["blocked", "Blocked", 2],
      ["blocked:CONSENT_PURPOSE_OPTED_OUT", "opted out (purpose)", 2],
    ]);
    expect(sections[2]?.rows).toEqual([{ key: "disposition:Interested", label: "Interested", count: 3, tone: "neutral" }]);
  });
});
