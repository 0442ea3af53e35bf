// A published version on the canvas, read-only, with its own counts. Its store refuses saves
// (so no key or menu can write a version over the draft) and the canvas takes no edits.
import { useEffect, useMemo, useState } from "react";
import { api, errorMessage, type VersionOnCanvas } from "../../ipc";
import { Canvas } from "../../canvas/Canvas";
import { OverlayContext } from "../../canvas/overlay";
import { overlayFromCounts } from "../../mapping/overlay";
import { createJourneyStore, JourneyContext } from "../../store/journey-store";

const readOnlyApi = {
  validator: () => ({ ...api.validator(), save: () => Promise.reject(new Error("a published version is read-only")) }),
};

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
  const store = useMemo(() => (version ? createJourneyStore(version.journey, null, { api: readOnlyApi }) : null), [version]);
  const overlay = useMemo(
    () => (version ? overlayFromCounts(version.journey, version.counts.tiles, `v${version.number} · ${version.counts.state}`) : null),
    [version],
  );
  return (
    <div className="center version-viewer" data-testid="version-viewer">
      <div className="banner readonly-bar" data-testid="version-viewer-bar">
        Viewing v{number} (read-only) ·{" "}
        <button type="button" className="link-button" onClick={onBack} data-testid="version-viewer-back">
          Back to draft
        </button>
      </div>
      {failure ? <div className="banner banner-error">{failure}</div> : null}
      {store ? (
        <JourneyContext.Provider value={store}>
          <OverlayContext.Provider value={overlay}>
            <Canvas readOnly />
          </OverlayContext.Provider>
        </JourneyContext.Provider>
      ) : null}
    </div>
  );
}
