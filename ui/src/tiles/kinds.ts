// The typed registry of tile kinds: one entry per `Tile["type"]` of the generated bindings.
// A new tile kind in Rust fails `tsc` here until it is given a label, defaults and outputs.
import { RULES, type Catalog, type Interaction, type Journey, type Tile, type TileOf, type TileType } from "../ipc";
import { outputsOf } from "../store/edits";
import { tileById } from "../store/tile-index";

export type SummaryContext = { doc: Journey; catalog: Catalog };
export type OutputSpec = { key: string; label: string };

export type KindSpec<T extends Tile> = {
  label: string;
  /** One line for the palette. */
  hint: string;
  /** Accent colour of the tile's header strip and icon. */
  accent: string;
  /** An SVG path (24×24 viewBox) for the icon. */
  icon: string;
  /** Whether the marketer can add it from the palette. */
  inPalette: boolean;
  create: (id: string) => T;
  /** The key settings, one short line each, shown on the canvas. */
  summary: (tile: T, ctx: SummaryContext) => string[];
  outputs: (tile: T) => OutputSpec[];
};

/** A wait branch's default label for its interaction (Rust's `designer_rules`). */
export const INTERACTION_LABEL: Record<Interaction, string> = RULES.interactionWords;

/**
 * A tile's outputs by Rust's rule for its kind: the fixed ones, then one per branch (labelled by
 * `branchLabel`), then the built-in one.
 */
function outputsByRule(type: TileType, branches: readonly { id: string }[] = [], branchLabel: (i: number) => string = () => ""): OutputSpec[] {
  const rule = RULES.outputs[type];
  return [...rule.fixed, ...(rule.branches ? branches.map((b, i) => ({ key: b.id, label: branchLabel(i) })) : []), ...(rule.other ? [rule.other] : [])];
}

export const UNIT_LABEL = { minutes: "minute", hours: "hour", days: "day", weeks: "week" } as const;

export function durationText(d: { amount: number; unit: keyof typeof UNIT_LABEL }): string {
  return `${d.amount} ${UNIT_LABEL[d.unit]}${d.amount === 1 ? "" : "s"}`;
}

function tileName(doc: Journey, id: string | null): string | null {
  if (!id) return null;
  const t = tileById(doc, id);
  if (!t) return null;
  return t.name || kinds[t.type].label;
}

