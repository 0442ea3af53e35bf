// One store per open journey: the document, its undo history, the selection, the problems
// and the save state. Every edit is one undoable step, autosaved (debounced; the backend saves
// the copy it validated, so nothing is sent) and validated by
// the Rust validator (debounced; by default at once): in the page (WebAssembly), in the
// edit's own task, else through the app. The problems are kept by tile and updated from deltas.
import { createContext, useContext } from "react";
import { createStore, useStore, type StoreApi } from "zustand";
import { describeEdit, quoted } from "../editor/describe";
import * as H from "../editor/history";
import type { Api, Diagnostic, Journey } from "../ipc";
import { moveTiles, type Point } from "./edits";
import { errorMessage } from "../ipc";
import { NO_PROBLEMS, applyProblems, problemsOf, type Problems } from "./problems";
import { tileById, tileIndex } from "./tile-index";

/** Journey-level fields whose inputs live on the start tile's panel. */
export const JOURNEY_FIELDS_ON_START: readonly string[] = ["timeZone", "audience"];

export type SaveState = "saved" | "saving" | "unsaved" | "error";

export type FocusRequest = { tileId: string | null; path: string | null; nonce: number };

/** How an edit is named in the history, and which edits coalesce into one step. */
export type EditOptions = { label?: string; key?: string | null };

/** A short message over the canvas ("Deleted 'Call outcome'"), optionally with an Undo button. */
export type Notice = { text: string; undo: boolean; id: number };

export type JourneyState = {
  doc: Journey;
  history: H.History;
  /** The tile the inspector shows: the selected tile when exactly one is selected. */
  selection: string | null;
  /** Selected tiles and connections (edge ids), in selection order. */
  selected: readonly string[];
  selectedEdges: readonly string[];
  notice: Notice | null;
  /** The validator's problems of the document, by tile. */
  problems: Problems;
  saveState: SaveState;
  saveError: string | null;
  savedAt: string | null;
  focus: FocusRequest | null;
  /** Change the document as one undoable step (named and coalesced by `options`). */
  edit: (change: (doc: Journey) => Journey, options?: EditOptions) => void;
  /** `edit` with a label: what "restore a version" and other commands use. */
  apply: (label: string, mutate: (doc: Journey) => Journey, coalesceKey?: string) => void;
  /**
   * Tiles moved by the arrow keys at time `now` (ms): one undoable step per burst of presses
   * on the same tiles ("move 'Call 1'", "move 3 tiles").
   */
  moveByKeys: (moves: Readonly<Record<string, Point>>, now: number) => void;
  undo: () => H.Step | null;
  redo: () => H.Step | null;
  select: (tileId: string | null) => void;
  setSelection: (tiles: readonly string[], edges?: readonly string[]) => void;
  notify: (text: string, undo?: boolean) => void;
  dismissNotice: () => void;
  focusDiagnostic: (d: Diagnostic) => void;
  /** Show these problems (a refused publish) until the next validation replaces them all. */
  showProblems: (list: readonly Diagnostic[]) => void;
  /** Save now if anything is unsaved; resolves when the document on screen is stored. */
  flush: () => Promise<void>;
  /** Validate again without an edit (the catalog or its segment lists changed). */
  revalidate: () => void;
  dispose: () => void;
};

export type JourneyDeps = {
  /** `validator` validates and saves (a read-only view's refuses to save). */
  api: Pick<Api, "validator">;
  saveDelayMs?: number;
  validateDelayMs?: number;
};

export type JourneyStore = StoreApi<JourneyState>;

/**
 * The latest time of a step of an edit (`switchboard:edit-stored`, `…:validate-sent`,
 * `…-answered`, `…-applied`), for the edit benchmark to read through WebDriver; one mark of
 * each name kept.
 */
function mark(name: string) {
  const full = `switchboard:${name}`;
  performance.clearMarks(full);
  performance.mark(full);
}

