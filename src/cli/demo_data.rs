//! `kiosk demo-data`: realistic records for trying summaries and the central link.
//!
//! The records go through the same rules as a visitor's (complaint checks,
//! flags, due dates) and the same store call, dated on working days in
//! office hours over the past months, oldest first, and marked demo. The
//! generator is seeded, so the same command makes the same data.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use kiosk::clock::{Clock, SystemClock, TIME_ZONE};
use kiosk::config::Config;
use kiosk::domain::complaint::{self, ComplaintDraft, Limits};
use kiosk::domain::record::{ComplaintType, Rating, RecordData};
use kiosk::domain::{Lang, hours};
use kiosk::store::{Submission, SubmitContext};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many ratings to add
    #[arg(long, default_value_t = 200)]
    ratings: u32,
    /// How many complaints, signals, proposals and praise to add
    #[arg(long, default_value_t = 30)]
    complaints: u32,
    /// Spread them over this many past months
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=24))]
    months: u32,
    /// Seed of the generator: the same seed makes the same records
    #[arg(long, default_value_t = 2026)]
    seed: u64,
}

pub fn run(config: Option<&Path>, args: &Args) -> anyhow::Result<ExitCode> {
    let (_, config) = match super::load_config(config) {
        Ok(loaded) => loaded,
        Err(code) => return Ok(code),
    };
    let store = super::open_store(&config)?;
    let mut rng = StdRng::seed_from_u64(args.seed);
    let today = SystemClock.now().with_timezone(&TIME_ZONE).date_naive();
    let from = today - Duration::days(i64::from(args.months) * 30);
    let slots = office_slots(&config, from, today);
    anyhow::ensure!(
        !slots.is_empty(),
        "no working day between {from} and {today}"
    );

    let mut planned: Vec<(DateTime<Utc>, RecordData)> = Vec::new();
    for _ in 0..args.ratings {
        planned.push((
            pick_instant(&slots, &mut rng).context("no office hours to date a rating in")?,
            RecordData::Rating(rating(&config, &mut rng)),
        ));
    }
    for _ in 0..args.complaints {
        let data = demo_complaint(&config, &mut rng)?;
        let at =
            pick_instant(&slots, &mut rng).context("no office hours to date a complaint in")?;
        planned.push((at, RecordData::Complaint(data)));
    }
    planned.sort_by_key(|(at, _)| *at);

    let calendar = config.calendar();
    let due = move |c: &kiosk::domain::record::Complaint, filed: NaiveDate| {
        kiosk::domain::answer::due_date(c, filed, &calendar)
    };
    let ctx = SubmitContext {
        prefix: &config.kiosk.receipt_prefix,
        clock: &SystemClock,
        due_rule: &due,
    };
    let mut numbers = Vec::new();
    for (at, data) in planned {
        let sub = Submission {
            data,
            print_receipt: false,
            demo: true,
        };
        let done = store.submit_at(sub, at, &ctx)?;
        numbers.extend(done.number);
    }
    numbers.sort();
    println!(
        "Added {} ratings and {} complaints, signals, proposals and praise, dated {from} to {today}, marked demo, to {}.",
        args.ratings,
        args.complaints,
        config.storage.database.display()
    );
    if let (Some(first), Some(last)) = (numbers.first(), numbers.last()) {
        println!("Receipt numbers {first} to {last}.");
    }
    Ok(ExitCode::SUCCESS)
}

/// Every working day in `from..today` with its opening periods.
fn office_slots(
    config: &Config,
    from: NaiveDate,
    today: NaiveDate,
) -> Vec<(NaiveDate, hours::Period)> {
    let calendar = config.calendar();
    let days = (today - from).num_days().max(0) as u32;
    hours::schedule(&calendar, &config.office_hours(), from, days)
        .into_iter()
        .filter(|d| d.date < today)
        .flat_map(|d| d.periods.into_iter().map(move |p| (d.date, p)))
        .collect()
}

/// A moment in one of `slots`, at random; `None` if there are none.
fn pick_instant(slots: &[(NaiveDate, hours::Period)], rng: &mut StdRng) -> Option<DateTime<Utc>> {
    if slots.is_empty() {
        return None;
    }
    let &(date, period) = slots.get(rng.random_range(0..slots.len()))?;
    let span = (period.end - period.start).num_seconds().max(1);
    let local = date.and_time(period.start) + Duration::seconds(rng.random_range(0..span));
    // Office hours never fall in the DST gap, so the local time exists.
    let at = TIME_ZONE
        .from_local_datetime(&local)
        .earliest()
        .map_or_else(|| local.and_utc(), |t| t.with_timezone(&Utc));
    Some(at)
}

fn lang(rng: &mut StdRng) -> Lang {
    if rng.random_bool(0.92) {
        Lang::Bg
    } else {
        Lang::En
    }
}

