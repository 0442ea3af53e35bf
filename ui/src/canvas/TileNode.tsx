import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { TileNode } from "../mapping/flow";
import { kinds } from "../tiles/kinds";
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

function TileNodeView({ data, selected }: NodeProps<TileNode>) {
  const spec = kinds[data.kind];
  const state = data.errors ? "has-errors" : data.warnings ? "has-warnings" : "is-clean";
  return (
    <div
      className={`tile ${state}${selected ? " selected" : ""}`}
      style={{ ["--accent" as string]: spec.accent }}
      data-testid={`tile-${data.kind}`}
      data-tile-id={data.tile.id}
    >
      {data.kind !== "start" ? <Handle type="target" position={Position.Left} id="in" className="handle-in" /> : null}
      <div className="tile-head">
        <TileIcon path={spec.icon} accent={spec.accent} />
        <div className="tile-heading">
          {data.tile.name ? <div className="tile-kind">{spec.label}</div> : null}
          <div className="tile-title">{data.title}</div>
        </div>
        {data.errors ? (
          <span className="badge badge-error" data-testid="tile-badge" title={`${data.errors} error(s)`}>
            {data.errors}
          </span>
        ) : data.warnings ? (
          <span className="badge badge-warning" data-testid="tile-badge" title={`${data.warnings} warning(s)`}>
            {data.warnings}
          </span>
        ) : null}
      </div>
      <div className="tile-body">
        {data.summary.map((line, i) => (
          <div key={i} className={`tile-line${i === 0 ? " tile-line-main" : ""}`}>
            {line}
          </div>
        ))}
      </div>
      <MarkBadge tileId={data.tile.id} />
      <TileOverlayView tileId={data.tile.id} />
      {data.outputs.length > 0 ? (
        <div className="tile-outputs">
          {data.outputs.map((o) => (
            <div key={o.key} className={`tile-output${o.key === "other" ? " tile-output-other" : ""}`} data-output={o.key}>
              <span>{o.label}</span>
              <OutputCount tileId={data.tile.id} output={o.key} />
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
