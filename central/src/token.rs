//! Kiosk tokens: made here, shown once, kept only as a hash.
//!
//! A token is 32 random bytes from a cryptographic generator, in
//! hex. Being random and long, it needs no slow password hash: SHA-256 is
//! enough to make the stored value useless to whoever reads the database.
//! A presented token is compared with every active kiosk's hash in
//! constant time and without stopping at the first match, so the time taken
//! says nothing about which bytes were right.

use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A new token, to be shown once. `rand::rng()` is a cryptographic
/// generator seeded from the operating system.
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

/// The hash kept in `kiosks.token_hash`.
pub fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Which of `kiosks` (id, hash) the token belongs to, if any.
pub fn owner<'a>(token: &str, kiosks: &'a [(String, String)]) -> Option<&'a str> {
    let presented = hash(token);
    let mut found = None;
    for (id, stored) in kiosks {
        if bool::from(presented.as_bytes().ct_eq(stored.as_bytes())) {
            found = Some(id.as_str());
        }
    }
    found
}

/// The token of an `Authorization: Bearer <token>` header value.
pub fn bearer(header: Option<&str>) -> Option<&str> {
    let value = header?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty() && token.len() <= 256)
        .then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_long_random_and_matches_only_its_own_hash() {
        let a = generate();
        let b = generate();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        let kiosks = vec![("k1".to_string(), hash(&a)), ("k2".to_string(), hash(&b))];
        assert_eq!(owner(&a, &kiosks), Some("k1"));
        assert_eq!(owner(&b, &kiosks), Some("k2"));
        assert_eq!(owner("guess", &kiosks), None);
        assert!(!kiosks[0].1.contains(&a));
    }

    #[test]
    fn only_bearer_headers_give_a_token() {
        assert_eq!(bearer(Some("Bearer abc")), Some("abc"));
        assert_eq!(bearer(Some("bearer  abc ")), Some("abc"));
        assert_eq!(bearer(Some("Basic abc")), None);
        assert_eq!(bearer(Some("Bearer ")), None);
        assert_eq!(bearer(None), None);
    }
}
