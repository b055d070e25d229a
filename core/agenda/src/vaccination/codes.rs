//! Maps vaccine codes found in imported records to antigens.
//!
//! French CDA documents (ANS CI-SIS) code vaccines with ATC
//! (OID 2.16.840.1.113883.6.73), sometimes only at class level (`J07AM`).
//! FHIR `Immunization.vaccineCode` from US systems uses CVX, and some
//! documents use SNOMED CT. Records typed by hand carry a brand name. Sources of the
//! tables: WHO ATC index (group J07), CDC CVX code set, SNOMED CT
//! International vaccine product concepts.
//! NOTE: the tables cover the vaccines of the French calendar and the codes
//! seen in test documents, not the whole code systems.

use super::Antigen;
use super::Antigen::*;

/// Code system of a vaccine code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeSystem {
    /// ATC, e.g. `J07CA09`.
    Atc,
    /// CDC CVX, e.g. `146`.
    Cvx,
    /// SNOMED CT concept id.
    Snomed,
    /// A product or brand name typed by a person (`Infanrix Hexa`).
    Name,
}

impl CodeSystem {
    /// Recognises a system from its FHIR URI or CDA OID.
    pub fn from_uri(uri: &str) -> Option<Self> {
        match uri.trim() {
            "http://hl7.org/fhir/sid/cvx"
            | "urn:oid:2.16.840.1.113883.12.292"
            | "2.16.840.1.113883.12.292" => Some(CodeSystem::Cvx),
            "http://www.whocc.no/atc"
            | "urn:oid:2.16.840.1.113883.6.73"
            | "2.16.840.1.113883.6.73" => Some(CodeSystem::Atc),
            "http://snomed.info/sct"
            | "urn:oid:2.16.840.1.113883.6.96"
            | "2.16.840.1.113883.6.96" => Some(CodeSystem::Snomed),
            _ => None,
        }
    }
}

const DTP: &[Antigen] = &[Diphtheria, Tetanus, Polio];
const DTAP: &[Antigen] = &[Diphtheria, Tetanus, Pertussis];
const DTAP_IPV: &[Antigen] = &[Diphtheria, Tetanus, Pertussis, Polio];
const DTAP_IPV_HIB: &[Antigen] = &[Diphtheria, Tetanus, Pertussis, Polio, Hib];
const HEXAVALENT: &[Antigen] = &[Diphtheria, Tetanus, Pertussis, Polio, Hib, HepatitisB];
const MMR: &[Antigen] = &[Measles, Mumps, Rubella];
const MMRV: &[Antigen] = &[Measles, Mumps, Rubella, Varicella];

/// ATC codes, most specific first; a code is matched by its longest listed prefix.
const ATC: &[(&str, &[Antigen])] = &[
    ("J07CA09", HEXAVALENT),
    ("J07CA06", DTAP_IPV_HIB),
    ("J07CA02", DTAP_IPV),
    ("J07CA01", DTP),
    ("J07AM51", &[Tetanus, Diphtheria]),
    ("J07AM01", &[Tetanus]),
    ("J07AM", &[Tetanus]),
    ("J07AF", &[Diphtheria]),
    ("J07AJ52", DTAP),
    ("J07AJ", &[Pertussis]),
    ("J07AG", &[Hib]),
    ("J07AH07", &[MeningococcusC]),
    ("J07AH08", &[MeningococcusAcwy]),
    ("J07AH09", &[MeningococcusB]),
    ("J07AL", &[Pneumococcus]),
    ("J07AN", &[Tuberculosis]),
    ("J07BC01", &[HepatitisB]),
    ("J07BC02", &[HepatitisA]),
    ("J07BC20", &[HepatitisA, HepatitisB]),
    ("J07BD52", MMR),
    ("J07BD54", MMRV),
    ("J07BD01", &[Measles]),
    ("J07BK01", &[Varicella]),
    ("J07BK02", &[Zoster]),
    ("J07BK03", &[Zoster]),
    ("J07BF", &[Polio]),
    ("J07BB", &[Influenza]),
    ("J07BH", &[Rotavirus]),
    ("J07BM", &[Hpv]),
    ("J07BN", &[Covid19]),
    ("J07BX03", &[Covid19]),
    ("J07BX05", &[Rsv]),
];

