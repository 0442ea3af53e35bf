import { useEffect, useState } from "react";
import { Editor } from "./features/Editor";
import { JourneyList } from "./features/JourneyList";
import { Settings } from "./features/Settings";
import { useAppliedAppearance } from "./features/appearance";
import { useApp } from "./store/app-store";

type View = { kind: "list" } | { kind: "editor"; id: string } | { kind: "settings" };

function Logo() {
  return (
    <span className="logo">
      <svg width="22" height="22" viewBox="0 0 24 24" aria-hidden>
        <rect x="2" y="2" width="20" height="20" rx="6" fill="var(--primary)" />
        <path d="M7 8h6M7 12h10M7 16h4" stroke="#fff" strokeWidth="2" strokeLinecap="round" />
      </svg>
      Switchboard
    </span>
  );
}

export function App() {
  const [view, setView] = useState<View>({ kind: "list" });
  const load = useApp((s) => s.load);
  useEffect(() => void load(), [load]);
  useAppliedAppearance();

  if (view.kind === "editor")
    return <Editor key={view.id} id={view.id} onClose={() => setView({ kind: "list" })} onOpen={(id) => setView({ kind: "editor", id })} />;
  return (
    <div className="shell">
      <header className="appbar">
        <Logo />
        <nav>
          <button type="button" className={view.kind === "list" ? "nav on" : "nav"} onClick={() => setView({ kind: "list" })}>
            Journeys
          </button>
          <button
            type="button"
            className={view.kind === "settings" ? "nav on" : "nav"}
            onClick={() => setView({ kind: "settings" })}
            data-testid="nav-settings"
          >
            Settings
          </button>
        </nav>
      </header>
      <main className="main">{view.kind === "list" ? <JourneyList onOpen={(id) => setView({ kind: "editor", id })} /> : <Settings />}</main>
    </div>
  );
}
