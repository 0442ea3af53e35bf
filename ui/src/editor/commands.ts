// What the editor's actions do: each is one undoable step on the open journey, named after
// what it did. The registry (actions.ts) binds them to keys, menus and the shortcut sheet.
import type { Edge, ReactFlowInstance } from "@xyflow/react";
import { readText, writeText } from "@tauri-apps/plugin-clipboard-manager";
import { api, errorMessage, type Journey, type Tile, type TileType } from "../ipc";
import { TILE_WIDTH, fromEdge, type TileNode } from "../mapping/flow";
import { addTile, connect, disconnect, moveTiles, newId, outputsOf, pointOf, removeTiles, type Point } from "../store/edits";
import type { JourneyStore } from "../store/journey-store";
import { kinds } from "../tiles/kinds";
import { toFragment, pasteInto, type Fragment } from "./clipboard";
import { quoted } from "./describe";
import { tidyPositions } from "./layout";

export type Flow = ReactFlowInstance<TileNode, Edge>;

/** Above this many tiles the canvas shows the start tile rather than fitting the whole journey. */
export const FIT_LIMIT = 60;
export type EditorContext = { store: JourneyStore; flow: Flow };

/** "'Call outcome'" for one tile, "3 tiles" for more. */
export function tilesPhrase(tiles: readonly Tile[]): string {
  const [first] = tiles;
  return tiles.length === 1 && first ? quoted(first) : `${tiles.length} tiles`;
}

function selectedTiles({ store }: EditorContext, withStart = false): Tile[] {
  const s = store.getState();
  const ids = new Set(s.selected);
  return s.doc.tiles.filter((t) => ids.has(t.id) && (withStart || t.type !== "start"));
}

export function canDelete(ctx: EditorContext): boolean {
  const s = ctx.store.getState();
  return s.selected.length > 0 || s.selectedEdges.length > 0;
}

/** Delete the selected tiles (never the start tile) with their connections, and the selected connections. */
export function deleteSelection(ctx: EditorContext, verb = "delete"): void {
  const s = ctx.store.getState();
  const tiles = selectedTiles(ctx);
  const edgeIds = new Set(s.selectedEdges);
  const links = s.doc.connections.filter((c) => edgeIds.has(`${c.from}:${c.output}->${c.to}`));
  if (!tiles.length && !links.length) {
    if (s.selected.length) s.notify("The start tile cannot be deleted");
    return;
  }
  const what = tiles.length ? tilesPhrase(tiles) : links.length === 1 ? "connection" : `${links.length} connections`;
  s.apply(`${verb} ${what}`, (d) =>
    disconnect(
      removeTiles(
        d,
        tiles.map((t) => t.id),
      ),
      links,
    ),
  );
  s.setSelection([]);
  const done = verb === "cut" ? "Cut" : "Deleted";
  s.notify(`${done} ${what}`, true);
}

export function selectAll({ store }: EditorContext): void {
  const s = store.getState();
  s.setSelection(s.doc.tiles.map((t) => t.id));
}

export async function copySelection(ctx: EditorContext): Promise<boolean> {
  const s = ctx.store.getState();
  const fragment = toFragment(s.doc, s.selected);
  if (!fragment) {
    s.notify("Select tiles to copy (the start tile is never copied)");
    return false;
  }
  try {
    await writeText(JSON.stringify(fragment, null, 2));
  } catch (e) {
    s.notify(`Couldn't copy: ${errorMessage(e)}`);
    return false;
  }
  s.notify(`Copied ${tilesPhrase(fragment.tiles)}`);
  return true;
}

export async function cutSelection(ctx: EditorContext): Promise<void> {
  if (await copySelection(ctx)) deleteSelection(ctx, "cut");
}

/** The centre of the visible canvas, in flow coordinates. */
export function viewCentre(flow: Flow): Point {
  const pane = document.querySelector(".react-flow")?.getBoundingClientRect();
  if (!pane) return { x: 0, y: 0 };
  return flow.screenToFlowPosition({ x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 });
}

