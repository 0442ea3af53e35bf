// Counts drawn on top of the canvas: a band under each tile's title, a number on each output,
// and a label on each edge. Whoever has counts (a live version, a test run) provides a
// `CanvasOverlay` through `OverlayContext`; mapping lives in ../mapping/overlay.ts.
import type { Edge } from "@xyflow/react";
import { createContext, useContext } from "react";
import "./overlay.css";
import type { CanvasOverlay } from "../mapping/overlay";

export const OverlayContext = createContext<CanvasOverlay | null>(null);

export function useTileOverlay(tileId: string) {
  return useContext(OverlayContext)?.tiles[tileId] ?? null;
}

const nf = new Intl.NumberFormat();

/** The counts band of one tile (nothing without an overlay). */
export function TileOverlayView({ tileId }: { tileId: string }) {
  const overlay = useContext(OverlayContext);
  if (!overlay) return null;
  const t = overlay.tiles[tileId];
  return (
    <div className="overlay" data-testid="tile-overlay" title={overlay.title}>
      <div className="overlay-entered">
        <strong data-testid="overlay-entered">{nf.format(t?.entered ?? 0)}</strong> entered
      </div>
      {t?.lines.map((l) => (
        <div key={l.key} className={`overlay-line tone-${l.tone}${l.sub ? " overlay-sub" : ""}`} data-overlay={l.key} title={l.detail}>
          <span>{l.label}</span>
          <strong>{nf.format(l.value)}</strong>
        </div>
      ))}
    </div>
  );
}

/** How many left by one output (nothing without counts). */
export function OutputCount({ tileId, output }: { tileId: string; output: string }) {
  const n = useTileOverlay(tileId)?.outputs[output];
  if (n === undefined) return null;
  return (
    <span className="overlay-output" data-testid="output-count">
      {nf.format(n)}
    </span>
  );
}

/** Edges labelled with how many went along them. */
export function labelEdges<E extends Edge>(edges: E[], overlay: CanvasOverlay | null): E[] {
  if (!overlay) return edges;
  // Thickness by share: the busiest edge is drawn widest.
  const max = Math.max(1, ...Object.values(overlay.edges));
  return edges.map((e) => {
    const n = overlay.edges[e.id];
    return n === undefined
      ? e
      : {
          ...e,
          label: nf.format(n),
          labelShowBg: true,
          labelBgPadding: [6, 2] as [number, number],
          labelBgBorderRadius: 8,
          className: "edge-counted",
          style: { ...e.style, strokeWidth: 1.5 + 5 * (n / max) },
        };
  });
}
