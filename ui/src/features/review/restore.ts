// Restore a version into the draft: the backend reads the version (and remembers it as the
// draft's base); the store applies it as ONE undoable step, so Ctrl+Z brings the draft back.
import { api } from "../../ipc";
import type { JourneyStore } from "../../store/journey-store";

/** Replace the draft's content with version `number`'s; one undo step labelled "Restore vN". */
export async function restoreVersion(store: JourneyStore, journeyId: string, number: number): Promise<void> {
  const restored = await api.restoreVersion(journeyId, number);
  store.getState().apply(`Restore v${number}`, () => restored);
}
