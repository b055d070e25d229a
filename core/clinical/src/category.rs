//! Mon espace santé's document categories.
//!
//! The codes are those of the national service's `Category` enumeration, so that a
//! document keeps its category when it travels between Carnet, the DMP and Mon
//! espace santé. Labels live in the i18n catalogue under `category.<code>`.

use serde::{Deserialize, Serialize};

/// The category a document is filed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Category {
    /// *Ma santé en résumé*: patient summaries (VSM, IPS).
    #[serde(rename = "SYNTHESE")]
    Synthese,
    /// *Ordonnances et soins*: prescriptions and care documents.
    #[serde(rename = "ORD_SOIN")]
    OrdonnancesSoins,
    /// *Imagerie*: imaging reports and images.
    #[serde(rename = "RADIO_SC")]
    Imagerie,
    /// *Biologie*: laboratory reports.
    #[serde(rename = "BIOLOGIE")]
    Biologie,
    /// *Comptes rendus*: consultation, hospital and operative reports.
    #[serde(rename = "CPT_REND")]
    ComptesRendus,
    /// *Prévention et dépistages*.
    #[serde(rename = "DEPISTAG")]
    Prevention,
    /// *Certificats médicaux*.
    #[serde(rename = "CERT_MED")]
    Certificats,
    /// *Pièces administratives*: identity papers, insurance certificates.
    #[serde(rename = "DOC_ADM")]
    Administratif,
    /// *Directives anticipées*: advance directives.
    #[serde(rename = "DIR_ANT")]
    DirectivesAnticipees,
    /// *Carnet vaccinal*.
    #[serde(rename = "CAR_VAC")]
    CarnetVaccinal,
    /// *Volontés du patient*: emergency contacts, organ donation.
    #[serde(rename = "VDP")]
    Volontes,
    /// *Remboursements*: reimbursement history.
    #[serde(rename = "REMB")]
    Remboursements,
    /// *Autres documents*: anything else.
    #[serde(rename = "AUTR_DOC")]
    Autres,
}

impl Category {
    /// Every category, in the order Mon espace santé lists them.
    pub const ALL: [Category; 13] = [
        Category::Synthese,
        Category::OrdonnancesSoins,
        Category::Imagerie,
        Category::Biologie,
        Category::ComptesRendus,
        Category::Prevention,
        Category::Certificats,
        Category::Administratif,
        Category::DirectivesAnticipees,
        Category::CarnetVaccinal,
        Category::Volontes,
        Category::Remboursements,
        Category::Autres,
    ];

    /// Returns the Mon espace santé code, such as `BIOLOGIE`.
    pub fn code(self) -> &'static str {
        match self {
            Category::Synthese => "SYNTHESE",
            Category::OrdonnancesSoins => "ORD_SOIN",
            Category::Imagerie => "RADIO_SC",
            Category::Biologie => "BIOLOGIE",
            Category::ComptesRendus => "CPT_REND",
            Category::Prevention => "DEPISTAG",
            Category::Certificats => "CERT_MED",
            Category::Administratif => "DOC_ADM",
            Category::DirectivesAnticipees => "DIR_ANT",
            Category::CarnetVaccinal => "CAR_VAC",
            Category::Volontes => "VDP",
            Category::Remboursements => "REMB",
            Category::Autres => "AUTR_DOC",
        }
    }

    /// Parses a category from its code or from a short French or English alias
    /// (`biologie`, `imagerie`, `vaccins`, `lab`…), ignoring case and accents.
    pub fn parse(input: &str) -> Option<Category> {
        let folded: String = input
            .trim()
            .chars()
            .map(|c| match c {
                'é' | 'è' | 'ê' | 'É' | 'È' => 'e',
                'à' | 'â' => 'a',
                'ô' => 'o',
                'î' | 'ï' => 'i',
                'û' | 'ù' => 'u',
                'ç' => 'c',
                '-' | ' ' => '_',
                other => other.to_ascii_lowercase(),
            })
            .collect();
        if let Some(found) = Category::ALL
            .iter()
            .find(|c| c.code().eq_ignore_ascii_case(&folded))
        {
            return Some(*found);
        }
        let category = match folded.as_str() {
            "synthese" | "summary" => Category::Synthese,
            "ordonnances" | "ordonnance" | "soins" | "ordonnances_et_soins" | "prescriptions" => {
                Category::OrdonnancesSoins
            }
            "imagerie" | "radio" | "imaging" => Category::Imagerie,
            "biologie" | "lab" | "laboratory" => Category::Biologie,
            "comptes_rendus" | "compte_rendu" | "reports" | "report" => Category::ComptesRendus,
            "prevention" | "depistage" | "prevention_et_depistages" | "screening" => {
                Category::Prevention
            }
            "certificats" | "certificat" | "certificates" => Category::Certificats,
            "administratif" | "pieces_administratives" | "administrative" => {
                Category::Administratif
            }
            "directives" | "directives_anticipees" | "advance_directives" => {
                Category::DirectivesAnticipees
            }
            "vaccins" | "carnet_vaccinal" | "vaccinations" | "vaccination" => {
                Category::CarnetVaccinal
            }
            "volontes" | "wishes" => Category::Volontes,
            "remboursements" | "reimbursements" => Category::Remboursements,
            "autres" | "autres_documents" | "other" | "others" => Category::Autres,
            _ => return None,
        };
        Some(category)
    }
}

