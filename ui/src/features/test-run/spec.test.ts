import { describe, expect, it } from "vitest";
import type { EngagementMix, Journey, OutcomeModel } from "../../ipc";
import { catalog, journey } from "../../test/fixtures";
import { LIMITS } from "../../ipc";
import { defaultForm, defaultStart, formFromSpec, formProblem, toSpec, valueOf, voiceEngagements, type FileAudience, type RunForm } from "./spec";

const ZONE = "America/Chicago";
// 09:30 in Chicago on 25 Nov 2026.
const now = new Date("2026-11-25T15:30:00Z");

/** A journey calling the appointment engagement too, branching on two of its variables. */
function twoEngagements(): Journey {
  const doc = journey();
  doc.tiles.push(
    {
      type: "voiceConversation",
      id: "v2",
      name: "Reminder",
      engagementId: "eng-payment-voice",
      sendTo: "mobilePhone",
      complianceProfileId: "cp-us-marketing",
      purposeId: "pur-promotions",
      topicId: null,
      quietTime: { mode: "inherit" },
    },
    {
      type: "attributeBranch",
      id: "b1",
      name: "",
      source: { kind: "voiceCall", tileId: "v2" },
      branches: [
        {
          id: "paid",
          name: "Promised enough",
          match: "all",
          conditions: [{ variable: { kind: "engagementVariable", name: "AmountPromised" }, operator: "greaterThanOrEqual", value: 50 }],
        },
      ],
    },
  );
  return doc;
}

const RESULTS = [
  { value: "LiveAnswer", weight: 55 },
  { value: "NoAnswer", weight: 20 },
  { value: "AnsweringMachine", weight: 15 },
  { value: "InvalidAddress", weight: 10 },
];

/**
 * What Rust's `OutcomeModel::for_journey` answers for these journeys on the sample catalog
 * (its rules are tested in `journeys/src/simulate/tests.rs`); here only its conversion to the
 * form is under test.
 */
const renewalsMix: EngagementMix = {
  results: RESULTS,
  dispositionCodes: [
    { value: null, weight: 50 },
    ...["Interested", "Renewed", "CallBackLater", "NotRightParty", "DoNotContact"].map((value) => ({ value, weight: 10 })),
  ],
  variables: {
    Outcome: ["Booked", "Callback", "NotInterested", "WrongPerson"].map((value) => ({ value, weight: 25 })),
    RenewalQuote: [{ value: null, weight: 100 }],
    CallbackAt: [
      { value: "2026-11-27T15:30:00Z", weight: 50 },
      { value: null, weight: 50 },
    ],
    Notes: [{ value: null, weight: 100 }],
  },
  latencySeconds: [60, 1800],
};
const paymentMix: EngagementMix = {
  results: RESULTS,
  dispositionCodes: [{ value: null, weight: 50 }, ...["PaymentTaken", "PromiseToPay", "Dispute"].map((value) => ({ value, weight: 16 }))],
  variables: {
    Outcome: ["Paid", "PromiseToPay", "Dispute"].map((value) => ({ value, weight: 33 })),
    AmountPromised: [
      { value: 50, weight: 50 },
      { value: null, weight: 50 },
    ],
  },
  latencySeconds: [60, 1800],
};
const defaults: OutcomeModel = { defaultMix: renewalsMix, engagements: { "eng-renewals-voice": renewalsMix, "eng-payment-voice": paymentMix } };

function engagementsOf(f: RunForm) {
  const renewals = f.outcomes["eng-renewals-voice"];
  if (!renewals) throw new Error("the renewal engagement has a mix");
  return renewals;
}

