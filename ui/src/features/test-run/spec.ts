// The test-run form's state and how it becomes a `SimulationSpec` (pure; no React).
import type {
  AudienceFromFile,
  Catalog,
  ConsentStatus,
  Engagement,
  EngagementMix,
  Journey,
  OutcomeModel,
  SimulationSpec,
  TestRun,
  Value,
  VariableType,
} from "../../ipc";
import { LIMITS } from "../../ipc";
import { fromZonedInput, toZonedInput } from "../time";

export type Row<T> = { value: T; weight: number };

/** One engagement variable's mix of values, typed as the form shows them ("" = not set). */
export type VariableMix = {
  type: VariableType;
  /** The allowed values of a choice variable. */
  options: string[];
  rows: Row<string>[];
};

/** How one engagement's calls turn out: results, disposition codes and variable values. */
export type EngagementForm = {
  /** What the marketer reads (the catalog's name, else the id). */
  name: string;
  results: Row<string>[];
  /** "" is "no disposition code". */
  dispositions: Row<string>[];
  /** Disposition codes the catalog offers. */
  codes: string[];
  /** By variable name, in the catalog's order. */
  variables: Record<string, VariableMix>;
};

/** Contacts read from a file (or kept from an earlier run). */
export type FileAudience = AudienceFromFile;

export type RunForm = {
  audience: "generated" | "file";
  count: number;
  zones: Row<string>[];
  consent: Record<ConsentStatus, number>;
  missingPhonePercent: number;
  /** The contacts when `audience` is `file`; `null` until a file is read. */
  file: FileAudience | null;
  /** Per engagement id. */
  outcomes: Record<string, EngagementForm>;
  /** `datetime-local` value, a clock in the journey's zone. */
  start: string;
  /** Where `start` came from while the marketer has not changed it; `null` once they have. */
  startFrom: StartFrom | null;
  seed: number;
};

/** Why a new run starts when it does: the journey's start, or now because that has passed or is not set. */
export type StartFrom = { kind: "journeyStart" } | { kind: "startPassed"; journeyStart: string } | { kind: "noStart" } | { kind: "earlierRun" };

/** When a new test run starts: the journey's start time, or `now` when that is past or not set. */
export function defaultStart(doc: Journey, now: Date): { at: Date; from: StartFrom } {
  const tile = doc.tiles.find((t) => t.type === "start");
  const startAt = tile?.type === "start" ? tile.start?.startAt : null;
  const at = startAt ? new Date(startAt) : null;
  if (!startAt || !at || Number.isNaN(at.getTime())) return { at: now, from: { kind: "noStart" } };
  if (at.getTime() < now.getTime()) return { at: now, from: { kind: "startPassed", journeyStart: startAt } };
  return { at, from: { kind: "journeyStart" } };
}

/** Seconds from dial to result: the contact center's usual spread. */
const LATENCY: [number, number] = [60, 1800];

/** Engagements the draft's voice tiles call with, in tile order. */
export function voiceEngagements(doc: Journey): string[] {
  const ids: string[] = [];
  for (const t of doc.tiles) if (t.type === "voiceConversation" && t.engagementId && !ids.includes(t.engagementId)) ids.push(t.engagementId);
  return ids;
}

/** A `datetime-local` value `days` later on the same clock ("" when it is not one). */
export function daysAfter(local: string, days: number): string {
  const at = fromZonedInput(local, "UTC");
  return at ? new Date(new Date(at).getTime() + days * 86_400_000).toISOString().slice(0, 16) : "";
}

/** A drawn value as the form shows it ("" = not set); dates as a clock in the journey's zone. */
function valueText(type: VariableType, v: Value, zone: string): string {
  if (v === null) return "";
  if (type === "dateTime" && typeof v === "string") return toZonedInput(v, zone) || v;
  return typeof v === "string" ? v : JSON.stringify(v);
}

/**
 * An engagement's mix as the form shows it. `mix` is where it starts (Rust's defaults for the
 * journey, `OutcomeModel::for_journey`); codes, variables and options follow the catalog.
 */
function engagementForm(id: string, engagement: Engagement | undefined, mix: EngagementMix | undefined, zone: string): EngagementForm {
  const codes = engagement?.dispositionCodes.map((d) => d.code) ?? [];
  return {
    name: engagement?.name ?? id,
    results: (mix?.results ?? []).map((r) => ({ ...r })),
    codes,
    dispositions: (mix?.dispositionCodes ?? [])
      .filter((d) => d.value === null || codes.includes(d.value))
      .map((d) => ({ value: d.value ?? "", weight: d.weight })),
    variables: Object.fromEntries(
      (engagement?.variables ?? []).map((v) => {
        const rows = variableRows(v.dataType, v.options, mix?.variables[v.name] ?? [], zone);
        return [v.name, { type: v.dataType, options: v.options, rows: rows.length > 0 ? rows : [{ value: "", weight: 100 }] }];
      }),
    ),
  };
}

