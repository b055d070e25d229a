//! Command-line arguments. Command names and flags are a stable interface: scripts
//! and tests rely on them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Carnet: the encrypted health record of your family, on your own devices.
#[derive(Debug, Parser)]
#[command(name = "carnet", version, about, long_about = None)]
pub struct Cli {
    /// Vault directory (default: the user's data directory, `carnet/vault`).
    #[arg(long, global = true, env = "CARNET_VAULT")]
    pub vault: Option<PathBuf>,

    /// Language of messages: `fr` (default) or `en`.
    #[arg(long, global = true, env = "CARNET_LANG")]
    pub lang: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new vault (asks for the passphrase twice; prints the recovery kit once).
    Init {
        /// Keep an unlock secret in the operating system's keyring.
        #[arg(long)]
        remember: bool,
    },
    /// Manage the people whose records the vault holds.
    #[command(subcommand)]
    Person(PersonCommand),
    /// Import files and folders (recursively) into a person's record.
    Import {
        /// Person (id or name) receiving the documents.
        #[arg(long)]
        person: Option<String>,
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// File clinical documents (CDA, FHIR) even when their patient is someone
        /// else; the journal records it.
        #[arg(long)]
        force: bool,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List documents, newest first.
    List {
        #[arg(long)]
        person: Option<String>,
        /// Category code or name (`BIOLOGIE`, `biologie`, `vaccins`…).
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Search titles and text, ignoring case and accents.
    Search {
        query: String,
        #[arg(long)]
        person: Option<String>,
        /// Maximum number of results.
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Show one document's details.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Write a document's original bytes to a file.
    Extract {
        id: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Edit or delete a document.
    #[command(subcommand)]
    Doc(DocCommand),
    /// Write the whole vault to one archive (FHIR R4 bundle and original files).
    ///
    /// A document whose content is missing or damaged in the vault is left out:
    /// the export goes on, prints each such document with the reason, lists it
    /// under `skipped` in the archive's manifest.json, and exits with status 3.
    /// Exit status: 0 when every document was written, 1 when the export failed
    /// or was interrupted with Ctrl-C and wrote no archive, 3 when the archive was
    /// written without some documents.
    Export {
        /// Path of the new ZIP archive; an existing file is never overwritten.
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore an export archive into a new vault.
    ImportArchive {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Change the passphrase.
    #[command(subcommand)]
    Passphrase(PassphraseCommand),
    /// Set a new passphrase with the recovery kit.
    Recover,
    /// Show the vault's journal of imports, edits, deletions and exports.
    Log {
        /// Check the journal's hash chain.
        #[arg(long)]
        verify: bool,
        #[arg(long)]
        json: bool,
    },
    /// Forget the unlock secret remembered on this device.
    ForgetDevice,
    /// Check the vault database's integrity.
    Check,
    /// Show the medical profile read from clinical documents.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// List vaccinations read from clinical documents, oldest first.
    Vaccinations {
        /// `due` or `record`; without it, list the vaccinations.
        #[command(subcommand)]
        action: Option<VaccinationAction>,
        #[arg(long)]
        person: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Manage appointments and reminders, and import or export `.ics` files.
    #[command(subcommand)]
    Agenda(AgendaCommand),
    /// List the compulsory check-ups and prevention appointments, or record a
    /// decision on one (`done`, `dismiss`, `plan`).
    Prevention {
        #[command(subcommand)]
        action: Option<PreventionAction>,
        #[arg(long)]
        person: Option<String>,
        /// Evaluation date, YYYY-MM-DD (default: today).
        #[arg(long)]
        at: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List measurements read from clinical documents, oldest first, in one unit per kind.
    Measurements {
        #[arg(long)]
        person: Option<String>,
        /// Only this series: weight, height, head_circumference, waist_circumference,
        /// temperature, blood_pressure, glucose, hba1c, bmi or heart_rate.
        #[arg(long)]
        code: Option<String>,
        /// Print CSV (a header line, then one row per measurement).
        #[arg(long, conflicts_with = "json")]
        csv: bool,
        #[arg(long)]
        json: bool,
    },
    /// Build a demo vault from the bundled sample documents, then list and search it.
    Demo {
        /// Folder of sample documents (default: the repository's `samples/`).
        #[arg(long)]
        samples: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Add a person.
    Add(PersonAdd),
    /// List everyone.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Change a person's name, birth date, sex, relation or INS; options left out
    /// keep their value.
    Edit(PersonEditArgs),
}

#[derive(Debug, Args)]
pub struct PersonEditArgs {
    /// Person (id, id suffix of 6 characters or more, or name).
    pub person: String,
    /// New name, 1 to 200 characters.
    #[arg(long)]
    pub name: Option<String>,
    /// Birth date, YYYY-MM-DD.
    #[arg(long)]
    pub birth_date: Option<String>,
    /// F, M or U.
    #[arg(long)]
    pub sex: Option<String>,
    /// titulaire, enfant, parent, conjoint, tutelle (personne sous tutelle) or autre.
    #[arg(long)]
    pub relation: Option<String>,
    /// New INS (NIR), checked with its key and unique in the vault.
    #[arg(long, conflicts_with = "clear_ins")]
    pub ins: Option<String>,
    /// Remove the INS.
    #[arg(long)]
    pub clear_ins: bool,
    /// Print the person as stored afterwards, as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PersonAdd {
    #[arg(long)]
    pub name: String,
    /// Birth date, YYYY-MM-DD.
    #[arg(long)]
    pub birth_date: String,
    /// F, M or U.
    #[arg(long, default_value = "U")]
    pub sex: String,
    /// titulaire, enfant, parent, conjoint, tutelle (personne sous tutelle) or autre.
    #[arg(long)]
    pub relation: Option<String>,
    /// INS (NIR), checked with its key.
    #[arg(long)]
    pub ins: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum DocCommand {
    /// Change a document's title, category or date.
    Edit {
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        category: Option<String>,
        /// YYYY-MM-DD.
        #[arg(long)]
        date: Option<String>,
    },
    /// Delete a document after confirmation.
    Delete {
        id: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Print allergies, treatments, conditions, vaccinations, measurements, lab
    /// results and family history, each with its number of source documents.
    Show {
        #[arg(long)]
        person: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Set or clear a person's blood group, typed from a blood group card or a
    /// laboratory result.
    BloodGroup {
        /// Person (id, id suffix of 6 characters or more, or name).
        person: String,
        #[command(subcommand)]
        action: BloodGroupAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum BloodGroupAction {
    /// Record the group: A+, A-, B+, B-, AB+, AB-, O+ or O- (letters in either
    /// case, the letter O and not the digit 0, no space).
    Set {
        #[arg(allow_hyphen_values = true)]
        group: String,
    },
    /// Remove the recorded group.
    Clear,
}

#[derive(Debug, Subcommand)]
pub enum PassphraseCommand {
    /// Replace the passphrase (the recovery kit stays valid).
    Change,
}

#[derive(Debug, Subcommand)]
pub enum VaccinationAction {
    /// Show the doses of the French vaccination calendar: done, due, overdue,
    /// upcoming or missed.
    Due {
        #[arg(long)]
        person: Option<String>,
        /// Evaluation date, YYYY-MM-DD (default: today).
        #[arg(long)]
        at: Option<String>,
        /// Also list the doses no longer offered at this age (hidden by default).
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Record a vaccination given, typed by hand.
    Record {
        #[arg(long)]
        person: Option<String>,
        /// Brand name (`Bexsero`), ATC, CVX or SNOMED CT code.
        #[arg(long)]
        vaccine: String,
        /// Date given, YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// Lot number.
        #[arg(long)]
        lot: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Delete a vaccination recorded by hand, by the id that
    /// `carnet vaccinations --json` shows.
    Delete { id: String },
}

#[derive(Debug, Subcommand)]
pub enum AgendaCommand {
    /// List appointments and reminders with recurrences expanded (default: from
    /// today for 90 days).
    List {
        /// Only this person (default: everyone).
        #[arg(long)]
        person: Option<String>,
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: Option<String>,
        /// Last day included, YYYY-MM-DD.
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Add an appointment or a reminder (times are Europe/Paris wall-clock times).
    Add(AgendaAdd),
    /// Delete an event and its recurrences.
    Delete {
        /// The event's UID.
        uid: String,
        /// Whose agenda (default: the one person holding this UID).
        #[arg(long)]
        person: Option<String>,
    },
    /// Import the events of an `.ics` file; events already imported are updated.
    Import {
        file: PathBuf,
        #[arg(long)]
        person: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Write events to an `.ics` file (default: everyone's).
    Export {
        /// Path of the new `.ics` file, or `-` for standard output.
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        person: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct AgendaAdd {
    #[arg(long)]
    pub person: Option<String>,
    #[arg(long)]
    pub title: String,
    /// Start, "YYYY-MM-DD HH:MM" (or YYYY-MM-DD with --all-day).
    #[arg(long)]
    pub start: String,
    /// End, "YYYY-MM-DD HH:MM".
    #[arg(long, conflicts_with = "minutes")]
    pub end: Option<String>,
    /// Length in minutes.
    #[arg(long)]
    pub minutes: Option<u32>,
    /// A whole-day event.
    #[arg(long, conflicts_with_all = ["end", "minutes"])]
    pub all_day: bool,
    #[arg(long)]
    pub location: Option<String>,
    #[arg(long)]
    pub practitioner: Option<String>,
    #[arg(long)]
    pub specialty: Option<String>,
    #[arg(long)]
    pub notes: Option<String>,
    /// Recurrence rule as in iCalendar, e.g. "FREQ=MONTHLY;COUNT=6".
    #[arg(long)]
    pub rrule: Option<String>,
    /// Reminder this many minutes before the start.
    #[arg(long)]
    pub alarm_minutes: Option<u32>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum PreventionAction {
    /// Mark a suggestion as done.
    Done {
        /// Suggestion id, as listed by `carnet prevention`.
        id: String,
        #[arg(long)]
        person: Option<String>,
        /// Date it was done, YYYY-MM-DD (default: today).
        #[arg(long)]
        on: Option<String>,
    },
    /// Dismiss a suggestion.
    Dismiss {
        id: String,
        #[arg(long)]
        person: Option<String>,
    },
    /// Plan a suggestion for a date.
    Plan {
        id: String,
        #[arg(long)]
        person: Option<String>,
        /// Planned date, YYYY-MM-DD.
        #[arg(long)]
        on: String,
    },
}
