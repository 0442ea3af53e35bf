import { describe, expect, it } from "vitest";
import { formatInZone, isoToZonedInput, knownZone, zoneAbbreviation, zonedInputToIso } from "./time";

describe("times in a named zone", () => {
  it("reads an instant on the contact's clock with its zone's short name", () => {
    expect(formatInZone("2026-11-24T16:00:00Z", "America/Los_Angeles")).toBe("Tue, Nov 24, 08:00 PST");
    expect(formatInZone("2026-11-24T13:00:00Z", "America/New_York")).toBe("Tue, Nov 24, 08:00 EST");
    expect(formatInZone("2026-07-01T13:00:00Z", "America/New_York")).toBe("Wed, Jul 1, 09:00 EDT");
    expect(zoneAbbreviation("America/Chicago", new Date("2026-01-10T12:00:00Z"))).toBe("CST");
  });

  it("falls back to UTC for a zone it does not know, rather than throwing", () => {
    expect(knownZone("Mars/Olympus")).toBe(false);
    expect(formatInZone("2026-11-24T16:00:00Z", "Mars/Olympus")).toBe("Tue, Nov 24, 16:00 UTC");
  });

  it("turns a journey-time input into the instant and back, across daylight saving", () => {
    expect(zonedInputToIso("2026-11-24T09:30", "America/Chicago")).toBe("2026-11-24T15:30:00.000Z");
    expect(zonedInputToIso("2026-07-01T09:30", "America/Chicago")).toBe("2026-07-01T14:30:00.000Z");
    // The day the clocks go forward (8 Mar 2026): 09:30 is already daylight time.
    expect(zonedInputToIso("2026-03-08T09:30", "America/Chicago")).toBe("2026-03-08T14:30:00.000Z");
    expect(zonedInputToIso("2026-03-08T01:30", "America/Chicago")).toBe("2026-03-08T07:30:00.000Z");
    expect(isoToZonedInput("2026-11-24T15:30:00Z", "America/Chicago")).toBe("2026-11-24T09:30");
    expect(isoToZonedInput("2026-11-24T15:30:00Z", "Asia/Kolkata")).toBe("2026-11-24T21:00");
    expect(zonedInputToIso("tomorrow", "UTC")).toBeNull();
  });
});
