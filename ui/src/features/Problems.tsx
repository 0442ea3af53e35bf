import { useState } from "react";
import { sortDiagnostics } from "../mapping/diagnostics";
import { useJourney } from "../store/journey-store";
import { tileTitle } from "../tiles/kinds";

export function Problems() {
  const diagnostics = useJourney((s) => s.diagnostics);
  const tiles = useJourney((s) => s.doc.tiles);
  const focusDiagnostic = useJourney((s) => s.focusDiagnostic);
  const [open, setOpen] = useState(true);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  return (
    <section className={`problems${open ? " open" : ""}`} data-testid="problems">
      <button type="button" className="problems-head" onClick={() => setOpen(!open)} aria-expanded={open}>
        <span className="problems-title">Problems</span>
        {diagnostics.length === 0 ? (
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
      {open && diagnostics.length > 0 ? (
        <ul className="problems-list">
          {sortDiagnostics(diagnostics).map((d, i) => {
            const tile = tiles.find((t) => t.id === d.tileId);
            return (
              <li key={i}>
                <button type="button" className="problem" data-testid="problem" onClick={() => focusDiagnostic(d)}>
                  <span className={`dot dot-${d.severity}`} aria-label={d.severity} />
                  <span className="problem-where">{tile ? tileTitle(tile) : "Journey"}</span>
                  <span className="problem-message">{d.message}</span>
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}