function insert(ctx: EditorContext, fragment: Pick<Fragment, "tiles" | "connections" | "positions">, at: Point | null, verb: string) {
  const s = ctx.store.getState();
  let ids: string[] = [];
  const phrase = tilesPhrase(fragment.tiles);
  s.apply(`${verb} ${phrase}`, (d) => {
    let r = pasteInto(d, fragment, at);
    // Not on top of other tiles: move the pasted block down until it is clear.
    const placed = (ids: readonly string[]) => ids.flatMap((id) => pointOf(r.doc.layout.positions[id]) ?? []);
    const topLeft = placed(r.ids).reduce((m, p) => ({ x: Math.min(m.x, p.x), y: Math.min(m.y, p.y) }), { x: Infinity, y: Infinity });
    for (let down = 1; down <= 40 && placed(r.ids).some((p) => overlaps(d, p)); down++) r = pasteInto(d, fragment, { x: topLeft.x, y: topLeft.y + down * 160 });
    ids = r.ids;
    return r.doc;
  });
  s.setSelection(ids);
  revealAll(ctx, ids);
}

/** Paste tiles from the system clipboard; anything else leaves the journey unchanged and says why. */
export async function paste(ctx: EditorContext, at: Point | null): Promise<void> {
  const s = ctx.store.getState();
  let text: string;
  try {
    text = await readText();
  } catch {
    s.notify("Nothing to paste: the clipboard holds no text");
    return;
  }
  try {
    const fragment = await api.parseFragment(text);
    const centre = viewCentre(ctx.flow);
    insert(ctx, fragment, at ?? { x: Math.round(centre.x - TILE_WIDTH / 2), y: Math.round(centre.y - 60) }, "paste");
  } catch (e) {
    s.notify(`Couldn't paste: ${errorMessage(e)}`);
  }
}

export function duplicateSelection(ctx: EditorContext): void {
  const s = ctx.store.getState();
  const fragment = toFragment(s.doc, s.selected);
  if (fragment) insert(ctx, fragment, null, "duplicate");
}

/** The drawn size of a tile: measured when React Flow has drawn it, else its estimate. */
export function sizeOf(flow: Flow, t: Tile): { width: number; height: number } {
  const m = flow.getInternalNode(t.id)?.measured;
  if (m?.width && m.height) return { width: m.width, height: m.height };
  const outputs = outputsOf(t).length;
  return { width: TILE_WIDTH, height: 96 + (outputs ? 9 + outputs * 26 : 0) };
}

export async function tidyUp(ctx: EditorContext): Promise<void> {
  const s = ctx.store.getState();
  const doc = s.doc;
  const positions = await tidyPositions(doc, (t) => sizeOf(ctx.flow, t));
  // An edit made while ELK ran wins: lay out again rather than overwrite it.
  if (ctx.store.getState().doc !== doc) return;
  s.apply("tidy up", (d) => moveTiles(d, positions));
  // Like opening: a small journey is fitted to the window; a big one shows its start tile at a
  // readable zoom (fitting 500 tiles would shrink them to dots and draw every one).
  const start = doc.tiles.find((t) => t.type === "start");
  const p = start ? positions[start.id] : undefined;
  requestAnimationFrame(() => {
    if (doc.tiles.length <= FIT_LIMIT || !p) void ctx.flow.fitView({ maxZoom: 1, padding: 0.2, duration: 200 });
    else void ctx.flow.setViewport({ x: -p.x * 0.8 + 60, y: -p.y * 0.8 + 120, zoom: 0.8 }, { duration: 200 });
  });
}

/**
 * Scroll the canvas just enough that a tile is in view (or centre it, `centre`). Checked after
 * React has drawn the change and again once the canvas has settled its size (a newly shown
 * inspector takes room from it).
 */
