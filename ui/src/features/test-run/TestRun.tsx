// Test run from the editor: the toolbar button and the kept run of the draft. The set-up dialog
// (Dialog.tsx, one file per part of its form) and the results panel (Panel.tsx) live beside it.
import { useEffect, useState } from "react";
import { api, type Journey, type TestRun } from "../../ipc";
import { useJourney } from "../../store/journey-store";
import "./test-run.css";

export { TestRunDialog } from "./Dialog";
export { TestRunPanel } from "./Panel";

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
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only on open: later runs arrive through `show`.
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
  const errors = useJourney((s) => s.problems.errors);
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
