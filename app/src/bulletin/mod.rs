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
use crate::safe_text::{page_defanged_text, page_view};

/// How many bulletins one page of `/bulletins` lists.
pub const PER_PAGE: u32 = 20;

/// A bulletin as the public pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulletinSummary {
    pub slug: String,
    /// `warning`, `pattern` or `notice`.
    pub category: String,
    pub title: String,
    pub body: String,
    pub title_en: Option<String>,
    pub body_en: Option<String>,
    /// `YYYY-MM-DD`
    pub published_on: String,
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

/// The text of a bulletin in the reader's language, and how to mark it up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalizedBulletin<'a> {
    pub title: &'a str,
    pub body: &'a str,
    /// `lang` for the bulletin's element when its text is not in the page's language.
    pub lang: Option<&'static str>,
    /// The reader wanted English but the bulletin has only Chinese.
    pub chinese_only: bool,
}

/// Picks the English text for English readers when the bulletin has it (title and
/// body both), and the Chinese text otherwise.
pub fn localized(bulletin: &BulletinSummary, locale: Locale) -> LocalizedBulletin<'_> {
    let chinese = |chinese_only| LocalizedBulletin {
        title: &bulletin.title,
        body: &bulletin.body,
        lang: None,
        chinese_only,
    };
    match locale {
        Locale::zh_TW => chinese(false),
        Locale::en => match (&bulletin.title_en, &bulletin.body_en) {
            (Some(title), Some(body)) => LocalizedBulletin { title, body, lang: None, chinese_only: false },
            _ => LocalizedBulletin { lang: Some("zh-Hant-TW"), ..chinese(true) },
        },
    }
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

/// The feed's title, subtitle and author, from the translation files, naming `firm`.
pub fn feed_text(locale: Locale, firm: &str) -> FeedText {
    FeedText {
        title: td_string!(locale, bulletins.feed_title, firm).to_string(),
        subtitle: td_string!(locale, bulletins.feed_subtitle, firm).to_string(),
        author: td_string!(locale, bulletins.feed_author, firm).to_string(),
    }
}

#[cfg(feature = "ssr")]
impl From<store::Bulletin> for BulletinSummary {
    fn from(b: store::Bulletin) -> Self {
        Self {
            slug: b.slug,
            category: b.category.code().to_owned(),
            title: b.title,
            body: b.body,
            title_en: b.title_en,
            body_en: b.body_en,
            published_on: b.published_on,
        }
    }
}

#[cfg(feature = "ssr")]
fn unavailable(e: store::StoreError) -> AppError {
    AppError::storage("reading bulletins", &e)
}

/// A bulletin as a server function sends it: every address that is not official already
/// defanged, so not even the page's serialised data holds a fake address one could tap.
#[cfg(feature = "ssr")]
pub(crate) fn for_readers(state: &crate::state::AppState, bulletin: store::Bulletin) -> BulletinSummary {
    let snapshot = state.live.current();
    let official = crate::safe_text::official_href_in(snapshot.as_deref().map(|s| &s.index));
    let safe = |text: &str| crate::safe_text::defanged_text(text, &official);
    let mut summary = BulletinSummary::from(bulletin);
    summary.title = safe(&summary.title);
    summary.body = safe(&summary.body);
    summary.title_en = summary.title_en.as_deref().map(safe);
    summary.body_en = summary.body_en.as_deref().map(safe);
    summary
}

/// Page `page` of all bulletins; `None` when there is no such page.
#[server(endpoint = "bulletins/page")]
pub async fn bulletin_list(page: u32) -> Result<Option<BulletinListPage>, AppError> {
    let state = crate::error::app_state()?;
    if page == 0 {
        return Ok(None);
    }
    let found = store::bulletin::page(&state.db, page, PER_PAGE).await.map_err(unavailable)?;
    let pages = page_count(found.total, PER_PAGE);
    if page > pages {
        return Ok(None);
    }
    Ok(Some(BulletinListPage {
        bulletins: found.bulletins.into_iter().map(|b| for_readers(&state, b)).collect(),
        page,
        pages,
    }))
}

/// The bulletin at `slug`; `None` for a slug that is malformed or names no bulletin.
#[server(endpoint = "bulletins/one")]
pub async fn bulletin_by_slug(slug: String) -> Result<Option<BulletinSummary>, AppError> {
    let Ok(slug) = store::bulletin::BulletinSlug::parse(&slug) else {
        return Ok(None);
    };
    let state = crate::error::app_state()?;
    let found = store::bulletin::by_slug(&state.db, &slug).await.map_err(unavailable)?;
    Ok(found.map(|b| for_readers(&state, b)))
}

/// The scam patterns, newest first.
#[server(endpoint = "bulletins/patterns")]
pub async fn pattern_bulletins() -> Result<Vec<BulletinSummary>, AppError> {
    let state = crate::error::app_state()?;
    let found = store::bulletin::in_category(&state.db, store::bulletin::BulletinCategory::Pattern, 50)
        .await
        .map_err(unavailable)?;
    Ok(found.into_iter().map(|b| for_readers(&state, b)).collect())
}

