// The journeys validator running in the page: the Rust crate `validator-wasm` compiled to
// WebAssembly (`scripts/build-wasm.sh`), so an edit is validated in the task that made it and
// its badge is drawn with it, instead of waiting for the `validate_edit` answer (which, under
// WebKitGTK, waits for the frame being painted when it arrives). The rules are the same Rust
// code the app validates with; the catalog and its freshness come from the app
// (`validation_context`), since the freshness depends on the clock.
import init, { initSync, Validator as Wasm } from "../wasm-validator/validator_wasm";
import type { Journey_Serialize, ValidatedRevision_Serialize, ValidationContext_Serialize } from "../bindings";
import { patchOf } from "./patch";

type Journey = Journey_Serialize;
type Answer<T> = { status: "ok"; data: T } | { status: "error"; error: string };

let loading: Promise<boolean> | null = null;
let loaded = false;

/**
 * Load the module once (the app starts this at launch); `false` when it cannot be loaded,
 * said in the console: editing then validates through the app (`validate_edit`).
 */
export function loadPageValidator(): Promise<boolean> {
  loading ??= (async () => {
    try {
      const started = performance.now();
      await init();
      loaded = true;
      // For the end-to-end test and the benchmarks: how long fetching and compiling it took.
      const took = performance.measure("switchboard:page-validator-load", { start: started });
      console.info(`switchboard: the page's validator loaded in ${Math.round(took.duration)} ms`);
      return true;
    } catch (e) {
      console.warn("switchboard: the page's validator did not load; edits are validated by the app instead:", e);
      return false;
    }
  })();
  return loading;
}

/** Initialise the module from its bytes (tests in Node, where there is no fetch of the file). */
export function loadPageValidatorFrom(bytes: BufferSource): void {
  initSync({ module: bytes });
  loaded = true;
}

/** Whether the module is ready. */
export function pageValidatorLoaded(): boolean {
  return loaded;
}

function read<T>(text: string): T {
  const answer = JSON.parse(text) as Answer<T>;
  if (answer.status === "error") throw new Error(answer.error);
  return answer.data;
}

/** One open journey's validation in the page: whole once, then patches, answered by deltas. */
export class PageSession {
  private readonly wasm = new Wasm();
  private held: { doc: Journey; revision: number } | null = null;
  private hasCatalog = false;

  /** Validate against this catalog from now on; the next answer is a whole one. */
  setContext(context: ValidationContext_Serialize): void {
    read<null>(this.wasm.setCatalog(context.catalog, JSON.stringify(context.freshness)));
    this.hasCatalog = true;
    this.held = null;
  }

  /** Whether it has a catalog to validate against. */
  ready(): boolean {
    return this.hasCatalog;
  }

  /** The next answer is a whole one (every problem). */
  reset(): void {
    this.held = null;
  }

  /** Validate `doc`: a patch of the last document validated when possible, else whole. */
  validate(doc: Journey): ValidatedRevision_Serialize {
    const last = this.held;
    this.held = null;
    const patch = last ? patchOf(last.doc, doc) : null;
    if (last && patch) {
      const answer = read<ValidatedRevision_Serialize | null>(this.wasm.patch(JSON.stringify({ base: last.revision, ...patch })));
      if (answer) {
        this.held = { doc, revision: answer.revision };
        return answer;
      }
    }
    const answer = read<ValidatedRevision_Serialize | null>(this.wasm.whole(JSON.stringify(doc)));
    if (!answer) throw new Error("the page's validator refused the whole journey");
    this.held = { doc, revision: answer.revision };
    return answer;
  }

  /** Free the module's memory (the journey closed). */
  free(): void {
    this.wasm.free();
  }
}
