//! The injected clock: every time read in the runtime goes through [`Clock`].

use std::sync::Mutex;

use chrono::{DateTime, Utc};

/// Where the runtime reads the time.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;

    /// Whether idle periods may be skipped by jumping to the next due instant.
    fn is_virtual(&self) -> bool {
        false
    }

    /// Move a virtual clock forward to `at` (never backwards); a real clock ignores it.
    fn advance_to(&self, at: DateTime<Utc>) {
        let _ = at;
    }
}

/// The machine's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[expect(
        clippy::disallowed_methods,
        reason = "the one place the runtime reads the real clock"
    )]
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still while work is due and jumps to the next timer when idle,
/// so a journey with three-day waits finishes in milliseconds.
#[derive(Debug)]
pub struct VirtualClock {
    now: Mutex<DateTime<Utc>>,
}

impl VirtualClock {
    /// A virtual clock reading `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        VirtualClock {
            now: Mutex::new(start),
        }
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> DateTime<Utc> {
        *self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn is_virtual(&self) -> bool {
        true
    }

    fn advance_to(&self, at: DateTime<Utc>) {
        let mut now = self
            .now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if at > *now {
            *now = at;
        }
    }
}
