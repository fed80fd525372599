//! The complaint register as the desk reads it: each complaint with its
//! latest status, registry number and current due date, from the
//! `complaints` and `complaint_events` tables. Read only; the writes are
//! the actions' (`complaints::actions`).

// Queries composed from constants only (a column list, the register's
// SELECT), never from a request: safe to assert.
use sqlx::{Any, AssertSqlSafe, Executor};

/// One line of the register.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub number: String,
    pub kiosk_id: String,
    pub check_code: Option<String>,
    pub ctype: String,
    pub category: String,
    pub name: String,
    pub anonymous: bool,
    pub flags: String,
    pub created_at: String,
    pub filed_on: String,
    /// The due date the kiosk sent.
    pub due_date: Option<String>,
    /// The latest event's status; `None` for a new complaint.
    pub status: Option<String>,
    /// The latest extension's new due date.
    pub extended_to: Option<String>,
    pub registry_number: Option<String>,
    pub registered_on: Option<String>,
}

/// What narrows the register in SQL (the rest is narrowed in Rust).
#[derive(Debug, Clone, Default)]
pub struct Narrow {
    pub ctype: Option<String>,
    pub category: Option<String>,
    pub kiosk: Option<String>,
    /// Filed on or after, YYYY-MM-DD.
    pub from: Option<String>,
    /// Filed on or before, YYYY-MM-DD.
    pub to: Option<String>,
}

type Row = (
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

const SELECT: &str = "SELECT c.number, c.kiosk_id, c.check_code, c.type, c.category, c.name, c.anonymous,
        c.flags, c.created_at, c.filed_on, c.due_date,
        (SELECT e.status FROM complaint_events e WHERE e.number = c.number ORDER BY e.id DESC LIMIT 1),
        (SELECT e.new_due_date FROM complaint_events e
            WHERE e.number = c.number AND e.new_due_date IS NOT NULL ORDER BY e.id DESC LIMIT 1),
        (SELECT e.registry_number FROM complaint_events e
            WHERE e.number = c.number AND e.status = 'registered' ORDER BY e.id LIMIT 1),
        (SELECT e.registered_on FROM complaint_events e
            WHERE e.number = c.number AND e.status = 'registered' ORDER BY e.id LIMIT 1)
    FROM complaints c";

fn from_row(r: Row) -> Entry {
    let (
        number,
        kiosk_id,
        check_code,
        ctype,
        category,
        name,
        anonymous,
        flags,
        created_at,
        filed_on,
        due_date,
        status,
        extended_to,
        registry_number,
        registered_on,
    ) = r;
    Entry {
        number,
        kiosk_id,
        check_code,
        ctype,
        category,
        name,
        anonymous: anonymous != 0,
        flags,
        created_at,
        filed_on,
        due_date,
        status,
        extended_to,
        registry_number,
        registered_on,
    }
}

/// The complaints that pass `n`, newest first (the page sorts them).
pub async fn entries<'e>(
    e: impl Executor<'e, Database = Any>,
    n: &Narrow,
) -> Result<Vec<Entry>, sqlx::Error> {
    // Each condition is on when its parameter is not NULL, so the text of
    // the query never depends on the request.
    let sql = format!(
        "{SELECT} WHERE ($1 IS NULL OR c.type = $1) AND ($2 IS NULL OR c.category = $2)
            AND ($3 IS NULL OR c.kiosk_id = $3) AND ($4 IS NULL OR c.filed_on >= $4)
            AND ($5 IS NULL OR c.filed_on <= $5)
         ORDER BY c.created_at DESC"
    );
    let rows: Vec<Row> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(n.ctype.as_deref())
        .bind(n.category.as_deref())
        .bind(n.kiosk.as_deref())
        .bind(n.from.as_deref())
        .bind(n.to.as_deref())
        .fetch_all(e)
        .await?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// The complaints registered on `day` (YYYY-MM-DD), by registry number.
pub async fn registered_on<'e>(
    e: impl Executor<'e, Database = Any>,
    day: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT number FROM complaint_events WHERE status = 'registered' AND registered_on = $1
         ORDER BY registry_number, number",
    )
    .bind(day)
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

/// Everything about one complaint: its register line and what the filer
/// wrote and left as contact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Full {
    pub entry: Entry,
    pub text: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub health_safety: bool,
    pub clock_trusted: bool,
    pub lang: String,
}

pub async fn full<'e>(
    e: impl Executor<'e, Database = Any> + Copy,
    number: &str,
) -> Result<Option<Full>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(AssertSqlSafe(format!("{SELECT} WHERE c.number = $1")))
        .bind(number)
        .fetch_optional(e)
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let (text, address, phone, email, health_safety, clock_trusted, lang): (
        String,
        String,
        String,
        String,
        i64,
        i64,
        String,
    ) = sqlx::query_as(
        "SELECT text, address, phone, email, health_safety, clock_trusted, lang
         FROM complaints WHERE number = $1",
    )
    .bind(number)
    .fetch_one(e)
    .await?;
    Ok(Some(Full {
        entry: from_row(row),
        text,
        address,
        phone,
        email,
        health_safety: health_safety != 0,
        clock_trusted: clock_trusted != 0,
        lang,
    }))
}

/// The kiosks and categories that occur, for the filters' choices.
pub async fn choices<'e>(
    e: impl Executor<'e, Database = Any> + Copy,
) -> Result<(Vec<String>, Vec<String>), sqlx::Error> {
    let kiosks: Vec<(String,)> = sqlx::query_as("SELECT id FROM kiosks ORDER BY id")
        .fetch_all(e)
        .await?;
    let categories: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT category FROM complaints ORDER BY category")
            .fetch_all(e)
            .await?;
    Ok((
        kiosks.into_iter().map(|(k,)| k).collect(),
        categories.into_iter().map(|(c,)| c).collect(),
    ))
}
