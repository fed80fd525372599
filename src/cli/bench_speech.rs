//! `kiosk bench speech`: time from asking for speech to the first audio
//! sample, with the configured engine, voice and rate (target under 300 ms).

use std::process::ExitCode;
use std::time::Duration;

use chrono::NaiveDate;
use kiosk::config::Config;
use kiosk::domain::money::Euro;
use kiosk::domain::{Lang, spoken};
use kiosk::speech::{SpeechSettings, first_audio};

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
        let first = times[0];
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "speech {} (voice {:?}, rate {}): first audio after {:.1} ms median, {:.1} ms min, {:.1} ms max, {:.1} ms first run ({} runs, {} characters)",
            lang.code(),
            settings.voice.get(lang),
            settings.rate,
            ms(times[times.len() / 2]),
            ms(times[0]),
            ms(times[times.len() - 1]),
            ms(first),
            runs,
            text.chars().count(),
        );
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