export function createJourneyStore(doc: Journey, savedAt: string | null, { api, saveDelayMs = 400, validateDelayMs = 150 }: JourneyDeps): JourneyStore {
  const validator = api.validator();
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  let validateTimer: ReturnType<typeof setTimeout> | null = null;
  let saving: Promise<void> | null = null;
  let keyBurst: H.Burst | null = null;
  let disposed = false;

  const store = createStore<JourneyState>()((set, get) => {
    async function save(): Promise<void> {
      if (saving) {
        await saving;
        if (get().saveState === "saved") return;
      }
      const doc = get().doc;
      set({ saveState: "saving" });
      saving = (async () => {
        try {
          const summary = await validator.save(doc);
          if (get().doc === doc) set({ saveState: "saved", saveError: null, savedAt: summary.updatedAt });
          else set({ savedAt: summary.updatedAt });
        } catch (e) {
          set({ saveState: "error", saveError: errorMessage(e) });
        } finally {
          saving = null;
        }
      })();
      await saving;
      // An edit that arrived while saving gets its own save.
      if (!disposed && get().doc !== doc && get().saveState !== "error") scheduleSave(0);
    }

    function scheduleSave(delay: number) {
      if (saveTimer) clearTimeout(saveTimer);
      saveTimer = setTimeout(() => {
        saveTimer = null;
        void save();
      }, delay);
    }

    // Every answer is applied, in order: each is a delta from the one before. The page's
    // validator answers at once, in this task; the app's (the fallback) later.
    function validate(doc: Journey) {
      mark("validate-sent");
      try {
        const now = validator.validateNow?.(doc);
        if (now) {
          mark("validate-answered");
          mark("validated-in-page");
          if (!disposed) set({ problems: applyProblems(get().problems, now) });
          mark("problems-applied");
          return;
        }
      } catch (e) {
        // The app says the same, or validates what the page could not read.
        console.warn("switchboard: the page's validator failed; asking the app:", e);
      }
      void validateByApp(doc);
    }

    async function validateByApp(doc: Journey) {
      try {
        const update = await validator.validate(doc);
        mark("validate-answered");
        if (!disposed && update) set({ problems: applyProblems(get().problems, update) });
        mark("problems-applied");
      } catch {
        // Validation is advisory while editing; the next edit retries (whole).
      }
    }

    function scheduleValidate(doc: Journey) {
      if (validateTimer) clearTimeout(validateTimer);
      if (validateDelayMs === 0) {
        validate(doc);
        return;
      }
      validateTimer = setTimeout(() => {
        validateTimer = null;
        validate(get().doc);
      }, validateDelayMs);
    }

    queueMicrotask(() => validate(get().doc));
    // The page's validator, once ready, answers the journey whole now rather than in the first edit.
    void validator.ready?.then(() => !disposed && validate(get().doc));

    function show(next: Journey, history: H.History) {
      // Validated in the page at once; else sent before the edit is drawn, so Rust validates
      // while React renders.
      scheduleValidate(next);
      const ids = tileIndex(next.tiles);
      const selected = get().selected.filter((id) => ids.has(id));
      const notice = get().notice;
      set({
        doc: next,
        history,
        // A notice's Undo undoes the step it announced: once history moves on (an undo, a
        // redo, another edit) that button would undo something else, so the notice goes.
        notice: notice?.undo ? null : notice,
        saveState: "unsaved",
        selected: selected.length === get().selected.length ? get().selected : selected,
        selection: selected.length === 1 ? (selected[0] ?? null) : null,
      });
      // The store's part of an edit is done; React draws it after the event handler returns.
      mark("edit-stored");
      scheduleSave(saveDelayMs);
    }

    function travel(move: typeof H.undo): H.Step | null {
      const moved = move(get().history);
      if (!moved) return null;
      show(moved.doc, moved.history);
      return moved.step;
    }

    return {
      doc,
      history: H.keptHistory(doc.id, savedAt),
      selection: null,
      selected: [],
      selectedEdges: [],
      notice: null,
      problems: NO_PROBLEMS,
      saveState: "saved",
      saveError: null,
      savedAt,
      focus: null,
      edit: (change, options) => {
        const current = get().doc;
        const next = change(current);
        if (next === current) return;
        const inferred = options?.label === undefined || options.key === undefined ? describeEdit(current, next) : null;
        const step: H.Step = {
          label: options?.label ?? inferred?.label ?? "edit",
          key: options?.key !== undefined ? options.key : (inferred?.key ?? null),
          before: current,
          after: next,
        };
        show(next, H.record(get().history, step));
      },
      apply: (label, mutate, coalesceKey) => get().edit(mutate, { label, key: coalesceKey ?? null }),
      moveByKeys: (moves, now) => {
        const ids = Object.keys(moves).sort();
        const doc = get().doc;
        const tiles = ids.flatMap((id) => tileById(doc, id) ?? []);
        if (!tiles.length) return;
        keyBurst = H.burst(keyBurst, `move-keys:${ids.join(",")}`, now);
        const [first] = tiles;
        const label = tiles.length === 1 && first ? `move ${quoted(first)}` : `move ${tiles.length} tiles`;
        get().edit((d) => moveTiles(d, moves), { label, key: keyBurst.key });
      },
      undo: () => travel(H.undo),
      redo: () => travel(H.redo),
      select: (tileId) => get().setSelection(tileId ? [tileId] : []),
      setSelection: (tiles, edges = []) => {
        const s = get();
        const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
        if (same(s.selected, tiles) && same(s.selectedEdges, edges)) return;
        set({
          selected: same(s.selected, tiles) ? s.selected : tiles,
          selectedEdges: same(s.selectedEdges, edges) ? s.selectedEdges : edges,
          selection: tiles.length === 1 ? (tiles[0] ?? null) : null,
        });
      },
      notify: (text, undo = false) => set({ notice: { text, undo, id: (get().notice?.id ?? 0) + 1 } }),
      dismissNotice: () => set({ notice: null }),
      focusDiagnostic: (d) => {
        // Journey fields edited on the start tile's panel (time zone, audience) focus there.
        const start = get().doc.tiles.find((t) => t.type === "start");
        const tileId = d.tileId ?? (d.path && JOURNEY_FIELDS_ON_START.includes(d.path) && start ? start.id : null);
        set({
          selection: tileId,
          selected: tileId ? [tileId] : [],
          selectedEdges: [],
          focus: { tileId, path: d.path, nonce: (get().focus?.nonce ?? 0) + 1 },
        });
      },
      showProblems: (list) => {
        // The next validation answers in full, so no problem shown here outlives it.
        validator.reset();
        set({ problems: problemsOf(list) });
      },
      flush: async () => {
        if (saveTimer) {
          clearTimeout(saveTimer);
          saveTimer = null;
        }
        if (get().saveState !== "saved") await save();
        else if (saving) await saving;
      },
      revalidate: () => {
        // The page's validator reads the changed catalog first.
        if (validator.refresh) void validator.refresh().then(() => !disposed && scheduleValidate(get().doc));
        else scheduleValidate(get().doc);
      },
      dispose: () => {
        disposed = true;
        const s = get();
        // Reopening this journey in this run of the app keeps its undo, if what is stored is
        // where the history ends.
        if (s.saveState === "saved" && !saveTimer) H.keepHistory(s.doc.id, H.seal(s.history), s.savedAt);
        if (validateTimer) clearTimeout(validateTimer);
        validator.dispose?.();
      },
    };
  });
  return store;
}

export const JourneyContext = createContext<JourneyStore | null>(null);

export function useJourneyStoreApi(): JourneyStore {
  const store = useContext(JourneyContext);
  if (!store) throw new Error("useJourneyStore outside a JourneyContext provider");
  return store;
}

export function useJourney<T>(selector: (s: JourneyState) => T): T {
  return useStore(useJourneyStoreApi(), selector);
}