/** Drawn values as rows; choices the catalog no longer offers are dropped. */
function variableRows(type: VariableType, options: string[], rows: { value: Value; weight: number }[], zone: string): Row<string>[] {
  return rows
    .map((r) => ({ value: valueText(type, r.value, zone), weight: r.weight }))
    .filter((r) => type !== "choice" || r.value === "" || options.includes(r.value));
}

/** The form a new test run starts from; `defaults` are the journey's mixes from Rust. */
export function defaultForm(doc: Journey, catalog: Catalog, now: Date, defaults: OutcomeModel): RunForm {
  const zones = [doc.timeZone, "America/New_York", "America/Los_Angeles"].filter((z, i, a) => z && a.indexOf(z) === i);
  const first = defaultStart(doc, now);
  const start = toZonedInput(first.at.toISOString(), doc.timeZone);
  return {
    audience: "generated",
    count: 1000,
    zones: zones.map((value, i) => ({ value, weight: i === 0 ? 50 : 25 })),
    consent: { optedIn: 80, notSet: 15, optedOut: 5 },
    missingPhonePercent: 5,
    file: null,
    outcomes: Object.fromEntries(
      voiceEngagements(doc).map((id) => [
        id,
        engagementForm(
          id,
          catalog.engagements.find((e) => e.id === id),
          defaults.engagements[id] ?? defaults.defaultMix,
          doc.timeZone,
        ),
      ]),
    ),
    start,
    startFrom: first.from,
    seed: 1,
  };
}

/** What the form's text means as a drawn value; `undefined` when it is not one. */
export function valueOf(type: VariableType, text: string, zone: string): Value | undefined {
  const t = text.trim();
  if (t === "") return null;
  switch (type) {
    case "number": {
      const n = Number(t);
      return Number.isFinite(n) ? n : undefined;
    }
    case "boolean":
      return t === "true" ? true : t === "false" ? false : undefined;
    case "dateTime":
      return fromZonedInput(t, zone) ?? undefined;
    case "choice":
    case "text":
      return t;
  }
}

/** Counts a saved run's contacts the way the file reader does (which zones are valid, only Rust knows). */
function fileFromSpec(contacts: FileAudience["contacts"], consents: FileAudience["consents"], source: string | null): FileAudience {
  const blank = (s: string | null | undefined) => !s || s.trim() === "";
  return {
    contacts,
    consents,
    source: source ?? "an earlier run",
    withoutPhone: contacts.filter((c) => blank(c.mobilePhone) && blank(c.businessPhone) && blank(c.homePhone)).length,
    withoutZone: contacts.filter((c) => blank(c.timeZone)).length,
    warnings: [],
  };
}

/** The form of an earlier run (for "Run again"), on today's draft and catalog; defaults where it says nothing. */
export function formFromSpec(doc: Journey, catalog: Catalog, spec: TestRun["spec"], now: Date, defaults: OutcomeModel): RunForm {
  const f = defaultForm(doc, catalog, now, defaults);
  const zone = doc.timeZone;
  const a = spec.audience;
  if (a.kind === "generated") {
    f.count = a.count;
    f.zones = a.timeZones.map((z) => ({ value: z.value ?? "", weight: z.weight }));
    f.consent = { optedIn: 0, notSet: 0, optedOut: 0 };
    for (const c of a.consent) f.consent[c.value] += c.weight;
    f.missingPhonePercent = a.missingPhonePercent;
  } else {
    f.audience = "file";
    f.file = fileFromSpec(a.contacts, a.consents, a.source);
  }
  for (const [id, form] of Object.entries(f.outcomes)) {
    const m = spec.outcomes.engagements[id];
    if (!m) continue;
    form.results = m.results.map((r) => ({ ...r }));
    // Codes and values the catalog no longer has are dropped rather than drawn.
    const codes = m.dispositionCodes.filter((d) => d.value === null || form.codes.includes(d.value));
    if (codes.length > 0 || form.codes.length === 0) form.dispositions = codes.map((d) => ({ value: d.value ?? "", weight: d.weight }));
    for (const [name, mix] of Object.entries(form.variables)) {
      const saved = m.variables[name];
      if (!saved) continue;
      const rows = variableRows(mix.type, mix.options, saved, zone);
      if (rows.length > 0) mix.rows = rows;
    }
  }
  const start = new Date(spec.start);
  if (!Number.isNaN(start.getTime())) {
    f.start = toZonedInput(start.toISOString(), zone);
    f.startFrom = { kind: "earlierRun" };
  }
  f.seed = spec.seed;
  return f;
}

