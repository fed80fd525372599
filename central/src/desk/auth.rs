//! Who may open the desk's pages: passwords, sessions and the lockout.
//!
//! Invariants:
//! - passwords are kept only as Argon2id hashes (PHC strings); a check
//!   runs on the blocking pool, at most [`CHECKS_AT_ONCE`] at a time, so a
//!   flood of logins cannot take more than that many hashes' memory;
//! - a session id is 256 random bits, sent only in an `HttpOnly`,
//!   `SameSite=Strict` cookie, kept in the database only as its SHA-256;
//!   it ends after `[desk] idle_minutes` without a request and
//!   `session_hours` after the login, or at logout;
//! - `lockout_failures` wrong passwords in a row lock the account for
//!   `lockout_minutes`, counted in the database (a restart does not reset
//!   it, and 1,000 wrong passwords cost no memory): while locked, no
//!   password is even checked;
//! - an unknown name costs the same hash check as a known one, and gets the
//!   same answer as a wrong password.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;
use tokio::sync::Semaphore;

use super::error::DeskError;
use crate::config::Desk as DeskConfig;
use crate::db::{audit, sessions, users};

/// Password checks running at once (each takes about 19 MiB).
pub const CHECKS_AT_ONCE: usize = 2;
/// Longest name and password read from a login form.
pub const MAX_NAME: usize = 64;
pub const MAX_PASSWORD: usize = 256;
/// A session's last use is written at most this often.
const TOUCH_EVERY_SECS: i64 = 60;

/// What a person may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The registry desk: everything, personal data included.
    Clerk,
    /// The mayor, the secretary: figures and the register without names,
    /// contacts or texts.
    Viewer,
    /// Users, kiosks and configuration, and the audit trail; no personal
    /// data of filers.
    Admin,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "clerk" => Some(Role::Clerk),
            "viewer" => Some(Role::Viewer),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Viewer => "viewer",
            Role::Admin => "admin",
        }
    }

    /// Names, contacts and texts of filers.
    pub fn sees_personal_data(self) -> bool {
        self == Role::Clerk
    }

    /// Registering, answering, extending, closing.
    pub fn acts_on_complaints(self) -> bool {
        self == Role::Clerk
    }

    pub fn is_admin(self) -> bool {
        self == Role::Admin
    }
}

/// The Argon2id hash of `password` as a PHC string.
pub fn hash_password(password: &str) -> Result<String, DeskError> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
        .map_err(|e| DeskError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| DeskError::Internal(e.to_string()))
}

fn verify(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash nobody's password matches, checked for unknown names so that
/// they take as long as known ones.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password never used").unwrap_or_default())
}

/// Checks `password` against `hash` on the blocking pool, at most
/// [`CHECKS_AT_ONCE`] at a time.
async fn check_password(gate: &Semaphore, password: &str, hash: &str) -> bool {
    let Ok(_permit) = gate.acquire().await else {
        return false;
    };
    let (password, hash) = (password.to_owned(), hash.to_owned());
    tokio::task::spawn_blocking(move || verify(&password, &hash))
        .await
        .unwrap_or(false)
}

/// 256 random bits as 64 hex digits.
pub fn random_token() -> String {
    hex(&rand::random::<[u8; 32]>())
}

/// What the database keeps of a session id.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn minutes(n: u64) -> Duration {
    Duration::minutes(i64::try_from(n).unwrap_or(i64::MAX / 120_000))
}

/// How a login ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Login {
    /// The session id for the cookie.
    Opened { token: String },
    /// Wrong name or password (the same answer for both).
    Refused,
    /// Locked after too many wrong passwords, until this time (UTC).
    Locked { until: String },
}

