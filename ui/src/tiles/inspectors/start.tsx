// The start tile's inspector: the audience, schedule and quiet time.
import { useMemo } from "react";
import { LIMITS, type Journey, type TileOf } from "../../ipc";
import { Combobox, Field, IntegerInput, Segmented, Select, TextInput } from "../../components/fields";
import { useApp } from "../../store/app-store";
import { useJourney } from "../../store/journey-store";
import { fromZonedInput, toZonedInput, zoneAbbreviation } from "../../features/time";
import { listHint, NameField } from "./common";
import type { InspectorProps } from "./common";

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

export function StartInspector({ tile, doc, update }: InspectorProps<TileOf<"start">>) {
  const zones = useApp((s) => s.timeZones);
  const edit = useJourney((s) => s.edit);
  const zoneOptions = useMemo(() => zones.map((z) => ({ value: z, label: z.replaceAll("_", " ") })), [zones]);
  const start = tile.start;
  const catalogState = useApp((s) => s.catalogState);
  const segments = useApp((s) => s.catalog.segments);
  const triggers = useApp((s) => s.catalog.triggers);
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
                    ? {
                        ...t,
                        start: {
                          ...t.start,
                          segmentIds: v
                            .split(",")
                            .map((s) => s.trim())
                            .filter(Boolean),
                        },
                      }
                    : t,
                )
              }
            />
          )}
        </Field>
      ) : null}
      {start?.kind === "segment" && segments ? (
        <Field label="Add a segment" path="start.segmentIds.lookup" hint={listHint(catalogState?.refreshedAt ?? null, "segments")}>
          {(id) => (
            <Combobox
              id={id}
              testId="segment-lookup"
              path="start.segmentIds.lookup"
              value={null}
              options={segments.filter((s) => !start.segmentIds.includes(s.id)).map((s) => ({ value: s.id, label: s.id, detail: s.description }))}
              placeholder={segments.length ? "Search the runtime's segments…" : "The runtime has no segments yet"}
              onChange={(segment) =>
                update((t) =>
                  t.start?.kind === "segment" && !t.start.segmentIds.includes(segment)
                    ? { ...t, start: { ...t.start, segmentIds: [...t.start.segmentIds, segment] } }
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
              <IntegerInput
                id={id}
                path="start.frequency.every"
                value={frequency.every}
                bounds={{ min: 1, max: LIMITS.repeatEveryMax }}
                onChange={(every) => setRepeat(every, frequency.unit)}
              >
                <select
                  className="input"
                  aria-label="Repeat unit"
                  value={frequency.unit}
                  onChange={(e) => setRepeat(frequency.every, e.target.value as RepeatUnit)}
                >
                  <option value="days">days</option>
                  <option value="weeks">weeks</option>
                  <option value="months">months</option>
                </select>
              </IntegerInput>
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
              onChange={(v) => update((t) => (t.start?.kind === "trigger" ? { ...t, start: { ...t.start, triggerName: v || null } } : t))}
            />
          )}
        </Field>
      ) : null}
      {start?.kind === "trigger" && triggers ? (
        <Field label="Choose a trigger" path="start.triggerName.lookup" hint={listHint(catalogState?.refreshedAt ?? null, "triggers")}>
          {(id) => (
            <Combobox
              id={id}
              testId="trigger-lookup"
              path="start.triggerName.lookup"
              value={start.triggerName}
              options={triggers.map((t) => ({ value: t.name, label: t.name, detail: t.description }))}
              placeholder={triggers.length ? "Search the catalog's triggers…" : "The catalog lists no triggers"}
              onChange={(triggerName) => update((t) => (t.start?.kind === "trigger" ? { ...t, start: { ...t.start, triggerName } } : t))}
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
