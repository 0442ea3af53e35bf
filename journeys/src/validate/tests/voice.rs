//! Voice conversation tiles.

use super::*;

// ---------------------------------------------------------------- voice

#[test]
fn voice_engagement_missing_unknown_not_voice_inactive() {
    let cases = [
        (None, Code::VoiceEngagementMissing),
        (Some("eng-gone"), Code::VoiceEngagementUnknown),
        (Some("eng-sms-reminders"), Code::VoiceEngagementNotVoice),
        (Some("eng-legacy-survey"), Code::VoiceEngagementInactive),
    ];
    for (engagement, code) in cases {
        let mut journey = renewal();
        voice(&mut journey, "call-retry").engagement_id = engagement.map(str::to_owned);
        fires(&journey, code, Some("call-retry"), Some("engagementId"));
        quiet(&renewal(), code);
    }
    let mut inactive = renewal();
    voice(&mut inactive, "call-retry").engagement_id = Some("eng-legacy-survey".to_owned());
    assert!(!has_errors(&validate(&inactive, &catalog())));
}

#[test]
fn voice_send_to_missing() {
    let mut journey = renewal();
    voice(&mut journey, "call-renewal").send_to = None;
    fires(
        &journey,
        Code::VoiceSendToMissing,
        Some("call-renewal"),
        Some("sendTo"),
    );
    quiet(&renewal(), Code::VoiceSendToMissing);
}

#[test]
fn voice_profile_missing_or_unknown() {
    let mut journey = renewal();
    voice(&mut journey, "call-renewal").compliance_profile_id = None;
    fires(
        &journey,
        Code::VoiceProfileMissing,
        Some("call-renewal"),
        Some("complianceProfileId"),
    );
    voice(&mut journey, "call-renewal").compliance_profile_id = Some("cp-gone".to_owned());
    fires(
        &journey,
        Code::VoiceProfileUnknown,
        Some("call-renewal"),
        Some("complianceProfileId"),
    );
    // A deactivated profile stays valid where used.
    voice(&mut journey, "call-renewal").compliance_profile_id = Some("cp-eu-retired".to_owned());
    voice(&mut journey, "call-renewal").purpose_id = Some("pur-eu-newsletters".to_owned());
    voice(&mut journey, "call-renewal").topic_id = None;
    quiet(&journey, Code::VoiceProfileUnknown);
    assert!(!has_errors(&validate(&journey, &catalog())));
}

#[test]
fn voice_purpose_missing_not_in_profile_or_tracking() {
    let mut journey = renewal();
    voice(&mut journey, "call-renewal").purpose_id = None;
    fires(
        &journey,
        Code::VoicePurposeMissing,
        Some("call-renewal"),
        Some("purposeId"),
    );
    voice(&mut journey, "call-renewal").purpose_id = Some("pur-appointments".to_owned());
    fires(
        &journey,
        Code::VoicePurposeNotInProfile,
        Some("call-renewal"),
        Some("purposeId"),
    );
    voice(&mut journey, "call-renewal").purpose_id = Some("pur-tracking".to_owned());
    voice(&mut journey, "call-renewal").topic_id = None;
    fires(
        &journey,
        Code::VoiceTrackingPurposeNotAllowed,
        Some("call-renewal"),
        Some("purposeId"),
    );
    let valid = renewal();
    for code in [
        Code::VoicePurposeMissing,
        Code::VoicePurposeNotInProfile,
        Code::VoiceTrackingPurposeNotAllowed,
    ] {
        quiet(&valid, code);
    }
}

#[test]
fn voice_topic_not_in_purpose() {
    let mut journey = renewal();
    voice(&mut journey, "call-renewal").topic_id = Some("top-reminders".to_owned());
    fires(
        &journey,
        Code::VoiceTopicNotInPurpose,
        Some("call-renewal"),
        Some("topicId"),
    );
    voice(&mut journey, "call-renewal").purpose_id = Some("pur-service".to_owned());
    let d = &with_code(&journey, Code::VoiceTopicNotInPurpose)[0];
    assert!(d.message.contains("has no topics"), "{}", d.message);
    voice(&mut journey, "call-renewal").topic_id = None;
    quiet(&journey, Code::VoiceTopicNotInPurpose);
}

