//! RRULE values (RFC 5545 §3.3.10) as a typed, serialisable struct, with a
//! strict parser and a writer that gives back an equivalent rule.

use chrono::Weekday;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::event::EventTime;
use crate::ics::value::{RawTime, parse_time};

/// Error parsing an RRULE value. The message names the rule part.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RuleError {
    #[error("RRULE part {part:?} is not NAME=VALUE")]
    Malformed { part: String },
    #[error("RRULE has no FREQ")]
    MissingFrequency,
    #[error("RRULE has an invalid {name} value {value:?}")]
    InvalidValue { name: String, value: String },
    #[error("RRULE sets both COUNT and UNTIL")]
    CountAndUntil,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Frequency {
    Secondly,
    Minutely,
    Hourly,
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

impl Frequency {
    /// Returns the FREQ value as written in an RRULE.
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Secondly => "SECONDLY",
            Frequency::Minutely => "MINUTELY",
            Frequency::Hourly => "HOURLY",
            Frequency::Daily => "DAILY",
            Frequency::Weekly => "WEEKLY",
            Frequency::Monthly => "MONTHLY",
            Frequency::Yearly => "YEARLY",
        }
    }
}

/// A BYDAY entry: a weekday, optionally the n-th in the month or year (`-1SU`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WeekdayNum {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordinal: Option<i16>,
    pub weekday: Weekday,
}

/// One RRULE.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RecurrenceRule {
    pub frequency: Frequency,
    #[serde(default = "one")]
    pub interval: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// Last allowed start: a date, a UTC time or a floating time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<EventTime>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_second: Vec<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_minute: Vec<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_hour: Vec<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_day: Vec<WeekdayNum>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_month_day: Vec<i8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_year_day: Vec<i16>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_week_no: Vec<i8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_month: Vec<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_set_pos: Vec<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub week_start: Option<Weekday>,
}

fn one() -> u16 {
    1
}

impl RecurrenceRule {
    /// Creates a rule with only a frequency (interval 1).
    pub fn new(frequency: Frequency) -> Self {
        RecurrenceRule {
            frequency,
            interval: 1,
            count: None,
            until: None,
            by_second: Vec::new(),
            by_minute: Vec::new(),
            by_hour: Vec::new(),
            by_day: Vec::new(),
            by_month_day: Vec::new(),
            by_year_day: Vec::new(),
            by_week_no: Vec::new(),
            by_month: Vec::new(),
            by_set_pos: Vec::new(),
            week_start: None,
        }
    }

    /// Parses an RRULE value such as `FREQ=WEEKLY;UNTIL=20120703T080000Z;BYDAY=TU`.
    pub fn parse(text: &str) -> Result<Self, RuleError> {
        let mut frequency = None;
        let mut rule = RecurrenceRule::new(Frequency::Daily);
        for part in text.trim().split(';').filter(|part| !part.is_empty()) {
            let (name, value) = part.split_once('=').ok_or_else(|| RuleError::Malformed {
                part: part.to_owned(),
            })?;
            let name = name.trim().to_ascii_uppercase();
            let value = value.trim();
            let invalid = || RuleError::InvalidValue {
                name: name.clone(),
                value: value.to_owned(),
            };
            match name.as_str() {
                "FREQ" => frequency = Some(parse_frequency(value).ok_or_else(invalid)?),
                "INTERVAL" => {
                    rule.interval = value.parse().ok().filter(|&n| n > 0).ok_or_else(invalid)?
                }
                "COUNT" => rule.count = Some(value.parse().ok().ok_or_else(invalid)?),
                "UNTIL" => {
                    let until = match parse_time(value, None).ok_or_else(invalid)? {
                        RawTime::Date(date) => EventTime::Date { date },
                        RawTime::Local(local) => EventTime::Floating { local },
                        RawTime::Utc(instant) => EventTime::Utc { instant },
                    };
                    rule.until = Some(until);
                }
                "BYSECOND" => rule.by_second = parse_list(value, 0..=60).ok_or_else(invalid)?,
                "BYMINUTE" => rule.by_minute = parse_list(value, 0..=59).ok_or_else(invalid)?,
                "BYHOUR" => rule.by_hour = parse_list(value, 0..=23).ok_or_else(invalid)?,
                "BYDAY" => {
                    rule.by_day = value
                        .split(',')
                        .map(parse_weekday_num)
                        .collect::<Option<_>>()
                        .ok_or_else(invalid)?
                }
                "BYMONTHDAY" => {
                    rule.by_month_day = parse_signed_list(value, 31).ok_or_else(invalid)?
                }
                "BYYEARDAY" => {
                    rule.by_year_day = parse_signed_list(value, 366).ok_or_else(invalid)?
                }
                "BYWEEKNO" => rule.by_week_no = parse_signed_list(value, 53).ok_or_else(invalid)?,
                "BYMONTH" => rule.by_month = parse_list(value, 1..=12).ok_or_else(invalid)?,
                "BYSETPOS" => {
                    rule.by_set_pos = parse_signed_list(value, 366).ok_or_else(invalid)?
                }
                "WKST" => rule.week_start = Some(parse_weekday(value).ok_or_else(invalid)?),
                // Unknown or extension parts (RSCALE, SKIP, X-…) are ignored.
                _ => {}
            }
        }
        rule.frequency = frequency.ok_or(RuleError::MissingFrequency)?;
        if rule.count.is_some() && rule.until.is_some() {
            return Err(RuleError::CountAndUntil);
        }
        Ok(rule)
    }
}