export const kinds: { [T in TileType]: KindSpec<TileOf<T>> } = {
  start: {
    label: "Start",
    hint: "How contacts enter",
    accent: "#0f766e",
    icon: "M8 5v14l11-7z",
    inPalette: false,
    create: (id) => ({ type: "start", id, name: "", start: null }),
    summary: (t, { doc }) => {
      const lines: string[] = [];
      if (!t.start) lines.push("Choose a segment or trigger");
      else if (t.start.kind === "segment") lines.push(t.start.segmentIds.length ? `Segment: ${t.start.segmentIds.join(", ")}` : "Segment: none chosen");
      else lines.push(`Trigger: ${t.start.triggerName || "none chosen"}`);
      lines.push(`Time zone: ${doc.timeZone || "not set"}`);
      return lines;
    },
    outputs: () => outputsByRule("start"),
  },
  voiceConversation: {
    label: "Voice conversation",
    hint: "Call the contact through the contact center",
    accent: "#2563eb",
    icon: "M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z",
    inPalette: true,
    create: (id) => ({
      type: "voiceConversation",
      id,
      name: "",
      engagementId: null,
      sendTo: "mobilePhone",
      complianceProfileId: null,
      purposeId: null,
      topicId: null,
      quietTime: { mode: "inherit" },
    }),
    summary: (t, { catalog }) => {
      const engagement = catalog.engagements.find((e) => e.id === t.engagementId);
      const profile = catalog.complianceProfiles.find((p) => p.id === t.complianceProfileId);
      const purpose = profile?.purposes.find((p) => p.id === t.purposeId);
      return [engagement ? engagement.name : "No conversation selected", purpose ? `Purpose: ${purpose.name}` : "Purpose: not chosen"];
    },
    outputs: () => outputsByRule("voiceConversation"),
  },
  waitForTrigger: {
    label: "Wait for trigger",
    hint: "Branch on the call's outcome or a trigger",
    accent: "#9333ea",
    icon: "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 5v5.4l4 2.4-.8 1.3L11 13V7z",
    inPalette: true,
    create: (id) => ({
      type: "waitForTrigger",
      id,
      name: "",
      condition: { kind: "previousMessage", tileId: null },
      branches: [],
      timeLimit: { amount: 7, unit: "days" },
    }),
    summary: (t, { doc }) => {
      const watched =
        t.condition?.kind === "previousMessage"
          ? `Watches: ${tileName(doc, t.condition.tileId) ?? "no message chosen"}`
          : t.condition?.kind === "trigger"
            ? `Trigger: ${t.condition.triggerName || "not chosen"}`
            : "Choose what to wait for";
      return [watched, t.timeLimit ? `Time limit: ${durationText(t.timeLimit)}` : "No time limit"];
    },
    outputs: (t) =>
      outputsByRule("waitForTrigger", t.branches, (i) => {
        const b = t.branches[i];
        return b?.name || (b?.interaction ? INTERACTION_LABEL[b.interaction] : `Branch ${i + 1}`);
      }),
  },
  attributeBranch: {
    label: "Attribute branch",
    hint: "Route on call results, codes or attributes",
    accent: "#d97706",
    icon: "M6 3v6.2a3 3 0 1 0 2 0V8h5a3 3 0 0 0 3-3V3h-2v2a1 1 0 0 1-1 1H8V3zm10 12.8V14h-2v1.8a3 3 0 1 0 2 0z",
    inPalette: true,
    create: (id) => ({ type: "attributeBranch", id, name: "", source: null, branches: [] }),
    summary: (t, { doc }) => {
      const s = t.source;
      const on = !s
        ? "Choose what to branch on"
        : s.kind === "contact"
          ? "Branch on: contact attributes"
          : `Branch on: ${s.kind === "voiceCall" ? "call of" : "block of"} ${tileName(doc, s.tileId) ?? "…"}`;
      return [on, `${t.branches.length} branch${t.branches.length === 1 ? "" : "es"} + Other`];
    },
    outputs: (t) => outputsByRule("attributeBranch", t.branches, (i) => t.branches[i]?.name || `Branch ${i + 1}`),
  },
  waitTime: {
    label: "Wait",
    hint: "Pause for a while or until a date",
    accent: "#475569",
    icon: "M6 2h12v6l-4 4 4 4v6H6v-6l4-4-4-4zm2 2v3.2l4 4 4-4V4z",
    inPalette: true,
    create: (id) => ({ type: "waitTime", id, name: "", wait: { kind: "duration", amount: 1, unit: "days" } }),
    summary: (t) => [
      !t.wait ? "Choose how long" : t.wait.kind === "duration" ? `Wait ${durationText(t.wait)}` : `Until ${t.wait.local.replace("T", " ").slice(0, 16)}`,
    ],
    outputs: () => outputsByRule("waitTime"),
  },
  exit: {
    label: "Exit",
    hint: "Contacts leave the journey",
    accent: "#be123c",
    icon: "M10 17l1.4-1.4-2.6-2.6H20v-2H8.8l2.6-2.6L10 7l-5 5zM4 4h8V2H4a2 2 0 0 0-2 2v16c0 1.1.9 2 2 2h8v-2H4z",
    inPalette: true,
    create: (id) => ({ type: "exit", id, name: "" }),
    summary: () => ["Contacts leave the journey"],
    outputs: () => outputsByRule("exit"),
  },
};

export function specOf<T extends TileType>(type: T): KindSpec<TileOf<T>> {
  return kinds[type];
}

export function tileSummary(tile: Tile, ctx: SummaryContext): string[] {
  return (specOf(tile.type).summary as (t: Tile, c: SummaryContext) => string[])(tile, ctx);
}

export function tileOutputs(tile: Tile): OutputSpec[] {
  const specs = (specOf(tile.type).outputs as (t: Tile) => OutputSpec[])(tile);
  // Guard the invariant that the labelled outputs are exactly the document's outputs.
  const keys = outputsOf(tile);
  return keys.map((k) => specs.find((s) => s.key === k) ?? { key: k, label: k });
}

export function tileTitle(tile: Tile): string {
  return tile.name || kinds[tile.type].label;
}

export const paletteKinds = (Object.keys(kinds) as TileType[]).filter((k) => kinds[k].inPalette);
