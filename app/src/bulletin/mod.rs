//! Fraud bulletins: the latest few on the home page, the full list (`/bulletins`), one
//! bulletin (`/bulletins/{slug}`) and the scam patterns (`/patterns`).

#[cfg(feature = "ssr")]
pub mod markdown;

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use crate::error::{AppError, ReferenceNote};
use crate::i18n::Locale;
use crate::layout::Layout;
use crate::locale::page_locale;
use crate::respond::{respond_not_found, respond_unavailable};

/// How many bulletins one page of `/bulletins` lists.
pub const PER_PAGE: u32 = 20;

/// A bulletin as the public lists show it: plain text, every fake address defanged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulletinSummary {
    pub slug: String,
    /// `zh-TW` or `en`: the language it is written in.
    pub language: String,
    /// `alert`, `notice`, `pattern` or `incident`.
    pub category: String,
    pub title: String,
    /// `YYYY-MM-DD`
    pub published_on: String,
    pub pinned: bool,
    /// An incident's state code.
    pub incident_state: Option<String>,
}

/// A whole bulletin as its page shows it. The body is HTML rendered from the Markdown and
/// cleaned on the server (`markdown`): the Markdown itself never reaches the browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulletinArticleData {
    pub summary: BulletinSummary,
    pub body_html: String,
    /// The fake sites it lists, each with its status now.
    pub listed: Vec<ListedSite>,
    /// An incident's timeline, in the order things happened.
    pub timeline: Vec<TimelineEntry>,
    /// The same bulletin in the other language: (language code, slug).
    pub other: Option<(String, String)>,
}

/// A fake site a bulletin lists: its address defanged, and its takedown status code now
/// (`None` when it is no longer listed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedSite {
    pub shown: String,
    pub status: Option<String>,
}

/// One update of an incident.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub state: String,
    /// `2025.11.18 19:20`, Taiwan time.
    pub at: String,
    /// RFC 3339, for `<time datetime>`.
    pub datetime: String,
    pub text: String,
    pub backdated: bool,
}

/// One page of the bulletin list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulletinListPage {
    pub bulletins: Vec<BulletinSummary>,
    /// Counted from 1.
    pub page: u32,
    /// At least 1, even when there are no bulletins.
    pub pages: u32,
}

/// The `lang` a bulletin's text needs on a page in `locale`: none when it is the page's own.
pub fn lang_attribute(language: &str, locale: Locale) -> Option<&'static str> {
    match (language, locale) {
        ("en", Locale::zh_TW) => Some("en"),
        ("zh-TW", Locale::en) => Some("zh-Hant-TW"),
        _ => None,
    }
}

/// The store's language for readers of `locale`.
#[cfg(feature = "ssr")]
pub fn reader_language(locale: Locale) -> store::bulletin::Language {
    match locale {
        Locale::zh_TW => store::bulletin::Language::Chinese,
        Locale::en => store::bulletin::Language::English,
    }
}

/// `2025-11-18T11:20:00Z` as a reader in Taiwan reads it: `2025.11.18 19:20`.
#[cfg(feature = "ssr")]
pub fn taiwan_minute(rfc3339: &str) -> String {
    crate::lookup::taiwan_time(rfc3339).replace('-', ".")
}

/// The `page` query value: missing means the first page; anything but a whole number
/// from 1 up is not a page.
pub fn parse_page(raw: Option<&str>) -> Option<u32> {
    match raw {
        None => Some(1),
        Some(text) => text.trim().parse::<u32>().ok().filter(|&n| n >= 1),
    }
}

/// How many pages `total` bulletins fill (one page even when there are none).
pub fn page_count(total: i64, per_page: u32) -> u32 {
    let per_page = i64::from(per_page.max(1));
    u32::try_from((total.max(0) + per_page - 1) / per_page).unwrap_or(u32::MAX).max(1)
}

/// The address of one bulletin's page.
pub fn bulletin_href(slug: &str) -> String {
    format!("/bulletins/{slug}")
}

