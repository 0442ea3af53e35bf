// The test-run form's state and how it becomes a `SimulationSpec` (pure; no React).
import type { ConsentStatus, EngagementMix, Journey, SimulationSpec, TestRun } from "../../ipc";

export type Row<T> = { value: T; weight: number };

export type RunForm = {
  count: number;
  zones: Row<string>[];
  consent: Record<ConsentStatus, number>;
  missingPhonePercent: number;
  /** Result mix per engagement id, in percent. */
  outcomes: Record<string, Row<string>[]>;
  /** `datetime-local` value, in the computer's zone. */
  start: string;
  seed: number;
};

export const DEFAULT_RESULTS: Row<string>[] = [
  { value: "LiveAnswer", weight: 55 },
  { value: "NoAnswer", weight: 20 },
  { value: "AnsweringMachine", weight: 15 },
  { value: "InvalidAddress", weight: 10 },
];

/** Engagements the draft's voice tiles call with, in tile order. */
export function voiceEngagements(doc: Journey): string[] {
  const ids: string[] = [];
  for (const t of doc.tiles) if (t.type === "voiceConversation" && t.engagementId && !ids.includes(t.engagementId)) ids.push(t.engagementId);
  return ids;
}

function localInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function defaultForm(doc: Journey, now: Date): RunForm {
  const zones = [doc.timeZone, "America/New_York", "America/Los_Angeles"].filter((z, i, a) => z && a.indexOf(z) === i);
  return {
    count: 1000,
    zones: zones.map((value, i) => ({ value, weight: i === 0 ? 50 : 25 })),
    consent: { optedIn: 80, notSet: 15, optedOut: 5 },
    missingPhonePercent: 5,
    outcomes: Object.fromEntries(voiceEngagements(doc).map((id) => [id, DEFAULT_RESULTS.map((r) => ({ ...r }))])),
    start: localInput(now),
    seed: 1,
  };
}

/** The form of an earlier run (for "Run again"), on today's draft; defaults where it says nothing. */
export function formFromSpec(doc: Journey, spec: TestRun["spec"], now: Date): RunForm {
  const f = defaultForm(doc, now);
  const a = spec.audience;
  if (a.kind === "generated") {
    f.count = a.count;
    f.zones = a.timeZones.map((z) => ({ value: z.value ?? "", weight: z.weight }));
    f.consent = { optedIn: 0, notSet: 0, optedOut: 0 };
    for (const c of a.consent) f.consent[c.value] += c.weight;
    f.missingPhonePercent = a.missingPhonePercent;
  }
  for (const id of Object.keys(f.outcomes)) {
    const m = spec.outcomes.engagements[id];
    if (m) f.outcomes[id] = m.results.map((r) => ({ ...r }));
  }
  const start = new Date(spec.start);
  if (!Number.isNaN(start.getTime())) f.start = localInput(start);
  f.seed = spec.seed;
  return f;
}

function mix(results: Row<string>[]): EngagementMix {
  return {
    results: results.filter((r) => r.value && r.weight > 0).map((r) => ({ value: r.value, weight: Math.round(r.weight) })),
    dispositionCodes: [
      { value: null, weight: 50 },
      { value: "Interested", weight: 30 },
      { value: "CallBackLater", weight: 20 },
    ],
    variables: {
      Outcome: [
        { value: "Booked", weight: 30 },
        { value: "Callback", weight: 30 },
        { value: "NotInterested", weight: 40 },
      ],
    },
    latencySeconds: [60, 1800],
  };
}

/** What is wrong with the form, or `null`. */
export function formProblem(f: RunForm): string | null {
  if (!Number.isInteger(f.count) || f.count < 1 || f.count > 1_000_000) return "Contacts must be a whole number from 1 to 1,000,000.";
  if (f.zones.every((z) => z.weight <= 0)) return "Give at least one time zone a share.";
  if (Object.values(f.consent).every((w) => w <= 0)) return "Give at least one consent status a share.";
  if (f.missingPhonePercent < 0 || f.missingPhonePercent > 100) return "Missing phone must be 0–100%.";
  for (const [id, rows] of Object.entries(f.outcomes))
    if (rows.every((r) => r.weight <= 0)) return `Give at least one result of ${id} a share.`;
  if (Number.isNaN(new Date(f.start).getTime())) return "Pick a start date and time.";
  if (!Number.isInteger(f.seed) || f.seed < 0) return "The seed must be a whole number, 0 or more.";
  return null;
}

export function toSpec(f: RunForm): SimulationSpec {
  return {
    audience: {
      kind: "generated",
      count: f.count,
      timeZones: f.zones.filter((z) => z.weight > 0).map((z) => ({ value: z.value.trim() || null, weight: Math.round(z.weight) })),
      consent: (Object.entries(f.consent) as [ConsentStatus, number][]).filter(([, w]) => w > 0).map(([value, weight]) => ({ value, weight: Math.round(weight) })),
      missingPhonePercent: f.missingPhonePercent,
    },
    outcomes: { engagements: Object.fromEntries(Object.entries(f.outcomes).map(([id, rows]) => [id, mix(rows)])) },
    start: new Date(f.start).toISOString(),
    seed: f.seed,
    // Keep every path for ordinary runs; big runs keep the first 5,000 to stay light.
    traceLimit: f.count <= 10_000 ? null : 5000,
  };
}
