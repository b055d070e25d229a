//! Table-driven checks of the vaccination engine on concrete birth dates.

use carnet_agenda::vaccination::{
    Age, Antigen, DoseState, DoseStatus, UncountedDose, VaccinationCalendar, VaccinationRecord,
    evaluate,
};
use chrono::NaiveDate;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn find<'a>(statuses: &'a [DoseStatus], id: &str, antigen: Antigen) -> &'a DoseStatus {
    statuses
        .iter()
        .find(|s| s.id == id && s.antigen == antigen)
        .unwrap_or_else(|| panic!("no status {id} / {antigen:?}"))
}

fn has_rule(statuses: &[DoseStatus], rule_id: &str) -> bool {
    statuses.iter().any(|s| s.rule_id == rule_id)
}

#[test]
fn born_2025_due_dates() {
    let calendar = VaccinationCalendar::for_year(2025).unwrap();
    let birth = date(2025, 3, 10);
    let statuses = evaluate(&calendar, birth, date(2025, 3, 20), &[]);
    let cases = [
        ("menb-1", Antigen::MeningococcusB, date(2025, 6, 10)),
        ("menacwy-1", Antigen::MeningococcusAcwy, date(2025, 9, 10)),
        ("mmr-1", Antigen::Measles, date(2026, 3, 10)),
        ("mmr-1", Antigen::Mumps, date(2026, 3, 10)),
        ("mmr-1", Antigen::Rubella, date(2026, 3, 10)),
        ("hexa-1", Antigen::Pertussis, date(2025, 5, 10)),
        ("pcv-3", Antigen::Pneumococcus, date(2026, 2, 10)),
    ];
    for (id, antigen, due) in cases {
        let status = find(&statuses, id, antigen);
        assert_eq!(status.due_on, due, "{id} {antigen:?}");
        assert!(status.mandatory, "{id} {antigen:?} should be mandatory");
        assert_eq!(status.state, DoseState::Upcoming, "{id} {antigen:?}");
    }
    assert!(
        !has_rule(&statuses, "menc-1-2017"),
        "MenACWY replaces MenC from 2025"
    );
}

#[test]
fn born_2025_states_over_time() {
    let calendar = VaccinationCalendar::latest();
    let birth = date(2025, 3, 10);
    let records = [
        VaccinationRecord {
            date: date(2025, 5, 12),
            antigens: vec![
                Antigen::Diphtheria,
                Antigen::Tetanus,
                Antigen::Pertussis,
                Antigen::Polio,
                Antigen::Hib,
                Antigen::HepatitisB,
            ],
        },
        VaccinationRecord {
            date: date(2025, 5, 12),
            antigens: vec![Antigen::Pneumococcus],
        },
    ];
    let statuses = evaluate(&calendar, birth, date(2025, 8, 20), &records);
    let cases = [
        (
            "hexa-1",
            Antigen::HepatitisB,
            DoseState::Done {
                on: date(2025, 5, 12),
            },
        ),
        (
            "pcv-1",
            Antigen::Pneumococcus,
            DoseState::Done {
                on: date(2025, 5, 12),
            },
        ),
        // Due 10 July, overdue after 10 September (dose at 4 months, late after 6).
        ("hexa-2", Antigen::Tetanus, DoseState::Due),
        // Due 10 June, overdue after 10 August (late after 5 months).
        ("menb-1", Antigen::MeningococcusB, DoseState::Overdue),
        ("menacwy-1", Antigen::MeningococcusAcwy, DoseState::Upcoming),
        // Due 10 May, overdue after 10 June; still proposed until 6 months.
        ("rota-1", Antigen::Rotavirus, DoseState::Overdue),
    ];
    for (id, antigen, state) in cases {
        assert_eq!(
            find(&statuses, id, antigen).state,
            state,
            "{id} {antigen:?}"
        );
    }
    // Rotavirus is no longer proposed after 6 months (10 September).
    let later = evaluate(&calendar, birth, date(2025, 10, 1), &records);
    assert_eq!(
        find(&later, "rota-1", Antigen::Rotavirus).state,
        DoseState::Missed
    );
}

