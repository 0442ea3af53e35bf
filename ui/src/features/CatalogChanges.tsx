// What the last catalog refresh changed (the diff comes from Rust: journeys::catalog::references).
import type { CatalogState } from "../ipc";

type Changes = NonNullable<CatalogState["changes"]>;
type Item = Changes["added"][number];

function itemText(item: Item): string {
  switch (item.kind) {
    case "engagement":
      return `engagement ${item.id}`;
    case "profile":
      return `compliance profile ${item.id}`;
    case "purpose":
      return `purpose ${item.id} (${item.profileId})`;
    case "topic":
      return `topic ${item.id} (${item.profileId} › ${item.purposeId})`;
    case "quietTimeSetting":
      return `quiet-time setting ${item.id}`;
  }
}

export function CatalogChanges({ changes }: { changes: Changes | null | undefined }) {
  if (!changes) return null;
  const lines = [
    ...changes.added.map((i) => `Added ${itemText(i)}`),
    ...changes.removed.map((i) => `Removed ${itemText(i)}`),
    ...changes.changed.map((c) => `Changed ${itemText(c.item)}: ${c.detail}`),
  ];
  return (
    <div className="small" data-testid="catalog-changes">
      {lines.length === 0 ? (
        <span className="muted">No changes since the last refresh.</span>
      ) : (
        <ul className="import-warnings">
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
