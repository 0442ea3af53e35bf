// Journey files: "Export journey…" (editor) and "Import journey…" (journey list and editor).
// The native dialog picks the path; the backend reads, checks and writes the file.
import { useState } from "react";
import { api, errorMessage, pickFileToOpen, pickFileToSave, type ImportedJourney } from "../ipc";
import { useJourney } from "../store/journey-store";

/** A file name from a journey name: letters, digits, dashes; `journey` when nothing is left. */
function fileName(name: string): string {
  const base = name
    .trim()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80);
  return `${base || "journey"}.journey.json`;
}

type Outcome = { kind: "ok"; title: string; text: string; open?: () => void } | { kind: "error"; title: string; text: string };

function OutcomeDialog({ outcome, onClose }: { outcome: Outcome; onClose: () => void }) {
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="file-outcome-title"
        data-testid="file-outcome"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 className="modal-title" id="file-outcome-title">
          {outcome.title}
        </h2>
        <div
          className={outcome.kind === "error" ? "banner banner-error" : "banner banner-ok"}
          data-testid={outcome.kind === "error" ? "file-error" : "file-ok"}
        >
          {outcome.text}
        </div>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={onClose} data-testid="file-outcome-close" autoFocus={!("open" in outcome && outcome.open)}>
            Close
          </button>
          {"open" in outcome && outcome.open ? (
            <button type="button" className="btn btn-primary" data-testid="file-outcome-open" autoFocus onClick={outcome.open}>
              Open it
            </button>
          ) : null}
        </div>
      </div>
    </div>
  );
}

/** A tray with an arrow out of it (export) or into it (import). */
function FileIcon({ kind }: { kind: "export" | "import" }) {
  return (
    <svg className="file-action-icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden>
      <path d="M2 10v3.5h12V10" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
      <path
        d={kind === "export" ? "M8 10V2M5 5l3-3 3 3" : "M8 2v8M5 7l3 3 3-3"}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/**
 * A toolbar button that runs one file action and shows how it went: Export… and Import… differ
 * only in what `act` does. `act` resolves to `null` when the marketer cancelled the dialog.
 */
function FileActionButton({
  label,
  title,
  testId,
  failed,
  icon,
  act,
}: {
  label: string;
  title: string;
  testId: string;
  /** The outcome dialog's title when `act` throws. */
  failed: string;
  /** Drawn instead of the label where the toolbar is short of room (editor.css), if given. */
  icon?: "export" | "import";
  act: () => Promise<Outcome | null>;
}) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const run = async () => {
    setBusy(true);
    try {
      const done = await act();
      if (done) setOutcome(done);
    } catch (e) {
      setOutcome({ kind: "error", title: failed, text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        className={icon ? "btn file-action" : "btn"}
        onClick={() => void run()}
        disabled={busy}
        data-testid={testId}
        title={title}
        aria-label={icon ? label.replace("…", "") : undefined}
      >
        {icon ? (
          <>
            <FileIcon kind={icon} />
            <span className="file-action-label">{label}</span>
          </>
        ) : (
          label
        )}
      </button>
      {outcome ? <OutcomeDialog outcome={outcome} onClose={() => setOutcome(null)} /> : null}
    </>
  );
}

/** "Export journey…": saves the draft first, so the file has what is on screen. */
export function ExportJourneyButton({ id }: { id: string }) {
  const name = useJourney((s) => s.doc.name);
  const flush = useJourney((s) => s.flush);
  const act = async (): Promise<Outcome | null> => {
    const path = await pickFileToSave("journey", "Export journey", fileName(name));
    if (path === null) return null;
    await flush();
    await api.exportJourney(id, path);
    return { kind: "ok", title: "Journey exported", text: `“${name}” was written to ${path}.` };
  };
  return (
    <FileActionButton
      label="Export…"
      title="Write this journey to a *.journey.json file"
      testId="export-journey"
      failed="Couldn't export the journey"
      icon="export"
      act={act}
    />
  );
}

type ImportProps = {
  /** Called with the new draft once stored (e.g. to reload the list). */
  onImported?: (imported: ImportedJourney) => void;
  /** Offered as "Open it" after a successful import. */
  onOpen?: (id: string) => void;
  /** In a crowded toolbar (the editor's): an icon where room is short. */
  compact?: boolean;
};

/** "Import journey…": a bad file is refused with what and where; nothing is changed then. */
export function ImportJourneyButton({ onImported, onOpen, compact }: ImportProps) {
  const act = async (): Promise<Outcome | null> => {
    const path = await pickFileToOpen("journey", "Import journey");
    if (path === null) return null;
    const imported = await api.importJourney(path);
    onImported?.(imported);
    const { id, name } = imported.summary;
    return {
      kind: "ok",
      title: "Journey imported",
      text: imported.copied ? `A journey from this file already exists, so it was imported as a copy: “${name}”.` : `“${name}” was added to your journeys.`,
      open: onOpen ? () => onOpen(id) : undefined,
    };
  };
  return (
    <FileActionButton
      label="Import…"
      title="Add a journey from a *.journey.json file"
      testId="import-journey"
      failed="Couldn't import the journey"
      icon={compact ? "import" : undefined}
      act={act}
    />
  );
}

/** "Choose…" beside a path field: the native open dialog fills it (contacts, consent files). */
export function ChooseFileButton({ title, onPicked, testId }: { title: string; onPicked: (path: string) => void; testId?: string }) {
  const [problem, setProblem] = useState<string | null>(null);
  const choose = async () => {
    try {
      const path = await pickFileToOpen("contacts", title);
      setProblem(null);
      if (path !== null) onPicked(path);
    } catch (e) {
      setProblem(errorMessage(e));
    }
  };
  return (
    <button type="button" className="btn" onClick={() => void choose()} data-testid={testId} title={problem ?? title}>
      Choose…
    </button>
  );
}
