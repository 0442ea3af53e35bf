import { describe, expect, it, vi } from "vitest";
import type { Journey, Tile } from "../ipc";
import { addTile, connect, disconnect, moveTiles, removeTiles, updateTile } from "../store/edits";
import { createJourneyStore } from "../store/journey-store";
import { journey } from "../test/fixtures";
import { toFragment, pasteInto } from "./clipboard";
import { HISTORY_LIMIT, record, type Step } from "./history";
import { tidyPositions } from "./layout";

function fakeApi() {
  let n = 0;
  const saveDraft = vi.fn(async (doc: Journey) => ({
    id: doc.id,
    name: doc.name,
    status: "draft" as const,
    createdAt: "c",
    updatedAt: `u${++n}`,
    tileCount: doc.tiles.length,
    live: null,
  }));
  return {
    saveDraft,
    validator: () => ({ validate: vi.fn(async () => ({ complete: true, tiles: [] })), reset: () => undefined, save: saveDraft }),
  };
}

const exit: Tile = { type: "exit", id: "x2", name: "Also done" };

/** Every kind of document change the editor makes, as (label, change). */
const EDITS: [string, (d: Journey) => Journey | Promise<Journey>][] = [
  ["add", (d) => addTile(d, exit, { x: 5, y: 6 })],
  ["delete", (d) => removeTiles(d, ["w1"])],
  ["move", (d) => moveTiles(d, { v1: { x: 333, y: 44 } })],
  ["connect", (d) => connect(d, { from: "w1", output: "n", to: "x1" })],
  ["disconnect", (d) => disconnect(d, [{ from: "v1", output: "next", to: "w1" }])],
  ["inspector field", (d) => updateTile(d, "v1", (t) => ({ ...t, name: "Renewal call" }))],
  ["journey field", (d) => ({ ...d, timeZone: "Europe/Paris" })],
  ["paste", (d) => pasteInto(d, toFragment(d, ["v1", "w1"]) ?? { tiles: [], connections: [], positions: {} }, { x: 0, y: 400 }).doc],
  ["tidy up", async (d) => moveTiles(d, await tidyPositions(d, () => ({ width: 224, height: 150 })))],
];