export function reveal({ flow, store }: EditorContext, id: string, centre = false): void {
  const margin = 24;
  const check = (force: boolean) => {
    const p = pointOf(store.getState().doc.layout.positions[id]);
    const pane = document.querySelector(".react-flow")?.getBoundingClientRect();
    // Never pan under a tile being dragged.
    if (!p || !pane || flow.getNodes().some((n) => n.dragging)) return;
    if (force) {
      void flow.setCenter(p.x + TILE_WIDTH / 2, p.y + 60, { zoom: Math.max(flow.getZoom(), 0.8), duration: 250 });
      return;
    }
    const tl = flow.flowToScreenPosition(p);
    const br = flow.flowToScreenPosition({ x: p.x + TILE_WIDTH, y: p.y + 120 });
    const shift = (lo: number, hi: number, min: number, max: number) =>
      hi > max - margin ? Math.max(max - margin - hi, min + margin - lo) : lo < min + margin ? min + margin - lo : 0;
    const dx = shift(tl.x, br.x, pane.left, pane.right);
    const dy = shift(tl.y, br.y, pane.top, pane.bottom);
    if (dx === 0 && dy === 0) return;
    const v = flow.getViewport();
    void flow.setViewport({ x: v.x + dx, y: v.y + dy, zoom: v.zoom }, { duration: 250 });
  };
  requestAnimationFrame(() => requestAnimationFrame(() => check(centre)));
  setTimeout(() => check(false), 320);
}

/** Bring a set of new tiles into view (a paste), zooming out if they need it. */
function revealAll({ flow }: EditorContext, ids: readonly string[]): void {
  requestAnimationFrame(() => requestAnimationFrame(() => void flow.fitView({ nodes: ids.map((id) => ({ id })), maxZoom: 1, padding: 0.3, duration: 250 })));
}

function overlaps(doc: Journey, at: Point): boolean {
  return Object.values(doc.layout.positions).some((q) => {
    const p = pointOf(q);
    return p !== null && Math.abs(p.x - at.x) < TILE_WIDTH + 20 && Math.abs(p.y - at.y) < 130;
  });
}

/**
 * Add a tile of a kind: at `at`, else right of the selected tile (connected from its first
 * free output), else in the middle of the view; the view follows and the tile is selected.
 */
export function addKind(ctx: EditorContext, kind: TileType, at: Point | null): string {
  const s = ctx.store.getState();
  const id = newId(kind === "voiceConversation" ? "voice" : kind);
  const tile = kinds[kind].create(id);
  const after = !at && s.selected.length === 1 ? s.doc.tiles.find((t) => t.id === s.selected[0]) : undefined;
  const freeOutput = after ? outputsOf(after).find((o) => !s.doc.connections.some((c) => c.from === after.id && c.output === o)) : undefined;
  s.apply(`add ${quoted(tile)}`, (d) => {
    let p: Point;
    if (at) p = at;
    else if (after) {
      const base = pointOf(d.layout.positions[after.id]) ?? { x: 0, y: 0 };
      p = { x: base.x + TILE_WIDTH + 96, y: base.y };
      while (overlaps(d, p)) p = { x: p.x, y: p.y + 150 };
    } else {
      const c = viewCentre(ctx.flow);
      p = { x: Math.round(c.x - TILE_WIDTH / 2), y: Math.round(c.y - 60) };
      while (overlaps(d, p)) p = { x: p.x + 40, y: p.y + 40 };
    }
    const added = addTile(d, tile, p);
    return after && freeOutput ? connect(added, { from: after.id, output: freeOutput, to: id }) : added;
  });
  s.setSelection([id]);
  reveal(ctx, id);
  return id;
}

export function deleteEdge(ctx: EditorContext, edge: Pick<Edge, "source" | "sourceHandle" | "target">): void {
  ctx.store.getState().apply("delete connection", (d) => disconnect(d, [fromEdge(edge)]));
}
