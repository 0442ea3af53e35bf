import { describe, expect, it, vi } from "vitest";
import { journey } from "../test/fixtures";
import { createValidator, patchOf } from "./validation";

describe("validation patches", () => {
  const doc = journey();

  it("an unchanged journey patches nothing but its own fields", () => {
    const p = patchOf(doc, { ...doc, name: "Renamed" });
    expect(p).not.toBeNull();
    expect(p?.tiles).toEqual([]);
    expect(p?.removed).toEqual([]);
    expect(p?.connections).toBeNull();
    expect(p?.head.name).toBe("Renamed");
    expect(p?.head.tiles).toEqual([]);
  });

  it("a field edit sends only the edited tile", () => {
    const edited = { ...doc.tiles[1]!, name: "Edited" };
    const next = { ...doc, tiles: doc.tiles.map((t, i) => (i === 1 ? edited : t)) };
    expect(patchOf(doc, next)?.tiles).toEqual([edited]);
  });

  it("added tiles are appended, removed ones named, connections sent when changed", () => {
    const added = { type: "exit" as const, id: "exit-new", name: "" };
    const gone = doc.tiles[2]!.id;
    const next = {
      ...doc,
      tiles: [...doc.tiles.filter((t) => t.id !== gone), added],
      connections: doc.connections.filter((c) => c.from !== gone && c.to !== gone),
    };
    const p = patchOf(doc, next);
    expect(p?.tiles).toEqual([added]);
    expect(p?.removed).toEqual([gone]);
    expect(p?.connections).toEqual(next.connections);
  });

  it("moved, placed and unplaced tiles send only those positions", () => {
    const moved = { x: 1, y: 2 };
    const positions: typeof doc.layout.positions = { ...doc.layout.positions, [doc.tiles[1]!.id]: moved, fresh: { x: 3, y: 4 } };
    delete positions[doc.tiles[2]!.id];
    const p = patchOf(doc, { ...doc, layout: { positions } });
    expect(p?.placed).toEqual({ [doc.tiles[1]!.id]: moved, fresh: { x: 3, y: 4 } });
    expect(p?.unplaced).toEqual([doc.tiles[2]!.id]);
    const same = patchOf(doc, { ...doc, name: "x" });
    expect(same?.placed).toEqual({});
    expect(same?.unplaced).toEqual([]);
  });

  it("reordered tiles or another journey go whole", () => {
    const [first, second, ...rest] = doc.tiles;
    expect(patchOf(doc, { ...doc, tiles: [second!, first!, ...rest] })).toBeNull();
    expect(patchOf(doc, { ...doc, id: "other" })).toBeNull();
  });
});

const validateEdit = vi.hoisted(() => vi.fn());
vi.mock("../bindings", () => ({ commands: { validateEdit } }));

describe("a validation session", () => {
  it("sends an edit at once when nothing is waiting, and queues one behind an answer", async () => {
    const answers: ((revision: number) => void)[] = [];
    validateEdit.mockImplementation(
      () => new Promise((resolve) => answers.push((revision) => resolve({ status: "ok", data: { revision, complete: true, tiles: [] } }))),
    );
    const v = createValidator();
    const doc = journey();
    const first = v.validate(doc);
    // Sent before anything else runs: the page draws the edit while Rust validates it.
    expect(validateEdit).toHaveBeenCalledTimes(1);
    expect(validateEdit.mock.calls[0]![0].kind).toBe("whole");
    const edited = { ...doc, tiles: doc.tiles.map((t, i) => (i === 1 ? { ...t, name: "Call" } : t)) };
    const second = v.validate(edited);
    await Promise.resolve();
    expect(validateEdit).toHaveBeenCalledTimes(1);
    answers.shift()!(1);
    await first;
    await vi.waitFor(() => expect(validateEdit).toHaveBeenCalledTimes(2));
    const patch = validateEdit.mock.calls[1]![0];
    expect(patch.kind).toBe("patch");
    expect(patch.base).toBe(1);
    expect(patch.tiles.map((t: { id: string }) => t.id)).toEqual(["v1"]);
    answers.shift()!(2);
    await second;
    // Idle again: the next edit goes out at once, from revision 2.
    v.validate({ ...edited, name: "Again" });
    expect(validateEdit).toHaveBeenCalledTimes(3);
    expect(validateEdit.mock.calls[2]![0].base).toBe(2);
  });
});
