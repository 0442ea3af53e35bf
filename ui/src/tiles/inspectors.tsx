// Property panels, one per tile kind, registered exhaustively like the tile kinds.
import { useEffect, useMemo, useState, type ComponentType } from "react";
import type {
  AttributeBranch,
  Condition,
  Interaction,
  Journey,
  PhoneField,
  QuietTimeSummary,
  Tile,
  TileOf,
  TileType,
  Value,
  VariableChoice,
  WaitBranch,
} from "../ipc";
import { api } from "../ipc";
import {
  Combobox,
  Field,
  IconButton,
  Messages,
  Segmented,
  Select,
  TextInput,
  useFieldDiagnostics,
  type Option,
} from "../components/fields";
import { useApp } from "../store/app-store";
import { createBranchesAfterVoice, moveItem, newId, updateTile } from "../store/edits";
import { useJourney } from "../store/journey-store";
import { INTERACTION_LABEL, tileTitle } from "./kinds";
import { fromZonedInput, toZonedInput, zoneAbbreviation } from "../features/time";

type InspectorProps<T extends Tile> = { tile: T; doc: Journey; update: (change: (t: T) => T) => void };

export function useTileUpdate<T extends Tile>(tile: T): (change: (t: T) => T) => void {
  const edit = useJourney((s) => s.edit);
  return (change) => edit((doc) => updateTile(doc, tile.id, (t) => change(t as T)));
}

const PHONE_LABEL: Record<PhoneField, string> = {
  mobilePhone: "Mobile phone",
  businessPhone: "Business phone",
  homePhone: "Home phone",
};

const DIAL_LABEL = { copilot: "Copilot", preview: "Preview", progressive: "Progressive", predictive: "Predictive" } as const;

function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric" });
}

function NameField<T extends Tile>({ tile, update, placeholder }: { tile: T; update: (c: (t: T) => T) => void; placeholder: string }) {
  return (
    <Field label="Tile name" path="name">
      {(id) => (
        <TextInput id={id} path="name" value={tile.name} placeholder={placeholder} onChange={(name) => update((t) => ({ ...t, name }))} />
      )}
    </Field>
  );
}

