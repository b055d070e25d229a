//! The people a user looks after. Each person owns one space.

use chrono::NaiveDate;
use rusqlite::{Row, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::VaultError;
use crate::journal;
use crate::nir::Nir;
use crate::records::{self, kind};
use crate::unicode::is_hidden_control;
use crate::vault::Vault;

/// Administrative sex as recorded by the Assurance Maladie.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sex {
    #[serde(rename = "F")]
    Female,
    #[serde(rename = "M")]
    Male,
    #[serde(rename = "U")]
    Unknown,
}

impl Sex {
    pub fn parse(input: &str) -> Option<Sex> {
        match input.trim().to_ascii_uppercase().as_str() {
            "F" => Some(Sex::Female),
            "M" | "H" => Some(Sex::Male),
            "U" | "I" | "" => Some(Sex::Unknown),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Sex::Female => "F",
            Sex::Male => "M",
            Sex::Unknown => "U",
        }
    }
}

/// Relation of a person to the account holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The account holder.
    Titulaire,
    Enfant,
    Parent,
    Conjoint,
    /// A person under *tutelle* or *curatelle* the user represents.
    Tutelle,
    Autre,
}

impl Relation {
    /// Parses French or English names, ignoring case.
    pub fn parse(input: &str) -> Option<Relation> {
        let lower = input.trim().to_lowercase();
        let relation = match lower.as_str() {
            "titulaire" | "moi" | "self" | "holder" => Relation::Titulaire,
            "enfant" | "child" | "fils" | "fille" => Relation::Enfant,
            "parent" | "père" | "pere" | "mère" | "mere" => Relation::Parent,
            "conjoint" | "conjointe" | "spouse" | "partner" => Relation::Conjoint,
            "tutelle"
            | "personne sous tutelle"
            | "personne_sous_tutelle"
            | "curatelle"
            | "ward" => Relation::Tutelle,
            "autre" | "other" => Relation::Autre,
            _ => return None,
        };
        Some(relation)
    }

    pub fn code(self) -> &'static str {
        match self {
            Relation::Titulaire => "titulaire",
            Relation::Enfant => "enfant",
            Relation::Parent => "parent",
            Relation::Conjoint => "conjoint",
            Relation::Tutelle => "tutelle",
            Relation::Autre => "autre",
        }
    }
}

/// Fields needed to add a person.
#[derive(Debug, Clone, Deserialize)]
pub struct NewPerson {
    pub name: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub relation: Relation,
    pub ins: Option<String>,
}

/// Changes to a person: `None` leaves a field as it is.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PersonEdit {
    pub name: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub relation: Option<Relation>,
    /// `Some(Some(ins))` sets the INS, `Some(None)` clears it.
    pub ins: Option<Option<String>>,
}

/// A person as listed.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub relation: Relation,
    pub ins: Option<String>,
    #[serde(skip)]
    pub(crate) space_id: String,
}

impl Person {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Person> {
        let birth: String = row.get(2)?;
        let sex: String = row.get(3)?;
        let relation: String = row.get(4)?;
        Ok(Person {
            id: row.get(0)?,
            name: row.get(1)?,
            birth_date: NaiveDate::parse_from_str(&birth, "%Y-%m-%d").unwrap_or_default(),
            sex: Sex::parse(&sex).unwrap_or(Sex::Unknown),
            relation: Relation::parse(&relation).unwrap_or(Relation::Autre),
            ins: row.get(5)?,
            space_id: row.get(6)?,
        })
    }

    /// Age in whole years on `on`.
    pub fn age_on(&self, on: NaiveDate) -> u32 {
        on.years_since(self.birth_date).unwrap_or(0)
    }
}

const PERSON_COLUMNS: &str = "id, name, birth_date, sex, relation, ins, space_id";