/// CVX codes (CDC), as in FHIR `Immunization.vaccineCode`.
const CVX: &[(&str, &[Antigen])] = &[
    ("146", HEXAVALENT),
    ("120", DTAP_IPV_HIB),
    ("130", DTAP_IPV),
    ("110", &[Diphtheria, Tetanus, Pertussis, HepatitisB, Polio]),
    ("20", DTAP),
    ("106", DTAP),
    ("107", DTAP),
    ("115", DTAP),
    ("113", &[Tetanus, Diphtheria]),
    ("138", &[Tetanus, Diphtheria]),
    ("139", &[Tetanus, Diphtheria]),
    ("09", &[Tetanus, Diphtheria]),
    ("35", &[Tetanus]),
    ("10", &[Polio]),
    ("89", &[Polio]),
    ("17", &[Hib]),
    ("48", &[Hib]),
    ("49", &[Hib]),
    ("08", &[HepatitisB]),
    ("43", &[HepatitisB]),
    ("44", &[HepatitisB]),
    ("45", &[HepatitisB]),
    ("52", &[HepatitisA]),
    ("83", &[HepatitisA]),
    ("85", &[HepatitisA]),
    ("104", &[HepatitisA, HepatitisB]),
    ("133", &[Pneumococcus]),
    ("152", &[Pneumococcus]),
    ("215", &[Pneumococcus]),
    ("216", &[Pneumococcus]),
    ("33", &[Pneumococcus]),
    ("109", &[Pneumococcus]),
    ("103", &[MeningococcusC]),
    ("114", &[MeningococcusAcwy]),
    ("136", &[MeningococcusAcwy]),
    ("147", &[MeningococcusAcwy]),
    ("203", &[MeningococcusAcwy]),
    ("162", &[MeningococcusB]),
    ("163", &[MeningococcusB]),
    ("164", &[MeningococcusB]),
    ("03", MMR),
    ("94", MMRV),
    ("05", &[Measles]),
    ("21", &[Varicella]),
    ("116", &[Rotavirus]),
    ("119", &[Rotavirus]),
    ("122", &[Rotavirus]),
    ("62", &[Hpv]),
    ("118", &[Hpv]),
    ("137", &[Hpv]),
    ("165", &[Hpv]),
    ("121", &[Zoster]),
    ("187", &[Zoster]),
    ("188", &[Zoster]),
    ("19", &[Tuberculosis]),
    ("88", &[Influenza]),
    ("135", &[Influenza]),
    ("140", &[Influenza]),
    ("141", &[Influenza]),
    ("150", &[Influenza]),
    ("153", &[Influenza]),
    ("155", &[Influenza]),
    ("158", &[Influenza]),
    ("161", &[Influenza]),
    ("168", &[Influenza]),
    ("171", &[Influenza]),
    ("185", &[Influenza]),
    ("186", &[Influenza]),
    ("197", &[Influenza]),
    ("205", &[Influenza]),
    ("207", &[Covid19]),
    ("208", &[Covid19]),
    ("210", &[Covid19]),
    ("211", &[Covid19]),
    ("212", &[Covid19]),
    ("213", &[Covid19]),
    ("217", &[Covid19]),
    ("218", &[Covid19]),
    ("219", &[Covid19]),
    ("221", &[Covid19]),
    ("228", &[Covid19]),
    ("229", &[Covid19]),
    ("230", &[Covid19]),
];

