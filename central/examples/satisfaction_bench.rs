//! Seeds a year of ratings (1,000,000) and complaints (10,000) into a fresh
//! database and times the satisfaction page over the whole year.
//!
//! ```text
//! cargo run --release -p kiosk-central --example satisfaction_bench -- sqlite:/tmp/bench.db
//! cargo run --release -p kiosk-central --example satisfaction_bench -- postgres://USER@HOST/DB
//! ```
//!
//! The database must be new (or emptied) and the URL is the only argument.
//! The ratings fall in office hours on working days, each service handled
//! at its own desk and a fifth of visitors naming neither; the tallies are
//! filled the way the intake fills them (through `rating_tally::add`, one
//! call per distinct slot with its count). The page is then asked for 60
//! times (the first 10 not counted) and p50/p95 printed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, TimeZone, Weekday};
use kiosk_central::app::AppState;
use kiosk_central::db::{self, rating_tally};

const RATINGS: u64 = 1_000_000;
const COMPLAINTS: u64 = 10_000;
const KIOSKS: [&str; 2] = ["kovachevtsi-lobby-1", "kovachevtsi-village-2"];
const SERVICES: [(&str, &str); 8] = [
    ("2016", "registry"),
    ("K-01", "registry"),
    ("2128", "civil-status"),
    ("1997", "civil-status"),
    ("2079", "taxes"),
    ("2076", "taxes"),
    ("2034", "planning"),
    ("2037", "economy"),
];
const REASONS: [&str; 4] = ["waiting", "courtesy", "clarity", "competence"];

