//! Speech output against fake engine and player scripts.
//!
//! The fakes stand in for espeak-ng and aplay: each run records its
//! arguments, the text it was given and its process id in the directory it
//! is called from, so the tests check voice, rate, volume, device and
//! cancellation without a sound card or espeak-ng. Marker files in that
//! directory make them fail or hang. Only the last test needs the real
//! espeak-ng and skips itself without it.
//!
//! The scripts are written once, before any test starts a process, and each
//! test reaches them through symbolic links in its own directory: a script
//! still open for writing while another thread forks cannot be executed
//! ("text file busy").

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use kiosk::domain::{Lang, Localized};
use kiosk::speech::{
    Speaker, SpeechProblem, SpeechSettings, SpeechStatus, first_audio, is_installed, write_wav,
};

const ENGINE: &str = r#"#!/bin/sh
dir=$(dirname "$0")
text=$(cat)
printf '%s\n' "$@" > "$dir/engine.$$.args"
printf '%s' "$text" > "$dir/engine.$$.text"
echo $$ >> "$dir/engine.pids"
if [ -f "$dir/engine-fails" ]; then
    echo "Error: The specified espeak-ng voice does not exist." >&2
    exit 1
fi
case "$text" in *slow*) exec sleep 60 ;; esac
out=-
prev=
for a in "$@"; do
    if [ "$prev" = "-w" ]; then out=$a; fi
    prev=$a
done
wav='RIFF----WAVEfmt ----------------data----SOUND'
if [ "$out" = "-" ]; then printf '%s' "$wav"; else printf '%s' "$wav" > "$out"; fi
"#;

const PLAYER: &str = r#"#!/bin/sh
dir=$(dirname "$0")
printf '%s\n' "$@" > "$dir/player.$$.args"
echo $$ >> "$dir/player.pids"
if [ -f "$dir/player-fails" ]; then
    echo "ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM hw:7" >&2
    echo "aplay: main:831: audio open error: No such file or directory" >&2
    exit 1
fi
cat > "$dir/player.$$.wav"
"#;

/// The directory holding the two scripts, written once.
fn scripts() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [("engine", ENGINE), ("player", PLAYER)] {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        dir
    })
    .path()
}

/// A test's own directory with links to the fakes, and settings using them.
struct Fakes {
    dir: tempfile::TempDir,
    settings: SpeechSettings,
}

fn fakes() -> Fakes {
    let scripts = scripts();
    let dir = tempfile::tempdir().unwrap();
    for name in ["engine", "player"] {
        std::os::unix::fs::symlink(scripts.join(name), dir.path().join(name)).unwrap();
    }
    let settings = SpeechSettings {
        enabled: true,
        engine: dir.path().join("engine"),
        player: dir.path().join("player"),
        device: Some("plughw:CARD=Test".into()),
        voice: Localized::new("bg".into(), "en-gb".into()),
        rate: 130,
        volume: 90,
    };
    Fakes { dir, settings }
}

impl Fakes {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn mark(&self, marker: &str) {
        std::fs::write(self.path(marker), "").unwrap();
    }

    fn unmark(&self, marker: &str) {
        std::fs::remove_file(self.path(marker)).unwrap();
    }

    /// Process ids of the runs of "engine" or "player", in order.
    fn pids(&self, who: &str) -> Vec<u32> {
        std::fs::read_to_string(self.path(&format!("{who}.pids")))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.trim().parse().ok())
            .collect()
    }

    fn args(&self, who: &str, pid: u32) -> Vec<String> {
        std::fs::read_to_string(self.path(&format!("{who}.{pid}.args")))
            .unwrap()
            .lines()
            .map(String::from)
            .collect()
    }

    fn text(&self, pid: u32) -> String {
        std::fs::read_to_string(self.path(&format!("engine.{pid}.text"))).unwrap()
    }

    fn played(&self, pid: u32) -> String {
        std::fs::read_to_string(self.path(&format!("player.{pid}.wav"))).unwrap_or_default()
    }
}

