import { useEffect, useRef, useState } from "react";
import type { DraftSummary } from "../ipc";
import { api, errorMessage, LIMITS } from "../ipc";
import { NameCounter } from "../components/fields";
import { StatusBadge } from "./Publish";
import { ImportJourneyButton } from "./FileMenu";
import { relativeTime } from "./time";

function Dialog({ title, children, onClose }: { title: string; children: React.ReactNode; onClose: () => void }) {
  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div className="modal" role="dialog" aria-label={title} onMouseDown={(e) => e.stopPropagation()}>
        <h2 className="modal-title">{title}</h2>
        {children}
      </div>
    </div>
  );
}

function NameDialog({
  title,
  initial,
  action,
  onSubmit,
  onClose,
}: {
  title: string;
  initial: string;
  action: string;
  onSubmit: (name: string) => Promise<void>;
  onClose: () => void;
}) {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.select(), []);
  return (
    <Dialog title={title} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit(name).catch((err: unknown) => setError(errorMessage(err)));
        }}
      >
        <label className="field-label" htmlFor="journey-name-input">
          Journey name
        </label>
        <input
          id="journey-name-input"
          ref={input}
          className="input"
          value={name}
          maxLength={LIMITS.nameMaxChars}
          onChange={(e) => setName(e.target.value)}
          data-testid="name-input"
        />
        <NameCounter name={name} />
        {error ? <div className="msg msg-error">{error}</div> : null}
        <div className="modal-actions">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" data-testid="name-submit">
            {action}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

type Modal = { kind: "new" } | { kind: "rename"; journey: DraftSummary } | { kind: "delete"; journey: DraftSummary } | null;

export function JourneyList({ onOpen }: { onOpen: (id: string) => void }) {
  const [journeys, setJourneys] = useState<DraftSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [modal, setModal] = useState<Modal>(null);

  const reload = () =>
    api.listJourneys().then(
      (j) => {
        setJourneys(j);
        setError(null);
      },
      (e) => setError(errorMessage(e)),
    );
  useEffect(() => void reload(), []);

  const open = (id: string) => {
    performance.clearMarks();
    performance.mark("journey-open-requested");
    onOpen(id);
  };

  // A copy of the journey the app ships, valid against its sample catalog: a first look.
  const openSample = () =>
    api.createSampleJourney().then(
      (opened) => open(opened.summary.id),
      (e) => setError(errorMessage(e)),
    );

  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Journeys</h1>
          <p className="muted">Design conversational journeys: call, wait for the outcome, branch.</p>
        </div>
        <div className="page-actions">
          <button type="button" className="btn btn-ghost" data-testid="open-sample" onClick={openSample}>
            Open a sample
          </button>
          <ImportJourneyButton onImported={() => void reload()} onOpen={open} />
          <button type="button" className="btn btn-primary" data-testid="new-journey" onClick={() => setModal({ kind: "new" })}>
            + New journey
          </button>
        </div>
      </div>
      {error ? <div className="banner banner-error">{error}</div> : null}
      {journeys && journeys.length === 0 ? (
        <div className="empty">
          <div className="empty-title">No journeys yet</div>
          <p>Create your first journey: a voice call, a wait for its outcome, and branches for each result.</p>
          <button type="button" className="btn btn-primary" onClick={() => setModal({ kind: "new" })}>
            Create a journey
          </button>
        </div>
      ) : null}
      {journeys && journeys.length > 0 ? (
        <table className="table" data-testid="journey-list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>Tiles</th>
              <th>Last edited</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {journeys.map((j) => (
              <tr key={j.id} data-testid="journey-row" onDoubleClick={() => open(j.id)}>
                <td className="journey-name-cell">
                  <button type="button" className="link-btn journey-link" title={j.name || undefined} onClick={() => open(j.id)}>
                    {j.name || "Untitled journey"}
                  </button>
                </td>
                <td>
                  <StatusBadge live={j.live} />
                </td>
                <td className="muted">{j.tileCount}</td>
                <td className="muted" title={new Date(j.updatedAt).toLocaleString()}>
                  {relativeTime(j.updatedAt)}
                </td>
                <td className="row-actions">
                  <button type="button" className="btn btn-ghost btn-small" onClick={() => setModal({ kind: "rename", journey: j })}>
                    Rename
                  </button>
                  <button
                    type="button"
                    className="btn btn-ghost btn-small"
                    onClick={() => api.duplicateJourney(j.id).then(reload, (e) => setError(errorMessage(e)))}
                  >
                    Duplicate
                  </button>
                  <button type="button" className="btn btn-danger-ghost btn-small" onClick={() => setModal({ kind: "delete", journey: j })}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {modal?.kind === "new" ? (
        <NameDialog
          title="New journey"
          initial="Untitled journey"
          action="Create"
          onClose={() => setModal(null)}
          onSubmit={async (name) => {
            const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
            const opened = await api.createJourney(name, zone);
            setModal(null);
            open(opened.summary.id);
          }}
        />
      ) : null}
      {modal?.kind === "rename" ? (
        <NameDialog
          title="Rename journey"
          initial={modal.journey.name}
          action="Rename"
          onClose={() => setModal(null)}
          onSubmit={async (name) => {
            await api.renameJourney(modal.journey.id, name);
            setModal(null);
            await reload();
          }}
        />
      ) : null}
      {modal?.kind === "delete" ? (
        <Dialog title="Delete journey?" onClose={() => setModal(null)}>
          <p>
            <strong className="long-name">{modal.journey.name || "Untitled journey"}</strong> and its draft will be deleted. This cannot be undone.
          </p>
          <div className="modal-actions">
            <button type="button" className="btn btn-ghost" onClick={() => setModal(null)}>
              Cancel
            </button>
            <button
              type="button"
              className="btn btn-danger"
              data-testid="confirm-delete"
              onClick={() =>
                api.deleteJourney(modal.journey.id).then(
                  () => {
                    setModal(null);
                    void reload();
                  },
                  (e) => setError(errorMessage(e)),
                )
              }
            >
              Delete
            </button>
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}