/// The feed's own words in one language (the feed is built by the server).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedText {
    pub title: String,
    pub subtitle: String,
    pub author: String,
}

/// The feed's title, subtitle and author, from the translation files, naming `firm` (and the
/// category, for a feed of one).
pub fn feed_text(locale: Locale, firm: &str, category: Option<&str>) -> FeedText {
    let title = match category {
        Some(category) => td_string!(locale, bulletins.feed_category_title, firm, category).to_string(),
        None => td_string!(locale, bulletins.feed_title, firm).to_string(),
    };
    FeedText {
        title,
        subtitle: td_string!(locale, bulletins.feed_subtitle, firm).to_string(),
        author: td_string!(locale, bulletins.feed_author, firm).to_string(),
    }
}

#[cfg(feature = "ssr")]
fn unavailable(e: store::StoreError) -> AppError {
    AppError::storage("reading bulletins", &e)
}

/// A bulletin as the lists send it: the title with every address that is not official
/// defanged, so not even the page's serialised data holds a fake address one could tap.
#[cfg(feature = "ssr")]
pub(crate) fn for_readers(state: &crate::state::AppState, bulletin: &store::Bulletin) -> BulletinSummary {
    let snapshot = state.live.current();
    let official = crate::safe_text::official_href_in(snapshot.as_deref().map(|s| &s.index));
    summary_of(bulletin, &official)
}

#[cfg(feature = "ssr")]
fn summary_of(
    bulletin: &store::Bulletin,
    official: &impl Fn(&engine::CanonicalUrl) -> Option<String>,
) -> BulletinSummary {
    BulletinSummary {
        slug: bulletin.slug.clone(),
        language: bulletin.language.code().to_owned(),
        category: bulletin.category.code().to_owned(),
        title: crate::safe_text::defanged_text(&bulletin.title, official),
        published_on: bulletin.published_on.clone(),
        pinned: bulletin.pinned,
        incident_state: bulletin.incident.map(|s| s.code().to_owned()),
    }
}

/// A whole bulletin for its page: the body rendered and cleaned, the listed sites with their
/// status in the live data, an incident's timeline.
#[cfg(feature = "ssr")]
pub(crate) fn article_of(
    state: &crate::state::AppState,
    bulletin: &store::Bulletin,
    timeline: &[store::bulletin::incident::IncidentUpdate],
    other: Option<(String, String)>,
) -> BulletinArticleData {
    let snapshot = state.live.current();
    let index = snapshot.as_deref().map(|s| &s.index);
    let official = crate::safe_text::official_href_in(index);
    let listed = bulletin
        .listed
        .iter()
        .map(|target| {
            let status = engine::canonicalize(target).ok().and_then(|url| {
                let site = engine::domain::registrable_domain(url.host_str()).map(str::to_owned);
                index?.takedown_for_url(&url, site.as_deref()).map(|e| e.status.code().to_owned())
            });
            ListedSite { shown: crate::safe_text::defanged_text(target, |_| None), status }
        })
        .collect();
    let timeline = timeline
        .iter()
        .map(|u| TimelineEntry {
            state: u.state.code().to_owned(),
            at: taiwan_minute(&u.happened_at),
            datetime: u.happened_at.clone(),
            text: crate::safe_text::defanged_text(&u.body, &official),
            backdated: u.backdated,
        })
        .collect();
    BulletinArticleData {
        summary: summary_of(bulletin, &official),
        body_html: markdown::render(&bulletin.body, &official).html,
        listed,
        timeline,
        other,
    }
}

/// Page `page` of all bulletins for the reader's language; `None` when there is no such page.
#[server(endpoint = "bulletins/page")]
pub async fn bulletin_list(page: u32) -> Result<Option<BulletinListPage>, AppError> {
    let state = crate::error::app_state()?;
    if page == 0 {
        return Ok(None);
    }
    let language = reader_language(page_locale());
    let found = store::bulletin::page(&state.db, language, page, PER_PAGE).await.map_err(unavailable)?;
    let pages = page_count(found.total, PER_PAGE);
    if page > pages {
        return Ok(None);
    }
    Ok(Some(BulletinListPage {
        bulletins: found.bulletins.iter().map(|b| for_readers(&state, b)).collect(),
        page,
        pages,
    }))
}