#[test]
fn born_2020_cohort() {
    let calendar = VaccinationCalendar::latest();
    let birth = date(2020, 6, 15);
    let statuses = evaluate(&calendar, birth, date(2021, 2, 1), &[]);
    assert!(!has_rule(&statuses, "menb-1"));
    assert!(!has_rule(&statuses, "menacwy-1"));
    let cases = [
        (
            "menc-1-2017",
            Antigen::MeningococcusC,
            date(2020, 11, 15),
            true,
            DoseState::Overdue,
        ),
        (
            "menc-2-2017",
            Antigen::MeningococcusC,
            date(2021, 6, 15),
            true,
            DoseState::Upcoming,
        ),
        (
            "hexa-1",
            Antigen::Hib,
            date(2020, 8, 15),
            true,
            DoseState::Overdue,
        ),
        (
            "pcv-2",
            Antigen::Pneumococcus,
            date(2020, 10, 15),
            true,
            DoseState::Overdue,
        ),
        (
            "mmr-2",
            Antigen::Measles,
            date(2021, 10, 15),
            true,
            DoseState::Upcoming,
        ),
    ];
    for (id, antigen, due, mandatory, state) in cases {
        let status = find(&statuses, id, antigen);
        assert_eq!(status.due_on, due, "{id}");
        assert_eq!(status.mandatory, mandatory, "{id}");
        assert_eq!(status.state, state, "{id}");
    }
}

#[test]
fn born_2017_cohort_only_dtp_mandatory() {
    let calendar = VaccinationCalendar::latest();
    let birth = date(2017, 9, 1);
    let statuses = evaluate(&calendar, birth, date(2018, 3, 1), &[]);
    let cases = [
        ("hexa-1", Antigen::Diphtheria, true),
        ("hexa-1", Antigen::Tetanus, true),
        ("hexa-1", Antigen::Polio, true),
        ("hexa-1", Antigen::Pertussis, false),
        ("hexa-1", Antigen::Hib, false),
        ("hexa-1", Antigen::HepatitisB, false),
        ("pcv-1", Antigen::Pneumococcus, false),
        ("menc-1-2017", Antigen::MeningococcusC, false),
        ("mmr-1", Antigen::Measles, false),
    ];
    for (id, antigen, mandatory) in cases {
        assert_eq!(
            find(&statuses, id, antigen).mandatory,
            mandatory,
            "{id} {antigen:?}"
        );
    }
    assert_eq!(
        find(&statuses, "menc-1-2017", Antigen::MeningococcusC).due_on,
        date(2018, 2, 1)
    );
}

#[test]
fn catch_up_dose_fills_missed_slot() {
    let calendar = VaccinationCalendar::latest();
    let birth = date(2020, 1, 1);
    // One MMR dose at 3 years fills dose 1; dose 2 stays overdue.
    let records = [VaccinationRecord {
        date: date(2023, 1, 5),
        antigens: vec![Antigen::Measles, Antigen::Mumps, Antigen::Rubella],
    }];
    let statuses = evaluate(&calendar, birth, date(2023, 2, 1), &records);
    assert_eq!(
        find(&statuses, "mmr-1", Antigen::Mumps).state,
        DoseState::Done {
            on: date(2023, 1, 5)
        }
    );
    assert_eq!(
        find(&statuses, "mmr-2", Antigen::Mumps).state,
        DoseState::Overdue
    );
}

#[test]
fn adult_at_64() {
    let calendar = VaccinationCalendar::latest();
    let birth = date(1961, 5, 20);
    let records = [VaccinationRecord {
        date: date(2006, 6, 1),
        antigens: vec![Antigen::Diphtheria, Antigen::Tetanus, Antigen::Polio],
    }];
    let statuses = evaluate(&calendar, birth, date(2025, 11, 3), &records);
    let cases = [
        (
            "dtp-45y",
            Antigen::Tetanus,
            DoseState::Done {
                on: date(2006, 6, 1),
            },
        ),
        ("dtp-65y", Antigen::Tetanus, DoseState::Upcoming),
        ("pneumo-65y", Antigen::Pneumococcus, DoseState::Upcoming),
        ("zoster-1", Antigen::Zoster, DoseState::Upcoming),
    ];
    for (id, antigen, state) in cases {
        assert_eq!(find(&statuses, id, antigen).state, state, "{id}");
    }
    assert_eq!(
        find(&statuses, "dtp-65y", Antigen::Tetanus).due_on,
        date(2026, 5, 20)
    );
    // Influenza starts with the first campaign after the 65th birthday.
    let flu = statuses
        .iter()
        .find(|s| s.rule_id == "influenza-65y")
        .unwrap();
    assert_eq!(flu.id, "influenza-65y@2026");
    assert_eq!(flu.due_on, date(2026, 10, 14));
    assert!(!flu.mandatory);
}

