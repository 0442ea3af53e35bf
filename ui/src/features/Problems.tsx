import { memo, useDeferredValue, useMemo, useRef, useState } from "react";
import type { Diagnostic } from "../ipc";
import { sortDiagnostics } from "../mapping/diagnostics";
import { useJourney } from "../store/journey-store";
import { listProblems, namedTiles } from "../store/problems";
import { tileTitle } from "../tiles/kinds";

const MIN_HEIGHT = 80;
const DEFAULT_HEIGHT = 160;
/** Rows drawn at most; the rest are counted (Find searches every problem). */
const ROW_LIMIT = 300;

/**
 * The problems of the journey, under the canvas. Collapsed while there are none (unless the
 * marketer opened it), open when some appear; the marketer can drag its top edge to size it.
 */
export function Problems() {
  const problems = useJourney((s) => s.problems);
  // Changes only when a tile is added, removed, renamed or moved in the order: the list says
  // where each problem is, and an edit of other fields does not list them all again.
  const tiles = useJourney((s) => namedTiles(s.doc.tiles));
  const focusDiagnostic = useJourney((s) => s.focusDiagnostic);
  // null: follow the problems (open when there are some); true/false: the marketer's choice.
  const [chosen, setChosen] = useState<boolean | null>(null);
  const [height, setHeight] = useState(DEFAULT_HEIGHT);
  const section = useRef<HTMLElement>(null);
  const { errors, warnings } = problems;
  const total = errors + warnings;
  const open = chosen ?? total > 0;
  // The list follows in a deferred render after each edit and validation: the canvas's badge
  // and the edit are drawn first, and this (a sort of every problem: 5,000 at 10,000 tiles)
  // never holds them up. One lookup per journey version, not a search of every tile per problem.
  const listed = useDeferredValue(problems);
  const listedTiles = useDeferredValue(tiles);
  const names = useMemo(() => new Map(listedTiles.map((t) => [t.id, tileTitle(t)])), [listedTiles]);
  const rows = useMemo(() => {
    if (!open) return [];
    return sortDiagnostics(listProblems(listed, listedTiles));
  }, [open, listed, listedTiles]);
  const list = useMemo(
    () => (
      <ul className="problems-list">
        {rows.slice(0, ROW_LIMIT).map((d, i) => (
          <ProblemRow key={i} d={d} where={(d.tileId !== null && names.get(d.tileId)) || "Journey"} onPick={focusDiagnostic} />
        ))}
        {rows.length > ROW_LIMIT ? (
          <li className="problems-more" data-testid="problems-more">
            {(rows.length - ROW_LIMIT).toLocaleString("en-US")} more not listed · Ctrl+K finds tiles by their problems
          </li>
        ) : null}
      </ul>
    ),
    [rows, names, focusDiagnostic],
  );

  const startResize = (e: React.PointerEvent<HTMLDivElement>) => {
    const handle = e.currentTarget;
    handle.setPointerCapture(e.pointerId);
    const startY = e.clientY;
    const startHeight = height;
    // Never more than half of the space the canvas shares with the panel.
    const room = section.current?.parentElement?.clientHeight ?? window.innerHeight;
    const move = (ev: PointerEvent) => setHeight(Math.round(Math.min(room / 2, Math.max(MIN_HEIGHT, startHeight + startY - ev.clientY))));
    const up = () => {
      handle.removeEventListener("pointermove", move);
      handle.removeEventListener("pointerup", up);
    };
    handle.addEventListener("pointermove", move);
    handle.addEventListener("pointerup", up);
  };

  return (
    <section ref={section} className={`problems${open ? " open" : ""}`} data-testid="problems" style={open && total > 0 ? { height } : undefined}>
      {open && total > 0 ? (
        <div className="problems-resize" role="separator" aria-orientation="horizontal" aria-label="Resize the problems panel" onPointerDown={startResize} />
      ) : null}
      <button type="button" className="problems-head" onClick={() => setChosen(!open)} aria-expanded={open}>
        <span className="problems-title">Problems</span>
        {total === 0 ? (
          <span className="ok-text" data-testid="problems-none">
            ✓ No problems
          </span>
        ) : (
          <>
            {errors ? (
              <span className="count count-error">
                {errors} error{errors === 1 ? "" : "s"}
              </span>
            ) : null}
            {warnings ? (
              <span className="count count-warning">
                {warnings} warning{warnings === 1 ? "" : "s"}
              </span>
            ) : null}
          </>
        )}
        <span className="chevron">{open ? "▾" : "▴"}</span>
      </button>
      {open && total > 0 ? list : null}
    </section>
  );
}

/** One problem; unchanged rows (same words, same place) are not drawn again after an edit. */
const ProblemRow = memo(
  function ProblemRow({ d, where, onPick }: { d: Diagnostic; where: string; onPick: (d: Diagnostic) => void }) {
    return (
      <li>
        <button type="button" className="problem" data-testid="problem" onClick={() => onPick(d)}>
          <span className={`dot dot-${d.severity}`} aria-label={d.severity} />
          <span className="problem-where" title={where}>
            {where}
          </span>
          <span className="problem-message">{d.message}</span>
        </button>
      </li>
    );
  },
  (a, b) =>
    a.where === b.where &&
    a.onPick === b.onPick &&
    a.d.severity === b.d.severity &&
    a.d.message === b.d.message &&
    a.d.tileId === b.d.tileId &&
    a.d.path === b.d.path &&
    a.d.code === b.d.code,
);
