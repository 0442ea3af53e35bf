import { useEffect, useRef, useState } from "react";
import type { Tile } from "../ipc";
import { HoldLayoutContext, Messages, TileIdContext } from "../components/fields";
import { bestFieldPath, tileLevel } from "../mapping/diagnostics";
import { removeTiles } from "../store/edits";
import { useJourney } from "../store/journey-store";
import { problemsOfTile } from "../store/problems";
import { tileById } from "../store/tile-index";
import { TileIcon } from "../canvas/TileNode";
import { inspectors, useTileUpdate } from "../tiles/inspectors";
import { kinds, tileTitle } from "../tiles/kinds";
import { TileInsightPanel } from "./insight/TileInsight";

/** The version whose counts are shown, for the selected tile's insight. */
export type InsightOf = { journeyId: string; number: number };

function TileInspector({ tile, insight }: { tile: Tile; insight: InsightOf | null }) {
  const doc = useJourney((s) => s.doc);
  const own = useJourney((s) => problemsOfTile(s.problems, tile.id));
  const edit = useJourney((s) => s.edit);
  const notify = useJourney((s) => s.notify);
  const update = useTileUpdate(tile);
  const Panel = inspectors[tile.type] as (p: { tile: Tile; doc: typeof doc; update: typeof update }) => React.ReactNode;
  const spec = kinds[tile.type];
  return (
    <TileIdContext.Provider value={tile.id}>
      <div className="inspector-head">
        <TileIcon path={spec.icon} accent={spec.accent} size={20} />
        <div className="inspector-heading">
          <div className="tile-kind">{spec.label}</div>
          <div className="inspector-title">{tileTitle(tile)}</div>
        </div>
        {tile.type !== "start" ? (
          <button
            type="button"
            className="btn btn-danger-ghost btn-small"
            onClick={() => {
              edit((d) => removeTiles(d, [tile.id]), { label: `delete '${tileTitle(tile)}'`, key: null });
              notify(`Deleted '${tileTitle(tile)}'`, true);
            }}
          >
            Delete
          </button>
        ) : null}
      </div>
      {insight ? <TileInsightPanel journeyId={insight.journeyId} number={insight.number} tileId={tile.id} /> : null}
      <Messages items={tileLevel(own, tile.id)} />
      <div className="inspector-body">
        <Panel tile={tile} doc={doc} update={update} />
      </div>
    </TileIdContext.Provider>
  );
}

/** The selected tile's fields; with `insight`, its counts for that version above them. */
export function Inspector({ insight = null }: { insight?: InsightOf | null }) {
  const selection = useJourney((s) => s.selection);
  const tile = useJourney((s) => tileById(s.doc, s.selection) ?? null);
  const focus = useJourney((s) => s.focus);
  const panel = useRef<HTMLElement>(null);
  const [pointerInside, setPointerInside] = useState(false);

  useEffect(() => {
    if (!focus || !focus.path || focus.tileId !== selection || !panel.current) return;
    const root = panel.current;
    const id = requestAnimationFrame(() => {
      const fields = Array.from(root.querySelectorAll<HTMLElement>("[data-path]"));
      const best = bestFieldPath(
        focus.path ?? "",
        fields.map((f) => f.dataset.path ?? ""),
      );
      const el = fields.find((f) => f.dataset.path === best);
      if (!el) return;
      el.scrollIntoView({ block: "center", behavior: "smooth" });
      el.focus({ preventScroll: true });
      el.classList.remove("flash");
      void el.offsetWidth;
      el.classList.add("flash");
    });
    return () => cancelAnimationFrame(id);
  }, [focus, selection]);

  // Without a selection the panel steps aside and the canvas gets the room.
  if (!tile) return null;
  return (
    <aside
      className="inspector"
      ref={panel}
      data-testid="inspector"
      aria-label="Properties"
      onPointerEnter={() => setPointerInside(true)}
      onPointerLeave={() => setPointerInside(false)}
    >
      <HoldLayoutContext.Provider value={pointerInside}>
        <TileInspector key={tile.id} tile={tile} insight={insight} />
      </HoldLayoutContext.Provider>
    </aside>
  );
}