/// Checks a name and password and opens a session.
pub async fn log_in(
    pool: &AnyPool,
    config: &DeskConfig,
    gate: &Semaphore,
    name: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<Login, DeskError> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_NAME
        || password.is_empty()
        || password.chars().count() > MAX_PASSWORD
    {
        return Ok(Login::Refused);
    }
    let user = users::by_name(pool, name).await?;
    let Some(user) = user.filter(|u| !u.disabled) else {
        check_password(gate, password, decoy_hash()).await;
        return Ok(Login::Refused);
    };
    if let Some(until) = user.locked_until.as_ref().filter(|u| **u > text(now)) {
        return Ok(Login::Locked {
            until: until.clone(),
        });
    }
    if !check_password(gate, password, &user.password_hash).await {
        let until = text(now + minutes(config.lockout_minutes));
        let limit = i64::try_from(config.lockout_failures).unwrap_or(5);
        if users::record_failure(pool, user.id, limit, &until).await? {
            audit::append(
                pool,
                &user.name,
                "user.locked",
                &format!("user:{}", user.name),
                &json!({ "until": until, "after_failures": limit }),
            )
            .await?;
            return Ok(Login::Locked { until });
        }
        return Ok(Login::Refused);
    }
    users::record_success(pool, user.id).await?;
    let idle_before = text(now - minutes(config.idle_minutes));
    sessions::purge(pool, &text(now), &idle_before).await?;
    let token = random_token();
    sessions::insert(
        pool,
        &sessions::Session {
            id_hash: token_hash(&token),
            user_id: user.id,
            csrf: random_token(),
            last_seen_at: text(now),
            expires_at: text(now + minutes(config.session_hours.saturating_mul(60))),
        },
    )
    .await?;
    audit::append(
        pool,
        &user.name,
        "user.login",
        &format!("user:{}", user.name),
        &json!({}),
    )
    .await?;
    Ok(Login::Opened { token })
}

/// A person with a live session.
#[derive(Debug, Clone)]
pub struct Signed {
    pub user_id: i64,
    pub name: String,
    pub role: Role,
    pub csrf: String,
    pub token_hash: String,
}

/// The person whose session id is `token`, if the session is live.
pub async fn session(
    pool: &AnyPool,
    config: &DeskConfig,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Signed>, DeskError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let hash = token_hash(token);
    let Some(s) = sessions::by_hash(pool, &hash).await? else {
        return Ok(None);
    };
    let now_text = text(now);
    let idle_before = text(now - minutes(config.idle_minutes));
    if s.expires_at <= now_text || s.last_seen_at < idle_before {
        sessions::delete(pool, &hash).await?;
        return Ok(None);
    }
    let Some(user) = users::by_id(pool, s.user_id).await? else {
        return Ok(None);
    };
    let Some(role) = Role::parse(&user.role).filter(|_| !user.disabled) else {
        return Ok(None);
    };
    let touch_before = text(now - Duration::seconds(TOUCH_EVERY_SECS));
    if s.last_seen_at < touch_before {
        sessions::touch(pool, &hash, &now_text).await?;
    }
    Ok(Some(Signed {
        user_id: user.id,
        name: user.name,
        role,
        csrf: s.csrf,
        token_hash: hash,
    }))
}

/// Ends a session.
pub async fn log_out(pool: &AnyPool, who: &Signed) -> Result<(), DeskError> {
    sessions::delete(pool, &who.token_hash).await?;
    audit::append(
        pool,
        &who.name,
        "user.logout",
        &format!("user:{}", who.name),
        &json!({}),
    )
    .await?;
    Ok(())
}

/// Adds a person or gives a known one a new role and password; their old
/// sessions end. Returns true when the person is new.
pub async fn set_user(
    pool: &AnyPool,
    name: &str,
    role: Role,
    password: &str,
    actor: &str,
) -> Result<bool, DeskError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(DeskError::BadRequest(format!(
            "a name is 1 to {MAX_NAME} characters"
        )));
    }
    if password.chars().count() < 8 || password.chars().count() > MAX_PASSWORD {
        return Err(DeskError::BadRequest(format!(
            "a password is 8 to {MAX_PASSWORD} characters"
        )));
    }
    let hash = {
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| DeskError::Internal(e.to_string()))??
    };
    let new = users::upsert(pool, name, role.as_str(), &hash).await?;
    if let Some(u) = users::by_name(pool, name).await? {
        sessions::delete_of_user(pool, u.id).await?;
    }
    audit::append(
        pool,
        actor,
        if new { "user.add" } else { "user.change" },
        &format!("user:{name}"),
        &json!({ "role": role.as_str() }),
    )
    .await?;
    Ok(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_check_only_the_right_password() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify("correct horse", &h));
        assert!(!verify("correct hors", &h));
        assert!(!verify("correct horse", "not a hash"));
    }

    #[test]
    fn tokens_are_random_and_kept_only_hashed() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }

    #[test]
    fn only_clerks_see_personal_data_and_act() {
        for r in [Role::Clerk, Role::Viewer, Role::Admin] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            assert_eq!(r.sees_personal_data(), r == Role::Clerk);
            assert_eq!(r.acts_on_complaints(), r == Role::Clerk);
        }
        assert_eq!(Role::parse("root"), None);
    }
}
