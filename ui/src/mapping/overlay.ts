// Pure mapping from per-tile counts (a live version's, or a test run's) to what the canvas
// draws on top of each tile and edge. Rendering lives in ../canvas/overlay.tsx.
import { RULES, type Journey, type TileCounts } from "../ipc";
import { edgeId } from "./flow";

export type OverlayTone = "neutral" | "active" | "good" | "warn" | "bad";

/** One counted line on a tile, e.g. "Held by quiet time 3". */
export type OverlayLine = {
  key: string;
  label: string;
  value: number;
  tone: OverlayTone;
  /** A breakdown for the tooltip, e.g. "LiveAnswer 5 · Voicemail 2". */
  detail?: string;
  /** A part of the line above (a block reason under "Blocked"), drawn indented. */
  sub?: boolean;
};

export type TileOverlay = {
  entered: number;
  lines: OverlayLine[];
  /** Contacts that left by each output key (branch id, `other`, `next`). */
  outputs: Record<string, number>;
};

export type CanvasOverlay = {
  /** What the numbers are, e.g. "Live · v3" or "Test run". */
  title: string;
  tiles: Record<string, TileOverlay>;
  /** Contacts that went along each edge, by `edgeId`. */
  edges: Record<string, number>;
};

/** Rust's words for each block code (`designer_rules`), by the code's letters in lower case. */
const BLOCK_LABELS: Record<string, string> = Object.fromEntries(
  Object.entries(RULES.blockWords).map(([code, words]) => [code.replace(/[^a-z]/gi, "").toLowerCase(), words]),
);

/** A block code (`CONSENT_PURPOSE_OPTED_OUT` or `consentPurposeOptedOut`) in words. */
export function blockLabel(code: string): string {
  const key = code.replace(/[^a-z]/gi, "").toLowerCase();
  return BLOCK_LABELS[key] ?? code.replace(/_/g, " ").toLowerCase();
}

function sum(values: Record<string, number | undefined>): number {
  return Object.values(values).reduce<number>((n, v) => n + (v ?? 0), 0);
}

function breakdown(values: Record<string, number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => (v ?? 0) > 0)
    .map(([k, v]) => `${k} ${v ?? 0}`)
    .join(" · ");
}

function tileOverlay(c: TileCounts, singleOutput: string | null): TileOverlay {
  const lines: OverlayLine[] = [];
  const push = (key: string, label: string, value: number, tone: OverlayTone, detail?: string, sub = false) => {
    if (value > 0) lines.push({ key, label, value, tone, ...(detail ? { detail } : {}), ...(sub ? { sub } : {}) });
  };
  push("waiting", "Waiting", c.waiting, "active");
  push("held", "Held by quiet time", c.held, "warn");
  push("sent", "Calls requested", c.sent, "neutral");
  push("attempted", "Attempted", sum(c.attempted), "good", breakdown(c.attempted));
  push("notAttempted", "Not attempted", sum(c.notAttempted), "warn", breakdown(c.notAttempted));
  push("blocked", "Blocked", sum(c.blocked), "bad");
  for (const [code, n] of Object.entries(c.blocked)) push(`blocked:${code}`, blockLabel(code), n ?? 0, "bad", code, true);
  push("completed", "Ended here", c.completed, "neutral");

  const outputs: Record<string, number> = {};
  for (const [branch, n] of Object.entries(c.branches)) outputs[branch] = n ?? 0;
  // Tiles with one output do not count a branch: everyone who entered and is neither still
  // on the tile nor ended here went on.
  if (singleOutput && outputs[singleOutput] === undefined) {
    const passed = c.entered - c.waiting - c.held - c.completed;
    if (passed > 0) outputs[singleOutput] = passed;
  }
  return { entered: c.entered, lines, outputs };
}

/** The overlay for `doc` from a counts table keyed by tile id (tiles without counts get none). */
export function overlayFromCounts(doc: Journey, counts: Partial<Record<string, TileCounts>>, title: string): CanvasOverlay {
  const outputsOf = new Map<string, Set<string>>();
  for (const c of doc.connections) {
    const set = outputsOf.get(c.from) ?? new Set<string>();
    set.add(c.output);
    outputsOf.set(c.from, set);
  }
  const tiles: Record<string, TileOverlay> = {};
  for (const tile of doc.tiles) {
    const c = counts[tile.id];
    if (!c) continue;
    const outs = outputsOf.get(tile.id);
    const single = outs && outs.size === 1 && outs.has("next") ? "next" : null;
    tiles[tile.id] = tileOverlay(c, single);
  }
  const edges: Record<string, number> = {};
  for (const c of doc.connections) {
    const n = tiles[c.from]?.outputs[c.output];
    if (n !== undefined && n > 0) edges[edgeId(c)] = n;
  }
  return { title, tiles, edges };
}