/// The published bulletin at `slug`, in the reader's language where it has a translation;
/// `None` for a slug that is malformed or names no published bulletin.
#[server(endpoint = "bulletins/one")]
pub async fn bulletin_by_slug(slug: String) -> Result<Option<BulletinArticleData>, AppError> {
    let Ok(slug) = store::bulletin::BulletinSlug::parse(&slug) else {
        return Ok(None);
    };
    let state = crate::error::app_state()?;
    let language = reader_language(page_locale());
    let Some(reading) = store::bulletin::for_reader(&state.db, &slug, language).await.map_err(unavailable)?
    else {
        return Ok(None);
    };
    let timeline = if reading.shown.category == store::bulletin::BulletinCategory::Incident {
        store::bulletin::incident::timeline(&state.db, reading.shown.id).await.map_err(unavailable)?
    } else {
        Vec::new()
    };
    let other = reading.other.map(|(language, slug)| (language.code().to_owned(), slug));
    Ok(Some(article_of(&state, &reading.shown, &timeline, other)))
}

/// The scam patterns, newest first, each whole.
#[server(endpoint = "bulletins/patterns")]
pub async fn pattern_bulletins() -> Result<Vec<BulletinArticleData>, AppError> {
    let state = crate::error::app_state()?;
    let language = reader_language(page_locale());
    let found =
        store::bulletin::in_category(&state.db, store::bulletin::BulletinCategory::Pattern, language, 50)
            .await
            .map_err(unavailable)?;
    Ok(found.iter().map(|b| article_of(&state, b, &[], None)).collect())
}

/// The bulletin board of the page being rendered (the newest bulletins, the open incidents),
/// read by the server before the page ([`store::bulletin::board`]); `None` when it could not
/// be read and none was read before.
#[cfg(feature = "ssr")]
pub fn page_board() -> Option<std::sync::Arc<store::bulletin::board::BoardView>> {
    use_context::<axum::http::request::Parts>()?
        .extensions
        .get::<std::sync::Arc<store::bulletin::board::BoardView>>()
        .cloned()
}

/// The latest bulletins, each with its date and a link to its page: from the board the
/// server read for this page, so the home page never waits on the database for them.
#[component]
pub fn LatestBulletins() -> impl IntoView {
    let locale = page_locale();
    let body = match latest_on_board(locale) {
        Some(list) if list.is_empty() => {
            view! { <p>{td_string!(locale, check.bulletins_none)}</p> }.into_any()
        }
        Some(list) => view! { <BulletinLinks bulletins=list/> }.into_any(),
        None => view! { <p>{td_string!(locale, check.bulletins_unavailable)}</p> }.into_any(),
    };
    view! {
        <section class="bulletins" aria-labelledby="bulletins-heading">
            <h2 id="bulletins-heading">{td_string!(locale, check.bulletins_heading)}</h2>
            {body}
            <p><a href="/bulletins">{td_string!(locale, check.bulletins_all)}</a></p>
        </section>
    }
}

fn latest_on_board(locale: Locale) -> Option<Vec<BulletinSummary>> {
    #[cfg(feature = "ssr")]
    {
        let board = page_board()?;
        let state = use_context::<crate::state::AppState>()?;
        Some(board.latest(reader_language(locale)).iter().map(|b| for_readers(&state, b)).collect())
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = locale;
        None
    }
}

/// An open incident as the banner shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentNotice {
    pub slug: String,
    pub language: String,
    pub title: String,
    pub state: String,
    /// The newest update: when (Taiwan time) and what it says, defanged.
    pub latest_at: Option<String>,
    pub latest: Option<String>,
}

/// The open incidents a reader of `locale` sees, from the page's board.
pub fn page_incidents(locale: Locale) -> Vec<IncidentNotice> {
    #[cfg(feature = "ssr")]
    {
        let Some(board) = page_board() else { return Vec::new() };
        let snapshot = use_context::<crate::state::AppState>().and_then(|s| s.live.current());
        let official = crate::safe_text::official_href_in(snapshot.as_deref().map(|s| &s.index));
        incident_notices(&board.incidents, reader_language(locale), &official)
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = locale;
        Vec::new()
    }
}

