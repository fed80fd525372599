//! `kiosk report` and `kiosk hash-pin` end to end, on a copy of the shipped
//! kiosk.toml. The report is checked against an independent count of what
//! a central system would hold after receiving the kiosk's requests.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::support::{complaint, context, rating, staff_call, submission};
use chrono::Datelike;
use kiosk::clock::{Clock, ManualClock};
use kiosk::domain::record::{Record, RecordData};
use kiosk::store::Store;
use kiosk::sync::RecordsRequest;

fn kiosk_cmd(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kiosk"));
    cmd.arg("--config")
        .arg(dir.join("kiosk.toml"))
        .args(args)
        .current_dir(dir)
        .env_remove("KIOSK_LOG");
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("KIOSK__")) {
        cmd.env_remove(k);
    }
    cmd
}

fn kiosk(dir: &Path, args: &[&str]) -> Output {
    let out = kiosk_cmd(dir, args).output().unwrap();
    assert!(
        out.status.success(),
        "kiosk {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// What a central system counts from the bodies it accepted.
#[derive(Default, Debug, PartialEq)]
struct CentralCount {
    ratings: u64,
    scores: [u64; 5],
    complaints: HashMap<String, u64>,
}

/// A kiosk folder with records in 2026 and 2027, sent through the wire
/// format to a make-believe central system that rejects one rating.
fn kiosk_with_records() -> (tempfile::TempDir, CentralCount) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("kiosk.toml"),
        dir.path().join("kiosk.toml"),
    )
    .unwrap();
    let store = Store::create(dir.path().join("data/kiosk.db")).unwrap();
    let clock = ManualClock::at_sofia(2026, 3, 2, 9, 0).unwrap();
    let ctx = context(&clock);
    for score in [5, 5, 4, 3, 1, 2] {
        store
            .submit(submission(rating(score), false), &ctx)
            .unwrap();
        clock.advance(chrono::Duration::days(40));
    }
    store.submit(submission(complaint(), false), &ctx).unwrap();
    store.submit(submission(staff_call(), false), &ctx).unwrap();
    let past = clock.now() - chrono::Duration::days(3);
    store
        .submit_at(submission(rating(1), false), past, &ctx)
        .unwrap();
    // Into 2027: counted in its own year.
    clock.set(ManualClock::at_sofia(2027, 1, 4, 9, 0).unwrap().now());
    let refused = store.submit(submission(rating(2), false), &ctx).unwrap();
    store.submit(submission(rating(4), false), &ctx).unwrap();
    // One left pending: the central system will have it, so it counts.
    let batch = store.pending_batch(1000).unwrap().items;
    let (send, keep) = batch.split_at(batch.len() - 1);
    let records: Vec<&Record> = send.iter().map(|i| &i.record).collect();
    let body = serde_json::to_string(&RecordsRequest::new("kv", clock.now(), records)).unwrap();
    let received: serde_json::Value = serde_json::from_str(&body).unwrap();
    let mut central = CentralCount::default();
    let mut delivered = Vec::new();
    let count = |r: &Record, c: &mut CentralCount| {
        if r.created_at.year() != 2026 {
            return;
        }
        match &r.data {
            RecordData::Rating(x) => {
                c.ratings += 1;
                c.scores[usize::from(x.score - 1)] += 1;
            }
            RecordData::Complaint(x) => {
                *c.complaints.entry(x.ctype.as_str().to_owned()).or_default() += 1
            }
            RecordData::StaffCall(_) => {}
        }
    };
    for value in received["records"].as_array().unwrap() {
        let record: Record = serde_json::from_value(value.clone()).unwrap();
        if record.id == refused.id {
            store
                .mark_rejected(record.id, "unknown service", clock.now())
                .unwrap();
            continue;
        }
        count(&record, &mut central);
        delivered.push(record.id);
    }
    for item in keep {
        count(&item.record, &mut central);
    }
    store.mark_delivered(&delivered, clock.now()).unwrap();
    (dir, central)
}

