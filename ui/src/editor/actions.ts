// One registry of the editor's actions: id, label, keys per platform, whether it applies now,
// and what it does. Keydown, the context menus, the toolbar tooltips and the shortcut sheet all
// read it, so a key shown is a key that works.
import type { Point } from "../store/edits";
import { addKind, canDelete, copySelection, cutSelection, deleteSelection, duplicateSelection, paste, selectAll, tidyUp, type EditorContext } from "./commands";

export type ActionId = "undo" | "redo" | "cut" | "copy" | "paste" | "duplicate" | "delete" | "selectAll" | "tidyUp" | "find" | "addTile" | "shortcuts";

/** Where an action was asked for: a point on the canvas (a context menu) or nowhere (a key). */
export type Invocation = { at: Point | null };

export type EditorUi = { openFind: (mode: "find" | "add") => void; openShortcuts: () => void };

export type Action = {
  id: ActionId;
  label: string;
  /** Keys as "Mod+Shift+Z"; Mod is ⌘ on macOS and Ctrl elsewhere. The first is the one shown. */
  keys: readonly string[];
  /** Also when typing in a field (only for keys a field has no use for). */
  inFields?: boolean;
  enabled: (ctx: EditorContext) => boolean;
  run: (ctx: EditorContext, how: Invocation) => void;
};

export const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

const hasSelection = (ctx: EditorContext) =>
  ctx.store.getState().selected.some((id) => ctx.store.getState().doc.tiles.find((t) => t.id === id)?.type !== "start");

export function editorActions(ui: EditorUi): Action[] {
  return [
    {
      id: "undo",
      label: "Undo",
      keys: ["Mod+Z"],
      enabled: (c) => c.store.getState().history.past.length > 0,
      run: (c) => void c.store.getState().undo(),
    },
    {
      id: "redo",
      label: "Redo",
      keys: ["Mod+Shift+Z", "Mod+Y"],
      enabled: (c) => c.store.getState().history.future.length > 0,
      run: (c) => void c.store.getState().redo(),
    },
    { id: "cut", label: "Cut", keys: ["Mod+X"], enabled: hasSelection, run: (c) => void cutSelection(c) },
    { id: "copy", label: "Copy", keys: ["Mod+C"], enabled: hasSelection, run: (c) => void copySelection(c) },
    { id: "paste", label: "Paste", keys: ["Mod+V"], enabled: () => true, run: (c, how) => void paste(c, how.at) },
    { id: "duplicate", label: "Duplicate", keys: ["Mod+D"], enabled: hasSelection, run: (c) => duplicateSelection(c) },
    { id: "delete", label: "Delete", keys: ["Delete", "Backspace"], enabled: canDelete, run: (c) => deleteSelection(c) },
    { id: "selectAll", label: "Select all", keys: ["Mod+A"], enabled: () => true, run: (c) => selectAll(c) },
    {
      id: "tidyUp",
      label: "Tidy up",
      keys: ["Shift+Alt+T"],
      enabled: (c) => c.store.getState().doc.tiles.length > 1,
      run: (c) => void tidyUp(c),
    },
    {
      id: "find",
      label: "Find a tile",
      keys: ["Mod+F", "Mod+K"],
      inFields: true,
      enabled: () => true,
      run: () => ui.openFind("find"),
    },
    {
      id: "addTile",
      label: "Add a tile",
      keys: ["A"],
      enabled: () => true,
      run: (c, how) => (how.at ? addKind(c, "voiceConversation", how.at) : ui.openFind("add")),
    },
    { id: "shortcuts", label: "Keyboard shortcuts", keys: ["?"], enabled: () => true, run: () => ui.openShortcuts() },
  ];
}

/** A key as shown: "Ctrl+Shift+Z", or "⌘⇧Z" on macOS. */
export function keyLabel(spec: string): string {
  const parts = spec.split("+");
  if (isMac) return parts.map((p) => ({ Mod: "⌘", Shift: "⇧", Alt: "⌥", Delete: "⌦", Backspace: "⌫" })[p] ?? p).join("");
  return parts.map((p) => (p === "Mod" ? "Ctrl" : p)).join("+");
}

/** Whether a keydown is this key spec (letters by `key`, so non-QWERTY layouts work). */
export function matchesKey(spec: string, e: KeyboardEvent): boolean {
  const parts = spec.split("+");
  const key = parts[parts.length - 1] ?? "";
  const mod = parts.includes("Mod");
  const shift = parts.includes("Shift");
  const alt = parts.includes("Alt");
  const modDown = isMac ? e.metaKey : e.ctrlKey;
  const otherDown = isMac ? e.ctrlKey : e.metaKey;
  if (mod !== modDown || otherDown || alt !== e.altKey) return false;
  // "?" is Shift+/ on most layouts: a printable symbol ignores Shift.
  const symbol = key.length === 1 && !/[a-z0-9]/i.test(key);
  if (!symbol && shift !== e.shiftKey) return false;
  if (key.length === 1 && /[a-z]/i.test(key)) {
    // Alt changes e.key on macOS; fall back to the physical key there.
    return e.key.toLowerCase() === key.toLowerCase() || (alt && e.code === `Key${key.toUpperCase()}`);
  }
  // Some drivers and layouts report Shift+/ by its unshifted key.
  if (key === "?" && e.key === "/" && e.shiftKey) return true;
  return e.key === key;
}

/** Whether a keydown comes from a place that types text (where our keys must not act). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.closest(".nokey")) return true;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLInputElement) return !["checkbox", "radio", "button", "submit"].includes(target.type);
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}
