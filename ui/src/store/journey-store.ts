// One store per open journey: the document, the selection, the diagnostics and the save state.
// Every edit is autosaved (debounced) and validated by the Rust validator (debounced).
import { createContext, useContext } from "react";
import { createStore, useStore, type StoreApi } from "zustand";
import type { Api, Diagnostic, Journey } from "../ipc";
import { errorMessage } from "../ipc";

/** Journey-level fields whose inputs live on the start tile's panel. */
export const JOURNEY_FIELDS_ON_START: readonly string[] = ["timeZone", "audience"];

export type SaveState = "saved" | "saving" | "unsaved" | "error";

export type FocusRequest = { tileId: string | null; path: string | null; nonce: number };

export type JourneyState = {
  doc: Journey;
  selection: string | null;
  diagnostics: Diagnostic[];
  saveState: SaveState;
  saveError: string | null;
  savedAt: string | null;
  focus: FocusRequest | null;
  edit: (change: (doc: Journey) => Journey) => void;
  select: (tileId: string | null) => void;
  focusDiagnostic: (d: Diagnostic) => void;
  /** Save now if anything is unsaved; resolves when the document on screen is stored. */
  flush: () => Promise<void>;
  /** Validate again without an edit (the catalog or its segment lists changed). */
  revalidate: () => void;
  dispose: () => void;
};

export type JourneyDeps = {
  api: Pick<Api, "saveDraft" | "validateJourney">;
  saveDelayMs?: number;
  validateDelayMs?: number;
};

export type JourneyStore = StoreApi<JourneyState>;

export function createJourneyStore(doc: Journey, savedAt: string | null, { api, saveDelayMs = 400, validateDelayMs = 150 }: JourneyDeps): JourneyStore {
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  let validateTimer: ReturnType<typeof setTimeout> | null = null;
  let saving: Promise<void> | null = null;
  let validationSeq = 0;
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
          const summary = await api.saveDraft(doc);
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

    async function validate() {
      const seq = ++validationSeq;
      const doc = get().doc;
      try {
        const diagnostics = await api.validateJourney(doc);
        if (seq === validationSeq && !disposed) set({ diagnostics });
      } catch {
        // Validation is advisory while editing; the next edit retries.
      }
    }

    function scheduleValidate() {
      if (validateTimer) clearTimeout(validateTimer);
      validateTimer = setTimeout(() => {
        validateTimer = null;
        void validate();
      }, validateDelayMs);
    }

    queueMicrotask(() => void validate());

    return {
      doc,
      selection: null,
      diagnostics: [],
      saveState: "saved",
      saveError: null,
      savedAt,
      focus: null,
      edit: (change) => {
        const current = get().doc;
        const next = change(current);
        if (next === current) return;
        const selection = get().selection;
        set({
          doc: next,
          saveState: "unsaved",
          selection: selection && next.tiles.some((t) => t.id === selection) ? selection : null,
        });
        scheduleSave(saveDelayMs);
        scheduleValidate();
      },
      select: (tileId) => {
        if (get().selection !== tileId) set({ selection: tileId });
      },
      focusDiagnostic: (d) => {
        // Journey fields edited on the start tile's panel (time zone, audience) focus there.
        const start = get().doc.tiles.find((t) => t.type === "start");
        const tileId = d.tileId ?? (d.path && JOURNEY_FIELDS_ON_START.includes(d.path) && start ? start.id : null);
        set({
          selection: tileId,
          focus: { tileId, path: d.path, nonce: (get().focus?.nonce ?? 0) + 1 },
        });
      },
      flush: async () => {
        if (saveTimer) {
          clearTimeout(saveTimer);
          saveTimer = null;
        }
        if (get().saveState !== "saved") await save();
        else if (saving) await saving;
      },
      revalidate: () => scheduleValidate(),
      dispose: () => {
        disposed = true;
        if (validateTimer) clearTimeout(validateTimer);
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