#[test]
fn adult_at_65_in_flu_season() {
    let calendar = VaccinationCalendar::latest();
    let birth = date(1960, 3, 1);
    let records = [VaccinationRecord {
        date: date(2025, 10, 20),
        antigens: vec![Antigen::Influenza],
    }];
    let statuses = evaluate(&calendar, birth, date(2025, 11, 3), &records);
    let cases = [
        ("dtp-65y", Antigen::Tetanus, DoseState::Due),
        (
            "influenza-65y@2025",
            Antigen::Influenza,
            DoseState::Done {
                on: date(2025, 10, 20),
            },
        ),
        ("covid-65y@2025", Antigen::Covid19, DoseState::Due),
        ("pneumo-65y", Antigen::Pneumococcus, DoseState::Due),
        ("zoster-1", Antigen::Zoster, DoseState::Due),
        ("rsv-75y", Antigen::Rsv, DoseState::Upcoming),
    ];
    for (id, antigen, state) in cases {
        assert_eq!(find(&statuses, id, antigen).state, state, "{id}");
    }
    // A dose from last season does not count for this one.
    let old = [VaccinationRecord {
        date: date(2024, 11, 2),
        antigens: vec![Antigen::Influenza],
    }];
    let statuses = evaluate(&calendar, birth, date(2025, 11, 3), &old);
    assert_eq!(
        find(&statuses, "influenza-65y@2025", Antigen::Influenza).state,
        DoseState::Due
    );
}

#[test]
fn adult_at_75_repeats_every_ten_years() {
    let calendar = VaccinationCalendar::latest();
    let birth = date(1950, 4, 2);
    let records = [VaccinationRecord {
        date: date(2015, 4, 20),
        antigens: vec![Antigen::Diphtheria, Antigen::Tetanus, Antigen::Polio],
    }];
    let statuses = evaluate(&calendar, birth, date(2025, 6, 1), &records);
    let cases = [
        (
            "dtp-65y",
            DoseState::Done {
                on: date(2015, 4, 20),
            },
        ),
        ("dtp-75y", DoseState::Due),
        ("dtp-75y@1", DoseState::Upcoming),
    ];
    for (id, state) in cases {
        assert_eq!(find(&statuses, id, Antigen::Tetanus).state, state, "{id}");
    }
    assert_eq!(
        find(&statuses, "dtp-75y@1", Antigen::Tetanus).due_on,
        date(2035, 4, 2)
    );
    assert_eq!(
        find(&statuses, "rsv-75y", Antigen::Rsv).state,
        DoseState::Due
    );
}

#[test]
fn statuses_serialise_to_json() {
    let calendar = VaccinationCalendar::latest();
    let statuses = evaluate(&calendar, date(2025, 3, 10), date(2025, 3, 20), &[]);
    let json = serde_json::to_string(&statuses).unwrap();
    let back: Vec<DoseStatus> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, statuses);
}

#[test]
fn mmr_catch_up_depends_on_birth_year() {
    let calendar = VaccinationCalendar::latest();
    let at = date(2025, 6, 1);
    let born_1975 = evaluate(&calendar, date(1975, 2, 1), at, &[]);
    assert!(!has_rule(&born_1975, "mmr-1"));
    let born_1985 = evaluate(&calendar, date(1985, 2, 1), at, &[]);
    assert_eq!(
        find(&born_1985, "mmr-2", Antigen::Measles).state,
        DoseState::Overdue
    );
    assert!(!find(&born_1985, "mmr-2", Antigen::Measles).mandatory);
}

#[test]
fn pertussis_booster_catch_up_ends_at_40() {
    let calendar = VaccinationCalendar::latest();
    let birth = date(1990, 1, 15);
    let at_35 = evaluate(&calendar, birth, date(2025, 2, 1), &[]);
    assert_eq!(
        find(&at_35, "dtcap-25y", Antigen::Pertussis).state,
        DoseState::Overdue
    );
    let at_41 = evaluate(&calendar, birth, date(2031, 2, 1), &[]);
    assert_eq!(
        find(&at_41, "dtcap-25y", Antigen::Pertussis).state,
        DoseState::Missed
    );
}

