//! Medical-profile commands: `profile show`, `profile blood-group`, `vaccinations`,
//! `measurements`.
//!
//! The facts come from imported CDA and FHIR documents; each line shows how many
//! documents it was read from, and `--json` gives their ids. The blood group is
//! typed by the user.

use std::io::Write;

use anyhow::{Result, anyhow};
use carnet_core::agenda::RecordedVaccination;
use carnet_core::clinical::{Code, Measurement, Vaccination};
use carnet_core::{BloodGroup, MeasureKind, SourcedEntry};
use serde_json::json;

use crate::args::BloodGroupAction;
use crate::context::Ctx;
use crate::output;

/// Prints a person's whole medical profile.
pub fn show(ctx: &Ctx, person: Option<&str>, json: bool) -> Result<()> {
    let vault = ctx.open()?;
    let person = vault.resolve_person(person).map_err(|e| ctx.fail(e))?;
    let profile = vault.profile(&person.id).map_err(|e| ctx.fail(e))?;
    if json {
        return output::json(&profile);
    }
    let total = usize::from(profile.blood_group.is_some())
        + profile.allergies.len()
        + profile.treatments.len()
        + profile.conditions.len()
        + profile.vaccinations.len()
        + profile.measurements.len()
        + profile.lab_results.len()
        + profile.family_history.len();
    if total == 0 {
        println!("{}", ctx.t("profile.empty"));
        return Ok(());
    }

    if let Some(group) = profile.blood_group {
        println!(
            "{}",
            ctx.t("profile.blood_group_line")
                .replace("{group}", group.code())
        );
    }
    section(ctx, "profile.allergies", &profile.allergies, |a| {
        let mut line = label(&a.substance);
        if let Some(severity) = &a.severity {
            line.push_str(&format!(" ({severity})"));
        }
        line
    });
    section(ctx, "profile.treatments", &profile.treatments, |t| {
        let mut line = format!(
            "{}  {}",
            day(t.start.as_ref().map(|d| d.date())),
            label(&t.medication)
        );
        // Some documents repeat the medication's name as its dosage text.
        if let Some(dosage) = t
            .dosage
            .as_ref()
            .filter(|d| Some(d.as_str()) != t.medication.label())
        {
            line.push_str(&format!(" — {dosage}"));
        }
        line
    });
    section(ctx, "profile.conditions", &profile.conditions, |c| {
        let mut line = format!(
            "{}  {}",
            day(c.onset.as_ref().map(|d| d.date())),
            label(&c.code)
        );
        if let Some(status) = &c.status {
            line.push_str(&format!(" ({status})"));
        }
        line
    });
    section(ctx, "profile.vaccinations", &profile.vaccinations, |v| {
        vaccination_line(ctx, v)
    });
    section(ctx, "profile.measurements", &profile.measurements, |m| {
        measurement_line(ctx, m)
    });
    section(ctx, "profile.lab_results", &profile.lab_results, |r| {
        let mut line = format!(
            "{}  {}: {}",
            day(r.time.as_ref().map(|d| d.date())),
            label(&r.analyte),
            r.value.as_deref().unwrap_or("?")
        );
        if let Some(unit) = &r.unit {
            line.push_str(&format!(" {unit}"));
        }
        if let Some(range) = &r.reference_range {
            line.push_str(&format!(" [{range}]"));
        }
        line
    });
    section(
        ctx,
        "profile.family_history",
        &profile.family_history,
        |f| format!("{}: {}", label(&f.relationship), label(&f.condition)),
    );
    Ok(())
}

/// Sets or clears a person's blood group.
pub fn blood_group(ctx: &Ctx, person: &str, action: BloodGroupAction) -> Result<()> {
    let group = match &action {
        BloodGroupAction::Set { group } => Some(BloodGroup::parse(group).map_err(|e| ctx.fail(e))?),
        BloodGroupAction::Clear => None,
    };
    let mut vault = ctx.open()?;
    let person = vault
        .resolve_person(Some(person))
        .map_err(|e| ctx.fail(e))?;
    vault
        .set_blood_group(&person.id, group)
        .map_err(|e| ctx.fail(e))?;
    let name = output::clean(&person.name);
    match group {
        Some(group) => println!(
            "{}",
            ctx.t("cli.blood_group_set")
                .replace("{name}", &name)
                .replace("{group}", group.code())
        ),
        None => println!(
            "{}",
            ctx.t("cli.blood_group_cleared").replace("{name}", &name)
        ),
    }
    Ok(())
}

/// Prints a person's vaccinations, oldest first within each origin.
///
/// Both kinds of vaccinations are listed: those read from documents, then those
/// recorded by hand with `vaccinations record`. In JSON, each row carries an
/// `origin` of `document` or `recorded`.
pub fn vaccinations(ctx: &Ctx, person: Option<&str>, json: bool) -> Result<()> {
    let vault = ctx.open()?;
    let person = vault.resolve_person(person).map_err(|e| ctx.fail(e))?;
    let documented = vault.vaccinations(&person.id).map_err(|e| ctx.fail(e))?;
    let recorded = vault
        .recorded_vaccinations(&person.id)
        .map_err(|e| ctx.fail(e))?;
    if json {
        let mut rows = Vec::new();
        for vaccination in &documented {
            let mut row = serde_json::to_value(vaccination)?;
            row["origin"] = json!("document");
            rows.push(row);
        }
        for vaccination in &recorded {
            let mut row = serde_json::to_value(vaccination)?;
            row["origin"] = json!("recorded");
            rows.push(row);
        }
        return output::json(&rows);
    }
    if documented.is_empty() && recorded.is_empty() {
        println!("{}", ctx.t("profile.no_vaccinations"));
        return Ok(());
    }
    for vaccination in &documented {
        println!(
            "{}  {}",
            vaccination_line(ctx, &vaccination.entry),
            sources(ctx, vaccination.sources.len())
        );
    }
    for vaccination in &recorded {
        println!("{}", recorded_line(ctx, vaccination));
    }
    Ok(())
}

