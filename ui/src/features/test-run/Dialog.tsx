// The test run's set-up dialog: the form's parts (audience, outcome mixes, when), then the run
// with progress and Cancel.
import { useContext, useEffect, useRef, useState } from "react";
import { api, errorMessage, isCancelled, type TestRun, type TestRunProgress } from "../../ipc";
import { useApp } from "../../store/app-store";
import { JourneyContext, useJourney } from "../../store/journey-store";
import { AudienceSection, type PickedFiles } from "./Audience";
import { RunFooter } from "./Footer";
import { OutcomesSection } from "./Outcomes";
import { audienceSize, defaultForm, formFromSpec, formProblem, toSpec, type RunForm } from "./spec";
import { WhenSection } from "./When";

/** Names each run for its Cancel (unique for the app's life; within a u32). */
let lastTicket = Date.now() % 1_000_000_000;
function nextTicket(): number {
  lastTicket = (lastTicket + 1) % 4_000_000_000;
  return lastTicket;
}

type DialogProps = { id: string; previous: TestRun | null; onClose: () => void; onDone: (run: TestRun) => void };

/** Set up and run; `onDone` gets the finished run. The mixes start from Rust's defaults. */
export function TestRunDialog(props: DialogProps) {
  const doc = useJourney((s) => s.doc);
  const catalog = useApp((s) => s.catalog);
  const { previous } = props;
  const [initial, setInitial] = useState<RunForm | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let active = true;
    const now = new Date();
    // Read once, when the dialog opens: the form then belongs to the marketer.
    api
      .defaultTestRunOutcomes(doc, now.toISOString())
      .then((defaults) => {
        if (active) setInitial(previous ? formFromSpec(doc, catalog, previous.spec, now, defaults) : defaultForm(doc, catalog, now, defaults));
      })
      .catch((e: unknown) => active && setFailure(errorMessage(e)));
    return () => {
      active = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- read once, when the dialog opens: the form then belongs to the marketer.
  }, []);
  if (initial) return <TestRunForm {...props} initial={initial} />;
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="tr-title">
      <div className="modal tr-dialog" data-testid="test-run-preparing">
        <h2 className="modal-title" id="tr-title">
          Test run
        </h2>
        {failure ? (
          <div className="banner banner-error" data-testid="test-run-error">
            {failure}
          </div>
        ) : (
          <p className="muted small">Preparing the outcome mixes…</p>
        )}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={props.onClose} data-testid="test-run-close">
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

function TestRunForm({ id, previous, onClose, onDone, initial }: DialogProps & { initial: RunForm }) {
  const store = useContext(JourneyContext);
  const doc = useJourney((s) => s.doc);
  const zone = doc.timeZone;
  const [form, setForm] = useState<RunForm>(initial);
  const [progress, setProgress] = useState<TestRunProgress | null>(null);
  const lastProgress = useRef<TestRunProgress | null>(null);
  const cancelAsked = useRef(false);
  const ticket = useRef(0);
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [cancelled, setCancelled] = useState<TestRunProgress | null>(null);
  const [files, setFiles] = useState<PickedFiles>({ contacts: null, consents: null });
  const [reading, setReading] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);
  const problem = formProblem(form, zone);
  const start = doc.tiles.find((t) => t.type === "start");
  const repeats = start?.type === "start" && start.start?.kind === "segment" && start.start.frequency.kind === "repeat";
  const set = (patch: Partial<RunForm>) => setForm((f) => ({ ...f, ...patch }));
  const total = audienceSize(form);

  // The picks so far and the latest read, kept outside React's render cycle: a second pick may
  // come before the first one's render, and an earlier read may finish after a later one.
  const picked = useRef<PickedFiles>({ contacts: null, consents: null });
  const latestRead = useRef(0);
  const pickFile = async (which: keyof PickedFiles, path: string) => {
    const next = { ...picked.current, [which]: path };
    picked.current = next;
    const read = ++latestRead.current;
    setFiles(next);
    setFileError(null);
    if (!next.contacts) {
      setFileError("Choose the contacts file too: the consent file goes with it.");
      return;
    }
    setReading(true);
    try {
      const file = await api.readTestAudience(next.contacts, next.consents);
      if (read === latestRead.current) set({ file });
    } catch (e) {
      if (read !== latestRead.current) return;
      setFileError(errorMessage(e));
      set({ file: null });
    } finally {
      if (read === latestRead.current) setReading(false);
    }
  };

  const run = async () => {
    if (!store || problem) return;
    setRunning(true);
    setFailure(null);
    setCancelled(null);
    const first = { journeyId: id, done: 0, total };
    lastProgress.current = first;
    setProgress(first);
    // Progress is best-effort: without events the bar stays still but the run goes on.
    const unlisten = await api
      .onTestRunProgress((p) => {
        if (p.journeyId !== id) return;
        lastProgress.current = p;
        setProgress(p);
      })
      .catch(() => () => undefined);
    cancelAsked.current = false;
    ticket.current = nextTicket();
    try {
      await store.getState().flush();
      // Cancel pressed while the draft was saving: do not start at all.
      if (cancelAsked.current) {
        setCancelled(first);
        return;
      }
      const result = await api.runTestRun(store.getState().doc, toSpec(form, zone), ticket.current);
      onDone(result);
    } catch (e) {
      if (isCancelled(e)) setCancelled(lastProgress.current ?? first);
      else setFailure(errorMessage(e));
    } finally {
      unlisten();
      setRunning(false);
    }
  };

  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="tr-title">
      <div className="modal tr-dialog" data-testid="test-run-dialog">
        <h2 className="modal-title" id="tr-title">
          Test run
        </h2>
        <p className="muted small">
          Runs contacts through this draft in virtual time, with consent and quiet time applied. Nothing is published and no one is called.
          {repeats ? " This journey repeats: the run plays one round, every contact entering once." : ""}
        </p>
        <AudienceSection form={form} set={set} running={running} zone={zone} files={files} pickFile={pickFile} reading={reading} fileError={fileError} />
        <OutcomesSection form={form} running={running} set={set} />
        <WhenSection form={form} set={set} running={running} zone={zone} />
        <RunFooter
          running={running}
          progress={progress}
          total={total}
          cancelled={cancelled}
          hadPrevious={previous !== null}
          failure={failure}
          problem={problem}
          reading={reading}
          onCancel={() => {
            cancelAsked.current = true;
            void api.cancelTestRun(ticket.current);
          }}
          onClose={onClose}
          onRun={() => void run()}
        />
      </div>
    </div>
  );
}
