//! Voice conversation rules: engagement, send-to, compliance profile, purpose, topic, quiet
//! time, and the D18 warnings.

use crate::catalog::{
    ComplianceProfile, DialMode, EnforcementModel, EngagementChannel, LedBy, Purpose, PurposeType,
    QuietTimeSetting,
};
use crate::document::{Channel, QuietTimeOption, Tile, VoiceConversationTile, WaitCondition};

use super::graph::{Graph, index};
use super::{Code, Ctx};

pub(super) fn check_tile(ctx: &mut Ctx<'_>, graph: &Graph<'_>, i: usize, tile: &Tile) {
    let Tile::VoiceConversation(voice) = tile else {
        return;
    };
    let engagement = check_engagement(ctx, i, voice);
    if voice.send_to.is_none() {
        ctx.tile_problem(
            i,
            Code::VoiceSendToMissing,
            Some("sendTo".to_owned()),
            "Choose the contact's phone field to call (Send to).".to_owned(),
        );
    }
    let profile = check_profile(ctx, i, voice);
    let purpose = profile.and_then(|p| check_purpose(ctx, i, voice, p));
    let setting = check_quiet_time(ctx, i, voice, profile);

    if let Some(purpose) = purpose
        && purpose.purpose_type == PurposeType::Commercial
    {
        if let Some(engagement) = engagement {
            let automated = engagement.led_by == LedBy::Ai
                || matches!(
                    engagement.dial_mode,
                    DialMode::Progressive | DialMode::Predictive
                );
            if automated {
                let how = if engagement.led_by == LedBy::Ai {
                    "is led by an AI agent"
                } else {
                    "dials automatically (progressive or predictive)"
                };
                ctx.tile_problem(
                    i,
                    Code::VoiceCommercialAutomatedDialMode,
                    Some("engagementId".to_owned()),
                    format!(
                        "Engagement \"{}\" {how}, and purpose \"{}\" is commercial: automated sales calls break the contact center's terms and may break telemarketing law (e.g. TCPA). Use a representative-led preview engagement or a transactional purpose.",
                        engagement.name, purpose.name
                    ),
                );
            }
        }
        if purpose.enforcement.for_channel(Channel::Voice) == EnforcementModel::Disabled {
            ctx.tile_problem(
                i,
                Code::VoiceCommercialConsentDisabled,
                Some("purposeId".to_owned()),
                format!(
                    "Purpose \"{}\" is commercial but does not check voice consent: contacts are called without an opt-in.",
                    purpose.name
                ),
            );
        }
    }

    let mut followed = false;
    for edge in graph.out_edges(index(i)) {
        let to = edge.to as usize;
        let Tile::WaitForTrigger(wait) = &ctx.journey.tiles[to] else {
            continue;
        };
        if !matches!(&wait.condition, Some(WaitCondition::PreviousMessage { tile_id: Some(t) }) if *t == voice.id)
        {
            continue;
        }
        followed = true;
        // D18: a time limit shorter than the longest quiet stretch sends held contacts down
        // Other (or Blocked) although a window would have opened.
        if let (Some(setting), Some(purpose), Some(limit)) = (
            setting,
            purpose,
            wait.time_limit
                .and_then(|l| l.to_chrono())
                .filter(|l| *l > chrono::Duration::zero()),
        ) {
            let stretch = ctx
                .catalog
                .longest_voice_quiet_stretch(setting, purpose.purpose_type);
            if limit < stretch {
                ctx.tile_problem(
                    to,
                    Code::WaitTimeLimitShorterThanQuietTime,
                    Some("timeLimit".to_owned()),
                    format!(
                        "Quiet time \"{}\" can stay closed for {} in a row, longer than this {} time limit: contacts held then are blocked instead of called. Make the limit at least that long.",
                        setting.name,
                        describe_stretch(stretch),
                        describe_stretch(limit),
                    ),
                );
            }
        }
    }
    if !followed {
        ctx.tile_problem(
            i,
            Code::VoiceNotFollowedByWait,
            None,
            "Follow this tile directly with a wait for trigger on its interactions (attempted, not attempted, blocked); otherwise the journey cannot react to how the call went.".to_owned(),
        );
    }
}

