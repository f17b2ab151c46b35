//! What machines read: the Atom feed of bulletins (`/feed.atom`), the sitemap
//! (`/sitemap.xml`) and `robots.txt`, all with absolute addresses on `PUBLIC_BASE_URL`.

use std::borrow::Cow;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::fmt::Write as _;

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use app::bulletin::FeedText;
use app::state::AppState;
use store::bulletin::{BulletinCategory, Language};

use crate::config::PublicBaseUrl;

/// How many bulletins the feed carries, newest first.
pub const FEED_ENTRIES: i64 = 50;

/// The most URLs one sitemap file may list (sitemaps.org protocol limit).
pub const MAX_SITEMAP_URLS: usize = 50_000;

/// The public pages every sitemap lists, before bulletins and domain pages.
pub const PUBLIC_PAGES: [&str; 6] = ["/", "/official", "/patterns", "/help", "/report", "/bulletins"];

const ATOM_TYPE: &str = "application/atom+xml; charset=utf-8";
const XML_TYPE: &str = "application/xml; charset=utf-8";
const TEXT_TYPE: &str = "text/plain; charset=utf-8";

/// Escapes text for XML content and attribute values, and drops the characters XML 1.0
/// cannot carry at all (control characters other than tab and line breaks), so that
/// whatever a bulletin contains, the document stays well-formed.
pub fn xml_escape(text: &str) -> Cow<'_, str> {
    let needs_work = text.chars().any(|c| matches!(c, '&' | '<' | '>' | '"' | '\'') || !is_xml_char(c));
    if !needs_work {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    Cow::Owned(out)
}

/// The characters XML 1.0 allows in a document.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Percent-encodes one path segment (a host or a slug), so the address is a valid URI
/// whatever the database holds.
pub fn encode_segment(segment: &str) -> Cow<'_, str> {
    utf8_percent_encode(segment, SEGMENT).into()
}

/// What a path segment may hold as it is: letters, digits and `-._~`.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// One bulletin as the feed carries it: its text ready for readers (fakes defanged, the
/// body rendered and cleaned as on its page).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedEntry {
    pub slug: String,
    pub category: &'static str,
    /// The `xml:lang` of the entry when it is not the feed's own.
    pub lang: Option<&'static str>,
    pub title: String,
    /// Cleaned HTML.
    pub content_html: String,
    pub published_on: String,
    pub updated_at: String,
}

/// Which feed: its own address (path and query) and language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedSpec {
    pub path: String,
    /// `zh-Hant-TW` or `en`.
    pub lang: &'static str,
}

/// An RFC 3339 time for the feed: the bulletin's stored change time, or, if that is
/// not a valid time, the start of its publication day in Taiwan.
fn entry_updated(entry: &FeedEntry) -> String {
    match OffsetDateTime::parse(&entry.updated_at, &Rfc3339) {
        Ok(t) => t.format(&Rfc3339).unwrap_or_else(|_| entry.updated_at.clone()),
        Err(_) => published(entry),
    }
}

/// The publication day as an RFC 3339 time: midnight in Taiwan.
fn published(entry: &FeedEntry) -> String {
    format!("{}T00:00:00+08:00", entry.published_on)
}