/// The banner's words for the open incidents a reader of `language` sees.
#[cfg(feature = "ssr")]
pub fn incident_notices(
    incidents: &[store::bulletin::incident::OpenIncident],
    language: store::bulletin::Language,
    official: &impl Fn(&engine::CanonicalUrl) -> Option<String>,
) -> Vec<IncidentNotice> {
    store::bulletin::board::incidents_for(incidents, language)
        .into_iter()
        .map(|i| IncidentNotice {
            slug: i.slug.clone(),
            language: i.language.code().to_owned(),
            title: crate::safe_text::defanged_text(&i.title, official),
            state: i.state.code().to_owned(),
            latest_at: i.latest_at.as_deref().map(taiwan_minute),
            latest: i.latest.as_deref().map(|t| crate::safe_text::defanged_text(t, official)),
        })
        .collect()
}

/// The banner of open incidents at the top of a page: what is wrong, its state, the newest
/// update, and a link to the whole timeline. Nothing when no incident is open.
#[component]
pub fn IncidentBanner(incidents: Vec<IncidentNotice>, locale: Locale) -> impl IntoView {
    (!incidents.is_empty()).then(|| {
        view! {
            <aside class="incident-banner" role="status" aria-label=td_string!(locale, bulletins.incident_banner_label)>
                {incidents.into_iter().map(|i| {
                    let lang = lang_attribute(&i.language, locale);
                    view! {
                        <div class="incident" data-incident=i.slug.clone() data-state=i.state.clone()>
                            <p>
                                <span class=format!("badge state-{}", i.state)>{state_label(locale, &i.state)}</span>" "
                                <strong lang=lang>{i.title}</strong>
                            </p>
                            {i.latest.map(|words| view! {
                                <p class="incident-latest">
                                    {td_string!(locale, bulletins.incident_banner_updated)}
                                    {i.latest_at.map(|at| view! { " "<time>{at}</time> })}
                                    "：" <span lang=lang>{words}</span>
                                </p>
                            }.into_any())}
                            <p><a href=bulletin_href(&i.slug)>{td_string!(locale, bulletins.incident_banner_more)}</a></p>
                        </div>
                    }
                    .into_any()
                }).collect_view()}
            </aside>
        }
    })
}

/// An incident state in words.
pub fn state_label(locale: Locale, code: &str) -> &'static str {
    match code {
        "identified" => td_string!(locale, bulletins.state_identified),
        "monitoring" => td_string!(locale, bulletins.state_monitoring),
        "resolved" => td_string!(locale, bulletins.state_resolved),
        _ => td_string!(locale, bulletins.state_investigating),
    }
}

