// Native open / save dialogs (the official Tauri dialog plugin). The dialog only picks a path;
// the file itself is read, checked and written by the backend's commands.
import { open, save } from "@tauri-apps/plugin-dialog";

/** What the picker is for: decides the file-type filter. */
export type PickKind = "journey" | "contacts" | "csv";

const FILTERS: Record<PickKind, { name: string; extensions: string[] }[]> = {
  journey: [{ name: "Switchboard journey (*.journey.json)", extensions: ["json"] }],
  contacts: [{ name: "Contacts or consent (CSV, JSON)", extensions: ["csv", "json"] }],
  csv: [{ name: "Contacts (CSV)", extensions: ["csv"] }],
};

/**
 * Paths an end-to-end test queues instead of the native dialog, which WebDriver cannot click
 * through: each pick takes the next one (`null` = the marketer cancelled). With nothing queued,
 * the real dialog opens.
 */
type QueuedPicks = { open?: (string | null)[]; save?: (string | null)[] };

declare global {
  interface Window {
    __switchboardPicks?: QueuedPicks;
  }
}

function queued(which: keyof QueuedPicks): string | null | undefined {
  const list = window.__switchboardPicks?.[which];
  return list && list.length > 0 ? list.shift() : undefined;
}

/** Ask for a file to read; `null` when cancelled. */
export async function pickFileToOpen(kind: PickKind, title: string): Promise<string | null> {
  const test = queued("open");
  if (test !== undefined) return test;
  const picked = await open({ title, multiple: false, directory: false, filters: FILTERS[kind] });
  return typeof picked === "string" ? picked : null;
}

/** Ask where to write a file, suggesting `defaultPath`; `null` when cancelled. */
export async function pickFileToSave(kind: PickKind, title: string, defaultPath: string): Promise<string | null> {
  const test = queued("save");
  if (test !== undefined) return test;
  return save({ title, defaultPath, filters: FILTERS[kind] });
}
