// Our own context menu on tiles, connections, a selection and the empty canvas: the same
// actions (and keys) as the keyboard, from the registry.
import { useEffect, useLayoutEffect, useRef, useState } from "react";
import type { Connection, TileType } from "../ipc";
import type { Point } from "../store/edits";
import { kinds, paletteKinds } from "../tiles/kinds";
import { keyLabel, type ActionId } from "./actions";
import { addKind, deleteEdge } from "./commands";
import { useEditorCommands } from "./EditorChrome";

export type MenuTarget =
  { kind: "tile"; screen: Point; flow: Point } | { kind: "edge"; screen: Point; flow: Point; link: Connection } | { kind: "pane"; screen: Point; flow: Point };

const TILE_ITEMS: ActionId[] = ["cut", "copy", "paste", "duplicate", "delete", "tidyUp"];
const PANE_ITEMS: ActionId[] = ["paste", "selectAll", "tidyUp", "undo", "redo"];

export function ContextMenu({ target, onClose }: { target: MenuTarget; onClose: () => void }) {
  const { ctx, action, run } = useEditorCommands();
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState(target.screen);
  const [adding, setAdding] = useState(false);

  // Keep the menu inside the window.
  useLayoutEffect(() => {
    const r = ref.current?.getBoundingClientRect();
    if (!r) return;
    setPos({
      x: Math.max(4, Math.min(target.screen.x, window.innerWidth - r.width - 4)),
      y: Math.max(4, Math.min(target.screen.y, window.innerHeight - r.height - 4)),
    });
  }, [target, adding]);

  useEffect(() => {
    ref.current?.querySelector<HTMLElement>("button:not(:disabled)")?.focus();
    const away = (e: PointerEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    const key = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        onClose();
      } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const items = Array.from(ref.current?.querySelectorAll<HTMLElement>("button:not(:disabled)") ?? []);
        const i = items.indexOf(document.activeElement as HTMLElement);
        items[(i + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length]?.focus();
      }
    };
    window.addEventListener("pointerdown", away, true);
    window.addEventListener("keydown", key, true);
    window.addEventListener("wheel", onClose, { passive: true });
    return () => {
      window.removeEventListener("pointerdown", away, true);
      window.removeEventListener("keydown", key, true);
      window.removeEventListener("wheel", onClose);
    };
  }, [onClose]);

  const item = (id: ActionId) => {
    const a = action(id);
    return (
      <button
        key={id}
        type="button"
        role="menuitem"
        className="menu-item"
        data-action={id}
        disabled={!a.enabled(ctx)}
        onClick={() => {
          onClose();
          run(id, target.flow);
        }}
      >
        <span>{a.label}</span>
        {a.keys[0] ? <kbd>{keyLabel(a.keys[0])}</kbd> : null}
      </button>
    );
  };

  const addHere = (kind: TileType) => {
    onClose();
    addKind(ctx, kind, { x: Math.round(target.flow.x), y: Math.round(target.flow.y) });
  };

  return (
    <div
      ref={ref}
      className="context-menu"
      role="menu"
      data-testid="context-menu"
      style={{ left: pos.x, top: pos.y }}
      onContextMenu={(e) => e.preventDefault()}
    >
      {target.kind === "tile" ? TILE_ITEMS.map(item) : null}
      {target.kind === "edge" ? (
        <button
          type="button"
          role="menuitem"
          className="menu-item"
          data-action="deleteConnection"
          onClick={() => {
            onClose();
            deleteEdge(ctx, { source: target.link.from, sourceHandle: target.link.output, target: target.link.to });
          }}
        >
          <span>Delete connection</span>
        </button>
      ) : null}
      {target.kind === "pane" ? (
        <>
          {adding ? (
            paletteKinds.map((k) => (
              <button key={k} type="button" role="menuitem" className="menu-item" data-add={k} onClick={() => addHere(k)}>
                <span>{kinds[k].label}</span>
              </button>
            ))
          ) : (
            <button type="button" role="menuitem" className="menu-item" data-action="addHere" onClick={() => setAdding(true)}>
              <span>Add tile here…</span>
            </button>
          )}
          {adding ? null : PANE_ITEMS.map(item)}
        </>
      ) : null}
    </div>
  );
}