/// Maps document type codes (LOINC or TRE_A05) to categories.
///
/// Type codes are more specific than class codes (a lab report and an operative
/// report share class 10), so they are looked up first.
// NOTE: the official type-to-class map (ASS_X04) was not available. The
// categories of 34133-9 (summaries such as C-CDA CCDs), 74207-2 (DLU) and
// 57057-2 (birth-room summary) are chosen from the code's meaning.
const TYPE_CATEGORIES: &[(&str, Category)] = &[
    // Summaries.
    ("60591-5", Category::Synthese),
    ("34133-9", Category::Synthese),
    ("SYNTH", Category::Synthese),
    ("DOCPAT01", Category::Synthese),
    // Prescriptions, dispensations and care plans.
    ("57833-6", Category::OrdonnancesSoins),
    ("57832-8", Category::OrdonnancesSoins),
    ("57828-6", Category::OrdonnancesSoins),
    ("55115-0", Category::OrdonnancesSoins),
    ("60593-1", Category::OrdonnancesSoins),
    ("56445-0", Category::OrdonnancesSoins),
    ("18776-5", Category::OrdonnancesSoins),
    ("DOCPAT02", Category::OrdonnancesSoins),
    ("PRESC-BIO", Category::OrdonnancesSoins),
    ("PRESC-KINE", Category::OrdonnancesSoins),
    ("PRESC-INF", Category::OrdonnancesSoins),
    ("PRESC-PEDI", Category::OrdonnancesSoins),
    ("PRESC-ORTHOPHO", Category::OrdonnancesSoins),
    ("PRESC-ORTHOPTIE", Category::OrdonnancesSoins),
    ("PRESC-AAT", Category::OrdonnancesSoins),
    // Imaging.
    ("18748-4", Category::Imagerie),
    ("IMG-KOS", Category::Imagerie),
    ("DOCPAT04", Category::Imagerie),
    // Laboratory.
    ("11502-2", Category::Biologie),
    ("11526-1", Category::Biologie),
    ("51969-4", Category::Biologie),
    ("DOCPAT05", Category::Biologie),
    // Reports.
    ("11488-4", Category::ComptesRendus),
    ("11490-0", Category::ComptesRendus),
    ("34112-3", Category::ComptesRendus),
    ("34874-8", Category::ComptesRendus),
    ("15507-7", Category::ComptesRendus),
    ("15508-5", Category::ComptesRendus),
    ("18761-7", Category::ComptesRendus),
    ("34794-8", Category::ComptesRendus),
    ("34749-2", Category::ComptesRendus),
    ("77436-4", Category::ComptesRendus),
    ("85208-7", Category::ComptesRendus),
    ("74207-2", Category::ComptesRendus),
    ("57057-2", Category::ComptesRendus),
    ("18842-5", Category::ComptesRendus),
    ("11506-3", Category::ComptesRendus),
    ("34847-4", Category::ComptesRendus),
    ("DOCPAT03", Category::ComptesRendus),
    // Prevention and screening.
    ("96173-0", Category::Prevention),
    ("68817-6", Category::Prevention),
    ("DOCPAT06", Category::Prevention),
    // Certificates.
    ("89601-9", Category::Certificats),
    ("59283-2", Category::Certificats),
    ("86531-1", Category::Certificats),
    ("CERT_DECL", Category::Certificats),
    ("DOCPAT07", Category::Certificats),
    // Administrative papers.
    ("DOCPAT09", Category::Administratif),
    ("PIECE-IDENTITE", Category::Administratif),
    ("ATTEST-ASS-COMPL", Category::Administratif),
    ("ATTEST-DROITS-AM", Category::Administratif),
    // Patient wishes and advance directives.
    ("EXPPAT_1", Category::Volontes),
    ("FICHE-CONTACTS", Category::Volontes),
    ("EXPPAT_3", Category::DirectivesAnticipees),
    ("42348-3", Category::DirectivesAnticipees),
    ("86533-7", Category::DirectivesAnticipees),
    // Vaccination records.
    ("11369-6", Category::CarnetVaccinal),
    ("87273-9", Category::CarnetVaccinal),
    ("96874-3", Category::CarnetVaccinal),
    // Reimbursements.
    ("REMB", Category::Remboursements),
];

