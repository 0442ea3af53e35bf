//! The injected clock: every time read in the runtime goes through [`Clock`].

use std::sync::Mutex;
use std::time::Instant;

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

    /// How long an engine that keeps real time (Restate's delayed calls) must wait for `span`
    /// of this clock's time to pass. Every delay the Restate engine hands to the cluster goes
    /// through here, so a [`ScaledClock`] speeds its timers up with its own time.
    fn real_delay(&self, span: chrono::Duration) -> std::time::Duration {
        span.to_std().unwrap_or_default()
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

/// Real time sped up: reads `origin` when created, then runs `factor` times as fast, and
/// asks for real delays `factor` times shorter.
///
/// For the Restate engine under test: its timers are real delayed calls in the cluster, so
/// the virtual clock's jump to the next timer cannot work there; at a factor of 100,000 a
/// three-day wait takes 2.6 real seconds, and the 21-day pause limit 18. The clock and the
/// delays it asks for stay consistent, so a run waking from a timer reads the time the timer
/// was set for (or a little after it, as with the real clock).
#[derive(Debug)]
pub struct ScaledClock {
    origin: DateTime<Utc>,
    started: Instant,
    factor: u32,
}

impl ScaledClock {
    /// A clock reading `origin` now and running `factor` (at least 1) times as fast.
    pub fn new(origin: DateTime<Utc>, factor: u32) -> Self {
        ScaledClock {
            origin,
            started: Instant::now(),
            factor: factor.max(1),
        }
    }
}

impl Clock for ScaledClock {
    fn now(&self) -> DateTime<Utc> {
        let elapsed = self.started.elapsed() * self.factor;
        self.origin + chrono::Duration::from_std(elapsed).unwrap_or(chrono::Duration::MAX)
    }

    fn real_delay(&self, span: chrono::Duration) -> std::time::Duration {
        span.to_std().unwrap_or_default() / self.factor
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_scaled_clock_runs_fast_and_shortens_its_delays_alike() {
        let origin = Utc.with_ymd_and_hms(2026, 11, 23, 14, 0, 0).unwrap();
        let clock = ScaledClock::new(origin, 3_600);
        assert_eq!(
            clock.real_delay(chrono::Duration::hours(2)),
            std::time::Duration::from_secs(2)
        );
        let before = clock.now();
        assert!(before >= origin);
        std::thread::sleep(std::time::Duration::from_millis(50));
        // 50 ms of real time is at least 180 s on this clock.
        assert!(clock.now() - before >= chrono::Duration::seconds(180));
        assert_eq!(
            SystemClock.real_delay(chrono::Duration::seconds(-5)),
            std::time::Duration::ZERO,
            "a past instant is due at once"
        );
    }
}
