//! The staff PIN: how it is hashed (Argon2id, RustCrypto `argon2`), checked,
//! and how a hash in kiosk.toml is recognised.
//!
//! Invariants: the PIN itself is never stored, logged or passed on the
//! command line; kiosk.toml holds only the PHC string
//! (`$argon2id$v=19$m=...,t=...,p=...$salt$hash`). Checking uses the
//! parameters written in the hash, so a hash made with stronger settings
//! later still verifies. `config::validate` and login use the same
//! [`check_hash`], so a hash the configuration accepts is one login can use.
//!
//! Memory: Argon2 works in `m` KiB of blocks. They are mapped straight from
//! the kernel for each check and unmapped after it ([`BlockMemory`]), not
//! taken from malloc: glibc raises its mmap threshold after the first large
//! free, so later blocks came from the heap and stayed there, and the
//! kiosk's memory grew by `m` with every PIN tried.
//!
//! Parameters: [`hash_pin`] uses m = 7 MiB, t = 5, p = 1, OWASP's
//! lowest-memory Argon2id setting of equal strength to the crate's default
//! (19 MiB, t = 2). No setting makes a 4 to 12 digit PIN hard to guess
//! offline, so the hash's job is only not to hand the PIN out in clear; the
//! stored lockout (five tries, then a doubling wait up to an hour) is what
//! stops guessing at the screen. A hash may ask for at most [`MAX_M_KIB`]:
//! kiosk.toml is outside input, and `m=4194304` would take 4 GiB per try.

use argon2::password_hash::{Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::RngCore;

pub use kiosk_rules::pin_hash::{HashProblem, MAX_M_KIB, MAX_P_COST, MAX_T_COST, check_hash};

/// Shortest PIN accepted.
pub const MIN_LEN: usize = 4;
/// Longest PIN accepted.
pub const MAX_LEN: usize = 12;

/// The Argon2 memory [`hash_pin`] uses, in KiB.
pub const M_KIB: u32 = 7 * 1024;
/// The Argon2 passes [`hash_pin`] makes.
pub const T_COST: u32 = 5;
/// Why a PIN cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    #[error("a PIN is {MIN_LEN} to {MAX_LEN} digits (the staff keypad has only digits)")]
    Shape,
    #[error("could not hash the PIN: {0}")]
    Hash(String),
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
    let hash_err = |e: &dyn std::fmt::Display| PinError::Hash(e.to_string());
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt_text = SaltString::encode_b64(&salt).map_err(|e| hash_err(&e))?;
    let params = Params::new(M_KIB, T_COST, 1, Some(Params::DEFAULT_OUTPUT_LEN))
        .map_err(|e| hash_err(&e))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    argon2_into(&argon, &params, pin.as_bytes(), &salt, &mut out).map_err(|e| hash_err(&e))?;
    let output = Output::new(&out).map_err(|e| hash_err(&e))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: (&params).try_into().map_err(|e| hash_err(&e))?,
        salt: Some(salt_text.as_salt()),
        hash: Some(output),
    };
    Ok(phc.to_string())
}

/// Whether `pin` matches `hash`, compared in constant time. A hash that
/// cannot be read matches nothing.
pub fn verify_pin(pin: &str, hash: &str) -> Result<bool, HashProblem> {
    check_hash(hash)?;
    let parsed = PasswordHash::new(hash.trim()).map_err(|_| HashProblem::NotArgon2id)?;
    let params = Params::try_from(&parsed).map_err(|_| HashProblem::NotArgon2id)?;
    let version = match parsed.version {
        Some(v) => Version::try_from(v).map_err(|_| HashProblem::NotArgon2id)?,
        None => Version::V0x13,
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Err(HashProblem::NotArgon2id);
    };
    let mut salt_buf = [0u8; 64];
    let salt = salt
        .decode_b64(&mut salt_buf)
        .map_err(|_| HashProblem::NotArgon2id)?;
    let argon = Argon2::new(Algorithm::Argon2id, version, params.clone());
    let mut out = [0u8; Output::MAX_LENGTH];
    let Some(out) = out.get_mut(..expected.len()) else {
        return Err(HashProblem::NotArgon2id);
    };
    if let Err(err) = argon2_into(&argon, &params, pin.as_bytes(), salt, out) {
        tracing::error!(%err, "the PIN could not be checked");
        return Ok(false);
    }
    Ok(Output::new(out).is_ok_and(|o| o == expected))
}

/// Argon2 of `pin` and `salt` into `out`, in blocks mapped for this call
/// alone.
fn argon2_into(
    argon: &Argon2<'_>,
    params: &Params,
    pin: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), String> {
    let mut memory = BlockMemory::map(params.block_count())?;
    argon
        .hash_password_into_with_memory(pin, salt, out, memory.blocks())
        .map_err(|e| e.to_string())
}

/// Argon2's working memory, mapped from the kernel and unmapped on drop, so
/// that it goes back to the system after every check.
pub struct BlockMemory {
    map: memmap2::MmapMut,
    count: usize,
}

impl BlockMemory {
    /// `count` zeroed blocks.
    pub fn map(count: usize) -> Result<BlockMemory, String> {
        let len = count
            .checked_mul(Block::SIZE)
            .ok_or_else(|| format!("{count} Argon2 blocks do not fit in memory"))?;
        let map = memmap2::MmapOptions::new()
            .len(len.max(1))
            .map_anon()
            .map_err(|e| format!("cannot map {len} bytes for Argon2: {e}"))?;
        Ok(BlockMemory { map, count })
    }

    /// The blocks.
    pub fn blocks(&mut self) -> &mut [Block] {
        let ptr = self.map.as_mut_ptr();
        debug_assert_eq!(ptr.align_offset(std::mem::align_of::<Block>()), 0);
        // SAFETY: the mapping is page-aligned (more than `Block`'s 64
        // bytes), at least `count * Block::SIZE` bytes long, zero-filled by
        // the kernel (a valid `Block` is any 128 u64s), and borrowed
        // mutably for the slice's whole life.
        unsafe { std::slice::from_raw_parts_mut(ptr.cast::<Block>(), self.count) }
    }
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
    fn hashes_of_the_crates_default_strength_still_verify() {
        use argon2::password_hash::PasswordHasher;
        let salt = SaltString::encode_b64(b"kiosk-test-salt!").unwrap();
        let old = Argon2::default()
            .hash_password(b"2468", &salt)
            .unwrap()
            .to_string();
        assert!(old.contains("m=19456,t=2,p=1"), "{old}");
        assert_eq!(verify_pin("2468", &old), Ok(true));
        assert_eq!(verify_pin("2469", &old), Ok(false));
        assert!(hash_pin("2468").unwrap().contains("m=7168,t=5,p=1"));
    }

    #[test]
    fn a_hash_asking_for_gigabytes_is_refused_before_any_check() {
        let heavy = "$argon2id$v=19$m=4194304,t=1,p=1$a2lvc2stdGVzdC1zYWx0IQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assert_eq!(check_hash(heavy), Err(HashProblem::TooHeavy));
        assert_eq!(verify_pin("1234", heavy), Err(HashProblem::TooHeavy));
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
