//! Category suggestion from a document's title and text, for documents that arrive
//! without a LOINC, TRE_A05 type or TRE_A03 class code (scans, PDFs, photos).
//!
//! Returns a Mon espace santé category code; the vault maps it to its own enum and
//! the user can change it. Matching folds case and French accents and requires whole
//! words, so "IRM" does not match inside "confirmé".

/// Minimum score for a suggestion. A defining phrase such as "ordonnance" scores 3
/// on its own; weaker clues need to add up.
const MIN_SCORE: u32 = 3;

/// How much of the text is scanned. The opening of a medical document names what it
/// is; scanning further only adds noise and time.
const MAX_SCANNED_CHARS: usize = 32 * 1024;

/// A title match counts this many times a body match.
const TITLE_FACTOR: u32 = 4;

/// Each keyword counts at most this many times in the body.
const MAX_REPEATS: u32 = 3;

/// Keywords per category, already folded (lower case, no accents), with weights:
/// 3 for a phrase that names the document type, 1 for a clue.
const KEYWORDS: &[(&str, &[(&str, u32)])] = &[
    (
        "DIR_ANT",
        &[
            ("directives anticipees", 6),
            ("directive anticipee", 6),
            ("personne de confiance", 2),
            ("fin de vie", 1),
            ("obstination deraisonnable", 2),
            ("acharnement therapeutique", 2),
        ],
    ),
    (
        "CAR_VAC",
        &[
            ("carnet de vaccination", 5),
            ("certificat de vaccination", 5),
            ("vaccination", 3),
            ("vaccinations", 3),
            ("vaccin", 3),
            ("vaccins", 3),
            ("rappel", 1),
            ("dtpolio", 2),
            ("ror", 1),
            ("hpv", 1),
            ("pneumocoque", 1),
            ("meningocoque", 1),
            ("numero de lot", 1),
        ],
    ),
    (
        "ORD_SOIN",
        &[
            ("ordonnance", 3),
            ("ordonnances", 3),
            ("prescription", 2),
            ("posologie", 2),
            ("a renouveler", 1),
            ("comprime", 1),
            ("comprimes", 1),
            ("gelule", 1),
            ("gelules", 1),
            ("matin midi et soir", 1),
            ("par jour", 1),
            ("soins infirmiers", 1),
            ("seances de kinesitherapie", 1),
        ],
    ),
    (
        "BIOLOGIE",
        &[
            ("biologie", 3),
            ("biologie medicale", 3),
            ("laboratoire", 1),
            ("bilan sanguin", 2),
            ("hemogramme", 2),
            ("numeration formule sanguine", 2),
            ("hemoglobine", 2),
            ("hematocrite", 1),
            ("leucocytes", 1),
            ("plaquettes", 1),
            ("glycemie", 1),
            ("cholesterol", 1),
            ("creatinine", 1),
            ("ferritine", 1),
            ("tsh", 1),
            ("hba1c", 1),
            ("serologie", 1),
            ("valeurs de reference", 2),
            ("prelevement", 1),
        ],
    ),
    (
        "RADIO_SC",
        &[
            ("radiographie", 3),
            ("radiologie", 2),
            ("echographie", 3),
            ("scanner", 3),
            ("tomodensitometrie", 3),
            ("irm", 3),
            ("imagerie", 2),
            ("mammographie", 2),
            ("scintigraphie", 3),
            ("doppler", 2),
            ("panoramique dentaire", 3),
            ("cliches", 1),
            ("incidence", 1),
        ],
    ),
    (
        "DEPISTAG",
        &[
            ("depistage", 3),
            ("prevention", 2),
            ("frottis", 2),
            ("test immunologique", 1),
            ("cancer colorectal", 1),
            ("bilan de prevention", 3),
            ("examen de prevention", 3),
        ],
    ),
    (
        "CERT_MED",
        &[
            ("certificat medical", 4),
            ("certificat", 3),
            ("certifie", 2),
            ("absence de contre-indication", 2),
            ("non contre-indication", 2),
            ("apte", 1),
            ("aptitude", 1),
            ("arret de travail", 2),
            ("avis d'arret de travail", 3),
        ],
    ),
    (
        "CPT_REND",
        &[
            ("compte rendu", 3),
            ("compte-rendu", 3),
            ("lettre de liaison", 3),
            ("lettre de sortie", 3),
            ("compte rendu operatoire", 4),
            ("hospitalisation", 1),
            ("consultation", 1),
            ("conclusion", 1),
            ("cher confrere", 1),
            ("chere consoeur", 1),
        ],
    ),
    (
        "DOC_ADM",
        &[
            ("attestation de droits", 4),
            ("carte vitale", 2),
            ("mutuelle", 2),
            ("complementaire sante", 2),
            ("carte d'identite", 3),
            ("passeport", 2),
            ("tiers payant", 1),
            ("assurance maladie", 1),
            ("numero de securite sociale", 1),
            ("attestation", 1),
        ],
    ),
    (
        "REMB",
        &[
            ("remboursement", 3),
            ("remboursements", 3),
            ("releve de prestations", 4),
            ("decompte", 2),
            ("montant rembourse", 2),
            ("base de remboursement", 2),
            ("participation forfaitaire", 2),
            ("franchise medicale", 1),
        ],
    ),
];

