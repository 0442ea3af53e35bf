// The journey's versions and header status, re-read while the editor is open (the runtime moves
// versions on by itself: a scheduled start arrives, a completing version empties).
import { api, type VersionsView } from "../../ipc";
import { usePoll } from "../usePoll";

export function useVersions(id: string, refreshKey: string): { view: VersionsView | null; problem: string | null; set: (v: VersionsView) => void } {
  const { value, problem, setValue } = usePoll(() => api.journeyVersions(id), [id, refreshKey]);
  return { view: value, problem, set: setValue };
}
