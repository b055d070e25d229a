//! Document commands: import, list, search, show, extract, edit, delete.

use carnet_core::people::short_id;
use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use anyhow::{Context as _, Result, anyhow};
use carnet_core::documents::{DocumentEdit, DocumentFilter, DocumentSummary};
use carnet_core::import::{FileReport, ImportOptions, Outcome};
use carnet_core::search::{MATCH_END, MATCH_START};
use carnet_core::{Category, Vault, VaultError};
use indicatif::{ProgressBar, ProgressStyle};

use crate::args::DocCommand;
use crate::commands::people::parse_date;
use crate::context::Ctx;
use crate::output;

pub fn import(
    ctx: &Ctx,
    person: Option<&str>,
    paths: &[PathBuf],
    force: bool,
    json: bool,
) -> Result<()> {
    let mut vault = ctx.open()?;
    let person = vault.resolve_person(person).map_err(|e| ctx.fail(e))?;
    let options = ImportOptions {
        person_id: person.id.clone(),
        source: "import".into(),
        force,
    };

    let bar = if std::io::stderr().is_terminal() && !json {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
                .expect("the template is valid"),
        );
        Some(bar)
    } else {
        None
    };
    let cancel = AtomicBool::new(false);
    let summary = vault
        .import_paths(paths, &options, &cancel, &mut |p| {
            if let Some(bar) = &bar {
                bar.set_length(p.total as u64);
                bar.set_position(p.done as u64);
                bar.set_message(short_name(&p.file));
            }
        })
        .map_err(|e| ctx.fail(e))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }

    if json {
        return output::json(&summary);
    }
    for report in &summary.files {
        print_report(ctx, report, "");
    }
    println!(
        "{}",
        ctx.t("cli.import_summary")
            .replace("{person}", &person.name)
            .replace("{imported}", &summary.imported.to_string())
            .replace("{duplicates}", &summary.duplicates.to_string())
            .replace("{rejected}", &summary.rejected.to_string())
    );
    if summary.profile_entries > 0 {
        println!(
            "{}",
            ctx.t("cli.import_profile")
                .replace("{entries}", &summary.profile_entries.to_string())
        );
    }
    if !summary.unmodelled.is_empty() {
        let resources: Vec<String> = summary
            .unmodelled
            .iter()
            .map(|(resource_type, count)| format!("{resource_type} ×{count}"))
            .collect();
        println!(
            "{}",
            ctx.t("cli.import_unmodelled")
                .replace("{resources}", &resources.join(", "))
        );
    }
    // A script must be able to tell that nothing was stored.
    if summary.rejected > 0 && summary.imported == 0 && summary.duplicates == 0 {
        return Err(anyhow!(ctx.t("cli.import_nothing")));
    }
    Ok(())
}

fn print_report(ctx: &Ctx, report: &FileReport, indent: &str) {
    match &report.outcome {
        Outcome::Imported {
            title, category, ..
        } => {
            println!(
                "{indent}✓ {}  →  {} [{}]",
                output::clean(&report.path),
                title,
                ctx.t(&format!("category.{}", category.code()))
            )
        }
        Outcome::Duplicate { document_id } => {
            println!(
                "{indent}= {}  {}",
                output::clean(&report.path),
                ctx.t("cli.duplicate_of")
                    .replace("{id}", short_id(document_id))
            )
        }
        Outcome::Rejected { message, .. } => {
            println!(
                "{indent}✗ {}: {}",
                output::clean(&report.path),
                ctx.m(message)
            )
        }
        Outcome::Container { parts } => {
            println!("{indent}✉ {}", output::clean(&report.path));
            for part in parts {
                print_report(ctx, part, "    ");
            }
        }
    }
}

