//! One utterance: the engine process, and the player it feeds.
//!
//! Both run in process groups of their own. Dropping an [`Utterance`] that
//! has not finished kills both groups and reaps the processes, so a
//! cancelled utterance leaves nothing running and no zombie behind. A group
//! is only signalled while its leader has not been reaped, so its id cannot
//! belong to someone else.

use std::io::{Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, ExitStatus, Stdio};
use std::time::Duration;

use super::settings::{Output, SpeechSettings};
use super::status::SpeechProblem;
use crate::domain::Lang;

/// Longest text handed to the engine, in characters. The text is written
/// into a pipe before the engine reads it; a pipe holds 64 KiB, and no
/// screen says more than this.
pub const MAX_TEXT_CHARS: usize = 16_000;

/// Where the audio goes.
#[derive(Debug, Clone, Copy)]
pub enum Sink<'a> {
    /// Through the player to the configured ALSA device.
    Device,
    /// Into a WAV file; no player.
    File(&'a Path),
}

/// A process and, once it has ended, how.
struct Proc {
    child: Child,
    ended: Option<ExitStatus>,
}

impl Proc {
    fn new(child: Child) -> Self {
        Self { child, ended: None }
    }

    /// Whether it has ended; an error asking counts as having ended badly.
    fn poll(&mut self) -> bool {
        if self.ended.is_none() {
            match self.child.try_wait() {
                Ok(status) => self.ended = status,
                Err(_) => self.ended = Some(ExitStatus::from_raw(1 << 8)),
            }
        }
        self.ended.is_some()
    }

    /// The last line the process wrote to stderr, if it was piped.
    fn last_words(&mut self) -> Option<String> {
        let mut text = String::new();
        self.child.stderr.take()?.read_to_string(&mut text).ok()?;
        text.lines()
            .rev()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(str::to_string)
    }

    fn kill(&mut self) {
        if self.ended.is_some() {
            return;
        }
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY: kill(2) takes plain integers and touches no memory;
            // the group's leader is our unreaped child, so the id is ours.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        self.ended = self.child.wait().ok();
    }
}

/// A running utterance.
pub struct Utterance {
    engine: Proc,
    player: Option<Proc>,
    engine_name: String,
    device: String,
}

impl Utterance {
    /// Starts the engine (and the player for [`Sink::Device`]) and hands the
    /// engine the text. Returns at once; [`Utterance::poll`] says how it ended.
    pub fn start(
        settings: &SpeechSettings,
        text: &str,
        lang: Lang,
        sink: Sink<'_>,
    ) -> Result<Self, SpeechProblem> {
        let engine_name = settings.engine.display().to_string();
        let output = match sink {
            Sink::Device => Output::Stdout,
            Sink::File(path) => Output::File(path),
        };
        let mut cmd = settings.engine_command(lang, output);
        cmd.stdin(Stdio::piped()).stderr(Stdio::piped());
        cmd.stdout(match sink {
            Sink::Device => Stdio::piped(),
            Sink::File(_) => Stdio::null(),
        });
        let mut engine = Proc::new(cmd.spawn().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
                SpeechProblem::EngineMissing {
                    engine: engine_name.clone(),
                }
            }
            _ => SpeechProblem::EngineFailed {
                engine: engine_name.clone(),
                detail: format!("could not start it: {e}"),
            },
        })?);
        let player = match (sink, engine.child.stdout.take()) {
            (Sink::Device, Some(wav)) => {
                let mut cmd = settings.player_command();
                cmd.stdin(Stdio::from(wav))
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped());
                match cmd.spawn() {
                    Ok(child) => Some(Proc::new(child)),
                    Err(e) => {
                        engine.kill();
                        let player = settings.player.display().to_string();
                        return Err(match e.kind() {
                            std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
                                SpeechProblem::PlayerMissing { player }
                            }
                            _ => SpeechProblem::AudioDevice {
                                device: settings.device_name(),
                                detail: format!("could not start {player}: {e}"),
                            },
                        });
                    }
                }
            }
            _ => None,
        };
        if let Some(mut stdin) = engine.child.stdin.take() {
            let text: String = text.chars().take(MAX_TEXT_CHARS).collect();
            // An engine that has already quit closed its end; what it wrote
            // on stderr says why, and poll() reports that.
            let _ = stdin.write_all(text.as_bytes());
            // Dropping stdin closes it: the engine has the whole text.
        }
        Ok(Self {
            engine,
            player,
            engine_name,
            device: settings.device_name(),
        })
    }

    /// `None` while the utterance runs; then how it ended.
    pub fn poll(&mut self) -> Option<Result<(), SpeechProblem>> {
        let engine_done = self.engine.poll();
        let player_done = self.player.as_mut().is_none_or(Proc::poll);
        if !(engine_done && player_done) {
            return None;
        }
        Some(self.outcome())
    }

    /// Waits until the utterance has ended.
    pub fn wait(mut self) -> Result<(), SpeechProblem> {
        loop {
            if let Some(outcome) = self.poll() {
                return outcome;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn outcome(&mut self) -> Result<(), SpeechProblem> {
        let engine_status = self.engine.ended.unwrap_or(ExitStatus::from_raw(0));
        let engine_failed =
            |detail: Option<String>, fallback: String| SpeechProblem::EngineFailed {
                engine: self.engine_name.clone(),
                detail: detail.unwrap_or(fallback),
            };
        // An engine that exits with an error (a voice it does not have)
        // also leaves the player without sound: blame the engine then.
        if engine_status.code().is_some_and(|c| c != 0) {
            let words = self.engine.last_words();
            return Err(engine_failed(
                words,
                format!("it exited with {engine_status}"),
            ));
        }
        if let Some(player) = &mut self.player {
            let status = player.ended.unwrap_or(ExitStatus::from_raw(0));
            if !status.success() {
                return Err(SpeechProblem::AudioDevice {
                    device: self.device.clone(),
                    detail: player
                        .last_words()
                        .unwrap_or_else(|| format!("the player exited with {status}")),
                });
            }
        }
        if let Some(signal) = engine_status.signal() {
            let words = self.engine.last_words();
            return Err(engine_failed(
                words,
                format!("it was killed by signal {signal}"),
            ));
        }
        Ok(())
    }
}

impl Drop for Utterance {
    fn drop(&mut self) {
        self.engine.kill();
        if let Some(player) = &mut self.player {
            player.kill();
        }
    }
}

/// Says `text` on the configured device and waits until it has been said.
pub fn say(settings: &SpeechSettings, text: &str, lang: Lang) -> Result<(), SpeechProblem> {
    Utterance::start(settings, text, lang, Sink::Device)?.wait()
}

/// Writes `text` as spoken audio to the WAV file `path`.
pub fn write_wav(
    settings: &SpeechSettings,
    text: &str,
    lang: Lang,
    path: &Path,
) -> Result<(), SpeechProblem> {
    // espeak-ng exits 0 even when it cannot write the file: look at it.
    let _ = std::fs::remove_file(path);
    let mut utterance = Utterance::start(settings, text, lang, Sink::File(path))?;
    let outcome = loop {
        if let Some(outcome) = utterance.poll() {
            break outcome;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let words = utterance.engine.last_words();
    outcome?;
    let written = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    // 44 bytes is a WAV header and no sound.
    if written <= 44 {
        return Err(SpeechProblem::EngineFailed {
            engine: settings.engine.display().to_string(),
            detail: words.unwrap_or_else(|| format!("it wrote no sound to {}", path.display())),
        });
    }
    Ok(())
}
