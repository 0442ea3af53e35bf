// The palette: drag a tile kind onto the canvas (pointer events, so it works with a mouse, a
// pen and WebDriver alike), or click it to add it in view, after the selected tile if any.
import { useReactFlow } from "@xyflow/react";
import { useEffect, useRef, useState } from "react";
import { addKind } from "../editor/commands";
import { useEditorCommands } from "../editor/EditorChrome";
import type { TileType } from "../ipc";
import type { Point } from "../store/edits";
import { kinds, paletteKinds } from "../tiles/kinds";
import { TileIcon } from "./TileNode";

type Drag = { kind: TileType; start: Point; at: Point; moved: boolean };

export function Palette() {
  const { ctx } = useEditorCommands();
  const flow = useReactFlow();
  const [drag, setDragState] = useState<Drag | null>(null);
  const dragRef = useRef<Drag | null>(null);
  const setDrag = (d: Drag | null) => {
    dragRef.current = d;
    setDragState(d);
  };

  // Clicked: beside the selected tile (connected from it) or in the middle of the view.
  const place = (kind: TileType, at: Point | null) => void addKind(ctx, kind, at);

  useEffect(() => {
    if (!drag) return;
    const move = (e: PointerEvent) => {
      const d = dragRef.current;
      if (!d) return;
      setDrag({
        ...d,
        at: { x: e.clientX, y: e.clientY },
        moved: d.moved || Math.hypot(e.clientX - d.start.x, e.clientY - d.start.y) > 4,
      });
    };
    const up = (e: PointerEvent) => {
      const d = dragRef.current;
      setDrag(null);
      if (!d) return;
      if (!d.moved) {
        place(d.kind, null);
        return;
      }
      const pane = document.querySelector(".react-flow")?.getBoundingClientRect();
      if (!pane) return;
      const inside = e.clientX >= pane.left && e.clientX <= pane.right && e.clientY >= pane.top && e.clientY <= pane.bottom;
      if (!inside) return;
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      place(d.kind, { x: Math.round(p.x - 110), y: Math.round(p.y - 30) });
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
    return () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
    };
    // `place` is recreated each render; the listeners only need the drag in progress.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [drag !== null]);

  return (
    <aside className="palette" aria-label="Tiles">
      <div className="panel-title">Tiles</div>
      <div className="palette-hint">Drag onto the canvas, or click to add</div>
      {paletteKinds.map((kind) => {
        const spec = kinds[kind];
        return (
          <div
            key={kind}
            className="palette-item"
            data-testid={`palette-${kind}`}
            role="button"
            tabIndex={0}
            onPointerDown={(e) => {
              e.preventDefault();
              setDrag({ kind, start: { x: e.clientX, y: e.clientY }, at: { x: e.clientX, y: e.clientY }, moved: false });
            }}
            onKeyDown={(e) => {
              if (e.key === "Enter" || e.key === " ") place(kind, null);
            }}
          >
            <TileIcon path={spec.icon} accent={spec.accent} />
            <div>
              <div className="palette-label">{spec.label}</div>
              <div className="palette-sub">{spec.hint}</div>
            </div>
          </div>
        );
      })}
      {drag?.moved ? (
        <div className="drag-ghost" style={{ left: drag.at.x - 110, top: drag.at.y - 24 }}>
          <TileIcon path={kinds[drag.kind].icon} accent={kinds[drag.kind].accent} />
          {kinds[drag.kind].label}
        </div>
      ) : null}
    </aside>
  );
}
