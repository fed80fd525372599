//! `kiosk say`: speak a text through the configured engine and device, or
//! write it to a WAV file, so an installer can test the sound.
//!
//! What to say is `--text`, or `--screen NAME`: that screen drawn off
//! screen (as `kiosk screenshot` does) and what its "read aloud" button
//! would say. `--print` prints the text instead of speaking it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ArgGroup;
use kiosk::domain::Lang;
use kiosk::speech::{SpeechSettings, say, write_wav};
use kiosk::ui::screenshot::Offscreen;

#[derive(Debug, clap::Args)]
#[command(group(ArgGroup::new("what").required(true).args(["text", "screen"])))]
pub struct Args {
    /// The text to say
    #[arg(long)]
    pub text: Option<String>,
    /// Say what "read aloud" says on this screen (`kiosk screenshot --list` names them)
    #[arg(long, value_name = "NAME")]
    pub screen: Option<String>,
    /// Print the text instead of speaking it
    #[arg(long, conflicts_with = "out")]
    pub print: bool,
    /// Language, bg or en [default: [accessibility] default_language]
    #[arg(long, value_parser = ["bg", "en"])]
    pub lang: Option<String>,
    /// Write the speech to this WAV file instead of playing it
    #[arg(long, value_name = "FILE.wav")]
    pub out: Option<PathBuf>,
}

pub fn run(config: Option<&Path>, args: &Args) -> anyhow::Result<ExitCode> {
    let (_, config) = match super::load_config(config) {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let lang = match args.lang.as_deref() {
        Some("en") => Lang::En,
        Some(_) => Lang::Bg,
        None => config.accessibility.default_language,
    };
    let text = match &args.screen {
        Some(name) => {
            let offscreen = Offscreen::new(&config)?;
            offscreen.prepare(name, lang, false)?;
            offscreen.app().screen_text()
        }
        None => args.text.clone().unwrap_or_default(),
    };
    if args.print {
        println!("{text}");
        return Ok(ExitCode::SUCCESS);
    }
    let settings = SpeechSettings::from_config(&config);
    if !settings.enabled {
        eprintln!(
            "kiosk: [speech] enabled = false: the kiosk stays silent; speaking anyway for this test"
        );
    }
    let result = match &args.out {
        Some(path) => write_wav(&settings, &text, lang, path)
            .map(|()| format!("wrote {} ({})", path.display(), lang.code())),
        None => say(&settings, &text, lang)
            .map(|()| format!("said it in {} on {}", lang.code(), settings.device_name())),
    };
    match result {
        Ok(done) => {
            println!("{done}");
            Ok(ExitCode::SUCCESS)
        }
        Err(problem) => {
            eprintln!("kiosk: {problem}");
            Ok(ExitCode::FAILURE)
        }
    }
}
