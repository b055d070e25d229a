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
        if let Some(found) = Category::ALL.iter().find(|c| c.code().eq_ignore_ascii_case(&folded)) {
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
    fn codes_round_trip_through_serde() {
        for category in Category::ALL {
            let json = serde_json::to_string(&category).unwrap();
            assert_eq!(json, format!("\"{}\"", category.code()));
            let back: Category = serde_json::from_str(&json).unwrap();
            assert_eq!(back, category);
        }
    }
}
