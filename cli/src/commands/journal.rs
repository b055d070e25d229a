//! `carnet log` and `carnet check`.

use anyhow::{Result, bail};
use carnet_core::people::short_id;

use crate::context::Ctx;
use crate::output;

pub fn log(ctx: &Ctx, verify: bool, json: bool) -> Result<()> {
    let vault = ctx.open()?;
    if verify {
        let check = vault.verify_journal().map_err(|e| ctx.fail(e))?;
        if json {
            output::json(&check)?;
        }
        return match check.first_bad_seq {
            None => {
                if !json {
                    println!(
                        "{}",
                        ctx.t("cli.journal_ok")
                            .replace("{entries}", &check.entries.to_string())
                    );
                }
                Ok(())
            }
            Some(seq) => bail!(
                ctx.t("cli.journal_broken")
                    .replace("{seq}", &seq.to_string())
            ),
        };
    }
    let entries = vault
        .journal_entries(0, usize::MAX >> 1)
        .map_err(|e| ctx.fail(e))?;
    if json {
        return output::json(&entries);
    }
    for entry in &entries {
        let subject = if entry.subject.len() >= 8 {
            short_id(&entry.subject)
        } else {
            &entry.subject
        };
        println!(
            "{:>5}  {}  {:<28} {:<8} {}",
            entry.seq,
            entry.at,
            ctx.t(&format!("action.{}", entry.action)),
            subject,
            entry.detail
        );
    }
    Ok(())
}

pub fn check(ctx: &Ctx) -> Result<()> {
    let mut vault = ctx.open()?;
    let mut problems = vault.integrity_problems().map_err(|e| ctx.fail(e))?;
    for (document_id, reason) in vault.verify_contents().map_err(|e| ctx.fail(e))? {
        problems.push(
            ctx.t("cli.damaged_document")
                .replace("{id}", short_id(&document_id))
                .replace("{reason}", &reason),
        );
    }
    if problems.is_empty() {
        println!("{}", ctx.t("cli.integrity_ok"));
        return Ok(());
    }
    for problem in &problems {
        eprintln!("{problem}");
    }
    bail!(ctx.t("cli.integrity_failed"))
}
