// The voice conversation tile's inspector.
import { useEffect, useState } from "react";
import type { PhoneField, QuietTimeSummary, TileOf } from "../../ipc";
import { api } from "../../ipc";
import { Combobox, Field, Segmented, Select, type Option } from "../../components/fields";
import { useApp } from "../../store/app-store";
import { createBranchesAfterVoice } from "../../store/edits";
import { useJourney } from "../../store/journey-store";
import { NameField } from "./common";
import type { InspectorProps } from "./common";

const PHONE_LABEL: Record<PhoneField, string> = {
  mobilePhone: "Mobile phone",
  businessPhone: "Business phone",
  homePhone: "Home phone",
};

const DIAL_LABEL = { copilot: "Copilot", preview: "Preview", progressive: "Progressive", predictive: "Predictive" } as const;

function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric" });
}

export function VoiceInspector({ tile, doc, update }: InspectorProps<TileOf<"voiceConversation">>) {
  const catalog = useApp((s) => s.catalog);
  const edit = useJourney((s) => s.edit);
  const select = useJourney((s) => s.select);
  const engagements: Option[] = catalog.engagements
    .filter((e) => e.channel === "voice")
    .map((e) => ({
      value: e.id,
      label: e.name,
      detail: `${DIAL_LABEL[e.dialMode]} dialling · ${e.ledBy === "ai" ? "AI agent" : "Representative"} · created ${formatDate(e.created)}${e.active ? "" : " · inactive"}`,
      disabled: !e.active,
    }));
  const engagement = catalog.engagements.find((e) => e.id === tile.engagementId);
  const profiles = catalog.complianceProfiles;
  const profile = profiles.find((p) => p.id === tile.complianceProfileId);
  const purpose = profile?.purposes.find((p) => p.id === tile.purposeId);
  const qt = tile.quietTime ?? { mode: "inherit" as const };
  const [summary, setSummary] = useState<QuietTimeSummary | null>(null);
  useEffect(() => {
    let live = true;
    api.quietTimeSummary(doc, tile.id).then(
      (s) => live && setSummary(s),
      () => live && setSummary(null),
    );
    return () => {
      live = false;
    };
    // Only what decides the effective quiet time matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tile.id, tile.complianceProfileId, JSON.stringify(tile.quietTime), catalog]);
  const hasNext = doc.connections.some((c) => c.from === tile.id);

  return (
    <>
      <NameField tile={tile} update={update} placeholder="Voice conversation" />
      <Field label="Select conversation" path="engagementId">
        {(id) => (
          <Combobox
            id={id}
            testId="engagement-lookup"
            path="engagementId"
            value={tile.engagementId}
            options={engagements}
            placeholder="Search voice engagements…"
            onChange={(engagementId) => update((t) => ({ ...t, engagementId }))}
          />
        )}
      </Field>
      {engagement ? (
        <div className="info-card">
          <div className="info-title">{engagement.name}</div>
          <div className="info-row">
            <span className="pill">{DIAL_LABEL[engagement.dialMode]}</span>
            <span className="pill">{engagement.ledBy === "ai" ? "AI agent" : "Representative"}</span>
            <span className="muted">Created {formatDate(engagement.created)}</span>
          </div>
        </div>
      ) : null}
      <Field label="Send to" path="sendTo" hint="The contact's phone number to call">
        {(id) => (
          <Select
            id={id}
            path="sendTo"
            value={tile.sendTo}
            placeholder="Choose a phone field"
            options={(Object.keys(PHONE_LABEL) as PhoneField[]).map((p) => ({ value: p, label: PHONE_LABEL[p] }))}
            onChange={(v) => update((t) => ({ ...t, sendTo: v as PhoneField | null }))}
          />
        )}
      </Field>
      <Field label="Compliance profile" path="complianceProfileId">
        {(id) => (
          <Select
            id={id}
            path="complianceProfileId"
            value={tile.complianceProfileId}
            placeholder="Choose a compliance profile"
            options={profiles.map((p) => ({ value: p.id, label: p.active ? p.name : `${p.name} (inactive)`, disabled: !p.active }))}
            onChange={(v) => update((t) => ({ ...t, complianceProfileId: v, purposeId: null, topicId: null }))}
          />
        )}
      </Field>
      <Field label="Purpose" path="purposeId" hint={profile ? undefined : "Choose a compliance profile first"}>
        {(id) => (
          <Select
            id={id}
            path="purposeId"
            disabled={!profile}
            value={tile.purposeId}
            placeholder="Choose a purpose"
            options={(profile?.purposes ?? []).map((p) => ({
              value: p.id,
              label: `${p.name} · ${p.type}${p.active ? "" : " (inactive)"}`,
              disabled: !p.active,
            }))}
            onChange={(v) => update((t) => ({ ...t, purposeId: v, topicId: null }))}
          />
        )}
      </Field>
      {purpose && purpose.topics.length > 0 ? (
        <Field label="Topic" path="topicId">
          {(id) => (
            <Select
              id={id}
              path="topicId"
              value={tile.topicId}
              placeholder="Choose a topic"
              options={purpose.topics.map((t) => ({ value: t.id, label: t.name, disabled: !t.active }))}
              onChange={(v) => update((t) => ({ ...t, topicId: v }))}
            />
          )}
        </Field>
      ) : null}
      <Field label="Quiet time" path="quietTime" exactOnly>
        {() => (
          <div className="stack">
            <Segmented
              path="quietTime"
              value={qt.mode}
              options={[
                { value: "inherit", label: "Profile's" },
                { value: "override", label: "Another setting" },
                { value: "none", label: "Don't apply" },
              ]}
              onChange={(mode) =>
                update((t) => ({
                  ...t,
                  quietTime: mode === "override" ? { mode, settingId: null } : { mode },
                }))
              }
            />
            {qt.mode === "override" ? (
              <Field label="Quiet-time setting" path="quietTime.settingId">
                {(id) => (
                  <Select
                    id={id}
                    path="quietTime.settingId"
                    value={qt.settingId}
                    placeholder="Choose a quiet-time setting"
                    options={catalog.quietTimeSettings.map((s) => ({ value: s.id, label: s.name }))}
                    onChange={(settingId) => update((t) => ({ ...t, quietTime: { mode: "override", settingId } }))}
                  />
                )}
              </Field>
            ) : null}
            <div className="summary-box" data-testid="quiet-time-summary">
              {summary?.settingName ? <div className="summary-title">{summary.settingName}</div> : null}
              {(summary?.lines ?? []).map((l) => (
                <div key={l} className="summary-line">
                  {l}
                </div>
              ))}
            </div>
          </div>
        )}
      </Field>
      <div className="panel-actions">
        <button
          type="button"
          className="btn"
          disabled={hasNext}
          title={hasNext ? "This tile's output is already connected" : undefined}
          onClick={() => {
            edit((d) => createBranchesAfterVoice(d, tile.id));
            select(tile.id);
          }}
        >
          Create branches
        </button>
        <div className="field-hint">Adds a wait for Attempted, Not attempted and Blocked, 7 days.</div>
      </div>
    </>
  );
}
