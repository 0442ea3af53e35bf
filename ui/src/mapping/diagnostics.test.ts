import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../ipc";
import { bestFieldPath, fieldDiagnostics, sortDiagnostics, tileLevel } from "./diagnostics";

const d = (tileId: string | null, path: string | null, severity: "error" | "warning" = "error"): Diagnostic => ({
  code: "journey.name-missing",
  severity,
  tileId,
  path,
  message: `${tileId}:${path}`,
});

describe("diagnostic placement", () => {
  it("finds a field's own and nested diagnostics only", () => {
    const all = [d("t", "branches.1.conditions.0.value"), d("t", "branches.10"), d("t", "engagementId"), d("u", "branches.1")];
    expect(fieldDiagnostics(all, "t", "branches.1").map((x) => x.path)).toEqual(["branches.1.conditions.0.value"]);
    expect(fieldDiagnostics(all, "t", "engagementId")).toHaveLength(1);
    expect(tileLevel([d("t", null), d("t", "x")], "t")).toHaveLength(1);
  });

  it("focuses the exact field, else the deepest field containing the path", () => {
    const fields = ["branches", "branches.1.name", "branches.1.conditions.0", "branches.1.conditions.0.variable"];
    expect(bestFieldPath("branches.1.conditions.0.value", fields)).toBe("branches.1.conditions.0");
    expect(bestFieldPath("branches.1.name", fields)).toBe("branches.1.name");
    expect(bestFieldPath("branches.2", fields)).toBe("branches");
    expect(bestFieldPath("engagementId", fields)).toBeNull();
  });

  it("lists errors before warnings and journey problems first", () => {
    const sorted = sortDiagnostics([d("t", "a", "warning"), d("t", "b"), d(null, "name")]);
    expect(sorted.map((x) => x.path)).toEqual(["name", "b", "a"]);
  });
});
