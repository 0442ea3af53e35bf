import { ReactFlowProvider } from "@xyflow/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { api, errorMessage, LIMITS, type LiveVersion } from "../ipc";
import { Canvas } from "../canvas/Canvas";
import { EditorChrome } from "../editor/EditorChrome";
import { HistoryButtons } from "../editor/Toolbar";
import { OverlayContext } from "../canvas/overlay";
import { Palette } from "../canvas/Palette";
import { useApp } from "../store/app-store";
import { JourneyContext, createJourneyStore, useJourney, type JourneyStore } from "../store/journey-store";
import { Inspector } from "./Inspector";
import { Problems } from "./Problems";
import { ContactsDialog, LiveControls, PublishButton, StatusBadge, useLiveOverlay } from "./Publish";
import { JourneyStatusBar, OlderVersionsStrip } from "./versions/JourneyStatusBar";
import { VersionsPanel } from "./versions/VersionsPanel";
import { ReadOnlyJourney, VersionViewer } from "./versions/VersionViewer";
import { useVersions } from "./versions/useVersions";
import { ExportJourneyButton, ImportJourneyButton } from "./FileMenu";
import { relativeTime } from "./time";
import { TestRunButton, TestRunDialog, TestRunPanel, useTestRun } from "./test-run/TestRun";
import { overlayFromSimulation } from "../mapping/simulation";
import { CompareButton, CompareDialog, ComparePanel } from "./review/Compare";
import { CompareMarksContext, marksFromDiff } from "./review/marks";
import type { Comparison } from "../ipc";

function SaveIndicator() {
  const state = useJourney((s) => s.saveState);
  const error = useJourney((s) => s.saveError);
  const text = state === "saving" || state === "unsaved" ? "Saving…" : state === "saved" ? "Saved" : `Couldn't save: ${error || "the app gave no reason"}`;
  return (
    <span className={`save save-${state === "unsaved" ? "saving" : state}`} data-testid="save-state" title={error ?? text}>
      {state === "saved" ? "✓ " : null}
      {state === "error" ? text : <span className="label-wide">{text}</span>}
      {state === "saving" || state === "unsaved" ? <span className="label-narrow">…</span> : null}
    </span>
  );
}

function CatalogChip() {
  const state = useApp((s) => s.catalogState);
  const error = useApp((s) => s.catalogError);
  const busy = useApp((s) => s.busy);
  const refresh = useApp((s) => s.refresh);
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(t);
  }, []);
  const label = `Catalog · ${state?.refreshedAt ? relativeTime(state.refreshedAt) : "never refreshed"}`;
  return (
    <span className={`catalog-chip${error ? " warn" : ""}`} title={`${label}${error ? ` — ${error}` : state?.source ? ` (${state.source})` : ""}`}>
      <span className="label-wide">{label}</span>
      <button type="button" className="link-btn" onClick={() => void refresh()} disabled={busy} aria-label={`Refresh the catalog (${label})`}>
        <span className="label-wide">{busy ? "Refreshing…" : "Refresh"}</span>
        <span className="label-narrow" aria-hidden>
          ⟳
        </span>
      </button>
    </span>
  );
}

function JourneyName() {
  const name = useJourney((s) => s.doc.name);
  const edit = useJourney((s) => s.edit);
  return (
    <input
      className="journey-name"
      data-journey-path="name"
      aria-label="Journey name"
      value={name}
      placeholder="Name this journey"
      title={name}
      maxLength={LIMITS.nameMaxChars}
      size={Math.max(name.length + 2, 18)}
      onChange={(e) => {
        const v = e.target.value;
        edit((d) => ({ ...d, name: v }));
      }}
    />
  );
}

function JourneyFocus() {
  const focus = useJourney((s) => s.focus);
  useEffect(() => {
    if (!focus || focus.tileId !== null || !focus.path) return;
    const el = document.querySelector<HTMLElement>(`[data-journey-path="${focus.path}"]`);
    el?.focus();
  }, [focus]);
  return null;
}

