//! Text the firm writes (bulletins), as readers see it: every address of a fake or unknown
//! site is shown defanged (`kkpp[.]kgi357[.]com`) so that no phone or mail reader turns it
//! into a link anyone could tap; the firm's official addresses stay links.

use engine::CandidateKind;

use crate::lookup::wording::defanged;

/// One piece of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Words, as written.
    Text(String),
    /// An address that is not the firm's, written so it cannot be tapped.
    Defanged(String),
    /// An official address, as written, and where its link goes.
    Official { shown: String, href: String },
}

/// Splits `text` into words and addresses. `official_href` says, for a link's canonical URL,
/// where a link to it should go when it is one of the firm's official addresses (`None` for
/// every other address, which is then defanged).
pub fn pieces(text: &str, official_href: impl Fn(&engine::CanonicalUrl) -> Option<String>) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut at = 0;
    for located in engine::extract_located(text) {
        let kind = located.candidate.kind;
        if !kind.is_link() {
            continue;
        }
        if located.range.start > at {
            out.push(Piece::Text(text[at..located.range.start].to_owned()));
        }
        let shown = &text[located.range.clone()];
        let href = engine::canonicalize(&located.candidate.value).ok().and_then(|url| official_href(&url));
        out.push(match href {
            Some(href) => Piece::Official { shown: shown.to_owned(), href: secure(&href, kind) },
            None => Piece::Defanged(defanged(plain_form(&located.candidate))),
        });
        at = located.range.end;
    }
    if at < text.len() {
        out.push(Piece::Text(text[at..].to_owned()));
    }
    out
}

/// A link as plain text, however it was disguised (`kkpp[.]kgi357[.]com`, full-width), and
/// without the scheme the extractor added to one written without it: what gets defanged.
/// Defanging what is already defanged thus gives the same text again.
fn plain_form(candidate: &engine::Candidate) -> &str {
    match candidate.kind {
        CandidateKind::Domain | CandidateKind::Ip => {
            candidate.value.strip_prefix("http://").unwrap_or(&candidate.value)
        }
        _ => &candidate.value,
    }
}

/// An official address written without a scheme opens over HTTPS.
fn secure(href: &str, kind: CandidateKind) -> String {
    match (kind, href.strip_prefix("http://")) {
        (CandidateKind::Domain, Some(rest)) => format!("https://{rest}"),
        _ => href.to_owned(),
    }
}

/// `text` as a `<textarea>`'s content. Leptos writes a textarea's children as they are on
/// the server (to it a textarea holds raw text), so a `</textarea>` in a pasted message would
/// end the box and put the rest into the page as markup — on the public paste box, a page
/// of ours showing whatever another site posted. On the server it is escaped (the browser
/// shows the characters and sends them back unchanged; a leading newline is doubled, since
/// the HTML parser drops the first); in the browser it is set as text, as it is.
pub fn textarea_text(text: &str) -> String {
    if cfg!(feature = "ssr") {
        let mut out = String::with_capacity(text.len() + 16);
        if text.starts_with('\n') {
            out.push('\n');
        }
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                c => out.push(c),
            }
        }
        out
    } else {
        text.to_owned()
    }
}

/// `text` as plain text with every address that is not official defanged: for titles, the
/// page's `<title>` and feeds, where a link cannot go.
pub fn defanged_text(text: &str, official_href: impl Fn(&engine::CanonicalUrl) -> Option<String>) -> String {
    pieces(text, official_href)
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(words) | Piece::Defanged(words) | Piece::Official { shown: words, .. } => words,
        })
        .collect()
}

/// [`defanged_text`] against the live data of the page being rendered (every address is
/// defanged before any data has loaded).
pub fn page_defanged_text(text: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        let snapshot = live_snapshot();
        defanged_text(text, official_href_in(snapshot.as_deref().map(|s| &s.index)))
    }
    #[cfg(not(feature = "ssr"))]
    {
        defanged_text(text, |_| None)
    }
}

