//! The content pages and what machines read: bulletins, scam patterns, official
//! channels, help, the Atom feed, the sitemap and robots.txt, on the real router with a
//! fresh demo database, in both languages.

// A benchmark, example or test helper, not a request path: a failure is a broken set-up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use axum::http::{header, StatusCode};
use support::{spawn_site_at, TestSite};

/// Where the site under test is published: feeds and the sitemap link there.
const BASE: &str = "https://check.example.tw";

/// Publishes a Chinese bulletin straight into the database, with an English translation at
/// `{slug}-en` if `title_en` is given.
async fn add_bulletin(site: &TestSite, slug: &str, date: &str, title: &str, title_en: Option<&str>) {
    let insert = |slug: String, language: &'static str, title: String, translation_of: Option<i64>| {
        sqlx::query_as::<_, (i64,)>(
            "INSERT INTO bulletins (slug, language, translation_of, category, title, body, status, publish_at,
                                    published_on, created_at, updated_at)
             VALUES ($1, $2, $3, 'notice', $4, '內文', 'published', $5, $6, '2025-01-01T00:00:00Z',
                     '2025-01-01T00:00:00Z') RETURNING id",
        )
        .bind(slug)
        .bind(language)
        .bind(translation_of)
        .bind(title)
        .bind(format!("{date}T01:00:00Z"))
        .bind(date.to_owned())
        .fetch_one(&site.state.db)
    };
    let (id,) = insert(slug.to_owned(), "zh-TW", title.to_owned(), None).await.expect("insert bulletin");
    if let Some(title_en) = title_en {
        insert(format!("{slug}-en"), "en", title_en.to_owned(), Some(id)).await.expect("insert translation");
    }
}

fn atom(name: &str) -> (&'static str, &str) {
    ("http://www.w3.org/2005/Atom", name)
}

#[tokio::test]
async fn the_feed_is_valid_atom_with_absolute_links_to_every_bulletin() {
    let site = spawn_site_at(BASE).await;
    let page = site.get("/feed.atom").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers[header::CONTENT_TYPE], "application/atom+xml; charset=utf-8");
    let doc = roxmltree::Document::parse(&page.body).expect("well-formed XML");
    let feed = doc.root_element();
    assert!(feed.has_tag_name(atom("feed")));
    for required in ["id", "title", "updated", "author"] {
        assert!(feed.children().any(|n| n.has_tag_name(atom(required))), "feed has {required}");
    }
    let entries: Vec<_> = feed.children().filter(|n| n.has_tag_name(atom("entry"))).collect();
    assert_eq!(entries.len(), 8, "every Chinese demo bulletin");
    let first_link =
        entries[0].children().find(|n| n.has_tag_name(atom("link"))).and_then(|n| n.attribute("href"));
    assert_eq!(first_link, Some("https://check.example.tw/bulletins/verify-real-website"));
    assert!(page.body.contains("請認明凱基證券真正網址"));
}

