// The "When" part of the test run form: when contacts enter, in journey time, and the seed.
import { computerZone, formatInZone, fromZonedInput, zoneAbbreviation } from "../time";
import { Num } from "./inputs";
import type { RunForm } from "./spec";

export function WhenSection({ form, set, running, zone }: { form: RunForm; set: (patch: Partial<RunForm>) => void; running: boolean; zone: string }) {
  const startIso = fromZonedInput(form.start, zone);
  const here = computerZone();
  return (
    <fieldset className="tr-section" disabled={running}>
      <legend>When</legend>
      <div className="tr-grid">
        <label className="field-label" htmlFor="tr-start">
          Contacts enter at <span className="muted small">(journey time, {zone})</span>
        </label>
        <input id="tr-start" className="input" type="datetime-local" value={form.start} onChange={(e) => set({ start: e.target.value })} />
        <label className="field-label">Seed</label>
        <Num label="Seed" value={form.seed} onChange={(seed) => set({ seed })} />
      </div>
      {startIso ? (
        <div className="field-hint" data-testid="tr-start-zone">
          {formatInZone(startIso, zone)}, journey time ({zone})
          {zoneAbbreviation(here, Date.parse(startIso)) !== zoneAbbreviation(zone, Date.parse(startIso))
            ? `; ${formatInZone(startIso, here)} on this computer`
            : ""}
          . Each contact's calls then follow quiet time in the contact's own zone.
        </div>
      ) : null}
    </fieldset>
  );
}
