// Pure mapping from a test run's result to the canvas overlay and the results panel's figures.
import type { Journey, SimulationResult, TileCounts } from "../ipc";
import { edgeId } from "./flow";
import { overlayFromCounts, type CanvasOverlay } from "./overlay";

/** Sums of a string-keyed table across every tile, largest first. */
export function totals(tables: Record<string, number | undefined>[]): [string, number][] {
  const out = new Map<string, number>();
  for (const t of tables) for (const [k, v] of Object.entries(t)) out.set(k, (out.get(k) ?? 0) + (v ?? 0));
  return [...out.entries()].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The overlay of a test run: every tile's counts, and each edge's count from the run's own edge table. */
export function overlayFromSimulation(doc: Journey, result: SimulationResult): CanvasOverlay {
  const counts: Record<string, TileCounts> = {};
  for (const [id, c] of Object.entries(result.tiles)) {
    if (!c) continue;
    // A finished test run has no one waiting or held now; `held` counts holds that happened.
    // Its call details carry disposition codes; it does not count them.
    counts[id] = { ...c, waiting: 0, dispositions: {} };
  }
  const base = overlayFromCounts(doc, counts, `Test run · ${result.contacts.toLocaleString()} contacts`);
  const edges: Record<string, number> = {};
  for (const e of result.edges) {
    if (e.count <= 0) continue;
    const id = edgeId({ from: e.from, output: e.output, to: e.to });
    edges[id] = (edges[id] ?? 0) + e.count;
  }
  // Outputs are the tile's branch counts plus the run's edge table (which also counts `next`);
  // unlike live counts, nothing is inferred from who is still on a tile.
  const taken = new Map<string, Record<string, number>>();
  for (const e of result.edges) {
    const outs = taken.get(e.from) ?? {};
    outs[e.output] = (outs[e.output] ?? 0) + e.count;
    taken.set(e.from, outs);
  }
  const tiles = { ...base.tiles };
  for (const [id, t] of Object.entries(tiles)) {
    const branches = Object.fromEntries(Object.entries(result.tiles[id]?.branches ?? {}).map(([k, v]) => [k, v ?? 0]));
    tiles[id] = { ...t, outputs: { ...branches, ...(taken.get(id) ?? {}) } };
  }
  return { title: base.title, tiles, edges };
}

/** One hold release: the instant, the zone it reads in (the contact's), and how many. */
export type HeldRelease = { at: string; zone: string; count: number };

/** Hold releases by zone then instant (a run's or a forecast's), merged and earliest first. */
export function heldReleases(tables: Record<string, Record<string, number | undefined> | undefined>[]): HeldRelease[] {
  const merged = new Map<string, HeldRelease>();
  for (const table of tables)
    for (const [zone, instants] of Object.entries(table))
      for (const [at, n] of Object.entries(instants ?? {})) {
        if (!n) continue;
        const key = `${at}|${zone}`;
        const known = merged.get(key);
        if (known) known.count += n;
        else merged.set(key, { at, zone, count: n });
      }
  return [...merged.values()].sort((a, b) => a.at.localeCompare(b.at) || a.zone.localeCompare(b.zone));
}

/** The summary of a run: how many were called, held, blocked (by reason), and how runs ended. */
export type RunSummary = {
  contacts: number;
  sent: number;
  held: number;
  attempted: number;
  notAttempted: number;
  blocked: [string, number][];
  heldUntil: HeldRelease[];
  results: [string, number][];
  exits: [string, number][];
};

export function summarize(result: SimulationResult): RunSummary {
  const tiles = Object.values(result.tiles).filter((t) => t !== undefined);
  const add = (f: (t: (typeof tiles)[number]) => number) => tiles.reduce((n, t) => n + f(t), 0);
  const sumOf = (r: Record<string, number | undefined>) => Object.values(r).reduce<number>((n, v) => n + (v ?? 0), 0);
  return {
    contacts: result.contacts,
    sent: add((t) => t.sent),
    held: add((t) => t.held),
    attempted: add((t) => sumOf(t.attempted)),
    notAttempted: add((t) => sumOf(t.notAttempted)),
    blocked: totals(tiles.map((t) => t.blocked)),
    heldUntil: heldReleases(tiles.map((t) => t.heldUntil)),
    results: totals(tiles.flatMap((t) => [t.attempted, t.notAttempted])),
    exits: totals([result.exits]),
  };
}

/**
 * Traces whose contact id contains `query`, or whose phone number contains it when it reads as
 * a number (digits compared without formatting, so an id like "e2e-la" never matches phones).
 */
export function findTraces<T extends { contactId: string; phone?: string | null }>(traces: T[], query: string, limit = 20): T[] {
  const q = query.trim().toLowerCase();
  if (!q) return traces.slice(0, limit);
  const digits = /^[\d\s+().-]+$/.test(q) ? q.replace(/\D/g, "") : "";
  return traces
    .filter((t) => t.contactId.toLowerCase().includes(q) || (digits.length > 0 && (t.phone ?? "").replace(/\D/g, "").includes(digits)))
    .slice(0, limit);
}
