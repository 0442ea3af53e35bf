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

/**
 * Errors first, then warnings; journey-level problems before tile ones; stable otherwise. One
 * pass into four groups, no sort: the Problems panel orders every problem (5,000 at 10,000
 * tiles) after each validation.
 */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const groups: Diagnostic[][] = [[], [], [], []];
  for (const d of diagnostics) groups[(d.severity === "error" ? 0 : 2) + (d.tileId === null ? 0 : 1)]!.push(d);
  return groups.flat();
}
