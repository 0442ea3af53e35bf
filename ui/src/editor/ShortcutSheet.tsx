// The shortcut sheet (`?`): every action of the registry with its keys, and the canvas gestures.
import { useEffect } from "react";
import { isMac, keyLabel } from "./actions";
import { useEditorCommands } from "./EditorChrome";

const GESTURES: [string, string][] = [
  ["Add a tile to the selection", isMac ? "⇧ or ⌘ + click" : "Shift or Ctrl + click"],
  ["Select with a box", "Shift + drag on the canvas"],
  ["Menu of a tile, connection or the canvas", "Right-click"],
  ["Move the view", "Drag the canvas, or scroll"],
];

export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  const { actions } = useEditorCommands();
  useEffect(() => {
    const key = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        onClose();
      }
    };
    window.addEventListener("keydown", key, true);
    return () => window.removeEventListener("keydown", key, true);
  }, [onClose]);
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" onClick={onClose}>
      <div className="modal modal-wide shortcut-sheet" data-testid="shortcut-sheet" onClick={(e) => e.stopPropagation()}>
        <h2 className="modal-title" id="shortcuts-title">
          Keyboard shortcuts
        </h2>
        <table>
          <tbody>
            {actions.map((a) => (
              <tr key={a.id}>
                <td>{a.label}</td>
                <td>
                  {a.keys.map((k) => (
                    <kbd key={k}>{keyLabel(k)}</kbd>
                  ))}
                </td>
              </tr>
            ))}
            {GESTURES.map(([what, how]) => (
              <tr key={what}>
                <td>{what}</td>
                <td className="muted">{how}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose} autoFocus>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
