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

/** Minutes `zone` is ahead of UTC at `instant` (negative west of Greenwich). */
function offsetMinutes(zone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((wall - Math.floor(instant / 1000) * 1000) / 60000);
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

/** An instant as a `datetime-local` value on `zone`'s wall clock (UTC when the zone is unknown). */
export function toZonedInput(iso: string | null, zone: string): string {
  if (!iso) return "";
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return "";
  const offset = validZone(zone) ? offsetMinutes(zone, t) : 0;
  return new Date(t + offset * 60000).toISOString().slice(0, 16);
}

/**
 * A `datetime-local` value read on `zone`'s wall clock, as an ISO instant (UTC when the zone is
 * unknown). A time the clocks skip lands just after the change; a repeated time is its first.
 */
export function fromZonedInput(value: string, zone: string): string | null {
  // Only the input's own shape: engines parse other text leniently ("soon:00Z" is 2000 in V8).
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const wall = Date.parse(`${value}:00Z`);
  if (Number.isNaN(wall)) return null;
  if (!validZone(zone)) return new Date(wall).toISOString();
  // The offset at the guess, then at the instant it gives: settles in two steps.
  const first = wall - offsetMinutes(zone, wall) * 60000;
  const second = wall - offsetMinutes(zone, first) * 60000;
  const fits = (t: number) => toZonedInput(new Date(t).toISOString(), zone) === value;
  // In a repeated hour both offsets fit: the earlier instant.
  const [early, late] = first < second ? [first, second] : [second, first];
  if (fits(early)) return new Date(early).toISOString();
  if (fits(late)) return new Date(late).toISOString();
  // A skipped time: the instant the clocks change, found to the minute between the two readings.
  let [lo, hi] = [early, late];
  const before = offsetMinutes(zone, lo);
  while (hi - lo > 60000) {
    const mid = lo + Math.max(1, Math.floor((hi - lo) / 120000)) * 60000;
    if (offsetMinutes(zone, mid) === before) lo = mid;
    else hi = mid;
  }
  return new Date(hi).toISOString();
}

/** The zone's short name at `instant`, e.g. "CST" or "GMT+5:45". */
export function zoneAbbreviation(zone: string, instant: number = Date.now()): string {
  if (!validZone(zone)) return "UTC";
  const part = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "short" })
    .formatToParts(new Date(instant))
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? zone;
}

// Instants on a named zone's clock (a contact's, or the journey's), never the computer's unless
// asked: a marketer reads "held until 08:00 PST" the way the contact lives it.

const formats = new Map<string, Intl.DateTimeFormat>();

/** "Tue, Nov 24, 08:00 PST": the instant on `zone`'s clock with its short name (UTC when the zone is unknown). */
export function formatInZone(iso: string | Date, zone: string): string {
  const at = typeof iso === "string" ? new Date(iso) : iso;
  if (Number.isNaN(at.getTime())) return String(iso);
  const z = validZone(zone) ? zone : "UTC";
  let f = formats.get(z);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: z,
      weekday: "short",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    formats.set(z, f);
  }
  return f.format(at);
}

/** The computer's own zone. */
export function computerZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}
