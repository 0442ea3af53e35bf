// Pure mapping from a tile's insight (Rust's `ops::insight::TileInsight`, every word decided
// there) to the rows the insight panel draws, with what each row's export would write.
import type { ContactsChoice, TileInsight } from "../../ipc";

export type InsightTone = "neutral" | "active" | "good" | "warn" | "bad";

/** What an export of a row's contacts writes, and the file name it suggests. */
export type InsightExport = { choice: ContactsChoice; fileName: string; what: string };

export type InsightRow = {
  key: string;
  label: string;
  count: number;
  tone: InsightTone;
  /** A part of the row above, drawn indented. */
  sub?: boolean;
  /** Present when the row's contacts can be exported (some are counted). */
  exportAs?: InsightExport;
};

export type InsightSection = { key: string; title: string; rows: InsightRow[] };

function row(key: string, label: string, count: number, tone: InsightTone, extra: Partial<InsightRow> = {}): InsightRow {
  return { key, label, count, tone, ...extra };
}

function total(lines: { count: number }[]): number {
  return lines.reduce((n, l) => n + l.count, 0);
}

/** The panel's sections for `i`, in reading order; empty voice lists leave their rows out. */
export function insightSections(i: TileInsight): InsightSection[] {
  const exportable = (count: number, choice: ContactsChoice, what: string, fileName = i.fileName) =>
    count > 0 ? { exportAs: { choice, fileName, what } } : {};
  const contacts: InsightRow[] = [
    row("entered", "Entered", i.entered, "neutral", exportable(i.entered, { kind: "entered" }, `everyone who entered '${i.tileName}'`)),
    row("here", "On this tile now", i.waiting + i.held, "active", exportable(i.waiting + i.held, { kind: "here" }, `the contacts on '${i.tileName}' now`)),
  ];
  if (i.held > 0) {
    contacts.push(row("waiting", "Waiting", i.waiting, "active", { sub: true }));
    contacts.push(row("held", "Held by quiet time", i.held, "warn", { sub: true }));
  }
  if (i.wentOn !== null) contacts.push(row("wentOn", "Went on", i.wentOn, "good"));
  contacts.push(row("ended", "Ended here", i.ended, "neutral", exportable(i.ended, { kind: "ended" }, `the contacts who ended on '${i.tileName}'`)));
  const sections: InsightSection[] = [{ key: "contacts", title: "Contacts", rows: contacts }];
  if (i.branches.length > 0) {
    sections.push({
      key: "branches",
      title: "Left by branch",
      rows: i.branches.map((b) =>
        row(
          `branch:${b.output}`,
          b.label,
          b.count,
          "neutral",
          exportable(b.count, { kind: "branch", output: b.output }, `the contacts who took '${b.label}'`, b.fileName),
        ),
      ),
    });
  }
  const v = i.voice;
  if (v) {
    const calls: InsightRow[] = [row("sent", "Calls requested", v.sent, "neutral")];
    if (v.heldSoFar > 0) calls.push(row("heldSoFar", "Held by quiet time (so far)", v.heldSoFar, "warn"));
    const group = (key: string, label: string, tone: InsightTone, lines: typeof v.attempted) => {
      if (lines.length === 0) return;
      calls.push(row(key, label, total(lines), tone));
      for (const l of lines) calls.push(row(`${key}:${l.key}`, l.label, l.count, tone, { sub: true }));
    };
    group("attempted", "Attempted", "good", v.attempted);
    group("notAttempted", "Not attempted", "warn", v.notAttempted);
    group("blocked", "Blocked", "bad", v.blocked);
    sections.push({ key: "calls", title: "Calls", rows: calls });
    if (v.dispositions.length > 0) {
      sections.push({
        key: "dispositions",
        title: "Disposition codes",
        rows: v.dispositions.map((d) => row(`disposition:${d.key}`, d.label, d.count, "neutral")),
      });
    }
  }
  return sections;
}
