// The versions panel: every published version with its state, when and from which computer it
// was published, its contacts; pause / resume / stop of the version chosen (a stop asks first,
// with the runtime's number of waiting contacts); open any version read-only on the canvas.
import { useState } from "react";
import { api, errorMessage, type LiveAction, type VersionRow, type VersionsView } from "../../ipc";

const ACTION_WORDS: Record<LiveAction, string> = { pause: "Pause", resume: "Resume", stop: "Stop…" };

export function VersionsPanel({
  id,
  view,
  onView,
  onOpenVersion,
  onClose,
}: {
  id: string;
  view: VersionsView;
  onView: (v: VersionsView) => void;
  onOpenVersion: (number: number) => void;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<VersionRow | null>(null);
  const act = async (row: VersionRow, action: LiveAction) => {
    setBusy(row.number);
    setFailure(null);
    try {
      onView(await api.versionAction(id, row.number, action));
      setConfirm(null);
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  const offline = view.unreachable !== null;
  return (
    <aside className="versions-panel" data-testid="versions-panel" aria-label="Versions">
      <div className="versions-head">
        <h2>Versions</h2>
        <button type="button" className="btn btn-ghost btn-small" onClick={onClose} data-testid="versions-close" aria-label="Close the versions">
          ✕
        </button>
      </div>
      {offline ? (
        <div className="banner banner-error small" data-testid="versions-offline">
          The runtime cannot be reached, so versions cannot be paused, resumed or stopped now ({view.lastSeen}). {view.unreachable}
        </div>
      ) : null}
      {failure ? (
        <div className="banner banner-error small" data-testid="version-action-error">
          {failure}
        </div>
      ) : null}
      {view.versions.length === 0 ? <p className="muted">Not published yet.</p> : null}
      <ol className="versions-list">
        {view.versions.map((v) => (
          <li key={v.number} className="version-row" data-testid={`version-${v.number}`}>
            <div className="version-line">
              <strong>v{v.number}</strong>
              <span className={`status status-${v.state === "live" ? "live" : "other"}`} data-testid={`version-${v.number}-state`}>
                {v.stateWords}
              </span>
            </div>
            <div className="muted small">
              {v.published} · {v.publishedFrom ?? "—"}
            </div>
            <div className="small" data-testid={`version-${v.number}-counts`}>
              {v.inFlight} in flight · {v.finished} finished{v.stopped > 0 ? ` · ${v.stopped} left at stop` : ""}
            </div>
            <div className="version-actions">
              <button
                type="button"
                className="btn btn-ghost btn-small"
                data-testid={`version-${v.number}-view`}
                onClick={() => onOpenVersion(v.number)}
                disabled={offline}
              >
                View
              </button>
              {v.actions.map((a) => (
                <button
                  key={a}
                  type="button"
                  className={`btn btn-small ${a === "stop" ? "btn-danger-ghost" : "btn-ghost"}`}
                  data-testid={`version-${v.number}-${a}`}
                  disabled={busy !== null || offline}
                  title={offline ? "The runtime cannot be reached" : undefined}
                  onClick={() => (a === "stop" ? setConfirm(v) : void act(v, a))}
                >
                  {ACTION_WORDS[a]}
                </button>
              ))}
            </div>
          </li>
        ))}
      </ol>
      {confirm ? (
        <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="version-stop-title">
          <div className="modal" data-testid="version-stop-dialog">
            <h2 className="modal-title" id="version-stop-title" data-testid="version-stop-question">
              {confirm.stopQuestion}
            </h2>
            <p className="muted small">Calls not yet sent are cancelled. Stopping is final.</p>
            <div className="modal-actions">
              <button type="button" className="btn" onClick={() => setConfirm(null)} disabled={busy !== null} data-testid="version-stop-cancel">
                Keep it
              </button>
              <button
                type="button"
                className="btn btn-danger"
                onClick={() => void act(confirm, "stop")}
                disabled={busy !== null}
                data-testid="version-stop-confirm"
              >
                {busy === confirm.number ? "Stopping…" : `Stop v${confirm.number}`}
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </aside>
  );
}