fn short_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub fn list(ctx: &Ctx, person: Option<&str>, category: Option<&str>, json: bool) -> Result<()> {
    let vault = ctx.open()?;
    let mut filter = DocumentFilter::default();
    if let Some(query) = person {
        filter.person_id = Some(
            vault
                .resolve_person(Some(query))
                .map_err(|e| ctx.fail(e))?
                .id,
        );
    }
    if let Some(text) = category {
        filter.category = Some(parse_category(ctx, text)?);
    }
    let (_, documents) = vault
        .documents(&filter, 0, 100_000)
        .map_err(|e| ctx.fail(e))?;
    if json {
        return output::json(&documents);
    }
    if documents.is_empty() {
        println!("{}", ctx.t("cli.no_documents"));
        return Ok(());
    }
    let names = person_names(ctx, &vault)?;
    for document in &documents {
        print_line(ctx, document, &names);
    }
    Ok(())
}

fn person_names(ctx: &Ctx, vault: &Vault) -> Result<std::collections::HashMap<String, String>> {
    let people = vault.people().map_err(|e| ctx.fail(e))?;
    Ok(people.into_iter().map(|p| (p.id, p.name)).collect())
}

fn print_line(
    ctx: &Ctx,
    document: &DocumentSummary,
    names: &std::collections::HashMap<String, String>,
) {
    let date = document
        .date
        .map(|d| d.to_string())
        .unwrap_or_else(|| "—".to_string());
    let category = ctx.t(&format!("category.{}", document.category.code()));
    let person = names
        .get(&document.person_id)
        .map(String::as_str)
        .unwrap_or("?");
    println!(
        "{}  {:<10}  {:<24}  {:<16}  {}",
        short_id(&document.id),
        date,
        category,
        output::clean(person),
        output::clean(&document.title)
    );
}

pub fn parse_category(ctx: &Ctx, text: &str) -> Result<Category> {
    Category::parse(text).ok_or_else(|| {
        let codes: Vec<&str> = Category::ALL.iter().map(|c| c.code()).collect();
        ctx.fail(VaultError::InvalidInput {
            field: "category",
            value: text.to_string(),
            reason: format!("use one of {}", codes.join(", ")),
        })
    })
}

pub fn search(
    ctx: &Ctx,
    query: &str,
    person: Option<&str>,
    limit: usize,
    json: bool,
) -> Result<()> {
    let vault = ctx.open()?;
    let person_id = match person {
        Some(q) => Some(vault.resolve_person(Some(q)).map_err(|e| ctx.fail(e))?.id),
        None => None,
    };
    let hits = vault
        .search(query, person_id.as_deref(), limit)
        .map_err(|e| ctx.fail(e))?;
    if json {
        return output::json(&hits);
    }
    if hits.is_empty() {
        println!("{}", ctx.t("cli.no_results"));
        return Ok(());
    }
    let names = person_names(ctx, &vault)?;
    let styled = std::io::stdout().is_terminal();
    for hit in &hits {
        print_line(ctx, &hit.document, &names);
        let (start, end) = if styled {
            ("\x1b[1m", "\x1b[0m")
        } else {
            ("[", "]")
        };
        let snippet = output::clean(&hit.snippet.replace('\n', " "))
            .replace(MATCH_START, start)
            .replace(MATCH_END, end);
        println!("          {snippet}");
    }
    Ok(())
}

