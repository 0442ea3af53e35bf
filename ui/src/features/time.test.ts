import { describe, expect, it } from "vitest";
import { formatInZone, fromZonedInput, relativeTime, toZonedInput, zoneAbbreviation } from "./time";

describe("journey-zone date inputs", () => {
  it("shows an instant on the zone's wall clock and reads it back", () => {
    expect(toZonedInput("2026-12-01T15:00:00Z", "America/Chicago")).toBe("2026-12-01T09:00");
    expect(fromZonedInput("2026-12-01T09:00", "America/Chicago")).toBe("2026-12-01T15:00:00.000Z");
    expect(toZonedInput("2026-07-01T15:00:00Z", "America/Chicago")).toBe("2026-07-01T10:00");
    expect(fromZonedInput("2026-07-01T10:00", "America/Chicago")).toBe("2026-07-01T15:00:00.000Z");
    expect(fromZonedInput("2026-12-01T09:00", "Asia/Kathmandu")).toBe("2026-12-01T03:15:00.000Z");
  });

  it("takes the first of a repeated time and the change for a skipped one", () => {
    // 1 November 2026, 01:30 happens twice in Chicago: CDT (06:30Z), then CST (07:30Z).
    expect(fromZonedInput("2026-11-01T01:30", "America/Chicago")).toBe("2026-11-01T06:30:00.000Z");
    // 8 March 2026, 02:30 does not happen in Chicago: the clocks jump from 02:00 CST to 03:00 CDT.
    expect(fromZonedInput("2026-03-08T02:30", "America/Chicago")).toBe("2026-03-08T08:00:00.000Z");
  });

  it("falls back to UTC for an unknown zone and refuses an empty value", () => {
    expect(fromZonedInput("2026-12-01T09:00", "Not/AZone")).toBe("2026-12-01T09:00:00.000Z");
    expect(toZonedInput("2026-12-01T09:00:00Z", "")).toBe("2026-12-01T09:00");
    expect(fromZonedInput("", "America/Chicago")).toBeNull();
    expect(fromZonedInput("soon", "America/Chicago")).toBeNull();
    expect(fromZonedInput("2026-13-45T09:00", "America/Chicago")).toBeNull();
    expect(toZonedInput(null, "America/Chicago")).toBe("");
  });

  it("names the zone's offset as people read it", () => {
    expect(zoneAbbreviation("America/Chicago", Date.parse("2026-12-01T15:00:00Z"))).toBe("CST");
    expect(zoneAbbreviation("nowhere")).toBe("UTC");
  });
});

describe("instants on a contact's clock", () => {
  it("reads an instant on the contact's clock with its zone's short name", () => {
    expect(formatInZone("2026-11-24T16:00:00Z", "America/Los_Angeles")).toBe("Tue, Nov 24, 08:00 PST");
    expect(formatInZone("2026-11-24T13:00:00Z", "America/New_York")).toBe("Tue, Nov 24, 08:00 EST");
    expect(formatInZone("2026-07-01T13:00:00Z", "America/New_York")).toBe("Wed, Jul 1, 09:00 EDT");
  });

  it("falls back to UTC for a zone it does not know, rather than throwing", () => {
    expect(formatInZone("2026-11-24T16:00:00Z", "Mars/Olympus")).toBe("Tue, Nov 24, 16:00 UTC");
  });
});

describe("relativeTime", () => {
  it("says how long ago", () => {
    const now = Date.parse("2026-11-25T12:00:00Z");
    expect(relativeTime("2026-11-25T11:59:50Z", now)).toBe("just now");
    expect(relativeTime("2026-11-25T09:00:00Z", now)).toBe("3 hours ago");
  });
});
