// Form building blocks of the property panels. Every input carries `data-path`, the dotted
// document path the validator uses, so a problem can focus its field.
import { createContext, useContext, useId, useMemo, useRef, useState, type ReactNode } from "react";
import { LIMITS, type Diagnostic } from "../ipc";
import { fieldDiagnostics } from "../mapping/diagnostics";
import { JOURNEY_FIELDS_ON_START, useJourney } from "../store/journey-store";
import { problemsOfTile } from "../store/problems";

export const TileIdContext = createContext<string | null>(null);

const NO_DIAGNOSTICS: Diagnostic[] = [];

export function useFieldDiagnostics(path: string): Diagnostic[] {
  const contextTile = useContext(TileIdContext);
  const tileId = JOURNEY_FIELDS_ON_START.includes(path) ? null : contextTile;
  const own = useJourney((s) => problemsOfTile(s.problems, tileId));
  return useMemo(() => {
    const found = fieldDiagnostics(own, tileId, path);
    return found.length ? found : NO_DIAGNOSTICS;
  }, [own, tileId, path]);
}

/**
 * True while the pointer is over the panel: a message that goes away then keeps its room
 * (invisible) until the pointer leaves, so the button under the pointer does not jump.
 */
export const HoldLayoutContext = createContext(false);

export function Messages({ items }: { items: Diagnostic[] }) {
  const hold = useContext(HoldLayoutContext);
  // The last messages shown, kept (by content, as callers filter afresh on each render) for their room.
  const [last, setLast] = useState<Diagnostic[]>(NO_DIAGNOSTICS);
  const same = last.length === items.length && last.every((d, i) => d.severity === items[i]?.severity && d.message === items[i]?.message);
  if (items.length > 0 && !same) setLast(items);
  if (items.length === 0 && !hold && last.length > 0) setLast(NO_DIAGNOSTICS);
  const gone = items.length === 0;
  const shown = gone ? last : items;
  if (!shown.length) return null;
  return (
    <ul className={`field-messages${gone ? " messages-gone" : ""}`} aria-hidden={gone || undefined}>
      {shown.map((d, i) => (
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
  maxLength,
}: {
  id?: string;
  path: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  type?: "text" | "number" | "datetime-local";
  maxLength?: number;
}) {
  return (
    <input
      id={id}
      className="input"
      data-path={path}
      type={type}
      value={value}
      placeholder={placeholder}
      maxLength={maxLength}
      onChange={(e) => onChange(e.target.value)}
    />
  );
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

/** Bounds of a whole-number field, with the words for each side. */
export type IntegerBounds = { min: number; max: number; tooSmall?: string; tooBig?: string };

/** Why `text` cannot be stored in a whole-number field, or `null` when it can. */
export function integerRefusal(text: string, bounds: IntegerBounds): string | null {
  const t = text.trim();
  if (t === "") return "Enter a number.";
  if (!/^[+-]?\d+$/.test(t)) return `“${t}” is not a whole number.`;
  const n = Number(t);
  if (n < bounds.min) return bounds.tooSmall ?? `At least ${bounds.min.toLocaleString()}.`;
  if (n > bounds.max) return bounds.tooBig ?? `At most ${bounds.max.toLocaleString()}.`;
  return null;
}

/**
 * A whole-number input that keeps what is typed and stores only what is in range: anything else
 * is refused under the field with the reason, and the document keeps its last good value (so a
 * save never fails on it).
 */
export function IntegerInput({
  id,
  path,
  value,
  bounds,
  onChange,
  placeholder,
  label,
  className = "input input-narrow",
  children,
}: {
  id?: string;
  path: string;
  value: number | null;
  bounds: IntegerBounds;
  onChange: (n: number) => void;
  placeholder?: string;
  label?: string;
  className?: string;
  /** Drawn beside the input (e.g. the unit). */
  children?: ReactNode;
}) {
  const shown = value === null ? "" : String(value);
  const [text, setText] = useState(shown);
  const [focused, setFocused] = useState(false);
  // A change from elsewhere (undo, another field) shows once the marketer is not typing here;
  // refused text stays, with its reason, until it is fixed.
  if (!focused && text !== shown && integerRefusal(text, bounds) === null) setText(shown);
  const refusal = text === shown ? null : integerRefusal(text, bounds);
  return (
    <>
      <div className="row">
        <input
          id={id}
          className={`${className}${refusal ? " input-refused" : ""}`}
          inputMode="numeric"
          data-path={path}
          aria-label={label}
          aria-invalid={refusal !== null}
          value={text}
          placeholder={placeholder}
          onFocus={() => setFocused(true)}
          onBlur={() => setFocused(false)}
          onChange={(e) => {
            const next = e.target.value;
            setText(next);
            if (integerRefusal(next, bounds) === null) onChange(Number(next.trim()));
          }}
        />
        {children}
      </div>
      {refusal ? (
        <div className="msg msg-error" role="alert" data-testid="field-refused">
          {refusal}
          {value !== null ? ` Still ${value} until then.` : ""}
        </div>
      ) : null}
    </>
  );
}

/** Characters as Rust counts them (code points), so the counter and the validator agree. */
export function nameLength(name: string): number {
  return [...name].length;
}

/** "142 / 150" under a name input once the name nears Rust's limit; nothing before. */
export function NameCounter({ name }: { name: string }) {
  const max = LIMITS.nameMaxChars;
  const n = nameLength(name);
  if (n < max - 20) return null;
  return (
    <div className={`name-counter${n >= max ? " at-limit" : ""}`} data-testid="name-counter" aria-live="polite">
      {n} / {max}
    </div>
  );
}
