//! The second factor: TOTP after RFC 6238 (HMAC-SHA-1, 6 digits, 30-second steps), enrolled
//! from a QR code. A code is accepted for the step before, the current one and the one after
//! (clocks drift); the caller then records the step so that the same code is never accepted
//! twice (`store::staff::accept_totp_step`).

use qrcode::render::svg;
use qrcode::QrCode;
use totp_rs::{Algorithm, Secret, TOTP};

pub const DIGITS: usize = 6;
pub const STEP_SECS: u64 = 30;

/// A new secret: 160 random bits, base32 as authenticator apps take it.
pub fn new_secret() -> Option<String> {
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).ok()?;
    match Secret::Raw(bytes.to_vec()).to_encoded() {
        Secret::Encoded(text) => Some(text),
        Secret::Raw(_) => None,
    }
}

fn totp(secret: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    TOTP::new(Algorithm::SHA1, DIGITS, 0, STEP_SECS, bytes).ok()
}

/// The code for the step that holds `unix_time`.
pub fn code_at(secret: &str, unix_time: u64) -> Option<String> {
    Some(totp(secret)?.generate(unix_time))
}

/// The time step of `unix_time`.
pub fn step_of(unix_time: u64) -> i64 {
    i64::try_from(unix_time / STEP_SECS).unwrap_or(i64::MAX)
}

/// The step whose code `code` is, among the previous, current and next steps at `unix_time`.
pub fn matching_step(secret: &str, code: &str, unix_time: u64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret)?;
    let now = unix_time / STEP_SECS;
    [now.saturating_sub(1), now, now + 1].into_iter().find_map(|step| {
        let expected = totp.generate(step * STEP_SECS);
        // Constant time: a wrong code's answer takes as long as a right one's.
        let same = expected.len() == code.len()
            && expected.bytes().zip(code.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        same.then(|| i64::try_from(step).unwrap_or(i64::MAX))
    })
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn enrolment_uri(secret: &str, issuer: &str, login: &str) -> String {
    let enc =
        |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
    format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        enc(issuer),
        enc(login),
        enc(issuer)
    )
}

/// The QR code of `uri` as an SVG image, to put inline in the page (no script, no request).
pub fn qr_svg(uri: &str) -> Option<String> {
    let code = QrCode::new(uri.as_bytes()).ok()?;
    Some(code.render::<svg::Color<'_>>().min_dimensions(220, 220).quiet_zone(true).build())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238's SHA-1 test key ("12345678901234567890"), base32.
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn codes_follow_rfc_6238() {
        // RFC 6238 appendix B, SHA-1, the last six of its eight digits.
        assert_eq!(code_at(RFC_SECRET, 59).as_deref(), Some("287082"));
        assert_eq!(code_at(RFC_SECRET, 1_111_111_109).as_deref(), Some("081804"));
        assert_eq!(code_at(RFC_SECRET, 2_000_000_000).as_deref(), Some("279037"));
    }

    #[test]
    fn a_code_matches_one_step_either_side_and_no_further() {
        let now = 1_111_111_109;
        let code = code_at(RFC_SECRET, now).unwrap();
        assert_eq!(matching_step(RFC_SECRET, &code, now), Some(step_of(now)));
        assert_eq!(matching_step(RFC_SECRET, &code, now + 30), Some(step_of(now)), "a step late");
        assert_eq!(matching_step(RFC_SECRET, &code, now - 30), Some(step_of(now)), "a step early");
        assert_eq!(matching_step(RFC_SECRET, &code, now + 90), None);
        assert_eq!(matching_step(RFC_SECRET, "081 804", now), Some(step_of(now)), "spaces are ignored");
        for wrong in ["", "12345", "1234567", "abcdef", "000000"] {
            assert_eq!(matching_step(RFC_SECRET, wrong, now), None, "{wrong:?}");
        }
    }

    #[test]
    fn a_new_secret_is_160_bits_and_enrols_by_qr_code() {
        let secret = new_secret().unwrap();
        assert_eq!(secret.len(), 32);
        assert_ne!(secret, new_secret().unwrap());
        let uri = enrolment_uri(&secret, "KGI fraud check", "mei");
        assert!(uri.starts_with("otpauth://totp/KGI%20fraud%20check:mei?secret="), "{uri}");
        let svg = qr_svg(&uri).unwrap();
        assert!(svg.contains("<svg") && !svg.contains("<script") && !svg.contains("style="), "{svg}");
    }
}