/// Suggests a Mon espace santé category code (`ORD_SOIN`, `BIOLOGIE`, `RADIO_SC`,
/// `CPT_REND`, `DEPISTAG`, `CERT_MED`, `DOC_ADM`, `DIR_ANT`, `CAR_VAC`, `REMB`) from
/// French keywords in the title and the first 32,768 characters of the text. Returns
/// `None` when no category scores at least [`MIN_SCORE`]. On a tie the category listed
/// first in `KEYWORDS` wins, so the more specific ones (advance directives,
/// vaccination) come first.
pub fn suggest_category(title: &str, text: &str) -> Option<&'static str> {
    let title = fold(title.chars());
    let text = fold(text.chars().take(MAX_SCANNED_CHARS));

    let mut best: Option<(&'static str, u32)> = None;
    for (code, keywords) in KEYWORDS {
        let score: u32 = keywords
            .iter()
            .map(|(keyword, weight)| {
                let in_title = count_words(&title, keyword).min(1) * TITLE_FACTOR;
                let in_text = count_words(&text, keyword).min(MAX_REPEATS);
                weight * (in_title + in_text)
            })
            .sum();
        if score >= MIN_SCORE && best.is_none_or(|(_, best_score)| score > best_score) {
            best = Some((code, score));
        }
    }
    best.map(|(code, _)| code)
}

/// Lower-cases and strips French diacritics, and turns typographic apostrophes and
/// runs of whitespace into their plain single forms.
fn fold(chars: impl Iterator<Item = char>) -> String {
    let mut folded = String::new();
    let mut previous_space = false;
    for c in chars.flat_map(char::to_lowercase) {
        let replacement = match c {
            'à' | 'â' | 'ä' | 'á' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'î' | 'ï' | 'í' => "i",
            'ô' | 'ö' | 'ó' => "o",
            'ù' | 'û' | 'ü' | 'ú' => "u",
            'ç' => "c",
            'ÿ' => "y",
            'œ' => "oe",
            'æ' => "ae",
            '’' | 'ʼ' | '‘' => "'",
            c if c.is_whitespace() => {
                if !previous_space {
                    folded.push(' ');
                }
                previous_space = true;
                continue;
            }
            c => {
                folded.push(c);
                previous_space = false;
                continue;
            }
        };
        folded.push_str(replacement);
        previous_space = false;
    }
    folded
}

/// Counts occurrences of `word` in `text` that are not inside a longer word.
fn count_words(text: &str, word: &str) -> u32 {
    let is_word_char = |c: char| c.is_alphanumeric();
    let count = text
        .match_indices(word)
        .filter(|(index, _)| {
            let before = text[..*index].chars().next_back();
            let after = text[index + word.len()..].chars().next();
            !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
        })
        .count();
    u32::try_from(count).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordonnance_title() {
        assert_eq!(
            suggest_category("Ordonnance Dr Martin", ""),
            Some("ORD_SOIN")
        );
    }

    #[test]
    fn lab_report_with_accents() {
        let text = "Laboratoire de biologie médicale\nHÉMOGLOBINE 13,5 g/dL\nPlaquettes 250\nValeurs de référence";
        assert_eq!(suggest_category("", text), Some("BIOLOGIE"));
    }

    #[test]
    fn imaging_report() {
        let text = "Échographie abdominale. Conclusion : examen normal.";
        assert_eq!(suggest_category("", text), Some("RADIO_SC"));
    }

    #[test]
    fn consultation_report() {
        let text = "Compte rendu de consultation.\nCher confrère, j'ai vu ce jour…";
        assert_eq!(suggest_category("", text), Some("CPT_REND"));
    }

    #[test]
    fn vaccination_record() {
        assert_eq!(
            suggest_category("", "Vaccin ROR, rappel DTPolio, numéro de lot X12"),
            Some("CAR_VAC")
        );
    }

    #[test]
    fn certificate() {
        assert_eq!(
            suggest_category(
                "",
                "Je soussigné certifie l'absence de contre-indication à la pratique du sport"
            ),
            Some("CERT_MED")
        );
    }

    #[test]
    fn advance_directives() {
        assert_eq!(
            suggest_category(
                "Mes directives anticipées",
                "personne de confiance : ma fille"
            ),
            Some("DIR_ANT")
        );
    }

    #[test]
    fn screening_and_admin_and_reimbursement() {
        assert_eq!(
            suggest_category("", "Programme de dépistage du cancer colorectal"),
            Some("DEPISTAG")
        );
        assert_eq!(
            suggest_category("Attestation de droits", ""),
            Some("DOC_ADM")
        );
        assert_eq!(
            suggest_category("", "Relevé de prestations : montant remboursé 16,10 €"),
            Some("REMB")
        );
    }

    #[test]
    fn whole_words_only() {
        // "irm" inside "confirmé" and "ror" inside "erreur" do not count.
        assert_eq!(
            suggest_category("", "rendez-vous confirmé, erreur corrigée"),
            None
        );
    }

    #[test]
    fn unrelated_text_gives_none() {
        assert_eq!(
            suggest_category("Facture plombier", "Remplacement du joint"),
            None
        );
    }

    #[test]
    fn fold_removes_accents_and_case() {
        assert_eq!(fold("ÉCHOGRAPHIE  cœur’s".chars()), "echographie coeur's");
    }
}