impl Vault {
    /// Adds a person with their own space. The INS, when given, must be a valid NIR
    /// that no one else in the vault has.
    pub fn add_person(&mut self, new: NewPerson) -> Result<Person, VaultError> {
        let name = checked_name(&new.name)?;
        let ins = checked_ins(new.ins.as_deref())?;
        check_birth_date(new.birth_date)?;
        if let Some(ins) = &ins {
            self.check_ins_free(ins, None)?;
        }

        let id = uuid::Uuid::now_v7().to_string();
        let stamp = self.stamp()?;
        let tx = self.conn.unchecked_transaction()?;
        let (space_id, space_key) = self.create_space(&tx)?;
        let birth = new.birth_date.format("%Y-%m-%d").to_string();
        tx.execute(
            "INSERT INTO people (id, space_id, name, birth_date, sex, relation, ins, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                id,
                space_id,
                name,
                birth,
                new.sex.code(),
                new.relation.code(),
                ins,
                chrono::Utc::now().to_rfc3339()
            ],
        )?;
        records::write(
            &tx,
            &space_id,
            &space_key,
            &id,
            kind::PERSON,
            &[
                ("name", json!(name)),
                ("birth_date", json!(birth)),
                ("sex", json!(new.sex.code())),
                ("relation", json!(new.relation.code())),
                ("ins", json!(ins)),
            ],
            &stamp,
        )?;
        tx.commit()?;
        self.journal("person.add", &id, "")?;
        self.person(&id)
    }

    /// Changes the given fields of person `id`, checked as [`Vault::add_person`]
    /// checks them. Only the fields whose value changes are written: the `people`
    /// row, the person's record (each changed field with a new stamp) and a journal
    /// row naming the changed fields, all in one transaction. Returns the person as
    /// stored afterwards.
    ///
    /// Fails with [`VaultError::PersonNotFound`], [`VaultError::InvalidInput`] or
    /// [`VaultError::InvalidIns`], and then writes nothing.
    pub fn update_person(&mut self, id: &str, edit: PersonEdit) -> Result<Person, VaultError> {
        let current = self.person(id)?;
        let mut next = current.clone();
        if let Some(name) = &edit.name {
            next.name = checked_name(name)?;
        }
        if let Some(birth_date) = edit.birth_date {
            check_birth_date(birth_date)?;
            next.birth_date = birth_date;
        }
        if let Some(sex) = edit.sex {
            next.sex = sex;
        }
        if let Some(relation) = edit.relation {
            next.relation = relation;
        }
        if let Some(ins) = &edit.ins {
            next.ins = checked_ins(ins.as_deref())?;
        }
        if let Some(ins) = &next.ins
            && current.ins.as_ref() != Some(ins)
        {
            self.check_ins_free(ins, Some(&current.id))?;
        }

        let birth = next.birth_date.format("%Y-%m-%d").to_string();
        let mut changes: Vec<(&str, serde_json::Value)> = Vec::new();
        if next.name != current.name {
            changes.push(("name", json!(next.name)));
        }
        if next.birth_date != current.birth_date {
            changes.push(("birth_date", json!(birth)));
        }
        if next.sex != current.sex {
            changes.push(("sex", json!(next.sex.code())));
        }
        if next.relation != current.relation {
            changes.push(("relation", json!(next.relation.code())));
        }
        if next.ins != current.ins {
            changes.push(("ins", json!(next.ins)));
        }
        if changes.is_empty() {
            return Ok(current);
        }

        let stamp = self.stamp()?;
        let space_key = self.space_key(&current.space_id)?;
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "UPDATE people SET name = ?2, birth_date = ?3, sex = ?4, relation = ?5, ins = ?6
             WHERE id = ?1",
            params![
                current.id,
                next.name,
                birth,
                next.sex.code(),
                next.relation.code(),
                next.ins
            ],
        )?;
        records::write(
            &tx,
            &current.space_id,
            &space_key,
            &current.id,
            kind::PERSON,
            &changes,
            &stamp,
        )?;
        // Field names only, because the journal must not contain a name, a date or an INS.
        let fields: Vec<&str> = changes.iter().map(|(field, _)| *field).collect();
        journal::append(
            &tx,
            &self.journal_key,
            "person.update",
            &current.id,
            &format!("fields={}", fields.join(",")),
        )?;
        tx.commit()?;
        self.person(&current.id)
    }

    /// Fails with [`VaultError::InvalidInput`] when someone other than `except_id`
    /// already has `ins`.
    fn check_ins_free(&self, ins: &str, except_id: Option<&str>) -> Result<(), VaultError> {
        let holder = self
            .people()?
            .into_iter()
            .find(|p| p.ins.as_deref() == Some(ins) && Some(p.id.as_str()) != except_id);
        match holder {
            Some(holder) => Err(VaultError::InvalidInput {
                field: "INS",
                value: ins.to_string(),
                reason: format!("{} already has this INS", holder.name),
            }),
            None => Ok(()),
        }
    }

    /// Lists everyone, account holder first, then by birth date.
    pub fn people(&self) -> Result<Vec<Person>, VaultError> {
        let sql = format!(
            "SELECT {PERSON_COLUMNS} FROM people ORDER BY relation <> 'titulaire', birth_date, name"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let people = stmt
            .query_map([], Person::from_row)?
            .collect::<Result<_, _>>()?;
        Ok(people)
    }

    /// Finds one person by id.
    pub fn person(&self, id: &str) -> Result<Person, VaultError> {
        let sql = format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = ?1");
        self.conn
            .query_row(&sql, [id], Person::from_row)
            .map_err(|_| VaultError::PersonNotFound {
                query: id.to_string(),
            })
    }

    /// Resolves a person by id, id suffix (6 characters or more) or name
    /// (case-insensitive, exact or unique prefix). With no query, the only person, or the account holder.
    pub fn resolve_person(&self, query: Option<&str>) -> Result<Person, VaultError> {
        let people = self.people()?;
        let Some(query) = query.map(str::trim).filter(|q| !q.is_empty()) else {
            return match people.as_slice() {
                [] => Err(VaultError::NoPerson),
                [only] => Ok(only.clone()),
                _ => people
                    .iter()
                    .find(|p| p.relation == Relation::Titulaire)
                    .cloned()
                    .ok_or_else(|| ambiguous("(aucune personne précisée)", &people)),
            };
        };
        if let Some(person) = people.iter().find(|p| p.id == query) {
            return Ok(person.clone());
        }
        let lower = query.to_lowercase();
        let exact: Vec<&Person> = people
            .iter()
            .filter(|p| p.name.to_lowercase() == lower)
            .collect();
        if exact.len() == 1 {
            return Ok(exact[0].clone());
        }
        let prefix: Vec<Person> = people
            .iter()
            .filter(|p| {
                (query.len() >= 6 && p.id.ends_with(query))
                    || p.name.to_lowercase().starts_with(&lower)
            })
            .cloned()
            .collect();
        match prefix.len() {
            0 => Err(VaultError::PersonNotFound {
                query: query.to_string(),
            }),
            1 => Ok(prefix[0].clone()),
            _ => Err(ambiguous(query, &prefix)),
        }
    }
}

