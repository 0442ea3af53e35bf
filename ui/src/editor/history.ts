// Undo/redo as transactional document snapshots: every step keeps the document before and
// after it. Documents are immutable and edits share untouched subtrees, so a step costs only
// the path it changed (never a deep clone).
import type { Journey } from "../ipc";

/** Steps kept per journey; the oldest go first. */
export const HISTORY_LIMIT = 100;

export type Step = {
  /** What the step did, for "Undo …" ("delete 'Call outcome'"). */
  label: string;
  before: Journey;
  after: Journey;
  /** Steps with the same key in a row coalesce into one (typing in one field). */
  key: string | null;
};

export type History = { past: readonly Step[]; future: readonly Step[] };

export const EMPTY_HISTORY: History = { past: [], future: [] };

/** Record a step. A step with the top step's key replaces that step's `after` instead. */
export function record(h: History, step: Step, limit = HISTORY_LIMIT): History {
  const top = h.past[h.past.length - 1];
  if (step.key !== null && top && top.key === step.key) {
    if (step.after === top.before) return { past: h.past.slice(0, -1), future: [] };
    return { past: [...h.past.slice(0, -1), { ...top, after: step.after }], future: [] };
  }
  const past = h.past.length >= limit ? h.past.slice(h.past.length - limit + 1) : h.past;
  return { past: [...past, step], future: [] };
}

/** Undo the top step: the document to show and the history after it. */
export function undo(h: History): { doc: Journey; history: History; step: Step } | null {
  const step = h.past[h.past.length - 1];
  if (!step) return null;
  return { doc: step.before, step, history: { past: h.past.slice(0, -1), future: [...h.future, step] } };
}

export function redo(h: History): { doc: Journey; history: History; step: Step } | null {
  const step = h.future[h.future.length - 1];
  if (!step) return null;
  return { doc: step.after, step, history: { past: [...h.past, step], future: h.future.slice(0, -1) } };
}

/** Key presses closer together than this make one burst, undone as one step. */
export const BURST_MS = 1000;

export type Burst = { what: string; key: string; at: number };

/**
 * The coalescing key of a key press at `now` (ms) acting on `what` (e.g. the tiles it moves):
 * the running burst's while presses on the same thing follow within BURST_MS, else a new one.
 */
export function burst(prev: Burst | null, what: string, now: number): Burst {
  if (prev && prev.what === what && now - prev.at < BURST_MS) return { ...prev, at: now };
  return { what, key: `${what}@${now}`, at: now };
}

/** A closed step: the next edit with the same key starts a new step. */
export function seal(h: History): History {
  const top = h.past[h.past.length - 1];
  if (!top || top.key === null) return h;
  return { ...h, past: [...h.past.slice(0, -1), { ...top, key: null }] };
}

/**
 * Histories of the journeys opened in this run of the app, by journey id, so closing and
 * reopening a journey keeps its undo. Kept only while the saved document is the one the
 * history ends at (`savedAt` matches the reopened draft).
 */
const kept = new Map<string, { history: History; savedAt: string | null }>();

export function keepHistory(journeyId: string, history: History, savedAt: string | null): void {
  kept.set(journeyId, { history, savedAt });
}

export function keptHistory(journeyId: string, savedAt: string | null): History {
  const k = kept.get(journeyId);
  return k && k.savedAt === savedAt ? k.history : EMPTY_HISTORY;
}
