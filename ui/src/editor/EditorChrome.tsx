// The editor's commands made reachable: the keydown handler over the action registry, our own
// context menu, Find, the shortcut sheet and the notice with its Undo button. Sits inside the
// journey's store and React Flow providers.
import { useReactFlow, type Edge } from "@xyflow/react";
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import type { TileNode } from "../mapping/flow";
import type { Point } from "../store/edits";
import { useJourney, useJourneyStoreApi } from "../store/journey-store";
import { editorActions, isTyping, matchesKey, type Action, type ActionId, type EditorUi } from "./actions";
import type { EditorContext } from "./commands";
import { ContextMenu, type MenuTarget } from "./ContextMenu";
import { Find } from "./Find";
import { ShortcutSheet } from "./ShortcutSheet";
import "./editor.css";

export type EditorCommands = {
  ctx: EditorContext;
  actions: readonly Action[];
  action: (id: ActionId) => Action;
  run: (id: ActionId, at?: Point | null) => void;
  /** Whether the action may run now (only the shortcut sheet while a version is shown). */
  allowed: (id: ActionId) => boolean;
  openMenu: (target: MenuTarget) => void;
};

const CommandsContext = createContext<EditorCommands | null>(null);

export function useEditorCommands(): EditorCommands {
  const c = useContext(CommandsContext);
  if (!c) throw new Error("useEditorCommands outside EditorChrome");
  return c;
}

function Notice() {
  const notice = useJourney((s) => s.notice);
  const dismiss = useJourney((s) => s.dismissNotice);
  const undo = useJourney((s) => s.undo);
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(dismiss, notice.undo ? 8000 : 4000);
    return () => clearTimeout(t);
  }, [notice, dismiss]);
  if (!notice) return null;
  return (
    <div className="toast" role="status" data-testid="notice">
      <span>{notice.text}</span>
      {notice.undo ? (
        <button
          type="button"
          className="link-btn"
          data-testid="notice-undo"
          onClick={() => {
            undo();
            dismiss();
          }}
        >
          Undo
        </button>
      ) : null}
      <button type="button" className="toast-close" aria-label="Dismiss" onClick={dismiss}>
        ×
      </button>
    </div>
  );
}

/**
 * `readOnly`: a published version is shown instead of the draft, so no key, menu or toolbar
 * button may change the hidden draft — only the shortcut sheet still opens.
 */
export function EditorChrome({ children, readOnly = false }: { children: ReactNode; readOnly?: boolean }) {
  const store = useJourneyStoreApi();
  const flow = useReactFlow<TileNode, Edge>();
  const [find, setFind] = useState<"find" | "add" | null>(null);
  const [sheet, setSheet] = useState(false);
  const [menu, setMenu] = useState<MenuTarget | null>(null);

  const commands = useMemo<EditorCommands>(() => {
    const ui: EditorUi = { openFind: setFind, openShortcuts: () => setSheet(true) };
    const actions = editorActions(ui);
    const ctx: EditorContext = { store, flow };
    const allowed = (id: ActionId) => !readOnly || id === "shortcuts";
    const action = (id: ActionId) => {
      const a = actions.find((x) => x.id === id);
      if (!a) throw new Error(`no action ${id}`);
      return a;
    };
    return {
      ctx,
      actions,
      action,
      run: (id, at = null) => {
        const a = action(id);
        if (allowed(id) && a.enabled(ctx)) a.run(ctx, { at });
      },
      allowed,
      openMenu: setMenu,
    };
  }, [store, flow, readOnly]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      // A dialog of its own (test run, contacts, Find) keeps its keys.
      if (e.target instanceof Element && e.target.closest("[role=dialog]")) return;
      const typing = isTyping(e.target);
      for (const a of commands.actions) {
        if (!a.keys.some((k) => matchesKey(k, e))) continue;
        if (typing && !a.inFields) return;
        // Holding Ctrl+Z down undoes once, not at key-repeat speed.
        if (e.repeat && (a.id === "undo" || a.id === "redo")) {
          e.preventDefault();
          return;
        }
        e.preventDefault();
        if (commands.allowed(a.id) && a.enabled(commands.ctx)) a.run(commands.ctx, { at: null });
        return;
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [commands]);

  return (
    <CommandsContext.Provider value={commands}>
      {children}
      <Notice />
      {menu ? <ContextMenu target={menu} onClose={() => setMenu(null)} /> : null}
      {find ? <Find mode={find} onClose={() => setFind(null)} /> : null}
      {sheet ? <ShortcutSheet onClose={() => setSheet(false)} /> : null}
    </CommandsContext.Provider>
  );
}