fn check_engagement<'a>(
    ctx: &mut Ctx<'a>,
    i: usize,
    voice: &VoiceConversationTile,
) -> Option<&'a crate::catalog::Engagement> {
    let path = || Some("engagementId".to_owned());
    let Some(id) = voice
        .engagement_id
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    else {
        ctx.tile_problem(
            i,
            Code::VoiceEngagementMissing,
            path(),
            "Choose the conversation (a contact center engagement) this tile calls with."
                .to_owned(),
        );
        return None;
    };
    let Some(engagement) = ctx.catalog.engagement(id) else {
        ctx.tile_problem(
            i,
            Code::VoiceEngagementUnknown,
            path(),
            format!(
                "Engagement \"{id}\" is not in the catalog; it may have been deleted. Choose another conversation."
            ),
        );
        return None;
    };
    if engagement.channel != EngagementChannel::Voice {
        ctx.tile_problem(
            i,
            Code::VoiceEngagementNotVoice,
            path(),
            format!(
                "Engagement \"{}\" sends text messages, not calls; choose a voice engagement.",
                engagement.name
            ),
        );
        return None;
    }
    if !engagement.active {
        ctx.tile_problem(
            i,
            Code::VoiceEngagementInactive,
            path(),
            format!(
                "Engagement \"{}\" is deactivated in the contact center; calls may not go out. Consider another conversation.",
                engagement.name
            ),
        );
    }
    Some(engagement)
}

fn check_profile<'a>(
    ctx: &mut Ctx<'a>,
    i: usize,
    voice: &VoiceConversationTile,
) -> Option<&'a ComplianceProfile> {
    let path = || Some("complianceProfileId".to_owned());
    let Some(id) = voice
        .compliance_profile_id
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    else {
        ctx.tile_problem(
            i,
            Code::VoiceProfileMissing,
            path(),
            "Choose the compliance profile whose consent and quiet times apply to these calls."
                .to_owned(),
        );
        return None;
    };
    let profile = ctx.catalog.profile(id);
    if profile.is_none() {
        ctx.tile_problem(
            i,
            Code::VoiceProfileUnknown,
            path(),
            format!("Compliance profile \"{id}\" is not in the catalog. Choose another profile."),
        );
    }
    profile
}

fn check_purpose<'a>(
    ctx: &mut Ctx<'_>,
    i: usize,
    voice: &VoiceConversationTile,
    profile: &'a ComplianceProfile,
) -> Option<&'a Purpose> {
    let path = || Some("purposeId".to_owned());
    let Some(id) = voice.purpose_id.as_deref().filter(|s| !s.trim().is_empty()) else {
        ctx.tile_problem(
            i,
            Code::VoicePurposeMissing,
            path(),
            format!(
                "Choose the purpose of these calls, one of profile \"{}\"'s purposes.",
                profile.name
            ),
        );
        return None;
    };
    let Some(purpose) = profile.purpose(id) else {
        ctx.tile_problem(
            i,
            Code::VoicePurposeNotInProfile,
            path(),
            format!(
                "Purpose \"{id}\" is not part of compliance profile \"{}\"; choose one of its purposes.",
                profile.name
            ),
        );
        return None;
    };
    if purpose.purpose_type == PurposeType::Tracking {
        ctx.tile_problem(
            i,
            Code::VoiceTrackingPurposeNotAllowed,
            path(),
            format!(
                "Purpose \"{}\" is for tracking consent and cannot be used for calls; choose a commercial or transactional purpose.",
                purpose.name
            ),
        );
    }
    if let Some(topic) = voice.topic_id.as_deref().filter(|s| !s.trim().is_empty())
        && purpose.topic(topic).is_none()
    {
        ctx.tile_problem(
            i,
            Code::VoiceTopicNotInPurpose,
            Some("topicId".to_owned()),
            if purpose.topics.is_empty() {
                format!(
                    "Purpose \"{}\" has no topics; clear the topic \"{topic}\".",
                    purpose.name
                )
            } else {
                format!(
                    "Topic \"{topic}\" is not a topic of purpose \"{}\"; choose one of its topics or none.",
                    purpose.name
                )
            },
        );
    }
    Some(purpose)
}

