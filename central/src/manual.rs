//! `kiosk-central manual`: the man page kiosk-central(1) the .deb
//! installs, made from the same definitions as `--help`, so it cannot
//! drift from the commands.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::Cli;

/// Writes the page (roff) to stdout.
pub fn write() -> anyhow::Result<()> {
    let cmd = Cli::command();
    let mut page = Vec::new();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    page.extend_from_slice(b".SH COMMANDS\n");
    commands(&cmd, "kiosk-central", &mut page)?;
    page.extend_from_slice(FILES.as_bytes());
    man.render_version_section(&mut page)?;
    std::io::stdout().write_all(&page)?;
    Ok(())
}

/// Every command that does something, nested ones by their full name
/// ("kiosk-central complaint answer"), with its options.
fn commands(parent: &clap::Command, path: &str, page: &mut Vec<u8>) -> anyhow::Result<()> {
    for sub in parent.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("{path} {}", sub.get_name());
        if sub.has_subcommands() {
            commands(sub, &name, page)?;
            continue;
        }
        writeln!(page, ".SS \"{name}\"")?;
        if let Some(about) = sub.get_long_about().or(sub.get_about()) {
            writeln!(page, "{}", roff_text(&about.to_string()))?;
        }
        for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
            let flag = match (arg.get_long(), arg.get_value_names()) {
                (Some(long), Some(values)) => format!("\\-\\-{long} {}", values.join(" ")),
                (Some(long), None) => format!("\\-\\-{long}"),
                (None, _) => arg.get_id().as_str().to_uppercase(),
            };
            writeln!(page, ".TP\n\\fB{flag}\\fR")?;
            if let Some(help) = arg.get_help() {
                writeln!(page, "{}", roff_text(&help.to_string()))?;
            }
        }
    }
    Ok(())
}

/// Text safe at the start of a roff line.
fn roff_text(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('-', "\\-");
    if escaped.starts_with('.') || escaped.starts_with('\'') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

const FILES: &str = r".SH FILES
.TP
/etc/kiosk\-central/central.toml
The configuration (commented; checked with \fBkiosk\-central check\-config\fR).
.TP
/var/lib/kiosk\-central/central.db
The SQLite database, when [database] url names it.
.SH SEE ALSO
/usr/share/doc/kiosk\-central/README.md
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_lists_nested_commands_with_their_options() {
        let mut page = Vec::new();
        commands(&Cli::command(), "kiosk-central", &mut page).unwrap();
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.contains(".SS \"kiosk-central complaint answer\""),
            "{page}"
        );
        assert!(page.contains(".SS \"kiosk-central kiosk add\""), "{page}");
        assert!(page.contains("\\-\\-out FILE"), "{page}");
        assert!(
            !page.contains(" manual\""),
            "the hidden command is left out"
        );
    }

    #[test]
    fn lines_never_start_as_a_roff_request() {
        assert_eq!(roff_text(".hidden"), "\\&.hidden");
        assert_eq!(roff_text("a-b"), "a\\-b");
    }
}
