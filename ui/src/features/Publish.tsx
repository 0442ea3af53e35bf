// Publishing from the editor: the status badge, the Publish button, pause / resume / stop of the
// published version, live counts polling, and the contacts import dialog.
import { useContext, useEffect, useMemo, useState } from "react";
import { api, errorMessage, IpcError, type ImportSummary, type Journey, type LiveAction, type LiveCounts, type LiveVersion, type PublishReview } from "../ipc";
import { overlayFromCounts, type CanvasOverlay } from "../mapping/overlay";
import { ImportWarnings } from "./ImportWarnings";
import { PublishReviewDialog } from "./review/PublishReview";
import { usePoll } from "./usePoll";
import { ChooseFileButton } from "./FileMenu";
import { useApp } from "../store/app-store";
import { JourneyContext, useJourney } from "../store/journey-store";

/** How often a live journey's counts are re-read while it is open. */

const STATE_WORDS: Record<string, string> = {
  live: "Live",
  paused: "Paused",
  completing: "Completing",
  completed: "Completed",
  stopped: "Stopped",
};

/** "Live · v3", or "Draft" when never published. */
export function statusText(live: LiveVersion | null | undefined): string {
  if (!live) return "Draft";
  return `${STATE_WORDS[live.state] ?? live.state} · v${live.number}`;
}

export function StatusBadge({ live }: { live: LiveVersion | null | undefined }) {
  const kind = !live ? "draft" : live.state === "live" ? "live" : "other";
  return (
    <span
      className={`status status-${kind}`}
      data-testid="status-badge"
      title={live ? `Published to ${live.target === "embedded" ? "the built-in runtime" : live.target}` : "Not published"}
    >
      {statusText(live)}
    </span>
  );
}

const ACTION_WORDS: Record<LiveAction, { button: string; busy: string }> = {
  pause: { button: "Pause", busy: "Pausing…" },
  resume: { button: "Resume", busy: "Resuming…" },
  stop: { button: "Stop…", busy: "Stopping…" },
};

/**
 * Pause or resume the published version, or stop it (after a confirmation: stopping is final).
 * Shown only while the version is live or paused; `onLive` gets its new state.
 */
