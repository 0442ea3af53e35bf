// A journey that is not the draft on the canvas, read-only: a published version with its own
// counts (and the insight of the tile selected there), or the newer side of a comparison. Its
// store refuses saves (so no key or menu can write it over the draft) and the canvas takes no
// edits.
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { api, errorMessage, type Journey, type VersionOnCanvas } from "../../ipc";
import { Canvas } from "../../canvas/Canvas";
import { OverlayContext } from "../../canvas/overlay";
import { overlayFromCounts, type CanvasOverlay } from "../../mapping/overlay";
import { createJourneyStore, JourneyContext, useJourney } from "../../store/journey-store";
import { TileInsightPanel } from "../insight/TileInsight";

const readOnlyApi = {
  validator: () => ({ ...api.validator(), save: () => Promise.reject(new Error("a published version is read-only")) }),
};

/**
 * `journey` drawn read-only under a bar that says what it is and leads back to the draft;
 * `aside` is drawn beside the canvas, inside the journey's store (it may read its selection).
 */
export function ReadOnlyJourney({
  journey,
  overlay,
  bar,
  problem,
  testId,
  aside,
}: {
  journey: Journey | null;
  overlay: CanvasOverlay | null;
  bar: ReactNode;
  problem?: string | null;
  testId: string;
  aside?: ReactNode;
}) {
  const store = useMemo(() => (journey ? createJourneyStore(journey, null, { api: readOnlyApi }) : null), [journey]);
  return (
    <div className="center version-viewer" data-testid={testId}>
      <div className="banner readonly-bar" data-testid={`${testId}-bar`}>
        {bar}
      </div>
      {problem ? <div className="banner banner-error">{problem}</div> : null}
      {store ? (
        <JourneyContext.Provider value={store}>
          <OverlayContext.Provider value={overlay}>
            <div className="version-viewer-body">
              <div className="center">
                <Canvas readOnly />
              </div>
              {aside}
            </div>
          </OverlayContext.Provider>
        </JourneyContext.Provider>
      ) : null}
    </div>
  );
}

/** The insight of the tile selected on the version's canvas. */
function ViewerInsight({ id, number }: { id: string; number: number }) {
  const tileId = useJourney((s) => s.selection);
  if (!tileId) return null;
  return (
    <aside className="insight-aside" data-testid="version-insight">
      <TileInsightPanel journeyId={id} number={number} tileId={tileId} named />
    </aside>
  );
}

export function VersionViewer({ id, number, onBack }: { id: string; number: number; onBack: () => void }) {
  const [version, setVersion] = useState<VersionOnCanvas | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let active = true;
    api.openVersion(id, number).then(
      (v) => active && setVersion(v),
      (e) => active && setFailure(errorMessage(e)),
    );
    return () => {
      active = false;
    };
  }, [id, number]);
  const overlay = useMemo(
    () => (version ? overlayFromCounts(version.journey, version.counts.tiles, `v${version.number} · ${version.counts.state}`) : null),
    [version],
  );
  return (
    <ReadOnlyJourney
      journey={version?.journey ?? null}
      overlay={overlay}
      problem={failure}
      testId="version-viewer"
      aside={<ViewerInsight id={id} number={number} />}
      bar={
        <>
          Viewing v{number} (read-only) ·{" "}
          <button type="button" className="link-button" onClick={onBack} data-testid="version-viewer-back">
            Back to draft
          </button>
        </>
      }
    />
  );
}