/// Waits until `done` holds; panics after ten seconds, saying what was awaited.
fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let until = Instant::now() + Duration::from_secs(10);
    while !done() {
        assert!(Instant::now() < until, "never happened: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether the process has ended and been reaped.
fn gone(pid: u32) -> bool {
    !Path::new(&format!("/proc/{pid}")).exists()
}

fn value_after<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    let at = args.iter().position(|a| a == flag)?;
    args.get(at + 1).map(String::as_str)
}

#[test]
fn speaks_with_the_voice_rate_volume_and_device_of_the_settings() {
    let f = fakes();
    let speaker = Speaker::new(&f.settings);
    assert_eq!(speaker.status(), SpeechStatus::Ready);
    speaker.speak("Добър ден. Такса: пет евро.", Lang::Bg);
    eventually("the Bulgarian text played to the end", || {
        f.pids("player")
            .first()
            .is_some_and(|&p| f.played(p).ends_with("SOUND") && gone(p))
            && speaker.status() == SpeechStatus::Ready
    });
    let engine = f.pids("engine")[0];
    let args = f.args("engine", engine);
    assert_eq!(value_after(&args, "-v"), Some("bg"));
    assert_eq!(value_after(&args, "-s"), Some("130"));
    assert_eq!(value_after(&args, "-a"), Some("90"));
    assert!(args.contains(&"--stdout".to_string()), "{args:?}");
    // The text goes through stdin, never on the command line.
    assert_eq!(f.text(engine), "Добър ден. Такса: пет евро.");
    assert!(!args.iter().any(|a| a.contains("Добър")), "{args:?}");
    let player = f.args("player", f.pids("player")[0]);
    assert_eq!(value_after(&player, "-D"), Some("plughw:CARD=Test"));

    speaker.speak("Good morning.", Lang::En);
    eventually("the English text played", || f.pids("engine").len() == 2);
    let args = f.args("engine", f.pids("engine")[1]);
    assert_eq!(value_after(&args, "-v"), Some("en-gb"));
    assert_eq!(speaker.take_notice(), None);
}

#[test]
fn a_new_utterance_kills_the_one_playing() {
    let f = fakes();
    let speaker = Speaker::new(&f.settings);
    speaker.speak("a slow and long text", Lang::Bg);
    eventually("the first utterance started", || {
        !f.pids("engine").is_empty() && speaker.status() == SpeechStatus::Speaking
    });
    let first_engine = f.pids("engine")[0];
    speaker.speak("the next screen", Lang::Bg);
    eventually("the first engine killed and the second text played", || {
        gone(first_engine)
            && f.pids("player")
                .get(1)
                .is_some_and(|&p| f.played(p).ends_with("SOUND"))
    });
    let first_player = f.pids("player")[0];
    eventually("the first player ended too", || gone(first_player));
    assert_eq!(f.text(f.pids("engine")[1]), "the next screen");
}

#[test]
fn stop_ends_the_utterance_and_the_speaker_is_ready_again() {
    let f = fakes();
    let speaker = Speaker::new(&f.settings);
    speaker.speak("a slow text", Lang::Bg);
    // Both scripts have written their pids: the engine writes its own
    // only after reading the whole text, and may be later than the player.
    eventually("the utterance started", || {
        f.pids("engine").len() == 1
            && f.pids("player").len() == 1
            && speaker.status() == SpeechStatus::Speaking
    });
    speaker.stop();
    let (engine, player) = (f.pids("engine")[0], f.pids("player")[0]);
    eventually("both processes ended", || {
        gone(engine) && gone(player) && speaker.status() == SpeechStatus::Ready
    });
}

#[test]
fn dropping_the_speaker_leaves_nothing_running() {
    let f = fakes();
    let speaker = Speaker::new(&f.settings);
    speaker.speak("a slow text", Lang::Bg);
    eventually("the utterance started", || {
        f.pids("engine").len() == 1 && f.pids("player").len() == 1
    });
    drop(speaker);
    assert!(gone(f.pids("engine")[0]));
    assert!(gone(f.pids("player")[0]));
}

#[test]
fn a_missing_engine_is_reported_once_and_nothing_breaks() {
    let f = fakes();
    let settings = SpeechSettings {
        engine: "/nonexistent/espeak-ng".into(),
        ..f.settings.clone()
    };
    let speaker = Speaker::new(&settings);
    let expected = SpeechProblem::EngineMissing {
        engine: "/nonexistent/espeak-ng".into(),
    };
    assert_eq!(
        speaker.status(),
        SpeechStatus::Unavailable(expected.clone())
    );
    assert!(!speaker.status().can_speak());
    assert!(speaker.status().summary().contains("espeak-ng"));
    assert_eq!(speaker.take_notice(), Some(expected.clone()));
    assert_eq!(speaker.take_notice(), None);
    speaker.speak("Добър ден.", Lang::Bg);
    speaker.stop();
    drop(speaker);

    let settings = SpeechSettings {
        player: f.path("no-player"),
        ..f.settings.clone()
    };
    let speaker = Speaker::new(&settings);
    assert!(matches!(
        speaker.status(),
        SpeechStatus::Unavailable(SpeechProblem::PlayerMissing { .. })
    ));
}

#[test]
fn a_failing_engine_is_reported_once_with_its_own_words() {
    let f = fakes();
    f.mark("engine-fails");
    let speaker = Speaker::new(&f.settings);
    speaker.speak("Добър ден.", Lang::Bg);
    eventually("the failure seen", || {
        matches!(speaker.status(), SpeechStatus::Unavailable(_))
    });
    let Some(SpeechProblem::EngineFailed { detail, .. }) = speaker.take_notice() else {
        panic!("expected an engine failure, got {:?}", speaker.status());
    };
    assert!(detail.contains("voice does not exist"), "{detail}");
    speaker.speak("Добър ден отново.", Lang::Bg);
    eventually("the second attempt ended", || {
        f.pids("engine").get(1).is_some_and(|&p| gone(p))
    });
    assert_eq!(speaker.take_notice(), None, "the same problem is told once");
    assert!(matches!(
        speaker.status(),
        SpeechStatus::Unavailable(SpeechProblem::EngineFailed { .. })
    ));
}

#[test]
fn a_missing_audio_device_is_reported_and_plugging_it_in_is_enough() {
    let f = fakes();
    f.mark("player-fails");
    let speaker = Speaker::new(&f.settings);
    speaker.speak("Добър ден.", Lang::Bg);
    eventually("the failure seen", || {
        matches!(speaker.status(), SpeechStatus::Unavailable(_))
    });
    let problem = speaker.take_notice().unwrap();
    let SpeechProblem::AudioDevice { detail, .. } = &problem else {
        panic!("expected a device problem, got {problem:?}");
    };
    assert!(detail.contains("audio open error"), "{detail}");
    assert!(
        problem.to_string().contains("plughw:CARD=Test"),
        "{problem}"
    );

    f.unmark("player-fails");
    speaker.speak("Добър ден.", Lang::Bg);
    eventually("sound again", || speaker.status() == SpeechStatus::Ready);
    assert_eq!(speaker.take_notice(), None);
}

#[test]
fn of_many_quick_orders_the_last_is_said() {
    let f = fakes();
    let speaker = Speaker::new(&f.settings);
    for i in 0..5 {
        speaker.speak(&format!("screen {i}"), Lang::Bg);
    }
    eventually("the last screen played", || {
        f.pids("engine")
            .last()
            .is_some_and(|&p| f.text(p) == "screen 4")
            && speaker.status() == SpeechStatus::Ready
    });
    for pid in f.pids("engine").into_iter().chain(f.pids("player")) {
        eventually("every process reaped", || gone(pid));
    }
}

#[test]
fn a_disabled_speaker_stays_silent() {
    let f = fakes();
    let settings = SpeechSettings {
        enabled: false,
        ..f.settings.clone()
    };
    let speaker = Speaker::new(&settings);
    speaker.speak("Добър ден.", Lang::Bg);
    assert_eq!(speaker.status(), SpeechStatus::Disabled);
    assert_eq!(speaker.take_notice(), None);
    drop(speaker);
    assert!(f.pids("engine").is_empty());
}

#[test]
fn the_benchmark_and_wav_output_work_with_any_engine() {
    let f = fakes();
    assert!(first_audio(&f.settings, "Добър ден.", Lang::Bg).is_ok());
    let wav = f.path("out.wav");
    write_wav(&f.settings, "Добър ден.", Lang::En, &wav).unwrap();
    assert!(std::fs::read_to_string(&wav).unwrap().starts_with("RIFF"));
    let missing = SpeechSettings {
        engine: "/nonexistent/espeak-ng".into(),
        ..f.settings.clone()
    };
    assert!(matches!(
        first_audio(&missing, "a", Lang::Bg),
        Err(SpeechProblem::EngineMissing { .. })
    ));
}

fn kiosk_say(f: &Fakes, args: &[&str], engine: &Path) -> Output {
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("kiosk.toml");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kiosk"));
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("KIOSK__")) {
        cmd.env_remove(k);
    }
    cmd.arg("--config")
        .arg(config)
        .arg("say")
        .args(args)
        .env("KIOSK__SPEECH__ENGINE", engine)
        .env("KIOSK__SPEECH__PLAYER", f.path("player"))
        .env("KIOSK__SPEECH__DEVICE", "plughw:CARD=Test")
        .output()
        .unwrap()
}

