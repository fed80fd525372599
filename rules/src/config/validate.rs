//! Rules that span keys: what serde alone cannot check.
//!
//! Each rule adds a [`ConfigIssue`] naming the offending key and what is
//! allowed; all rules run, so the technician sees every problem at once.

use std::collections::HashSet;

use super::error::ConfigIssue;
use super::sections::Config;
use crate::domain::calendar::{Calendar, DayKind};
use crate::domain::catalogue::{Service, Tier, TierKind};
use crate::domain::numbering::validate_prefix;

/// Every problem found in `config`.
pub fn check(config: &Config) -> Vec<ConfigIssue> {
    let mut out = Issues::default();
    kiosk(config, &mut out);
    contacts(config, &mut out);
    hours(config, &mut out);
    calendar(config, &mut out);
    catalogue(config, &mut out);
    complaints(config, &mut out);
    rating(config, &mut out);
    printer(config, &mut out);
    receipt(config, &mut out);
    board(config, &mut out);
    display(config, &mut out);
    accessibility(config, &mut out);
    central(config, &mut out);
    staff(config, &mut out);
    speech(config, &mut out);
    if config.storage.database.as_os_str().is_empty() {
        out.add(
            "storage.database",
            "must name the database file, e.g. \"data/kiosk.db\"",
        );
    }
    if config.privacy.keep_days_after_delivery > 3650 {
        out.add("privacy.keep_days_after_delivery", "must be 0 to 3650 days");
    }
    out.0
}

#[derive(Default)]
struct Issues(Vec<ConfigIssue>);

impl Issues {
    fn add(&mut self, key: impl Into<String>, message: impl Into<String>) {
        self.0.push(ConfigIssue::new(key, message));
    }

    fn range<T: PartialOrd + std::fmt::Display>(&mut self, key: &str, value: T, lo: T, hi: T) {
        if value < lo || value > hi {
            self.add(
                key,
                format!("{value} is out of range; allowed {lo} to {hi}"),
            );
        }
    }

    fn non_empty(&mut self, key: &str, value: &str, example: &str) {
        if value.trim().is_empty() {
            self.add(key, format!("must not be empty, e.g. {example}"));
        }
    }