describe("test-run form", () => {
  it("defaults to 1,000 contacts, the journey's zone first, and a mix per voice engagement", () => {
    const f = defaultForm(journey(), catalog, now, defaults);
    expect(f.audience).toBe("generated");
    expect(f.count).toBe(1000);
    expect(f.zones[0]?.value).toBe(ZONE);
    expect(Object.keys(f.outcomes)).toEqual(voiceEngagements(journey()));
    expect(engagementsOf(f).results.map((r) => r.weight)).toEqual([55, 20, 15, 10]);
    // The start is a clock in the journey's zone, not the computer's.
    expect(f.start).toBe("2026-11-25T09:30");
    expect(formProblem(f, ZONE)).toBeNull();
  });

  it("shows Rust's defaults as form rows: each engagement's own codes and typed variables, dates on the journey's clock", () => {
    const e = engagementsOf(defaultForm(journey(), catalog, now, defaults));
    expect(e.name).toBe("Policy renewal calls");
    expect(e.dispositions.map((d) => d.value)).toEqual(["", "Interested", "Renewed", "CallBackLater", "NotRightParty", "DoNotContact"]);
    expect(e.dispositions.map((d) => d.weight)).toEqual([50, 10, 10, 10, 10, 10]);
    expect(Object.keys(e.variables)).toEqual(["Outcome", "RenewalQuote", "CallbackAt", "Notes"]);
    expect(e.variables.Outcome?.rows).toEqual([
      { value: "Booked", weight: 25 },
      { value: "Callback", weight: 25 },
      { value: "NotInterested", weight: 25 },
      { value: "WrongPerson", weight: 25 },
    ]);
    // Nothing branches on the quote or the notes: not set. A date is set half the time.
    expect(e.variables.RenewalQuote?.rows).toEqual([{ value: "", weight: 100 }]);
    expect(e.variables.Notes?.rows).toEqual([{ value: "", weight: 100 }]);
    expect(e.variables.CallbackAt?.rows).toEqual([
      { value: "2026-11-27T09:30", weight: 50 },
      { value: "", weight: 50 },
    ]);

    const payment = defaultForm(twoEngagements(), catalog, now, defaults).outcomes["eng-payment-voice"];
    expect(payment?.dispositions.map((d) => d.value)).toEqual(["", "PaymentTaken", "PromiseToPay", "Dispute"]);
    expect(payment?.variables.Outcome?.rows.map((r) => r.value)).toEqual(["Paid", "PromiseToPay", "Dispute"]);
    // The journey branches on AmountPromised ≥ 50: half the calls promise 50, so both ways are taken.
    expect(payment?.variables.AmountPromised?.rows).toEqual([
      { value: "50", weight: 50 },
      { value: "", weight: 50 },
    ]);
  });

  it("builds a generated-audience spec with whole weights, typed values and the start in the journey's zone", () => {
    const f = { ...defaultForm(journey(), catalog, now, defaults), count: 200, seed: 9, missingPhonePercent: 10 };
    f.consent = { optedIn: 70.4, notSet: 0, optedOut: 30 };
    const e = engagementsOf(f);
    e.dispositions = [
      { value: "", weight: 40 },
      { value: "Renewed", weight: 60 },
    ];
    e.variables.RenewalQuote = {
      type: "number",
      options: [],
      rows: [
        { value: "420.5", weight: 1 },
        { value: "", weight: 0 },
      ],
    };
    e.variables.CallbackAt = { type: "dateTime", options: [], rows: [{ value: "2026-11-27T14:00", weight: 3 }] };
    const spec = toSpec(f, ZONE);
    expect(spec.seed).toBe(9);
    expect(spec.start).toBe("2026-11-25T15:30:00.000Z");
    expect(spec.audience).toMatchObject({ kind: "generated", count: 200, missingPhonePercent: 10 });
    if (spec.audience.kind !== "generated") throw new Error("generated audience expected");
    expect(spec.audience.consent).toEqual([
      { value: "optedIn", weight: 70 },
      { value: "optedOut", weight: 30 },
    ]);
    const mix = spec.outcomes?.engagements?.["eng-renewals-voice"];
    expect(mix?.results[0]).toEqual({ value: "LiveAnswer", weight: 55 });
    expect(mix?.dispositionCodes).toEqual([
      { value: null, weight: 40 },
      { value: "Renewed", weight: 60 },
    ]);
    expect(mix?.variables.RenewalQuote).toEqual([{ value: 420.5, weight: 1 }]);
    expect(mix?.variables.CallbackAt).toEqual([{ value: "2026-11-27T20:00:00.000Z", weight: 3 }]);
    expect(mix?.variables.Notes).toEqual([{ value: null, weight: 100 }]);
    expect(spec.traceLimit).toBeNull();
  });

  it("runs again with the earlier run's settings", () => {
    const f = { ...defaultForm(journey(), catalog, now, defaults), count: 321, seed: 5, missingPhonePercent: 12 };
    const e = engagementsOf(f);
    e.results = [{ value: "NoAnswer", weight: 100 }];
    e.dispositions = [{ value: "Renewed", weight: 7 }];
    e.variables.Outcome = { type: "choice", options: e.variables.Outcome?.options ?? [], rows: [{ value: "Booked", weight: 9 }] };
    e.variables.CallbackAt = { type: "dateTime", options: [], rows: [{ value: "2026-11-27T14:00", weight: 3 }] };
    const spec = JSON.parse(JSON.stringify(toSpec(f, ZONE)));
    const back = formFromSpec(
      journey(),
      catalog,
      { ...spec, outcomes: { defaultMix: spec.outcomes.engagements["eng-renewals-voice"], ...spec.outcomes } },
      new Date(2027, 0, 1),
      defaults,
    );
    expect(back).toMatchObject({ audience: "generated", count: 321, seed: 5, missingPhonePercent: 12, start: f.start });
    expect(back.zones).toEqual(f.zones);
    expect(back.consent).toEqual(f.consent);
    const again = engagementsOf(back);
    expect(again.results).toEqual([{ value: "NoAnswer", weight: 100 }]);
    expect(again.dispositions).toEqual([{ value: "Renewed", weight: 7 }]);
    expect(again.variables.Outcome?.rows).toEqual([{ value: "Booked", weight: 9 }]);
    expect(again.variables.CallbackAt?.rows).toEqual([{ value: "2026-11-27T14:00", weight: 3 }]);
  });

  it("drops codes and choices an earlier run used that the catalog no longer has", () => {
    const spec = toSpec(defaultForm(journey(), catalog, now, defaults), ZONE);
    const mix = spec.outcomes?.engagements?.["eng-renewals-voice"];
    if (!mix) throw new Error("mix");
    mix.dispositionCodes = [
      { value: "Interested", weight: 1 },
      { value: "Retired", weight: 5 },
    ];
    mix.variables.Outcome = [
      { value: "Callback", weight: 1 },
      { value: "Gone", weight: 1 },
    ];
    const back = engagementsOf(
      formFromSpec(
        journey(),
        catalog,
        JSON.parse(JSON.stringify({ ...spec, outcomes: { defaultMix: mix, engagements: { "eng-renewals-voice": mix } } })),
        now,
        defaults,
      ),
    );
    expect(back.dispositions).toEqual([{ value: "Interested", weight: 1 }]);
    expect(back.variables.Outcome?.rows).toEqual([{ value: "Callback", weight: 1 }]);
  });

  it("runs contacts read from a file, and runs them again from a saved run", () => {
    const file: FileAudience = {
      contacts: [
        {
          id: "c1",
          mobilePhone: "+13125550100",
          businessPhone: null,
          homePhone: null,
          timeZone: "America/Denver",
          country: "US",
          stateOrProvince: null,
          attributes: {},
        },
        {
          id: "c2",
          mobilePhone: null,
          businessPhone: null,
          homePhone: null,
          timeZone: null,
          country: null,
          stateOrProvince: null,
          attributes: { tier: "gold" },
        },
      ],
      consents: [
        {
          contactPoint: "+13125550100",
          channel: "voice",
          scope: { kind: "purpose", purposeId: "pur-promotions" },
          status: "optedIn",
          updatedAt: "2026-01-01T00:00:00Z",
          source: null,
        },
      ],
      source: "people.csv and opt-ins.csv",
      withoutPhone: 1,
      withoutZone: 1,
      warnings: [],
    };
    const f: RunForm = { ...defaultForm(journey(), catalog, now, defaults), audience: "file", file: null };
    expect(formProblem(f, ZONE)).toBe("Choose a contacts file.");
    f.file = file;
    f.count = 0; // ignored for a file
    expect(formProblem(f, ZONE)).toBeNull();
    const spec = toSpec(f, ZONE);
    expect(spec.audience).toEqual({ kind: "explicit", contacts: file.contacts, consents: file.consents, source: "people.csv and opt-ins.csv" });
    const back = formFromSpec(journey(), catalog, JSON.parse(JSON.stringify({ ...spec, outcomes: { defaultMix: {}, engagements: {} } })), now, defaults);
    expect(back.audience).toBe("file");
    expect(back.file).toMatchObject({ source: "people.csv and opt-ins.csv", withoutPhone: 1, withoutZone: 1 });
    expect(back.file?.contacts).toHaveLength(2);
    expect(back.file?.consents).toHaveLength(1);
  });

  it("says what is wrong with a bad form", () => {
    const f = defaultForm(journey(), catalog, now, defaults);
    expect(formProblem({ ...f, count: 0 }, ZONE)).toMatch(/Contacts/);
    expect(formProblem({ ...f, consent: { optedIn: 0, notSet: 0, optedOut: 0 } }, ZONE)).toMatch(/consent/);
    expect(formProblem({ ...f, seed: Number.NaN }, ZONE)).toMatch(/seed/);
    expect(formProblem({ ...f, start: "" }, ZONE)).toMatch(/start/);
    const withMix = (patch: (e: ReturnType<typeof engagementsOf>) => void) => {
      const g = structuredClone(f);
      patch(engagementsOf(g));
      return formProblem(g, ZONE);
    };
    expect(withMix((e) => (e.results = e.results.map((r) => ({ ...r, weight: 0 }))))).toBe("Give at least one result of Policy renewal calls a share.");
    expect(withMix((e) => (e.dispositions[1] = { value: "Renewed", weight: -1 }))).toBe("Shares in Policy renewal calls must be 0 or more.");
    expect(withMix((e) => (e.variables.RenewalQuote = { type: "number", options: [], rows: [{ value: "a lot", weight: 5 }] }))).toBe(
      "RenewalQuote in Policy renewal calls: “a lot” is not a number.",
    );
    expect(withMix((e) => (e.variables.CallbackAt = { type: "dateTime", options: [], rows: [{ value: "soon", weight: 5 }] }))).toBe(
      "CallbackAt in Policy renewal calls: pick a date and time, or leave it not set.",
    );
    // A row without a share is never drawn, so its value does not matter.
    expect(withMix((e) => (e.variables.RenewalQuote = { type: "number", options: [], rows: [{ value: "a lot", weight: 0 }] }))).toBeNull();
  });
});

