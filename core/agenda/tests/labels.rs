//! Every vaccine, antigen, dose state and suggestion has a French and an
//! English label in the i18n catalogue.

use std::collections::BTreeMap;

use carnet_agenda::prevention::PreventionProgram;
use carnet_agenda::vaccination::VaccinationCalendar;

fn catalogue(json: &str) -> BTreeMap<String, String> {
    serde_json::from_str(json).expect("catalogue is a flat JSON object")
}

#[test]
fn every_key_is_labelled_in_both_languages() {
    let french = catalogue(include_str!("../../i18n/fr/agenda.json"));
    let english = catalogue(include_str!("../../i18n/en/agenda.json"));
    assert_eq!(
        french.keys().collect::<Vec<_>>(),
        english.keys().collect::<Vec<_>>(),
        "French and English catalogues have different keys"
    );

    let mut keys = Vec::new();
    for rule in VaccinationCalendar::latest().rules {
        keys.push(format!("agenda.vaccine.{}", rule.vaccine));
        for antigen in rule.antigens {
            keys.push(format!("agenda.antigen.{}", antigen.key()));
        }
    }
    for item in PreventionProgram::latest().items {
        keys.push(format!("agenda.suggestion.{}", item.id));
    }
    for state in ["done", "due", "overdue", "upcoming", "missed"] {
        keys.push(format!("agenda.dose.state.{state}"));
    }
    for key in keys {
        let label = french.get(&key);
        assert!(
            label.is_some_and(|l| !l.is_empty()),
            "missing French label {key}"
        );
        assert!(
            english.get(&key).is_some_and(|l| !l.is_empty()),
            "missing English label {key}"
        );
    }
}
