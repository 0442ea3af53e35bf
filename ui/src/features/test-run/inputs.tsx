// The test run form's number inputs and weighted mix rows.
import type { Row } from "./spec";

export function Num({
  value,
  onChange,
  min = 0,
  max,
  label,
  testId,
}: {
  value: number;
  onChange: (n: number) => void;
  min?: number;
  max?: number;
  label: string;
  testId?: string;
}) {
  return (
    <input
      className="input tr-num"
      type="number"
      aria-label={label}
      data-testid={testId}
      min={min}
      max={max}
      value={Number.isNaN(value) ? "" : value}
      onChange={(e) => onChange(e.target.value === "" ? Number.NaN : Number(e.target.value))}
    />
  );
}

export type Choice = { value: string; label: string };

/** How a mix row's value is entered: picked from a list, or typed. */
export type ValueInput =
  | { kind: "select"; options: Choice[] }
  | { kind: "text"; placeholder: string; list?: string }
  /** Empty reads "Not set"; `fill` is the date offered when the marketer sets one. */
  | { kind: "datetime-local"; fill: string };

/** Weighted rows: a value and a share each, with the share as a percent of the whole. */
export function MixRows({
  rows,
  onChange,
  input,
  label,
  testId,
}: {
  rows: Row<string>[];
  onChange: (r: Row<string>[]) => void;
  input: ValueInput;
  label: string;
  testId?: string;
}) {
  const total = rows.reduce((n, r) => n + (r.weight > 0 ? r.weight : 0), 0);
  const setValue = (i: number, value: string) => onChange(rows.map((x, j) => (j === i ? { ...x, value } : x)));
  return (
    <div className="tr-mix" data-testid={testId}>
      {rows.map((r, i) => (
        <div className="tr-mix-row" key={i}>
          {input.kind === "select" ? (
            <select className="input" aria-label={label} value={r.value} onChange={(e) => setValue(i, e.target.value)}>
              {input.options.some((o) => o.value === r.value) ? null : <option value={r.value}>{r.value}</option>}
              {input.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : input.kind === "datetime-local" ? (
            r.value === "" ? (
              // An empty date input still draws a date; say "Not set" instead.
              <div className="input tr-notset">
                <span className="muted">Not set</span>
                <button type="button" className="link-btn small" onClick={() => setValue(i, input.fill)}>
                  Set a date
                </button>
              </div>
            ) : (
              <input className="input" type="datetime-local" value={r.value} aria-label={label} onChange={(e) => setValue(i, e.target.value)} />
            )
          ) : (
            <input
              className="input"
              type="text"
              list={input.list}
              value={r.value}
              placeholder={input.placeholder}
              aria-label={label}
              onChange={(e) => setValue(i, e.target.value)}
            />
          )}
          <Num label={`Share of ${label}`} value={r.weight} onChange={(n) => onChange(rows.map((x, j) => (j === i ? { ...x, weight: n } : x)))} />
          <span className="muted small tr-pct">{total > 0 && r.weight > 0 ? `${Math.round((r.weight / total) * 100)}%` : "—"}</span>
          <button type="button" className="icon-btn" aria-label="Remove" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <button
        type="button"
        className="link-btn small"
        onClick={() => onChange([...rows, { value: input.kind === "select" ? (input.options[0]?.value ?? "") : "", weight: 0 }])}
      >
        + Add
      </button>
    </div>
  );
}