/// The latest bulletins, each with its date and a link to its page: from the live snapshot,
/// so the home page never waits on the database for them.
#[component]
pub fn LatestBulletins() -> impl IntoView {
    let locale = page_locale();
    let body = match latest_in_memory() {
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

/// The newest bulletins of the live snapshot; `None` before any data has loaded.
fn latest_in_memory() -> Option<Vec<BulletinSummary>> {
    #[cfg(feature = "ssr")]
    {
        let snapshot = use_context::<crate::state::AppState>()?.live.current()?;
        Some(snapshot.latest_bulletins.iter().cloned().map(BulletinSummary::from).collect())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// A list of bulletins: date, category and the title linking to the bulletin's page.
#[component]
fn BulletinLinks(bulletins: Vec<BulletinSummary>) -> impl IntoView {
    let locale = page_locale();
    view! {
        <ul class="bulletin-list">
            {bulletins.into_iter().map(|b| {
                let text = localized(&b, locale);
                let title = page_defanged_text(text.title);
                let lang = text.lang;
                view! {
                    <li class="bulletin" id=format!("bulletin-{}", b.slug)>
                        <span class="bulletin-meta">
                            <time datetime=b.published_on.clone()>{display_date(&b.published_on)}</time>
                            " · "
                            {category_label(locale, &b.category)}
                        </span>
                        <a class="bulletin-title" href=bulletin_href(&b.slug) lang=lang>{title}</a>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// `2025-09-30` as readers in Taiwan write it: `2025.09.30`.
fn display_date(date: &str) -> String {
    date.replace('-', ".")
}

fn category_label(locale: Locale, code: &str) -> &'static str {
    match code {
        "pattern" => td_string!(locale, bulletins.category_pattern),
        "notice" => td_string!(locale, bulletins.category_notice),
        _ => td_string!(locale, bulletins.category_warning),
    }
}

/// A bulletin's body: one paragraph a line, fake addresses defanged (`safe_text`).
fn body_paragraphs(body: &str) -> impl IntoView {
    body.lines().filter(|l| !l.trim().is_empty()).map(|l| view! { <p>{page_view(l)}</p> }).collect_view()
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
                        Ok(Some(bulletin)) => view! { <BulletinArticle bulletin/> }.into_any(),
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

#[component]
fn BulletinArticle(bulletin: BulletinSummary) -> impl IntoView {
    let locale = page_locale();
    let text = localized(&bulletin, locale);
    let (title, body, lang, chinese_only) =
        (page_defanged_text(text.title), text.body.to_owned(), text.lang, text.chinese_only);
    let is_pattern = bulletin.category == "pattern";
    view! {
        <Title text=page_title(locale, &title)/>
        <article class="bulletin-article">
            <p class="bulletin-meta">
                {category_label(locale, &bulletin.category)}
                " · "
                {td_string!(locale, bulletins.published)}
                " "
                <time datetime=bulletin.published_on.clone()>{display_date(&bulletin.published_on)}</time>
            </p>
            {chinese_only.then(|| view! { <p class="chinese-only">{td_string!(locale, bulletins.chinese_only)}</p> })}
            <div lang=lang>
                <h1>{title}</h1>
                {body_paragraphs(&body)}
            </div>
        </article>
        <p class="bulletin-cta"><a href="/">{td_string!(locale, bulletins.check_cta)}</a></p>
        {is_pattern.then(|| view! { <p><a href="/patterns">{td_string!(locale, bulletins.see_patterns)}</a></p> })}
        <p><a href="/bulletins">{td_string!(locale, bulletins.back_to_list)}</a></p>
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
                        Ok(list) => list.into_iter().map(|b| view! { <PatternCard bulletin=b/> }).collect_view().into_any(),
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
fn PatternCard(bulletin: BulletinSummary) -> impl IntoView {
    let locale = page_locale();
    let text = localized(&bulletin, locale);
    let (title, body, lang, chinese_only) =
        (page_defanged_text(text.title), text.body.to_owned(), text.lang, text.chinese_only);
    view! {
        <article class="pattern" id=format!("pattern-{}", bulletin.slug)>
            <h2 lang=lang><a href=bulletin_href(&bulletin.slug)>{title}</a></h2>
            {chinese_only.then(|| view! { <p class="chinese-only">{td_string!(locale, bulletins.chinese_only)}</p> })}
            <div lang=lang>{body_paragraphs(&body)}</div>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bulletin(title_en: Option<&str>, body_en: Option<&str>) -> BulletinSummary {
        BulletinSummary {
            slug: "verify-real-website".into(),
            category: "warning".into(),
            title: "請認明真正網址".into(),
            body: "請不要點擊。".into(),
            title_en: title_en.map(Into::into),
            body_en: body_en.map(Into::into),
            published_on: "2025-09-30".into(),
        }
    }

    #[test]
    fn english_readers_get_the_english_text_when_there_is_one() {
        let b = bulletin(Some("Check the real address"), Some("Do not tap."));
        let text = localized(&b, Locale::en);
        assert_eq!(
            (text.title, text.body, text.lang, text.chinese_only),
            ("Check the real address", "Do not tap.", None, false)
        );
    }

    #[test]
    fn english_readers_get_the_chinese_marked_as_chinese_when_there_is_no_english() {
        for b in [bulletin(None, None), bulletin(Some("Title only"), None)] {
            let text = localized(&b, Locale::en);
            assert_eq!(text.title, "請認明真正網址");
            assert_eq!(text.lang, Some("zh-Hant-TW"));
            assert!(text.chinese_only);
        }
    }

    #[test]
    fn chinese_readers_always_get_the_chinese() {
        let b = bulletin(Some("Check the real address"), Some("Do not tap."));
        let text = localized(&b, Locale::zh_TW);
        assert_eq!((text.title, text.lang, text.chinese_only), ("請認明真正網址", None, false));
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