/// `text` as a view: words as they are, fakes defanged, official addresses as links.
pub fn page_view(text: &str) -> impl leptos::IntoView {
    use leptos::prelude::*;
    #[cfg(feature = "ssr")]
    let found = {
        let snapshot = live_snapshot();
        pieces(text, official_href_in(snapshot.as_deref().map(|s| &s.index)))
    };
    #[cfg(not(feature = "ssr"))]
    let found = pieces(text, |_| None);
    found
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(words) => words.into_any(),
            Piece::Defanged(shown) => view! { <span class="defanged">{shown}</span> }.into_any(),
            Piece::Official { shown, href } => view! { <a href=href>{shown}</a> }.into_any(),
        })
        .collect_view()
}

#[cfg(feature = "ssr")]
fn live_snapshot() -> Option<std::sync::Arc<store::Snapshot>> {
    leptos::prelude::use_context::<crate::state::AppState>()?.live.current()
}

/// Where a link to `url` goes when the live data lists its host as official.
#[cfg(feature = "ssr")]
pub fn official_href_in(
    index: Option<&engine::Index>,
) -> impl Fn(&engine::CanonicalUrl) -> Option<String> + '_ {
    move |url| {
        let index = index?;
        let host = url.host_str();
        let is_name = matches!(url.host(), engine::canon::Host::Domain(_));
        (is_name && index.official_domain_for(host).is_some()).then(|| url.as_str().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn official(url: &engine::CanonicalUrl) -> Option<String> {
        (url.host_str() == "www.kgi.com.tw" || url.host_str() == "kgi.com.tw")
            .then(|| url.as_str().to_owned())
    }

    #[test]
    fn fake_addresses_are_defanged_however_they_are_written() {
        let text = "假網址 kkpp.kgi357.com 與 https://kkpp.kgi379.com/index/login 請勿點選";
        assert_eq!(
            pieces(text, official),
            [
                Piece::Text("假網址 ".into()),
                Piece::Defanged("kkpp[.]kgi357[.]com".into()),
                Piece::Text(" 與 ".into()),
                Piece::Defanged("hxxps://kkpp[.]kgi379[.]com/index/login".into()),
                Piece::Text(" 請勿點選".into()),
            ]
        );
    }

    #[test]
    fn an_address_already_defanged_is_shown_the_same_way_once() {
        let once =
            defanged_text("假網址 hxxps://kkpp[.]kgi357[.]com/index/login 與 ｋｇｉ３５７．ｃｏｍ", official);
        assert_eq!(once, "假網址 hxxps://kkpp[.]kgi357[.]com/index/login 與 kgi357[.]com");
        assert_eq!(defanged_text(&once, official), once);
    }

    #[test]
    fn official_addresses_stay_links() {
        let found = pieces("官網：www.kgi.com.tw。", official);
        assert_eq!(
            found,
            [
                Piece::Text("官網：".into()),
                Piece::Official { shown: "www.kgi.com.tw".into(), href: "https://www.kgi.com.tw/".into() },
                Piece::Text("。".into()),
            ]
        );
    }

    #[test]
    fn without_data_nothing_is_official_and_every_address_is_defanged() {
        let found = pieces("www.kgi.com.tw", |_| None);
        assert_eq!(found, [Piece::Defanged("www[.]kgi[.]com[.]tw".into())]);
    }

    #[test]
    #[cfg(feature = "ssr")]
    fn a_textarea_cannot_be_closed_from_inside_and_reads_back_as_written() {
        assert_eq!(textarea_text("x</textarea><b>"), "x&lt;/textarea&gt;&lt;b&gt;");
        assert_eq!(textarea_text("a & b"), "a &amp; b");
        assert_eq!(textarea_text("\nfirst line"), "\n\nfirst line", "the parser drops one leading newline");
    }

    #[test]
    fn words_phone_numbers_and_line_ids_are_left_as_they_are() {
        let text = "請撥 0912-345-678 或加 @abc123，謝謝";
        assert_eq!(pieces(text, official), [Piece::Text(text.into())]);
    }
}
