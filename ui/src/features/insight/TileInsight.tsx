// The selected tile's insight for the version shown (the live one, or one opened from the
// versions panel): counts in words from Rust, re-read as the canvas counts are, and an export
// of the contacts behind a row to a CSV file the marketer picks (Rust writes it).
import { useState } from "react";
import { api, errorMessage, pickFileToSave } from "../../ipc";
import { usePoll } from "../usePoll";
import { insightSections, type InsightExport } from "./sections";
import "./insight.css";

const nf = new Intl.NumberFormat();

/** `named`: say which tile (beside a read-only version, where no inspector heading does). */
type Props = { journeyId: string; number: number; tileId: string; named?: boolean };

export function TileInsightPanel({ journeyId, number, tileId, named = false }: Props) {
  const { value: insight, problem } = usePoll(() => api.tileInsight(journeyId, number, tileId), [journeyId, number, tileId]);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const exportRows = async (e: InsightExport) => {
    setResult(null);
    const path = await pickFileToSave("csv", `Export ${e.what}`, e.fileName);
    if (!path) return;
    setBusy(true);
    try {
      const done = await api.exportTileContacts(journeyId, number, tileId, e.choice, path);
      setResult({ ok: true, text: `Exported ${nf.format(done.rows)} contact${done.rows === 1 ? "" : "s"} to ${done.path}` });
    } catch (err) {
      setResult({ ok: false, text: `The contacts could not be exported: ${errorMessage(err)}` });
    } finally {
      setBusy(false);
    }
  };
  const sections = insight ? insightSections(insight) : [];
  const all = sections[0]?.rows.find((r) => r.key === "entered")?.exportAs;
  return (
    <section className="insight" data-testid="tile-insight" aria-label="Insight">
      <div className="insight-head">
        <span className="insight-title">Insight</span>
        <span className="muted small">{insight ? `v${insight.number} · ${insight.state}` : `v${number}`}</span>
        <span className="spacer" />
        <button
          type="button"
          className="btn btn-small"
          data-testid="insight-export"
          disabled={busy || !all}
          title={all ? `Export ${all.what} to a CSV file` : "Nobody entered this tile yet"}
          onClick={() => all && void exportRows(all)}
        >
          Export contacts…
        </button>
      </div>
      {named && insight ? (
        <div className="insight-tile-name" data-testid="insight-tile-name">
          {insight.tileName}
        </div>
      ) : null}
      {problem ? <div className="insight-problem small">Insight unavailable: {problem}</div> : null}
      {!insight && !problem ? <div className="muted small">Reading the counts…</div> : null}
      {sections.map((s) => (
        <div key={s.key} className="insight-section" data-insight-section={s.key}>
          <div className="insight-section-title">{s.title}</div>
          {s.rows.map((r) => (
            <div key={r.key} className={`insight-row tone-${r.tone}${r.sub ? " insight-sub" : ""}`} data-insight={r.key}>
              <span className="insight-label">{r.label}</span>
              <strong className="insight-count">{nf.format(r.count)}</strong>
              {r.exportAs ? (
                <button
                  type="button"
                  className="btn btn-ghost btn-small insight-row-export"
                  data-testid={`insight-export-${r.key}`}
                  disabled={busy}
                  title={`Export ${r.exportAs.what} to a CSV file`}
                  aria-label={`Export ${r.exportAs.what}`}
                  onClick={() => r.exportAs && void exportRows(r.exportAs)}
                >
                  CSV…
                </button>
              ) : (
                <span className="insight-row-export" />
              )}
            </div>
          ))}
        </div>
      ))}
      {result ? (
        <div className={`insight-result small ${result.ok ? "ok" : "failed"}`} data-testid="insight-export-result" role="status">
          {result.text}
        </div>
      ) : null}
    </section>
  );
}
