//! `kiosk bench speech`: time from asking for speech to the first audio
//! sample, with the configured engine, voice and rate (target under 300 ms).
//! `kiosk bench read-aloud`: the same from a press on "read aloud": the
//! walk over the screen's elements, then the engine's first sample.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use kiosk::config::Config;
use kiosk::domain::money::Euro;
use kiosk::domain::{Lang, spoken};
use kiosk::speech::{SpeechSettings, first_audio};
use kiosk::ui::screenshot::Offscreen;

use super::bench::Spread;

pub fn run(config: &Config, iterations: u32) -> anyhow::Result<ExitCode> {
    let settings = SpeechSettings::from_config(config);
    let runs = iterations.max(1);
    for lang in [Lang::Bg, Lang::En] {
        let text = sample(lang);
        let mut times: Vec<Duration> = Vec::new();
        for _ in 0..runs {
            match first_audio(&settings, &text, lang) {
                Ok(t) => times.push(t),
                Err(problem) => {
                    eprintln!("kiosk: {problem}");
                    return Ok(ExitCode::FAILURE);
                }
            }
        }
        let first = times.first().copied().unwrap_or_default();
        let spread = Spread::of(&mut times)?;
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "speech {} (voice {:?}, rate {}): first audio after {:.1} ms median, {:.1} ms min, {:.1} ms max, {:.1} ms first run ({} runs, {} characters)",
            lang.code(),
            settings.voice.get(lang),
            settings.rate,
            ms(spread.median),
            ms(spread.min),
            ms(spread.max),
            ms(first),
            runs,
            text.chars().count(),
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Screens whose reading is long or has numbers in words.
const READ_ALOUD_SCREENS: [&str; 4] = [
    "home",
    "service-detail",
    "complaint-review",
    "complaint-receipt",
];

pub fn read_aloud(config: &Config, iterations: u32) -> anyhow::Result<ExitCode> {
    let settings = SpeechSettings::from_config(config);
    let runs = iterations.max(1);
    let offscreen = Offscreen::new(config)?;
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    for name in READ_ALOUD_SCREENS {
        for lang in [Lang::Bg, Lang::En] {
            offscreen.prepare(name, lang, false)?;
            offscreen.draw(1280, 800);
            let mut walks = Vec::new();
            let mut totals = Vec::new();
            let mut chars = 0;
            for _ in 0..runs {
                let start = Instant::now();
                let text = offscreen.app().screen_text();
                let walked = start.elapsed();
                chars = text.chars().count();
                match first_audio(&settings, &text, lang) {
                    Ok(audio) => {
                        walks.push(walked);
                        totals.push(walked + audio);
                    }
                    Err(problem) => {
                        eprintln!("kiosk: {problem}");
                        return Ok(ExitCode::FAILURE);
                    }
                }
            }
            let walks = Spread::of(&mut walks)?;
            let totals = Spread::of(&mut totals)?;
            println!(
                "read aloud {name} {}: walk {:.1} ms median, press to first audio {:.1} ms median, {:.1} ms max ({} runs, {} characters)",
                lang.code(),
                ms(walks.median),
                ms(totals.median),
                ms(totals.max),
                runs,
                chars,
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A sentence like the service screen's, with a fee and a date in words.
fn sample(lang: Lang) -> String {
    let fee = spoken::fee(Euro::from_cents(550), lang);
    let date = NaiveDate::from_ymd_opt(2026, 12, 23)
        .map(|d| spoken::date(d, lang))
        .unwrap_or_default();
    match lang {
        Lang::Bg => format!(
            "Удостоверение за наследници. Такса: {fee}. Готово до {date}. Документите се подават на гише номер две."
        ),
        Lang::En => format!(
            "Certificate of heirs. Fee: {fee}. Ready by {date}. Documents are handed in at desk number two."
        ),
    }
}