/// A small deterministic generator, so every run seeds the same year.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let url = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "sqlite:/tmp/satisfaction-bench.db".into());
    let pool = db::connect(&url, 8).await?;
    db::migrate(&pool).await?;
    for k in KIOSKS {
        db::kiosks::upsert(&pool, k, &format!("hash-{k}"), &db::now_text()).await?;
    }
    let days: Vec<NaiveDate> = (0..365)
        .filter_map(|d| NaiveDate::from_ymd_opt(2026, 1, 1)?.checked_add_days(chrono::Days::new(d)))
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .collect();
    let started = Instant::now();
    let mut rng = Lcg(42);
    let per_day = RATINGS / days.len() as u64 + 1;
    let mut seeded = 0u64;
    for day in &days {
        if seeded >= RATINGS {
            break;
        }
        let mut tx = db::begin_write(&pool).await?;
        let mut tally: HashMap<(usize, u32, usize, bool, i64, usize), i64> = HashMap::new();
        let mut rows = Vec::new();
        for _ in 0..per_day.min(RATINGS - seeded) {
            let kiosk = usize::from(rng.below(3) == 0);
            let hour = 8 + rng.below(9) as u32;
            let minute = rng.below(60) as u32;
            let service = rng.below(SERVICES.len() as u64) as usize;
            let said = rng.below(5) != 0;
            let score = [1, 2, 3, 4, 4, 5, 5, 5, 5, 3][rng.below(10) as usize];
            let reason = if score <= 3 {
                1 + rng.below(4) as usize
            } else {
                0
            };
            *tally
                .entry((kiosk, hour, service, said, score, reason))
                .or_default() += 1;
            let at = chrono_tz::Europe::Sofia
                .with_ymd_and_hms(day.year(), day.month(), day.day(), hour, minute, 0)
                .single()
                .unwrap();
            rows.push((kiosk, at, service, said, score, reason));
            seeded += 1;
        }
        for chunk in rows.chunks(80) {
            let mut records = String::from(
                "INSERT INTO records (kiosk_id, record_id, kind, created_at, clock_trusted, received_at, raw) VALUES ",
            );
            let mut ratings = String::from(
                "INSERT INTO ratings (kiosk_id, record_id, score, service, desk, reasons, comment, lang, created_at, clock_trusted, at_utc) VALUES ",
            );
            for (i, (kiosk, at, service, said, score, reason)) in chunk.iter().enumerate() {
                let id = uuid::Uuid::now_v7();
                let created = at.to_rfc3339();
                let utc = at
                    .with_timezone(&chrono::Utc)
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
                let (svc, desk) = if *said {
                    (
                        format!("'{}'", SERVICES[*service].0),
                        format!("'{}'", SERVICES[*service].1),
                    )
                } else {
                    ("NULL".into(), "NULL".into())
                };
                let reasons = if *reason > 0 {
                    format!("[\"{}\"]", REASONS[reason - 1])
                } else {
                    "[]".into()
                };
                let sep = if i == 0 { "" } else { "," };
                records.push_str(&format!(
                    "{sep}('{}', '{id}', 'rating', '{created}', 1, '{utc}', '{{}}')",
                    KIOSKS[*kiosk]
                ));
                ratings.push_str(&format!(
                    "{sep}('{}', '{id}', {score}, {svc}, {desk}, '{reasons}', '', 'bg', '{created}', 1, '{utc}')",
                    KIOSKS[*kiosk]
                ));
            }
            sqlx::query(sqlx::AssertSqlSafe(records))
                .execute(&mut *tx)
                .await?;
            sqlx::query(sqlx::AssertSqlSafe(ratings))
                .execute(&mut *tx)
                .await?;
        }
        for ((kiosk, hour, service, said, score, reason), n) in tally {
            let at = chrono_tz::Europe::Sofia
                .with_ymd_and_hms(day.year(), day.month(), day.day(), hour, 0, 0)
                .single()
                .unwrap();
            let slot = rating_tally::Slot::of(&at.to_rfc3339()).unwrap();
            let reasons: Vec<String> = if reason > 0 {
                vec![REASONS[reason - 1].into()]
            } else {
                vec![]
            };
            let (svc, desk) = if said { SERVICES[service] } else { ("", "") };
            let counted = rating_tally::Counted {
                kiosk_id: KIOSKS[kiosk],
                slot: &slot,
                service: svc,
                desk,
                score,
                reasons: &reasons,
            };
            rating_tally::add(&mut tx, &counted, n).await?;
        }
        tx.commit().await?;
    }
    let mut tx = db::begin_write(&pool).await?;
    for n in 0..COMPLAINTS {
        let day = days[(n as usize) % days.len()];
        let id = uuid::Uuid::now_v7().to_string();
        let number = format!("KV1-2026-{:06}", n + 1);
        let created = format!("{day}T10:00:00+02:00");
        sqlx::query("INSERT INTO records (kiosk_id, record_id, kind, number, created_at, clock_trusted, received_at, raw) VALUES ($1, $2, 'complaint', $3, $4, 1, $4, '{}')")
            .bind(KIOSKS[0]).bind(&id).bind(&number).bind(&created).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO complaints (kiosk_id, record_id, number, prefix, year, sequence, check_code, type, category, text, name, address, phone, email, anonymous, health_safety, flags, due_date, lang, created_at, filed_on, clock_trusted) VALUES ($1, $2, $3, 'KV1', 2026, $4, 'ABCDEF', 'complaint', 'service_quality', 'Текст', 'Име', '', '', '', 0, 0, '[]', $5, 'bg', $6, $7, 1)")
            .bind(KIOSKS[0]).bind(&id).bind(&number).bind(i64::try_from(n + 1)?)
            .bind((day + chrono::Days::new(30)).to_string()).bind(&created).bind(day.to_string())
            .execute(&mut *tx).await?;
    }
    tx.commit().await?;
    let tally_rows: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM rating_tally")
        .fetch_one(&pool)
        .await?;
    println!(
        "seeded {seeded} ratings ({} tally rows) and {COMPLAINTS} complaints in {:.1} s",
        tally_rows.0,
        started.elapsed().as_secs_f64()
    );

    let dir = std::env::temp_dir().join(format!("satisfaction-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let cfg = dir.join("central.toml");
    std::fs::write(&cfg, format!("[database]\nurl = \"{url}\"\n"))?;
    let config = kiosk_central::config::load(&cfg).map_err(|e| anyhow::anyhow!("{e}"))?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let state = AppState::new(pool.clone(), config);
    let app = kiosk_central::app::intake_router(state.clone()).merge(
        kiosk_central::figures::views()
            .merge(kiosk_central::figures::config_routes())
            .with_state(state.clone()),
    );
    tokio::spawn(kiosk_central::serve::serve_app(
        listener,
        state,
        app,
        std::future::pending(),
    ));
    let client = reqwest::Client::new();
    let mut times: Vec<Duration> = Vec::new();
    for (i, query) in [
        "",
        "&kiosk=kovachevtsi-lobby-1",
        "&service=2016",
        "&desk=taxes",
    ]
    .iter()
    .cycle()
    .take(60)
    .enumerate()
    {
        let t = Instant::now();
        let r = client
            .get(format!(
                "http://{addr}/desk/satisfaction?from=2026-01-01&to=2026-12-31{query}"
            ))
            .send()
            .await?;
        assert_eq!(r.status(), 200);
        let body = r.text().await?;
        assert!(body.contains("<svg"));
        if i >= 10 {
            times.push(t.elapsed());
        }
    }
    times.sort();
    let pick = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    println!(
        "satisfaction page, whole year, {} requests: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        times.len(),
        pick(0.5).as_secs_f64() * 1000.0,
        pick(0.95).as_secs_f64() * 1000.0,
        times.last().unwrap().as_secs_f64() * 1000.0
    );
    Ok(())
}
