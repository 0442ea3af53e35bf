//! How simulated calls turn out: weighted mixes per engagement and a deterministic draw.
//!
//! The same (seed, key) always yields the same outcome, on every build and platform. The
//! runtime's contact-center simulator and the designer's test run both draw here, so a
//! call keyed `run:tile:1` turns out the same in both.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use specta::Type;

use crate::catalog::LIVE_ANSWER;

/// A value with a weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Weighted<T> {
    /// The value.
    pub value: T,
    /// Relative weight.
    pub weight: u32,
}

impl<T> Weighted<T> {
    /// A value with its weight.
    pub fn new(value: T, weight: u32) -> Self {
        Weighted { value, weight }
    }
}

fn w<T>(value: T, weight: u32) -> Weighted<T> {
    Weighted::new(value, weight)
}

/// How one engagement's calls turn out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct EngagementMix {
    /// Final results.
    pub results: Vec<Weighted<String>>,
    /// Disposition codes; `None` sets no code.
    pub disposition_codes: Vec<Weighted<Option<String>>>,
    /// Engagement variables and their values; a `null` value leaves the variable unset.
    pub variables: BTreeMap<String, Vec<Weighted<Value>>>,
    /// Seconds from dial to result, least and most.
    pub latency_seconds: (u32, u32),
}

impl Default for EngagementMix {
    fn default() -> Self {
        EngagementMix {
            results: vec![
                w(LIVE_ANSWER.into(), 40),
                w("NoAnswer".into(), 25),
                w("AnsweringMachine".into(), 15),
                w("CallFailed".into(), 5),
                w("InvalidAddress".into(), 10),
                w("Cancelled".into(), 5),
            ],
            disposition_codes: vec![
                w(None, 50),
                w(Some("Interested".into()), 30),
                w(Some("CallBackLater".into()), 20),
            ],
            variables: BTreeMap::from([(
                "Outcome".to_owned(),
                vec![
                    w(Value::from("Booked"), 30),
                    w(Value::from("Callback"), 30),
                    w(Value::from("NotInterested"), 40),
                ],
            )]),
            latency_seconds: (60, 1800),
        }
    }
}

/// One drawn call outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct CallOutcomeDraw {
    /// The final result value, e.g. `LiveAnswer`.
    pub result: String,
    /// Disposition codes set on the call.
    pub disposition_codes: Vec<String>,
    /// Engagement variables written back.
    pub variables: BTreeMap<String, Value>,
    /// Seconds from dial to result.
    pub latency_seconds: u32,
}

impl EngagementMix {
    /// The outcome of the call keyed `key` (the call's idempotency key) under `seed`.
    /// An empty result mix answers `LiveAnswer`. Disposition codes and variables are drawn
    /// only for a call a person answered: nobody writes them back after no answer, a machine
    /// or a bad number.
    pub fn draw(&self, seed: u64, key: &str) -> CallOutcomeDraw {
        let result = pick(&self.results, draw(seed, key, "result"))
            .cloned()
            .unwrap_or_else(|| LIVE_ANSWER.into());
        let answered = result == LIVE_ANSWER;
        let disposition_codes = if answered {
            pick(&self.disposition_codes, draw(seed, key, "disposition"))
                .cloned()
                .flatten()
                .into_iter()
                .collect()
        } else {
            Vec::new()
        };
        // A drawn `null` is "not set": the variable is not written back at all.
        let variables = if answered {
            self.variables
                .iter()
                .filter_map(|(name, values)| {
                    pick(values, draw(seed, key, name))
                        .filter(|v| !v.is_null())
                        .map(|v| (name.clone(), v.clone()))
                })
                .collect()
        } else {
            BTreeMap::new()
        };
        let (least, most) = self.latency_seconds;
        let span = u64::from(most.saturating_sub(least)) + 1;
        let latency = u64::from(least) + draw(seed, key, "latency") % span;
        CallOutcomeDraw {
            result,
            disposition_codes,
            variables,
            latency_seconds: u32::try_from(latency).unwrap_or(most),
        }
    }
}

/// A 64-bit number from (seed, key, salt): FNV-1a then the SplitMix64 finaliser. Stable
/// across builds and platforms, unlike std's hasher.
pub fn draw(seed: u64, key: &str, salt: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for b in key.bytes().chain([0]).chain(salt.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix64(h)
}

/// The SplitMix64 finaliser.
pub(crate) fn mix64(mut h: u64) -> u64 {
    h = h.wrapping_add(0x9e37_79b9_7f4a_7c15);
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// The item `roll` lands on, by weight; `None` when every weight is zero.
pub fn pick<T>(items: &[Weighted<T>], roll: u64) -> Option<&T> {
    let total: u64 = items.iter().map(|i| u64::from(i.weight)).sum();
    if total == 0 {
        return None;
    }
    let mut at = roll % total;
    for item in items {
        let weight = u64::from(item.weight);
        if at < weight {
            return Some(&item.value);
        }
        at -= weight;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_and_key_same_outcome_other_seed_differs_somewhere() {
        let mix = EngagementMix::default();
        assert_eq!(mix.draw(7, "r1:v1:1"), mix.draw(7, "r1:v1:1"));
        let differs = (0..50).any(|i| {
            let key = format!("r{i}:v1:1");
            mix.draw(7, &key) != mix.draw(8, &key)
        });
        assert!(differs);
    }

    #[test]
    fn only_answered_calls_carry_codes_and_variables() {
        let mix = EngagementMix {
            disposition_codes: vec![w(Some("Interested".into()), 1)],
            variables: BTreeMap::from([("Outcome".to_owned(), vec![w(Value::from("Booked"), 1)])]),
            ..EngagementMix::default()
        };
        let (mut answered, mut other) = (0, 0);
        for i in 0..400 {
            let call = mix.draw(3, &format!("r{i}:v:1"));
            if call.result == LIVE_ANSWER {
                answered += 1;
                assert_eq!(call.disposition_codes, ["Interested"]);
                assert_eq!(call.variables["Outcome"], "Booked");
            } else {
                other += 1;
                assert!(call.disposition_codes.is_empty(), "{call:?}");
                assert!(call.variables.is_empty(), "{call:?}");
            }
        }
        assert!(
            answered > 100 && other > 100,
            "{answered} answered, {other} not"
        );
    }

    #[test]
    fn zero_weights_pick_nothing_and_latency_stays_in_range() {
        assert_eq!(pick::<u8>(&[w(1, 0)], 5), None);
        let mix = EngagementMix {
            latency_seconds: (10, 20),
            ..EngagementMix::default()
        };
        for i in 0..200 {
            let l = mix.draw(1, &format!("k{i}")).latency_seconds;
            assert!((10..=20).contains(&l), "{l}");
        }
    }
}