/// Builds the Atom 1.0 document (RFC 4287) for `entries`, newest first. `now` is the
/// feed's `updated` when there are no entries.
pub fn atom_feed(
    base: &PublicBaseUrl,
    spec: &FeedSpec,
    text: &FeedText,
    entries: &[FeedEntry],
    now: &str,
) -> String {
    // The newest change of any entry; a parse keeps an odd stored value from winning.
    let updated = entries
        .iter()
        .filter_map(|b| OffsetDateTime::parse(&entry_updated(b), &Rfc3339).ok())
        .max()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| now.to_owned());
    let feed_url = base.join(&spec.path);
    let mut xml = String::with_capacity(1024 + entries.len() * 1024);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(xml, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">", spec.lang);
    let _ = writeln!(xml, "  <id>{}</id>", xml_escape(&feed_url));
    let _ = writeln!(xml, "  <title>{}</title>", xml_escape(&text.title));
    let _ = writeln!(xml, "  <subtitle>{}</subtitle>", xml_escape(&text.subtitle));
    let _ = writeln!(xml, "  <updated>{}</updated>", xml_escape(&updated));
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml_escape(&feed_url)
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml_escape(&base.join("/bulletins"))
    );
    let _ = writeln!(
        xml,
        "  <author><name>{}</name><uri>{}</uri></author>",
        xml_escape(&text.author),
        xml_escape(&base.join("/"))
    );
    for entry in entries {
        let url = base.join(&format!("/bulletins/{}", encode_segment(&entry.slug)));
        match entry.lang {
            Some(lang) => {
                let _ = writeln!(xml, "  <entry xml:lang=\"{lang}\">");
            }
            None => xml.push_str("  <entry>\n"),
        }
        let _ = writeln!(xml, "    <id>{}</id>", xml_escape(&url));
        let _ = writeln!(xml, "    <title type=\"text\">{}</title>", xml_escape(&entry.title));
        let _ = writeln!(xml, "    <updated>{}</updated>", xml_escape(&entry_updated(entry)));
        let _ = writeln!(xml, "    <published>{}</published>", xml_escape(&published(entry)));
        let _ =
            writeln!(xml, "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", xml_escape(&url));
        let _ = writeln!(xml, "    <category term=\"{}\"/>", entry.category);
        let _ = writeln!(xml, "    <content type=\"html\">{}</content>", xml_escape(&entry.content_html));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// One address in the sitemap, with when it last changed if known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SitemapUrl {
    /// A path on this site, starting with `/`, already percent-encoded.
    pub path: String,
    /// A W3C date-time (RFC 3339), if known.
    pub lastmod: Option<String>,
}

/// The sitemap's addresses: the public pages, every bulletin and every listed host's
/// domain page, at most `max` in all. Returns them and how many were left out.
pub fn sitemap_urls(
    bulletins: &[store::bulletin::BulletinAddress],
    hosts: &[String],
    max: usize,
) -> (Vec<SitemapUrl>, usize) {
    let pages = PUBLIC_PAGES.iter().map(|p| SitemapUrl { path: (*p).to_owned(), lastmod: None });
    let bulletins = bulletins.iter().map(|b| SitemapUrl {
        path: format!("/bulletins/{}", encode_segment(&b.slug)),
        lastmod: OffsetDateTime::parse(&b.updated_at, &Rfc3339).ok().and_then(|t| t.format(&Rfc3339).ok()),
    });
    // A domain page is for a name; a bare IP address has no domain page to list.
    let domains = hosts
        .iter()
        .filter(|h| h.parse::<std::net::IpAddr>().is_err())
        .map(|h| SitemapUrl { path: format!("/domain/{}", encode_segment(h)), lastmod: None });
    let mut all = pages.chain(bulletins).chain(domains);
    let urls: Vec<SitemapUrl> = all.by_ref().take(max).collect();
    let left_out = all.count();
    (urls, left_out)
}

