//! How a `[staff] pin_hash` in kiosk.toml is recognised: an Argon2id PHC
//! string whose parameters a PIN check can afford. The configuration check
//! and the kiosk's login use this same [`check_hash`], so a hash the
//! configuration accepts is one login can use; hashing and verifying live
//! with the kiosk's staff mode.

use argon2::password_hash::PasswordHash;
use argon2::{Algorithm, Params};

/// The most memory a configured hash may ask for, in KiB (64 MiB).
pub const MAX_M_KIB: u32 = 64 * 1024;
/// The most passes a configured hash may ask for.
pub const MAX_T_COST: u32 = 16;
/// The most lanes a configured hash may ask for.
pub const MAX_P_COST: u32 = 4;

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
    #[error(
        "asks for more than the kiosk can give a PIN check (at most m={MAX_M_KIB}, t={MAX_T_COST}, p={MAX_P_COST}); run `kiosk hash-pin` and paste its output"
    )]
    TooHeavy,
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
        Some(h) => match Params::try_from(&h) {
            Ok(p)
                if p.m_cost() <= MAX_M_KIB
                    && p.t_cost() <= MAX_T_COST
                    && p.p_cost() <= MAX_P_COST =>
            {
                Ok(())
            }
            Ok(_) => Err(HashProblem::TooHeavy),
            Err(_) => Err(HashProblem::NotArgon2id),
        },
        None if !hash.is_empty() && hash.chars().all(|c| c.is_ascii_digit()) => {
            Err(HashProblem::PlainPin)
        }
        None => Err(HashProblem::NotArgon2id),
    }
}
