// The journey's versions and header status, re-read while the editor is open (the runtime moves
// versions on by itself: a scheduled start arrives, a completing version empties).
import { useCallback, useEffect, useState } from "react";
import { api, errorMessage, type VersionsView } from "../../ipc";

/** How often the versions and the header's status are re-read. */
const POLL_MS = 3000;

export function useVersions(id: string, refreshKey: string): { view: VersionsView | null; problem: string | null; set: (v: VersionsView) => void } {
  const [view, setView] = useState<VersionsView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let active = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const poll = async () => {
      try {
        const v = await api.journeyVersions(id);
        if (!active) return;
        setView(v);
        setProblem(null);
      } catch (e) {
        if (active) setProblem(errorMessage(e));
      }
      if (active) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      active = false;
      if (timer) clearTimeout(timer);
    };
  }, [id, refreshKey]);
  const set = useCallback((v: VersionsView) => setView(v), []);
  return { view, problem, set };
}
