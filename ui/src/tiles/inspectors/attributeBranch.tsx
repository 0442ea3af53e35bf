// The attribute branch tile's inspector and its condition rows.
import { useEffect, useMemo, useState } from "react";
import type { AttributeBranch, Condition, TileOf, Value, VariableChoice } from "../../ipc";
import { api } from "../../ipc";
import { Field, IconButton, Messages, Segmented, Select, useFieldDiagnostics } from "../../components/fields";
import { useApp } from "../../store/app-store";
import { moveItem, newId } from "../../store/edits";
import { tileTitle } from "../kinds";
import { BranchHeader, BranchMessages, NameField } from "./common";
import type { InspectorProps } from "./common";

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
        <input
          className="input"
          data-path={path}
          aria-label="Value"
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(e.target.value || null)}
        />
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
        <input
          className="input"
          data-path={path}
          aria-label="Value"
          value={typeof value === "string" ? value : ""}
          onChange={(e) => onChange(e.target.value || null)}
        />
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

export function AttributeBranchInspector({ tile, doc, update }: InspectorProps<TileOf<"attributeBranch">>) {
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
      {sourceKind === "contact" ? <div className="field-hint">Contact attribute conditions arrive with the runtime's contact schema.</div> : null}
      <Field label="Branches" path="branches" exactOnly>
        {() => (
          <div className="branches" data-path="branches" tabIndex={-1}>
            {tile.branches.map((b, i) => {
              const setBranch = (nb: AttributeBranch) => setBranches(tile.branches.map((x) => (x.id === b.id ? nb : x)));
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
                    onClick={() => setBranch({ ...b, conditions: [...b.conditions, { variable: null, operator: null, value: null }] })}
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