#[test]
fn voice_quiet_time_missing_setting_missing_or_unknown() {
    let mut journey = renewal();
    voice(&mut journey, "call-renewal").quiet_time = None;
    fires(
        &journey,
        Code::VoiceQuietTimeMissing,
        Some("call-renewal"),
        Some("quietTime"),
    );
    voice(&mut journey, "call-renewal").quiet_time =
        Some(QuietTimeOption::Override { setting_id: None });
    fires(
        &journey,
        Code::VoiceQuietTimeSettingMissing,
        Some("call-renewal"),
        Some("quietTime.settingId"),
    );
    voice(&mut journey, "call-renewal").quiet_time = Some(QuietTimeOption::Override {
        setting_id: Some("qt-gone".to_owned()),
    });
    fires(
        &journey,
        Code::VoiceQuietTimeSettingUnknown,
        Some("call-renewal"),
        Some("quietTime.settingId"),
    );
    voice(&mut journey, "call-renewal").quiet_time = Some(QuietTimeOption::Override {
        setting_id: Some("qt-clinic".to_owned()),
    });
    assert_eq!(validate(&journey, &catalog()), Vec::new());
    // The profile's own setting missing from the catalog.
    let mut broken = catalog();
    broken.compliance_profiles[0].quiet_time_setting_id = Some("qt-gone".to_owned());
    let found: Vec<Diagnostic> = validate(&renewal(), &broken)
        .into_iter()
        .filter(|d| d.code == Code::VoiceQuietTimeSettingUnknown)
        .collect();
    assert_eq!(found.len(), 3, "every voice tile inheriting it: {found:#?}");
    assert_eq!(found[0].tile_id.as_deref(), Some("call-renewal"));
    assert_eq!(found[0].path.as_deref(), Some("quietTime"));
}

#[test]
fn voice_without_quiet_time_is_a_warning() {
    let mut journey = renewal();
    voice(&mut journey, "call-renewal").quiet_time = Some(QuietTimeOption::None);
    fires(
        &journey,
        Code::VoiceWithoutQuietTime,
        Some("call-renewal"),
        Some("quietTime"),
    );
    assert!(!has_errors(&validate(&journey, &catalog())));
    let mut no_setting = catalog();
    no_setting.compliance_profiles[0].quiet_time_setting_id = None;
    let all = validate(&renewal(), &no_setting);
    assert_eq!(
        all.iter()
            .filter(|d| d.code == Code::VoiceWithoutQuietTime)
            .count(),
        3,
        "every inheriting voice tile: {all:#?}"
    );
    quiet(&renewal(), Code::VoiceWithoutQuietTime);
}

#[test]
fn voice_commercial_with_automated_dialling_is_a_warning() {
    for engagement in ["eng-appointments-ai", "eng-winback-progressive"] {
        let mut journey = renewal();
        voice(&mut journey, "call-renewal").engagement_id = Some(engagement.to_owned());
        fires(
            &journey,
            Code::VoiceCommercialAutomatedDialMode,
            Some("call-renewal"),
            Some("engagementId"),
        );
        // The same engagement for a transactional purpose is fine.
        voice(&mut journey, "call-renewal").purpose_id = Some("pur-service".to_owned());
        voice(&mut journey, "call-renewal").topic_id = None;
        quiet(&journey, Code::VoiceCommercialAutomatedDialMode);
    }
}

#[test]
fn voice_commercial_with_consent_disabled_is_a_warning() {
    let mut lax = catalog();
    let purpose = &mut lax.compliance_profiles[0].purposes[0];
    assert_eq!(purpose.purpose_type, PurposeType::Commercial);
    purpose.enforcement.voice = EnforcementModel::Disabled;
    let mut journey = renewal();
    voice(&mut journey, "call-business").purpose_id = Some("pur-service".to_owned());
    voice(&mut journey, "call-business").topic_id = None;
    voice(&mut journey, "call-retry").purpose_id = Some("pur-service".to_owned());
    voice(&mut journey, "call-retry").topic_id = None;
    fires_with(
        &journey,
        &lax,
        Code::VoiceCommercialConsentDisabled,
        Some("call-renewal"),
        Some("purposeId"),
    );
    quiet_with(&journey, &catalog(), Code::VoiceCommercialConsentDisabled);
}

#[test]
fn voice_not_followed_directly_by_its_wait_is_a_warning() {
    let mut journey = renewal();
    // A wait watching another tile does not count.
    wait(&mut journey, "wait-business").condition = Some(WaitCondition::PreviousMessage {
        tile_id: Some("call-renewal".to_owned()),
    });
    fires(
        &journey,
        Code::VoiceNotFollowedByWait,
        Some("call-business"),
        None,
    );
    let mut journey = renewal();
    disconnect(&mut journey, "call-retry", OUTPUT_NEXT);
    fires(
        &journey,
        Code::VoiceNotFollowedByWait,
        Some("call-retry"),
        None,
    );
    quiet(&renewal(), Code::VoiceNotFollowedByWait);
}
