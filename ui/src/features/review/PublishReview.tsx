// The publish review, shown before publishing over a live or paused version: a publish from
// another computer, the change list, contacts in flight, what the runtime would refuse, and the
// compliance impact (the forecast of the current version and the draft over the same contacts,
// per voice tile). Everything comes from `review_publish`; one click then publishes.
import type { CallForecast, PublishReview, TileImpact } from "../../ipc";
import { blockLabel } from "../../mapping/overlay";
import { ChangeList } from "./Compare";
import "./review.css";

const nf = new Intl.NumberFormat();

function blockedTotal(f: CallForecast | null | undefined): number {
  return Object.values(f?.blocked ?? {}).reduce<number>((n, v) => n + (v ?? 0), 0);
}

function Cell({ before, after, testId }: { before: number | null; after: number | null; testId: string }) {
  const changed = before !== after;
  return (
    <td className={changed ? "impact-changed" : undefined} data-testid={testId}>
      {before === null ? "—" : nf.format(before)}
      {changed ? (
        <>
          {" "}
          → <strong>{after === null ? "—" : nf.format(after)}</strong>
        </>
      ) : null}
    </td>
  );
}

function ImpactRow({ t }: { t: TileImpact }) {
  const b = t.before ?? null;
  const a = t.after ?? null;
  const reasons = [...new Set([...Object.keys(b?.blocked ?? {}), ...Object.keys(a?.blocked ?? {})])];
  return (
    <>
      <tr className={t.changed ? "impact-row-changed" : undefined} data-testid="impact-row" data-tile={t.tileId}>
        <th scope="row">
          {t.changed ? (
            <span className="impact-mark" title="Different in the draft">
              ●
            </span>
          ) : null}{" "}
          {t.name || t.tileId}
        </th>
        <Cell before={b ? b.called : null} after={a ? a.called : null} testId="impact-called" />
        <Cell before={b ? b.held : null} after={a ? a.held : null} testId="impact-held" />
        <Cell before={b ? blockedTotal(b) : null} after={a ? blockedTotal(a) : null} testId="impact-blocked" />
      </tr>
      {reasons.map((r) => (
        <tr key={r} className="impact-reason">
          <th scope="row">{blockLabel(r)}</th>
          <td />
          <td />
          <Cell before={b ? (b.blocked[r] ?? 0) : null} after={a ? (a.blocked[r] ?? 0) : null} testId="impact-reason" />
        </tr>
      ))}
    </>
  );
}

/** What the publish button says for this review. */
export function publishLabel(review: PublishReview): string {
  if (review.publishedElsewhere) return `Replace v${review.publishedElsewhere} published elsewhere`;
  const n = review.current?.number ?? 0;
  switch (review.plan.kind) {
    case "rename":
      return `Rename v${n}`;
    case "unchanged":
      return "Publish (nothing changes)";
    default:
      return `Publish v${n + 1}`;
  }
}

export function PublishReviewDialog({
  review,
  busy,
  error,
  onPublish,
  onCancel,
}: {
  review: PublishReview;
  busy: boolean;
  error: string | null;
  onPublish: (replace: number | null) => void;
  onCancel: () => void;
}) {
  const current = review.current;
  const refused = review.plan.kind === "refused" ? review.plan.reason : null;
  const impact = review.impact;
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="review-title">
      <div className="modal review-dialog" data-testid="publish-review">
        <h2 className="modal-title" id="review-title">
          Publish over v{current?.number} ({current?.state})?
        </h2>
        {review.publishedElsewhere ? (
          <div className="banner banner-warning" data-testid="review-elsewhere">
            v{review.publishedElsewhere} was published from another computer
            {review.base ? ` after this draft was published or restored as v${review.base}` : " (this draft was never published from here)"}. The changes below
            are from v{review.publishedElsewhere}; publishing replaces it.
          </div>
        ) : null}
        {refused ? (
          <div className="banner banner-error" data-testid="review-refused">
            {refused}
          </div>
        ) : null}
        <section>
          <h3>Changes from v{current?.number}</h3>
          {review.diff.changes.length === 0 ? <p className="muted small">None in what the journey does.</p> : <ChangeList diff={review.diff} />}
        </section>
        {review.inFlight ? (
          <p data-testid="review-in-flight">
            <strong>Contacts in flight:</strong> {review.inFlight}
          </p>
        ) : null}
        {impact ? (
          <section data-testid="review-impact">
            <h3>Compliance impact</h3>
            <p className="muted small" data-testid="impact-source">
              Over {impact.source}, each reaching its call at {new Date(impact.at).toLocaleString()}: v{current?.number} → draft.
            </p>
            {impact.tiles.length === 0 ? (
              <p className="muted small">No voice tiles.</p>
            ) : (
              <table className="impact">
                <thead>
                  <tr>
                    <th scope="col">Voice tile</th>
                    <th scope="col">Called</th>
                    <th scope="col">Held by quiet time</th>
                    <th scope="col">Blocked</th>
                  </tr>
                </thead>
                <tbody>
                  {impact.tiles.map((t) => (
                    <ImpactRow key={t.tileId} t={t} />
                  ))}
                </tbody>
              </table>
            )}
          </section>
        ) : null}
        {error ? (
          <div className="banner banner-error" data-testid="review-error">
            {error}
          </div>
        ) : null}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onCancel} disabled={busy} data-testid="review-cancel">
            Cancel
          </button>
          <button
            type="button"
            className={`btn ${review.publishedElsewhere ? "btn-danger" : "btn-primary"}`}
            data-testid="review-publish"
            disabled={busy || refused !== null}
            onClick={() => onPublish(review.publishedElsewhere ?? null)}
          >
            {busy ? "Publishing…" : publishLabel(review)}
          </button>
        </div>
      </div>
    </div>
  );
}
