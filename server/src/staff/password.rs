//! Staff passwords: argon2id at OWASP's minimum cost (19 MiB, 2 passes, 1 lane), 12 to 128
//! characters with no composition rules, refused when an estimator that knows common
//! passwords, names, dates and keyboard walks (`zxcvbn`) would guess it in under 10^10 tries.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

pub const MIN_CHARS: usize = 12;
pub const MAX_CHARS: usize = 128;

/// Memory in KiB, passes, lanes: OWASP's recommended minimum for argon2id.
pub const MEMORY_KIB: u32 = 19 * 1024;
pub const PASSES: u32 = 2;
pub const LANES: u32 = 1;

/// Why a new password was refused; each says what to do instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WeakPassword {
    #[error("at least {MIN_CHARS} characters")]
    TooShort,
    #[error("at most {MAX_CHARS} characters")]
    TooLong,
    #[error("too easy to guess")]
    Guessable,
    #[error("it must not contain your sign-in name")]
    ContainsLogin,
}

/// Why hashing failed: never the password's fault, a broken set-up.
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

impl HashError {
    pub fn from_join(e: &tokio::task::JoinError) -> Self {
        Self(e.to_string())
    }
}

fn hasher() -> Argon2<'static> {
    // The parameters are constants within argon2's bounds.
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks a new password against the rules, with the person's names as words it must not lean on.
pub fn check_strength(password: &str, login: &str, display_name: &str) -> Result<(), WeakPassword> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(WeakPassword::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(WeakPassword::TooLong);
    }
    if !login.is_empty() && password.to_lowercase().contains(&login.to_lowercase()) {
        return Err(WeakPassword::ContainsLogin);
    }
    let words = ["kgi", "staff", "fraud", "console", login, display_name];
    if (zxcvbn::zxcvbn(password, &words).score() as u8) < 3 {
        return Err(WeakPassword::Guessable);
    }
    Ok(())
}

/// The PHC string of `password` with a fresh salt.
pub fn hash(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Whether `password` matches the stored PHC string (whose own parameters are used).
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => hasher().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// Spends the time a real check takes, for a name that has no account: the answer and its
/// timing are then the same as for a wrong password.
pub fn verify_nobody(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let stored = DUMMY.get_or_init(|| hash("no account has this password").unwrap_or_default());
    let _ = verify(password, stored);
}

/// A one-time password for a new account or a reset: 20 characters from 31 that cannot be
/// misread (about 99 bits), in groups of five.
pub fn one_time() -> Result<String, HashError> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).map_err(|e| HashError(e.to_string()))?;
    let chars: Vec<char> = bytes.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect();
    Ok(chars.chunks(5).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_argon2id_at_19_mib_two_passes_one_lane() {
        let stored = hash("correct horse battery staple").unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
        assert!(verify("correct horse battery staple", &stored));
        assert!(!verify("correct horse battery stapler", &stored));
        assert_ne!(stored, hash("correct horse battery staple").unwrap(), "a fresh salt each time");
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn length_is_the_only_composition_rule() {
        assert_eq!(check_strength("short", "mei", "Mei"), Err(WeakPassword::TooShort));
        assert_eq!(check_strength(&"x".repeat(129), "mei", "Mei"), Err(WeakPassword::TooLong));
        // All lower case, no digits, no symbols: accepted when hard to guess.
        assert_eq!(check_strength("violet tundra marmalade cobalt", "mei", "Mei"), Ok(()));
        assert_eq!(check_strength("紫色的凍原與果醬和鈷藍色", "mei", "Mei"), Ok(()));
    }

    #[test]
    fn common_and_guessable_passwords_are_refused() {
        for weak in ["password1234", "123456789012", "qwertyuiopas", "iloveyou2026", "Password123!"] {
            assert_eq!(check_strength(weak, "mei", "Mei"), Err(WeakPassword::Guessable), "{weak}");
        }
        assert_eq!(
            check_strength("meichen-2026-spring", "meichen", "Mei Chen"),
            Err(WeakPassword::ContainsLogin)
        );
    }

    #[test]
    fn a_one_time_password_is_long_random_and_passes_the_rules() {
        let first = one_time().unwrap();
        assert_eq!(first.len(), 23);
        assert_ne!(first, one_time().unwrap());
        assert_eq!(check_strength(&first, "mei", "Mei"), Ok(()));
    }
}