fn rating(config: &Config, rng: &mut StdRng) -> Rating {
    // Roughly what feedback terminals in Bulgarian town halls report:
    // mostly satisfied, with a tail of very unhappy visitors.
    let score = *[5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 3, 3, 2, 2, 1, 1]
        .choose(rng)
        .unwrap_or(&5);
    let service = rng
        .random_bool(0.7)
        .then(|| config.services.choose(rng))
        .flatten();
    let pool = if score <= 3 {
        &config.rating.low_reasons
    } else {
        &config.rating.high_reasons
    };
    let wanted = if score <= 2 {
        rng.random_range(1..=2)
    } else {
        rng.random_range(0..=1)
    };
    let mut reasons: Vec<String> = pool.choose_multiple(rng, wanted).cloned().collect();
    reasons.sort();
    let comment = if rng.random_bool(0.2) {
        COMMENTS
            .get(usize::from(score - 1))
            .copied()
            .unwrap_or_default()
            .to_string()
    } else {
        String::new()
    };
    Rating {
        score,
        service: service.map(|s| s.id.clone()),
        desk: service.map(|s| s.desk.clone()),
        reasons,
        comment,
        lang: lang(rng),
    }
}

const COMMENTS: [&str; 5] = [
    "Чаках над час, а гишето беше затворено без обяснение.",
    "Служителката не знаеше какви документи трябват.",
    "Нормално обслужване, но бавно.",
    "Бързо и любезно, благодаря.",
    "Много внимателни към възрастните хора. Браво!",
];

const NAMES: [&str; 10] = [
    "Иван Петров",
    "Мария Георгиева",
    "Георги Димитров",
    "Елена Стоянова",
    "Николай Иванов",
    "Йорданка Василева",
    "Димитър Костов",
    "Росица Николова",
    "Стефан Младенов",
    "Цветанка Илиева",
];

const VILLAGES: [&str; 10] = [
    "Ковачевци",
    "Сирищник",
    "Калище",
    "Лобош",
    "Егълница",
    "Светля",
    "Ракиловци",
    "Косача",
    "Чепино",
    "Слатино",
];

fn text_for(ctype: ComplaintType, rng: &mut StdRng) -> &'static str {
    let texts: &[&str] = match ctype {
        ComplaintType::Complaint => &[
            "Подадох заявление за удостоверение за наследници преди три седмици и още няма отговор.",
            "Служителят на гишето за местни данъци ми отговори грубо и отказа да ми обясни сметката.",
            "Таксата за скица ми беше поискана два пъти, а квитанция получих само за едната.",
        ],
        ComplaintType::Signal => &[
            "Уличното осветление на главната улица не работи от месец.",
            "Мостът над реката при Лобош е с разбит парапет и е опасен за децата.",
            "Край пътя за Светля има незаконно сметище.",
        ],
        ComplaintType::Proposal => &[
            "Предлагам приемно време и в събота за работещите в Перник.",
            "Моля, поставете пейка пред центъра за услуги, възрастните чакат прави.",
        ],
        ComplaintType::Praise => &[
            "Благодаря на служителката от ГРАО, която ми помогна с документите на майка ми.",
            "Бързо и точно обслужване в деловодството.",
        ],
    };
    texts.choose(rng).copied().unwrap_or("")
}

fn demo_complaint(
    config: &Config,
    rng: &mut StdRng,
) -> anyhow::Result<kiosk::domain::record::Complaint> {
    let ctype = *[
        ComplaintType::Complaint,
        ComplaintType::Complaint,
        ComplaintType::Complaint,
        ComplaintType::Signal,
        ComplaintType::Signal,
        ComplaintType::Proposal,
        ComplaintType::Praise,
    ]
    .choose(rng)
    .unwrap_or(&ComplaintType::Complaint);
    // Praise and proposals about corruption or danger would read oddly.
    let fitting: Vec<_> = config
        .complaints
        .categories
        .iter()
        .filter(|c| {
            ctype.expects_written_answer() || !(c.suspected_corruption || c.id == "health_safety")
        })
        .collect();
    let category = fitting
        .choose(rng)
        .map(|c| c.id.clone())
        .unwrap_or_default();
    let anonymous = ctype == ComplaintType::Signal && rng.random_bool(0.2);
    let name = if anonymous {
        ""
    } else {
        NAMES.choose(rng).copied().unwrap_or("")
    };
    let village = VILLAGES.choose(rng).copied().unwrap_or("Ковачевци");
    let (address, phone, email) = match rng.random_range(0..3) {
        _ if anonymous => (String::new(), String::new(), String::new()),
        0 => (
            format!("с. {village}, общ. Ковачевци, обл. Перник"),
            String::new(),
            String::new(),
        ),
        1 => (
            String::new(),
            format!(
                "08{} {:03} {:03}",
                rng.random_range(7..=9),
                rng.random_range(100..1000),
                rng.random_range(0..1000)
            ),
            String::new(),
        ),
        _ => (
            String::new(),
            String::new(),
            format!("demo{}@example.bg", rng.random_range(1..1000)),
        ),
    };
    let draft = ComplaintDraft {
        ctype,
        category,
        text: text_for(ctype, rng).to_string(),
        name: name.to_string(),
        address,
        phone,
        email,
        anonymous,
        health_safety_confirmed: anonymous,
        lang: Lang::Bg,
    };
    let limits = Limits {
        text: config.complaints.max_text_chars,
        ..Limits::default()
    };
    complaint::finalize(&draft, &config.complaints.categories, &limits, None)
        .map_err(|problems| anyhow::anyhow!("a demo complaint broke the rules: {problems:?}"))
}
