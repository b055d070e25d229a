//! The message catalogue shared by the CLI and the app.
//!
//! Messages are flat JSON files under `core/i18n/<language>/`, one per area
//! (`core.json` for the vault and CLI, `ui.json` for the app…). French is the
//! reference language. A key missing in English falls back to French, and a key
//! missing everywhere prints as itself, so that a gap is visible.
//! Placeholders are written `{name}`.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::sync::OnceLock;

use serde::Serialize;

/// A language Carnet speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    /// Picks the language from `CARNET_LANG`, then `LC_ALL`, `LC_MESSAGES` and
    /// `LANG`: English when the first one set starts with `en`, else French.
    pub fn from_env() -> Lang {
        for var in ["CARNET_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(value) = std::env::var(var) {
                if value.is_empty() {
                    continue;
                }
                return Lang::parse(&value).unwrap_or(Lang::Fr);
            }
        }
        Lang::Fr
    }

    /// Parses `fr`, `en`, `fr_FR.UTF-8`, `en-GB`…
    pub fn parse(value: &str) -> Option<Lang> {
        let lower = value.to_ascii_lowercase();
        if lower.starts_with("en") {
            Some(Lang::En)
        } else if lower.starts_with("fr") || lower == "c" || lower == "posix" {
            Some(Lang::Fr)
        } else {
            None
        }
    }

    /// Returns the BCP 47 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
}

/// A message to show: a catalogue key and its named parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub key: String,
    pub params: BTreeMap<String, String>,
    /// Parameters whose values are themselves catalogue keys, rendered in the same
    /// language and joined with spaces (the reasons a passphrase is refused).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub key_lists: BTreeMap<String, Vec<String>>,
    /// Parameters that are messages of their own.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub nested: BTreeMap<String, Box<Message>>,
}

impl Message {
    /// Creates a message with no parameters.
    pub fn new(key: &str) -> Self {
        Message {
            key: key.to_string(),
            params: BTreeMap::new(),
            key_lists: BTreeMap::new(),
            nested: BTreeMap::new(),
        }
    }

    /// Adds a parameter that is itself a message, rendered in the same language.
    pub fn with_message(mut self, name: &str, message: Message) -> Self {
        self.nested.insert(name.to_string(), Box::new(message));
        self
    }

    /// Adds a parameter made of catalogue keys.
    pub fn with_keys(mut self, name: &str, keys: &[String]) -> Self {
        self.key_lists.insert(name.to_string(), keys.to_vec());
        self
    }

    /// Adds one parameter.
    pub fn with(mut self, name: &str, value: impl Display) -> Self {
        self.params.insert(name.to_string(), value.to_string());
        self
    }

    /// Renders the message in `lang`.
    ///
    /// A key with plural forms has none of its own: the catalogue contains
    /// `<key>.one` and `<key>.other`, chosen by the `count` parameter.
    pub fn render(&self, lang: Lang) -> String {
        let template = lookup(lang, &self.key)
            .or_else(|| self.plural_template(lang))
            .unwrap_or(&self.key);
        let mut params = self.params.clone();
        for (name, keys) in &self.key_lists {
            let rendered: Vec<String> = keys.iter().map(|k| tr(lang, k)).collect();
            params.insert(name.clone(), rendered.join(" "));
        }
        for (name, message) in &self.nested {
            params.insert(name.clone(), message.render(lang));
        }
        fill(template, &params)
    }
}

/// Renders `key` with no parameters.
impl Message {
    fn plural_template(&self, lang: Lang) -> Option<&'static String> {
        let count: u64 = self.params.get("count")?.parse().ok()?;
        // CLDR plural rules for cardinals: French uses "one" for 0 and 1, English
        // for 1 only.
        let one = match lang {
            Lang::Fr => count <= 1,
            Lang::En => count == 1,
        };
        let form = if one { "one" } else { "other" };
        lookup(lang, &format!("{}.{form}", self.key))
            .or_else(|| lookup(lang, &format!("{}.other", self.key)))
    }
}

pub fn tr(lang: Lang, key: &str) -> String {
    Message::new(key).render(lang)
}

fn fill(template: &str, params: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) if params.contains_key(&after[..end]) => {
                out.push_str(&params[&after[..end]]);
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

type Table = BTreeMap<String, String>;

fn lookup(lang: Lang, key: &str) -> Option<&'static String> {
    let (fr, en) = catalogue();
    match lang {
        Lang::En => en.get(key).or_else(|| fr.get(key)),
        Lang::Fr => fr.get(key),
    }
}

fn catalogue() -> &'static (Table, Table) {
    static TABLES: OnceLock<(Table, Table)> = OnceLock::new();
    TABLES.get_or_init(|| {
        let fr = merge(&[
            include_str!("../i18n/fr/core.json"),
            include_str!("../i18n/fr/agenda.json"),
        ]);
        let en = merge(&[
            include_str!("../i18n/en/core.json"),
            include_str!("../i18n/en/agenda.json"),
        ]);
        (fr, en)
    })
}

fn merge(files: &[&str]) -> Table {
    let mut table = Table::new();
    for file in files {
        let part: Table = serde_json::from_str(file).expect("the bundled catalogue is valid JSON");
        table.extend(part);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_fills_parameters() {
        let message = Message::new("error.document_not_found").with("id", "abc");
        assert!(message.render(Lang::Fr).contains("abc"));
        assert!(message.render(Lang::En).contains("abc"));
        assert_ne!(message.render(Lang::Fr), message.render(Lang::En));
    }

    #[test]
    fn plural_forms_follow_count() {
        let age = |lang, count: u32| Message::new("cli.age").with("count", count).render(lang);
        assert_eq!(age(Lang::Fr, 0), "0 an");
        assert_eq!(age(Lang::Fr, 1), "1 an");
        assert_eq!(age(Lang::Fr, 2), "2 ans");
        assert_eq!(age(Lang::En, 1), "1 year");
        assert_eq!(age(Lang::En, 0), "0 years");
    }

    #[test]
    fn unknown_key_renders_as_itself() {
        assert_eq!(tr(Lang::Fr, "no.such.key"), "no.such.key");
    }

    #[test]
    fn every_english_key_exists_in_french() {
        let (fr, en) = catalogue();
        for key in en.keys() {
            assert!(
                fr.contains_key(key),
                "key {key} is missing from the French catalogue"
            );
        }
        for key in fr.keys() {
            assert!(
                en.contains_key(key),
                "key {key} is missing from the English catalogue"
            );
        }
    }

    #[test]
    fn lang_parses_locales() {
        assert_eq!(Lang::parse("en_GB.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::parse("fr_FR.UTF-8"), Some(Lang::Fr));
        assert_eq!(Lang::parse("de_DE"), None);
    }
}
