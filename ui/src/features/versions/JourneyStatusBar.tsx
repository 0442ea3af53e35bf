// The header's honest status: "Scheduled · starts …", "Live · v2 · unpublished changes", contacts
// still on older versions, and the button that opens the versions panel. Every word comes from
// Rust (`ops::versions::journey_status`).
import type { ReactNode } from "react";
import type { VersionsView } from "../../ipc";

export function JourneyStatusBar({ view, fallback, onOpen }: { view: VersionsView | null; fallback: ReactNode; onOpen: () => void }) {
  if (!view) return <>{fallback}</>;
  const { status } = view;
  const kind = status.state === "draft" ? "draft" : status.state === "live" ? "live" : "other";
  return (
    <span className="journey-status">
      <span
        className={`status status-${kind}`}
        data-testid="status-badge"
        title={view.lastSeen ? `The runtime cannot be reached: ${view.lastSeen}` : undefined}
      >
        {status.text}
      </span>
      <button
        type="button"
        className="btn btn-ghost btn-small"
        data-testid="versions-open"
        onClick={onOpen}
        disabled={view.versions.length === 0 && !view.unreachable}
      >
        Versions
      </button>
    </span>
  );
}

/** Under the header while older versions hold contacts: "20 contacts still on v1". */
export function OlderVersionsStrip({ view, onOpen }: { view: VersionsView | null; onOpen: () => void }) {
  if (!view?.status.olderInFlight) return null;
  return (
    <div className="older-strip">
      <button type="button" className="link-button" data-testid="older-in-flight" onClick={onOpen}>
        {view.status.olderInFlight}
      </button>
    </div>
  );
}