type ShellProps = { id: string; initialLive: LiveVersion | null; onBack: () => void; onOpen: (id: string) => void };

function EditorShell({ id, initialLive, onBack, onOpen }: ShellProps) {
  const [live, setLive] = useState(initialLive);
  const [contacts, setContacts] = useState(false);
  const { overlay: liveOverlay, problem, counts } = useLiveOverlay(id, live);
  // The runtime may have moved the version on (e.g. to completing): its counts say so.
  const shownLive = useMemo(() => (live && counts && counts.number === live.number ? { ...live, state: counts.state } : live), [live, counts]);
  const [testing, setTesting] = useState(false);
  const [comparing, setComparing] = useState(false);
  const [comparison, setComparison] = useState<Comparison | null>(null);
  const marks = useMemo(() => (comparison ? marksFromDiff(`${comparison.old.label} → ${comparison.new.label}`, comparison.diff) : null), [comparison]);
  // The canvas draws the comparison's newer side; only the draft is drawn editable.
  const comparedOther = comparison && comparison.new.side.kind !== "draft" ? comparison.new : null;
  const [resultsHidden, setResultsHidden] = useState(false);
  const testRun = useTestRun(id);
  // The document only while a test run's results are drawn over it: an edit does not draw the
  // whole editor again.
  const doc = useJourney((s) => (testRun.run ? s.doc : null));
  const revalidate = useJourney((s) => s.revalidate);
  const catalogState = useApp((s) => s.catalogState);
  // A refreshed catalog (e.g. a segment made by a contacts import) may settle problems.
  useEffect(() => revalidate(), [catalogState, revalidate]);
  // Test-run results, while shown, take the overlay from live counts.
  const shownRun = testRun.run;
  const overlay = useMemo(() => (shownRun && doc ? overlayFromSimulation(doc, shownRun.result) : liveOverlay), [shownRun, doc, liveOverlay]);
  const versions = useVersions(id, `${shownLive?.number ?? ""}:${shownLive?.state ?? ""}`);
  const [panel, setPanel] = useState(false);
  const [viewing, setViewing] = useState<number | null>(null);
  return (
    <ReactFlowProvider>
      <EditorChrome draftShown={!comparedOther && viewing === null}>
        <div className="editor">
          <header className="topbar">
            <button
              type="button"
              className="btn btn-ghost back"
              onClick={onBack}
              data-testid="back"
              aria-label="Back to the journeys"
              title="Back to the journeys"
            >
              ←<span className="label-wide"> Journeys</span>
            </button>
            <JourneyName />
            <HistoryButtons />
            <LiveControls id={id} live={shownLive} onLive={setLive} />
            <CompareButton onOpen={() => setComparing(true)} />
            {/* Last before the spacer: when its text grows ("… · unpublished changes") it takes
                the spacer's room and no button moves. */}
            <JourneyStatusBar view={versions.view} fallback={<StatusBadge live={shownLive} />} onOpen={() => setPanel(true)} />
            {problem ? (
              <span className="publish-failed small" title={problem}>
                Counts unavailable
              </span>
            ) : null}
            <div className="spacer" />
            <CatalogChip />
            <SaveIndicator />
            <ExportJourneyButton id={id} />
            <ImportJourneyButton onOpen={onOpen} compact />
            <button type="button" className="btn" onClick={() => setContacts(true)} data-testid="contacts">
              Contacts…
            </button>
            {shownRun && resultsHidden ? (
              <button type="button" className="btn btn-ghost" data-testid="test-run-show" onClick={() => setResultsHidden(false)}>
                Test-run results
              </button>
            ) : null}
            <TestRunButton onOpen={() => setTesting(true)} />
            <PublishButton id={id} onLive={setLive} />
          </header>
          <OlderVersionsStrip view={versions.view} onOpen={() => setPanel(true)} />
          {contacts ? <ContactsDialog onClose={() => setContacts(false)} /> : null}
          {comparing ? (
            <CompareDialog
              journeyId={id}
              onClose={() => setComparing(false)}
              onCompared={(c) => {
                setComparison(c);
                setComparing(false);
              }}
            />
          ) : null}
          {testing ? (
            <TestRunDialog
              id={id}
              previous={shownRun}
              onClose={() => setTesting(false)}
              onDone={(run) => {
                testRun.show(run);
                setTesting(false);
                setResultsHidden(false);
              }}
            />
          ) : null}
          <JourneyFocus />
          <div className="workspace">
            <OverlayContext.Provider value={overlay}>
              <CompareMarksContext.Provider value={marks}>
                <Palette />
                {comparedOther ? (
                  <ReadOnlyJourney
                    journey={comparedOther.journey}
                    overlay={null}
                    testId="compared-viewer"
                    bar={
                      <>
                        Showing {comparedOther.label} (read-only), compared with {comparison?.old.label} ·{" "}
                        <button type="button" className="link-button" onClick={() => setComparison(null)} data-testid="compared-viewer-back">
                          Back to draft
                        </button>
                      </>
                    }
                  />
                ) : viewing !== null ? (
                  <VersionViewer id={id} number={viewing} onBack={() => setViewing(null)} />
                ) : (
                  <div className="center">
                    <Canvas />
                    <Problems />
                  </div>
                )}
              </CompareMarksContext.Provider>
            </OverlayContext.Provider>
            {panel && versions.view ? (
              <VersionsPanel id={id} view={versions.view} onView={versions.set} onOpenVersion={setViewing} onClose={() => setPanel(false)} />
            ) : null}
            {comparison ? (
              <ComparePanel journeyId={id} comparison={comparison} onClose={() => setComparison(null)} />
            ) : shownRun && !resultsHidden ? (
              <TestRunPanel
                run={shownRun}
                stale={testRun.stale}
                onClear={testRun.clear}
                onHide={() => setResultsHidden(true)}
                onRerun={() => setTesting(true)}
              />
            ) : viewing === null ? (
              // While a version is shown, the draft's fields stay out of reach.
              <Inspector insight={counts ? { journeyId: id, number: counts.number } : null} />
            ) : null}
          </div>
        </div>
      </EditorChrome>
    </ReactFlowProvider>
  );
}