/// SNOMED CT vaccine product concepts (International edition).
/// NOTE: a short list of common concepts, so other SNOMED codes return `None`.
/// The varicella-zoster concepts are left out because they do not say
/// whether the vaccine is against varicella or zoster.
const SNOMED: &[(&str, &[Antigen])] = &[
    ("871895005", HEXAVALENT),
    ("871887006", DTAP_IPV_HIB),
    ("871888001", DTAP_IPV_HIB),
    ("871893003", DTAP_IPV),
    ("871894009", DTAP_IPV),
    ("871878002", DTAP_IPV),
    ("871875004", DTAP),
    ("871876003", DTAP),
    ("871837004", DTP),
    ("871838009", DTP),
    ("871826000", &[Diphtheria, Tetanus]),
    ("871827009", &[Diphtheria, Tetanus]),
    ("871742003", &[Tetanus]),
    ("863911006", &[Tetanus]),
    ("871729003", &[Diphtheria]),
    ("836381006", &[Diphtheria]),
    ("871740006", &[Polio]),
    ("871764007", &[Hib]),
    ("836380007", &[Hib]),
    ("871822003", &[HepatitisB]),
    ("836374004", &[HepatitisB]),
    ("871751006", &[HepatitisA]),
    ("836375003", &[HepatitisA]),
    ("871803007", &[HepatitisA, HepatitisB]),
    ("836398006", &[Pneumococcus]),
    ("1119254000", &[Pneumococcus]),
    ("871866001", &[MeningococcusC]),
    ("871873006", &[MeningococcusAcwy]),
    ("871916006", &[MeningococcusAcwy]),
    ("871831003", MMR),
    ("871908002", MMRV),
    ("871765008", &[Measles]),
    ("871761004", &[Rotavirus]),
    ("836387005", &[Rotavirus]),
    ("836379009", &[Hpv]),
    ("871767000", &[Hpv]),
    ("836377006", &[Influenza]),
    ("1119349007", &[Covid19]),
    ("1119305005", &[Covid19]),
    ("836402002", &[Tuberculosis]),
];

/// Brand and common names, matched case-insensitively as a prefix of the
/// typed name with spaces and hyphens ignored.
const NAMES: &[(&str, &[Antigen])] = &[
    ("infanrixhexa", HEXAVALENT),
    ("hexyon", HEXAVALENT),
    ("vaxelis", HEXAVALENT),
    ("infanrixquinta", DTAP_IPV_HIB),
    ("pentavac", DTAP_IPV_HIB),
    ("infanrixtetra", DTAP_IPV),
    ("tetravac", DTAP_IPV),
    ("repevax", DTAP_IPV),
    ("boostrixtetra", DTAP_IPV),
    ("revaxis", DTP),
    ("dtpolio", DTP),
    ("engerix", &[HepatitisB]),
    ("hbvaxpro", &[HepatitisB]),
    ("havrix", &[HepatitisA]),
    ("avaxim", &[HepatitisA]),
    ("twinrix", &[HepatitisA, HepatitisB]),
    ("prevenar", &[Pneumococcus]),
    ("vaxneuvance", &[Pneumococcus]),
    ("capvaxive", &[Pneumococcus]),
    ("pneumovax", &[Pneumococcus]),
    ("neisvac", &[MeningococcusC]),
    ("menjugate", &[MeningococcusC]),
    ("nimenrix", &[MeningococcusAcwy]),
    ("menquadfi", &[MeningococcusAcwy]),
    ("menveo", &[MeningococcusAcwy]),
    ("bexsero", &[MeningococcusB]),
    ("trumenba", &[MeningococcusB]),
    ("priorix", MMR),
    ("mmrvaxpro", MMR),
    ("ror", MMR),
    ("proquad", MMRV),
    ("priorixtetra", MMRV),
    ("varivax", &[Varicella]),
    ("varilrix", &[Varicella]),
    ("rotarix", &[Rotavirus]),
    ("rotateq", &[Rotavirus]),
    ("gardasil", &[Hpv]),
    ("cervarix", &[Hpv]),
    ("shingrix", &[Zoster]),
    ("zostavax", &[Zoster]),
    ("arexvy", &[Rsv]),
    ("abrysvo", &[Rsv]),
    ("mresvia", &[Rsv]),
    ("comirnaty", &[Covid19]),
    ("spikevax", &[Covid19]),
    ("nuvaxovid", &[Covid19]),
    ("vaxigrip", &[Influenza]),
    ("influvac", &[Influenza]),
    ("fluarix", &[Influenza]),
    ("efluelda", &[Influenza]),
    ("fluad", &[Influenza]),
    ("flucelvax", &[Influenza]),
    ("bcg", &[Tuberculosis]),
];

