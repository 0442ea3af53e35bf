// Form building blocks of the property panels. Every input carries `data-path`, the dotted
// document path the validator uses, so a problem can focus its field.
import { createContext, useContext, useId, useMemo, useRef, useState, type ReactNode } from "react";
import type { Diagnostic } from "../ipc";
import { fieldDiagnostics } from "../mapping/diagnostics";
import { JOURNEY_FIELDS_ON_START, useJourney } from "../store/journey-store";

export const TileIdContext = createContext<string | null>(null);

const NO_DIAGNOSTICS: Diagnostic[] = [];

export function useFieldDiagnostics(path: string): Diagnostic[] {
  const contextTile = useContext(TileIdContext);
  const tileId = JOURNEY_FIELDS_ON_START.includes(path) ? null : contextTile;
  const all = useJourney((s) => s.diagnostics);
  return useMemo(() => {
    const found = fieldDiagnostics(all, tileId, path);
    return found.length ? found : NO_DIAGNOSTICS;
  }, [all, tileId, path]);
}

export function Messages({ items }: { items: Diagnostic[] }) {
  if (!items.length) return null;
  return (
    <ul className="field-messages">
      {items.map((d, i) => (
        <li key={i} className={`msg msg-${d.severity}`}>
          {d.message}
        </li>
      ))}
    </ul>
  );
}

export function Field({
  label,
  path,
  hint,
  children,
  exactOnly,
}: {
  label: string;
  path: string;
  hint?: string;
  children: (id: string, invalid: boolean) => ReactNode;
  /** Show only diagnostics on exactly this path (children show their own). */
  exactOnly?: boolean;
}) {
  const id = useId();
  const all = useFieldDiagnostics(path);
  const items = exactOnly ? all.filter((d) => d.path === path) : all;
  return (
    <div className={`field${items.some((d) => d.severity === "error") ? " field-invalid" : ""}`}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {children(
        id,
        items.some((d) => d.severity === "error"),
      )}
      {hint && !items.length ? <div className="field-hint">{hint}</div> : null}
      <Messages items={items} />
    </div>
  );
}

export type Option = { value: string; label: string; detail?: string; disabled?: boolean };

export function Select({
  id,
  path,
  value,
  options,
  placeholder,
  onChange,
  disabled,
}: {
  id?: string;
  path: string;
  value: string | null;
  options: Option[];
  placeholder: string;
  onChange: (value: string | null) => void;
  disabled?: boolean;
}) {
  return (
    <select
      id={id}
      className="input"
      data-path={path}
      value={value ?? ""}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value === "" ? null : e.target.value)}
    >
      <option value="">{placeholder}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value} disabled={o.disabled}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

export function TextInput({
  id,
  path,
  value,
  onChange,
  placeholder,
  type = "text",
}: {
  id?: string;
  path: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  type?: "text" | "number" | "datetime-local";
}) {
  return <input id={id} className="input" data-path={path} type={type} value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />;
}

/** A searchable lookup: type to filter, pick with mouse or keyboard. */
export function Combobox({
  id,
  path,
  value,
  options,
  placeholder,
  onChange,
  limit = 80,
  testId,
}: {
  id?: string;
  path: string;
  value: string | null;
  options: Option[];
  placeholder: string;
  onChange: (value: string) => void;
  limit?: number;
  testId?: string;
}) {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLInputElement>(null);
  const selected = options.find((o) => o.value === value) ?? null;
  const q = query.trim().toLowerCase();
  const matches = (q ? options.filter((o) => o.label.toLowerCase().includes(q) || o.detail?.toLowerCase().includes(q)) : options).slice(0, limit);

  const pick = (o: Option | undefined) => {
    if (!o || o.disabled) return;
    onChange(o.value);
    setOpen(false);
    setQuery("");
    inputRef.current?.blur();
  };

  return (
    <div className="combo" data-testid={testId}>
      <input
        id={id}
        ref={inputRef}
        className="input combo-input"
        data-path={path}
        role="combobox"
        aria-expanded={open}
        autoComplete="off"
        placeholder={selected ? selected.label : placeholder}
        value={open ? query : (selected?.label ?? "")}
        onFocus={() => {
          setOpen(true);
          setActive(0);
        }}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setActive((a) => Math.min(a + 1, matches.length - 1));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive((a) => Math.max(a - 1, 0));
          } else if (e.key === "Enter") {
            e.preventDefault();
            pick(matches[active]);
          } else if (e.key === "Escape") {
            setOpen(false);
            inputRef.current?.blur();
          }
        }}
      />
      <span className="combo-caret" aria-hidden>
        ▾
      </span>
      {open ? (
        <ul className="combo-list" role="listbox">
          {matches.length === 0 ? <li className="combo-empty">No matches</li> : null}
          {matches.map((o, i) => (
            <li
              key={o.value}
              role="option"
              aria-selected={o.value === value}
              aria-disabled={o.disabled}
              className={`combo-option${i === active ? " active" : ""}${o.disabled ? " disabled" : ""}`}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(o);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <span className="combo-option-label">{o.label}</span>
              {o.detail ? <span className="combo-option-detail">{o.detail}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function Segmented<T extends string>({
  path,
  value,
  options,
  onChange,
}: {
  path: string;
  value: T;
  options: { value: T; label: string }[];
  onChange: (v: T) => void;
}) {
  return (
    <div className="segmented" role="radiogroup" data-path={path} tabIndex={-1}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={o.value === value}
          className={o.value === value ? "on" : ""}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

export function IconButton({ label, onClick, children, disabled }: { label: string; onClick: () => void; children: ReactNode; disabled?: boolean }) {
  return (
    <button type="button" className="icon-btn" title={label} aria-label={label} onClick={onClick} disabled={disabled}>
      {children}
    </button>
  );
}