describe("undo history", () => {
  it.each(EDITS)("%s undoes and redoes to the same document", async (label, change) => {
    const store = createJourneyStore(journey(), null, { api: fakeApi() });
    const before = store.getState().doc;
    const changed = await change(before);
    expect(changed).not.toEqual(before);
    store.getState().apply(label, () => changed);
    const after = store.getState().doc;
    expect(store.getState().history.past.map((s) => s.label)).toEqual([label]);
    expect(store.getState().undo()?.label).toBe(label);
    expect(store.getState().doc).toBe(before);
    expect(store.getState().redo()?.label).toBe(label);
    expect(store.getState().doc).toBe(after);
    expect(store.getState().doc).toEqual(changed);
    // Undo is a change like any other: it is saved.
    expect(store.getState().saveState).toBe("unsaved");
  });

  it("a new edit clears what could be redone", () => {
    const store = createJourneyStore(journey(), null, { api: fakeApi() });
    const s = () => store.getState();
    s().apply("rename", (d) => ({ ...d, name: "A" }));
    s().undo();
    expect(s().history.future).toHaveLength(1);
    s().apply("rename", (d) => ({ ...d, name: "B" }));
    expect(s().history.future).toHaveLength(0);
    expect(s().redo()).toBeNull();
    expect(s().doc.name).toBe("B");
  });

  it("typing in one field coalesces into one step; another field or another visit starts a new one", () => {
    const store = createJourneyStore(journey(), null, { api: fakeApi() });
    const s = () => store.getState();
    const original = s().doc;
    for (const name of ["R", "Re", "Ren"]) s().edit((d) => updateTile(d, "v1", (t) => ({ ...t, name })), { label: "rename", key: "v1:name" });
    expect(s().history.past).toHaveLength(1);
    s().edit((d) => updateTile(d, "x1", (t) => ({ ...t, name: "End" })), { label: "rename", key: "x1:name" });
    expect(s().history.past).toHaveLength(2);
    // Focusing the field again gives a new key (describe.ts counts focus changes).
    s().edit((d) => updateTile(d, "x1", (t) => ({ ...t, name: "Ended" })), { label: "rename", key: "x1:name:2" });
    expect(s().history.past).toHaveLength(3);
    s().undo();
    s().undo();
    expect(s().doc.tiles.find((t) => t.id === "x1")?.name).toBe("Done");
    s().undo();
    expect(s().doc).toBe(original);
  });

  it("an edit without a label is named after the tile it changed", () => {
    const store = createJourneyStore(journey(), null, { api: fakeApi() });
    store.getState().edit((d) => updateTile(d, "x1", (t) => ({ ...t, name: "Finish" })));
    store.getState().edit((d) => removeTiles(d, ["w1"]));
    expect(store.getState().history.past.map((s) => s.label)).toEqual(["edit 'Done'", "delete 'Wait for trigger'"]);
  });

  it("inspector edits (no label) coalesce while one field has focus, named after the field and tile", () => {
    const store = createJourneyStore(journey(), null, { api: fakeApi() });
    const s = () => store.getState();
    document.body.innerHTML = '<div class="field"><label class="field-label">Tile name</label><input data-path="name" /></div><input data-path="other" />';
    const [name, other] = Array.from(document.querySelectorAll("input"));
    name?.focus();
    for (const v of ["F", "Fi", "Fin"]) s().edit((d) => updateTile(d, "x1", (t) => ({ ...t, name: v })));
    expect(s().history.past.map((h) => h.label)).toEqual(["edit tile name of 'Done'"]);
    other?.focus();
    name?.focus();
    s().edit((d) => updateTile(d, "x1", (t) => ({ ...t, name: "Final" })));
    expect(s().history.past).toHaveLength(2);
    s().undo();
    s().undo();
    expect(s().doc.tiles.find((t) => t.id === "x1")?.name).toBe("Done");
    document.body.innerHTML = "";
  });

  it("keeps at most HISTORY_LIMIT steps, dropping the oldest", () => {
    const store = createJourneyStore(journey(), null, { api: fakeApi() });
    const s = () => store.getState();
    for (let i = 1; i <= HISTORY_LIMIT + 20; i++) s().apply(`step ${i}`, (d) => ({ ...d, name: `N${i}` }));
    expect(s().history.past).toHaveLength(HISTORY_LIMIT);
    expect(s().history.past[0]?.label).toBe("step 21");
    while (s().undo());
    expect(s().doc.name).toBe("N20");
  });

  it("steps share untouched parts of the document (no deep copies)", () => {
    const store = createJourneyStore(journey(), null, { api: fakeApi() });
    const before = store.getState().doc;
    store.getState().edit((d) => updateTile(d, "x1", (t) => ({ ...t, name: "Finish" })));
    const step = store.getState().history.past[0] as Step;
    expect(step.before).toBe(before);
    expect(step.after.tiles[0]).toBe(before.tiles[0]);
    expect(step.after.layout).toBe(before.layout);
    expect(step.after.connections).toBe(before.connections);
  });

  it("typing back to where the step started leaves no step", () => {
    const doc = journey();
    const other = { ...doc, name: "X" };
    const h = record({ past: [], future: [] }, { label: "rename", key: "k", before: doc, after: other });
    expect(record(h, { label: "rename", key: "k", before: other, after: doc }).past).toHaveLength(0);
  });

  it("survives closing and reopening the journey while the app runs", async () => {
    const api = fakeApi();
    const first = createJourneyStore(journey(), "u0", { api });
    first.getState().apply("rename journey", (d) => ({ ...d, name: "Kept" }));
    await first.getState().flush();
    const savedAt = first.getState().savedAt;
    first.getState().dispose();
    const reopened = createJourneyStore({ ...journey(), name: "Kept" }, savedAt, { api });
    expect(reopened.getState().history.past.map((s) => s.label)).toEqual(["rename journey"]);
    reopened.getState().undo();
    expect(reopened.getState().doc.name).toBe("Renewals");
    // Opened at another saved state (changed elsewhere): the history would lie, so it starts empty.
    const elsewhere = createJourneyStore(journey(), "u-other", { api });
    expect(elsewhere.getState().history.past).toHaveLength(0);
  });
});