    /// Reports every id seen before; `key(i)` names the i-th item's id key.
    fn unique<'a>(&mut self, ids: impl Iterator<Item = &'a str>, key: impl Fn(usize) -> String) {
        let mut seen = HashSet::new();
        for (i, id) in ids.enumerate() {
            if !seen.insert(id) {
                self.add(key(i), format!("{id:?} is used twice; each must be unique"));
            }
        }
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn kiosk(c: &Config, out: &mut Issues) {
    if !is_slug(&c.kiosk.id) {
        out.add("kiosk.id", format!("{:?} is not allowed; use 1-64 of a-z, 0-9, '-' and '_', e.g. \"kovachevtsi-lobby-1\"", c.kiosk.id));
    }
    if let Err(e) = validate_prefix(&c.kiosk.receipt_prefix) {
        out.add("kiosk.receipt_prefix", e.to_string());
    }
    out.non_empty(
        "kiosk.municipality.bg",
        &c.kiosk.municipality.bg,
        "\"Община Ковачевци\"",
    );
    out.non_empty(
        "kiosk.municipality.en",
        &c.kiosk.municipality.en,
        "\"Kovachevtsi Municipality\"",
    );
}

fn contacts(c: &Config, out: &mut Issues) {
    let k = &c.contacts;
    out.non_empty(
        "contacts.address.bg",
        &k.address.bg,
        "\"с. Ковачевци 2460, обл. Перник\"",
    );
    out.non_empty("contacts.phone", &k.phone, "\"+359 7725 2210\"");
    if !k.email.contains('@') {
        out.add(
            "contacts.email",
            format!("{:?} is not an e-mail address", k.email),
        );
    }
    if k.website.trim().is_empty() || k.website.contains(' ') {
        out.add(
            "contacts.website",
            format!(
                "{:?} is not a web address, e.g. \"www.kovachevtsi.bg\"",
                k.website
            ),
        );
    }
    if !c.desks.iter().any(|d| d.id == k.registry_desk) {
        out.add(
            "contacts.registry_desk",
            format!("{:?} is not the id of any [[desks]] entry", k.registry_desk),
        );
    }
}

fn hours(c: &Config, out: &mut Issues) {
    let h = &c.hours;
    if h.opens >= h.closes {
        out.add(
            "hours.closes",
            format!("{} must be after the opening time {}", h.closes, h.opens),
        );
    }
    if h.lunch_start >= h.lunch_end {
        out.add(
            "hours.lunch_end",
            format!(
                "{} must be after lunch_start {}",
                h.lunch_end, h.lunch_start
            ),
        );
    }
    if h.lunch_start <= h.opens || h.lunch_end >= h.closes {
        out.add(
            "hours.lunch_start",
            format!(
                "the lunch break {}-{} must lie inside the opening hours {}-{}",
                h.lunch_start, h.lunch_end, h.opens, h.closes
            ),
        );
    }
}

fn calendar(c: &Config, out: &mut Issues) {
    let off: HashSet<_> = c.calendar.extra_days_off.iter().map(|d| d.date).collect();
    for (i, day) in c.calendar.extra_working_days.iter().enumerate() {
        if off.contains(&day.date) {
            out.add(
                format!("calendar.extra_working_days[{i}].date"),
                format!(
                    "{} is also listed in extra_days_off; a day is either off or working",
                    day.date.0
                ),
            );
        }
    }
    // An entry that changes nothing is almost always a mistyped date.
    let statute = Calendar::default();
    for (i, day) in c.calendar.extra_days_off.iter().enumerate() {
        let kind = statute.statutory_day_kind(day.date.0);
        if !kind.is_working() {
            out.add(
                format!("calendar.extra_days_off[{i}].date"),
                format!(
                    "{} is already a day off ({kind:?}); list only working days made days off",
                    day.date.0
                ),
            );
        }
    }
    for (i, day) in c.calendar.extra_working_days.iter().enumerate() {
        if statute.statutory_day_kind(day.date.0) == DayKind::Working {
            out.add(
                format!("calendar.extra_working_days[{i}].date"),
                format!("{} is already a working day; list only Saturdays, Sundays or days off made working", day.date.0),
            );
        }
    }
    let dates = |list: &[super::sections::DayOverride]| {
        list.iter()
            .map(|d| d.date.0.to_string())
            .collect::<Vec<_>>()
    };
    let off_dates = dates(&c.calendar.extra_days_off);
    out.unique(off_dates.iter().map(String::as_str), |i| {
        format!("calendar.extra_days_off[{i}].date")
    });
    let working = dates(&c.calendar.extra_working_days);
    out.unique(working.iter().map(String::as_str), |i| {
        format!("calendar.extra_working_days[{i}].date")
    });
}

fn catalogue(c: &Config, out: &mut Issues) {
    out.unique(c.desks.iter().map(|d| d.id.as_str()), |i| {
        format!("desks[{i}].id")
    });
    out.unique(c.service_groups.iter().map(|g| g.id.as_str()), |i| {
        format!("service_groups[{i}].id")
    });
    out.unique(c.services.iter().map(|s| s.id.as_str()), |i| {
        format!("services[{i}].id")
    });
    let iisda: Vec<String> = c
        .services
        .iter()
        .map(|s| s.iisda.map(|n| n.to_string()).unwrap_or_default())
        .collect();
    let mut seen = HashSet::new();
    for (i, n) in iisda.iter().enumerate() {
        if !n.is_empty() && !seen.insert(n) {
            out.add(
                format!("services[{i}].iisda"),
                format!("IISDA number {n} is used by two services; each must be unique"),
            );
        }
    }
    for (i, s) in c.services.iter().enumerate() {
        service(c, i, s, out);
    }
}

fn service(c: &Config, i: usize, s: &Service, out: &mut Issues) {
    let key = |k: &str| format!("services[{i}].{k}");
    let id_ok = !s.id.is_empty()
        && s.id.len() <= 16
        && s.id
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '-');
    if !id_ok {
        out.add(
            key("id"),
            format!(
                "{:?} is not allowed; use the IISDA number or a local code such as \"K-01\"",
                s.id
            ),
        );
    }
    if let Some(n) = s.iisda.filter(|n| s.id != n.to_string()) {
        out.add(
            key("id"),
            format!(
                "{:?} differs from its IISDA number {n}; use the number as the id",
                s.id
            ),
        );
    }
    if !c.service_groups.iter().any(|g| g.id == s.group) {
        out.add(
            key("group"),
            format!(
                "{:?} is not the id of any [[service_groups]] entry",
                s.group
            ),
        );
    }
    if !c.desks.iter().any(|d| d.id == s.desk) {
        out.add(
            key("desk"),
            format!("{:?} is not the id of any [[desks]] entry", s.desk),
        );
    }
    out.non_empty(
        &key("name.bg"),
        &s.name.bg,
        "the service's name in Bulgarian",
    );
    out.non_empty(&key("name.en"), &s.name.en, "the service's name in English");
    tiers(&key(""), s, out);
}

