//! The staff PIN: how it is hashed (Argon2id, RustCrypto `argon2`), checked,
//! and how a hash in kiosk.toml is recognised.
//!
//! Invariants: the PIN itself is never stored, logged or passed on the
//! command line; kiosk.toml holds only the PHC string
//! (`$argon2id$v=19$m=...,t=...,p=...$salt$hash`). Checking uses the
//! parameters written in the hash, so a hash made with stronger settings
//! later still verifies. `config::validate` and login use the same
//! [`check_hash`], so a hash the configuration accepts is one login can use.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2};
use rand::RngCore;

/// Shortest PIN accepted.
pub const MIN_LEN: usize = 4;
/// Longest PIN accepted.
pub const MAX_LEN: usize = 12;

/// Why a PIN cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    #[error("a PIN is {MIN_LEN} to {MAX_LEN} digits (the staff keypad has only digits)")]
    Shape,
    #[error("could not hash the PIN: {0}")]
    Hash(String),
}

/// What is wrong with a `[staff] pin_hash` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HashProblem {
    #[error(
        "looks like the PIN itself: never write the PIN here; run `kiosk hash-pin` and paste its output"
    )]
    PlainPin,
    #[error(
        "is not an Argon2id hash; run `kiosk hash-pin` and paste its output ($argon2id$v=19$m=...)"
    )]
    NotArgon2id,
}

/// Whether `pin` has the shape of a PIN: digits only, 4 to 12 of them.
pub fn check_pin(pin: &str) -> Result<(), PinError> {
    let ok = (MIN_LEN..=MAX_LEN).contains(&pin.chars().count())
        && pin.chars().all(|c| c.is_ascii_digit());
    if ok { Ok(()) } else { Err(PinError::Shape) }
}

/// The Argon2id hash of `pin` with a fresh random salt, as a PHC string
/// for `[staff] pin_hash`.
pub fn hash_pin(pin: &str) -> Result<String, PinError> {
    check_pin(pin)?;
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| PinError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PinError::Hash(e.to_string()))
}

/// Whether `hash` (trimmed) is an Argon2id PHC string with its parameters.
pub fn check_hash(hash: &str) -> Result<(), HashProblem> {
    let hash = hash.trim();
    let parsed = PasswordHash::new(hash).ok().filter(|h| {
        h.algorithm == Algorithm::Argon2id.ident()
            && h.version.is_some()
            && h.params.get("m").is_some()
            && h.salt.is_some()
            && h.hash.is_some()
    });
    match parsed {
        Some(_) => Ok(()),
        None if !hash.is_empty() && hash.chars().all(|c| c.is_ascii_digit()) => {
            Err(HashProblem::PlainPin)
        }
        None => Err(HashProblem::NotArgon2id),
    }
}

/// Whether `pin` matches `hash`. A hash that cannot be read matches nothing.
pub fn verify_pin(pin: &str, hash: &str) -> Result<bool, HashProblem> {
    check_hash(hash)?;
    let parsed = PasswordHash::new(hash.trim()).map_err(|_| HashProblem::NotArgon2id)?;
    Ok(Argon2::default()
        .verify_password(pin.as_bytes(), &parsed)
        .is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_pin_only_and_passes_the_config_check() {
        let hash = hash_pin("4711").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m="), "{hash}");
        assert_eq!(check_hash(&hash), Ok(()));
        assert_eq!(verify_pin("4711", &hash), Ok(true));
        assert_eq!(verify_pin("4712", &hash), Ok(false));
        assert_ne!(hash_pin("4711").unwrap(), hash, "salts must differ");
    }

    #[test]
    fn pins_are_four_to_twelve_digits() {
        assert_eq!(check_pin("123"), Err(PinError::Shape));
        assert_eq!(check_pin("12a4"), Err(PinError::Shape));
        assert_eq!(check_pin("1234567890123"), Err(PinError::Shape));
        assert_eq!(check_pin("123456789012"), Ok(()));
    }

    #[test]
    fn plain_pins_and_other_hashes_are_told_apart() {
        assert_eq!(check_hash("1234"), Err(HashProblem::PlainPin));
        assert_eq!(
            check_hash("$argon2i$v=19$m=16,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"),
            Err(HashProblem::NotArgon2id)
        );
        assert_eq!(check_hash("$2b$12$abc"), Err(HashProblem::NotArgon2id));
        assert_eq!(verify_pin("1234", "1234"), Err(HashProblem::PlainPin));
    }
}
