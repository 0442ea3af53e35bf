// Validation while editing. In the page first: the Rust validator compiled to WebAssembly
// (`page-validator.ts`) validates each edit synchronously, so the badges change in the task
// that made the edit. Through the app when the module did not load (or before the catalog
// came): the backend keeps the journey (`validate_edit`), and each edit after the first goes
// as a patch of what changed (`patch.ts`). Either way the answer is a delta: the tiles whose
// problems changed since the revision the patch was made from. Each open journey store has its
// own session, so the deltas it gets are always from the problems it holds; when the page
// switches between the two validators, the next answer is a whole one.
// Autosave goes through the app's session: when the backend holds the document on screen (it
// validated it), it saves its own copy; else the edits since go to it as a patch first.
import { commands } from "../bindings";
import { IpcError } from "./index";
import { PageSession, loadPageValidator, pageValidatorLoaded } from "./page-validator";
import { patchOf } from "./patch";
import type { DraftSummary, Journey_Serialize, ValidatedRevision_Serialize } from "../bindings";

export { patchOf } from "./patch";

type Journey = Journey_Serialize;
/** The validator's answer: every tile's problems (`complete`), or the tiles whose problems changed. */
export type ProblemsUpdate = Pick<ValidatedRevision_Serialize, "complete" | "tiles">;

/** One journey's validation while it is edited; apply every answer, in order. */
export type Validator = {
  /**
   * Validate `doc` now, in the page; `null` when the page's validator is not ready (then
   * `validate`). Throws what the validator said when it could not read `doc`.
   */
  validateNow?: (doc: Journey) => ProblemsUpdate | null;
  /** Validate `doc` through the app; `null`: superseded by a later answer, apply nothing. */
  validate: (doc: Journey) => Promise<ProblemsUpdate | null>;
  /** Forget the revision held: the next call sends the journey whole and gets every problem. */
  reset: () => void;
  /** Save `doc` as the draft: the backend's copy when it holds `doc`, else `doc` whole. */
  save: (doc: Journey) => Promise<DraftSummary>;
  /**
   * Resolves when the page's validator is ready (never, without it): validate then, so its first
   * answer (the journey whole: long at 10,000 tiles) is not in an edit's task.
   */
  ready?: Promise<void>;
  /** Read the catalog again (it changed); the page's next answer is then a whole one. */
  refresh?: () => Promise<void>;
  /** The journey closed: free what the page's validator holds. */
  dispose?: () => void;
};

/** A validation session for one open journey. */
export function createValidator(): Validator {
  /** What the backend holds for this session: the document it has seen and its revision. */
  let held: { doc: Journey; revision: number } | null = null;
  /** Whether the problems shown are pieced from the backend's answers (its deltas apply). */
  let backendDeltas = false;
  /** Answers given in the page so far: a backend answer asked before one of them is stale. */
  let pageAnswers = 0;
  /** One request at a time, in order, so each patch applies to the revision it was made from. */
  let queue: Promise<unknown> = Promise.resolve();
  /** Requests queued and not yet answered. */
  let pending = 0;
  /** The page's validator, once the module and the catalog are there. */
  let page: PageSession | null = null;
  let askAgain: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;

  /** Give the page's session the app's catalog (again when its freshness runs out). */
  async function context(session: PageSession) {
    const r = await commands.validationContext();
    if (disposed) return;
    if (r.status === "error") {
      console.warn("switchboard: no catalog for the page's validator; edits are validated by the app:", r.error);
      return;
    }
    session.setContext(r.data);
    page = session;
    if (askAgain) clearTimeout(askAgain);
    const at = r.data.askAgainAt ? Date.parse(r.data.askAgainAt) - Date.now() : NaN;
    // Longer than a timer can wait (about 24 days) never happens: a fresh catalog is an hour.
    if (Number.isFinite(at))
      askAgain = setTimeout(
        () => void context(session).catch((e) => console.warn("switchboard: the page's validator kept its catalog:", e)),
        Math.max(at, 0) + 1000,
      );
  }

  let whenReady = () => {};
  const ready = new Promise<void>((resolve) => (whenReady = resolve));
  async function start() {
    if (!(await loadPageValidator()) || disposed) return;
    try {
      await context(new PageSession());
      if (page) whenReady();
    } catch (e) {
      console.warn("switchboard: the page's validator could not start; edits are validated by the app:", e);
    }
  }
  void start();

  /**
   * Run `job` after every request before it; at once when none is waiting, so an edit's patch
   * goes out before the page draws the edit (Rust validates while React renders).
   */
  function enqueue<T>(job: () => Promise<T>, onError: () => void): Promise<T> {
    pending += 1;
    const run = (pending === 1 ? job() : queue.then(job)).finally(() => {
      pending -= 1;
    });
    queue = run.catch(onError);
    return run;
  }

  /** Bring the backend's copy to `doc`: a patch of what it holds when it can, else whole. */
  async function send(doc: Journey, whole: boolean): Promise<ValidatedRevision_Serialize> {
    const last = held;
    const patch = last && !whole ? patchOf(last.doc, doc) : null;
    if (last && patch) {
      const r = await commands.validateEdit({ kind: "patch", base: last.revision, ...patch });
      if (r.status === "error") throw new IpcError(r.error);
      if (r.data) {
        held = { doc, revision: r.data.revision };
        return r.data;
      }
    }
    held = null;
    const r = await commands.validateEdit({ kind: "whole", document: doc });
    if (r.status === "error") throw new IpcError(r.error);
    if (!r.data) throw new Error("the validator refused the whole journey");
    held = { doc, revision: r.data.revision };
    return r.data;
  }

  return {
    ready,
    validateNow: (doc) => {
      if (!page || !pageValidatorLoaded()) return null;
      pageAnswers += 1;
      backendDeltas = false;
      try {
        return page.validate(doc);
      } catch (e) {
        page.reset();
        throw e;
      }
    },
    // A failed call leaves what the backend holds unknown: the next goes whole.
    validate: (doc) =>
      enqueue(
        async () => {
          const asked = pageAnswers;
          const answer = await send(doc, !backendDeltas);
          // The page answered since: its problems are newer than this answer.
          if (asked !== pageAnswers) return null;
          backendDeltas = true;
          return answer;
        },
        () => {
          held = null;
          backendDeltas = false;
        },
      ),
    reset: () => {
      page?.reset();
      void enqueue(
        async () => {
          held = null;
          backendDeltas = false;
        },
        () => undefined,
      );
    },
    refresh: async () => {
      if (!page) return;
      try {
        await context(page);
      } catch (e) {
        console.warn("switchboard: the page's validator kept its catalog:", e);
      }
    },
    save: (doc) =>
      enqueue(
        async () => {
          // The page validated the edits: the backend gets them now, as one patch, to save.
          if (held?.doc !== doc && page) {
            await send(doc, false);
            backendDeltas = false;
          }
          if (held?.doc === doc) {
            const r = await commands.saveOpenDraft(doc.id, held.revision);
            if (r.status === "error") throw new IpcError(r.error);
            if (r.data) return r.data;
          }
          const r = await commands.saveDraft(doc);
          if (r.status === "error") throw new IpcError(r.error);
          return r.data;
        },
        () => undefined,
      ),
    dispose: () => {
      disposed = true;
      if (askAgain) clearTimeout(askAgain);
      page?.free();
      page = null;
    },
  };
}