impl std::fmt::Display for RecurrenceRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FREQ={}", self.frequency.as_str())?;
        if self.interval != 1 {
            write!(f, ";INTERVAL={}", self.interval)?;
        }
        if let Some(count) = self.count {
            write!(f, ";COUNT={count}")?;
        }
        if let Some(until) = &self.until {
            let text = match until {
                EventTime::Date { date } => date.format("%Y%m%d").to_string(),
                EventTime::Utc { instant } => instant.format("%Y%m%dT%H%M%SZ").to_string(),
                other => other.naive_local().format("%Y%m%dT%H%M%S").to_string(),
            };
            write!(f, ";UNTIL={text}")?;
        }
        write_list(f, "BYSECOND", &self.by_second)?;
        write_list(f, "BYMINUTE", &self.by_minute)?;
        write_list(f, "BYHOUR", &self.by_hour)?;
        if !self.by_day.is_empty() {
            let days: Vec<String> = self
                .by_day
                .iter()
                .map(|day| match day.ordinal {
                    Some(n) => format!("{n}{}", weekday_code(day.weekday)),
                    None => weekday_code(day.weekday).to_owned(),
                })
                .collect();
            write!(f, ";BYDAY={}", days.join(","))?;
        }
        write_list(f, "BYMONTHDAY", &self.by_month_day)?;
        write_list(f, "BYYEARDAY", &self.by_year_day)?;
        write_list(f, "BYWEEKNO", &self.by_week_no)?;
        write_list(f, "BYMONTH", &self.by_month)?;
        write_list(f, "BYSETPOS", &self.by_set_pos)?;
        if let Some(day) = self.week_start {
            write!(f, ";WKST={}", weekday_code(day))?;
        }
        Ok(())
    }
}

fn write_list<T: std::fmt::Display>(
    f: &mut std::fmt::Formatter<'_>,
    name: &str,
    values: &[T],
) -> std::fmt::Result {
    if values.is_empty() {
        return Ok(());
    }
    let joined: Vec<String> = values.iter().map(ToString::to_string).collect();
    write!(f, ";{name}={}", joined.join(","))
}

fn parse_frequency(value: &str) -> Option<Frequency> {
    Some(match value.to_ascii_uppercase().as_str() {
        "SECONDLY" => Frequency::Secondly,
        "MINUTELY" => Frequency::Minutely,
        "HOURLY" => Frequency::Hourly,
        "DAILY" => Frequency::Daily,
        "WEEKLY" => Frequency::Weekly,
        "MONTHLY" => Frequency::Monthly,
        "YEARLY" => Frequency::Yearly,
        _ => return None,
    })
}

fn parse_list<T: std::str::FromStr + PartialOrd>(
    value: &str,
    range: std::ops::RangeInclusive<T>,
) -> Option<Vec<T>> {
    value
        .split(',')
        .map(|item| item.trim().parse().ok().filter(|n| range.contains(n)))
        .collect()
}

fn parse_signed_list<T>(value: &str, max: i16) -> Option<Vec<T>>
where
    T: TryFrom<i16>,
{
    value
        .split(',')
        .map(|item| {
            let n: i16 = item.trim().parse().ok()?;
            if n == 0 || n.abs() > max {
                return None;
            }
            T::try_from(n).ok()
        })
        .collect()
}

fn parse_weekday(code: &str) -> Option<Weekday> {
    Some(match code.trim().to_ascii_uppercase().as_str() {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

fn parse_weekday_num(text: &str) -> Option<WeekdayNum> {
    let text = text.trim();
    if text.len() < 2 || !text.is_char_boundary(text.len() - 2) {
        return None;
    }
    let (number, code) = text.split_at(text.len() - 2);
    let weekday = parse_weekday(code)?;
    let ordinal = if number.is_empty() {
        None
    } else {
        let n: i16 = number.trim_start_matches('+').parse().ok()?;
        if n == 0 || n.abs() > 53 {
            return None;
        }
        Some(n)
    };
    Some(WeekdayNum { ordinal, weekday })
}

/// Two-letter iCalendar code of a weekday.
pub fn weekday_code(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_write_round_trip() {
        for text in [
            "FREQ=WEEKLY;UNTIL=20120703T080000Z;BYDAY=TU",
            "FREQ=DAILY;COUNT=1",
            "FREQ=MONTHLY;BYDAY=1TU",
            "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
            "FREQ=YEARLY;BYDAY=SU;BYMONTHDAY=21,22,23,24,25,26,27;BYMONTH=10",
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;WKST=SU",
        ] {
            let rule = RecurrenceRule::parse(text).unwrap();
            assert_eq!(rule.to_string(), text);
        }
    }

    #[test]
    fn parse_accepts_parts_in_any_order() {
        let rule = RecurrenceRule::parse("BYDAY=1SU;INTERVAL=1;FREQ=YEARLY;BYMONTH=4").unwrap();
        assert_eq!(rule.frequency, Frequency::Yearly);
        assert_eq!(rule.by_month, vec![4]);
    }

    #[test]
    fn parse_rejects_bad_values() {
        assert_eq!(
            RecurrenceRule::parse("BYDAY=MO"),
            Err(RuleError::MissingFrequency)
        );
        assert!(RecurrenceRule::parse("FREQ=FORTNIGHTLY").is_err());
        assert!(RecurrenceRule::parse("FREQ=DAILY;INTERVAL=0").is_err());
        assert!(RecurrenceRule::parse("FREQ=DAILY;BYMONTH=13").is_err());
        assert!(RecurrenceRule::parse("FREQ=DAILY;BYDAY=0MO").is_err());
        assert!(RecurrenceRule::parse("FREQ=DAILY;COUNT=2;UNTIL=20200101").is_err());
        assert!(RecurrenceRule::parse("FREQ=DAILY;BYDAY=é").is_err());
    }
}
