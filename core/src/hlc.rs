//! Hybrid logical clock stamps for last-writer-wins fields.
//!
//! A stamp is wall-clock milliseconds, a counter for events within the same
//! millisecond (or while the wall clock lags a stamp already seen), and the id of
//! the device that made it. Stamps order totally, so two devices that edited the
//! same field offline agree on which edit wins without talking to each other.
//! They are stored as fixed-width text, so text order is stamp order.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One stamp: `{millis:013x}-{counter:06x}-{node}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Stamp(String);

impl Stamp {
    fn new(millis: u64, counter: u32, node: &str) -> Self {
        Stamp(format!("{millis:013x}-{counter:06x}-{node}"))
    }

    /// Parses a stored stamp; `None` when it is not in the expected form.
    pub fn parse(text: &str) -> Option<Stamp> {
        let mut parts = text.splitn(3, '-');
        let millis = parts.next().filter(|p| p.len() == 13)?;
        let counter = parts.next().filter(|p| p.len() == 6)?;
        let node = parts.next().filter(|p| !p.is_empty())?;
        u64::from_str_radix(millis, 16).ok()?;
        u32::from_str_radix(counter, 16).ok()?;
        Some(Stamp(format!("{millis}-{counter}-{node}")))
    }

    fn millis_counter(&self) -> (u64, u32) {
        let mut parts = self.0.splitn(3, '-');
        let millis = parts
            .next()
            .and_then(|p| u64::from_str_radix(p, 16).ok())
            .unwrap_or(0);
        let counter = parts
            .next()
            .and_then(|p| u32::from_str_radix(p, 16).ok())
            .unwrap_or(0);
        (millis, counter)
    }

    /// Returns the stamp text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A device's clock.
#[derive(Debug, Clone)]
pub struct Clock {
    node: String,
    last_millis: u64,
    counter: u32,
}

impl Clock {
    /// Creates a clock for device `node` that has already issued or seen `last`.
    pub fn new(node: &str, last: Option<&Stamp>) -> Self {
        let (last_millis, counter) = last.map(Stamp::millis_counter).unwrap_or((0, 0));
        Clock {
            node: node.to_string(),
            last_millis,
            counter,
        }
    }

    /// Issues a stamp later than every stamp issued or observed so far.
    pub fn now(&mut self) -> Stamp {
        self.tick(wall_millis())
    }

    fn tick(&mut self, wall: u64) -> Stamp {
        if wall > self.last_millis {
            self.last_millis = wall;
            self.counter = 0;
        } else {
            self.counter += 1;
        }
        Stamp::new(self.last_millis, self.counter, &self.node)
    }

    /// Moves the clock past a stamp received from another device.
    pub fn observe(&mut self, seen: &Stamp) {
        let (millis, counter) = seen.millis_counter();
        if (millis, counter) > (self.last_millis, self.counter) {
            self.last_millis = millis;
            self.counter = counter;
        }
    }
}

fn wall_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_increase_when_wall_clock_stalls() {
        let mut clock = Clock::new("a1", None);
        let first = clock.tick(1000);
        let second = clock.tick(1000);
        let third = clock.tick(999);
        assert!(first < second);
        assert!(second < third);
    }

    #[test]
    fn observing_a_later_stamp_moves_the_clock() {
        let mut ours = Clock::new("a1", None);
        let mut theirs = Clock::new("b2", None);
        let far = theirs.tick(5000);
        ours.observe(&far);
        let next = ours.tick(10);
        assert!(next > far);
    }

    #[test]
    fn parse_round_trips_and_rejects_garbage() {
        let stamp = Clock::new("node", None).tick(42);
        assert_eq!(Stamp::parse(stamp.as_str()), Some(stamp));
        assert_eq!(Stamp::parse("12-34"), None);
    }
}
