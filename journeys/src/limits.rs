//! The bounds of a journey's fields, for editors to check input as it is typed. They are the
//! constants the validator applies, so a field and its diagnostic never disagree.

use serde::Serialize;

use crate::document::{Duration, DurationUnit};
use crate::simulate::MAX_CONTACTS;
use crate::validate::{MAX_NAME_CHARS, MAX_WAIT_MINUTES, minutes};

/// Field bounds, exported to the UI's bindings as a constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    /// Longest journey, tile or branch name, in characters.
    pub name_max_chars: u32,
    /// Longest wait (a wait-time tile, a trigger wait's time limit), in each unit.
    pub wait_max: PerUnit,
    /// Largest repeat interval of a repeating segment journey.
    pub repeat_every_max: u32,
    /// Most contacts in a test run.
    pub test_run_max_contacts: u32,
}

/// A whole number of each duration unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PerUnit {
    /// Minutes.
    pub minutes: i64,
    /// Hours.
    pub hours: i64,
    /// Days.
    pub days: i64,
    /// Weeks.
    pub weeks: i64,
}

/// The bounds this build of the validator applies.
pub fn limits() -> Limits {
    let most = |unit| MAX_WAIT_MINUTES / minutes(Duration { amount: 1, unit });
    Limits {
        name_max_chars: u32::try_from(MAX_NAME_CHARS).unwrap_or(u32::MAX),
        wait_max: PerUnit {
            minutes: most(DurationUnit::Minutes),
            hours: most(DurationUnit::Hours),
            days: most(DurationUnit::Days),
            weeks: most(DurationUnit::Weeks),
        },
        repeat_every_max: u32::MAX,
        test_run_max_contacts: MAX_CONTACTS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_of_the_largest_amount_is_accepted_and_one_more_is_too_long() {
        let l = limits();
        assert_eq!(l.name_max_chars, 150);
        assert_eq!(
            (
                l.wait_max.minutes,
                l.wait_max.hours,
                l.wait_max.days,
                l.wait_max.weeks
            ),
            (129_600, 2_160, 90, 12)
        );
        for (unit, most) in [
            (DurationUnit::Minutes, l.wait_max.minutes),
            (DurationUnit::Hours, l.wait_max.hours),
            (DurationUnit::Days, l.wait_max.days),
            (DurationUnit::Weeks, l.wait_max.weeks),
        ] {
            let amount = i32::try_from(most).expect("fits");
            assert!(minutes(Duration { amount, unit }) <= MAX_WAIT_MINUTES);
            assert!(
                minutes(Duration {
                    amount: amount + 1,
                    unit
                }) > MAX_WAIT_MINUTES
            );
        }
    }
}
