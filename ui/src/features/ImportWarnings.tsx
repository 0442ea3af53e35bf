// What an import could not use, row by row (the runtime's `warnings`).
import type { ImportSummary } from "../ipc";

type ImportWarning = ImportSummary["warnings"][number];

export function ImportWarnings({ warnings }: { warnings: ImportWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <div className="banner banner-warning" data-testid="import-warnings">
      <div>
        {warnings.length} value{warnings.length === 1 ? "" : "s"} cannot be used:
      </div>
      <ul className="import-warnings">
        {warnings.map((w, i) => (
          <li key={`${w.row}-${w.column}-${i}`} data-testid="import-warning">
            Row {w.row}
            {w.contactId ? ` (${w.contactId})` : ""}, {w.column}: {w.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