describe("values and conditions", () => {
  it("reads typed values, with not set as null", () => {
    expect(valueOf("number", " 12.5 ", ZONE)).toBe(12.5);
    expect(valueOf("number", "twelve", ZONE)).toBeUndefined();
    expect(valueOf("boolean", "false", ZONE)).toBe(false);
    expect(valueOf("text", "", ZONE)).toBeNull();
    expect(valueOf("dateTime", "2026-07-01T09:00", ZONE)).toBe("2026-07-01T14:00:00.000Z");
  });
});

describe("when a new test run starts", () => {
  const withStart = (startAt: string | null): Journey => {
    const doc = journey();
    doc.tiles[0] = {
      type: "start",
      id: "start",
      name: "",
      start: { kind: "segment", segmentIds: ["seg-1"], frequency: { kind: "once" }, startAt, endAt: null },
    };
    return doc;
  };

  it("starts at the journey's start when that is still ahead, and says so", () => {
    const f = defaultForm(withStart("2026-12-01T15:00:00Z"), catalog, now, defaults);
    expect(f.start).toBe("2026-12-01T09:00");
    expect(f.startFrom).toEqual({ kind: "journeyStart" });
  });

  it("starts now when the journey's start has passed, naming that start", () => {
    const f = defaultForm(withStart("2026-11-01T15:00:00Z"), catalog, now, defaults);
    expect(f.start).toBe("2026-11-25T09:30");
    expect(f.startFrom).toEqual({ kind: "startPassed", journeyStart: "2026-11-01T15:00:00Z" });
  });

  it("starts now when the journey has no start time", () => {
    expect(defaultStart(withStart(null), now)).toEqual({ at: now, from: { kind: "noStart" } });
    expect(defaultStart(journey(), now)).toEqual({ at: now, from: { kind: "noStart" } });
  });

  it("a run again keeps the earlier run's start and says so", () => {
    // Through JSON, as a kept run comes back from Rust.
    const spec = JSON.parse(JSON.stringify(toSpec(defaultForm(withStart("2026-12-01T15:00:00Z"), catalog, now, defaults), ZONE)));
    const again = formFromSpec(withStart("2026-12-01T15:00:00Z"), catalog, spec, now, defaults);
    expect(again.start).toBe("2026-12-01T09:00");
    expect(again.startFrom).toEqual({ kind: "earlierRun" });
  });

  it("refuses more contacts than Rust's limit, naming it", () => {
    const f = { ...defaultForm(journey(), catalog, now, defaults), count: LIMITS.testRunMaxContacts + 1 };
    expect(formProblem(f, ZONE)).toBe(`Contacts must be a whole number from 1 to ${LIMITS.testRunMaxContacts.toLocaleString("en-US")}.`);
    expect(formProblem({ ...f, count: LIMITS.testRunMaxContacts }, ZONE)).toBeNull();
  });
});