pub fn show(ctx: &Ctx, id: &str, json: bool) -> Result<()> {
    let vault = ctx.open()?;
    let document = vault.document(id).map_err(|e| ctx.fail(e))?;
    if json {
        return output::json(&document);
    }
    let person = vault.person(&document.person_id).map_err(|e| ctx.fail(e))?;
    let rows = [
        ("cli.field_id", document.id.clone()),
        ("cli.field_title", document.title.clone()),
        ("cli.field_person", person.name.clone()),
        (
            "cli.field_category",
            ctx.t(&format!("category.{}", document.category.code())),
        ),
        (
            "cli.field_date",
            document.date.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (
            "cli.field_source",
            ctx.t(&format!("source.{}", document.source)),
        ),
        ("cli.field_file", document.original_name.clone()),
        (
            "cli.field_type",
            format!("{} ({})", document.media_type, document.format),
        ),
        ("cli.field_size", format!("{} o", document.size)),
        (
            "cli.field_text",
            ctx.t(&format!("text_status.{}", document.text_status.code())),
        ),
        (
            "cli.field_pages",
            document.pages.map(|p| p.to_string()).unwrap_or_default(),
        ),
        ("cli.field_imported", document.imported_at.clone()),
        ("cli.field_author", detail_author(&document.details)),
        (
            "cli.field_organization",
            detail_text(&document.details, &["custodian", "name"]),
        ),
        ("cli.field_patient", detail_patient(&document.details)),
        (
            "cli.field_forced",
            if document.details["patient_mismatch_forced"] == true {
                ctx.t("cli.yes")
            } else {
                String::new()
            },
        ),
    ];
    for (key, value) in rows {
        if !value.is_empty() {
            println!("{:<22} {}", ctx.t(key), output::clean(&value));
        }
    }
    Ok(())
}

/// Formats the first author of a clinical document, with the RPPS when known.
fn detail_author(details: &serde_json::Value) -> String {
    let author = &details["authors"][0];
    let name = author["name"].as_str().unwrap_or_default();
    match author["rpps"].as_str() {
        Some(rpps) if !name.is_empty() => format!("{name} (RPPS {rpps})"),
        _ => name.to_string(),
    }
}

/// Returns the string at `path` in a document's details, or an empty string.
fn detail_text(details: &serde_json::Value, path: &[&str]) -> String {
    let mut value = details;
    for key in path {
        value = &value[*key];
    }
    value.as_str().unwrap_or_default().to_string()
}

/// Formats the patient named in a clinical document: name and birth date.
fn detail_patient(details: &serde_json::Value) -> String {
    let patient = &details["patient"];
    let names = match &patient["names"] {
        serde_json::Value::Array(list) => list
            .first()
            .and_then(|n| n.as_str())
            .unwrap_or_default()
            .to_string(),
        other => other.as_str().unwrap_or_default().to_string(),
    };
    let birth = patient["birth_date"].as_str().unwrap_or_default();
    format!("{names} {birth}").trim().to_string()
}

pub fn extract(ctx: &Ctx, id: &str, out: &Path) -> Result<()> {
    let mut vault = ctx.open()?;
    let document = vault.document(id).map_err(|e| ctx.fail(e))?;
    if out.exists() {
        anyhow::bail!(
            ctx.t("cli.out_exists")
                .replace("{path}", &out.display().to_string())
        );
    }
    let tmp = out.with_extension("carnet-extract.tmp");
    let file = File::create(&tmp).with_context(|| format!("{}", tmp.display()))?;
    let mut writer = BufWriter::new(file);
    let written = vault.read_role(&document.id, "original", &mut writer);
    let finished = written.map_err(|e| ctx.fail(e)).and_then(|n| {
        writer.flush()?;
        Ok(n)
    });
    match finished {
        Ok(bytes) => {
            std::fs::rename(&tmp, out)?;
            println!(
                "{}",
                ctx.t("cli.extracted")
                    .replace("{bytes}", &bytes.to_string())
                    .replace("{path}", &out.display().to_string())
            );
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

pub fn doc(ctx: &Ctx, command: DocCommand) -> Result<()> {
    match command {
        DocCommand::Edit {
            id,
            title,
            category,
            date,
        } => {
            let edit = DocumentEdit {
                title,
                category: category
                    .as_deref()
                    .map(|c| parse_category(ctx, c))
                    .transpose()?,
                date: date
                    .as_deref()
                    .map(|d| parse_date(ctx, "date", d))
                    .transpose()?,
            };
            let mut vault = ctx.open()?;
            let document = vault.edit_document(&id, &edit).map_err(|e| ctx.fail(e))?;
            println!("{} {}", ctx.t("cli.edited"), document.title);
            Ok(())
        }
        DocCommand::Delete { id, yes } => {
            let mut vault = ctx.open()?;
            let document = vault.document(&id).map_err(|e| ctx.fail(e))?;
            if !yes {
                let question = ctx
                    .t("cli.confirm_delete")
                    .replace("{title}", &document.title);
                if !ctx.confirm(&question)? {
                    println!("{}", ctx.t("cli.cancelled"));
                    return Ok(());
                }
            }
            vault
                .delete_document(&document.id)
                .map_err(|e| ctx.fail(e))?;
            println!("{} {}", ctx.t("cli.deleted"), document.title);
            Ok(())
        }
    }
}