/** The editor of journey `id`; `onOpen` switches to another journey (e.g. one just imported). */
export function Editor({ id, onClose, onOpen }: { id: string; onClose: () => void; onOpen: (id: string) => void }) {
  const [store, setStore] = useState<JourneyStore | null>(null);
  const [live, setLive] = useState<LiveVersion | null>(null);
  const [error, setError] = useState<string | null>(null);
  const storeRef = useRef<JourneyStore | null>(null);
  useEffect(() => {
    let live = true;
    api.openJourney(id).then(
      (opened) => {
        if (!live) return;
        performance.mark("journey-loaded");
        // Validation goes out at once: edits travel as small patches (ipc/validation.ts).
        const s = createJourneyStore(opened.document, opened.summary.updatedAt, { api, validateDelayMs: 0 });
        storeRef.current = s;
        setLive(opened.summary.live);
        setStore(s);
      },
      (e) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
      storeRef.current?.getState().dispose();
    };
  }, [id]);

  const back = async () => {
    await storeRef.current?.getState().flush();
    onClose();
  };
  const openOther = async (other: string) => {
    await storeRef.current?.getState().flush();
    onOpen(other);
  };

  if (error)
    return (
      <div className="page-message">
        <h2>This journey could not be opened</h2>
        <p>{error}</p>
        <button type="button" className="btn" onClick={onClose}>
          Back to journeys
        </button>
      </div>
    );
  if (!store) return <div className="page-message muted">Opening…</div>;
  return (
    <JourneyContext.Provider value={store}>
      <EditorShell id={id} initialLive={live} onBack={() => void back()} onOpen={(other) => void openOther(other)} />
    </JourneyContext.Provider>
  );
}
