// Test run from the editor: the toolbar button, the set-up dialog with progress and Cancel,
// and the results panel (summary, calls per local hour, forecast, trace search).
import { useContext, useEffect, useMemo, useState } from "react";
import { api, errorMessage, type ConsentStatus, type Journey, type TestRun, type TestRunProgress } from "../../ipc";
import { blockLabel } from "../../mapping/overlay";
import { findTraces, summarize } from "../../mapping/simulation";
import { useApp } from "../../store/app-store";
import { JourneyContext, useJourney } from "../../store/journey-store";
import { specOf } from "../../tiles/kinds";
import { HourChart } from "./HourChart";
import { defaultForm, formFromSpec, formProblem, toSpec, type Row, type RunForm } from "./spec";
import "./test-run.css";

const nf = new Intl.NumberFormat();
const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

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

function MixRows({ rows, onChange, options, placeholder }: { rows: Row<string>[]; onChange: (r: Row<string>[]) => void; options?: string; placeholder: string }) {
  const total = rows.reduce((n, r) => n + (r.weight > 0 ? r.weight : 0), 0);
  return (
    <div className="tr-mix">
      {rows.map((r, i) => (
        <div className="tr-mix-row" key={i}>
          <input
            className="input"
            list={options}
            value={r.value}
            placeholder={placeholder}
            aria-label={placeholder}
            onChange={(e) => onChange(rows.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
          />
          <Num label="Share" value={r.weight} onChange={(n) => onChange(rows.map((x, j) => (j === i ? { ...x, weight: n } : x)))} />
          <span className="muted small tr-pct">{total > 0 && r.weight > 0 ? `${Math.round((r.weight / total) * 100)}%` : "—"}</span>
          <button type="button" className="icon-btn" aria-label="Remove" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="link-btn small" onClick={() => onChange([...rows, { value: "", weight: 0 }])}>
        + Add
      </button>
    </div>
  );
}

const CONSENT_WORDS: Record<ConsentStatus, string> = { optedIn: "Opted in", notSet: "Not set", optedOut: "Opted out" };

/** Set up and run; `onDone` gets the finished run. */
export function TestRunDialog({ id, previous, onClose, onDone }: { id: string; previous: TestRun | null; onClose: () => void; onDone: (run: TestRun) => void }) {
  const store = useContext(JourneyContext);
  const doc = useJourney((s) => s.doc);
  const catalog = useApp((s) => s.catalog);
  const zones = useApp((s) => s.timeZones);
  const [form, setForm] = useState<RunForm>(() => (previous ? formFromSpec(doc, previous.spec, new Date()) : defaultForm(doc, new Date())));
  const [progress, setProgress] = useState<TestRunProgress | null>(null);
  const [running, setRunning] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const problem = formProblem(form);
  const set = (patch: Partial<RunForm>) => setForm((f) => ({ ...f, ...patch }));
  const engagementName = (eid: string) => catalog.engagements.find((e) => e.id === eid)?.name ?? eid;

  const run = async () => {
    if (!store || problem) return;
    setRunning(true);
    setFailure(null);
    setProgress({ journeyId: id, done: 0, total: form.count });
    // Progress is best-effort: without events the bar stays still but the run goes on.
    const unlisten = await api
      .onTestRunProgress((p) => {
        if (p.journeyId === id) setProgress(p);
      })
      .catch(() => () => undefined);
    try {
      await store.getState().flush();
      const result = await api.runTestRun(store.getState().doc, toSpec(form));
      onDone(result);
    } catch (e) {
      setFailure(errorMessage(e));
    } finally {
      unlisten();
      setRunning(false);
    }
  };

  const pct = progress && progress.total > 0 ? Math.min(100, (progress.done / progress.total) * 100) : 0;
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="tr-title">
      <div className="modal tr-dialog" data-testid="test-run-dialog">
        <h2 className="modal-title" id="tr-title">
          Test run
        </h2>
        <p className="muted small">
          Simulates made-up contacts through this draft in virtual time, with consent and quiet time applied. Nothing is
          published and no one is called.
        </p>
        <fieldset className="tr-section" disabled={running}>
          <legend>Audience</legend>
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
          <MixRows rows={form.zones} options="tr-zones" placeholder="Time zone (empty: the journey's)" onChange={(zones) => set({ zones })} />
          <div className="field-label">Consent</div>
          <div className="tr-consent">
            {(Object.keys(CONSENT_WORDS) as ConsentStatus[]).map((k) => (
              <label key={k} className="small">
                {CONSENT_WORDS[k]}
                <Num label={CONSENT_WORDS[k]} value={form.consent[k]} onChange={(n) => set({ consent: { ...form.consent, [k]: n } })} />
              </label>
            ))}
          </div>
        </fieldset>
        {Object.keys(form.outcomes).length > 0 ? (
          <fieldset className="tr-section" disabled={running}>
            <legend>How calls turn out</legend>
            {Object.entries(form.outcomes).map(([eid, rows]) => (
              <div key={eid} className="tr-engagement">
                <div className="field-label">{engagementName(eid)}</div>
                <MixRows rows={rows} placeholder="Result" onChange={(r) => set({ outcomes: { ...form.outcomes, [eid]: r } })} />
              </div>
            ))}
            <div className="field-hint">Disposition codes and the Outcome variable are drawn from a standard mix.</div>
          </fieldset>
        ) : null}
        <fieldset className="tr-section" disabled={running}>
          <legend>When</legend>
          <div className="tr-grid">
            <label className="field-label" htmlFor="tr-start">
              Contacts enter at
            </label>
            <input id="tr-start" className="input" type="datetime-local" value={form.start} onChange={(e) => set({ start: e.target.value })} />
            <label className="field-label">Seed</label>
            <Num label="Seed" value={form.seed} onChange={(seed) => set({ seed })} />
          </div>
        </fieldset>
        {running ? (
          <div className="tr-progress" data-testid="test-run-progress">
            <div className="tr-progress-bar">
              <div style={{ width: `${pct}%` }} />
            </div>
            <span className="small muted">
              {nf.format(progress?.done ?? 0)} of {nf.format(progress?.total ?? form.count)} contacts
            </span>
          </div>
        ) : null}
        {failure ? (
          <div className="banner banner-error" data-testid="test-run-error">
            {failure}
          </div>
        ) : null}
        {problem && !running ? <div className="field-hint tr-problem">{problem}</div> : null}
        <div className="modal-actions">
          {running ? (
            <button type="button" className="btn" data-testid="test-run-cancel" onClick={() => void api.cancelTestRun()}>
              Cancel run
            </button>
          ) : (
            <button type="button" className="btn" onClick={onClose}>
              Close
            </button>
          )}
          <button type="button" className="btn btn-primary" data-testid="test-run-start" disabled={running || problem !== null} onClick={() => void run()}>
            {running ? "Running…" : "Run"}
          </button>
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
              <ol className="tr-steps" data-testid="trace-steps">
                {t.steps.map((s, i) => (
                  <li key={i}>
                    <span className="muted small">{when(s.at)}</span>
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
  return (
    <aside className="tr-panel" data-testid="test-run-panel">
      <div className="tr-panel-head">
        <div>
          <div className="tr-panel-title">Test run</div>
          <div className="muted small">
            {nf.format(r.contacts)} contacts · seed {r.seed} · from {when(r.start)}
          </div>
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
        <Breakdown rows={s.heldUntil} label={when} empty="No call was held." />
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
          const until = Object.keys(f.heldUntil).sort();
          return (
            <div key={f.tile} className="tr-forecast" data-testid="forecast">
              <div className="tr-forecast-name">{tileName(f.tile, f.name)}</div>
              <div className="tr-forecast-row">
                <span className="ok-text">Called now {nf.format(f.callNow)}</span>
                <span className="tone-warn">
                  Held {nf.format(f.held)}
                  {until.length > 0 ? ` until ${when(until[0] ?? "")}${until.length > 1 ? ` (+${until.length - 1} more)` : ""}` : ""}
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
