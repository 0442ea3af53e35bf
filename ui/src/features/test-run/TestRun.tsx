// Test run from the editor: the toolbar button, the set-up dialog (made-up contacts or a file,
// each engagement's outcome mixes, a start in journey time) with progress and Cancel, and the
// results panel (summary, holds and traces on each contact's clock, calls per local hour,
// forecast, trace search).
import { useContext, useEffect, useMemo, useRef, useState } from "react";
import { api, errorMessage, isCancelled, type ConsentStatus, type Journey, type PickedFile, type TestRun, type TestRunProgress, type VariableType } from "../../ipc";
import { blockLabel } from "../../mapping/overlay";
import { findTraces, heldReleases, summarize, type HeldRelease } from "../../mapping/simulation";
import { useApp } from "../../store/app-store";
import { JourneyContext, useJourney } from "../../store/journey-store";
import { specOf } from "../../tiles/kinds";
import { HourChart } from "./HourChart";
import { computerZone, formatInZone, fromZonedInput, zoneAbbreviation } from "../time";
import {
  audienceSize,
  daysAfter,
  defaultForm,
  formFromSpec,
  formProblem,
  toSpec,
  type EngagementForm,
  type FileAudience,
  type Row,
  type RunForm,
  type VariableMix,
} from "./spec";
import "./test-run.css";

const nf = new Intl.NumberFormat();

/** Names each run for its Cancel (unique for the app's life; within a u32). */
let lastTicket = Date.now() % 1_000_000_000;
function nextTicket(): number {
  lastTicket = (lastTicket + 1) % 4_000_000_000;
  return lastTicket;
}

/** The kept test run of the draft, and the one shown: loaded on open, replaced by a new run, cleared by the user. */
export function useTestRun(id: string) {
  const doc = useJourney((s) => s.doc);
  const [shown, setShown] = useState<{ run: TestRun; doc: Journey } | null>(null);
  useEffect(() => {
    let active = true;
    const opened = doc;
    api.latestTestRun(id).then(
      (run) => active && run && setShown({ run, doc: opened }),
      () => undefined,
    );
    return () => {
      active = false;
    };
    // Only on open: later runs arrive through `show`.
  }, [id]);
  return {
    run: shown?.run ?? null,
    /** The draft changed since the run: the numbers describe the earlier draft. */
    stale: shown !== null && shown.doc !== doc,
    show: (run: TestRun) => setShown({ run, doc }),
    clear: () => setShown(null),
  };
}

export function TestRunButton({ onOpen }: { onOpen: () => void }) {
  const errors = useJourney((s) => s.diagnostics.filter((d) => d.severity === "error").length);
  return (
    <button
      type="button"
      className="btn"
      data-testid="test-run"
      disabled={errors > 0}
      title={errors > 0 ? `Fix ${errors} error${errors === 1 ? "" : "s"} to test-run` : "Simulate contacts through this draft"}
      onClick={onOpen}
    >
      ▶ Test run
    </button>
  );
}

function Num({ value, onChange, min = 0, max, label, testId }: { value: number; onChange: (n: number) => void; min?: number; max?: number; label: string; testId?: string }) {
  return (
    <input
      className="input tr-num"
      type="number"
      aria-label={label}
      data-testid={testId}
      min={min}
      max={max}
      value={Number.isNaN(value) ? "" : value}
      onChange={(e) => onChange(e.target.value === "" ? Number.NaN : Number(e.target.value))}
    />
  );
}

type Choice = { value: string; label: string };

/** How a mix row's value is entered: picked from a list, or typed. */
type ValueInput =
  | { kind: "select"; options: Choice[] }
  | { kind: "text"; placeholder: string; list?: string }
  /** Empty reads "Not set"; `fill` is the date offered when the marketer sets one. */
  | { kind: "datetime-local"; fill: string };