/// Trims a name and checks it has 1 to 200 characters and no control or
/// text-direction override character.
fn checked_name(raw: &str) -> Result<String, VaultError> {
    let name = raw.trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(VaultError::InvalidInput {
            field: "name",
            value: name,
            reason: "a name has 1 to 200 characters".into(),
        });
    }
    if name.chars().any(is_hidden_control) {
        return Err(VaultError::InvalidInput {
            field: "name",
            value: name.escape_default().to_string(),
            reason: "a name cannot contain control or text-direction override characters".into(),
        });
    }
    Ok(name)
}

/// Checks an INS as a NIR with its key and returns it in its stored form; a
/// missing or blank INS is `None`.
fn checked_ins(raw: Option<&str>) -> Result<Option<String>, VaultError> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let nir = Nir::parse(raw).map_err(|problem| VaultError::InvalidIns {
        value: raw.to_string(),
        problem,
    })?;
    Ok(Some(nir.as_str().to_string()))
}

/// Rejects a birth date in the future or more than 130 years ago.
fn check_birth_date(birth_date: NaiveDate) -> Result<(), VaultError> {
    let today = chrono::Local::now().date_naive();
    if birth_date > today {
        return Err(VaultError::InvalidInput {
            field: "birth date",
            value: birth_date.to_string(),
            reason: "the date is in the future".into(),
        });
    }
    if today.years_since(birth_date).unwrap_or(0) > 130 {
        return Err(VaultError::InvalidInput {
            field: "birth date",
            value: birth_date.to_string(),
            reason: "the date is more than 130 years ago".into(),
        });
    }
    Ok(())
}

fn ambiguous(query: &str, people: &[Person]) -> VaultError {
    let candidates = people
        .iter()
        .map(|p| format!("{} ({})", p.name, short_id(&p.id)))
        .collect::<Vec<_>>()
        .join(", ");
    VaultError::AmbiguousPerson {
        query: query.to_string(),
        candidates,
    }
}

/// Returns the last 8 characters of an id, as the CLI shows it.
pub fn short_id(id: &str) -> &str {
    &id[id.len().saturating_sub(8)..]
}