impl Category {
    /// Maps a document type code (LOINC or TRE_A05, as found in CDA `code` or FHIR
    /// `DocumentReference.type`) to its category.
    pub fn from_type_code(code: &str) -> Option<Category> {
        let code = code.trim();
        TYPE_CATEGORIES
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(code))
            .map(|(_, category)| *category)
    }

    /// Maps a TRE_A03 class code (XDS `classCode`, FHIR `DocumentReference.category`)
    /// to its category.
    pub fn from_class_code(code: &str) -> Option<Category> {
        let category = match code.trim() {
            "10" => Category::ComptesRendus,
            "11" => Category::Synthese,
            "31" => Category::Imagerie,
            "42" | "43" | "44" | "45" => Category::OrdonnancesSoins,
            "52" => Category::Certificats,
            "60" => Category::Remboursements,
            "95" => Category::Administratif,
            "90" | "99" => Category::Autres,
            _ => return None,
        };
        Some(category)
    }

    /// Derives a document's category from its type code, else its class code, else
    /// [`Category::Autres`]. A class code may also be a LOINC code (US Core uses
    /// 42348-3 "Advance healthcare directives"), so it is tried as a type too.
    pub fn for_document(type_code: Option<&str>, class_code: Option<&str>) -> Category {
        type_code
            .and_then(Category::from_type_code)
            .or_else(|| class_code.and_then(Category::from_class_code))
            .or_else(|| class_code.and_then(Category::from_type_code))
            .unwrap_or(Category::Autres)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_codes_and_aliases() {
        assert_eq!(Category::parse("BIOLOGIE"), Some(Category::Biologie));
        assert_eq!(Category::parse("biologie"), Some(Category::Biologie));
        assert_eq!(Category::parse("Prévention"), Some(Category::Prevention));
        assert_eq!(Category::parse("car_vac"), Some(Category::CarnetVaccinal));
        assert_eq!(Category::parse("nonsense"), None);
    }

    #[test]
    fn document_codes_map_to_categories() {
        assert_eq!(
            Category::for_document(Some("11502-2"), Some("10")),
            Category::Biologie
        );
        assert_eq!(
            Category::for_document(Some("unknown"), Some("10")),
            Category::ComptesRendus
        );
        assert_eq!(
            Category::for_document(Some("87273-9"), None),
            Category::CarnetVaccinal
        );
        assert_eq!(
            Category::for_document(Some("REMB"), None),
            Category::Remboursements
        );
        assert_eq!(Category::for_document(None, None), Category::Autres);
    }

    #[test]
    fn codes_round_trip_through_serde() {
        for category in Category::ALL {
            let json = serde_json::to_string(&category).unwrap();
            assert_eq!(json, format!("\"{}\"", category.code()));
            let back: Category = serde_json::from_str(&json).unwrap();
            assert_eq!(back, category);
        }
    }
}
