// Find (Ctrl+F / Ctrl+K): tiles by name, kind, engagement or problem, and "Add …" for each tile
// kind. Enter selects and centres the tile, or adds one after the selected tile.
import { useMemo, useState } from "react";
import type { TileType } from "../ipc";
import { useApp } from "../store/app-store";
import { useJourney } from "../store/journey-store";
import { kinds, paletteKinds, tileTitle } from "../tiles/kinds";
import { addKind, reveal } from "./commands";
import { useEditorCommands } from "./EditorChrome";
import { findTiles, type FindHit } from "./find-match";

type Row = { kind: "tile"; hit: FindHit } | { kind: "add"; tile: TileType };

export function Find({ mode, onClose }: { mode: "find" | "add"; onClose: () => void }) {
  const { ctx } = useEditorCommands();
  const doc = useJourney((s) => s.doc);
  const problems = useJourney((s) => s.problems);
  const catalog = useApp((s) => s.catalog);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);

  const rows = useMemo<Row[]>(() => {
    const q = query.trim().toLowerCase();
    const tiles: Row[] = mode === "find" ? findTiles(doc, problems, catalog, q).map((hit) => ({ kind: "tile", hit })) : [];
    const adds: Row[] = paletteKinds
      .filter((k) => mode === "add" || (q.length > 0 && `add ${kinds[k].label}`.toLowerCase().includes(q)))
      .filter((k) => mode === "find" || !q || kinds[k].label.toLowerCase().includes(q))
      .map((k) => ({ kind: "add", tile: k }));
    return [...tiles, ...adds].slice(0, 50);
  }, [mode, query, doc, problems, catalog]);

  const choose = (row: Row | undefined) => {
    if (!row) return;
    onClose();
    if (row.kind === "tile") {
      ctx.store.getState().setSelection([row.hit.tile.id]);
      reveal(ctx, row.hit.tile.id, true);
    } else {
      addKind(ctx, row.tile, null);
    }
  };

  return (
    <div className="modal-backdrop find-backdrop" role="dialog" aria-modal="true" aria-label="Find a tile" onClick={onClose}>
      <div className="modal find" data-testid="find" onClick={(e) => e.stopPropagation()}>
        <input
          autoFocus
          className="find-input"
          data-testid="find-input"
          placeholder={mode === "add" ? "Add a tile: type its kind" : "Find a tile by name, kind, conversation or problem"}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === "Escape") onClose();
            else if (e.key === "ArrowDown") setActive((a) => Math.min(a + 1, rows.length - 1));
            else if (e.key === "ArrowUp") setActive((a) => Math.max(a - 1, 0));
            else if (e.key === "Enter") choose(rows[active]);
            else return;
            e.preventDefault();
          }}
        />
        <ul className="find-results" role="listbox">
          {rows.map((row, i) => (
            <li
              key={row.kind === "tile" ? row.hit.tile.id : `add-${row.tile}`}
              role="option"
              aria-selected={i === active}
              className={`find-row${i === active ? " active" : ""}`}
              data-testid="find-row"
              onMouseEnter={() => setActive(i)}
              onClick={() => choose(row)}
            >
              {row.kind === "tile" ? (
                <>
                  <span className="find-title">{tileTitle(row.hit.tile)}</span>
                  <span className="find-detail">{row.hit.detail}</span>
                </>
              ) : (
                <>
                  <span className="find-title">Add {kinds[row.tile].label}</span>
                  <span className="find-detail">{ctx.store.getState().selection ? "after the selected tile" : "in the middle of the view"}</span>
                </>
              )}
            </li>
          ))}
          {rows.length === 0 ? <li className="find-empty muted">Nothing matches “{query}”</li> : null}
        </ul>
      </div>
    </div>
  );
}
