//! The contact center's final call results and the default attempted / not-attempted mapping.

use serde::{Deserialize, Serialize};
use specta::Type;

/// One final result the contact center can report, and what it means for a journey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResultEntry {
    /// The value as the contact center sends it, e.g. `LiveAnswer`.
    pub result: String,
    /// What the marketer reads, e.g. "Live answer".
    pub label: String,
    /// Whether a contact with this result takes "attempted" or "not attempted".
    pub outcome: CallOutcome,
    /// One sentence on what happened.
    #[serde(default)]
    pub description: String,
}

/// Whether the contact center really tried the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum CallOutcome {
    /// A dial reached the network; any failure is transient.
    Attempted,
    /// Nothing was dialled, or the network refused for a lasting reason.
    NotAttempted,
}

/// The result that means a person answered: only such calls carry the disposition codes and
/// engagement variables a representative or bot writes back.
pub const LIVE_ANSWER: &str = "LiveAnswer";

/// The domain reference's default mapping (decision D8). Values not listed map to
/// "not attempted".
pub fn default_result_mapping() -> Vec<ResultEntry> {
    use CallOutcome::{Attempted, NotAttempted};
    [
        (LIVE_ANSWER, "Live answer", Attempted, "A person answered."),
        (
            "AnsweringMachine",
            "Answering machine",
            Attempted,
            "A machine answered; the bot may leave a message.",
        ),
        (
            "AnsweringMachineHangup",
            "Answering machine, hung up",
            Attempted,
            "A machine answered; the bot hung up without a message.",
        ),
        (
            "Undetermined",
            "Undetermined",
            Attempted,
            "Answered, but no exchange with the bot.",
        ),
        (
            "NotAHandset",
            "Not a handset",
            Attempted,
            "A special-information or fax tone answered.",
        ),
        (
            "BotFailed",
            "Bot failed",
            Attempted,
            "The bot failed to start or dropped mid-call.",
        ),
        (
            "CallEnded",
            "Call ended",
            Attempted,
            "The call ended with no finer result.",
        ),
        (
            "NoAnswer",
            "No answer",
            Attempted,
            "It rang out, was declined, or was busy.",
        ),
        (
            "Busy",
            "Busy (legacy)",
            Attempted,
            "Busy; newer contact centers report No answer.",
        ),
        (
            "CallFailed",
            "Call failed",
            Attempted,
            "A transient network failure.",
        ),
        (
            "Abandoned",
            "Abandoned",
            Attempted,
            "Answered, but no representative came in time.",
        ),
        (
            "InvalidAddress",
            "Invalid number",
            NotAttempted,
            "The network refused the number as bad or unknown.",
        ),
        (
            "NonRetriableError",
            "Non-retriable error",
            NotAttempted,
            "The network refused for a protocol or set-up fault.",
        ),
        (
            "Terminated",
            "Terminated",
            NotAttempted,
            "No representative accepted before the window closed.",
        ),
        (
            "CSRCancelled",
            "Cancelled by representative",
            NotAttempted,
            "A representative accepted, then cancelled before dialling.",
        ),
        (
            "Cancelled",
            "Cancelled",
            NotAttempted,
            "Cancelled before dialling (policy or contact center opt-out).",
        ),
        (
            "Expired",
            "Expired",
            NotAttempted,
            "No usable calling window was left.",
        ),
        (
            "Error",
            "Error",
            NotAttempted,
            "Bad configuration or data; never dialled.",
        ),
        (
            "Unknown",
            "Unknown",
            NotAttempted,
            "Not enough information.",
        ),
    ]
    .into_iter()
    .map(|(result, label, outcome, description)| ResultEntry {
        result: result.to_owned(),
        label: label.to_owned(),
        outcome,
        description: description.to_owned(),
    })
    .collect()
}
