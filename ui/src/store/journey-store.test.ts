import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Diagnostic, Journey } from "../ipc";
import { journey } from "../test/fixtures";
import { BURST_MS } from "../editor/history";
import { createJourneyStore } from "./journey-store";
import { groupByTile, listProblems } from "./problems";

function fakeApi() {
  const saved: Journey[] = [];
  const validated: Journey[] = [];
  const resets: number[] = [];
  let diagnostics: Diagnostic[] = [];
  const saveDraft = vi.fn(async (doc: Journey) => {
    saved.push(doc);
    return { id: doc.id, name: doc.name, status: "draft" as const, createdAt: "c", updatedAt: `u${saved.length}`, tileCount: doc.tiles.length, live: null };
  });
  return {
    saved,
    validated,
    resets,
    setDiagnostics: (d: Diagnostic[]) => (diagnostics = d),
    api: {
      saveDraft,
      // Answers in full each time, as the backend does for a journey sent whole.
      validator: () => ({
        validate: vi.fn(async (doc: Journey) => {
          validated.push(doc);
          return { complete: true, tiles: groupByTile(diagnostics) };
        }),
        reset: () => resets.push(validated.length),
        save: saveDraft,
      }),
    },
  };
}

describe("journey store", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("debounces autosave: many edits, one save of the latest document", async () => {
    const f = fakeApi();
    const store = createJourneyStore(journey(), null, { api: f.api, saveDelayMs: 400 });
    for (const name of ["A", "AB", "ABC"]) store.getState().edit((d) => ({ ...d, name }));
    expect(store.getState().saveState).toBe("unsaved");
    await vi.advanceTimersByTimeAsync(399);
    expect(f.saved).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(10);
    expect(f.saved.map((d) => d.name)).toEqual(["ABC"]);
    expect(store.getState().saveState).toBe("saved");
    expect(store.getState().savedAt).toBe("u1");
  });

  it("a notice with Undo goes when history moves on; a plain notice stays", () => {
    const f = fakeApi();
    const store = createJourneyStore(journey(), null, { api: f.api });
    store.getState().edit((d) => ({ ...d, name: "Renamed" }), { label: "rename", key: null });
    store.getState().notify("Renamed", true);
    expect(store.getState().notice?.text).toBe("Renamed");
    store.getState().undo();
    expect(store.getState().notice).toBeNull();
    store.getState().notify("Copied 2 tiles");
    store.getState().redo();
    expect(store.getState().notice?.text).toBe("Copied 2 tiles");
    store.getState().notify("Deleted 2 tiles", true);
    store.getState().edit((d) => ({ ...d, name: "Again" }), { label: "rename", key: null });
    expect(store.getState().notice).toBeNull();
  });

  it("an edit that changes nothing is not saved", async () => {
    const f = fakeApi();
    const store = createJourneyStore(journey(), null, { api: f.api });
    store.getState().edit((d) => d);
    await vi.advanceTimersByTimeAsync(1000);
    expect(f.saved).toHaveLength(0);
    expect(store.getState().saveState).toBe("saved");
  });

  it("flush saves at once, and a failed save says why and stays visible", async () => {
    const f = fakeApi();
    const store = createJourneyStore(journey(), null, { api: f.api });
    store.getState().edit((d) => ({ ...d, name: "Now" }));
    await store.getState().flush();
    expect(f.saved.map((d) => d.name)).toEqual(["Now"]);
    f.api.saveDraft.mockRejectedValueOnce(new Error("disk full"));
    store.getState().edit((d) => ({ ...d, name: "Later" }));
    await store.getState().flush();
    expect(store.getState().saveState).toBe("error");
    expect(store.getState().saveError).toBe("disk full");
  });

  it("validates after each edit and shows the diagnostics", async () => {
    const f = fakeApi();
    const store = createJourneyStore(journey(), null, { api: f.api, validateDelayMs: 150 });
    await vi.advanceTimersByTimeAsync(0);
    expect(f.validated).toHaveLength(1);
    const problem: Diagnostic = { code: "journey.name-missing", severity: "error", tileId: null, path: "name", message: "Give the journey a name." };
    f.setDiagnostics([problem]);
    store.getState().edit((d) => ({ ...d, name: "" }));
    await vi.advanceTimersByTimeAsync(200);
    expect(f.validated.at(-1)?.name).toBe("");
    expect(listProblems(store.getState().problems, store.getState().doc.tiles)).toEqual([problem]);
  });

  it("with no delay, an edit is sent for validation before anything draws it", async () => {
    const f = fakeApi();
    const store = createJourneyStore(journey(), null, { api: f.api, validateDelayMs: 0 });
    await vi.advanceTimersByTimeAsync(0);
    const seen: string[] = [];
    store.subscribe((s) => seen.push(`${s.doc.name} drawn after ${f.validated.at(-1)?.name} was sent`));
    store.getState().edit((d) => ({ ...d, name: "Edited" }));
    expect(seen[0]).toBe("Edited drawn after Edited was sent");
  });

  it("problems a publish names are shown until the next validation, which answers in full", async () => {
    const f = fakeApi();
    const store = createJourneyStore(journey(), null, { api: f.api, validateDelayMs: 0 });
    await vi.advanceTimersByTimeAsync(0);
    const refused: Diagnostic = { code: "voice.purpose-missing", severity: "error", tileId: "v1", path: "purposeId", message: "Choose the purpose." };
    store.getState().showProblems([refused]);
    expect(store.getState().problems.errors).toBe(1);
    expect(f.resets).toEqual([1]);
    store.getState().edit((d) => ({ ...d, name: "Again" }));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().problems.errors).toBe(0);
    expect(store.getState().problems.byTile.size).toBe(0);
  });

  it("focusing a diagnostic selects its tile and asks for its field", () => {
    const f = fakeApi();
    const store = createJourneyStore(journey(), null, { api: f.api });
    store.getState().focusDiagnostic({ code: "journey.name-missing", severity: "error", tileId: "v1", path: "engagementId", message: "m" });
    expect(store.getState().selection).toBe("v1");
    expect(store.getState().focus).toMatchObject({ tileId: "v1", path: "engagementId", nonce: 1 });
  });

  it("a journey time-zone problem opens the start tile's panel", () => {
    const f = fakeApi();
    const store = createJourneyStore(journey(), null, { api: f.api });
    store.getState().focusDiagnostic({ code: "journey.name-missing", severity: "error", tileId: null, path: "timeZone", message: "m" });
    expect(store.getState().selection).toBe("start");
    expect(store.getState().focus).toMatchObject({ tileId: "start", path: "timeZone" });
    store.getState().focusDiagnostic({ code: "journey.name-missing", severity: "error", tileId: null, path: "name", message: "m" });
    expect(store.getState().selection).toBeNull();
  });

  it("deleting the selected tile clears the selection", () => {
    const f = fakeApi();
    const store = createJourneyStore(journey(), null, { api: f.api });
    store.getState().select("x1");
    store.getState().edit((d) => ({ ...d, tiles: d.tiles.filter((t) => t.id !== "x1") }));
    expect(store.getState().selection).toBeNull();
  });

  it("arrow-key moves are one undo step per burst of presses, named after the tiles", () => {
    const f = fakeApi();
    const doc = journey();
    const store = createJourneyStore(doc, null, { api: f.api });
    const at = (id: string) => store.getState().doc.layout.positions[id];
    // Three presses 200 ms apart: one step, undone at once.
    store.getState().moveByKeys({ x1: { x: 905, y: 0 } }, 1000);
    store.getState().moveByKeys({ x1: { x: 910, y: 0 } }, 1200);
    store.getState().moveByKeys({ x1: { x: 915, y: 0 } }, 1400);
    expect(store.getState().history.past).toHaveLength(1);
    expect(store.getState().history.past[0]!.label).toBe("move 'Done'");
    expect(at("x1")).toEqual({ x: 915, y: 0 });
    // After a pause, the next press starts a new step; so does another selection.
    store.getState().moveByKeys({ x1: { x: 915, y: 5 } }, 1400 + BURST_MS);
    store.getState().moveByKeys({ v1: { x: 300, y: 5 }, x1: { x: 915, y: 10 } }, 1400 + BURST_MS + 100);
    expect(store.getState().history.past.map((s) => s.label)).toEqual(["move 'Done'", "move 'Done'", "move 2 tiles"]);
    store.getState().undo();
    store.getState().undo();
    expect(at("x1")).toEqual({ x: 915, y: 0 });
    store.getState().undo();
    expect(store.getState().doc.layout).toBe(doc.layout);
    store.getState().redo();
    expect(at("x1")).toEqual({ x: 915, y: 0 });
  });
});
