//! How long from asking for speech to the first audio sample.
//!
//! The measure starts before the engine is started and stops when the first
//! bytes after the 44-byte WAV header arrive on its standard output: what
//! the player would get. The player's own start-up and the sound card's
//! buffer come on top and are not measured here.

use std::io::{Read, Write};
use std::process::Stdio;
use std::time::{Duration, Instant};

use super::settings::{Output, SpeechSettings};
use super::status::SpeechProblem;
use crate::domain::Lang;

/// The size of the WAV header espeak-ng writes before the samples.
const WAV_HEADER: usize = 44;

/// Time from starting the engine on `text` to its first audio sample.
pub fn first_audio(
    settings: &SpeechSettings,
    text: &str,
    lang: Lang,
) -> Result<Duration, SpeechProblem> {
    let engine = settings.engine.display().to_string();
    let failed = |detail: String| SpeechProblem::EngineFailed {
        engine: engine.clone(),
        detail,
    };
    let mut cmd = settings.engine_command(lang, Output::Stdout);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let start = Instant::now();
    let mut child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
            SpeechProblem::EngineMissing {
                engine: engine.clone(),
            }
        }
        _ => failed(format!("could not start it: {e}")),
    })?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(text.as_bytes());
    }
    let mut received = 0;
    let mut buf = [0u8; 4096];
    let result = match child.stdout.take() {
        Some(mut out) => loop {
            match out.read(&mut buf) {
                Ok(0) => break Err(failed("it gave no audio".into())),
                Ok(n) => {
                    received += n;
                    if received > WAV_HEADER {
                        break Ok(start.elapsed());
                    }
                }
                Err(e) => break Err(failed(format!("reading its output: {e}"))),
            }
        },
        None => Err(failed("no output pipe".into())),
    };
    let _ = child.kill();
    let _ = child.wait();
    result
}