/// Checks the quiet-time option; returns the setting that applies, if one does.
fn check_quiet_time<'a>(
    ctx: &mut Ctx<'a>,
    i: usize,
    voice: &VoiceConversationTile,
    profile: Option<&'a ComplianceProfile>,
) -> Option<&'a QuietTimeSetting> {
    match &voice.quiet_time {
        None => {
            ctx.tile_problem(
                i,
                Code::VoiceQuietTimeMissing,
                Some("quietTime".to_owned()),
                "Choose which quiet time applies: the compliance profile's, another setting, or none."
                    .to_owned(),
            );
            None
        }
        Some(QuietTimeOption::Override { setting_id }) => {
            match setting_id.as_deref().filter(|s| !s.trim().is_empty()) {
                None => {
                    ctx.tile_problem(
                        i,
                        Code::VoiceQuietTimeSettingMissing,
                        Some("quietTime.settingId".to_owned()),
                        "Choose the quiet-time setting to use instead of the profile's.".to_owned(),
                    );
                    None
                }
                Some(id) => {
                    let setting = ctx.catalog.setting(id);
                    if setting.is_none() {
                        ctx.tile_problem(
                            i,
                            Code::VoiceQuietTimeSettingUnknown,
                            Some("quietTime.settingId".to_owned()),
                            format!(
                                "Quiet-time setting \"{id}\" is not in the catalog. Choose another."
                            ),
                        );
                    }
                    setting
                }
            }
        }
        Some(QuietTimeOption::Inherit) => {
            let profile = profile?;
            match profile.quiet_time_setting_id.as_deref() {
                None => {
                    ctx.tile_problem(
                        i,
                        Code::VoiceWithoutQuietTime,
                        Some("quietTime".to_owned()),
                        format!(
                            "Compliance profile \"{}\" has no quiet-time setting, so calls may go out at any hour. Choose a quiet-time setting for this tile.",
                            profile.name
                        ),
                    );
                    None
                }
                Some(id) => {
                    let setting = ctx.catalog.setting(id);
                    if setting.is_none() {
                        ctx.tile_problem(
                            i,
                            Code::VoiceQuietTimeSettingUnknown,
                            Some("quietTime".to_owned()),
                            format!(
                                "Compliance profile \"{}\" uses quiet-time setting \"{id}\", which is not in the catalog. Choose another setting for this tile.",
                                profile.name
                            ),
                        );
                    }
                    setting
                }
            }
        }
        Some(QuietTimeOption::None) => {
            ctx.tile_problem(
                i,
                Code::VoiceWithoutQuietTime,
                Some("quietTime".to_owned()),
                "Quiet time is off for this tile, so calls may go out at any hour (consent is still checked).".to_owned(),
            );
            None
        }
    }
}

/// "3 days 11 hours", "45 minutes": how long a stretch of time is, for a marketer.
fn describe_stretch(d: chrono::Duration) -> String {
    if d == chrono::Duration::MAX {
        return "the whole week".to_owned();
    }
    let minutes = d.num_minutes();
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    let mut parts = Vec::new();
    for (n, unit) in [(days, "day"), (hours, "hour"), (mins, "minute")] {
        if n > 0 {
            parts.push(format!("{n} {unit}{}", if n == 1 { "" } else { "s" }));
        }
    }
    if parts.is_empty() {
        "less than a minute".to_owned()
    } else {
        parts.join(" ")
    }
}
