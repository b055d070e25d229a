// Synthetic French-like medical text for the search benchmarks, included with
// `include!` by `core/benches/vault.rs` and `benches/sqlite-overhead`, so both
// measure the same corpus.
//
// Words follow a Zipf-like law over 5,000 generated words, as natural text does, and
// each medical term appears in about 2 % of documents. A query for a medical term then
// matches a few hundred documents out of 10,000, as a real search in a family vault
// matches a few documents, instead of every document.

/// Terms that queries look for; each lands in about 2 % of documents.
pub const MEDICAL_TERMS: &[&str] = &[
    "hémoglobine", "glyquée", "vaccination", "rappel", "amoxicilline", "otite", "échographie", "créatinine",
    "tension", "artérielle", "bronchiolite", "kinésithérapie", "cholestérol", "pénicilline", "radiographie",
    "thorax", "pédiatre", "croissance", "périmètre", "crânien",
];

const SYLLABLES: &[&str] = &[
    "ba", "ce", "di", "fo", "gu", "la", "me", "ni", "po", "ru", "sa", "te", "vi", "zo", "an", "en", "on", "ou",
    "é", "è", "ra", "le", "mi", "to", "pa", "que", "tion", "ment", "ri", "ca",
];

/// A deterministic generator of documents of about `target_len` bytes.
pub struct Corpus {
    state: u64,
    vocabulary: Vec<String>,
}

impl Corpus {
    pub fn new(seed: u64) -> Self {
        let mut corpus = Corpus { state: seed | 1, vocabulary: Vec::new() };
        for _ in 0..5000 {
            let syllables = 2 + (corpus.next() % 3) as usize;
            let word: String = (0..syllables).map(|_| SYLLABLES[(corpus.next() % SYLLABLES.len() as u64) as usize]).collect();
            corpus.vocabulary.push(word);
        }
        corpus
    }

    fn next(&mut self) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// One document's text.
    pub fn document(&mut self, target_len: usize) -> String {
        let mut text = String::with_capacity(target_len + 64);
        let terms: Vec<&str> = MEDICAL_TERMS.iter().copied().filter(|_| self.unit() < 0.02).collect();
        while text.len() < target_len {
            // Zipf-like rank: exponent of a uniform draw over log(vocabulary size).
            let rank = ((self.vocabulary.len() as f64).powf(self.unit()) as usize).saturating_sub(1);
            text.push_str(&self.vocabulary[rank.min(self.vocabulary.len() - 1)]);
            text.push(' ');
            if !terms.is_empty() && self.next().is_multiple_of(97) {
                text.push_str(terms[(self.next() % terms.len() as u64) as usize]);
                text.push(' ');
            }
        }
        for term in terms {
            text.push_str(term);
            text.push(' ');
        }
        text
    }
}
