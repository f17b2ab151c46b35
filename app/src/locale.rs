//! The reader's language: Traditional Chinese unless they chose English with the switch
//! in the header, which is remembered in a cookie (it works without JavaScript).

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::i18n::Locale;

/// The cookie that remembers the reader's choice.
pub const COOKIE: &str = "lang";

/// The code used in URLs and the cookie.
pub fn code(locale: Locale) -> &'static str {
    match locale {
        Locale::zh_TW => "zh-TW",
        Locale::en => "en",
    }
}

/// The BCP 47 tag for `lang` attributes: Traditional script, Taiwan.
pub fn html_lang(locale: Locale) -> &'static str {
    match locale {
        Locale::zh_TW => "zh-Hant-TW",
        Locale::en => "en",
    }
}

/// Reads a language code from a URL or the cookie; anything else is not a language we have.
pub fn parse(code: &str) -> Option<Locale> {
    match code.trim() {
        "zh-TW" | "zh-tw" | "zh-Hant-TW" | "zh" => Some(Locale::zh_TW),
        "en" => Some(Locale::en),
        _ => None,
    }
}

/// The language the switch offers: the one the reader is not reading.
pub fn other(locale: Locale) -> Locale {
    match locale {
        Locale::zh_TW => Locale::en,
        Locale::en => Locale::zh_TW,
    }
}

/// The language remembered in a `Cookie` header, if any.
pub fn from_cookie_header(header: &str) -> Option<Locale> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .and_then(|(_, value)| parse(value))
}

/// The address of the language switch: sets the cookie, then comes back to `here`.
pub fn switch_href(to: Locale, here: &str) -> String {
    format!("/lang/{}?next={}", code(to), utf8_percent_encode(here, RETURN_PATH))
}

/// Where the switch may send the reader back to: a path on this site only, never
/// another site (`//evil.example`, `/\evil.example`) or anything with control characters.
pub fn safe_return_path(next: &str) -> &str {
    let on_site = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control());
    if on_site {
        next
    } else {
        "/"
    }
}

/// What the language switch leaves as it is in the address it returns to: unreserved
/// characters and the path's slashes; everything else (`?`, `&`, `=`, non-ASCII) is escaped.
const RETURN_PATH: &AsciiSet =
    &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b'/');

/// The language of the page being rendered: the request's cookie on the server.
/// Server-only pages never render in the browser, so there it is the default.
pub fn page_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        request_locale()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Locale::zh_TW
    }
}

/// The path and query of the page being rendered, for the language switch to return to.
pub fn page_path() -> String {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.uri.path_and_query().map(|p| p.as_str().to_owned()))
            .unwrap_or_else(|| "/".to_owned())
    }
    #[cfg(not(feature = "ssr"))]
    {
        "/".to_owned()
    }
}

#[cfg(feature = "ssr")]
fn request_locale() -> Locale {
    use leptos::prelude::use_context;
    use_context::<axum::http::request::Parts>().map_or(Locale::zh_TW, |parts| from_headers(&parts.headers))
}

/// The language a request's cookies ask for; Traditional Chinese without one.
#[cfg(feature = "ssr")]
pub fn from_headers(headers: &axum::http::HeaderMap) -> Locale {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(from_cookie_header)
        .unwrap_or(Locale::zh_TW)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_chooses_the_language_and_anything_else_is_ignored() {
        assert_eq!(from_cookie_header("a=1; lang=en; b=2"), Some(Locale::en));
        assert_eq!(from_cookie_header("lang=zh-TW"), Some(Locale::zh_TW));
        assert_eq!(from_cookie_header("lang=fr"), None);
        assert_eq!(from_cookie_header("xlang=en"), None);
    }

    #[test]
    fn the_switch_only_returns_to_pages_of_this_site() {
        assert_eq!(safe_return_path("/domain/kgi357.com?x=1"), "/domain/kgi357.com?x=1");
        assert_eq!(safe_return_path("//evil.example/"), "/");
        assert_eq!(safe_return_path("/\\evil.example/"), "/");
        assert_eq!(safe_return_path("https://evil.example/"), "/");
        assert_eq!(safe_return_path("/a\nSet-Cookie: x"), "/");
    }

    #[test]
    fn the_switch_link_carries_the_page_to_come_back_to() {
        assert_eq!(switch_href(Locale::en, "/bulletins?page=2"), "/lang/en?next=/bulletins%3Fpage%3D2");
    }
}
