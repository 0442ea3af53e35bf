// The page's validator as the app ships it: the real WebAssembly module (built by
// `scripts/build-wasm.sh`, npm's pretest), initialised from its bytes in Node.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { journey } from "../test/fixtures";
import { createJourneyStore } from "../store/journey-store";
import { listProblems } from "../store/problems";
import { PageSession, loadPageValidatorFrom } from "./page-validator";
import type { Journey } from "./index";
import type { Validator } from "./validation";

const CATALOG = readFileSync(resolve(import.meta.dirname, "../../../journeys/samples/catalog.json"), "utf8");
const FRESH = { catalog: CATALOG, freshness: { kind: "fresh" as const }, askAgainAt: null };

function session(): PageSession {
  const s = new PageSession();
  s.setContext(FRESH);
  return s;
}

/** A validator whose only way to answer is the page's: the app is never asked. */
function pageOnly(s: PageSession): Validator {
  const never = () => Promise.reject(new Error("the app was asked"));
  return { validateNow: (doc) => s.validate(doc), validate: never, reset: () => s.reset(), save: never };
}

const codes = (tiles: { diagnostics: { code: string }[] }[]) => tiles.flatMap((t) => t.diagnostics.map((d) => d.code));

describe("the page's validator (WebAssembly)", () => {
  beforeAll(() => loadPageValidatorFrom(readFileSync(resolve(import.meta.dirname, "../wasm-validator/validator_wasm_bg.wasm"))));

  it("answers a journey whole, then an edit as the delta of the tiles it changed", () => {
    const s = session();
    const doc = journey();
    const first = s.validate(doc);
    expect(first.complete).toBe(true);
    expect(codes(first.tiles)).not.toContain("journey.name-missing");
    const renamed: Journey = { ...doc, name: "" };
    const second = s.validate(renamed);
    expect(second.complete).toBe(false);
    expect(second.revision).toBeGreaterThan(first.revision);
    expect(second.tiles.map((t) => t.tileId)).toEqual([null]);
    expect(codes(second.tiles)).toContain("journey.name-missing");
    // And back: the journey's own problems are what they were (an empty list when none).
    const third = s.validate(doc);
    expect(third.tiles).toEqual([{ tileId: null, diagnostics: first.tiles.find((t) => t.tileId === null)?.diagnostics ?? [] }]);
  });

  it("says what it cannot read instead of failing silently", () => {
    const s = new PageSession();
    expect(() => s.setContext({ ...FRESH, catalog: '{"engagements": 3}' })).toThrow(/the catalog is not valid/);
    expect(() => s.validate(journey())).toThrow(/no catalog yet/);
    s.setContext(FRESH);
    expect(() => s.validate({ ...journey(), tiles: [{ type: "no-such-tile" }] } as unknown as Journey)).toThrow(/the journey to validate is not valid/);
  });

  it("puts an edit's problems in the store in the same task, without asking the app", () => {
    const store = createJourneyStore(journey(), null, { api: { validator: () => pageOnly(session()) }, validateDelayMs: 0 });
    store.getState().edit((d) => ({ ...d, name: "" }));
    // No await: the edit and its problems land together.
    const shown = listProblems(store.getState().problems, store.getState().doc.tiles).map((d) => d.code);
    expect(shown).toContain("journey.name-missing");
    store.getState().undo();
    expect(listProblems(store.getState().problems, store.getState().doc.tiles).map((d) => d.code)).not.toContain("journey.name-missing");
    store.getState().dispose();
  });

  it("answers the journey whole as soon as it is ready, not in the first edit", async () => {
    const s = session();
    let ready = false;
    let answers = 0;
    let resolve = () => {};
    const counted: Validator = {
      ...pageOnly(s),
      ready: new Promise<void>((r) => (resolve = r)),
      validateNow: (doc) => (ready ? (answers++, s.validate(doc)) : null),
    };
    const store = createJourneyStore({ ...journey(), name: "" }, null, { api: { validator: () => counted }, validateDelayMs: 0 });
    const shown = () => listProblems(store.getState().problems, store.getState().doc.tiles).map((d) => d.code);
    await new Promise((r) => setTimeout(r, 0));
    expect(answers).toBe(0);
    expect(shown()).not.toContain("journey.name-missing");
    ready = true;
    resolve();
    await new Promise((r) => setTimeout(r, 0));
    expect(answers).toBe(1);
    expect(shown()).toContain("journey.name-missing");
    store.getState().dispose();
  });
});