/** Weighted rows: a value and a share each, with the share as a percent of the whole. */
function MixRows({ rows, onChange, input, label, testId }: { rows: Row<string>[]; onChange: (r: Row<string>[]) => void; input: ValueInput; label: string; testId?: string }) {
  const total = rows.reduce((n, r) => n + (r.weight > 0 ? r.weight : 0), 0);
  const setValue = (i: number, value: string) => onChange(rows.map((x, j) => (j === i ? { ...x, value } : x)));
  return (
    <div className="tr-mix" data-testid={testId}>
      {rows.map((r, i) => (
        <div className="tr-mix-row" key={i}>
          {input.kind === "select" ? (
            <select className="input" aria-label={label} value={r.value} onChange={(e) => setValue(i, e.target.value)}>
              {input.options.some((o) => o.value === r.value) ? null : <option value={r.value}>{r.value}</option>}
              {input.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : input.kind === "datetime-local" ? (
            r.value === "" ? (
              // An empty date input still draws a date; say "Not set" instead.
              <div className="input tr-notset">
                <span className="muted">Not set</span>
                <button type="button" className="link-btn small" onClick={() => setValue(i, input.fill)}>
                  Set a date
                </button>
              </div>
            ) : (
              <input className="input" type="datetime-local" value={r.value} aria-label={label} onChange={(e) => setValue(i, e.target.value)} />
            )
          ) : (
            <input
              className="input"
              type="text"
              list={input.list}
              value={r.value}
              placeholder={input.placeholder}
              aria-label={label}
              onChange={(e) => setValue(i, e.target.value)}
            />
          )}
          <Num label={`Share of ${label}`} value={r.weight} onChange={(n) => onChange(rows.map((x, j) => (j === i ? { ...x, weight: n } : x)))} />
          <span className="muted small tr-pct">{total > 0 && r.weight > 0 ? `${Math.round((r.weight / total) * 100)}%` : "—"}</span>
          <button type="button" className="icon-btn" aria-label="Remove" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <button
        type="button"
        className="link-btn small"
        onClick={() => onChange([...rows, { value: input.kind === "select" ? (input.options[0]?.value ?? "") : "", weight: 0 }])}
      >
        + Add
      </button>
    </div>
  );
}

const CONSENT_WORDS: Record<ConsentStatus, string> = { optedIn: "Opted in", notSet: "Not set", optedOut: "Opted out" };

const TYPE_WORDS: Record<VariableType, string> = {
  choice: "one of its options",
  number: "a number",
  boolean: "yes or no",
  dateTime: "a date and time, in the journey's zone",
  text: "text",
};

function variableInput(m: VariableMix, start: string): ValueInput {
  const notSet: Choice = { value: "", label: "(not set)" };
  switch (m.type) {
    case "choice":
      return { kind: "select", options: [...m.options.map((o) => ({ value: o, label: o })), notSet] };
    case "boolean":
      return {
        kind: "select",
        options: [
          { value: "true", label: "Yes (true)" },
          { value: "false", label: "No (false)" },
          notSet,
        ],
      };
    case "dateTime":
      return { kind: "datetime-local", fill: daysAfter(start, 2) };
    case "number":
      return { kind: "text", placeholder: "Not set (or a number)" };
    case "text":
      return { kind: "text", placeholder: "Not set (or text)" };
  }
}

/** One engagement's results, disposition codes and variable values, each an editable mix. */
function EngagementMixEditor({ id, form, start, open, onChange }: { id: string; form: EngagementForm; start: string; open: boolean; onChange: (f: EngagementForm) => void }) {
  const resultMapping = useApp((s) => s.catalog.resultMapping);
  const results: ValueInput =
    resultMapping.length > 0
      ? { kind: "select", options: resultMapping.map((r) => ({ value: r.result, label: r.label && r.label !== r.result ? `${r.label} (${r.result})` : r.result })) }
      : { kind: "text", placeholder: "Result, e.g. LiveAnswer" };
  const top = [...form.results].sort((a, b) => b.weight - a.weight)[0];
  const total = form.results.reduce((n, r) => n + Math.max(0, r.weight || 0), 0);
  const variables = Object.entries(form.variables);
  return (
    <details className="tr-engagement" open={open} data-testid={`tr-engagement-${id}`}>
      <summary>
        <span className="tr-engagement-name">{form.name}</span>
        <span className="muted small">
          {top && total > 0 ? `${Math.round((top.weight / total) * 100)}% ${top.value}` : "no results"} · {form.codes.length} disposition code
          {form.codes.length === 1 ? "" : "s"} · {variables.length} variable{variables.length === 1 ? "" : "s"}
        </span>
      </summary>
      <div className="tr-engagement-body">
        <div className="field-label">Results</div>
        <MixRows rows={form.results} label="Result" input={results} onChange={(r) => onChange({ ...form, results: r })} testId={`tr-results-${id}`} />
        <div className="field-label">Disposition codes</div>
        <div className="muted small">Codes and variables are written back only when a person answers (Live answer).</div>
        {form.codes.length === 0 && form.dispositions.length === 0 ? (
          <div className="muted small tr-none">This engagement has no disposition codes.</div>
        ) : (
          <MixRows
            rows={form.dispositions}
            label="Disposition code"
            input={{ kind: "select", options: [{ value: "", label: "(no code)" }, ...form.codes.map((c) => ({ value: c, label: c }))] }}
            onChange={(d) => onChange({ ...form, dispositions: d })}
            testId={`tr-codes-${id}`}
          />
        )}
        {variables.map(([name, m]) => (
          <div key={name} className="tr-variable">
            <div className="field-label">
              {name} <span className="muted small">· {TYPE_WORDS[m.type]}</span>
            </div>
            <MixRows
              rows={m.rows}
              label={name}
              input={variableInput(m, start)}
              onChange={(rows) => onChange({ ...form, variables: { ...form.variables, [name]: { ...m, rows } } })}
              testId={`tr-variable-${id}-${name}`}
            />
          </div>
        ))}
      </div>
    </details>
  );
}

const plural = (n: number, one: string, many = `${one}s`) => `${nf.format(n)} ${n === 1 ? one : many}`;

/** What was read from the file, and what the marketer should know before running it. */
function FileSummary({ file, zone, fresh }: { file: FileAudience; zone: string; fresh: boolean }) {
  const notes: string[] = [];
  if (file.consents.length === 0) notes.push("No consent records: every call that needs an opt-in will be blocked.");
  if (file.withoutPhone > 0)
    notes.push(`${plural(file.withoutPhone, "contact has", "contacts have")} no phone number: calls to ${file.withoutPhone === 1 ? "it" : "them"} are blocked.`);
  if (file.withoutZone > 0) notes.push(`${plural(file.withoutZone, "contact has", "contacts have")} no time zone: the journey's (${zone}) applies.`);
  for (const [z, n] of file.unknownZones) notes.push(`“${z}” (${plural(n, "contact")}) is not a time-zone name: the journey's zone applies.`);
  return (
    <div className="summary-box tr-file-summary" data-testid="tr-file-summary">
      <div className="summary-title">
        {plural(file.contacts.length, "contact")}
        {file.consents.length > 0 ? ` and ${plural(file.consents.length, "consent record")}` : ""} {fresh ? "read from" : "from"} {file.source}
        {fresh ? "" : " (as in the earlier run)"}
      </div>
      {notes.map((n) => (
        <div key={n} className="summary-line">
          {n}
        </div>
      ))}
    </div>
  );
}

async function pickedFile(input: HTMLInputElement): Promise<PickedFile | null> {
  const file = input.files?.[0];
  return file ? { name: file.name, text: await file.text() } : null;
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
  const zones = useApp((s) => s.timeZones);
  const zone = doc.timeZone;
  const [form, setForm] = useState<RunForm>(initial);
  const [progress, setProgress] = useState<TestRunProgress | null>(null);
  const lastProgress = useRef<TestRunProgress | null>(null);
  const cancelAsked = useRef(false);
  const ticket = useRef(0);
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [cancelled, setCancelled] = useState<TestRunProgress | null>(null);
  const [files, setFiles] = useState<{ contacts: PickedFile | null; consents: PickedFile | null }>({ contacts: null, consents: null });
  const [reading, setReading] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);
  const problem = formProblem(form, zone);
  const start = doc.tiles.find((t) => t.type === "start");
  const repeats = start?.type === "start" && start.start?.kind === "segment" && start.start.frequency.kind === "repeat";
  const set = (patch: Partial<RunForm>) => setForm((f) => ({ ...f, ...patch }));
  const total = audienceSize(form);

  const readFiles = async (next: { contacts: PickedFile | null; consents: PickedFile | null }) => {
    setFiles(next);
    setFileError(null);
    if (!next.contacts) {
      if (next.consents) setFileError("Choose the contacts file too: the consent file goes with it.");
      return;
    }
    setReading(true);
    try {
      const file = await api.readTestAudience(next.contacts, next.consents);
      set({ file });
    } catch (e) {
      setFileError(errorMessage(e));
      set({ file: null });
    } finally {
      setReading(false);
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

  const startIso = fromZonedInput(form.start, zone);
  const here = computerZone();
  const pct = progress && progress.total > 0 ? Math.min(100, (progress.done / progress.total) * 100) : 0;
  const engagements = Object.entries(form.outcomes);
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="tr-title">
      <div className="modal tr-dialog" data-testid="test-run-dialog">
        <h2 className="modal-title" id="tr-title">
          Test run
        </h2>
        <p className="muted small">
          Runs contacts through this draft in virtual time, with consent and quiet time applied. Nothing is published and no
          one is called.
          {repeats ? " This journey repeats: the run plays one round, every contact entering once." : ""}
        </p>
        <fieldset className="tr-section" disabled={running}>
          <legend>Audience</legend>
          <div className="segmented tr-audience">
            <button type="button" className={form.audience === "generated" ? "on" : ""} data-testid="tr-audience-generated" onClick={() => set({ audience: "generated" })}>
              Made-up contacts
            </button>
            <button type="button" className={form.audience === "file" ? "on" : ""} data-testid="tr-audience-file" onClick={() => set({ audience: "file" })}>
              Contacts from a file
            </button>
          </div>
          {form.audience === "generated" ? (
            <>
              <div className="tr-grid">
                <label className="field-label">Contacts</label>
                <Num label="Contacts" testId="tr-count" min={1} max={1_000_000} value={form.count} onChange={(count) => set({ count })} />
                <label className="field-label">Without a phone number (%)</label>
                <Num label="Without a phone number" min={0} max={100} value={form.missingPhonePercent} onChange={(missingPhonePercent) => set({ missingPhonePercent })} />
              </div>
              <div className="field-label">Time zones</div>
              <datalist id="tr-zones">
                {zones.map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
              <MixRows rows={form.zones} input={{ kind: "text", list: "tr-zones", placeholder: "Time zone (empty: the journey's)" }} label="Time zone" onChange={(zones) => set({ zones })} />
              <div className="field-label">Consent</div>
              <div className="tr-consent">
                {(Object.keys(CONSENT_WORDS) as ConsentStatus[]).map((k) => (
                  <label key={k} className="small">
                    {CONSENT_WORDS[k]}
                    <Num label={CONSENT_WORDS[k]} value={form.consent[k]} onChange={(n) => set({ consent: { ...form.consent, [k]: n } })} />
                  </label>
                ))}
              </div>
            </>
          ) : (
            <div className="tr-files">
              <div className="tr-grid tr-file-grid">
                <label className="field-label" htmlFor="tr-contacts-file">
                  Contacts file
                </label>
                <input
                  id="tr-contacts-file"
                  className="tr-file-input"
                  type="file"
                  accept=".csv,.json,text/csv,application/json"
                  data-testid="tr-contacts-file"
                  onChange={(e) => void pickedFile(e.currentTarget).then((contacts) => readFiles({ ...files, contacts }))}
                />
                <label className="field-label" htmlFor="tr-consents-file">
                  Consent file <span className="muted small">(optional)</span>
                </label>
                <input
                  id="tr-consents-file"
                  className="tr-file-input"
                  type="file"
                  accept=".csv,.json,text/csv,application/json"
                  data-testid="tr-consents-file"
                  onChange={(e) => void pickedFile(e.currentTarget).then((consents) => readFiles({ ...files, consents }))}
                />
              </div>
              <div className="field-hint">
                CSV or JSON, as <strong>Contacts…</strong> imports: columns id, mobilePhone, businessPhone, homePhone, timeZone, country,
                stateOrProvince (others become attributes); consent: contactPoint, channel, scope, scopeId, status, updatedAt.
              </div>
              {reading ? <div className="muted small">Reading…</div> : null}
              {fileError ? (
                <div className="banner banner-error small" data-testid="tr-file-error">
                  {fileError}
                </div>
              ) : null}
              {form.file && !reading ? <FileSummary file={form.file} zone={zone} fresh={files.contacts !== null} /> : null}
            </div>
          )}
        </fieldset>
        {engagements.length > 0 ? (
          <fieldset className="tr-section" disabled={running}>
            <legend>How calls turn out</legend>
            <div className="field-hint tr-mix-hint">Each call draws a result, a disposition code and a value for each variable from these shares.</div>
            {engagements.map(([eid, e], i) => (
              <EngagementMixEditor key={eid} id={eid} form={e} start={form.start} open={i === 0} onChange={(f) => set({ outcomes: { ...form.outcomes, [eid]: f } })} />
            ))}
          </fieldset>
        ) : null}
        <fieldset className="tr-section" disabled={running}>
          <legend>When</legend>
          <div className="tr-grid">
            <label className="field-label" htmlFor="tr-start">
              Contacts enter at <span className="muted small">(journey time, {zone})</span>
            </label>
            <input id="tr-start" className="input" type="datetime-local" value={form.start} onChange={(e) => set({ start: e.target.value })} />
            <label className="field-label">Seed</label>
            <Num label="Seed" value={form.seed} onChange={(seed) => set({ seed })} />
          </div>
          {startIso ? (
            <div className="field-hint" data-testid="tr-start-zone">
              {formatInZone(startIso, zone)}, journey time ({zone})
              {zoneAbbreviation(here, Date.parse(startIso)) !== zoneAbbreviation(zone, Date.parse(startIso)) ? `; ${formatInZone(startIso, here)} on this computer` : ""}. Each
              contact's calls then follow quiet time in the contact's own zone.
            </div>
          ) : null}
        </fieldset>
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
            {previous ? "; the results shown are still the earlier run's" : ""}.
          </div>
        ) : null}
        {failure ? (
          <div className="banner banner-error" data-testid="test-run-error">
            {failure}
          </div>
        ) : null}
        {problem && !running ? <div className="field-hint tr-problem" data-testid="test-run-problem">{problem}</div> : null}
        <div className="modal-actions">
          {running ? (
            <button
              type="button"
              className="btn"
              data-testid="test-run-cancel"
              onClick={() => {
                cancelAsked.current = true;
                void api.cancelTestRun(ticket.current);
              }}
            >
              Cancel run
            </button>
          ) : (
            <button type="button" className="btn" onClick={onClose} data-testid="test-run-close">
              Close
            </button>
          )}
          <button type="button" className="btn btn-primary" data-testid="test-run-start" disabled={running || reading || problem !== null} onClick={() => void run()}>
            {running ? "Running…" : `Run ${nf.format(total)} contact${total === 1 ? "" : "s"}`}
          </button>
        </div>
        </div>
      </div>
    </div>
  );
}

function Breakdown({ rows, label, empty }: { rows: [string, number][]; label: (k: string) => string; empty: string }) {
  if (rows.length === 0) return <div className="muted small">{empty}</div>;
  return (
    <ul className="tr-list">
      {rows.map(([k, n]) => (
        <li key={k}>
          <span>{label(k)}</span>
          <strong>{nf.format(n)}</strong>
        </li>
      ))}
    </ul>
  );
}

/** "Los Angeles" for America/Los_Angeles: the place, where the abbreviation alone is ambiguous. */
function place(zone: string): string {
  return (zone.split("/").pop() ?? zone).replace(/_/g, " ");
}

/** Hold releases, each on the clock of the contact's own zone. */
function HeldList({ rows }: { rows: HeldRelease[] }) {
  if (rows.length === 0) return <div className="muted small">No call was held.</div>;
  return (
    <ul className="tr-list" data-testid="held-until">
      {rows.map((h) => (
        <li key={`${h.at}|${h.zone}`} title={h.zone}>
          <span>
            {formatInZone(h.at, h.zone)} <span className="muted small">· {place(h.zone)}</span>
          </span>
          <strong>{nf.format(h.count)}</strong>
        </li>
      ))}
    </ul>
  );
}

function TraceSearch({ run }: { run: TestRun }) {
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState<string | null>(null);
  const doc = useJourney((s) => s.doc);
  const tileName = (tid: string | null) => {
    if (!tid) return "";
    const t = doc.tiles.find((x) => x.id === tid);
    return t ? t.name || specOf(t.type).label : tid;
  };
  const found = useMemo(() => findTraces(run.result.traces, query, 12), [run, query]);
  return (
    <div>
      <input className="input" placeholder="Contact id or phone number" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="trace-search" />
      <ul className="tr-traces">
        {found.map((t) => (
          <li key={t.contactId}>
            <button type="button" className="tr-trace-head" onClick={() => setOpen(open === t.contactId ? null : t.contactId)}>
              <strong>{t.contactId}</strong> <span className="muted">{t.phone ?? "no phone"}</span>
            </button>
            {open === t.contactId ? (
              <div className="muted small tr-steps-zone" data-testid="trace-zone">
                Times in {t.timeZone}, the contact's zone
              </div>
            ) : null}
            {open === t.contactId ? (
              <ol className="tr-steps" data-testid="trace-steps">
                {t.steps.map((s, i) => (
                  <li key={i}>
                    <span className="muted small">{formatInZone(s.at, t.timeZone)}</span>
                    {s.tile ? <span className="tr-step-tile">{tileName(s.tile)}</span> : null}
                    <div>{s.text}</div>
                  </li>
                ))}
              </ol>
            ) : null}
          </li>
        ))}
      </ul>
      {found.length === 0 ? <div className="muted small">No contact matches.</div> : null}
      {run.result.traces.length < run.result.contacts ? (
        <div className="field-hint">Paths kept for the first {nf.format(run.result.traces.length)} contacts.</div>
      ) : null}
    </div>
  );
}

/** The results of the shown run, beside the canvas. */
export function TestRunPanel({ run, stale, onClear, onHide, onRerun }: { run: TestRun; stale: boolean; onClear: () => void; onHide: () => void; onRerun: () => void }) {
  const r = run.result;
  const s = useMemo(() => summarize(r), [r]);
  const blocked = s.blocked.reduce((n, [, v]) => n + v, 0);
  const doc = useJourney((d) => d.doc);
  // The run names tiles by their saved name; an unnamed tile reads as the canvas shows it.
  const tileName = (tid: string, name: string) => name || doc.tiles.find((t) => t.id === tid)?.name || specOf("voiceConversation").label;
  const source = run.spec.audience.kind === "explicit" ? run.spec.audience.source : null;
  return (
    <aside className="tr-panel" data-testid="test-run-panel">
      <div className="tr-panel-head">
        <div className="tr-panel-title">Test run</div>
        <div className="muted small tr-panel-sub" title={`Journey time, ${doc.timeZone}`}>
          {nf.format(r.contacts)} contacts{source ? ` from ${source}` : ""} · seed {r.seed} · entering {formatInZone(r.start, doc.timeZone)}
        </div>
        <button type="button" className="btn btn-small" onClick={onRerun}>
          Run again
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={onHide} title="Show the inspector; the counts stay on the canvas">
          Hide
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={onClear} data-testid="test-run-clear">
          Clear
        </button>
      </div>
      {stale ? <div className="banner tr-stale small">The draft changed since this run; run again to update.</div> : null}
      <div className="tr-stats">
        <div><strong data-testid="tr-sent">{nf.format(s.sent)}</strong><span>calls requested</span></div>
        <div><strong>{nf.format(s.attempted)}</strong><span>attempted</span></div>
        <div className="tone-warn"><strong>{nf.format(s.held)}</strong><span>held by quiet time</span></div>
        <div className="tone-bad"><strong>{nf.format(blocked)}</strong><span>blocked</span></div>
      </div>
      <section>
        <h4>Blocked, by reason</h4>
        <Breakdown rows={s.blocked} label={blockLabel} empty="No one was blocked." />
      </section>
      <section>
        <h4>Held by quiet time, until</h4>
        <HeldList rows={s.heldUntil} />
        {s.heldUntil.length > 0 ? <div className="field-hint">Each in the contact's own time zone.</div> : null}
      </section>
      <section>
        <h4>Calls per local hour</h4>
        <HourChart hours={r.callsByLocalHour} />
        <div className="field-hint">Empty hours: no call placed — quiet time, or no one to call.</div>
      </section>
      <section>
        <h4>Forecast at start, per voice tile</h4>
        {r.forecast.length === 0 ? <div className="muted small">No voice tile.</div> : null}
        {r.forecast.map((f) => {
          const until = heldReleases([f.heldUntil]);
          const first = until[0];
          return (
            <div key={f.tile} className="tr-forecast" data-testid="forecast">
              <div className="tr-forecast-name">{tileName(f.tile, f.name)}</div>
              <div className="tr-forecast-row">
                <span className="ok-text">Called now {nf.format(f.callNow)}</span>
                <span className="tone-warn">
                  Held {nf.format(f.held)}
                  {first ? ` until ${formatInZone(first.at, first.zone)}${until.length > 1 ? ` (+${until.length - 1} more)` : ""}` : ""}
                </span>
              </div>
              <Breakdown rows={Object.entries(f.blocked).map(([k, v]) => [k, v ?? 0] as [string, number]).filter(([, v]) => v > 0)} label={(k) => `Blocked: ${blockLabel(k)}`} empty="None blocked." />
            </div>
          );
        })}
      </section>
      <section>
        <h4>Results</h4>
        <Breakdown rows={s.results} label={(k) => k} empty="No call finished." />
      </section>
      <section>
        <h4>Trace a contact</h4>
        <TraceSearch run={run} />
      </section>
    </aside>
  );
}
