// The only module that talks to the backend. Everything else imports from here.
import { commands, events } from "../bindings";
import { createValidator } from "./validation";
export type { ProblemsUpdate, Validator } from "./validation";
/** Field bounds from Rust (`journeys::limits`): the validator's own constants. */
export { LIMITS } from "../bindings";
/** The canvas's rules from Rust (`journeys::designer_rules`): outputs, connections, words. */
export { RULES } from "../bindings";
import type {
  ContactsChoice,
  CompareSide,
  AppError,
  Appearance,
  RuntimeTarget,
  LiveAction,
  AttributeBranch_Serialize,
  CatalogState_Serialize,
  Catalog_Serialize,
  Condition_Serialize,
  Diagnostic_Serialize,
  Journey_Serialize,
  OpenedJourney_Serialize,
  QuietTimeSummary_Serialize,
  Tile_Serialize,
  WaitBranch_Serialize,
  SimulationResult_Serialize,
  SimulationSpec_Deserialize,
  OutcomeModel_Serialize,
  TestRun_Serialize,
  TestRunProgress,
  Fragment_Serialize,
  TileProblems_Serialize,
} from "../bindings";

export type {
  AppError,
  Appearance,
  DraftSummary,
  VariableChoice,
  Connection,
  Interaction,
  Operator,
  PhoneField,
  DurationUnit,
  Audience,
  Variable,
  Value,
  ValueType,
  MatchMode,
  Severity,
  DialMode,
  TileCounts,
  LiveCounts,
  LiveVersion,
  RuntimeTarget,
  ImportSummary_Serialize as ImportSummary,
  ImportedJourney_Serialize as ImportedJourney,
  PublishOutcome,
  LiveAction,
  TestRunProgress,
  EngagementMix,
  ConsentStatus,
  TileForecast,
  ContactTrace_Serialize as ContactTrace,
  AudienceFromFile_Serialize as AudienceFromFile,
  VariableType,
  CompareSide,
  CallForecast,
  TileImpact_Serialize as TileImpact,
  PublishReview_Serialize as PublishReview,
  Comparison_Serialize as Comparison,
  JourneyDiff_Serialize as JourneyDiff,
  VersionsView_Serialize as VersionsView,
  VersionRow_Serialize as VersionRow,
  JourneyStatus_Serialize as JourneyStatus,
  VersionOnCanvas_Serialize as VersionOnCanvas,
  TileInsight_Serialize as TileInsight,
  BranchInsight,
  InsightLine,
  ContactsChoice,
  ContactsExport,
} from "../bindings";

export type Journey = Journey_Serialize;
export type Tile = Tile_Serialize;
export type TileType = Tile["type"];
export type TileOf<T extends TileType> = Extract<Tile, { type: T }>;
export type Diagnostic = Diagnostic_Serialize;
/** One tile's problems in the validator's answer (`tileId` null: the journey's own). */
export type TileProblems = TileProblems_Serialize;
export type Catalog = Catalog_Serialize;
export type CatalogState = CatalogState_Serialize;
export type OpenedJourney = OpenedJourney_Serialize;
export type QuietTimeSummary = QuietTimeSummary_Serialize;
export type Condition = Condition_Serialize;
export type WaitBranch = WaitBranch_Serialize;
export type AttributeBranch = AttributeBranch_Serialize;
export type SimulationResult = SimulationResult_Serialize;
export type SimulationSpec = SimulationSpec_Deserialize;
/** The outcome mixes a test run starts from (Rust's `OutcomeModel::for_journey`). */
export type OutcomeModel = OutcomeModel_Serialize;
export type TestRun = TestRun_Serialize;
/** Tiles on the clipboard (Rust's `ops::clipboard::Fragment`). */
export type Fragment = Fragment_Serialize;
export type Engagement = Catalog["engagements"][number];

/** A backend error, thrown so callers can use try/catch and show `message`. */
export class IpcError extends Error {
  readonly error: AppError;
  constructor(error: AppError) {
    super(error.kind === "invalid" ? `The journey has ${error.data.length} problem(s); fix them before publishing.` : error.data);
    this.error = error;
  }
}

type Res<T> = { status: "ok"; data: T } | { status: "error"; error: AppError };

async function unwrap<T>(p: Promise<Res<T>>): Promise<T> {
  const r = await p;
  if (r.status === "error") {
    // Tauri itself rejects with plain text (e.g. an argument it could not read): say it as is.
    if (typeof r.error === "string") throw new Error(r.error);
    throw new IpcError(r.error);
  }
  return r.data;
}

