// Light or dark: the Settings choice (kept in SQLite with the other settings), or the system's.
import { useEffect } from "react";
import { create } from "zustand";
import { api, errorMessage, type Appearance } from "../ipc";

type AppearanceState = {
  choice: Appearance;
  error: string | null;
  load: () => Promise<void>;
  choose: (choice: Appearance) => Promise<void>;
};

export const useAppearance = create<AppearanceState>()((set) => ({
  choice: "system",
  error: null,
  load: async () => {
    try {
      set({ choice: await api.appearance(), error: null });
    } catch (e) {
      set({ error: errorMessage(e) });
    }
  },
  choose: async (choice) => {
    const before = useAppearance.getState().choice;
    set({ choice, error: null });
    try {
      await api.setAppearance(choice);
    } catch (e) {
      set({ choice: before, error: `The appearance could not be saved: ${errorMessage(e)}` });
    }
  },
}));

/** The theme to draw: the choice, or for "system" what the system prefers. */
export function themeFor(choice: Appearance, systemDark: boolean): "light" | "dark" {
  return choice === "system" ? (systemDark ? "dark" : "light") : choice;
}

/** Loads the choice once and keeps `<html data-theme>` in step with it and with the system. */
export function useAppliedAppearance(): void {
  const choice = useAppearance((s) => s.choice);
  const load = useAppearance((s) => s.load);
  useEffect(() => void load(), [load]);
  useEffect(() => {
    const query = window.matchMedia("(prefers-color-scheme: dark)");
    const apply = () => {
      document.documentElement.dataset.theme = themeFor(choice, query.matches);
    };
    apply();
    query.addEventListener("change", apply);
    return () => query.removeEventListener("change", apply);
  }, [choice]);
}
