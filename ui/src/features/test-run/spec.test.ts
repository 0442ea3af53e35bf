import { describe, expect, it } from "vitest";
import { journey } from "../../test/fixtures";
import { defaultForm, formFromSpec, formProblem, toSpec, voiceEngagements } from "./spec";

describe("test-run form", () => {
  const now = new Date(2026, 10, 25, 9, 30);

  it("defaults to 1,000 contacts, the journey's zone first, and a mix per voice engagement", () => {
    const f = defaultForm(journey(), now);
    expect(f.count).toBe(1000);
    expect(f.zones[0]?.value).toBe("America/Chicago");
    expect(Object.keys(f.outcomes)).toEqual(voiceEngagements(journey()));
    expect(f.outcomes["eng-renewals-voice"]?.map((r) => r.weight)).toEqual([55, 20, 15, 10]);
    expect(f.start).toBe("2026-11-25T09:30");
    expect(formProblem(f)).toBeNull();
  });

  it("builds a generated-audience spec with whole weights and the chosen start", () => {
    const f = { ...defaultForm(journey(), now), count: 200, seed: 9, missingPhonePercent: 10 };
    f.consent = { optedIn: 70.4, notSet: 0, optedOut: 30 };
    const spec = toSpec(f);
    expect(spec.seed).toBe(9);
    expect(spec.start).toBe(now.toISOString());
    expect(spec.audience).toMatchObject({ kind: "generated", count: 200, missingPhonePercent: 10 });
    if (spec.audience.kind !== "generated") throw new Error("generated audience expected");
    expect(spec.audience.consent).toEqual([
      { value: "optedIn", weight: 70 },
      { value: "optedOut", weight: 30 },
    ]);
    expect(spec.outcomes?.engagements?.["eng-renewals-voice"]?.results[0]).toEqual({ value: "LiveAnswer", weight: 55 });
    expect(spec.traceLimit).toBeNull();
  });

  it("runs again with the earlier run's settings", () => {
    const f = { ...defaultForm(journey(), now), count: 321, seed: 5, missingPhonePercent: 12 };
    f.outcomes["eng-renewals-voice"] = [{ value: "NoAnswer", weight: 100 }];
    const spec = JSON.parse(JSON.stringify(toSpec(f)));
    const back = formFromSpec(journey(), { ...spec, outcomes: { defaultMix: spec.outcomes.engagements["eng-renewals-voice"], ...spec.outcomes } }, new Date(2027, 0, 1));
    expect(back).toMatchObject({ count: 321, seed: 5, missingPhonePercent: 12, start: f.start });
    expect(back.zones).toEqual(f.zones);
    expect(back.consent).toEqual(f.consent);
    expect(back.outcomes["eng-renewals-voice"]).toEqual([{ value: "NoAnswer", weight: 100 }]);
  });

  it("says what is wrong with a bad form", () => {
    const f = defaultForm(journey(), now);
    expect(formProblem({ ...f, count: 0 })).toMatch(/Contacts/);
    expect(formProblem({ ...f, consent: { optedIn: 0, notSet: 0, optedOut: 0 } })).toMatch(/consent/);
    expect(formProblem({ ...f, seed: Number.NaN })).toMatch(/seed/);
  });
});
