// Pure helpers that place validator diagnostics on tiles and fields.
import type { Diagnostic } from "../ipc";

/** Diagnostics that belong to a field: its own path or anything beneath it. */
export function fieldDiagnostics(diagnostics: readonly Diagnostic[], tileId: string | null, path: string): Diagnostic[] {
  return diagnostics.filter((d) => d.tileId === tileId && d.path !== null && (d.path === path || d.path.startsWith(`${path}.`)));
}

/** Diagnostics of a tile as a whole (no field path). */
export function tileLevel(diagnostics: readonly Diagnostic[], tileId: string): Diagnostic[] {
  return diagnostics.filter((d) => d.tileId === tileId && d.path === null);
}

/**
 * The field to focus for a diagnostic path among the fields on screen: the exact path, else
 * the longest one that is a prefix of it (`branches.1.conditions.0` for `...0.value`).
 */
export function bestFieldPath(path: string, available: readonly string[]): string | null {
  if (available.includes(path)) return path;
  let best: string | null = null;
  for (const candidate of available) {
    if (path.startsWith(`${candidate}.`) && (!best || candidate.length > best.length)) best = candidate;
  }
  return best;
}

/** Errors first, then warnings; journey-level problems before tile ones; stable otherwise. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort(
      (a, b) =>
        (a.d.severity === b.d.severity ? 0 : a.d.severity === "error" ? -1 : 1) || (a.d.tileId === null ? -1 : 0) - (b.d.tileId === null ? -1 : 0) || a.i - b.i,
    )
    .map((x) => x.d);
}
