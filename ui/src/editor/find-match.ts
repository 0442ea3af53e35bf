// Which tiles a Find query matches: by name, kind, engagement (conversation) or problem text.
import type { Catalog, Journey, Tile } from "../ipc";
import { problemsOfTile, type Problems } from "../store/problems";
import { kinds } from "../tiles/kinds";

export type FindHit = { tile: Tile; detail: string };

export function findTiles(doc: Journey, problems: Problems, catalog: Catalog, query: string): FindHit[] {
  const q = query.trim().toLowerCase();
  const hits: FindHit[] = [];
  for (const tile of doc.tiles) {
    const kind = kinds[tile.type].label;
    const engagement = tile.type === "voiceConversation" ? catalog.engagements.find((e) => e.id === tile.engagementId)?.name : undefined;
    const own = problemsOfTile(problems, tile.id).map((d) => d.message);
    const problem = own.find((m) => m.toLowerCase().includes(q));
    const fields = [tile.name, kind, engagement ?? ""].map((f) => f.toLowerCase());
    if (q && !fields.some((f) => f.includes(q)) && !problem) continue;
    const detail = [kind, engagement, problem ?? (own.length ? `${own.length} problem${own.length === 1 ? "" : "s"}` : null)].filter(Boolean).join(" · ");
    hits.push({ tile, detail });
  }
  return hits;
}
