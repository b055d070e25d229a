//! `carnet`: the command-line client of Carnet's encrypted family health vault.

mod args;
mod commands;
mod context;
mod output;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command, PassphraseCommand, ProfileCommand};
use commands::{agenda, demo, documents, init, journal, keys, people, profile, transfer};
use context::Ctx;

fn main() -> ExitCode {
    // Exit quietly when the reader of standard output goes away (`carnet list | head`),
    // as command-line tools do, instead of panicking on the broken pipe.
    #[cfg(unix)]
    // SAFETY: called before any thread starts; SIG_DFL is a valid disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }

    // Logs go to standard error, off by default: `RUST_LOG=carnet_core=info` shows
    // vault events, which carry ids and counts, never content or keys.
    // `pdf_extract` and `lopdf` log fragments of the documents they parse, so their
    // records are always dropped, whatever RUST_LOG says.
    let filter = tracing_subscriber::EnvFilter::from_env("RUST_LOG")
        .add_directive("pdf_extract=off".parse().expect("a valid directive"))
        .add_directive("lopdf=off".parse().expect("a valid directive"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();

    let cli = Cli::parse();
    let explicit_vault = cli.vault.is_some();
    let ctx = match Ctx::new(cli.vault, cli.lang) {
        Ok(ctx) => ctx,
        Err(e) => {
            eprintln!("carnet: {e}");
            return ExitCode::FAILURE;
        }
    };

    let result = match cli.command {
        Command::Init { remember } => init::run(&ctx, remember),
        Command::Person(command) => people::run(&ctx, command),
        Command::Import {
            person,
            paths,
            force,
            json,
        } => documents::import(&ctx, person.as_deref(), &paths, force, json),
        Command::List {
            person,
            category,
            json,
        } => documents::list(&ctx, person.as_deref(), category.as_deref(), json),
        Command::Search {
            query,
            person,
            limit,
            json,
        } => documents::search(&ctx, &query, person.as_deref(), limit, json),
        Command::Show { id, json } => documents::show(&ctx, &id, json),
        Command::Extract { id, out } => documents::extract(&ctx, &id, &out),
        Command::Doc(command) => documents::doc(&ctx, command),
        Command::Export { out } => transfer::export(&ctx, &out),
        Command::ImportArchive { file, json } => transfer::import_archive(&ctx, &file, json),
        Command::Passphrase(PassphraseCommand::Change) => keys::change(&ctx),
        Command::Recover => keys::recover(&ctx),
        Command::ForgetDevice => keys::forget_device(&ctx),
        Command::Log { verify, json } => journal::log(&ctx, verify, json),
        Command::Check => journal::check(&ctx),
        Command::Demo { samples } => demo::run(&ctx, explicit_vault, samples),
        Command::Profile(ProfileCommand::Show { person, json }) => {
            profile::show(&ctx, person.as_deref(), json)
        }
        Command::Profile(ProfileCommand::BloodGroup { person, action }) => {
            profile::blood_group(&ctx, &person, action)
        }
        Command::Vaccinations {
            action: Some(action),
            ..
        } => agenda::vaccinations(&ctx, action),
        Command::Vaccinations {
            action: None,
            person,
            json,
        } => profile::vaccinations(&ctx, person.as_deref(), json),
        Command::Agenda(command) => agenda::run(&ctx, command),
        Command::Prevention {
            action,
            person,
            at,
            json,
        } => agenda::prevention(&ctx, action, person.as_deref(), at.as_deref(), json),
        Command::Measurements {
            person,
            code,
            csv,
            json,
        } => profile::measurements(&ctx, person.as_deref(), code.as_deref(), csv, json),
    };

    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is::<transfer::PartialExport>() => {
            eprintln!("carnet: {e}");
            ExitCode::from(transfer::PARTIAL_EXPORT_STATUS)
        }
        Err(e) => {
            eprintln!("carnet: {e}");
            ExitCode::FAILURE
        }
    }
}
