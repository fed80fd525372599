//! The `complaints` table: complaints, signals, proposals and praise, one
//! row per receipt number.

use kiosk_rules::domain::ReceiptNumber;
use kiosk_rules::domain::record::Complaint;
use sqlx::{Any, Executor};

/// A complaint as the server holds it.
#[derive(Debug, Clone)]
pub struct NewComplaint<'a> {
    pub kiosk_id: &'a str,
    pub record_id: &'a str,
    pub number: &'a ReceiptNumber,
    pub check_code: Option<&'a str>,
    pub data: &'a Complaint,
    pub created_at: &'a str,
    pub filed_on: String,
    pub clock_trusted: bool,
}

pub async fn insert<'e>(
    e: impl Executor<'e, Database = Any>,
    c: &NewComplaint<'_>,
) -> Result<(), sqlx::Error> {
    let flags: Vec<&str> = c.data.flags.iter().map(|f| f.as_str()).collect();
    sqlx::query(
        "INSERT INTO complaints (kiosk_id, record_id, number, prefix, year, sequence, check_code, type, category,
             text, name, address, phone, email, anonymous, health_safety, flags, due_date, lang, created_at,
             filed_on, clock_trusted)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)",
    )
    .bind(c.kiosk_id)
    .bind(c.record_id)
    .bind(c.number.to_string())
    .bind(c.number.prefix())
    .bind(i64::from(c.number.year()))
    .bind(i64::from(c.number.sequence()))
    .bind(c.check_code)
    .bind(c.data.ctype.as_str())
    .bind(&c.data.category)
    .bind(&c.data.text)
    .bind(&c.data.name)
    .bind(&c.data.address)
    .bind(&c.data.phone)
    .bind(&c.data.email)
    .bind(super::flag(c.data.anonymous))
    .bind(super::flag(c.data.health_safety))
    .bind(serde_json::to_string(&flags).unwrap_or_else(|_| "[]".into()))
    .bind(c.data.due_date.map(|d| d.format("%Y-%m-%d").to_string()))
    .bind(c.data.lang.code())
    .bind(c.created_at)
    .bind(&c.filed_on)
    .bind(super::flag(c.clock_trusted))
    .execute(e)
    .await?;
    Ok(())
}

/// Which kiosk and record hold `number`, if any.
pub async fn holder<'e>(
    e: impl Executor<'e, Database = Any>,
    number: &str,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT kiosk_id, record_id FROM complaints WHERE number = $1")
        .bind(number)
        .fetch_optional(e)
        .await
}

/// Per prefix and year, the highest sequence held, from any kiosk.
pub async fn highest_numbers<'e>(
    e: impl Executor<'e, Database = Any>,
) -> Result<Vec<(String, i64, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT prefix, year, MAX(sequence) FROM complaints GROUP BY prefix, year")
        .fetch_all(e)
        .await
}

/// What the complaint actions need to know about a complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintFacts {
    pub number: String,
    pub kiosk_id: String,
    pub ctype: String,
    pub anonymous: bool,
    pub filed_on: String,
    pub due_date: Option<String>,
}

pub async fn facts<'e>(
    e: impl Executor<'e, Database = Any>,
    number: &str,
) -> Result<Option<ComplaintFacts>, sqlx::Error> {
    let row: Option<(String, String, String, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT number, kiosk_id, type, anonymous, filed_on, due_date FROM complaints WHERE number = $1",
    )
    .bind(number)
    .fetch_optional(e)
    .await?;
    Ok(row.map(
        |(number, kiosk_id, ctype, anonymous, filed_on, due_date)| ComplaintFacts {
            number,
            kiosk_id,
            ctype,
            anonymous: anonymous != 0,
            filed_on,
            due_date,
        },
    ))
}
