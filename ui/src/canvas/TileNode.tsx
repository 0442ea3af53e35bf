import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo, useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import type { TileNode } from "../mapping/flow";
import { useApp } from "../store/app-store";
import { useJourney } from "../store/journey-store";
import { problemsOfTile } from "../store/problems";
import { tileById } from "../store/tile-index";
import { kinds, tileOutputs, tileSummary, tileTitle } from "../tiles/kinds";
import { OutputCount, TileOverlayView } from "./overlay";
import { MarkBadge } from "../features/review/MarkBadge";

export function TileIcon({ path, accent, size = 18 }: { path: string; accent: string; size?: number }) {
  return (
    <span className="tile-icon" style={{ background: `${accent}1a`, color: accent }}>
      <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden>
        <path d={path} fill="currentColor" />
      </svg>
    </span>
  );
}

/** A tile's problem counts, from the store's problems by tile: this tile renders again only when its own change. */
function useTileCounts(tileId: string): { errors: number; warnings: number } {
  const own = useJourney((s) => problemsOfTile(s.problems, tileId));
  let errors = 0;
  for (const d of own) if (d.severity === "error") errors += 1;
  return { errors, warnings: own.length - errors };
}

/**
 * The tile's own fields, title, summary and outputs, read from the journey store: an edit of its
 * fields draws this tile again without React Flow's nodes changing. The summary is compared line
 * by line, so a tile whose summary reads the journey (a referenced tile's name) is drawn again
 * only when its lines change.
 */
function useTileView(tileId: string) {
  const tile = useJourney((s) => tileById(s.doc, tileId));
  const catalog = useApp((s) => s.catalog);
  const summary = useJourney(useShallow((s) => (tile ? tileSummary(tile, { doc: s.doc, catalog }) : NO_LINES)));
  const outputs = useMemo(() => (tile ? tileOutputs(tile) : []), [tile]);
  return { tile, summary, outputs };
}

const NO_LINES: string[] = [];

function TileNodeView({ id, data, selected }: NodeProps<TileNode>) {
  const spec = kinds[data.kind];
  const { tile, summary, outputs } = useTileView(id);
  const { errors, warnings } = useTileCounts(id);
  // A node outlives its tile for the one render in which the tile is deleted.
  if (!tile) return null;
  const state = errors ? "has-errors" : warnings ? "has-warnings" : "is-clean";
  return (
    <div
      className={`tile ${state}${selected ? " selected" : ""}`}
      style={{ ["--accent" as string]: spec.accent }}
      data-testid={`tile-${data.kind}`}
      data-tile-id={id}
    >
      {data.kind !== "start" ? <Handle type="target" position={Position.Left} id="in" className="handle-in" /> : null}
      <div className="tile-head">
        <TileIcon path={spec.icon} accent={spec.accent} />
        <div className="tile-heading">
          {tile.name ? <div className="tile-kind">{spec.label}</div> : null}
          <div className="tile-title">{tileTitle(tile)}</div>
        </div>
        {errors ? (
          <span className="badge badge-error" data-testid="tile-badge" title={`${errors} error(s)`}>
            {errors}
          </span>
        ) : warnings ? (
          <span className="badge badge-warning" data-testid="tile-badge" title={`${warnings} warning(s)`}>
            {warnings}
          </span>
        ) : null}
      </div>
      <div className="tile-body">
        {summary.map((line, i) => (
          <div key={i} className={`tile-line${i === 0 ? " tile-line-main" : ""}`}>
            {line}
          </div>
        ))}
      </div>
      <MarkBadge tileId={id} />
      <TileOverlayView tileId={id} />
      {outputs.length > 0 ? (
        <div className="tile-outputs">
          {outputs.map((o) => (
            <div key={o.key} className={`tile-output${o.key === "other" ? " tile-output-other" : ""}`} data-output={o.key}>
              <span>{o.label}</span>
              <OutputCount tileId={id} output={o.key} />
              <Handle type="source" position={Position.Right} id={o.key} className="handle-out" />
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}

export const TileNodeMemo = memo(TileNodeView);
export const nodeTypes = { tile: TileNodeMemo };
