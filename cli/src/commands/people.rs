//! `carnet person add` and `carnet person list`.

use anyhow::Result;
use carnet_core::people::short_id;
use carnet_core::{NewPerson, Relation, Sex, VaultError};
use chrono::NaiveDate;

use crate::args::{PersonAdd, PersonCommand};
use crate::context::Ctx;
use crate::output;

pub fn run(ctx: &Ctx, command: PersonCommand) -> Result<()> {
    match command {
        PersonCommand::Add(add) => add_person(ctx, add),
        PersonCommand::List { json } => list(ctx, json),
    }
}

fn add_person(ctx: &Ctx, add: PersonAdd) -> Result<()> {
    let birth_date = parse_date(ctx, "birth date", &add.birth_date)?;
    let sex = Sex::parse(&add.sex).ok_or_else(|| {
        ctx.fail(VaultError::InvalidInput {
            field: "sex",
            value: add.sex.clone(),
            reason: "use F, M or U".into(),
        })
    })?;
    let mut vault = ctx.open()?;
    let relation = match &add.relation {
        Some(text) => Relation::parse(text).ok_or_else(|| {
            ctx.fail(VaultError::InvalidInput {
                field: "relation",
                value: text.clone(),
                reason: "use titulaire, enfant, parent, conjoint, tutelle or autre".into(),
            })
        })?,
        // The first person added is the account holder unless said otherwise.
        None if vault.people().map_err(|e| ctx.fail(e))?.is_empty() => Relation::Titulaire,
        None => Relation::Autre,
    };
    let person = vault
        .add_person(NewPerson {
            name: add.name,
            birth_date,
            sex,
            relation,
            ins: add.ins,
        })
        .map_err(|e| ctx.fail(e))?;
    if add.json {
        output::json(&person)?;
    } else {
        println!(
            "{} {} ({})",
            ctx.t("cli.person_added"),
            person.name,
            person.id
        );
    }
    Ok(())
}

fn list(ctx: &Ctx, json: bool) -> Result<()> {
    let vault = ctx.open()?;
    let people = vault.people().map_err(|e| ctx.fail(e))?;
    if json {
        return output::json(&people);
    }
    if people.is_empty() {
        println!("{}", ctx.t("cli.no_people"));
        return Ok(());
    }
    let today = chrono::Local::now().date_naive();
    for person in &people {
        let relation = ctx.t(&format!("relation.{}", person.relation.code()));
        let age = ctx
            .t("cli.age")
            .replace("{years}", &person.age_on(today).to_string());
        let ins = person
            .ins
            .as_deref()
            .map(|i| format!("  INS {i}"))
            .unwrap_or_default();
        println!(
            "{}  {:<28} {:<12} {}  {}{}",
            short_id(&person.id),
            person.name,
            relation,
            person.birth_date,
            age,
            ins
        );
    }
    Ok(())
}

/// Parses a YYYY-MM-DD date, naming the field on error.
pub fn parse_date(ctx: &Ctx, field: &'static str, value: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
        ctx.fail(VaultError::InvalidInput {
            field,
            value: value.to_string(),
            reason: "use the form YYYY-MM-DD".into(),
        })
    })
}
