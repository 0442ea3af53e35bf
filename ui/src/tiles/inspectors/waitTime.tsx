// The wait-time tile's inspector.
import type { DurationUnit, TileOf } from "../../ipc";
import { Field, IntegerInput, Segmented, TextInput } from "../../components/fields";
import { NameField, UNITS, waitBounds } from "./common";
import type { InspectorProps } from "./common";

function tomorrowNine(): string {
  const d = new Date(Date.now() + 24 * 3600 * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T09:00:00`;
}

export function WaitTimeInspector({ tile, update }: InspectorProps<TileOf<"waitTime">>) {
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
            <IntegerInput
              id={id}
              path="wait.amount"
              value={wait.amount}
              bounds={waitBounds(wait.unit)}
              onChange={(amount) => update((t) => (t.wait?.kind === "duration" ? { ...t, wait: { ...t.wait, amount } } : t))}
            >
              <select
                className="input"
                aria-label="Unit"
                value={wait.unit}
                onChange={(e) => update((t) => (t.wait?.kind === "duration" ? { ...t, wait: { ...t.wait, unit: e.target.value as DurationUnit } } : t))}
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
