// Compare any two of: the draft, a published version, a journey file. The change list comes
// from Rust (`compare_journeys` → `journeys::diff`); the canvas marks the tiles and connections
// it names. `CompareButton` is the editor header's entry point; `ComparePanel` shows a result
// and can restore the version compared with. Both take (journeyId, version number) inputs so a
// versions panel can host them.
import { useContext, useEffect, useState } from "react";
import { api, errorMessage, pickFileToOpen, type CompareSide, type Comparison } from "../../ipc";
import { JourneyContext } from "../../store/journey-store";
import { restoreVersion } from "./restore";
import "./review.css";

type Choice = "draft" | "file" | `v${number}`;

function sideOf(choice: Choice, file: string | null): CompareSide | null {
  if (choice === "draft") return { kind: "draft" };
  if (choice === "file") return file ? { kind: "file", path: file } : null;
  return { kind: "version", number: Number(choice.slice(1)) };
}

/** The picker: two sides, then Compare. `onCompared` gets the result. */
export function CompareDialog({
  journeyId,
  initialOld,
  onClose,
  onCompared,
}: {
  journeyId: string;
  initialOld?: number;
  onClose: () => void;
  onCompared: (c: Comparison) => void;
}) {
  const [versions, setVersions] = useState<number[] | null>(null);
  const [versionsProblem, setVersionsProblem] = useState<string | null>(null);
  const [oldChoice, setOld] = useState<Choice>(initialOld ? `v${initialOld}` : "draft");
  const [newChoice, setNew] = useState<Choice>("draft");
  const [file, setFile] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.compareVersionNumbers(journeyId).then(
      (list) => {
        if (!live) return;
        setVersions(list);
        // Draft against the newest version is the usual question.
        const newest = list[list.length - 1];
        if (!initialOld && newest !== undefined) setOld(`v${newest}`);
      },
      (e) => live && setVersionsProblem(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [journeyId, initialOld]);

  const choose = async () => {
    try {
      const path = await pickFileToOpen("journey", "Compare with a journey file");
      if (path !== null) setFile(path);
    } catch (e) {
      setProblem(errorMessage(e));
    }
  };
  const compare = async () => {
    const old = sideOf(oldChoice, file);
    const next = sideOf(newChoice, file);
    if (!old || !next) {
      setProblem("Choose the journey file to compare with.");
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      onCompared(await api.compareJourneys(journeyId, old, next));
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const options = (
    <>
      <option value="draft">Draft</option>
      {(versions ?? []).map((n) => (
        <option key={n} value={`v${n}`}>
          v{n}
        </option>
      ))}
      <option value="file">{file ? `File: ${file.split(/[\\/]/).pop() ?? file}` : "A journey file…"}</option>
    </>
  );
  const usesFile = oldChoice === "file" || newChoice === "file";
  return (
    <div className="modal-backdrop" role="dialog" aria-modal="true" aria-labelledby="compare-title">
      <div className="modal" data-testid="compare-dialog">
        <h2 className="modal-title" id="compare-title">
          Compare
        </h2>
        <div className="compare-pick">
          <label>
            From
            <select data-testid="compare-old" value={oldChoice} onChange={(e) => setOld(e.target.value as Choice)}>
              {options}
            </select>
          </label>
          <span aria-hidden>→</span>
          <label>
            To
            <select data-testid="compare-new" value={newChoice} onChange={(e) => setNew(e.target.value as Choice)}>
              {options}
            </select>
          </label>
        </div>
        {usesFile ? (
          <p>
            <button type="button" className="btn" data-testid="compare-choose-file" onClick={() => void choose()}>
              Choose file…
            </button>{" "}
            <span className="muted small">{file ?? "No file chosen"}</span>
          </p>
        ) : null}
        {versionsProblem ? <p className="muted small">Versions unavailable: {versionsProblem}</p> : null}
        {problem ? (
          <div className="banner banner-error" data-testid="compare-error">
            {problem}
          </div>
        ) : null}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" data-testid="compare-run" onClick={() => void compare()} disabled={busy}>
            {busy ? "Comparing…" : "Compare"}
          </button>
        </div>
      </div>
    </div>
  );
}

/** The change list of a comparison, with Restore when it compares a version with the draft. */
export function ComparePanel({ journeyId, comparison, onClose }: { journeyId: string; comparison: Comparison; onClose: () => void }) {
  const store = useContext(JourneyContext);
  const [problem, setProblem] = useState<string | null>(null);
  const [restored, setRestored] = useState(false);
  const { old, new: next, diff } = comparison;
  const version = /^v(\d+)$/.exec(old.label)?.[1];
  const restore = async () => {
    if (!store || !version) return;
    setProblem(null);
    try {
      await restoreVersion(store, journeyId, Number(version));
      setRestored(true);
    } catch (e) {
      setProblem(errorMessage(e));
    }
  };
  return (
    <aside className="compare-panel" data-testid="compare-panel">
      <header className="compare-head">
        <h2>
          {old.label} → {next.label}
        </h2>
        <button type="button" className="btn btn-ghost btn-small" data-testid="compare-close" onClick={onClose}>
          Close
        </button>
      </header>
      <p className="muted small">
        {diff.changes.length === 0
          ? "No differences in what the journey does (positions aside)."
          : `${diff.changes.length} change${diff.changes.length === 1 ? "" : "s"}; marked on the canvas.`}
      </p>
      <ChangeList diff={diff} />
      {version && next.label === "Draft" ? (
        <div className="compare-actions">
          <button type="button" className="btn" data-testid="compare-restore" onClick={() => void restore()} disabled={restored}>
            {restored ? `Restored v${version}` : `Restore v${version} into the draft`}
          </button>
          <p className="muted small">Restoring is one step: Ctrl+Z brings the draft back.</p>
        </div>
      ) : null}
      {problem ? (
        <div className="banner banner-error" data-testid="compare-error">
          {problem}
        </div>
      ) : null}
    </aside>
  );
}

/** The sentences of a change list, each marked added / removed / changed. */
export function ChangeList({ diff }: { diff: Comparison["diff"] }) {
  if (diff.changes.length === 0) return null;
  return (
    <ul className="change-list" data-testid="change-list">
      {diff.changes.map((c, i) => (
        <li key={i} className={`change change-${c.kind}`} data-tile={c.tileId ?? undefined}>
          <span className="change-kind">{c.kind}</span> {c.sentence}
        </li>
      ))}
    </ul>
  );
}

/** The editor header's entry point. */
export function CompareButton({ onOpen }: { onOpen: () => void }) {
  return (
    <button
      type="button"
      className="btn btn-ghost btn-small compare-btn"
      data-testid="compare"
      onClick={onOpen}
      title="Compare the draft, a published version or a journey file"
      aria-label="Compare…"
    >
      <span className="label-wide">Compare…</span>
      <span className="label-narrow" aria-hidden>
        ⇄
      </span>
    </button>
  );
}