export const api = {
  listJourneys: () => unwrap(commands.listJourneys()),
  createJourney: (name: string, timeZone: string) => unwrap(commands.createJourney(name, timeZone)),
  openJourney: (id: string) => unwrap(commands.openJourney(id)),
  saveDraft: (doc: Journey) => unwrap(commands.saveDraft(doc)),
  renameJourney: (id: string, name: string) => unwrap(commands.renameJourney(id, name)),
  createSampleJourney: () => unwrap(commands.createSampleJourney()),
  duplicateJourney: (id: string) => unwrap(commands.duplicateJourney(id)),
  deleteJourney: (id: string) => unwrap(commands.deleteJourney(id)),
  /** Every problem of the journey being edited: sent as a patch of the last one when possible. */
  /** A validation session for one open journey (patches in, deltas out). */
  validator: createValidator,
  getCatalog: () => unwrap(commands.getCatalog()),
  refreshCatalog: () => unwrap(commands.refreshCatalog()),
  setCatalogSource: (path: string) => unwrap(commands.setCatalogSource(path)),
  conditionVariables: (doc: Journey, tileId: string) => unwrap(commands.conditionVariables(doc, tileId)),
  /** The voice tile's effective quiet time: only that tile is sent (the answer reads no other). */
  quietTimeSummary: (doc: Journey, tileId: string) =>
    unwrap(commands.quietTimeSummary({ ...doc, tiles: doc.tiles.filter((t) => t.id === tileId), connections: [], layout: { positions: {} } }, tileId)),
  listTimeZones: () => commands.listTimeZones(),
  runtimeTarget: () => unwrap(commands.runtimeTarget()),
  setRuntimeTarget: (target: RuntimeTarget) => unwrap(commands.setRuntimeTarget(target)),
  publishJourney: (id: string) => unwrap(commands.publishJourney(id)),
  changeLiveState: (id: string, action: LiveAction) => unwrap(commands.changeLiveState(id, action)),
  liveCounts: (id: string) => unwrap(commands.liveCounts(id)),
  journeyVersions: (id: string) => unwrap(commands.journeyVersions(id)),
  versionAction: (id: string, number: number, action: LiveAction) => unwrap(commands.versionAction(id, number, action)),
  openVersion: (id: string, number: number) => unwrap(commands.openVersion(id, number)),
  importContacts: (contactsPath: string | null, consentsPath: string | null, segment: string | null) =>
    unwrap(commands.importContacts(contactsPath, consentsPath, segment)),
  /** Run a test run; `ticket` names it for `cancelTestRun`. */
  runTestRun: (doc: Journey, spec: SimulationSpec, ticket: number) => unwrap(commands.runTestRun(doc, spec, ticket)),
  cancelTestRun: (ticket: number) => commands.cancelTestRun(ticket),
  defaultTestRunOutcomes: (doc: Journey, start: string) => unwrap(commands.defaultTestRunOutcomes(doc, start)),
  latestTestRun: (journeyId: string) => unwrap(commands.latestTestRun(journeyId)),
  readTestAudience: (contactsPath: string, consentsPath: string | null) => unwrap(commands.readTestAudience(contactsPath, consentsPath)),
  /** Read clipboard text as tiles to paste (Rust checks it against the document schema). */
  parseFragment: (text: string) => unwrap(commands.parseFragment(text)),
  /** Write the saved draft to a journey file at `path` (picked with `pickFileToSave`). */
  exportJourney: (id: string, path: string) => unwrap(commands.exportJourney(id, path)),
  /** Read a journey file into a new draft; a copy when its id is already a draft. */
  importJourney: (path: string) => unwrap(commands.importJourney(path)),
  /** Compare two of: the draft, a version, a journey file (the change list comes from Rust). */
  compareJourneys: (id: string, old: CompareSide, next: CompareSide) => unwrap(commands.compareJourneys(id, old, next)),
  compareVersionNumbers: (id: string) => unwrap(commands.compareVersionNumbers(id)),
  /** Version `number`'s content for the draft (apply it as one undoable edit). */
  restoreVersion: (id: string, number: number) => unwrap(commands.restoreVersion(id, number)),
  reviewPublish: (id: string) => unwrap(commands.reviewPublish(id)),
  /** Publish after the review; `replace` names the version published elsewhere to replace. */
  publishReviewed: (id: string, replace: number | null) => unwrap(commands.publishReviewed(id, replace)),
  /** The insight of one tile of version `number` (counts in words, from Rust). */
  tileInsight: (id: string, number: number, tile: string) => unwrap(commands.tileInsight(id, number, tile)),
  /** Write the contacts of `choice` at a tile to the CSV file at `path` (picked with `pickFileToSave`). */
  exportTileContacts: (id: string, number: number, tile: string, choice: ContactsChoice, path: string) =>
    unwrap(commands.exportTileContacts(id, number, tile, choice, path)),
  appearance: () => unwrap(commands.appearance()),
  setAppearance: (appearance: Appearance) => unwrap(commands.setAppearance(appearance)),
  /** Listen to test-run progress; resolves to the function that stops listening. */
  onTestRunProgress: (cb: (p: TestRunProgress) => void) => events.testRunProgress.listen((e) => cb(e.payload)),
};

export type Api = typeof api;

export { pickFileToOpen, pickFileToSave, type PickKind } from "./dialogs";

/** Whether `e` says the marketer cancelled the operation (a test run). */
export function isCancelled(e: unknown): boolean {
  return e instanceof IpcError && e.error.kind === "cancelled";
}

export function errorMessage(e: unknown): string {
  if (e instanceof IpcError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
