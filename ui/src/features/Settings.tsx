import { useState } from "react";
import { useApp } from "../store/app-store";
import type { Appearance } from "../ipc";
import { useAppearance } from "./appearance";
import { RuntimeSettings } from "./RuntimeSettings";
import { relativeTime } from "./time";

export function Settings() {
  const state = useApp((s) => s.catalogState);
  const error = useApp((s) => s.catalogError);
  const busy = useApp((s) => s.busy);
  const refresh = useApp((s) => s.refresh);
  const setSource = useApp((s) => s.setSource);
  const [path, setPath] = useState(state?.source ?? "");
  // A new source from the store (after a refresh) replaces what is typed: adjusted while rendering, not in an effect.
  const [shownSource, setShownSource] = useState(state?.source);
  if (shownSource !== state?.source) {
    setShownSource(state?.source);
    setPath(state?.source ?? "");
  }
  const c = state?.catalog;
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p className="muted">Where the designer reads engagements, compliance profiles and quiet-time settings.</p>
        </div>
      </div>
      <section className="card">
        <h2 className="card-title">Catalog</h2>
        <p className="muted">
          The catalog is cached on this computer, so you can keep editing offline. It is read from the runtime (source “runtime”), or from a catalog file when
          you work without one.
        </p>
        <label className="field-label" htmlFor="catalog-source">
          Catalog source: “runtime” or a file
        </label>
        <div className="row">
          <input id="catalog-source" className="input grow" value={path} onChange={(e) => setPath(e.target.value)} />
          <button type="button" className="btn" disabled={busy || path === state?.source} onClick={() => void setSource(path)}>
            Use this source
          </button>
          <button type="button" className="btn" disabled={busy || state?.source === "runtime"} onClick={() => void setSource("runtime")}>
            Use the runtime’s
          </button>
        </div>
        {error ? <div className="banner banner-error">{error}</div> : null}
        <div className="stats">
          <div>
            <div className="stat">{c?.engagements.length ?? 0}</div>
            <div className="muted small">engagements</div>
          </div>
          <div>
            <div className="stat">{c?.complianceProfiles.length ?? 0}</div>
            <div className="muted small">compliance profiles</div>
          </div>
          <div>
            <div className="stat">{c?.quietTimeSettings.length ?? 0}</div>
            <div className="muted small">quiet-time settings</div>
          </div>
        </div>
        <div className="row row-center">
          <span className="muted" data-testid="last-refreshed">
            Last refreshed: {state?.refreshedAt ? `${relativeTime(state.refreshedAt)} (${new Date(state.refreshedAt).toLocaleString()})` : "never"}
          </span>
          <div className="spacer" />
          <button type="button" className="btn" disabled={busy} onClick={() => void refresh()}>
            {busy ? "Refreshing…" : "Refresh now"}
          </button>
        </div>
      </section>
      <RuntimeSettings />
      <AppearanceSettings />
    </div>
  );
}

const APPEARANCES: { value: Appearance; label: string }[] = [
  { value: "system", label: "As the system" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
];

function AppearanceSettings() {
  const choice = useAppearance((s) => s.choice);
  const error = useAppearance((s) => s.error);
  const choose = useAppearance((s) => s.choose);
  return (
    <section className="card settings-card">
      <h2 className="card-title">Appearance</h2>
      <p className="muted">Light or dark. “As the system” follows the computer’s setting as it changes.</p>
      <div className="segmented" role="radiogroup" aria-label="Appearance" data-testid="appearance">
        {APPEARANCES.map((a) => (
          <button
            key={a.value}
            type="button"
            role="radio"
            aria-checked={a.value === choice}
            className={a.value === choice ? "on" : ""}
            data-testid={`appearance-${a.value}`}
            onClick={() => void choose(a.value)}
          >
            {a.label}
          </button>
        ))}
      </div>
      {error ? <div className="banner banner-error">{error}</div> : null}
    </section>
  );
}
