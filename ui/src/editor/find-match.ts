// Which tiles a Find query matches: by name, kind, engagement (conversation) or problem text.
import type { Catalog, Diagnostic, Journey, Tile } from "../ipc";
import { kinds } from "../tiles/kinds";

export type FindHit = { tile: Tile; detail: string };

export function findTiles(doc: Journey, diagnostics: readonly Diagnostic[], catalog: Catalog, query: string): FindHit[] {
  const q = query.trim().toLowerCase();
  const problems = new Map<string, string[]>();
  for (const d of diagnostics) if (d.tileId) problems.set(d.tileId, [...(problems.get(d.tileId) ?? []), d.message]);
  const hits: FindHit[] = [];
  for (const tile of doc.tiles) {
    const kind = kinds[tile.type].label;
    const engagement = tile.type === "voiceConversation" ? catalog.engagements.find((e) => e.id === tile.engagementId)?.name : undefined;
    const own = problems.get(tile.id) ?? [];
    const problem = own.find((m) => m.toLowerCase().includes(q));
    const fields = [tile.name, kind, engagement ?? ""].map((f) => f.toLowerCase());
    if (q && !fields.some((f) => f.includes(q)) && !problem) continue;
    const detail = [kind, engagement, problem ?? (own.length ? `${own.length} problem${own.length === 1 ? "" : "s"}` : null)].filter(Boolean).join(" · ");
    hits.push({ tile, detail });
  }
  return hits;
}