const bad = (w: number) => !Number.isFinite(w) || w < 0;

function mix(form: EngagementForm, zone: string): EngagementMix {
  const rows = <T>(list: Row<string>[], value: (s: string) => T) =>
    list.filter((r) => r.weight > 0).map((r) => ({ value: value(r.value), weight: Math.round(r.weight) }));
  return {
    results: rows(
      form.results.filter((r) => r.value.trim()),
      (v) => v.trim(),
    ),
    dispositionCodes: rows(form.dispositions, (v) => v.trim() || null),
    variables: Object.fromEntries(Object.entries(form.variables).map(([name, m]) => [name, rows(m.rows, (v) => valueOf(m.type, v, zone) ?? null)])),
    latencySeconds: LATENCY,
  };
}

/** How many contacts the form runs. */
export function audienceSize(f: RunForm): number {
  return f.audience === "file" ? (f.file?.contacts.length ?? 0) : f.count;
}

/** What is wrong with the form, or `null`. */
export function formProblem(f: RunForm, zone = "UTC"): string | null {
  if (f.audience === "file") {
    if (!f.file) return "Choose a contacts file.";
  } else {
    if (!Number.isInteger(f.count) || f.count < 1 || f.count > LIMITS.testRunMaxContacts)
      return `Contacts must be a whole number from 1 to ${LIMITS.testRunMaxContacts.toLocaleString("en-US")}.`;
    if (f.zones.some((z) => bad(z.weight)) || f.zones.every((z) => z.weight <= 0)) return "Give at least one time zone a share (shares are 0 or more).";
    if (Object.values(f.consent).some(bad) || Object.values(f.consent).every((w) => w <= 0))
      return "Give at least one consent status a share (shares are 0 or more).";
    if (!(f.missingPhonePercent >= 0 && f.missingPhonePercent <= 100)) return "Missing phone must be 0–100%.";
  }
  for (const e of Object.values(f.outcomes)) {
    if (e.results.some((r) => bad(r.weight)) || e.dispositions.some((r) => bad(r.weight))) return `Shares in ${e.name} must be 0 or more.`;
    if (e.results.every((r) => r.weight <= 0 || !r.value.trim())) return `Give at least one result of ${e.name} a share.`;
    for (const [name, m] of Object.entries(e.variables)) {
      if (m.rows.some((r) => bad(r.weight))) return `Shares of ${name} in ${e.name} must be 0 or more.`;
      for (const r of m.rows) {
        if (r.weight <= 0 || valueOf(m.type, r.value, zone) !== undefined) continue;
        if (m.type === "number") return `${name} in ${e.name}: “${r.value}” is not a number.`;
        if (m.type === "dateTime") return `${name} in ${e.name}: pick a date and time, or leave it not set.`;
        return `${name} in ${e.name}: “${r.value}” is not a value it takes.`;
      }
    }
  }
  if (fromZonedInput(f.start, zone) === null) return "Pick a start date and time.";
  if (!Number.isInteger(f.seed) || f.seed < 0) return "The seed must be a whole number, 0 or more.";
  return null;
}

/** The spec to run; `zone` is the journey's (the start and date values are clocks there). */
export function toSpec(f: RunForm, zone: string): SimulationSpec {
  const audience: SimulationSpec["audience"] =
    f.audience === "file" && f.file
      ? { kind: "explicit", contacts: f.file.contacts, consents: f.file.consents, source: f.file.source }
      : {
          kind: "generated",
          count: f.count,
          timeZones: f.zones.filter((z) => z.weight > 0).map((z) => ({ value: z.value.trim() || null, weight: Math.round(z.weight) })),
          consent: (Object.entries(f.consent) as [ConsentStatus, number][])
            .filter(([, w]) => w > 0)
            .map(([value, weight]) => ({ value, weight: Math.round(weight) })),
          missingPhonePercent: f.missingPhonePercent,
        };
  return {
    audience,
    outcomes: { engagements: Object.fromEntries(Object.entries(f.outcomes).map(([id, e]) => [id, mix(e, zone)])) },
    start: fromZonedInput(f.start, zone) ?? f.start,
    seed: f.seed,
    // Keep every path for ordinary runs; big runs keep the first 5,000 to stay light.
    traceLimit: audienceSize(f) <= 10_000 ? null : 5000,
  };
}