#[test]
fn record_from_imported_code() {
    use carnet_agenda::vaccination::CodeSystem;
    let record =
        VaccinationRecord::from_code(date(2025, 5, 12), CodeSystem::Atc, "J07CA09").unwrap();
    assert_eq!(record.antigens.len(), 6);
    let statuses = evaluate(
        &VaccinationCalendar::latest(),
        date(2025, 3, 10),
        date(2025, 6, 1),
        &[record],
    );
    assert_eq!(
        find(&statuses, "hexa-1", Antigen::HepatitisB).state,
        DoseState::Done {
            on: date(2025, 5, 12)
        }
    );
    assert!(VaccinationRecord::from_code(date(2025, 5, 12), CodeSystem::Atc, "J07AH").is_none());
}

fn record(on: NaiveDate, antigen: Antigen) -> VaccinationRecord {
    VaccinationRecord {
        date: on,
        antigens: vec![antigen],
    }
}

#[test]
fn same_day_duplicate_counts_once() {
    let calendar = VaccinationCalendar::latest();
    let birth = date(2025, 1, 15);
    let given = date(2025, 5, 20);
    let records = [
        record(given, Antigen::MeningococcusB),
        record(given, Antigen::MeningococcusB),
    ];

    let statuses = evaluate(&calendar, birth, date(2025, 7, 1), &records);

    let first = find(&statuses, "menb-1", Antigen::MeningococcusB);
    assert_eq!(first.state, DoseState::Done { on: given });
    let second = find(&statuses, "menb-2", Antigen::MeningococcusB);
    assert_ne!(second.state, DoseState::Done { on: given });
    assert!(second.uncounted.is_empty(), "{:?}", second.uncounted);
}

#[test]
fn dose_too_soon_does_not_count() {
    let calendar = VaccinationCalendar::latest();
    let birth = date(2015, 6, 1);
    let records = [
        record(date(2026, 12, 4), Antigen::Hpv),
        record(date(2026, 12, 5), Antigen::Hpv),
    ];

    let statuses = evaluate(&calendar, birth, date(2026, 12, 10), &records);

    let first = find(&statuses, "hpv-1", Antigen::Hpv);
    assert_eq!(
        first.state,
        DoseState::Done {
            on: date(2026, 12, 4)
        }
    );
    let second = find(&statuses, "hpv-2", Antigen::Hpv);
    assert!(!matches!(second.state, DoseState::Done { .. }));
    assert_eq!(
        second.uncounted,
        [UncountedDose::TooSoon {
            on: date(2026, 12, 5),
            previous: date(2026, 12, 4),
            counts_from: date(2027, 1, 1),
        }]
    );

    let later = [
        record(date(2026, 12, 4), Antigen::Hpv),
        record(date(2027, 1, 1), Antigen::Hpv),
    ];
    let statuses = evaluate(&calendar, birth, date(2027, 1, 10), &later);
    assert_eq!(
        find(&statuses, "hpv-2", Antigen::Hpv).state,
        DoseState::Done {
            on: date(2027, 1, 1)
        },
        "28 days after dose 1 counts"
    );
}

#[test]
fn calendar_min_interval_overrides_default() {
    let mut calendar = VaccinationCalendar::latest();
    for rule in &mut calendar.rules {
        if rule.id == "hpv-2" {
            rule.min_interval = Some(Age {
                months: 5,
                ..Age::default()
            });
        }
    }
    let records = [
        record(date(2026, 12, 4), Antigen::Hpv),
        record(date(2027, 2, 1), Antigen::Hpv),
    ];

    let statuses = evaluate(&calendar, date(2015, 6, 1), date(2027, 2, 10), &records);

    let second = find(&statuses, "hpv-2", Antigen::Hpv);
    assert!(!matches!(second.state, DoseState::Done { .. }));
    assert_eq!(
        second.uncounted,
        [UncountedDose::TooSoon {
            on: date(2027, 2, 1),
            previous: date(2026, 12, 4),
            counts_from: date(2027, 5, 4),
        }]
    );
}

#[test]
fn dose_before_minimum_age_is_reported() {
    let calendar = VaccinationCalendar::latest();
    let birth = date(2025, 3, 10);
    let records = [record(date(2025, 4, 21), Antigen::MeningococcusB)];

    let statuses = evaluate(&calendar, birth, date(2025, 9, 1), &records);

    let first = find(&statuses, "menb-1", Antigen::MeningococcusB);
    assert_eq!(first.state, DoseState::Overdue);
    assert_eq!(
        first.uncounted,
        [UncountedDose::TooYoung {
            on: date(2025, 4, 21),
            counts_from: date(2025, 5, 10),
        }]
    );
}
