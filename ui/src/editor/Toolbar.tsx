// The toolbar's Undo, Redo and Tidy up buttons; tooltips name the step ("Undo delete 'Call outcome'").
import { useJourney } from "../store/journey-store";
import { keyLabel } from "./actions";
import { useEditorCommands } from "./EditorChrome";

export function HistoryButtons() {
  const { action, run, allowed } = useEditorCommands();
  const undoStep = useJourney((s) => s.history.past[s.history.past.length - 1] ?? null);
  const redoStep = useJourney((s) => s.history.future[s.history.future.length - 1] ?? null);
  const tiles = useJourney((s) => s.doc.tiles.length);
  const keys = (id: "undo" | "redo" | "tidyUp") => action(id).keys.map(keyLabel).join(" or ");
  return (
    <div className="history-buttons" role="group" aria-label="History">
      <button
        type="button"
        className="btn btn-ghost btn-icon"
        data-testid="undo"
        disabled={!undoStep || !allowed("undo")}
        title={undoStep ? `Undo ${undoStep.label} (${keys("undo")})` : "Nothing to undo"}
        aria-label={undoStep ? `Undo ${undoStep.label}` : "Undo"}
        onClick={() => run("undo")}
      >
        ↶
      </button>
      <button
        type="button"
        className="btn btn-ghost btn-icon"
        data-testid="redo"
        disabled={!redoStep || !allowed("redo")}
        title={redoStep ? `Redo ${redoStep.label} (${keys("redo")})` : "Nothing to redo"}
        aria-label={redoStep ? `Redo ${redoStep.label}` : "Redo"}
        onClick={() => run("redo")}
      >
        ↷
      </button>
      <button
        type="button"
        className="btn btn-ghost"
        data-testid="tidy-up"
        disabled={tiles < 2 || !allowed("tidyUp")}
        title={`Lay the journey out left to right in branch order (${keys("tidyUp")})`}
        aria-label="Tidy up"
        onClick={() => run("tidyUp")}
      >
        <span aria-hidden className="tidy-icon">
          ⇶
        </span>
        <span className="tidy-label">Tidy up</span>
      </button>
    </div>
  );
}