/// Formats a vaccination typed by the user: date, vaccine as typed, lot, marker.
fn recorded_line(ctx: &Ctx, vaccination: &RecordedVaccination) -> String {
    let mut line = format!(
        "{}  {}",
        vaccination.given_on,
        output::clean(&vaccination.vaccine)
    );
    if let Some(lot) = &vaccination.lot {
        let lot = output::clean(lot);
        line.push_str(&format!(
            ", {}",
            ctx.t("profile.lot").replace("{lot}", &lot)
        ));
    }
    line.push_str(&format!("  {}", ctx.t("profile.recorded_by_hand")));
    line
}

/// Prints a person's measurements, oldest first, as text, CSV or JSON.
pub fn measurements(
    ctx: &Ctx,
    person: Option<&str>,
    code: Option<&str>,
    csv: bool,
    json: bool,
) -> Result<()> {
    let series = match code {
        None => None,
        Some(code) => Some(MeasureKind::parse(code).ok_or_else(|| {
            let codes: Vec<&str> = MeasureKind::ALL.iter().map(|k| k.code()).collect();
            anyhow!(
                ctx.t("profile.unknown_measure")
                    .replace("{code}", code)
                    .replace("{codes}", &codes.join(", "))
            )
        })?),
    };
    let vault = ctx.open()?;
    let person = vault.resolve_person(person).map_err(|e| ctx.fail(e))?;
    let measurements = vault
        .measurements(&person.id, series)
        .map_err(|e| ctx.fail(e))?;
    if json {
        return output::json(&measurements);
    }
    if csv {
        return write_csv(&measurements);
    }
    if measurements.is_empty() {
        println!("{}", ctx.t("profile.no_measurements"));
        return Ok(());
    }
    for measurement in &measurements {
        println!("{}", measurement_line(ctx, &measurement.entry));
    }
    Ok(())
}

/// Column names of `carnet measurements --csv`, a stable interface for spreadsheets.
const CSV_HEADER: &str = "date,kind,value,unit,original_value,original_unit,code,sources";

fn write_csv(measurements: &[SourcedEntry<Measurement>]) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "{CSV_HEADER}")?;
    for item in measurements {
        let m = &item.entry;
        let row = [
            m.time
                .as_ref()
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default(),
            m.kind.code().to_owned(),
            m.value.to_string(),
            m.unit.clone(),
            m.original_value.clone(),
            m.original_unit.clone().unwrap_or_default(),
            m.code.code.clone().unwrap_or_default(),
            item.sources.join(" "),
        ];
        let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        writeln!(out, "{}", fields.join(","))?;
    }
    Ok(())
}

/// Quotes a CSV field when it contains a separator, a quote or a line break
/// (RFC 4180), and neutralises a leading `=`, `+`, `-` or `@` that spreadsheets
/// would run as a formula, unless the field is a number.
fn csv_field(field: &str) -> String {
    let formula = field.starts_with(['=', '+', '-', '@']) && field.parse::<f64>().is_err();
    let field = if formula {
        format!("'{field}")
    } else {
        field.to_owned()
    };
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}

fn section<T>(ctx: &Ctx, key: &str, items: &[SourcedEntry<T>], line: impl Fn(&T) -> String) {
    if items.is_empty() {
        return;
    }
    println!("{} ({})", ctx.t(key), items.len());
    for item in items {
        println!(
            "  {}  {}",
            line(&item.entry),
            sources(ctx, item.sources.len())
        );
    }
}

fn vaccination_line(ctx: &Ctx, v: &Vaccination) -> String {
    let mut line = format!(
        "{}  {}",
        day(v.date.as_ref().map(|d| d.date())),
        label(&v.vaccine)
    );
    if let Some(lot) = &v.lot_number {
        line.push_str(&format!(", {}", ctx.t("profile.lot").replace("{lot}", lot)));
    }
    line
}

fn measurement_line(ctx: &Ctx, m: &Measurement) -> String {
    format!(
        "{}  {}: {} {}",
        day(m.time.as_ref().map(|d| d.date())),
        ctx.t(&format!("measure.{}", m.kind.code())),
        number(m.value),
        m.unit
    )
}

/// Formats a value with at most two decimals and no trailing zeros.
fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn sources(ctx: &Ctx, count: usize) -> String {
    format!(
        "({})",
        ctx.t("profile.sources")
            .replace("{count}", &count.to_string())
    )
}

fn label(code: &Code) -> String {
    code.label().unwrap_or("?").to_owned()
}

fn day(date: Option<&str>) -> String {
    match date {
        Some(date) => date.to_owned(),
        None => "----------".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_field_quotes_separators() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }

    #[test]
    fn csv_field_neutralises_formulas() {
        assert_eq!(csv_field("=cmd()"), "'=cmd()");
        assert_eq!(csv_field("-1.5"), "-1.5");
    }
}
