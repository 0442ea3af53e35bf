// The "Audience" part of the test run form: made-up contacts, or contacts (and consent) from a file.
import { LIMITS, type ConsentStatus } from "../../ipc";
import { useApp } from "../../store/app-store";
import { ChooseFileButton } from "../FileMenu";
import { ImportWarnings } from "../ImportWarnings";
import { plural } from "./format";
import { MixRows, Num } from "./inputs";
import type { FileAudience, RunForm } from "./spec";

/** Paths the native dialog picked. */
export type PickedFiles = { contacts: string | null; consents: string | null };

/** The file's name, for the picker's label (the backend reads the path itself). */
function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

const CONSENT_WORDS: Record<ConsentStatus, string> = { optedIn: "Opted in", notSet: "Not set", optedOut: "Opted out" };

/** What was read from the file, and what the marketer should know before running it. */
function FileSummary({ file, zone, fresh }: { file: FileAudience; zone: string; fresh: boolean }) {
  const notes: string[] = [];
  if (file.consents.length === 0) notes.push("No consent records: every call that needs an opt-in will be blocked.");
  if (file.withoutPhone > 0)
    notes.push(
      `${plural(file.withoutPhone, "contact has", "contacts have")} no phone number: calls to ${file.withoutPhone === 1 ? "it" : "them"} are blocked.`,
    );
  if (file.withoutZone > 0) notes.push(`${plural(file.withoutZone, "contact has", "contacts have")} no time zone: the journey's (${zone}) applies.`);
  return (
    <div className="summary-box tr-file-summary" data-testid="tr-file-summary">
      <div className="summary-title">
        {plural(file.contacts.length, "contact")}
        {file.consents.length > 0 ? ` and ${plural(file.consents.length, "consent record")}` : ""} {fresh ? "read from" : "from"} {file.source}
        {fresh ? "" : " (as in the earlier run)"}
      </div>
      {notes.map((n) => (
        <div key={n} className="summary-line">
          {n}
        </div>
      ))}
    </div>
  );
}

/** A file field: the picked file's name and "Choose…" (the native dialog). */
function FileField({ label, path, testId, onPicked }: { label: string; path: string | null; testId: string; onPicked: (path: string) => void }) {
  return (
    <div className="tr-file-field">
      <span className="tr-file-name" data-testid={`${testId}-name`} title={path ?? undefined}>
        {path ? baseName(path) : <span className="muted">No file chosen</span>}
      </span>
      <ChooseFileButton title={`Choose the ${label}`} onPicked={onPicked} testId={testId} />
    </div>
  );
}

export function AudienceSection({
  form,
  set,
  running,
  zone,
  files,
  pickFile,
  reading,
  fileError,
}: {
  form: RunForm;
  set: (patch: Partial<RunForm>) => void;
  running: boolean;
  zone: string;
  files: PickedFiles;
  pickFile: (which: keyof PickedFiles, path: string) => Promise<void>;
  reading: boolean;
  fileError: string | null;
}) {
  const zones = useApp((s) => s.timeZones);
  return (
    <fieldset className="tr-section" disabled={running}>
      <legend>Audience</legend>
      <div className="segmented tr-audience">
        <button
          type="button"
          className={form.audience === "generated" ? "on" : ""}
          data-testid="tr-audience-generated"
          onClick={() => set({ audience: "generated" })}
        >
          Made-up contacts
        </button>
        <button type="button" className={form.audience === "file" ? "on" : ""} data-testid="tr-audience-file" onClick={() => set({ audience: "file" })}>
          Contacts from a file
        </button>
      </div>
      {form.audience === "generated" ? (
        <>
          <div className="tr-grid">
            <label className="field-label">Contacts</label>
            <Num label="Contacts" testId="tr-count" min={1} max={LIMITS.testRunMaxContacts} value={form.count} onChange={(count) => set({ count })} />
            <label className="field-label">Without a phone number (%)</label>
            <Num
              label="Without a phone number"
              min={0}
              max={100}
              value={form.missingPhonePercent}
              onChange={(missingPhonePercent) => set({ missingPhonePercent })}
            />
          </div>
          <div className="field-label">Time zones</div>
          <datalist id="tr-zones">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <MixRows
            rows={form.zones}
            input={{ kind: "text", list: "tr-zones", placeholder: "Time zone (empty: the journey's)" }}
            label="Time zone"
            onChange={(zones) => set({ zones })}
          />
          <div className="field-label">Consent</div>
          <div className="tr-consent">
            {(Object.keys(CONSENT_WORDS) as ConsentStatus[]).map((k) => (
              <label key={k} className="small">
                {CONSENT_WORDS[k]}
                <Num label={CONSENT_WORDS[k]} value={form.consent[k]} onChange={(n) => set({ consent: { ...form.consent, [k]: n } })} />
              </label>
            ))}
          </div>
        </>
      ) : (
        <div className="tr-files">
          <div className="tr-grid tr-file-grid">
            <span className="field-label">Contacts file</span>
            <FileField label="contacts file" path={files.contacts} testId="tr-contacts-file" onPicked={(path) => void pickFile("contacts", path)} />
            <span className="field-label">
              Consent file <span className="muted small">(optional)</span>
            </span>
            <FileField label="consent file" path={files.consents} testId="tr-consents-file" onPicked={(path) => void pickFile("consents", path)} />
          </div>
          <div className="field-hint">
            CSV or JSON, as <strong>Contacts…</strong> imports: columns id, mobilePhone, businessPhone, homePhone, timeZone, country, stateOrProvince (others
            become attributes); consent: contactPoint, channel, scope, scopeId, status, updatedAt.
          </div>
          {reading ? <div className="muted small">Reading…</div> : null}
          {fileError ? (
            <div className="banner banner-error small" data-testid="tr-file-error">
              {fileError}
            </div>
          ) : null}
          {form.file && !reading ? (
            <>
              <FileSummary file={form.file} zone={zone} fresh={files.contacts !== null} />
              <ImportWarnings warnings={form.file.warnings} />
            </>
          ) : null}
        </div>
      )}
    </fieldset>
  );
}
