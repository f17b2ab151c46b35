//! Post/Redirect/Get for the staff forms: an action that did what it was asked answers 303 to
//! its page, with what it did in the address, so that reloading the page shows it again
//! instead of sending the form a second time. The notice travels signed for the session that
//! acted (HMAC-SHA-256 keyed by the session's token hash, which never leaves the server): an
//! address made by anyone else, or opened in another session, shows no notice at all.

use axum::response::{IntoResponse, Redirect, Response};
use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode_str, utf8_percent_encode, NON_ALPHANUMERIC};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::Sha256;

use super::session::Signed;

const NOTICE: &str = "notice";
const SIGNATURE: &str = "sig";

type HmacSha256 = Hmac<Sha256>;

/// HMAC takes a key of any length, so this is always `Some`; were it not, nothing is signed and
/// nothing verifies.
fn mac(key: &str, message: &str) -> Option<HmacSha256> {
    let mut mac = HmacSha256::new_from_slice(key.as_bytes()).ok()?;
    mac.update(message.as_bytes());
    Some(mac)
}

fn hmac(key: &str, message: &str) -> String {
    let Some(mac) = mac(key, message) else { return String::new() };
    store::audit::hex(&mac.finalize().into_bytes())
}

/// Whether `signature` (hex) is the HMAC of `message` under `key`, compared in constant time.
fn verify(key: &str, message: &str, signature: &str) -> bool {
    match (mac(key, message), decode_hex(signature)) {
        (Some(mac), Some(bytes)) => mac.verify_slice(&bytes).is_ok(),
        _ => false,
    }
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect()
}

/// `path` with `notice` signed for the session whose token hash is `key`.
pub fn href<T: Serialize>(path: &str, key: &str, notice: &T) -> String {
    let json = serde_json::to_string(notice).unwrap_or_default();
    let joiner = if path.contains('?') { '&' } else { '?' };
    let encoded = utf8_percent_encode(&json, NON_ALPHANUMERIC);
    format!("{path}{joiner}{NOTICE}={encoded}&{SIGNATURE}={}", hmac(key, &json))
}

/// The 303 to `path` showing `notice` to the session that acted.
pub fn redirect<T: Serialize>(path: &str, signed: &Signed, notice: &T) -> Response {
    Redirect::to(&href(path, &signed.token_hash, notice)).into_response()
}

/// The notice a query carries, if it was signed for the session whose token hash is `key`.
pub fn read<T: DeserializeOwned>(query: Option<&str>, key: &str) -> Option<T> {
    let value = |name: &str| {
        query?
            .split('&')
            .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
            .and_then(|v| percent_decode_str(&v.replace('+', " ")).decode_utf8().ok().map(|v| v.into_owned()))
    };
    let json = value(NOTICE)?;
    let signature = value(SIGNATURE)?;
    verify(key, &json, &signature).then(|| serde_json::from_str(&json).ok()).flatten()
}

/// The notice of a staff page's request, for the session asking.
pub fn notice_of<T: DeserializeOwned>(parts: &axum::http::request::Parts, signed: &Signed) -> Option<T> {
    read(parts.uri.query(), &signed.token_hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, serde::Deserialize)]
    enum Said {
        Closed { reference: String },
    }

    fn query(href: &str) -> &str {
        href.split_once('?').map(|(_, q)| q).unwrap_or_default()
    }

    #[test]
    fn hmac_matches_the_rfc_4231_test_vector() {
        // RFC 4231 test case 2: key "Jefe".
        assert_eq!(
            hmac("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn a_notice_reads_back_for_the_session_that_acted_only() {
        let said = Said::Closed { reference: "AB12-CD34 & 100% ＜done＞".into() };
        let href = href("/console/triage", "session-a", &said);
        assert!(href.starts_with("/console/triage?notice="), "{href}");
        assert_eq!(read::<Said>(Some(query(&href)), "session-a"), Some(said));
        assert_eq!(read::<Said>(Some(query(&href)), "session-b"), None, "another session");
    }

    #[test]
    fn a_notice_changed_in_the_address_or_unsigned_shows_nothing() {
        let href = href("/console/triage?page=2", "session-a", &Said::Closed { reference: "AB12".into() });
        assert!(href.starts_with("/console/triage?page=2&notice="), "{href}");
        let forged = href.replace("AB12", "ZZ99");
        assert_eq!(read::<Said>(Some(query(&forged)), "session-a"), None);
        let unsigned = query(&href).split("&sig=").next().unwrap_or_default().to_owned();
        assert_eq!(read::<Said>(Some(&unsigned), "session-a"), None);
        for bad in ["", "0", "zz", "é"] {
            let mangled = format!("{unsigned}&sig={bad}");
            assert_eq!(read::<Said>(Some(&mangled), "session-a"), None, "signature {bad:?}");
        }
        assert_eq!(read::<Said>(None, "session-a"), None);
    }
}
