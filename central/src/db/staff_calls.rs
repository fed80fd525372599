//! The `staff_calls` table: a visitor asked for a person.

use kiosk_rules::domain::record::{StaffCall, StaffCallSource};
use sqlx::{Any, Executor};

pub async fn insert<'e>(
    e: impl Executor<'e, Database = Any>,
    kiosk_id: &str,
    record_id: &str,
    s: &StaffCall,
    created_at: &str,
    clock_trusted: bool,
) -> Result<(), sqlx::Error> {
    let source = match s.source {
        StaffCallSource::Button => "button",
        StaffCallSource::Screen => "screen",
    };
    sqlx::query(
        "INSERT INTO staff_calls (kiosk_id, record_id, source, lang, created_at, clock_trusted)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(kiosk_id)
    .bind(record_id)
    .bind(source)
    .bind(s.lang.code())
    .bind(created_at)
    .bind(super::flag(clock_trusted))
    .execute(e)
    .await?;
    Ok(())
}