export function LiveControls({ id, live, onLive }: { id: string; live: LiveVersion | null; onLive: (live: LiveVersion) => void }) {
  const [busy, setBusy] = useState<LiveAction | null>(null);
  const [confirmStop, setConfirmStop] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  if (!live || (live.state !== "live" && live.state !== "paused")) return null;
  const act = async (action: LiveAction) => {
    setBusy(action);
    setFailure(null);
    try {
      const summary = await api.changeLiveState(id, action);
      if (summary.live) onLive(summary.live);
      setConfirmStop(false);
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  const toggle: LiveAction = live.state === "live" ? "pause" : "resume";
  return (
    <span className="live-controls">
      {failure && !confirmStop ? (
        <button type="button" className="publish-note publish-failed" data-testid="live-action-error" title="Dismiss" onClick={() => setFailure(null)}>
          {failure}
        </button>
      ) : null}
      <button
        type="button"
        className="btn btn-ghost btn-small"
        data-testid={`live-${toggle}`}
        disabled={busy !== null}
        title={
          toggle === "pause"
            ? "No one new enters and contacts wait before their next call until you resume. A pause left for 21 days stops the journey."
            : "Let contacts carry on and new ones enter"
        }
        onClick={() => void act(toggle)}
      >
        {busy === toggle ? ACTION_WORDS[toggle].busy : ACTION_WORDS[toggle].button}
      </button>
      <button type="button" className="btn btn-danger-ghost btn-small" data-testid="live-stop" disabled={busy !== null} onClick={() => setConfirmStop(true)}>
        {ACTION_WORDS.stop.button}
      </button>
      {confirmStop ? (
        <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="stop-title">
          <div className="modal" data-testid="stop-dialog">
            <h2 className="modal-title" id="stop-title">
              Stop v{live.number}?
            </h2>
            <p>
              Contacts still in the journey leave it, and calls not yet sent to the contact center are cancelled. Calls the contact center already has may still
              be dialled.
            </p>
            <p className="muted small">Stopping is final. Publishing again starts a new version.</p>
            {failure ? (
              <div className="banner banner-error" data-testid="live-action-error">
                {failure}
              </div>
            ) : null}
            <div className="modal-actions">
              <button type="button" className="btn" onClick={() => setConfirmStop(false)} disabled={busy !== null} data-testid="stop-cancel">
                Keep it running
              </button>
              <button type="button" className="btn btn-danger" onClick={() => void act("stop")} disabled={busy !== null} data-testid="stop-confirm">
                {busy === "stop" ? ACTION_WORDS.stop.busy : `Stop v${live.number}`}
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </span>
  );
}

type PublishState = { phase: "idle" } | { phase: "busy"; step: string } | { phase: "done"; text: string } | { phase: "failed"; text: string };

/** The Publish button with its progress and outcome; `onLive` gets the new live version. */
export function PublishButton({ id, onLive }: { id: string; onLive: (live: LiveVersion) => void }) {
  const store = useContext(JourneyContext);
  const errors = useJourney((s) => s.problems.errors);
  const [state, setState] = useState<PublishState>({ phase: "idle" });

  const [review, setReview] = useState<PublishReview | null>(null);
  const [reviewError, setReviewError] = useState<string | null>(null);

  const failed = (e: unknown) => {
    if (store && e instanceof IpcError && e.error.kind === "invalid")
      store.getState().showProblems(e.error.data.map((d) => ({ ...d, tileId: d.tileId ?? null, path: d.path ?? null })));
    setState({ phase: "failed", text: errorMessage(e) });
  };
  const send = async (replace: number | null) => {
    setState({ phase: "busy", step: "Publishing…" });
    const outcome = await api.publishReviewed(id, replace);
    const live = outcome.summary.live;
    if (live) onLive(live);
    setReview(null);
    setState({
      phase: "done",
      text: outcome.created
        ? `Published v${live?.number ?? "?"}`
        : outcome.renamed
          ? `Renamed v${live?.number ?? "?"} in place`
          : `Already live as v${live?.number ?? "?"}: nothing changed`,
    });
  };
  // A first publish is one click, and so is publishing what is already live (nothing to review:
  // it answers "Already live as vN"); over a live or paused version the review comes first.
  const publish = async () => {
    if (!store) return;
    try {
      setState({ phase: "busy", step: "Saving…" });
      await store.getState().flush();
      setState({ phase: "busy", step: "Reviewing…" });
      const reviewed = await api.reviewPublish(id);
      if (reviewed.plan.kind === "firstPublish") return await send(null);
      if (reviewed.plan.kind === "unchanged") return await send(reviewed.publishedElsewhere);
      setReviewError(null);
      setReview(reviewed);
      setState({ phase: "idle" });
    } catch (e) {
      failed(e);
    }
  };
  const publishReviewed = async (replace: number | null) => {
    try {
      setReviewError(null);
      await send(replace);
    } catch (e) {
      setState({ phase: "idle" });
      setReviewError(errorMessage(e));
    }
  };

  useEffect(() => {
    if (state.phase !== "done") return;
    const t = setTimeout(() => setState({ phase: "idle" }), 5000);
    return () => clearTimeout(t);
  }, [state]);

  const busy = state.phase === "busy";
  return (
    <span className="publish">
      {state.phase === "busy" ? (
        <span className="publish-note muted" data-testid="publish-progress">
          {state.step}
        </span>
      ) : null}
      {state.phase === "done" ? (
        <span className="publish-note ok-text" data-testid="publish-result">
          {state.text}
        </span>
      ) : null}
      {state.phase === "failed" ? (
        <button type="button" className="publish-note publish-failed" data-testid="publish-error" title="Dismiss" onClick={() => setState({ phase: "idle" })}>
          Not published: {state.text}
        </button>
      ) : null}
      <button
        type="button"
        className="btn btn-primary"
        data-testid="publish"
        disabled={busy || errors > 0}
        title={errors > 0 ? `Fix ${errors} error${errors === 1 ? "" : "s"} to publish` : "Validate and publish this journey"}
        onClick={() => void publish()}
      >
        {busy ? "Publishing…" : "Publish"}
      </button>
      {review ? (
        <PublishReviewDialog review={review} busy={busy} error={reviewError} onPublish={(r) => void publishReviewed(r)} onCancel={() => setReview(null)} />
      ) : null}
    </span>
  );
}

/** Counts of the live version, re-read every few seconds while open; `null` when not live. */
export function useLiveOverlay(id: string, live: LiveVersion | null): { overlay: CanvasOverlay | null; problem: string | null; counts: LiveCounts | null } {
  const number = live?.number ?? null;
  // The document only while live: an edit of a draft never live does not draw the editor again.
  const doc = useJourney((s) => (number === null ? null : s.doc));
  const state = live?.state ?? null;
  const { value: counts, problem } = usePoll(() => api.liveCounts(id), [id, number, state], number !== null);
  // Counts read for an earlier live version never show once the journey is no longer live; a
  // pause, resume or stop just answered by the runtime shows its state before the re-read lands.
  const shown = useMemo(
    () => (number === null || !counts ? null : state !== null && counts.number === number ? { ...counts, state } : counts),
    [counts, number, state],
  );
  const overlay = useMemo(
    () => (shown && doc ? overlayFromCounts(doc, shown.tiles, statusText({ number: shown.number, state: shown.state, target: "" })) : null),
    [shown, doc],
  );
  return { overlay, problem, counts: shown };
}

/** The segment the journey starts from, to list imported contacts in. */
function startSegment(doc: Journey): string {
  const start = doc.tiles.find((t) => t.type === "start");
  if (start?.type === "start" && start.start?.kind === "segment") return start.start.segmentIds[0] ?? "";
  return "";
}

export function ContactsDialog({ onClose }: { onClose: () => void }) {
  const doc = useJourney((s) => s.doc);
  const [contacts, setContacts] = useState("");
  const [consents, setConsents] = useState("");
  const [segment, setSegment] = useState(() => startSegment(doc));
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [warnings, setWarnings] = useState<ImportSummary["warnings"]>([]);
  const run = async () => {
    setBusy(true);
    setResult(null);
    setWarnings([]);
    try {
      const s = await api.importContacts(contacts.trim() || null, consents.trim() || null, segment.trim() || null);
      // The import may have made the segment: the catalog's lists were refreshed with it.
      if (segment.trim()) void useApp.getState().load();
      setResult({
        ok: true,
        text: `Imported ${s.contacts} contact${s.contacts === 1 ? "" : "s"} and ${s.consents} consent record${s.consents === 1 ? "" : "s"}.`,
      });
      setWarnings(s.warnings);
    } catch (e) {
      setResult({ ok: false, text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="contacts-title">
      <div className="modal modal-wide" data-testid="contacts-dialog">
        <h2 className="modal-title" id="contacts-title">
          Import contacts and consent
        </h2>
        <p className="muted small">
          CSV or JSON files, imported into the runtime this journey is published to. Consent is imported first, so no one is called before their consent is
          known.
        </p>
        <div className="field">
          <label className="field-label" htmlFor="contacts-path">
            Contacts file
          </label>
          <div className="path-field">
            <input
              id="contacts-path"
              className="input"
              placeholder="Choose a CSV or JSON file"
              value={contacts}
              onChange={(e) => setContacts(e.target.value)}
            />
            <ChooseFileButton title="Choose the contacts file" onPicked={setContacts} testId="contacts-choose" />
          </div>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="consents-path">
            Consent file
          </label>
          <div className="path-field">
            <input
              id="consents-path"
              className="input"
              placeholder="Choose a CSV or JSON file"
              value={consents}
              onChange={(e) => setConsents(e.target.value)}
            />
            <ChooseFileButton title="Choose the consent file" onPicked={setConsents} testId="consents-choose" />
          </div>
        </div>
        <div className="field">
          <label className="field-label" htmlFor="contacts-segment">
            Add the contacts to segment
          </label>
          <input id="contacts-segment" className="input" value={segment} onChange={(e) => setSegment(e.target.value)} />
          <div className="field-hint">The segment this journey starts from; leave empty to import without one.</div>
        </div>
        {result ? (
          <div className={`banner ${result.ok ? "banner-ok" : "banner-error"}`} data-testid="import-result">
            {result.text}
          </div>
        ) : null}
        <ImportWarnings warnings={warnings} />
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose} data-testid="contacts-close">
            {result?.ok ? "Done" : "Cancel"}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy || (!contacts.trim() && !consents.trim())}
            onClick={() => void run()}
            data-testid="contacts-import"
          >
            {busy ? "Importing…" : "Import"}
          </button>
        </div>
      </div>
    </div>
  );
}
