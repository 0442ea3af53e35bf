// The foot of the test run form: progress, the outcome of the last attempt, and the actions.
import type { TestRunProgress } from "../../ipc";
import { nf } from "./format";

export function RunFooter({
  running,
  progress,
  total,
  cancelled,
  hadPrevious,
  failure,
  problem,
  reading,
  onCancel,
  onClose,
  onRun,
}: {
  running: boolean;
  progress: TestRunProgress | null;
  total: number;
  cancelled: TestRunProgress | null;
  hadPrevious: boolean;
  failure: string | null;
  problem: string | null;
  reading: boolean;
  onCancel: () => void;
  onClose: () => void;
  onRun: () => void;
}) {
  const pct = progress && progress.total > 0 ? Math.min(100, (progress.done / progress.total) * 100) : 0;
  return (
    <div className="tr-footer">
      {running ? (
        <div className="tr-progress" data-testid="test-run-progress">
          <div className="tr-progress-bar">
            <div style={{ width: `${pct}%` }} />
          </div>
          <span className="small muted" data-testid="test-run-progress-text">
            {nf.format(progress?.done ?? 0)} of {nf.format(progress?.total ?? total)} contacts
          </span>
        </div>
      ) : null}
      {cancelled && !running ? (
        <div className="banner tr-cancelled" data-testid="test-run-cancelled">
          Run cancelled after {nf.format(cancelled.done)} of {nf.format(cancelled.total)} contacts. Nothing was kept
          {hadPrevious ? "; the results shown are still the earlier run's" : ""}.
        </div>
      ) : null}
      {failure ? (
        <div className="banner banner-error" data-testid="test-run-error">
          {failure}
        </div>
      ) : null}
      {problem && !running ? (
        <div className="field-hint tr-problem" data-testid="test-run-problem">
          {problem}
        </div>
      ) : null}
      <div className="modal-actions">
        {running ? (
          <button type="button" className="btn" data-testid="test-run-cancel" onClick={onCancel}>
            Cancel run
          </button>
        ) : (
          <button type="button" className="btn" onClick={onClose} data-testid="test-run-close">
            Close
          </button>
        )}
        <button type="button" className="btn btn-primary" data-testid="test-run-start" disabled={running || reading || problem !== null} onClick={onRun}>
          {running ? "Running…" : `Run ${nf.format(total)} contact${total === 1 ? "" : "s"}`}
        </button>
      </div>
    </div>
  );
}
