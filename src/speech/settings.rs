//! What the speaker needs from kiosk.toml, and the command lines it runs.
//!
//! The engine (espeak-ng) reads the text on its standard input, so a
//! visitor's words never show in the process list, and writes WAV either to
//! a file (`-w`) or to its standard output (`--stdout`). For the speaker the
//! standard output goes through a pipe into the player (`aplay -D DEVICE`):
//! espeak-ng itself cannot choose an ALSA device, and aplay takes any name
//! `aplay -L` lists, so the Pi's jack, HDMI and a USB speaker are all one
//! key away.

use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::config::{Config, Speech};
use crate::domain::{Lang, Localized};

/// Everything the speaker and `kiosk say` need.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeechSettings {
    /// `[speech] enabled`.
    pub enabled: bool,
    /// `[speech] engine`: espeak-ng, or a program taking the same options.
    pub engine: PathBuf,
    /// `[speech] player`: aplay, or a program taking the same options.
    pub player: PathBuf,
    /// `[speech] device`; `None` for ALSA's default.
    pub device: Option<String>,
    /// `[speech] voice`.
    pub voice: Localized,
    /// `[speech] rate`, words per minute.
    pub rate: u16,
    /// `[speech] volume`, 0-200.
    pub volume: u16,
}

/// Where the engine's WAV goes.
#[derive(Debug, Clone, Copy)]
pub enum Output<'a> {
    /// To standard output (the player, or the benchmark).
    Stdout,
    /// To a WAV file.
    File(&'a Path),
}

impl SpeechSettings {
    /// The settings of a checked configuration.
    pub fn from_config(config: &Config) -> Self {
        Self::from(&config.speech)
    }

    /// The engine's command line for `lang`; the text goes to its stdin.
    pub fn engine_command(&self, lang: Lang, output: Output<'_>) -> Command {
        let mut args: Vec<OsString> = vec![
            "-v".into(),
            self.voice.get(lang).into(),
            "-s".into(),
            self.rate.to_string().into(),
            "-a".into(),
            self.volume.to_string().into(),
            // UTF-8 whatever the locale of the service running the kiosk.
            "-b".into(),
            "1".into(),
            "--stdin".into(),
        ];
        match output {
            Output::Stdout => args.push("--stdout".into()),
            Output::File(path) => {
                args.push("-w".into());
                args.push(path.into());
            }
        }
        let mut cmd = Command::new(&self.engine);
        // Its own process group, so that cancelling also ends anything a
        // wrapper script started.
        cmd.args(args).process_group(0);
        cmd
    }

    /// The player's command line; the WAV stream goes to its stdin.
    pub fn player_command(&self) -> Command {
        let mut cmd = Command::new(&self.player);
        cmd.arg("-q");
        if let Some(device) = &self.device {
            cmd.args(["-D", device]);
        }
        cmd.process_group(0);
        cmd
    }

    /// The device as staff should read it.
    pub fn device_name(&self) -> String {
        match &self.device {
            Some(d) => format!("ALSA device {d:?}"),
            None => "the default ALSA device".to_string(),
        }
    }
}

impl From<&Speech> for SpeechSettings {
    fn from(s: &Speech) -> Self {
        let device = s.device.trim();
        Self {
            enabled: s.enabled,
            engine: PathBuf::from(s.engine.trim()),
            player: PathBuf::from(s.player.trim()),
            device: (!device.is_empty()).then(|| device.to_string()),
            voice: s.voice.clone(),
            rate: s.rate,
            volume: s.volume,
        }
    }
}

impl Default for SpeechSettings {
    fn default() -> Self {
        Self::from(&Speech::default())
    }
}

/// Whether `program` can be run: an executable file at that path if it has
/// a '/', else one in a directory of `PATH`.
pub fn is_installed(program: &Path) -> bool {
    let executable = |p: &Path| {
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if program.as_os_str().is_empty() {
        return false;
    }
    if program.components().count() > 1 || program.is_absolute() {
        return executable(program);
    }
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| executable(&dir.join(program))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(cmd: &Command) -> Vec<String> {
        cmd.get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn the_engine_gets_voice_rate_and_volume_of_the_language() {
        let s = SpeechSettings {
            voice: Localized::new("bg".into(), "en-gb".into()),
            rate: 130,
            volume: 150,
            ..SpeechSettings::default()
        };
        let cmd = s.engine_command(Lang::En, Output::Stdout);
        assert_eq!(cmd.get_program(), "espeak-ng");
        assert_eq!(
            args(&cmd),
            [
                "-v", "en-gb", "-s", "130", "-a", "150", "-b", "1", "--stdin", "--stdout"
            ]
        );
        let cmd = s.engine_command(Lang::Bg, Output::File(Path::new("/tmp/a.wav")));
        assert_eq!(&args(&cmd)[..2], ["-v", "bg"]);
        assert_eq!(&args(&cmd)[9..], ["-w", "/tmp/a.wav"]);
    }

    #[test]
    fn the_player_gets_the_device_only_when_one_is_set() {
        let mut s = SpeechSettings::default();
        assert_eq!(args(&s.player_command()), ["-q"]);
        s.device = Some("plughw:CARD=Headphones".into());
        assert_eq!(
            args(&s.player_command()),
            ["-q", "-D", "plughw:CARD=Headphones"]
        );
    }

    #[test]
    fn a_blank_device_is_the_default_device() {
        let section = Speech {
            device: "  ".into(),
            ..Speech::default()
        };
        assert_eq!(SpeechSettings::from(&section).device, None);
        assert_eq!(
            SpeechSettings::from(&section).device_name(),
            "the default ALSA device"
        );
    }

    #[test]
    fn finds_programs_on_the_path_and_by_path() {
        assert!(is_installed(Path::new("sh")));
        assert!(is_installed(Path::new("/bin/sh")));
        assert!(!is_installed(Path::new("/nonexistent/espeak-ng")));
        assert!(!is_installed(Path::new("no-such-program-kiosk")));
        assert!(!is_installed(Path::new("")));
        // A directory is not a program.
        assert!(!is_installed(Path::new("/bin")));
    }
}