#[test]
fn kiosk_say_plays_or_writes_a_wav_file() {
    let f = fakes();
    let wav = f.path("say.wav");
    let out = kiosk_say(
        &f,
        &[
            "--text",
            "Проба",
            "--lang",
            "en",
            "--out",
            wav.to_str().unwrap(),
        ],
        &f.path("engine"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let args = f.args("engine", f.pids("engine")[0]);
    assert_eq!(value_after(&args, "-w"), wav.to_str());
    assert_eq!(value_after(&args, "-v"), Some("en"));
    assert!(std::fs::metadata(&wav).is_ok());

    let out = kiosk_say(&f, &["--text", "Проба"], &f.path("engine"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let player = f.args("player", f.pids("player")[0]);
    assert_eq!(value_after(&player, "-D"), Some("plughw:CARD=Test"));
    // Without --lang: the kiosk's default language.
    assert_eq!(
        value_after(&f.args("engine", f.pids("engine")[1]), "-v"),
        Some("bg")
    );
}

#[test]
fn kiosk_say_tells_the_installer_what_is_missing() {
    let f = fakes();
    let out = kiosk_say(
        &f,
        &["--text", "Проба"],
        Path::new("/nonexistent/espeak-ng"),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("install the Debian package espeak-ng"),
        "{err}"
    );

    f.mark("player-fails");
    let out = kiosk_say(&f, &["--text", "Проба"], &f.path("engine"));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("plughw:CARD=Test") && err.contains("aplay -L"),
        "{err}"
    );

    let out = kiosk_say(&f, &[], &f.path("engine"));
    assert_eq!(out.status.code(), Some(2), "a text is required");
}

#[test]
fn speech_settings_are_checked_key_by_key() {
    let shipped = include_str!("../../kiosk.toml");
    let parse = |vars: &[(&str, &str)]| {
        kiosk::config::parse(
            shipped,
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())),
            Path::new("."),
        )
    };
    let config = parse(&[]).unwrap();
    let settings = SpeechSettings::from_config(&config);
    assert!(settings.enabled);
    assert_eq!(settings.engine, Path::new("espeak-ng"));
    assert_eq!(settings.voice, Localized::new("bg".into(), "en".into()));
    assert_eq!(settings.device, None);
    assert!(settings.rate < 175, "slower than espeak-ng's normal");

    for (var, value, key) in [
        ("KIOSK__SPEECH__RATE", "20", "speech.rate"),
        ("KIOSK__SPEECH__VOLUME", "300", "speech.volume"),
        ("KIOSK__SPEECH__ENGINE", "", "speech.engine"),
        ("KIOSK__SPEECH__DEVICE", "-Dhw:1", "speech.device"),
        ("KIOSK__SPEECH__DEVICE", "hw 1", "speech.device"),
        ("KIOSK__SPEECH__VOICE__BG", "--bg", "speech.voice.bg"),
        ("KIOSK__SPEECH__COLOUR", "red", "speech.colour"),
    ] {
        let issues = parse(&[(var, value)]).unwrap_err();
        assert!(
            issues.iter().any(|i| i.key == key),
            "{var}={value}: {issues:?}"
        );
    }
    let config = parse(&[
        ("KIOSK__SPEECH__DEVICE", "plughw:CARD=Headphones,DEV=0"),
        ("KIOSK__SPEECH__VOICE__EN", "en-gb"),
    ])
    .unwrap();
    let settings = SpeechSettings::from_config(&config);
    assert_eq!(
        settings.device.as_deref(),
        Some("plughw:CARD=Headphones,DEV=0")
    );
    assert_eq!(settings.voice.en, "en-gb");
}

#[test]
fn the_real_espeak_ng_speaks_both_languages_when_installed() {
    let settings = SpeechSettings::default();
    if !is_installed(&settings.engine) {
        eprintln!("espeak-ng is not installed: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (lang, text) in [(Lang::Bg, "Добър ден."), (Lang::En, "Good morning.")] {
        let wav = dir.path().join(format!("{}.wav", lang.code()));
        write_wav(&settings, text, lang, &wav).unwrap();
        let bytes = std::fs::read(&wav).unwrap();
        assert!(bytes.starts_with(b"RIFF") && bytes.len() > 1000, "{lang:?}");
        assert!(first_audio(&settings, text, lang).is_ok());
    }
    let bad_voice = SpeechSettings {
        voice: Localized::new("xx-none".into(), "en".into()),
        ..settings
    };
    let wav = dir.path().join("bad.wav");
    assert!(matches!(
        write_wav(&bad_voice, "Добър ден.", Lang::Bg, &wav),
        Err(SpeechProblem::EngineFailed { .. })
    ));
}
