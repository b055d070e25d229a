//! Resolution of TZID parameters to Olson (IANA) time-zone names.
//!
//! Files name zones in many ways: Olson names (`Europe/Paris`), Olson names
//! behind a vendor prefix (Evolution's `/softwarestudio.org/Tzfile/…`),
//! Windows names from Outlook and Exchange (`Romance Standard Time`), and
//! private names defined only by a VTIMEZONE (`UTC+11`, `custom_Pacific/Fiji`).
//! Carnet stores an Olson name and computes offsets with the tz database
//! bundled in `chrono-tz`, so the VTIMEZONE rules themselves are not read,
//! except to use `X-LIC-LOCATION` or a fixed offset.

use chrono_tz::Tz;

use super::contentline::Component;
use super::value::parse_utc_offset;

/// Windows time-zone names and Outlook display names mapped to Olson names.
///
/// Source: Unicode CLDR `common/supplemental/windowsZones.xml`, the
/// `territory="001"` (default) mapping of each Windows zone. The display names
/// ("Canberra, Melbourne, Sydney") are those Outlook 2003 wrote as TZID.
const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("Dateline Standard Time", "Etc/GMT+12"),
    ("UTC-11", "Etc/GMT+11"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("Pacific Standard Time (Mexico)", "America/Tijuana"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Mountain Standard Time (Mexico)", "America/Mazatlan"),
    ("Mountain Standard Time", "America/Denver"),
    ("Central America Standard Time", "America/Guatemala"),
    ("Central Standard Time", "America/Chicago"),
    ("Central Standard Time (Mexico)", "America/Mexico_City"),
    ("Canada Central Standard Time", "America/Regina"),
    ("SA Pacific Standard Time", "America/Bogota"),
    ("Eastern Standard Time", "America/New_York"),
    ("US Eastern Standard Time", "America/Indianapolis"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("Venezuela Standard Time", "America/Caracas"),
    ("SA Western Standard Time", "America/La_Paz"),
    ("Pacific SA Standard Time", "America/Santiago"),
    ("Newfoundland Standard Time", "America/St_Johns"),
    ("E. South America Standard Time", "America/Sao_Paulo"),
    ("SA Eastern Standard Time", "America/Cayenne"),
    ("Argentina Standard Time", "America/Buenos_Aires"),
    ("Greenland Standard Time", "America/Godthab"),
    ("Montevideo Standard Time", "America/Montevideo"),
    ("UTC-02", "Etc/GMT+2"),
    ("Azores Standard Time", "Atlantic/Azores"),
    ("Cape Verde Standard Time", "Atlantic/Cape_Verde"),
    ("UTC", "Etc/UTC"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("Morocco Standard Time", "Africa/Casablanca"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("W. Central Africa Standard Time", "Africa/Lagos"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("Egypt Standard Time", "Africa/Cairo"),
    ("South Africa Standard Time", "Africa/Johannesburg"),
    ("FLE Standard Time", "Europe/Kiev"),
    ("Israel Standard Time", "Asia/Jerusalem"),
    ("Turkey Standard Time", "Europe/Istanbul"),
    ("Arab Standard Time", "Asia/Riyadh"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("E. Africa Standard Time", "Africa/Nairobi"),
    ("Iran Standard Time", "Asia/Tehran"),
    ("Arabian Standard Time", "Asia/Dubai"),
    ("Mauritius Standard Time", "Indian/Mauritius"),
    ("Pakistan Standard Time", "Asia/Karachi"),
    ("India Standard Time", "Asia/Calcutta"),
    ("Nepal Standard Time", "Asia/Katmandu"),
    ("Bangladesh Standard Time", "Asia/Dhaka"),
    ("SE Asia Standard Time", "Asia/Bangkok"),
    ("China Standard Time", "Asia/Shanghai"),
    ("Singapore Standard Time", "Asia/Singapore"),
    ("Taipei Standard Time", "Asia/Taipei"),
    ("W. Australia Standard Time", "Australia/Perth"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("Korea Standard Time", "Asia/Seoul"),
    ("Cen. Australia Standard Time", "Australia/Adelaide"),
    ("AUS Central Standard Time", "Australia/Darwin"),
    ("E. Australia Standard Time", "Australia/Brisbane"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("Tasmania Standard Time", "Australia/Hobart"),
    ("West Pacific Standard Time", "Pacific/Port_Moresby"),
    ("Central Pacific Standard Time", "Pacific/Guadalcanal"),
    ("New Zealand Standard Time", "Pacific/Auckland"),
    ("Fiji Standard Time", "Pacific/Fiji"),
    ("Tonga Standard Time", "Pacific/Tongatapu"),
    // Outlook 2003 display names.
    ("Canberra, Melbourne, Sydney", "Australia/Sydney"),
    ("Brussels, Copenhagen, Madrid, Paris", "Europe/Paris"),
    (
        "Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
        "Europe/Berlin",
    ),
    (
        "Greenwich Mean Time : Dublin, Edinburgh, Lisbon, London",
        "Europe/London",
    ),
    ("Eastern Time (US & Canada)", "America/New_York"),
    ("Pacific Time (US & Canada)", "America/Los_Angeles"),
];

/// Rule that resolved a TZID, reported with import warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    Olson,
    Prefixed,
    Windows,
    LicLocation,
    FixedOffset,
    /// Chosen from the standard and daylight offsets of the VTIMEZONE.
    Offsets,
}

/// Maps a Windows zone name (or an Outlook display name) to its Olson name.
pub fn windows_to_olson(name: &str) -> Option<&'static str> {
    let name = name.trim();
    let name = strip_utc_label(name);
    WINDOWS_ZONES
        .iter()
        .find(|(windows, _)| windows.eq_ignore_ascii_case(name))
        .map(|(_, olson)| *olson)
}

/// Drops an Outlook `(UTC+01:00) ` or `(GMT+01.00) ` prefix.
fn strip_utc_label(name: &str) -> &str {
    if (name.starts_with("(UTC") || name.starts_with("(GMT"))
        && let Some(close) = name.find(") ")
    {
        return &name[close + 2..];
    }
    name
}

/// Resolves a TZID to an Olson zone, using the file's VTIMEZONEs for
/// `X-LIC-LOCATION` and fixed offsets. Returns `None` when no rule applies.
/// A private TZID whose VTIMEZONE has daylight-saving rules and no
/// `X-LIC-LOCATION` is matched by its offsets (see [`ZONES_BY_OFFSETS`]), and
/// `None` is returned when no entry has them.
pub fn resolve(tzid: &str, timezones: &[&Component]) -> Option<(Tz, Resolution)> {
    let tzid = tzid.trim().trim_matches('"');
    if let Ok(zone) = tzid.parse::<Tz>() {
        return Some((zone, Resolution::Olson));
    }
    // `/softwarestudio.org/Tzfile/America/Chicago`, `/mozilla.org/20050126_1/Europe/Paris`.
    let mut rest = tzid;
    while let Some((_, tail)) = rest.split_once('/') {
        if let Ok(zone) = tail.parse::<Tz>() {
            return Some((zone, Resolution::Prefixed));
        }
        rest = tail;
    }
    if let Some(olson) = windows_to_olson(tzid)
        && let Ok(zone) = olson.parse()
    {
        return Some((zone, Resolution::Windows));
    }
    let definition = timezones.iter().find(|vtimezone| {
        vtimezone
            .property("TZID")
            .is_some_and(|p| p.value.trim().trim_matches('"') == tzid)
    })?;
    if let Some(location) = definition.property("X-LIC-LOCATION")
        && let Ok(zone) = location.value.trim().parse()
    {
        return Some((zone, Resolution::LicLocation));
    }
    if let Some(zone) = fixed_offset_zone(definition) {
        return Some((zone, Resolution::FixedOffset));
    }
    zone_from_offsets(definition).map(|zone| (zone, Resolution::Offsets))
}

/// Representative Olson zones by (standard, daylight) UTC offset in seconds,
/// for VTIMEZONEs with a private name, such as a localised Outlook name
/// ("(UTC+01:00) Bruxelles, Copenhague, Madrid, Paris").
/// NOTE: a zone is guessed from its offsets alone, so a zone whose DST dates
/// differ from the representative's (Morocco, Chile, Paraguay) gets wrong
/// times near its changes.
const ZONES_BY_OFFSETS: &[(i32, i32, &str)] = &[
    (0, 3600, "Europe/London"),
    (3600, 7200, "Europe/Paris"),
    (7200, 10800, "Europe/Athens"),
    (-14400, -10800, "America/Halifax"),
    (-18000, -14400, "America/New_York"),
    (-21600, -18000, "America/Chicago"),
    (-25200, -21600, "America/Denver"),
    (-28800, -25200, "America/Los_Angeles"),
    (-32400, -28800, "America/Anchorage"),
    (34200, 37800, "Australia/Adelaide"),
    (36000, 39600, "Australia/Sydney"),
    (43200, 46800, "Pacific/Auckland"),
];

/// Returns a representative Olson zone for a VTIMEZONE with one current
/// STANDARD and one current DAYLIGHT observance. The current observance of
/// each kind is the one with the latest DTSTART.
fn zone_from_offsets(definition: &Component) -> Option<Tz> {
    let latest_offset = |kind: &str| {
        definition
            .children
            .iter()
            .filter(|observance| observance.name == kind)
            .filter_map(|observance| {
                let start = observance.property("DTSTART")?.value.trim().to_owned();
                let offset = parse_utc_offset(&observance.property("TZOFFSETTO")?.value)?;
                Some((start, offset))
            })
            .max()
            .map(|(_, offset)| offset)
    };
    let standard = latest_offset("STANDARD")?;
    let daylight = latest_offset("DAYLIGHT")?;
    ZONES_BY_OFFSETS
        .iter()
        .find(|(std, dst, _)| *std == standard && *dst == daylight)
        .and_then(|(_, _, name)| name.parse().ok())
}

/// Returns `Etc/GMT±N` when every observance of the VTIMEZONE has the same
/// whole-hour TZOFFSETTO (a zone without daylight saving time).
fn fixed_offset_zone(definition: &Component) -> Option<Tz> {
    let mut offsets = definition
        .children
        .iter()
        .filter_map(|observance| observance.property("TZOFFSETTO"))
        .map(|p| parse_utc_offset(&p.value));
    let first = offsets.next()??;
    if offsets.any(|offset| offset != Some(first)) || first % 3600 != 0 {
        return None;
    }
    let hours = first / 3600;
    // Etc/GMT signs are inverted: Etc/GMT-11 is UTC+11.
    let name = match hours {
        0 => "Etc/UTC".to_owned(),
        h if h > 0 => format!("Etc/GMT-{h}"),
        h => format!("Etc/GMT+{}", -h),
    };
    name.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ics::contentline::parse_stream;

    #[test]
    fn windows_names_map_to_olson() {
        assert_eq!(
            windows_to_olson("Romance Standard Time"),
            Some("Europe/Paris")
        );
        assert_eq!(
            windows_to_olson("W. Europe Standard Time"),
            Some("Europe/Berlin")
        );
        assert_eq!(
            windows_to_olson("(UTC+01:00) Brussels, Copenhagen, Madrid, Paris"),
            Some("Europe/Paris")
        );
        assert_eq!(windows_to_olson("Nowhere Standard Time"), None);
    }

    #[test]
    fn every_table_entry_is_a_known_olson_zone() {
        for (windows, olson) in WINDOWS_ZONES {
            assert!(olson.parse::<Tz>().is_ok(), "{windows} -> {olson}");
        }
    }

    #[test]
    fn resolve_strips_vendor_prefix() {
        let (zone, how) = resolve("/softwarestudio.org/Tzfile/America/Chicago", &[]).unwrap();
        assert_eq!(zone, chrono_tz::America::Chicago);
        assert_eq!(how, Resolution::Prefixed);
    }

    #[test]
    fn resolve_uses_fixed_offset_vtimezone() {
        let stream = parse_stream(
            "BEGIN:VTIMEZONE\nTZID:UTC+11\nBEGIN:STANDARD\nTZOFFSETFROM:+1100\nTZOFFSETTO:+1100\nEND:STANDARD\nEND:VTIMEZONE\n",
        )
        .unwrap();
        let (zone, how) = resolve("UTC+11", &stream.components.iter().collect::<Vec<_>>()).unwrap();
        assert_eq!(zone.name(), "Etc/GMT-11");
        assert_eq!(how, Resolution::FixedOffset);
    }

    #[test]
    fn resolve_guesses_localised_outlook_name() {
        let stream = parse_stream(
            "BEGIN:VTIMEZONE\n\
             TZID:(UTC+01:00) Bruxelles\\, Copenhague\\, Madrid\\, Paris\n\
             BEGIN:STANDARD\nDTSTART:16010101T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n\
             RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\nEND:STANDARD\n\
             BEGIN:DAYLIGHT\nDTSTART:16010101T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\n\
             RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\nEND:DAYLIGHT\n\
             END:VTIMEZONE\n",
        )
        .unwrap();
        let timezones: Vec<&Component> = stream.components.iter().collect();
        let tzid = stream.components[0].property("TZID").unwrap().value.clone();
        let (zone, how) = resolve(&tzid, &timezones).unwrap();
        assert_eq!(zone, chrono_tz::Europe::Paris);
        assert_eq!(how, Resolution::Offsets);
    }

    #[test]
    fn every_offset_entry_is_a_known_olson_zone() {
        for (_, _, olson) in ZONES_BY_OFFSETS {
            assert!(olson.parse::<Tz>().is_ok(), "{olson}");
        }
    }

    #[test]
    fn resolve_uses_lic_location() {
        let stream = parse_stream(
            "BEGIN:VTIMEZONE\nTZID:custom_Pacific/Fiji\nX-LIC-LOCATION:Pacific/Fiji\nEND:VTIMEZONE\n",
        )
        .unwrap();
        // The prefix rule already finds Pacific/Fiji inside the name.
        assert_eq!(
            resolve(
                "custom_Pacific/Fiji",
                &stream.components.iter().collect::<Vec<_>>()
            )
            .unwrap()
            .0,
            chrono_tz::Pacific::Fiji
        );
    }
}
