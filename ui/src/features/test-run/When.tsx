// The "When" part of the test run form: when contacts enter, in journey time, and why then;
// the seed of the draws under "Advanced".
import { computerZone, formatInZone, fromZonedInput, zoneAbbreviation } from "../time";
import { Num } from "./inputs";
import type { RunForm, StartFrom } from "./spec";

/** Why the run starts when it does, in words; `null` once the marketer picked the time. */
function startReason(from: StartFrom | null, zone: string): string | null {
  switch (from?.kind) {
    case "journeyStart":
      return "The journey's start time.";
    case "startPassed":
      return `Now: the journey's start (${formatInZone(from.journeyStart, zone)}) has passed.`;
    case "noStart":
      return "Now: the journey has no start time yet.";
    case "earlierRun":
      return "As in the earlier run.";
    default:
      return null;
  }
}

export function WhenSection({ form, set, running, zone }: { form: RunForm; set: (patch: Partial<RunForm>) => void; running: boolean; zone: string }) {
  const startIso = fromZonedInput(form.start, zone);
  const here = computerZone();
  const reason = startReason(form.startFrom, zone);
  return (
    <fieldset className="tr-section" disabled={running}>
      <legend>When</legend>
      <div className="tr-grid tr-when-grid">
        <label className="field-label" htmlFor="tr-start">
          Contacts enter at <span className="muted small">(journey time, {zone})</span>
        </label>
        <input id="tr-start" className="input" type="datetime-local" value={form.start} onChange={(e) => set({ start: e.target.value, startFrom: null })} />
      </div>
      {reason ? (
        <div className="field-hint tr-start-from" data-testid="tr-start-from">
          {reason}
        </div>
      ) : null}
      {startIso ? (
        <div className="field-hint" data-testid="tr-start-zone">
          {formatInZone(startIso, zone)}, journey time ({zone})
          {zoneAbbreviation(here, Date.parse(startIso)) !== zoneAbbreviation(zone, Date.parse(startIso))
            ? `; ${formatInZone(startIso, here)} on this computer`
            : ""}
          . Each contact's calls then follow quiet time in the contact's own zone.
        </div>
      ) : null}
      <details className="tr-advanced" data-testid="tr-advanced">
        <summary>Advanced</summary>
        <div className="tr-grid">
          <label className="field-label">
            Seed <span className="muted small">(the same seed draws the same run)</span>
          </label>
          <Num label="Seed" testId="tr-seed" value={form.seed} onChange={(seed) => set({ seed })} />
        </div>
      </details>
    </fieldset>
  );
}
