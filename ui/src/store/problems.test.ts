import { describe, expect, it } from "vitest";
import type { Diagnostic, TileProblems } from "../ipc";
import { NO_PROBLEMS, applyProblems, groupByTile, listProblems, problemsOf, problemsOfTile, type Problems } from "./problems";

const d = (tileId: string | null, severity: "error" | "warning", message = "m"): Diagnostic => ({
  code: "journey.name-missing",
  severity,
  tileId,
  path: null,
  message,
});

const tiles = [{ id: "a" }, { id: "b" }, { id: "c" }];

/** What the backend answers for a patch: the tiles whose problems differ, each with all its problems now. */
function delta(before: readonly Diagnostic[], after: readonly Diagnostic[]): TileProblems[] {
  const old = new Map(groupByTile(before).map((g) => [g.tileId, g.diagnostics]));
  const now = groupByTile(after);
  const changed = now.filter((g) => JSON.stringify(old.get(g.tileId)) !== JSON.stringify(g.diagnostics));
  const gone = [...old.keys()].filter((id) => !now.some((g) => g.tileId === id)).map((tileId) => ({ tileId, diagnostics: [] }));
  return [...changed, ...gone];
}

describe("problems by tile", () => {
  it("a complete answer replaces everything and counts errors and warnings", () => {
    const first = problemsOf([d("a", "error"), d("a", "warning"), d("b", "warning")]);
    const p = applyProblems(first, { complete: true, tiles: groupByTile([d(null, "error"), d("c", "warning")]) });
    expect(p.byTile.has("a")).toBe(false);
    expect(problemsOfTile(p, "c")).toEqual([d("c", "warning")]);
    expect(problemsOfTile(p, null)).toEqual([d(null, "error")]);
    expect([p.errors, p.warnings]).toEqual([1, 1]);
  });

  it("a delta changes only the tiles it names; the others keep their lists (no redraw)", () => {
    const first = problemsOf([d("a", "warning"), d("b", "warning"), d("c", "error")]);
    const a = problemsOfTile(first, "a");
    const c = problemsOfTile(first, "c");
    const p = applyProblems(first, {
      complete: false,
      tiles: [
        { tileId: "b", diagnostics: [d("b", "error", "now an error")] },
        { tileId: "c", diagnostics: [] },
      ],
    });
    expect(problemsOfTile(p, "a")).toBe(a);
    expect(problemsOfTile(p, "b")).toEqual([d("b", "error", "now an error")]);
    expect(problemsOfTile(p, "c")).toEqual([]);
    expect(p.byTile.has("c")).toBe(false);
    expect([p.errors, p.warnings]).toEqual([1, 1]);
    // The answer before is untouched (the store's earlier state stays as it was).
    expect(problemsOfTile(first, "c")).toBe(c);
    expect([first.errors, first.warnings]).toEqual([1, 2]);
  });

  it("an empty delta keeps the same object, so nothing subscribed renders again", () => {
    const first = problemsOf([d("a", "warning")]);
    expect(applyProblems(first, { complete: false, tiles: [] })).toBe(first);
  });

  it("a run of deltas ends where validating the last journey whole does", () => {
    const revisions: Diagnostic[][] = [
      [d("a", "warning"), d(null, "error")],
      [d("a", "warning"), d("b", "error"), d(null, "error")],
      [d("b", "error"), d("b", "warning"), d("c", "warning")],
      [d("c", "warning", "other words")],
      [],
      [d(null, "warning"), d("a", "error")],
    ];
    let p: Problems = applyProblems(NO_PROBLEMS, { complete: true, tiles: groupByTile(revisions[0]!) });
    for (let i = 1; i < revisions.length; i++) {
      p = applyProblems(p, { complete: false, tiles: delta(revisions[i - 1]!, revisions[i]!) });
      const whole = problemsOf(revisions[i]!);
      expect(listProblems(p, tiles)).toEqual(listProblems(whole, tiles));
      expect([p.errors, p.warnings]).toEqual([whole.errors, whole.warnings]);
    }
  });

  it("lists the journey's problems first, then each tile's in the document's order, then tiles not in it", () => {
    const p = problemsOf([d("c", "warning"), d("gone", "error"), d("a", "error"), d(null, "warning")]);
    expect(listProblems(p, tiles).map((x) => x.tileId)).toEqual([null, "a", "c", "gone"]);
    expect(listProblems(NO_PROBLEMS, tiles)).toEqual([]);
  });
});