/// Faster tiers must be faster and not cheaper than the slower ones.
fn tiers(prefix: &str, s: &Service, out: &mut Issues) {
    let offered: Vec<(TierKind, Tier)> = s.tiers().collect();
    for pair in offered.windows(2) {
        let &[(slow_kind, slow), (fast_kind, fast)] = pair else {
            continue;
        };
        let (slow_name, fast_name) = (slow_kind.key(), fast_kind.key());
        if fast.deadline.approx_minutes() > slow.deadline.approx_minutes() {
            out.add(
                format!("{prefix}{fast_name}.deadline"),
                format!(
                    "{fast_name} ({}) is slower than {slow_name} ({}); it must be no slower",
                    fast.deadline, slow.deadline
                ),
            );
        }
        if fast.fee_eur < slow.fee_eur {
            out.add(
                format!("{prefix}{fast_name}.fee_eur"),
                format!("{fast_name} ({}) costs less than {slow_name} ({}); a faster tier costs the same or more", fast.fee_eur, slow.fee_eur),
            );
        }
    }
}

fn complaints(c: &Config, out: &mut Issues) {
    let cats = &c.complaints.categories;
    if cats.is_empty() {
        out.add("complaints.categories", "list at least one category");
    }
    out.unique(cats.iter().map(|k| k.id.as_str()), |i| {
        format!("complaints.categories[{i}].id")
    });
    for (i, cat) in cats.iter().enumerate() {
        if !is_slug(&cat.id) {
            out.add(
                format!("complaints.categories[{i}].id"),
                format!("{:?} is not allowed; use a-z, 0-9, '-' and '_'", cat.id),
            );
        }
    }
    if !cats.is_empty() && !cats.iter().any(|k| k.suspected_corruption) {
        out.add("complaints.categories", "one category must have suspected_corruption = true: the charter asks for corruption reports");
    }
    out.range(
        "complaints.max_text_chars",
        c.complaints.max_text_chars,
        200,
        10_000,
    );
}

fn rating(c: &Config, out: &mut Issues) {
    let r = &c.rating;
    out.unique(r.reasons.iter().map(|k| k.id.as_str()), |i| {
        format!("rating.reasons[{i}].id")
    });
    let known: Vec<&str> = r.reasons.iter().map(|k| k.id.as_str()).collect();
    for (list, ids) in [
        ("low_reasons", &r.low_reasons),
        ("high_reasons", &r.high_reasons),
    ] {
        for (i, id) in ids.iter().enumerate() {
            if !known.contains(&id.as_str()) {
                out.add(
                    format!("rating.{list}[{i}]"),
                    format!(
                        "{id:?} is not a reason in [[rating.reasons]]; known: {}",
                        known.join(", ")
                    ),
                );
            }
        }
        if ids.len() > 8 {
            out.add(
                format!("rating.{list}"),
                "at most 8 reasons fit on one screen",
            );
        }
    }
}

fn printer(c: &Config, out: &mut Issues) {
    out.range("printer.columns", c.printer.columns, 24, 64);
    out.range("printer.timeout_ms", c.printer.timeout_ms, 100, 60_000);
}

fn board(c: &Config, out: &mut Issues) {
    let pins = c.board.pins();
    for (key, pin) in &pins {
        out.range(&format!("board.{key}"), *pin, 0, 27);
    }
    let mut seen: Vec<(&str, u8)> = Vec::new();
    for (key, pin) in pins {
        if let Some((first, _)) = seen.iter().find(|(_, p)| *p == pin) {
            out.add(
                format!("board.{key}"),
                format!("GPIO {pin} is already used by board.{first}; each pin does one thing"),
            );
        }
        seen.push((key, pin));
    }
    out.range("board.debounce_ms", c.board.debounce_ms, 1, 1000);
    out.range(
        "board.backlight_dim_percent",
        c.board.backlight_dim_percent,
        1,
        100,
    );
    if c.board.backlight.contains('/') || c.board.backlight == ".." {
        out.add(
            "board.backlight",
            format!(
                "{:?} is not a name under /sys/class/backlight; write e.g. \"11-0045\" or leave it empty",
                c.board.backlight
            ),
        );
    }
}

