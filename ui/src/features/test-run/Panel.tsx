// The results panel of the shown test run: summary, holds on each contact's clock, calls per local
// hour, forecast and trace search.
import { useMemo, useState } from "react";
import type { TestRun } from "../../ipc";
import { blockLabel } from "../../mapping/overlay";
import { findTraces, heldReleases, summarize, type HeldRelease } from "../../mapping/simulation";
import { useJourney } from "../../store/journey-store";
import { specOf } from "../../tiles/kinds";
import { formatInZone } from "../time";
import { nf } from "./format";
import { HourChart } from "./HourChart";

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
export function TestRunPanel({
  run,
  stale,
  onClear,
  onHide,
  onRerun,
}: {
  run: TestRun;
  stale: boolean;
  onClear: () => void;
  onHide: () => void;
  onRerun: () => void;
}) {
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
        <div className="muted small tr-panel-sub" title={`Journey time, ${doc.timeZone} (advanced: seed ${r.seed})`}>
          {nf.format(r.contacts)} contacts{source ? ` from ${source}` : ""} · entering {formatInZone(r.start, doc.timeZone)}
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
        <div>
          <strong data-testid="tr-sent">{nf.format(s.sent)}</strong>
          <span>calls requested</span>
        </div>
        <div>
          <strong>{nf.format(s.attempted)}</strong>
          <span>attempted</span>
        </div>
        <div className="tone-warn">
          <strong>{nf.format(s.held)}</strong>
          <span>held by quiet time</span>
        </div>
        <div className="tone-bad">
          <strong>{nf.format(blocked)}</strong>
          <span>blocked</span>
        </div>
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
              <Breakdown
                rows={Object.entries(f.blocked)
                  .map(([k, v]) => [k, v ?? 0] as [string, number])
                  .filter(([, v]) => v > 0)}
                label={(k) => `Blocked: ${blockLabel(k)}`}
                empty="None blocked."
              />
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