#[test]
fn the_annual_report_counts_what_the_central_system_holds() {
    let (dir, central) = kiosk_with_records();
    // The central system cannot tell demo records apart, so compare with
    // them included; the default report leaves the one demo rating out.
    let out = kiosk(
        dir.path(),
        &[
            "report",
            "--year",
            "2026",
            "--format",
            "json",
            "--include-demo",
        ],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ratings = &report["summary"]["ratings"];
    assert_eq!(ratings["count"], central.ratings);
    for (i, n) in central.scores.iter().enumerate() {
        assert_eq!(ratings["distribution"][i], *n);
    }
    for t in report["summary"]["complaints"]["by_type"]
        .as_array()
        .unwrap()
    {
        let ctype = t["type"].as_str().unwrap();
        assert_eq!(
            t["count"],
            central.complaints.get(ctype).copied().unwrap_or(0)
        );
    }

    let out = kiosk(
        dir.path(),
        &["report", "--year", "2026", "--format", "json"],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["ratings"]["count"], central.ratings - 1);
    assert_eq!(report["summary"]["demo_included"], false);

    let out = kiosk(
        dir.path(),
        &["report", "--year", "2027", "--format", "json"],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        report["summary"]["ratings"]["count"], 1,
        "the rejected rating is not counted"
    );
    assert_eq!(report["rejected_not_counted"], 1);

    let md = kiosk(dir.path(), &["report", "--year", "2026"]);
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(
        md.starts_with("# Удовлетвореност на потребителите — Община Ковачевци"),
        "{md}"
    );
    assert!(md.contains("| брой оценки | 6 |"), "{md}");
}

#[test]
fn a_range_report_as_csv_starts_with_a_bom_and_crosses_the_year() {
    let (dir, _) = kiosk_with_records();
    let out = kiosk(
        dir.path(),
        &[
            "report",
            "--from",
            "2026-12-01",
            "--to",
            "2027-01-31",
            "--format",
            "csv",
        ],
    );
    assert!(out.stdout.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(out.stdout[3..].to_vec()).unwrap();
    assert!(
        text.starts_with("section,id,name,count,mean,csat\r\n"),
        "{text}"
    );
    assert!(text.contains("period,2026-12-01,2027-01-31,62,,\r\n"));
    let text_out = kiosk(
        dir.path(),
        &["report", "--from", "2026-12-01", "--to", "2027-01-31"],
    );
    assert!(
        String::from_utf8(text_out.stdout)
            .unwrap()
            .contains("ratings: ")
    );
    let backwards = kiosk_cmd(
        dir.path(),
        &["report", "--from", "2027-01-31", "--to", "2026-12-01"],
    )
    .output()
    .unwrap();
    assert!(!backwards.status.success());
    assert!(String::from_utf8_lossy(&backwards.stderr).contains("swap the dates"));
}

#[test]
fn hash_pin_reads_the_pin_from_standard_input_and_never_echoes_it() {
    let dir = tempfile::tempdir().unwrap();
    let run = |input: &str| {
        let mut child = kiosk_cmd(dir.path(), &["hash-pin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run("246813\n");
    assert!(out.status.success());
    let hash = String::from_utf8(out.stdout).unwrap();
    assert!(!hash.contains("246813"));
    assert_eq!(
        kiosk::staff::pin::verify_pin("246813", hash.trim()),
        Ok(true)
    );
    assert_eq!(kiosk::staff::pin::check_hash(hash.trim()), Ok(()));
    let short = run("12\n");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("4 to 12 digits"));
}

#[test]
fn export_writes_the_files_with_a_bom_and_no_personal_data() {
    let (dir, _) = kiosk_with_records();
    let out_dir = dir.path().join("stick");
    std::fs::create_dir(&out_dir).unwrap();
    let out = kiosk(
        dir.path(),
        &[
            "export",
            "--year",
            "2026",
            "--dir",
            out_dir.to_str().unwrap(),
        ],
    );
    let listed = String::from_utf8(out.stdout).unwrap();
    assert_eq!(listed.lines().count(), 4, "{listed}");
    let register = listed
        .lines()
        .find(|l| l.ends_with("-register.csv"))
        .unwrap();
    let bytes = std::fs::read(register).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(
        text.starts_with("number,type,category,category_name,"),
        "{text}"
    );
    assert!(
        text.contains("KV1-2026-000001,complaint,service_quality,"),
        "{text}"
    );
    for file in listed.lines() {
        let content = std::fs::read_to_string(file).unwrap();
        for secret in ["Иван", "0888", "example.bg"] {
            assert!(!content.contains(secret), "{secret} in {file}");
        }
    }
    // Without --dir, no stick and no export_dir: a clear refusal. (Not
    // tried where a stick is mounted: the test must not write to it.)
    if kiosk::staff::export::removable_mount(&Default::default()).is_some() {
        return;
    }
    let refused = kiosk_cmd(dir.path(), &["export", "--year", "2026"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("no USB stick found"));
}
