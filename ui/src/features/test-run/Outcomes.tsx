// The "How calls turn out" part of the test run form: each engagement's outcome mixes.
import type { VariableType } from "../../ipc";
import { useApp } from "../../store/app-store";
import { MixRows, type Choice, type ValueInput } from "./inputs";
import { daysAfter, type EngagementForm, type RunForm, type VariableMix } from "./spec";

const TYPE_WORDS: Record<VariableType, string> = {
  choice: "one of its options",
  number: "a number",
  boolean: "yes or no",
  dateTime: "a date and time, in the journey's zone",
  text: "text",
};

function variableInput(m: VariableMix, start: string): ValueInput {
  const notSet: Choice = { value: "", label: "(not set)" };
  switch (m.type) {
    case "choice":
      return { kind: "select", options: [...m.options.map((o) => ({ value: o, label: o })), notSet] };
    case "boolean":
      return {
        kind: "select",
        options: [{ value: "true", label: "Yes (true)" }, { value: "false", label: "No (false)" }, notSet],
      };
    case "dateTime":
      return { kind: "datetime-local", fill: daysAfter(start, 2) };
    case "number":
      return { kind: "text", placeholder: "Not set (or a number)" };
    case "text":
      return { kind: "text", placeholder: "Not set (or text)" };
  }
}

/** One engagement's results, disposition codes and variable values, each an editable mix. */
function EngagementMixEditor({
  id,
  form,
  start,
  open,
  onChange,
}: {
  id: string;
  form: EngagementForm;
  start: string;
  open: boolean;
  onChange: (f: EngagementForm) => void;
}) {
  const resultMapping = useApp((s) => s.catalog.resultMapping);
  const results: ValueInput =
    resultMapping.length > 0
      ? {
          kind: "select",
          options: resultMapping.map((r) => ({ value: r.result, label: r.label && r.label !== r.result ? `${r.label} (${r.result})` : r.result })),
        }
      : { kind: "text", placeholder: "Result, e.g. LiveAnswer" };
  const top = [...form.results].sort((a, b) => b.weight - a.weight)[0];
  const total = form.results.reduce((n, r) => n + Math.max(0, r.weight || 0), 0);
  const variables = Object.entries(form.variables);
  return (
    <details className="tr-engagement" open={open} data-testid={`tr-engagement-${id}`}>
      <summary>
        <span className="tr-engagement-name">{form.name}</span>
        <span className="muted small">
          {top && total > 0 ? `${Math.round((top.weight / total) * 100)}% ${top.value}` : "no results"} · {form.codes.length} disposition code
          {form.codes.length === 1 ? "" : "s"} · {variables.length} variable{variables.length === 1 ? "" : "s"}
        </span>
      </summary>
      <div className="tr-engagement-body">
        <div className="field-label">Results</div>
        <MixRows rows={form.results} label="Result" input={results} onChange={(r) => onChange({ ...form, results: r })} testId={`tr-results-${id}`} />
        <div className="field-label">Disposition codes</div>
        <div className="muted small">Codes and variables are written back only when a person answers (Live answer).</div>
        {form.codes.length === 0 && form.dispositions.length === 0 ? (
          <div className="muted small tr-none">This engagement has no disposition codes.</div>
        ) : (
          <MixRows
            rows={form.dispositions}
            label="Disposition code"
            input={{ kind: "select", options: [{ value: "", label: "(no code)" }, ...form.codes.map((c) => ({ value: c, label: c }))] }}
            onChange={(d) => onChange({ ...form, dispositions: d })}
            testId={`tr-codes-${id}`}
          />
        )}
        {variables.map(([name, m]) => (
          <div key={name} className="tr-variable">
            <div className="field-label">
              {name} <span className="muted small">· {TYPE_WORDS[m.type]}</span>
            </div>
            <MixRows
              rows={m.rows}
              label={name}
              input={variableInput(m, start)}
              onChange={(rows) => onChange({ ...form, variables: { ...form.variables, [name]: { ...m, rows } } })}
              testId={`tr-variable-${id}-${name}`}
            />
          </div>
        ))}
      </div>
    </details>
  );
}

export function OutcomesSection({ form, running, set }: { form: RunForm; running: boolean; set: (patch: Partial<RunForm>) => void }) {
  const engagements = Object.entries(form.outcomes);
  if (engagements.length === 0) return null;
  return (
    <fieldset className="tr-section" disabled={running}>
      <legend>How calls turn out</legend>
      <div className="field-hint tr-mix-hint">Each call draws a result, a disposition code and a value for each variable from these shares.</div>
      {engagements.map(([eid, e], i) => (
        <EngagementMixEditor
          key={eid}
          id={eid}
          form={e}
          start={form.start}
          open={i === 0}
          onChange={(f) => set({ outcomes: { ...form.outcomes, [eid]: f } })}
        />
      ))}
    </fieldset>
  );
}