fn display(c: &Config, out: &mut Issues) {
    let d = &c.display;
    out.range("display.width_px", d.width_px, 320, 7680);
    out.range("display.height_px", d.height_px, 240, 4320);
    out.range("display.width_mm", d.width_mm, 50, 2000);
    out.range("display.height_mm", d.height_mm, 30, 2000);
    if ![0, 90, 180, 270].contains(&d.rotation) {
        out.add(
            "display.rotation",
            format!("{} is not allowed; use 0, 90, 180 or 270", d.rotation),
        );
    }
    out.range("display.dim_after_idle_mins", d.dim_after_idle_mins, 1, 240);
}

fn accessibility(c: &Config, out: &mut Issues) {
    let a = &c.accessibility;
    out.range("accessibility.idle_reset_secs", a.idle_reset_secs, 20, 3600);
    // Under 20 s an elderly visitor may not finish reading the question.
    out.range(
        "accessibility.idle_warning_secs",
        a.idle_warning_secs,
        20,
        600,
    );
    out.range(
        "accessibility.attract_after_secs",
        a.attract_after_secs,
        20,
        3600,
    );
}

/// Whether `url` is https, or plain http to this machine only.
fn is_secure_web_address(url: &str) -> bool {
    let loopback = ["http://127.", "http://localhost", "http://[::1]"]
        .iter()
        .any(|p| url.starts_with(p));
    url.starts_with("https://") || loopback
}

fn receipt(c: &Config, out: &mut Issues) {
    let url = c.receipt.status_url.trim();
    if url.is_empty() {
        return;
    }
    if !is_secure_web_address(url) {
        out.add("receipt.status_url", format!("{url:?} must start with https:// (plain http is allowed only to 127.0.0.1, localhost or [::1]); leave it empty for no QR code on the slip"));
    } else if url.contains(['?', '#', ' ']) || url.len() > 200 {
        out.add("receipt.status_url", format!("{url:?} must be the status page's address without ?, # or spaces, at most 200 characters: the slip adds /<number>?c=<check code>"));
    }
}

fn central(c: &Config, out: &mut Issues) {
    let k = &c.central;
    let url = k.url.trim();
    if !url.is_empty() {
        if !is_secure_web_address(url) {
            out.add("central.url", format!("{url:?} must start with https:// (plain http is allowed only to 127.0.0.1, localhost or [::1]); leave it empty for no central system"));
        }
        if k.token_file.as_os_str().is_empty() {
            out.add(
                "central.token_file",
                "must name the file holding the central system's token when central.url is set",
            );
        }
    }
    out.range("central.batch_size", k.batch_size, 1, 1000);
    out.range("central.heartbeat_secs", k.heartbeat_secs, 30, 86_400);
    out.range(
        "central.connect_timeout_secs",
        k.connect_timeout_secs,
        1,
        120,
    );
    out.range(
        "central.request_timeout_secs",
        k.request_timeout_secs,
        1,
        600,
    );
}

fn staff(c: &Config, out: &mut Issues) {
    // The same check login uses, so a hash accepted here is one login reads.
    let hash = c.staff.pin_hash.trim();
    if !hash.is_empty()
        && let Err(problem) = crate::pin_hash::check_hash(hash)
    {
        out.add("staff.pin_hash", problem.to_string());
    }
    out.range("staff.idle_logout_secs", c.staff.idle_logout_secs, 30, 3600);
}

fn speech(c: &Config, out: &mut Issues) {
    let s = &c.speech;
    out.range("speech.rate", s.rate, 80, 450);
    out.range("speech.volume", s.volume, 0, 200);
    // Each value becomes one argument of a program: a leading '-' would be
    // read as an option, and a space means a typo, not a name.
    let words = [
        ("speech.engine", s.engine.as_str(), "\"espeak-ng\""),
        ("speech.player", s.player.as_str(), "\"aplay\""),
        ("speech.voice.bg", s.voice.bg.as_str(), "\"bg\""),
        ("speech.voice.en", s.voice.en.as_str(), "\"en\""),
    ];
    for (key, value, example) in words {
        if value.trim().is_empty() {
            out.add(key, format!("must not be empty, e.g. {example}"));
        } else if !is_argument(value) {
            out.add(
                key,
                format!("{value:?} is not allowed; no spaces and no leading '-', e.g. {example}"),
            );
        }
    }
    if !s.device.is_empty() && !is_argument(&s.device) {
        out.add(
            "speech.device",
            format!(
                "{:?} is not an ALSA device name; no spaces and no leading '-' (`aplay -L` lists them, e.g. \"plughw:CARD=Headphones\"), or empty for ALSA's default",
                s.device
            ),
        );
    }
}

/// A value that can be passed as one program argument as it is.
fn is_argument(value: &str) -> bool {
    !value.starts_with('-') && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}