/// Returns the antigens covered by a vaccine `code` of `system`, or `None`
/// when the code is unknown or too general (ATC `J07AH`, any meningococcal
/// vaccine, does not say which serogroups).
pub fn antigens_for_code(system: CodeSystem, code: &str) -> Option<&'static [Antigen]> {
    let code = code.trim();
    match system {
        CodeSystem::Atc => {
            let code = code.to_ascii_uppercase();
            ATC.iter()
                .filter(|(prefix, _)| code.starts_with(prefix))
                .max_by_key(|(prefix, _)| prefix.len())
                .map(|(_, antigens)| *antigens)
        }
        CodeSystem::Cvx => {
            // CVX codes are written with or without a leading zero ("3" or "03").
            let padded = if code.len() == 1 {
                format!("0{code}")
            } else {
                code.to_owned()
            };
            lookup(CVX, &padded)
        }
        CodeSystem::Snomed => lookup(SNOMED, code),
        CodeSystem::Name => {
            let key: String = code
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            NAMES
                .iter()
                .filter(|(name, _)| key.starts_with(name))
                .max_by_key(|(name, _)| name.len())
                .map(|(_, antigens)| *antigens)
        }
    }
}

fn lookup(table: &'static [(&str, &[Antigen])], code: &str) -> Option<&'static [Antigen]> {
    table.iter().find(|(c, _)| *c == code).map(|(_, a)| *a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atc_codes_from_french_cda() {
        let cases: &[(&str, Option<&[Antigen]>)] = &[
            ("J07CA09", Some(HEXAVALENT)),
            ("J07AM01", Some(&[Tetanus])),
            ("J07AM", Some(&[Tetanus])),
            ("J07AN", Some(&[Tuberculosis])),
            ("J07BC01", Some(&[HepatitisB])),
            ("J07BB01", Some(&[Influenza])),
            ("J07AL", Some(&[Pneumococcus])),
            ("J07CA01", Some(DTP)),
            ("J07AH", None),
            ("N02BE01", None),
        ];
        for (code, expected) in cases {
            assert_eq!(
                antigens_for_code(CodeSystem::Atc, code),
                *expected,
                "{code}"
            );
        }
    }

    #[test]
    fn cvx_codes_from_fhir() {
        let cases: &[(&str, Option<&[Antigen]>)] = &[
            ("140", Some(&[Influenza])),
            ("197", Some(&[Influenza])),
            ("113", Some(&[Tetanus, Diphtheria])),
            ("52", Some(&[HepatitisA])),
            ("133", Some(&[Pneumococcus])),
            ("33", Some(&[Pneumococcus])),
            ("43", Some(&[HepatitisB])),
            ("114", Some(&[MeningococcusAcwy])),
            ("3", Some(MMR)),
            ("999", None),
        ];
        for (code, expected) in cases {
            assert_eq!(
                antigens_for_code(CodeSystem::Cvx, code),
                *expected,
                "{code}"
            );
        }
    }

    #[test]
    fn brand_names_ignore_case_and_spacing() {
        assert_eq!(
            antigens_for_code(CodeSystem::Name, "Infanrix Hexa"),
            Some(HEXAVALENT)
        );
        assert_eq!(
            antigens_for_code(CodeSystem::Name, "PRIORIX-TETRA"),
            Some(MMRV)
        );
        assert_eq!(antigens_for_code(CodeSystem::Name, "Priorix"), Some(MMR));
        assert_eq!(
            antigens_for_code(CodeSystem::Name, "Prevenar 20"),
            Some(&[Pneumococcus][..])
        );
        assert_eq!(antigens_for_code(CodeSystem::Name, "Doliprane"), None);
    }

    #[test]
    fn snomed_concepts() {
        assert_eq!(
            antigens_for_code(CodeSystem::Snomed, "871895005"),
            Some(HEXAVALENT)
        );
        assert_eq!(
            antigens_for_code(CodeSystem::Snomed, "836377006"),
            Some(&[Influenza][..])
        );
        assert_eq!(antigens_for_code(CodeSystem::Snomed, "836495005"), None);
    }

    #[test]
    fn system_uris_are_recognised() {
        assert_eq!(
            CodeSystem::from_uri("http://hl7.org/fhir/sid/cvx"),
            Some(CodeSystem::Cvx)
        );
        assert_eq!(
            CodeSystem::from_uri("2.16.840.1.113883.6.73"),
            Some(CodeSystem::Atc)
        );
        assert_eq!(CodeSystem::from_uri("http://loinc.org"), None);
    }
}
