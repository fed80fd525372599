//! `kiosk hash-pin`: makes the Argon2id hash for `[staff] pin_hash`.
//!
//! The PIN is read from the terminal without echo (asked twice), or as the
//! first line of standard input when that is not a terminal, never from
//! the command line, where it would stay in the shell history and be seen
//! by other users in the process list.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::Context;
use kiosk::staff::pin::{check_pin, hash_pin};

pub fn run() -> anyhow::Result<ExitCode> {
    let pin = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("New staff PIN (4-12 digits): ")
            .context("reading the PIN")?;
        check_pin(&first)?;
        let again =
            rpassword::prompt_password("The same PIN again: ").context("reading the PIN")?;
        if again != first {
            eprintln!("kiosk: the two PINs differ; nothing was made");
            return Ok(ExitCode::FAILURE);
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the PIN from standard input")?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    let hash = hash_pin(&pin)?;
    println!("{hash}");
    eprintln!("Put this line in kiosk.toml under [staff]:  pin_hash = \"{hash}\"");
    Ok(ExitCode::SUCCESS)
}
