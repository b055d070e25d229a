//! `carnet person add`, `carnet person list` and `carnet person edit`.

use anyhow::{Result, bail};
use carnet_core::people::short_id;
use carnet_core::{Message, NewPerson, PersonEdit, Relation, Sex, VaultError};
use chrono::NaiveDate;

use crate::args::{PersonAdd, PersonCommand, PersonEditArgs};
use crate::context::Ctx;
use crate::output;

pub fn run(ctx: &Ctx, command: PersonCommand) -> Result<()> {
    match command {
        PersonCommand::Add(add) => add_person(ctx, add),
        PersonCommand::List { json } => list(ctx, json),
        PersonCommand::Edit(edit) => edit_person(ctx, edit),
    }
}

fn add_person(ctx: &Ctx, add: PersonAdd) -> Result<()> {
    let birth_date = parse_date(ctx, "birth date", &add.birth_date)?;
    let sex = parse_sex(ctx, &add.sex)?;
    let mut vault = ctx.open()?;
    let relation = match &add.relation {
        Some(text) => parse_relation(ctx, text)?,
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

fn edit_person(ctx: &Ctx, args: PersonEditArgs) -> Result<()> {
    let edit = PersonEdit {
        name: args.name,
        birth_date: match &args.birth_date {
            Some(text) => Some(parse_date(ctx, "birth date", text)?),
            None => None,
        },
        sex: match &args.sex {
            Some(text) => Some(parse_sex(ctx, text)?),
            None => None,
        },
        relation: match &args.relation {
            Some(text) => Some(parse_relation(ctx, text)?),
            None => None,
        },
        ins: match (args.ins, args.clear_ins) {
            (_, true) => Some(None),
            (Some(ins), false) => Some(Some(ins)),
            (None, false) => None,
        },
    };
    let nothing_given = edit.name.is_none()
        && edit.birth_date.is_none()
        && edit.sex.is_none()
        && edit.relation.is_none()
        && edit.ins.is_none();
    if nothing_given {
        bail!(ctx.t("cli.person_edit_empty"));
    }

    let mut vault = ctx.open()?;
    let before = vault
        .resolve_person(Some(&args.person))
        .map_err(|e| ctx.fail(e))?;
    let after = vault
        .update_person(&before.id, edit)
        .map_err(|e| ctx.fail(e))?;
    if args.json {
        return output::json(&after);
    }
    let unchanged = after.name == before.name
        && after.birth_date == before.birth_date
        && after.sex == before.sex
        && after.relation == before.relation
        && after.ins == before.ins;
    if unchanged {
        println!(
            "{}",
            ctx.t("cli.person_unchanged")
                .replace("{name}", &output::clean(&after.name))
        );
    } else {
        println!(
            "{} {} ({})",
            ctx.t("cli.person_updated"),
            output::clean(&after.name),
            after.id
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
        let age = ctx.m(&Message::new("cli.age").with("count", person.age_on(today)));
        let ins = person
            .ins
            .as_deref()
            .map(|i| format!("  INS {i}"))
            .unwrap_or_default();
        println!(
            "{}  {:<28} {:<21} {}  {}{}",
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

fn parse_sex(ctx: &Ctx, text: &str) -> Result<Sex> {
    Sex::parse(text).ok_or_else(|| {
        ctx.fail(VaultError::InvalidInput {
            field: "sex",
            value: text.to_string(),
            reason: "use F, M or U".into(),
        })
    })
}

fn parse_relation(ctx: &Ctx, text: &str) -> Result<Relation> {
    Relation::parse(text).ok_or_else(|| {
        ctx.fail(VaultError::InvalidInput {
            field: "relation",
            value: text.to_string(),
            reason: "use titulaire, enfant, parent, conjoint, tutelle or autre".into(),
        })
    })
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
