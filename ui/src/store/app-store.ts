// App-wide state: the cached catalog and the time-zone list, both from Rust.
import { create } from "zustand";
import type { Catalog, CatalogState } from "../ipc";
import { api, errorMessage } from "../ipc";

const EMPTY: Catalog = {
  engagements: [],
  complianceProfiles: [],
  quietTimeSettings: [],
  resultMapping: [],
};

type AppState = {
  catalog: Catalog;
  catalogState: CatalogState | null;
  catalogError: string | null;
  busy: boolean;
  timeZones: string[];
  load: () => Promise<void>;
  refresh: () => Promise<void>;
  setSource: (path: string) => Promise<boolean>;
};

export const useApp = create<AppState>()((set) => {
  const apply = (s: CatalogState) => set({ catalog: s.catalog, catalogState: s, catalogError: s.problem, busy: false });
  return {
    catalog: EMPTY,
    catalogState: null,
    catalogError: null,
    busy: false,
    timeZones: [],
    load: async () => {
      try {
        const [state, zones] = await Promise.all([api.getCatalog(), api.listTimeZones()]);
        apply(state);
        set({ timeZones: zones });
      } catch (e) {
        set({ catalogError: errorMessage(e) });
      }
    },
    refresh: async () => {
      set({ busy: true });
      try {
        apply(await api.refreshCatalog());
      } catch (e) {
        set({ catalogError: errorMessage(e), busy: false });
      }
    },
    setSource: async (path) => {
      set({ busy: true });
      try {
        apply(await api.setCatalogSource(path));
        return true;
      } catch (e) {
        set({ catalogError: errorMessage(e), busy: false });
        return false;
      }
    },
  };
});
