/** "just now", "5 minutes ago", "3 hours ago", else a date. */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const s = Math.round((now - t) / 1000);
  if (s < 45) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? "" : "s"} ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} hour${h === 1 ? "" : "s"} ago`;
  const d = Math.round(h / 24);
  if (d < 7) return `${d} day${d === 1 ? "" : "s"} ago`;
  return new Date(iso).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric" });
}

// Clock times in a named zone (a contact's, or the journey's), never the computer's unless
// asked: a marketer reads "held until 08:00 PST" the way the contact lives it.

const formats = new Map<string, Intl.DateTimeFormat>();

function format(zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${zone}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { ...options, timeZone: zone });
    formats.set(key, f);
  }
  return f;
}

/** Whether the engine knows `zone` as a time zone (Intl throws on unknown names). */
export function knownZone(zone: string): boolean {
  try {
    format(zone, {});
    return true;
  } catch {
    return false;
  }
}

function safe(zone: string): string {
  return zone && knownZone(zone) ? zone : "UTC";
}

/** The zone's short name at `at`, e.g. "CST", "PDT", "GMT+1". */
export function zoneAbbreviation(zone: string, at: Date = new Date()): string {
  const parts = format(safe(zone), { timeZoneName: "short" }).formatToParts(at);
  return parts.find((p) => p.type === "timeZoneName")?.value ?? zone;
}

/** "Tue, Nov 24, 08:00 PST": the instant on a clock in `zone`, with the zone's short name. */
export function formatInZone(iso: string | Date, zone: string): string {
  const at = typeof iso === "string" ? new Date(iso) : iso;
  if (Number.isNaN(at.getTime())) return String(iso);
  return format(safe(zone), {
    weekday: "short",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  }).format(at);
}

/** The wall-clock fields of `at` in `zone`, as if they were UTC (ms). */
function wallClock(at: number, zone: string): number {
  const parts = format(zone, {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second"));
}

/** The instant as a `datetime-local` value ("2026-11-24T08:00") read in `zone`. */
export function isoToZonedInput(iso: string | Date, zone: string): string {
  const at = typeof iso === "string" ? new Date(iso) : iso;
  if (Number.isNaN(at.getTime())) return "";
  return new Date(wallClock(at.getTime(), safe(zone))).toISOString().slice(0, 16);
}

/**
 * A `datetime-local` value read as a clock in `zone` → the instant (ISO), or `null` when it is
 * not a date and time. A time the clocks skip (spring forward) reads as the hour before.
 */
export function zonedInputToIso(local: string, zone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return null;
  const z = safe(zone);
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  if (Number.isNaN(asUtc)) return null;
  // The zone's offset at the guess, then again at the answer (they differ across a DST change).
  let at = asUtc - (wallClock(asUtc, z) - asUtc);
  at = asUtc - (wallClock(at, z) - at);
  return new Date(at).toISOString();
}

/** The computer's own zone. */
export function computerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}
