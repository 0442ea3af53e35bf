// The wait-for-trigger tile's inspector.
import type { DurationUnit, Interaction, TileOf, WaitBranch } from "../../ipc";
import { Combobox, Field, IntegerInput, Select, TextInput } from "../../components/fields";
import { useApp } from "../../store/app-store";
import { moveItem, newId } from "../../store/edits";
import { INTERACTION_LABEL, tileTitle } from "../kinds";
import { BranchHeader, BranchMessages, listHint, NameField, UNITS, waitBounds } from "./common";
import type { InspectorProps } from "./common";

export function WaitForTriggerInspector({ tile, doc, update }: InspectorProps<TileOf<"waitForTrigger">>) {
  const messages = doc.tiles.filter((t) => t.type === "voiceConversation");
  const cond = tile.condition;
  const setBranches = (branches: WaitBranch[]) => update((t) => ({ ...t, branches }));
  const isMessage = cond?.kind !== "trigger";
  const catalogState = useApp((s) => s.catalogState);
  const triggers = useApp((s) => s.catalog.triggers);
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
                  v === "trigger" ? { kind: "trigger", triggerName: null } : v === "previousMessage" ? { kind: "previousMessage", tileId: null } : null,
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
      {cond?.kind === "trigger" && triggers ? (
        <Field label="Choose a trigger" path="condition.triggerName.lookup" hint={listHint(catalogState?.refreshedAt ?? null, "triggers")}>
          {(id) => (
            <Combobox
              id={id}
              testId="wait-trigger-lookup"
              path="condition.triggerName.lookup"
              value={cond.triggerName}
              options={triggers.map((t) => ({ value: t.name, label: t.name, detail: t.description }))}
              placeholder={triggers.length ? "Search the catalog's triggers…" : "The catalog lists no triggers"}
              onChange={(triggerName) => update((t) => ({ ...t, condition: { kind: "trigger", triggerName } }))}
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
                      setBranches(tile.branches.map((x) => (x.id === b.id ? { ...x, interaction: (e.target.value || null) as Interaction | null } : x)))
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
              onClick={() => setBranches([...tile.branches, { id: newId("b"), name: "", interaction: null, conditions: [] }])}
            >
              + Add branch
            </button>
          </div>
        )}
      </Field>
      <Field label="Time limit" path="timeLimit">
        {(id) => (
          <IntegerInput
            id={id}
            path="timeLimit"
            value={tile.timeLimit?.amount ?? null}
            bounds={waitBounds(tile.timeLimit?.unit ?? "days")}
            placeholder="7"
            onChange={(amount) => update((t) => ({ ...t, timeLimit: { amount, unit: t.timeLimit?.unit ?? "days" } }))}
          >
            <select
              className="input"
              aria-label="Time limit unit"
              data-path="timeLimit.unit"
              value={tile.timeLimit?.unit ?? "days"}
              onChange={(e) =>
                update((t) => ({
                  ...t,
                  timeLimit: { amount: t.timeLimit?.amount ?? 1, unit: e.target.value as DurationUnit },
                }))
              }
            >
              {UNITS.map((u) => (
                <option key={u.value} value={u.value}>
                  {u.label}
                </option>
              ))}
            </select>
          </IntegerInput>
        )}
      </Field>
    </>
  );
}