#[tokio::test]
async fn every_page_tells_feed_readers_where_the_feed_is() {
    let site = spawn_site_at(BASE).await;
    let page = site.get("/").await;
    assert!(page.body.contains(r#"type="application/atom+xml""#), "{}", page.body);
    assert!(page.body.contains(r#"href="/feed.atom""#));
}

#[tokio::test]
async fn the_sitemap_lists_the_pages_every_bulletin_and_the_listed_fake_domains() {
    let site = spawn_site_at(BASE).await;
    let page = site.get("/sitemap.xml").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers[header::CONTENT_TYPE], "application/xml; charset=utf-8");
    let doc = roxmltree::Document::parse(&page.body).expect("well-formed XML");
    let locs: Vec<&str> =
        doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
    for expected in [
        "https://check.example.tw/",
        "https://check.example.tw/help",
        "https://check.example.tw/bulletins/verify-real-website",
        "https://check.example.tw/bulletins/pattern-guaranteed-profit",
        "https://check.example.tw/domain/kkpp.kgi357.com",
        "https://check.example.tw/domain/2311915.ec66.tw",
    ] {
        assert!(locs.contains(&expected), "{expected} in {locs:?}");
    }
}

#[tokio::test]
async fn robots_txt_names_the_sitemap_and_keeps_crawlers_off_the_api() {
    let site = spawn_site_at(BASE).await;
    let page = site.get("/robots.txt").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers[header::CONTENT_TYPE], "text/plain; charset=utf-8");
    assert!(page.body.contains("Disallow: /api/"), "{}", page.body);
    assert!(page.body.contains("Sitemap: https://check.example.tw/sitemap.xml"), "{}", page.body);
}

#[tokio::test]
async fn the_bulletin_list_links_every_bulletin_newest_first() {
    let site = spawn_site_at(BASE).await;
    let page = site.get("/bulletins").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<h1>防詐公告</h1>"), "{}", page.body);
    let newest = page.body.find(r#"href="/bulletins/verify-real-website""#).expect("newest linked");
    let oldest = page.body.find(r#"href="/bulletins/beware-of-fraud""#).expect("oldest linked");
    assert!(newest < oldest);
    assert!(!page.body.contains(r#"rel="next""#), "seven bulletins fit on one page");
}

#[tokio::test]
async fn more_than_twenty_bulletins_are_split_into_pages() {
    let site = spawn_site_at(BASE).await;
    for i in 0..20 {
        add_bulletin(&site, &format!("extra-{i}"), "2020-01-01", &format!("舊公告 {i}"), None).await;
    }
    let first = site.get("/bulletins").await;
    assert!(first.body.contains(r#"href="/bulletins?page=2""#), "{}", first.body);
    assert!(first.body.contains("第 1 頁，共 2 頁"));
    let second = site.get("/bulletins?page=2").await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.contains(r#"href="/bulletins?page=1""#));
    assert_eq!(second.body.matches(r#"class="bulletin""#).count(), 8);
}

#[tokio::test]
async fn a_list_page_that_does_not_exist_is_a_404_that_points_to_the_first_page() {
    let site = spawn_site_at(BASE).await;
    for path in ["/bulletins?page=2", "/bulletins?page=0", "/bulletins?page=abc"] {
        let page = site.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.body.contains("沒有這一頁"), "{path}");
        assert!(page.body.contains(r#"href="/bulletins""#), "{path}");
    }
}

#[tokio::test]
async fn one_bulletin_has_its_own_page_in_both_languages() {
    let site = spawn_site_at(BASE).await;
    let zh = site.get("/bulletins/verify-real-website").await;
    assert_eq!(zh.status, StatusCode::OK);
    assert!(zh.body.contains("請認明凱基證券真正網址"), "{}", zh.body);
    assert!(zh.body.contains(r#"datetime="2025-09-30""#));
    let en = site.get_in_english("/bulletins/verify-real-website").await;
    assert_eq!(en.status, StatusCode::OK);
    assert!(
        en.body.contains("check KGI Securities&#x27; real web address")
            || en.body.contains("check KGI Securities' real web address"),
        "{}",
        en.body
    );
    assert!(!en.body.contains("only available in Chinese"));
}

#[tokio::test]
async fn a_bulletin_written_only_in_chinese_is_marked_as_chinese_on_english_pages() {
    let site = spawn_site_at(BASE).await;
    add_bulletin(&site, "chinese-only", "2020-01-01", "只有中文的公告", None).await;
    let en = site.get_in_english("/bulletins/chinese-only").await;
    assert_eq!(en.status, StatusCode::OK);
    assert!(en.body.contains("This bulletin is only available in Chinese."), "{}", en.body);
    assert!(en.body.contains(r#"<div lang="zh-Hant-TW"><h1>只有中文的公告</h1>"#), "{}", en.body);
}

#[tokio::test]
async fn an_unknown_or_malformed_bulletin_address_is_a_404_that_points_to_the_list() {
    let site = spawn_site_at(BASE).await;
    for path in ["/bulletins/no-such-bulletin", "/bulletins/Bad_Slug", "/bulletins/%3Cscript%3E"] {
        let page = site.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.body.contains("找不到這則公告"), "{path}: {}", page.body);
        assert!(page.body.contains(r#"href="/bulletins""#), "{path}");
        assert!(!page.body.contains("<script>"), "{path}");
    }
    let en = site.get_in_english("/bulletins/no-such-bulletin").await;
    assert_eq!(en.status, StatusCode::NOT_FOUND);
    assert!(en.body.contains("Bulletin not found"));
}

#[tokio::test]
async fn the_home_page_links_each_latest_bulletin_to_its_page() {
    let site = spawn_site_at(BASE).await;
    let page = site.get("/").await;
    assert!(page.body.contains(r#"href="/bulletins/verify-real-website""#), "{}", page.body);
}

#[tokio::test]
async fn the_patterns_page_explains_each_scam_pattern_in_full() {
    let site = spawn_site_at(BASE).await;
    let zh = site.get("/patterns").await;
    assert_eq!(zh.status, StatusCode::OK);
    assert!(zh.body.contains("<h1>詐騙樣態停看聽</h1>"), "{}", zh.body);
    assert_eq!(zh.body.matches(r#"class="pattern""#).count(), 4);
    assert!(zh.body.contains("凱基證券不會邀請您加入 LINE 投資群組。"));
    assert!(!zh.body.contains("請認明凱基證券真正網址"), "warnings are not patterns");
    let en = site.get_in_english("/patterns").await;
    assert!(
        en.body.contains("Fake \"investment teachers\"")
            || en.body.contains("Fake &quot;investment teachers&quot;"),
        "{}",
        en.body
    );
}

#[tokio::test]
async fn the_official_page_lists_the_official_domain_and_how_to_recognise_the_firm() {
    let site = spawn_site_at(BASE).await;
    let zh = site.get("/official").await;
    assert_eq!(zh.status, StatusCode::OK);
    assert!(zh.body.contains("<h1>正確辨識凱基證券</h1>"), "{}", zh.body);
    assert!(zh.body.contains("<strong>kgi.com.tw</strong>"));
    assert!(zh.body.contains("凱基證券不會邀您加入 LINE 投資群組。"));
    assert!(zh.body.contains("官方客服電話"), "the demo hotline is listed");
    assert!(zh.body.contains("示範號碼，非真實電話"), "and says it is a demo value");
    assert!(zh.body.contains("kgi357[.]com"), "the examples are made from the data, fakes defanged");
    assert!(!zh.body.contains("kgi357.com"), "no tappable fake address");
    let en = site.get_in_english("/official").await;
    assert!(en.body.contains("How to recognise the real KGI Securities"), "{}", en.body);
    assert!(en.body.contains("Official website"));
}

#[tokio::test]
async fn the_official_page_keeps_showing_the_list_while_the_database_is_down() {
    let site = spawn_site_at(BASE).await;
    site.state.db.close().await;
    let page = site.get("/official").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<strong>kgi.com.tw</strong>"), "{}", page.body);
}

#[tokio::test]
async fn bulletin_pages_say_they_are_unavailable_with_a_503_while_the_database_is_down() {
    let site = spawn_site_at(BASE).await;
    site.state.db.close().await;
    for path in ["/bulletins", "/bulletins/verify-real-website", "/patterns"] {
        let page = site.get(path).await;
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert!(page.body.contains(r#"role="alert""#), "{path} says so in words: {}", page.body);
    }
    // The home page still answers: only its bulletin box is missing.
    assert_eq!(site.get("/").await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_official_hotline_shows_as_a_call_link_when_the_list_has_one() {
    let site = spawn_site_at(BASE).await;
    sqlx::query(
        "INSERT INTO official_entries (kind, value, label_zh, label_en, created_at)
         VALUES ('phone', '+886223456789', '測試客服', 'Test line', '2025-01-01T00:00:00Z')",
    )
    .execute(&site.state.db)
    .await
    .unwrap();
    site.state.live.reload(&site.state.db).await.unwrap();
    let official = site.get("/official").await;
    assert!(official.body.contains(r#"href="tel:+886223456789""#), "{}", official.body);
    assert!(official.body.contains("撥打 0223456789"), "shown as dialled in Taiwan");
    let help = site.get("/help").await;
    assert!(help.body.contains(r#"href="tel:+886223456789""#), "{}", help.body);
}

#[tokio::test]
async fn the_help_page_gives_the_steps_in_order_with_165_to_call_in_both_languages() {
    let site = spawn_site_at(BASE).await;
    let zh = site.get("/help").await;
    assert_eq!(zh.status, StatusCode::OK);
    assert!(zh.body.contains("<h1>受騙或點了連結，怎麼辦？</h1>"), "{}", zh.body);
    assert!(zh.body.contains(r#"href="tel:165""#));
    assert!(zh.body.contains(r#"href="/report""#));
    let stop = zh.body.find("先停下來").unwrap();
    let call = zh.body.find("撥打 165 反詐騙專線，說明").unwrap();
    let evidence = zh.body.find("保留證據").unwrap();
    assert!(stop < call && call < evidence, "steps in order");
    assert!(zh.body.contains(r#"href="tel:+886800000000""#), "the demo hotline is offered");
    let en = site.get_in_english("/help").await;
    assert!(en.body.contains("Scammed, or tapped a link? What to do"), "{}", en.body);
    assert!(en.body.contains(r#"<html lang="en""#));
}