function VoiceInspector({ tile, doc, update }: InspectorProps<TileOf<"voiceConversation">>) {
  const catalog = useApp((s) => s.catalog);
  const edit = useJourney((s) => s.edit);
  const select = useJourney((s) => s.select);
  const engagements: Option[] = catalog.engagements
    .filter((e) => e.channel === "voice")
    .map((e) => ({
      value: e.id,
      label: e.name,
      detail: `${DIAL_LABEL[e.dialMode]} dialling · ${e.ledBy === "ai" ? "AI agent" : "Representative"} · created ${formatDate(e.created)}${e.active ? "" : " · inactive"}`,
      disabled: !e.active,
    }));
  const engagement = catalog.engagements.find((e) => e.id === tile.engagementId);
  const profiles = catalog.complianceProfiles;
  const profile = profiles.find((p) => p.id === tile.complianceProfileId);
  const purpose = profile?.purposes.find((p) => p.id === tile.purposeId);
  const qt = tile.quietTime ?? { mode: "inherit" as const };
  const [summary, setSummary] = useState<QuietTimeSummary | null>(null);
  useEffect(() => {
    let live = true;
    api.quietTimeSummary(doc, tile.id).then(
      (s) => live && setSummary(s),
      () => live && setSummary(null),
    );
    return () => {
      live = false;
    };
    // Only what decides the effective quiet time matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tile.id, tile.complianceProfileId, JSON.stringify(tile.quietTime), catalog]);
  const hasNext = doc.connections.some((c) => c.from === tile.id);

  return (
    <>
      <NameField tile={tile} update={update} placeholder="Voice conversation" />
      <Field label="Select conversation" path="engagementId">
        {(id) => (
          <Combobox
            id={id}
            testId="engagement-lookup"
            path="engagementId"
            value={tile.engagementId}
            options={engagements}
            placeholder="Search voice engagements…"
            onChange={(engagementId) => update((t) => ({ ...t, engagementId }))}
          />
        )}
      </Field>
      {engagement ? (
        <div className="info-card">
          <div className="info-title">{engagement.name}</div>
          <div className="info-row">
            <span className="pill">{DIAL_LABEL[engagement.dialMode]}</span>
            <span className="pill">{engagement.ledBy === "ai" ? "AI agent" : "Representative"}</span>
            <span className="muted">Created {formatDate(engagement.created)}</span>
          </div>
        </div>
      ) : null}
      <Field label="Send to" path="sendTo" hint="The contact's phone number to call">
        {(id) => (
          <Select
            id={id}
            path="sendTo"
            value={tile.sendTo}
            placeholder="Choose a phone field"
            options={(Object.keys(PHONE_LABEL) as PhoneField[]).map((p) => ({ value: p, label: PHONE_LABEL[p] }))}
            onChange={(v) => update((t) => ({ ...t, sendTo: v as PhoneField | null }))}
          />
        )}
      </Field>
      <Field label="Compliance profile" path="complianceProfileId">
        {(id) => (
          <Select
            id={id}
            path="complianceProfileId"
            value={tile.complianceProfileId}
            placeholder="Choose a compliance profile"
            options={profiles.map((p) => ({ value: p.id, label: p.active ? p.name : `${p.name} (inactive)`, disabled: !p.active }))}
            onChange={(v) => update((t) => ({ ...t, complianceProfileId: v, purposeId: null, topicId: null }))}
          />
        )}
      </Field>
      <Field label="Purpose" path="purposeId" hint={profile ? undefined : "Choose a compliance profile first"}>
        {(id) => (
          <Select
            id={id}
            path="purposeId"
            disabled={!profile}
            value={tile.purposeId}
            placeholder="Choose a purpose"
            options={(profile?.purposes ?? []).map((p) => ({
              value: p.id,
              label: `${p.name} · ${p.type}${p.active ? "" : " (inactive)"}`,
              disabled: !p.active,
            }))}
            onChange={(v) => update((t) => ({ ...t, purposeId: v, topicId: null }))}
          />
        )}
      </Field>
      {purpose && purpose.topics.length > 0 ? (
        <Field label="Topic" path="topicId">
          {(id) => (
            <Select
              id={id}
              path="topicId"
              value={tile.topicId}
              placeholder="Choose a topic"
              options={purpose.topics.map((t) => ({ value: t.id, label: t.name, disabled: !t.active }))}
              onChange={(v) => update((t) => ({ ...t, topicId: v }))}
            />
          )}
        </Field>
      ) : null}
      <Field label="Quiet time" path="quietTime" exactOnly>
        {() => (
          <div className="stack">
            <Segmented
              path="quietTime"
              value={qt.mode}
              options={[
                { value: "inherit", label: "Profile's" },
                { value: "override", label: "Another setting" },
                { value: "none", label: "Don't apply" },
              ]}
              onChange={(mode) =>
                update((t) => ({
                  ...t,
                  quietTime: mode === "override" ? { mode, settingId: null } : { mode },
                }))
              }
            />
            {qt.mode === "override" ? (
              <Field label="Quiet-time setting" path="quietTime.settingId">
                {(id) => (
                  <Select
                    id={id}
                    path="quietTime.settingId"
                    value={qt.settingId}
                    placeholder="Choose a quiet-time setting"
                    options={catalog.quietTimeSettings.map((s) => ({ value: s.id, label: s.name }))}
                    onChange={(settingId) => update((t) => ({ ...t, quietTime: { mode: "override", settingId } }))}
                  />
                )}
              </Field>
            ) : null}
            <div className="summary-box" data-testid="quiet-time-summary">
              <div className="summary-title">{summary?.settingName ?? "No quiet time"}</div>
              {(summary?.lines ?? []).map((l) => (
                <div key={l} className="summary-line">
                  {l}
                </div>
              ))}
            </div>
          </div>
        )}
      </Field>
      <div className="panel-actions">
        <button
          type="button"
          className="btn"
          disabled={hasNext}
          title={hasNext ? "This tile's output is already connected" : undefined}
          onClick={() => {
            edit((d) => createBranchesAfterVoice(d, tile.id));
            select(tile.id);
          }}
        >
          Create branches
        </button>
        <div className="field-hint">Adds a wait for Attempted, Not attempted and Blocked, 7 days.</div>
      </div>
    </>
  );
}

const UNITS: Option[] = [
  { value: "minutes", label: "Minutes" },
  { value: "hours", label: "Hours" },
  { value: "days", label: "Days" },
  { value: "weeks", label: "Weeks" },
];

function BranchHeader({
  index,
  count,
  path,
  name,
  placeholder,
  onRename,
  onMove,
  onRemove,
}: {
  index: number;
  count: number;
  path: string;
  name: string;
  placeholder: string;
  onRename: (name: string) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}) {
  return (
    <div className="branch-head">
      <span className="branch-index">{index + 1}</span>
      <input
        className="input input-inline"
        data-path={`${path}.name`}
        aria-label={`Branch ${index + 1} name`}
        value={name}
        placeholder={placeholder}
        onChange={(e) => onRename(e.target.value)}
      />
      <IconButton label="Move up" onClick={() => onMove(-1)} disabled={index === 0}>
        ↑
      </IconButton>
      <IconButton label="Move down" onClick={() => onMove(1)} disabled={index === count - 1}>
        ↓
      </IconButton>
      <IconButton label="Remove branch" onClick={onRemove}>
        ✕
      </IconButton>
    </div>
  );
}

function BranchMessages({ path }: { path: string }) {
  const items = useFieldDiagnostics(path).filter(
    (d) => d.path === path || d.path === `${path}.name` || d.path === `${path}.interaction`,
  );
  return <Messages items={items} />;
}

function WaitForTriggerInspector({ tile, doc, update }: InspectorProps<TileOf<"waitForTrigger">>) {
  const messages = doc.tiles.filter((t) => t.type === "voiceConversation");
  const cond = tile.condition;
  const setBranches = (branches: WaitBranch[]) => update((t) => ({ ...t, branches }));
  const isMessage = cond?.kind !== "trigger";
  return (
    <>
      <NameField tile={tile} update={update} placeholder="Wait for trigger" />
      <Field label="Wait for" path="condition" exactOnly>
        {(id) => (
          <Select
            id={id}
            path="condition"
            value={cond?.kind ?? null}
            placeholder="Choose what to wait for"
            options={[
              { value: "previousMessage", label: "Previous message gets an interaction" },
              { value: "trigger", label: "A trigger is activated" },
            ]}
            onChange={(v) =>
              update((t) => ({
                ...t,
                condition:
                  v === "trigger"
                    ? { kind: "trigger", triggerName: null }
                    : v === "previousMessage"
                      ? { kind: "previousMessage", tileId: null }
                      : null,
              }))
            }
          />
        )}
      </Field>
      {cond?.kind === "previousMessage" ? (
        <Field label="Message" path="condition.tileId">
          {(id) => (
            <Select
              id={id}
              path="condition.tileId"
              value={cond.tileId}
              placeholder={messages.length ? "Choose an earlier message" : "Add a voice conversation first"}
              options={messages.map((m) => ({ value: m.id, label: tileTitle(m) }))}
              onChange={(tileId) => update((t) => ({ ...t, condition: { kind: "previousMessage", tileId } }))}
            />
          )}
        </Field>
      ) : null}
      {cond?.kind === "trigger" ? (
        <Field label="Trigger name" path="condition.triggerName">
          {(id) => (
            <TextInput
              id={id}
              path="condition.triggerName"
              value={cond.triggerName ?? ""}
              placeholder="e.g. cartAbandoned"
              onChange={(v) => update((t) => ({ ...t, condition: { kind: "trigger", triggerName: v || null } }))}
            />
          )}
        </Field>
      ) : null}
      <Field label="Branches" path="branches" exactOnly>
        {() => (
          <div className="branches" data-path="branches" tabIndex={-1}>
            {tile.branches.map((b, i) => (
              <div className="branch-card" key={b.id}>
                <BranchHeader
                  index={i}
                  count={tile.branches.length}
                  path={`branches.${i}`}
                  name={b.name}
                  placeholder={b.interaction ? INTERACTION_LABEL[b.interaction] : `Branch ${i + 1}`}
                  onRename={(name) => setBranches(tile.branches.map((x) => (x.id === b.id ? { ...x, name } : x)))}
                  onMove={(d) => setBranches(moveItem(tile.branches, i, d))}
                  onRemove={() => setBranches(tile.branches.filter((x) => x.id !== b.id))}
                />
                {isMessage ? (
                  <select
                    className="input"
                    data-path={`branches.${i}.interaction`}
                    aria-label={`Branch ${i + 1} interaction`}
                    value={b.interaction ?? ""}
                    onChange={(e) =>
                      setBranches(
                        tile.branches.map((x) =>
                          x.id === b.id ? { ...x, interaction: (e.target.value || null) as Interaction | null } : x,
                        ),
                      )
                    }
                  >
                    <option value="">Choose an interaction</option>
                    {(Object.keys(INTERACTION_LABEL) as Interaction[]).map((k) => (
                      <option key={k} value={k}>
                        Voice call {INTERACTION_LABEL[k].toLowerCase()}
                      </option>
                    ))}
                  </select>
                ) : null}
                <BranchMessages path={`branches.${i}`} />
              </div>
            ))}
            <div className="branch-card branch-other">
              <div className="branch-head">
                <span className="branch-index">∗</span>
                <span className="branch-other-label">Other</span>
              </div>
              <div className="field-hint">When the time limit passes, or the call ends with no matching branch.</div>
            </div>
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() =>
                setBranches([
                  ...tile.branches,
                  { id: newId("b"), name: "", interaction: null, conditions: [] },
                ])
              }
            >
              + Add branch
            </button>
          </div>
        )}
      </Field>
      <Field label="Time limit" path="timeLimit">
        {(id) => (
          <div className="row">
            <input
              id={id}
              className="input input-narrow"
              type="number"
              min={1}
              data-path="timeLimit"
              value={tile.timeLimit?.amount ?? ""}
              placeholder="7"
              onChange={(e) => {
                const amount = Number.parseInt(e.target.value, 10);
                update((t) => ({
                  ...t,
                  timeLimit: Number.isNaN(amount) ? null : { amount, unit: t.timeLimit?.unit ?? "days" },
                }));
              }}
            />
            <select
              className="input"
              aria-label="Time limit unit"
              data-path="timeLimit.unit"
              value={tile.timeLimit?.unit ?? "days"}
              onChange={(e) =>
                update((t) => ({
                  ...t,
                  timeLimit: { amount: t.timeLimit?.amount ?? 1, unit: e.target.value as "days" },
                }))
              }
            >
              {UNITS.map((u) => (
                <option key={u.value} value={u.value}>
                  {u.label}
                </option>
              ))}
            </select>
          </div>
        )}
      </Field>
    </>
  );
}

function variableKey(v: Condition["variable"]): string {
  if (!v) return "";
  return v.kind === "engagementVariable" || v.kind === "attribute" ? `${v.kind}:${v.name}` : v.kind;
}

function ValueInput({
  choice,
  condition,
  path,
  onChange,
}: {
  choice: VariableChoice;
  condition: Condition;
  path: string;
  onChange: (value: Value | null) => void;
}) {
  const value = condition.value;
  switch (choice.kind) {
    case "boolean":
      return null;
    case "codeList": {
      const selected = Array.isArray(value) ? value.filter((x): x is string => typeof x === "string") : [];
      return (
        <div className="chips" data-path={path} tabIndex={-1}>
          {choice.options.map((o) => {
            const on = selected.includes(o.value);
            return (
              <button
                type="button"
                key={o.value}
                className={`chip${on ? " on" : ""}`}
                aria-pressed={on}
                onClick={() => onChange(on ? selected.filter((s) => s !== o.value) : [...selected, o.value])}
              >
                {o.label}
              </button>
            );
          })}
          {choice.options.length === 0 ? <span className="field-hint">Choose the conversation on the voice tile to list its codes.</span> : null}
        </div>
      );
    }
    case "choice":
    case "result":
    case "blockCode":
    case "unknown":
      if (choice.options.length > 0)
        return (
          <select
            className="input"
            data-path={path}
            aria-label="Value"
            value={typeof value === "string" ? value : ""}
            onChange={(e) => onChange(e.target.value || null)}
          >
            <option value="">Choose a value</option>
            {choice.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        );
      return (
        <input className="input" data-path={path} aria-label="Value" value={typeof value === "string" ? value : ""} onChange={(e) => onChange(e.target.value || null)} />
      );
    case "number":
      return (
        <input
          className="input"
          type="number"
          data-path={path}
          aria-label="Value"
          value={typeof value === "number" ? value : ""}
          onChange={(e) => onChange(e.target.value === "" ? null : Number(e.target.value))}
        />
      );
    case "dateTime":
      return (
        <input
          className="input"
          type="datetime-local"
          data-path={path}
          aria-label="Value"
          value={typeof value === "string" ? value.slice(0, 16) : ""}
          onChange={(e) => onChange(e.target.value || null)}
        />
      );
    case "text":
      return (
        <input className="input" data-path={path} aria-label="Value" value={typeof value === "string" ? value : ""} onChange={(e) => onChange(e.target.value || null)} />
      );
  }
}

function ConditionRow({
  condition,
  choices,
  path,
  onChange,
  onRemove,
}: {
  condition: Condition;
  choices: VariableChoice[];
  path: string;
  onChange: (c: Condition) => void;
  onRemove: () => void;
}) {
  const key = variableKey(condition.variable);
  const choice = choices.find((c) => variableKey(c.variable) === key);
  const op = choice?.operators.find((o) => o.operator === condition.operator);
  const groups = [...new Set(choices.map((c) => c.group))];
  const items = useFieldDiagnostics(path);
  return (
    <div className={`condition${items.some((d) => d.severity === "error") ? " field-invalid" : ""}`} data-path={path} tabIndex={-1}>
      <div className="condition-row">
        <select
          className="input"
          data-path={`${path}.variable`}
          aria-label="Variable"
          value={key}
          onChange={(e) => {
            const next = choices.find((c) => variableKey(c.variable) === e.target.value);
            onChange({ variable: next?.variable ?? null, operator: next?.operators[0]?.operator ?? null, value: null });
          }}
        >
          <option value="">Choose a variable</option>
          {groups.map((g) => (
            <optgroup key={g} label={g}>
              {choices
                .filter((c) => c.group === g)
                .map((c) => (
                  <option key={variableKey(c.variable)} value={variableKey(c.variable)}>
                    {c.label}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
        <select
          className="input"
          data-path={`${path}.operator`}
          aria-label="Operator"
          value={condition.operator ?? ""}
          disabled={!choice}
          onChange={(e) => {
            const next = choice?.operators.find((o) => o.operator === e.target.value);
            onChange({ ...condition, operator: next?.operator ?? null, value: next?.takesValue ? condition.value : null });
          }}
        >
          <option value="">Operator</option>
          {(choice?.operators ?? []).map((o) => (
            <option key={o.operator} value={o.operator}>
              {o.label}
            </option>
          ))}
        </select>
        <IconButton label="Remove condition" onClick={onRemove}>
          ✕
        </IconButton>
      </div>
      {choice && (op?.takesValue ?? true) ? (
        <ValueInput choice={choice} condition={condition} path={`${path}.value`} onChange={(value) => onChange({ ...condition, value })} />
      ) : null}
      <Messages items={items} />
    </div>
  );
}

function AttributeBranchInspector({ tile, doc, update }: InspectorProps<TileOf<"attributeBranch">>) {
  const voices = doc.tiles.filter((t) => t.type === "voiceConversation");
  const catalog = useApp((s) => s.catalog);
  const [choices, setChoices] = useState<VariableChoice[]>([]);
  const voiceOfSource = tile.source && tile.source.kind !== "contact" ? tile.source.tileId : null;
  const engagementOfVoice = useMemo(() => {
    const v = doc.tiles.find((t) => t.id === voiceOfSource);
    return v?.type === "voiceConversation" ? v.engagementId : null;
  }, [doc.tiles, voiceOfSource]);
  useEffect(() => {
    let live = true;
    api.conditionVariables(doc, tile.id).then(
      (c) => live && setChoices(c),
      () => live && setChoices([]),
    );
    return () => {
      live = false;
    };
    // The choices depend only on the source, the watched voice tile's engagement and the catalog.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tile.id, JSON.stringify(tile.source), engagementOfVoice, catalog]);

  const setBranches = (branches: AttributeBranch[]) => update((t) => ({ ...t, branches }));
  const sourceKind = tile.source?.kind ?? null;
  return (
    <>
      <NameField tile={tile} update={update} placeholder="Attribute branch" />
      <Field label="Branch on" path="source" exactOnly>
        {(id) => (
          <Select
            id={id}
            path="source"
            value={sourceKind}
            placeholder="Choose what to branch on"
            options={[
              { value: "voiceCall", label: "A voice call is attempted" },
              { value: "voiceCallBlocked", label: "A voice call is blocked" },
              { value: "contact", label: "Contact attributes" },
            ]}
            onChange={(v) =>
              update((t) => ({
                ...t,
                source:
                  v === "voiceCall" || v === "voiceCallBlocked"
                    ? { kind: v, tileId: voices.length === 1 ? (voices[0]?.id ?? null) : null }
                    : v === "contact"
                      ? { kind: "contact" }
                      : null,
                branches: t.branches.map((b) => ({ ...b, conditions: [] })),
              }))
            }
          />
        )}
      </Field>
      {tile.source && tile.source.kind !== "contact" ? (
        <Field label="Voice conversation" path="source.tileId">
          {(id) => (
            <Select
              id={id}
              path="source.tileId"
              value={tile.source && tile.source.kind !== "contact" ? tile.source.tileId : null}
              placeholder="Choose a voice tile"
              options={voices.map((v) => ({ value: v.id, label: tileTitle(v) }))}
              onChange={(tileId) =>
                update((t) => ({
                  ...t,
                  source: t.source && t.source.kind !== "contact" ? { kind: t.source.kind, tileId } : t.source,
                }))
              }
            />
          )}
        </Field>
      ) : null}
      {sourceKind === "contact" ? (
        <div className="field-hint">Contact attribute conditions arrive with the runtime's contact schema.</div>
      ) : null}
      <Field label="Branches" path="branches" exactOnly>
        {() => (
          <div className="branches" data-path="branches" tabIndex={-1}>
            {tile.branches.map((b, i) => {
              const setBranch = (nb: AttributeBranch) =>
                setBranches(tile.branches.map((x) => (x.id === b.id ? nb : x)));
              return (
                <div className="branch-card" key={b.id}>
                  <BranchHeader
                    index={i}
                    count={tile.branches.length}
                    path={`branches.${i}`}
                    name={b.name}
                    placeholder={`Branch ${i + 1}`}
                    onRename={(name) => setBranch({ ...b, name })}
                    onMove={(d) => setBranches(moveItem(tile.branches, i, d))}
                    onRemove={() => setBranches(tile.branches.filter((x) => x.id !== b.id))}
                  />
                  <div className="row row-center">
                    <span className="muted small">Match</span>
                    <Segmented
                      path={`branches.${i}.match`}
                      value={b.match}
                      options={[
                        { value: "all", label: "All" },
                        { value: "any", label: "Any" },
                      ]}
                      onChange={(match) => setBranch({ ...b, match })}
                    />
                    <span className="muted small">of these conditions</span>
                  </div>
                  {b.conditions.map((c, ci) => (
                    <ConditionRow
                      key={ci}
                      condition={c}
                      choices={choices}
                      path={`branches.${i}.conditions.${ci}`}
                      onChange={(nc) => setBranch({ ...b, conditions: b.conditions.map((x, xi) => (xi === ci ? nc : x)) })}
                      onRemove={() => setBranch({ ...b, conditions: b.conditions.filter((_, xi) => xi !== ci) })}
                    />
                  ))}
                  <button
                    type="button"
                    className="btn btn-ghost btn-small"
                    data-path={`branches.${i}.conditions`}
                    onClick={() =>
                      setBranch({ ...b, conditions: [...b.conditions, { variable: null, operator: null, value: null }] })
                    }
                  >
                    + Add condition
                  </button>
                  <BranchMessages path={`branches.${i}`} />
                </div>
              );
            })}
            <div className="branch-card branch-other">
              <div className="branch-head">
                <span className="branch-index">∗</span>
                <span className="branch-other-label">Other</span>
              </div>
              <div className="field-hint">Contacts matching no branch.</div>
            </div>
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() =>
                setBranches([
                  ...tile.branches,
                  { id: newId("b"), name: `Branch ${tile.branches.length + 1}`, match: "all", conditions: [{ variable: null, operator: null, value: null }] },
                ])
              }
            >
              + Add branch
            </button>
          </div>
        )}
      </Field>
    </>
  );
}

type RepeatUnit = "days" | "weeks" | "months";

/** What a segment journey's frequency means for the people in it. */
function frequencyHint(kind: string): string {
  switch (kind) {
    case "once":
      return "Everyone in the segments when the journey starts enters once. While it runs, only its name can change.";
    case "onceAdmittingJoiners":
      return "People who join the segments later enter too. Nobody enters twice, even after a new version.";
    default:
      return "Members enter again each round, from the start time (a day is 24 hours; a month keeps the day, else its last). Anyone still in the journey waits for the next round; a round while paused is skipped.";
  }
}

function StartInspector({ tile, doc, update }: InspectorProps<TileOf<"start">>) {
  const zones = useApp((s) => s.timeZones);
  const edit = useJourney((s) => s.edit);
  const zoneOptions = useMemo(() => zones.map((z) => ({ value: z, label: z.replaceAll("_", " ") })), [zones]);
  const start = tile.start;
  return (
    <>
      <NameField tile={tile} update={update} placeholder="Start" />
      <Field label="Audience" path="audience">
        {(id) => (
          <Select
            id={id}
            path="audience"
            value={doc.audience}
            placeholder="Choose an audience"
            options={[
              { value: "contact", label: "Contacts" },
              { value: "lead", label: "Leads" },
              { value: "profile", label: "Customer profiles" },
            ]}
            onChange={(v) => v && edit((d) => ({ ...d, audience: v as Journey["audience"] }))}
          />
        )}
      </Field>
      <Field label="Contacts enter by" path="start" exactOnly>
        {() => (
          <Segmented
            path="start"
            value={start?.kind ?? "none"}
            options={[
              { value: "segment", label: "Segment" },
              { value: "trigger", label: "Trigger" },
            ]}
            onChange={(kind) =>
              update((t) => ({
                ...t,
                start:
                  kind === "segment"
                    ? { kind, segmentIds: [], frequency: { kind: "once" }, startAt: null, endAt: null }
                    : { kind: "trigger", triggerName: null, conditions: [], startAt: null, endAt: null },
              }))
            }
          />
        )}
      </Field>
      {start?.kind === "segment" ? (
        <Field label="Segments" path="start.segmentIds" hint="Segment names, separated by commas">
          {(id) => (
            <TextInput
              id={id}
              path="start.segmentIds"
              value={start.segmentIds.join(", ")}
              placeholder="e.g. renewals-due-30d"
              onChange={(v) =>
                update((t) =>
                  t.start?.kind === "segment"
                    ? { ...t, start: { ...t.start, segmentIds: v.split(",").map((s) => s.trim()).filter(Boolean) } }
                    : t,
                )
              }
            />
          )}
        </Field>
      ) : null}
      {start?.kind === "segment" ? (
        <Field label="Who enters" path="start.frequency" hint={frequencyHint(start.frequency.kind)}>
          {(id) => (
            <Select
              id={id}
              path="start.frequency"
              value={start.frequency.kind}
              placeholder="Choose who enters"
              options={[
                { value: "once", label: "Members at the start, once" },
                { value: "onceAdmittingJoiners", label: "Members at the start, then new members as they join" },
                { value: "repeat", label: "Members again every few days, weeks or months" },
              ]}
              onChange={(kind) =>
                update((t) => {
                  if (t.start?.kind !== "segment") return t;
                  if (kind === "once" || kind === "onceAdmittingJoiners") return { ...t, start: { ...t.start, frequency: { kind } } };
                  if (kind === "repeat") return { ...t, start: { ...t.start, frequency: { kind, every: 1, unit: "weeks" } } };
                  return t;
                })
              }
            />
          )}
        </Field>
      ) : null}
      {start?.kind === "segment" && start.frequency.kind === "repeat" ? (
        <Field label="Again every" path="start.frequency.every">
          {(id) => {
            const frequency = start.frequency.kind === "repeat" ? start.frequency : null;
            if (!frequency) return null;
            const setRepeat = (every: number, unit: RepeatUnit) =>
              update((t) => (t.start?.kind === "segment" ? { ...t, start: { ...t.start, frequency: { kind: "repeat", every, unit } } } : t));
            return (
              <div className="row">
                <input
                  id={id}
                  className="input input-narrow"
                  type="number"
                  min={1}
                  data-path="start.frequency.every"
                  value={frequency.every}
                  onChange={(e) => setRepeat(Math.max(0, Number.parseInt(e.target.value, 10) || 0), frequency.unit)}
                />
                <select className="input" aria-label="Repeat unit" value={frequency.unit} onChange={(e) => setRepeat(frequency.every, e.target.value as RepeatUnit)}>
                  <option value="days">days</option>
                  <option value="weeks">weeks</option>
                  <option value="months">months</option>
                </select>
              </div>
            );
          }}
        </Field>
      ) : null}
      {start?.kind === "trigger" ? (
        <Field label="Trigger" path="start.triggerName">
          {(id) => (
            <TextInput
              id={id}
              path="start.triggerName"
              value={start.triggerName ?? ""}
              placeholder="e.g. cartAbandoned"
              onChange={(v) =>
                update((t) => (t.start?.kind === "trigger" ? { ...t, start: { ...t.start, triggerName: v || null } } : t))
              }
            />
          )}
        </Field>
      ) : null}
      {start ? (
        <Field label="Starts at" path="start.startAt" hint={`In the journey's time zone (${zoneAbbreviation(doc.timeZone)})`}>
          {(id) => (
            <TextInput
              id={id}
              type="datetime-local"
              path="start.startAt"
              value={toZonedInput(start.startAt, doc.timeZone)}
              onChange={(v) => update((t) => (t.start ? { ...t, start: { ...t.start, startAt: fromZonedInput(v, doc.timeZone) } } : t))}
            />
          )}
        </Field>
      ) : null}
      {start ? (
        <Field label="Stops admitting at" path="start.endAt" hint="Optional; contacts already in carry on">
          {(id) => (
            <TextInput
              id={id}
              type="datetime-local"
              path="start.endAt"
              value={toZonedInput(start.endAt, doc.timeZone)}
              onChange={(v) => update((t) => (t.start ? { ...t, start: { ...t.start, endAt: fromZonedInput(v, doc.timeZone) } } : t))}
            />
          )}
        </Field>
      ) : null}
      <Field label="Time zone" path="timeZone">
        {(id) => (
          <Combobox
            id={id}
            testId="time-zone-lookup"
            path="timeZone"
            value={doc.timeZone}
            options={zoneOptions}
            placeholder="Search time zones…"
            onChange={(timeZone) => edit((d) => ({ ...d, timeZone }))}
          />
        )}
      </Field>
    </>
  );
}

function tomorrowNine(): string {
  const d = new Date(Date.now() + 24 * 3600 * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T09:00:00`;
}

function WaitTimeInspector({ tile, update }: InspectorProps<TileOf<"waitTime">>) {
  const wait = tile.wait;
  return (
    <>
      <NameField tile={tile} update={update} placeholder="Wait" />
      <Field label="Wait" path="wait" exactOnly>
        {() => (
          <Segmented
            path="wait"
            value={wait?.kind ?? "duration"}
            options={[
              { value: "duration", label: "For a while" },
              { value: "until", label: "Until a date" },
            ]}
            onChange={(kind) =>
              update((t) => ({
                ...t,
                wait: kind === "duration" ? { kind, amount: 1, unit: "days" } : { kind: "until", local: tomorrowNine() },
              }))
            }
          />
        )}
      </Field>
      {wait?.kind === "duration" ? (
        <Field label="Duration" path="wait.amount">
          {(id) => (
            <div className="row">
              <input
                id={id}
                className="input input-narrow"
                type="number"
                min={1}
                data-path="wait.amount"
                value={wait.amount}
                onChange={(e) => {
                  const amount = Number.parseInt(e.target.value, 10) || 0;
                  update((t) => (t.wait?.kind === "duration" ? { ...t, wait: { ...t.wait, amount } } : t));
                }}
              />
              <select
                className="input"
                aria-label="Unit"
                value={wait.unit}
                onChange={(e) =>
                  update((t) =>
                    t.wait?.kind === "duration" ? { ...t, wait: { ...t.wait, unit: e.target.value as "days" } } : t,
                  )
                }
              >
                {UNITS.map((u) => (
                  <option key={u.value} value={u.value}>
                    {u.label}
                  </option>
                ))}
              </select>
            </div>
          )}
        </Field>
      ) : null}
      {wait?.kind === "until" ? (
        <Field label="Until (journey time zone)" path="wait.local">
          {(id) => (
            <TextInput
              id={id}
              type="datetime-local"
              path="wait.local"
              value={wait.local.slice(0, 16)}
              onChange={(v) => v && update((t) => ({ ...t, wait: { kind: "until", local: `${v}:00` } }))}
            />
          )}
        </Field>
      ) : null}
    </>
  );
}

function ExitInspector({ tile, update }: InspectorProps<TileOf<"exit">>) {
  return (
    <>
      <NameField tile={tile} update={update} placeholder="Exit" />
      <p className="field-hint">Contacts who reach this tile leave the journey.</p>
    </>
  );
}

export const inspectors: { [T in TileType]: ComponentType<InspectorProps<TileOf<T>>> } = {
  start: StartInspector,
  voiceConversation: VoiceInspector,
  waitForTrigger: WaitForTriggerInspector,
  attributeBranch: AttributeBranchInspector,
  waitTime: WaitTimeInspector,
  exit: ExitInspector,
};