/// A list of bulletins: date, category and the title linking to the bulletin's page.
#[component]
fn BulletinLinks(bulletins: Vec<BulletinSummary>) -> impl IntoView {
    let locale = page_locale();
    view! {
        <ul class="bulletin-list">
            {bulletins.into_iter().map(|b| {
                let lang = lang_attribute(&b.language, locale);
                let in_other = lang.map(|_| language_note(locale, &b.language));
                view! {
                    <li class="bulletin" id=format!("bulletin-{}", b.slug) data-pinned=b.pinned.then_some("true")>
                        <span class="bulletin-meta">
                            {b.pinned.then(|| view! { <span class="badge badge-pinned">{td_string!(locale, bulletins.pinned)}</span>" " })}
                            <time datetime=b.published_on.clone()>{display_date(&b.published_on)}</time>
                            " · "
                            {category_label(locale, &b.category)}
                        </span>
                        <a class="bulletin-title" href=bulletin_href(&b.slug) lang=lang>{b.title}</a>
                        {in_other.map(|note| view! { " "<span class="bulletin-language">{note}</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

fn language_note(locale: Locale, language: &str) -> &'static str {
    if language == "en" {
        td_string!(locale, bulletins.in_english)
    } else {
        td_string!(locale, bulletins.in_chinese)
    }
}

/// `2025-09-30` as readers in Taiwan write it: `2025.09.30`.
fn display_date(date: &str) -> String {
    date.replace('-', ".")
}

pub fn category_label(locale: Locale, code: &str) -> &'static str {
    match code {
        "pattern" => td_string!(locale, bulletins.category_pattern),
        "notice" => td_string!(locale, bulletins.category_notice),
        "incident" => td_string!(locale, bulletins.category_incident),
        _ => td_string!(locale, bulletins.category_alert),
    }
}

/// A bulletin's body: HTML the server rendered from its Markdown and cleaned (`markdown`),
/// with every fake address defanged.
fn body_html(html: String) -> impl IntoView {
    view! { <div class="bulletin-body" inner_html=html></div> }
}

fn page_title(locale: Locale, page: &str) -> String {
    format!("{page} | {}", td_string!(locale, common.site_title, firm = crate::firm::firm_name(locale)))
}

/// `/bulletins`: every bulletin, newest first, 20 to a page (`?page=2`).
#[component]
pub fn BulletinsPage() -> impl IntoView {
    let locale = page_locale();
    let query = use_query_map();
    let page = query.with_untracked(|q| parse_page(q.get("page").as_deref()));
    let list = Resource::new_blocking(
        move || page,
        |page| async move {
            match page {
                Some(page) => bulletin_list(page).await,
                None => Ok(None),
            }
        },
    );
    view! {
        <Layout>
            <Title text=page_title(locale, td_string!(locale, bulletins.list_title))/>
            <Suspense fallback=move || view! { <p>{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(Some(found)) => view! { <BulletinListView found/> }.into_any(),
                        Ok(None) => {
                            respond_not_found();
                            view! {
                                <h1>{td_string!(locale, bulletins.no_such_page_title)}</h1>
                                <p>{td_string!(locale, bulletins.no_such_page_body)}</p>
                                <p><a href="/bulletins">{td_string!(locale, bulletins.first_page)}</a></p>
                            }.into_any()
                        }
                        Err(error) => view! { <BulletinsUnavailable error/> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

/// What a bulletin page says, with a 503, while the bulletins cannot be read.
#[component]
fn BulletinsUnavailable(error: AppError) -> impl IntoView {
    let locale = page_locale();
    respond_unavailable();
    view! {
        <h1>{td_string!(locale, bulletins.list_title)}</h1>
        <p role="alert">{td_string!(locale, bulletins.unavailable)}</p>
        <ReferenceNote error/>
    }
}

#[component]
fn BulletinListView(found: BulletinListPage) -> impl IntoView {
    let locale = page_locale();
    let BulletinListPage { bulletins, page, pages } = found;
    let empty = bulletins.is_empty();
    view! {
        <h1>{td_string!(locale, bulletins.list_title)}</h1>
        <p>{td_string!(locale, bulletins.list_intro, firm = crate::firm::firm_name(locale))}</p>
        <div class="bulletins">
            {if empty {
                view! { <p>{td_string!(locale, bulletins.list_none)}</p> }.into_any()
            } else {
                view! { <BulletinLinks bulletins/> }.into_any()
            }}
        </div>
        {(pages > 1).then(|| view! { <Pagination page pages/> })}
    }
}

#[component]
fn Pagination(page: u32, pages: u32) -> impl IntoView {
    let locale = page_locale();
    view! {
        <nav class="pagination" aria-label=td_string!(locale, bulletins.pagination_label)>
            {(page > 1).then(|| view! {
                <a rel="prev" href=format!("/bulletins?page={}", page - 1)>{td_string!(locale, bulletins.previous)}</a>
            })}
            <span aria-current="page">{td_string!(locale, bulletins.page_of, page, pages)}</span>
            {(page < pages).then(|| view! {
                <a rel="next" href=format!("/bulletins?page={}", page + 1)>{td_string!(locale, bulletins.next)}</a>
            })}
        </nav>
    }
}

/// `/bulletins/{slug}`: one bulletin. An unknown or malformed slug is a 404 that
/// points to the list.
#[component]
pub fn BulletinPage() -> impl IntoView {
    let locale = page_locale();
    let params = use_params_map();
    let slug = params.with_untracked(|p| p.get("slug").unwrap_or_default());
    let found = Resource::new_blocking(move || slug.clone(), bulletin_by_slug);
    view! {
        <Layout>
            <Suspense fallback=move || view! { <p>{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(Some(article)) => view! { <BulletinArticle article/> }.into_any(),
                        Ok(None) => {
                            respond_not_found();
                            view! {
                                <Title text=page_title(locale, td_string!(locale, bulletins.not_found_title))/>
                                <h1>{td_string!(locale, bulletins.not_found_title)}</h1>
                                <p>{td_string!(locale, bulletins.not_found_body)}</p>
                                <p><a href="/bulletins">{td_string!(locale, bulletins.back_to_list)}</a></p>
                            }.into_any()
                        }
                        Err(error) => view! { <BulletinsUnavailable error/> }.into_any(),
                    }
                })}
            </Suspense>
        </Layout>
    }
}

/// A whole bulletin: the same component renders the public page and the publisher's
/// preview, so what a publisher sees is what readers get.
#[component]
pub fn BulletinArticle(article: BulletinArticleData) -> impl IntoView {
    let locale = page_locale();
    let BulletinArticleData { summary, body_html: html, listed, timeline, other } = article;
    let lang = lang_attribute(&summary.language, locale);
    let chinese_only = locale == Locale::en && summary.language == "zh-TW";
    let is_pattern = summary.category == "pattern";
    let state = summary.incident_state.clone();
    view! {
        <Title text=page_title(locale, &summary.title)/>
        <article class="bulletin-article" data-category=summary.category.clone()>
            <p class="bulletin-meta">
                {category_label(locale, &summary.category)}
                {state.map(|code| view! { " · "<span class=format!("badge state-{code}")>{state_label(locale, &code)}</span> })}
                " · "
                {td_string!(locale, bulletins.published)}
                " "
                <time datetime=summary.published_on.clone()>{display_date(&summary.published_on)}</time>
            </p>
            {chinese_only.then(|| view! { <p class="chinese-only">{td_string!(locale, bulletins.chinese_only)}</p> })}
            {other.map(|(language, slug)| view! {
                <p class="bulletin-other-language">
                    <a href=bulletin_href(&slug) hreflang=if language == "en" { "en" } else { "zh-Hant-TW" }>
                        {td_string!(locale, bulletins.read_in_other)}
                    </a>
                </p>
            })}
            {view! {
                <div lang=lang>
                    <h1>{summary.title}</h1>
                    {body_html(html)}
                </div>
            }.into_any()}
            {(!timeline.is_empty()).then(|| view! { <Timeline entries=timeline lang/> }.into_any())}
            {(!listed.is_empty()).then(|| view! { <ListedSites sites=listed/> }.into_any())}
        </article>
        <p class="bulletin-cta"><a href="/">{td_string!(locale, bulletins.check_cta)}</a></p>
        {is_pattern.then(|| view! { <p><a href="/patterns">{td_string!(locale, bulletins.see_patterns)}</a></p> })}
        <p><a href="/bulletins">{td_string!(locale, bulletins.back_to_list)}</a></p>
    }
}

/// An incident's timeline, oldest first.
#[component]
fn Timeline(entries: Vec<TimelineEntry>, lang: Option<&'static str>) -> impl IntoView {
    let locale = page_locale();
    view! {
        <section class="incident-timeline" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{td_string!(locale, bulletins.timeline_heading)}</h2>
            <ol>
                {entries.into_iter().map(|e| view! {
                    <li data-state=e.state.clone()>
                        <time datetime=e.datetime>{e.at}</time>" "
                        <span class=format!("badge state-{}", e.state)>{state_label(locale, &e.state)}</span>
                        {e.backdated.then(|| view! { " "<span class="backdated">"（"{td_string!(locale, bulletins.timeline_backdated)}"）"</span> })}
                        " "<span lang=lang>{e.text}</span>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The fake sites a bulletin lists, each with its takedown status now.
#[component]
fn ListedSites(sites: Vec<ListedSite>) -> impl IntoView {
    let locale = page_locale();
    view! {
        <section class="listed-sites" aria-labelledby="listed-heading">
            <h2 id="listed-heading">{td_string!(locale, bulletins.listed_heading)}</h2>
            <p>{td_string!(locale, bulletins.listed_intro)}</p>
            <ul>
                {sites.into_iter().map(|site| {
                    let status = site.status.as_deref().and_then(engine::TakedownStatus::parse).map_or(
                        td_string!(locale, bulletins.listed_status_unknown),
                        |s| crate::lookup::wording::status_label(s, locale),
                    );
                    view! {
                        <li data-status=site.status.clone()>
                            <span class="defanged">{site.shown}</span>" · "{status}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// `/patterns`: common scam patterns in plain words (詐騙樣態停看聽), each in full.
#[component]
pub fn PatternsPage() -> impl IntoView {
    let locale = page_locale();
    let patterns = Resource::new_blocking(|| (), |_| pattern_bulletins());
    view! {
        <Layout>
            <Title text=page_title(locale, td_string!(locale, bulletins.patterns_title))/>
            <h1>{td_string!(locale, bulletins.patterns_title)}</h1>
            <p>{td_string!(locale, bulletins.patterns_intro)}</p>
            <Suspense fallback=move || view! { <p>{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match patterns.await {
                        Ok(list) if list.is_empty() => view! { <p>{td_string!(locale, bulletins.patterns_none)}</p> }.into_any(),
                        Ok(list) => list.into_iter().map(|article| view! { <PatternCard article/> }).collect_view().into_any(),
                        Err(error) => {
                            respond_unavailable();
                            view! {
                                <p role="alert">{td_string!(locale, bulletins.unavailable)}</p>
                                <ReferenceNote error/>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
            <p class="bulletin-cta"><a href="/help">{td_string!(locale, bulletins.patterns_help)}</a></p>
        </Layout>
    }
}

#[component]
fn PatternCard(article: BulletinArticleData) -> impl IntoView {
    let locale = page_locale();
    let BulletinArticleData { summary, body_html: html, .. } = article;
    let lang = lang_attribute(&summary.language, locale);
    let chinese_only = locale == Locale::en && summary.language == "zh-TW";
    view! {
        <article class="pattern" id=format!("pattern-{}", summary.slug)>
            <h2 lang=lang><a href=bulletin_href(&summary.slug)>{summary.title}</a></h2>
            {chinese_only.then(|| view! { <p class="chinese-only">{td_string!(locale, bulletins.chinese_only)}</p> })}
            <div lang=lang>{body_html(html)}</div>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_in_the_other_language_is_marked_with_its_language() {
        assert_eq!(lang_attribute("en", Locale::zh_TW), Some("en"));
        assert_eq!(lang_attribute("zh-TW", Locale::en), Some("zh-Hant-TW"));
        assert_eq!(lang_attribute("zh-TW", Locale::zh_TW), None);
        assert_eq!(lang_attribute("en", Locale::en), None);
    }

    #[test]
    #[cfg(feature = "ssr")]
    fn an_update_time_reads_as_taiwan_time_to_the_minute() {
        assert_eq!(taiwan_minute("2025-11-18T11:20:00Z"), "2025.11.18 19:20");
    }
    #[test]
    fn the_page_number_is_a_whole_number_from_one() {
        assert_eq!(parse_page(None), Some(1));
        assert_eq!(parse_page(Some("3")), Some(3));
        for bad in ["0", "-1", "two", "", "1.5", "99999999999"] {
            assert_eq!(parse_page(Some(bad)), None, "{bad}");
        }
    }

    #[test]
    fn pages_round_up_and_there_is_always_one() {
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(20, 20), 1);
        assert_eq!(page_count(21, 20), 2);
        assert_eq!(page_count(-5, 20), 1);
    }
}
