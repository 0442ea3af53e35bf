// What every tile kind's inspector shares: its props, the update hook, the name field and branch rows.
import { LIMITS, type DurationUnit, type Journey, type Tile } from "../../ipc";
import { Field, IconButton, Messages, NameCounter, TextInput, useFieldDiagnostics, type IntegerBounds, type Option } from "../../components/fields";
import { updateTile } from "../../store/edits";
import { useJourney } from "../../store/journey-store";

export type InspectorProps<T extends Tile> = { tile: T; doc: Journey; update: (change: (t: T) => T) => void };

export function useTileUpdate<T extends Tile>(tile: T): (change: (t: T) => T) => void {
  const edit = useJourney((s) => s.edit);
  return (change) => edit((doc) => updateTile(doc, tile.id, (t) => change(t as T)));
}

export function NameField<T extends Tile>({ tile, update, placeholder }: { tile: T; update: (c: (t: T) => T) => void; placeholder: string }) {
  return (
    <Field label="Tile name" path="name">
      {(id) => (
        <>
          <TextInput
            id={id}
            path="name"
            value={tile.name}
            placeholder={placeholder}
            maxLength={LIMITS.nameMaxChars}
            onChange={(name) => update((t) => ({ ...t, name }))}
          />
          <NameCounter name={tile.name} />
        </>
      )}
    </Field>
  );
}

export const UNITS: Option[] = [
  { value: "minutes", label: "Minutes" },
  { value: "hours", label: "Hours" },
  { value: "days", label: "Days" },
  { value: "weeks", label: "Weeks" },
];

export function BranchHeader({
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
        title={name}
        placeholder={placeholder}
        maxLength={LIMITS.nameMaxChars}
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

export function BranchMessages({ path }: { path: string }) {
  const items = useFieldDiagnostics(path).filter((d) => d.path === path || d.path === `${path}.name` || d.path === `${path}.interaction`);
  return <Messages items={items} />;
}

/** How long a wait (a wait-time tile, a trigger wait's time limit) may be in `unit`: Rust's bounds. */
export function waitBounds(unit: DurationUnit): IntegerBounds {
  const max = LIMITS.waitMax[unit];
  const most = `A wait lasts at most ${LIMITS.waitMax.days} days`;
  return {
    min: 1,
    max,
    tooSmall: `At least 1 ${unit.replace(/s$/, "")}.`,
    tooBig: unit === "days" ? `${most}.` : `${most}: at most ${max.toLocaleString("en-US")} ${unit}.`,
  };
}

/** Where a lookup's list comes from and how old it is. */
export function listHint(refreshedAt: string | null, what: string): string {
  return refreshedAt
    ? `The ${what} known at the catalog's last refresh (${refreshedAt.slice(0, 16).replace("T", " ")} UTC).`
    : `The ${what} the catalog lists.`;
}