/// Builds a sitemaps.org 0.9 `urlset` document.
pub fn sitemap_xml(base: &PublicBaseUrl, urls: &[SitemapUrl]) -> String {
    let mut xml = String::with_capacity(128 + urls.len() * 96);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for url in urls {
        let _ = write!(xml, "  <url><loc>{}</loc>", xml_escape(&base.join(&url.path)));
        if let Some(lastmod) = &url.lastmod {
            let _ = write!(xml, "<lastmod>{}</lastmod>", xml_escape(lastmod));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `robots.txt`: everything may be crawled except the API, and the sitemap is named.
pub fn robots_txt(base: &PublicBaseUrl) -> String {
    format!("User-agent: *\nAllow: /\nDisallow: /api/\n\nSitemap: {}\n", base.join("/sitemap.xml"))
}

fn with_type(content_type: &'static str, body: String) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    response
}

/// The database could not be read: say so, in both languages, and ask to come back.
pub(crate) fn unavailable(what: &str, e: store::StoreError) -> Response {
    tracing::error!(error = %e, "reading the {what} failed");
    not_available_now()
}

/// A 503 in both languages that asks to come back in a minute.
pub(crate) fn not_available_now() -> Response {
    let mut response = (
        StatusCode::SERVICE_UNAVAILABLE,
        "現在無法提供，請稍後再試。\nNot available right now. Please try again later.\n",
    )
        .into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(TEXT_TYPE));
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    response
}

/// What `/feed.atom` may be asked for: `?lang=en` for English readers, `?category=alert`
/// (or `notice`, `pattern`, `incident`) for one category.
#[derive(Debug, Default, serde::Deserialize)]
pub struct FeedQuery {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    category: String,
}

/// The feed a query names; `None` for a language or category that does not exist.
pub fn feed_spec(query: &FeedQuery) -> Option<(FeedSpec, Language, Option<BulletinCategory>)> {
    let language = match query.lang.as_str() {
        "" | "zh-TW" | "zh" => Language::Chinese,
        "en" => Language::English,
        _ => return None,
    };
    let category = match query.category.as_str() {
        "" => None,
        code => Some(BulletinCategory::parse(code)?),
    };
    let mut params = Vec::new();
    if language == Language::English {
        params.push("lang=en".to_owned());
    }
    if let Some(category) = category {
        params.push(format!("category={}", category.code()));
    }
    let path =
        if params.is_empty() { "/feed.atom".to_owned() } else { format!("/feed.atom?{}", params.join("&")) };
    let lang = if language == Language::English { "en" } else { "zh-Hant-TW" };
    Some((FeedSpec { path, lang }, language, category))
}

/// `GET /feed.atom`: the newest published bulletins in one language (Chinese unless
/// `?lang=en`), of every category or one (`?category=`), as Atom.
pub async fn feed(
    State(state): State<AppState>,
    Extension(base): Extension<PublicBaseUrl>,
    Query(query): Query<FeedQuery>,
) -> Response {
    let Some((spec, language, category)) = feed_spec(&query) else {
        let mut response = (
            StatusCode::NOT_FOUND,
            "沒有這個訂閱。請用 /feed.atom 或 /feed.atom?lang=en。\nNo such feed: use /feed.atom or /feed.atom?lang=en.\n",
        )
            .into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(TEXT_TYPE));
        return response;
    };
    match store::bulletin::latest_in(&state.db, language, category, FEED_ENTRIES).await {
        Ok(bulletins) => {
            let now =
                OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or_else(|_| OffsetDateTime::now_utc());
            let now = now.format(&Rfc3339).unwrap_or_default();
            let snapshot = state.live.current();
            let firm = snapshot.as_ref().map(|s| app::firm::FirmName::from(&s.firm)).unwrap_or_default();
            let locale = match language {
                Language::Chinese => app::i18n::Locale::zh_TW,
                Language::English => app::i18n::Locale::en,
            };
            let category_name = category.map(|c| app::bulletin::category_label(locale, c.code()));
            let text = app::bulletin::feed_text(locale, firm.in_locale(locale), category_name);
            // Feed readers turn addresses into links: fakes go out defanged, as on the pages.
            let official = app::safe_text::official_href_in(snapshot.as_deref().map(|s| &s.index));
            let entries: Vec<FeedEntry> = bulletins
                .iter()
                .map(|b| FeedEntry {
                    slug: b.slug.clone(),
                    category: b.category.code(),
                    lang: None,
                    title: app::safe_text::defanged_text(&b.title, &official),
                    content_html: app::bulletin::markdown::render(&b.body, &official).html,
                    published_on: b.published_on.clone(),
                    updated_at: b.updated_at.clone(),
                })
                .collect();
            with_type(ATOM_TYPE, atom_feed(&base, &spec, &text, &entries, &now))
        }
        Err(e) => unavailable("feed bulletins", e),
    }
}

/// `GET /sitemap.xml`: every public page, at most 50,000 addresses; beyond that the
/// rest are cut and the cut is logged.
pub async fn sitemap(State(state): State<AppState>, Extension(base): Extension<PublicBaseUrl>) -> Response {
    // One more than can be used of each, so a cut is noticed; never more than that in memory.
    let limit = i64::try_from(MAX_SITEMAP_URLS + 1).unwrap_or(i64::MAX);
    let bulletins = match store::bulletin::addresses(&state.db, limit).await {
        Ok(b) => b,
        Err(e) => return unavailable("sitemap bulletins", e),
    };
    let hosts = match store::takedown::listed_hosts(&state.db, limit).await {
        Ok(h) => h,
        Err(e) => return unavailable("sitemap hosts", e),
    };
    let (urls, left_out) = sitemap_urls(&bulletins, &hosts, MAX_SITEMAP_URLS);
    if left_out > 0 {
        tracing::warn!(left_out, max = MAX_SITEMAP_URLS, "sitemap is full: addresses left out");
    }
    with_type(XML_TYPE, sitemap_xml(&base, &urls))
}

/// `GET /robots.txt`.
pub async fn robots(Extension(base): Extension<PublicBaseUrl>) -> Response {
    with_type(TEXT_TYPE, robots_txt(&base))
}

#[cfg(test)]
mod tests {
    use super::*;
    use store::bulletin::BulletinAddress;

    fn base() -> PublicBaseUrl {
        PublicBaseUrl::parse("https://check.example.tw").unwrap()
    }

    fn text() -> FeedText {
        FeedText {
            title: "凱基證券防詐公告".into(), subtitle: "提醒".into(), author: "凱基證券".into()
        }
    }

    fn bulletin(slug: &str, title: &str, body: &str, updated_at: &str) -> FeedEntry {
        FeedEntry {
            slug: slug.into(),
            category: "alert",
            lang: None,
            title: title.into(),
            content_html: body.into(),
            published_on: "2025-09-30".into(),
            updated_at: updated_at.into(),
        }
    }

    fn chinese() -> FeedSpec {
        FeedSpec { path: "/feed.atom".into(), lang: "zh-Hant-TW" }
    }

    fn child<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
        node.children().find(|n| n.has_tag_name(("http://www.w3.org/2005/Atom", name)))
    }

    #[test]
    fn the_feed_parses_back_with_every_element_atom_requires() {
        let bulletins = [
            bulletin("newer", "新的", "第一行\n第二行", "2025-10-01T02:00:00Z"),
            bulletin("older", "舊的", "內文", "2025-09-30T01:00:00Z"),
        ];
        let xml = atom_feed(&base(), &chinese(), &text(), &bulletins, "2026-01-01T00:00:00Z");
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let feed = doc.root_element();
        assert!(feed.has_tag_name(("http://www.w3.org/2005/Atom", "feed")));
        assert_eq!(child(feed, "id").and_then(|n| n.text()), Some("https://check.example.tw/feed.atom"));
        assert_eq!(child(feed, "title").and_then(|n| n.text()), Some("凱基證券防詐公告"));
        assert_eq!(
            child(feed, "updated").and_then(|n| n.text()),
            Some("2025-10-01T02:00:00Z"),
            "newest entry"
        );
        let author = child(feed, "author").and_then(|a| child(a, "name")).and_then(|n| n.text());
        assert_eq!(author, Some("凱基證券"));
        let self_link = feed
            .children()
            .find(|n| {
                n.has_tag_name(("http://www.w3.org/2005/Atom", "link")) && n.attribute("rel") == Some("self")
            })
            .expect("self link");
        assert_eq!(self_link.attribute("href"), Some("https://check.example.tw/feed.atom"));

        let entries: Vec<_> =
            feed.children().filter(|n| n.has_tag_name(("http://www.w3.org/2005/Atom", "entry"))).collect();
        assert_eq!(entries.len(), 2);
        let first = entries[0];
        assert_eq!(
            child(first, "id").and_then(|n| n.text()),
            Some("https://check.example.tw/bulletins/newer")
        );
        assert_eq!(child(first, "title").and_then(|n| n.text()), Some("新的"));
        assert_eq!(child(first, "updated").and_then(|n| n.text()), Some("2025-10-01T02:00:00Z"));
        assert_eq!(
            child(first, "link").and_then(|n| n.attribute("href")),
            Some("https://check.example.tw/bulletins/newer")
        );
        assert_eq!(child(first, "content").and_then(|n| n.text()), Some("第一行\n第二行"));
    }

    #[test]
    fn markup_in_a_bulletin_is_escaped_and_reads_back_as_written() {
        let nasty = r#"<script>alert("x")</script> & 'AT&T' ]]>"#;
        let xml = atom_feed(
            &base(),
            &chinese(),
            &text(),
            &[bulletin("x", nasty, nasty, "2025-10-01T00:00:00Z")],
            "now",
        );
        assert!(!xml.contains("<script>"), "{xml}");
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let entry = child(doc.root_element(), "entry").unwrap();
        assert_eq!(child(entry, "title").and_then(|n| n.text()), Some(nasty));
        assert_eq!(child(entry, "content").and_then(|n| n.text()), Some(nasty));
    }

    #[test]
    fn characters_xml_cannot_carry_are_dropped_instead_of_breaking_the_feed() {
        let xml = atom_feed(
            &base(),
            &chinese(),
            &text(),
            &[bulletin("x", "a\u{0}b\u{1b}c", "d\u{FFFF}e", "bad")],
            "now",
        );
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let entry = child(doc.root_element(), "entry").unwrap();
        assert_eq!(child(entry, "title").and_then(|n| n.text()), Some("abc"));
        assert_eq!(child(entry, "content").and_then(|n| n.text()), Some("de"));
        assert_eq!(
            child(entry, "updated").and_then(|n| n.text()),
            Some("2025-09-30T00:00:00+08:00"),
            "a bad stored time falls back to the publication day"
        );
    }

    #[test]
    fn each_language_and_category_has_its_own_feed_and_an_unknown_one_is_none() {
        let spec = |lang: &str, category: &str| {
            feed_spec(&FeedQuery { lang: lang.into(), category: category.into() })
                .map(|(s, l, c)| (s.path, s.lang, l, c))
        };
        assert_eq!(spec("", ""), Some(("/feed.atom".into(), "zh-Hant-TW", Language::Chinese, None)));
        assert_eq!(spec("en", ""), Some(("/feed.atom?lang=en".into(), "en", Language::English, None)));
        assert_eq!(
            spec("en", "pattern"),
            Some((
                "/feed.atom?lang=en&category=pattern".into(),
                "en",
                Language::English,
                Some(BulletinCategory::Pattern)
            ))
        );
        assert_eq!(spec("fr", ""), None);
        assert_eq!(spec("", "warning"), None);
    }

    #[test]
    fn an_english_feed_says_so_and_its_self_link_is_its_own() {
        let spec = FeedSpec { path: "/feed.atom?lang=en".into(), lang: "en" };
        let xml = atom_feed(&base(), &spec, &text(), &[], "2026-01-01T00:00:00Z");
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let feed = doc.root_element();
        assert_eq!(feed.attribute(("http://www.w3.org/XML/1998/namespace", "lang")), Some("en"));
        assert_eq!(
            child(feed, "id").and_then(|n| n.text()),
            Some("https://check.example.tw/feed.atom?lang=en")
        );
    }

    #[test]
    fn an_empty_feed_is_still_valid_and_dated_now() {
        let xml = atom_feed(&base(), &chinese(), &text(), &[], "2026-01-01T00:00:00Z");
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        assert_eq!(child(doc.root_element(), "updated").and_then(|n| n.text()), Some("2026-01-01T00:00:00Z"));
    }

    fn address(slug: &str) -> BulletinAddress {
        BulletinAddress { slug: slug.into(), updated_at: "2025-10-01T02:00:00Z".into() }
    }

    #[test]
    fn the_sitemap_lists_pages_bulletins_and_domain_pages_but_not_bare_ips() {
        let hosts = ["kkpp.kgi357.com".to_owned(), "89.106.207.153".to_owned()];
        let (urls, left_out) = sitemap_urls(&[address("verify-real-website")], &hosts, MAX_SITEMAP_URLS);
        assert_eq!(left_out, 0);
        let xml = sitemap_xml(&base(), &urls);
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let locs: Vec<&str> =
            doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
        assert!(locs.contains(&"https://check.example.tw/"));
        assert!(locs.contains(&"https://check.example.tw/official"));
        assert!(locs.contains(&"https://check.example.tw/bulletins/verify-real-website"));
        assert!(locs.contains(&"https://check.example.tw/domain/kkpp.kgi357.com"));
        assert!(!locs.iter().any(|l| l.contains("89.106.207.153")));
        assert!(xml.contains("<lastmod>2025-10-01T02:00:00Z</lastmod>"));
    }

    #[test]
    fn the_sitemap_encodes_and_escapes_odd_hosts() {
        let hosts = ["a&b<c>.example".to_owned(), "例子.tw".to_owned()];
        let (urls, _) = sitemap_urls(&[], &hosts, MAX_SITEMAP_URLS);
        let xml = sitemap_xml(&base(), &urls);
        roxmltree::Document::parse(&xml).expect("well-formed XML");
        assert!(xml.contains("/domain/a%26b%3Cc%3E.example"), "{xml}");
        assert!(xml.contains("/domain/%E4%BE%8B%E5%AD%90.tw"), "{xml}");
    }

    #[test]
    fn the_sitemap_stops_at_its_limit_and_says_how_many_were_left_out() {
        let hosts: Vec<String> = (0..10).map(|i| format!("fake{i}.example")).collect();
        let (urls, left_out) = sitemap_urls(&[address("a")], &hosts, 10);
        assert_eq!(urls.len(), 10);
        assert_eq!(left_out, PUBLIC_PAGES.len() + 1 + 10 - 10);
        assert_eq!(urls[0].path, "/", "the public pages come first");
    }

    #[test]
    fn robots_allows_pages_keeps_crawlers_off_the_api_and_names_the_sitemap() {
        let robots = robots_txt(&base());
        assert!(robots.contains("Disallow: /api/\n"));
        assert!(robots.contains("Sitemap: https://check.example.tw/sitemap.xml\n"));
    }
}
