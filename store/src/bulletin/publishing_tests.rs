//! Writing, publishing and scheduling bulletins, as publishers and readers would notice.

use time::macros::datetime;
use time::OffsetDateTime;

use super::incident;
use super::publishing::{self, Draft, Outcome, Refusal, When};
use super::*;
use crate::audit::Actor;
use crate::staff::{create_user, Role};
use crate::testing::demo_db;

const NOW: OffsetDateTime = datetime!(2026-12-02 02:00 UTC);

async fn publisher(db: &Db, login: &'static str) -> Actor<'static> {
    let mut conn = db.acquire().await.unwrap();
    let id =
        create_user(&mut conn, login, login, "h", &[Role::Publisher], "2026-12-01T00:00:00Z").await.unwrap();
    Actor { id: Some(id), login, client: "192.0.2.7" }
}

fn draft(slug: &str, body: &str) -> Draft {
    Draft {
        slug: slug.into(),
        language: Some(Language::Chinese),
        category: Some(BulletinCategory::Alert),
        title: "【重要提醒】新的假網站".into(),
        body: body.into(),
        ..Draft::default()
    }
}

/// Every public reader of the store, asked for `slug`: whether any of them shows it.
async fn readers_see(db: &Db, slug: &str) -> bool {
    let parsed = BulletinSlug::parse(slug).unwrap();
    let in_list = |list: Vec<Bulletin>| list.iter().any(|b| b.slug == slug);
    let mut seen = by_slug(db, &parsed).await.unwrap().is_some();
    seen |= for_reader(db, &parsed, Language::Chinese).await.unwrap().is_some();
    for language in Language::ALL {
        seen |= in_list(latest(db, language, 100).await.unwrap());
        seen |= in_list(page(db, language, 1, 100).await.unwrap().bulletins);
        seen |= in_list(mentioning(db, "new.kgi777.com", Some("kgi777.com"), language, 50).await.unwrap());
        for category in BulletinCategory::ALL {
            seen |= in_list(in_category(db, category, language, 100).await.unwrap());
        }
    }
    seen |= in_list(latest_in(db, Language::Chinese, None, 100).await.unwrap());
    seen |= addresses(db, 1000).await.unwrap().iter().any(|a| a.slug == slug);
    seen
}

#[tokio::test]
async fn a_draft_is_seen_by_no_reader_until_it_is_published() {
    let (_dir, db) = demo_db().await.unwrap();
    let pat = publisher(&db, "pat").await;
    let id = publishing::create(&db, &draft("new-fake", "假網站 new.kgi777.com"), pat, NOW).await.unwrap();
    assert!(!readers_see(&db, "new-fake").await, "a draft is private");

    let outcome = publishing::publish(&db, id, When::Now, pat, NOW).await.unwrap();

    assert_eq!(outcome, Outcome::Published);
    assert!(readers_see(&db, "new-fake").await);
    let shown = by_slug(&db, &BulletinSlug::parse("new-fake").unwrap()).await.unwrap().unwrap();
    assert_eq!(
        (shown.published_on.as_str(), shown.publish_at.as_str()),
        ("2026-12-02", "2026-12-02T02:00:00Z")
    );
    let named = mentioning(&db, "new.kgi777.com", None, Language::Chinese, 5).await.unwrap();
    assert_eq!(named.len(), 1, "its hosts are recorded when it is published");
}

#[tokio::test]
async fn an_edit_of_a_published_bulletin_waits_until_it_is_published() {
    let (_dir, db) = demo_db().await.unwrap();
    let pat = publisher(&db, "pat").await;
    let id = publishing::create(&db, &draft("edited", "第一版"), pat, NOW).await.unwrap();
    publishing::publish(&db, id, When::Now, pat, NOW).await.unwrap();
    let opened = publishing::get(&db, id).await.unwrap().unwrap();

    publishing::save(&db, id, "新標題", "第二版", "", opened.head.id, pat, NOW).await.unwrap();

    let slug = BulletinSlug::parse("edited").unwrap();
    assert_eq!(
        by_slug(&db, &slug).await.unwrap().unwrap().body,
        "第一版",
        "readers still see the published text"
    );
    let editorial = publishing::get(&db, id).await.unwrap().unwrap();
    assert!(editorial.pending());
    assert_eq!(editorial.head.body, "第二版");

    publishing::publish(&db, id, When::Now, pat, NOW + time::Duration::hours(1)).await.unwrap();
    let shown = by_slug(&db, &slug).await.unwrap().unwrap();
    assert_eq!((shown.title.as_str(), shown.body.as_str()), ("新標題", "第二版"));
    assert_eq!(shown.published_on, "2026-12-02", "it keeps the day it was first published");
    assert!(!publishing::get(&db, id).await.unwrap().unwrap().pending());
    let again = publishing::publish(&db, id, When::Now, pat, NOW).await.unwrap_err();
    assert!(matches!(again, StoreError::Publishing(Refusal::NothingToPublish)), "{again}");
}

#[tokio::test]
async fn a_save_from_an_editor_opened_before_someone_elses_save_is_refused_and_loses_nothing() {
    let (_dir, db) = demo_db().await.unwrap();
    let (pat, sam) = (publisher(&db, "pat").await, publisher(&db, "sam").await);
    let id = publishing::create(&db, &draft("two-writers", "原文"), pat, NOW).await.unwrap();
    let opened = publishing::get(&db, id).await.unwrap().unwrap().head.id;
    publishing::save(&db, id, "標題", "Sam 的版本", "", opened, sam, NOW).await.unwrap();

    let err = publishing::save(&db, id, "標題", "Pat 的版本", "", opened, pat, NOW).await.unwrap_err();

    assert!(matches!(err, StoreError::Publishing(Refusal::Stale)), "{err}");
    assert_eq!(publishing::get(&db, id).await.unwrap().unwrap().head.body, "Sam 的版本");
    assert_eq!(publishing::revisions(&db, id).await.unwrap().len(), 2);
}

#[tokio::test]
async fn restoring_a_revision_makes_a_new_one_with_its_text_and_keeps_the_history() {
    let (_dir, db) = demo_db().await.unwrap();
    let pat = publisher(&db, "pat").await;
    let id = publishing::create(&db, &draft("restored", "第一版"), pat, NOW).await.unwrap();
    let first = publishing::get(&db, id).await.unwrap().unwrap().head.id;
    let second = publishing::save(&db, id, "標題", "第二版", "", first, pat, NOW).await.unwrap();

    let third = publishing::restore(&db, id, first, second, pat, NOW).await.unwrap();

    let revisions = publishing::revisions(&db, id).await.unwrap();
    assert_eq!(revisions.iter().map(|r| r.id).collect::<Vec<_>>(), [third, second, first]);
    assert_eq!((revisions[0].body.as_str(), revisions[0].restored_from), ("第一版", Some(first)));
    let err = publishing::restore(&db, id, 999_999, third, pat, NOW).await.unwrap_err();
    assert!(matches!(err, StoreError::Publishing(Refusal::NoSuchRevision)), "{err}");
}

#[tokio::test]
async fn a_scheduled_bulletin_is_published_once_when_its_time_comes_even_by_two_instances() {
    let dir = tempfile::tempdir().unwrap();
    let url = crate::testing::fresh_url(dir.path()).await.unwrap();
    let db = crate::open(&url).await.unwrap();
    crate::demo::load(&db, crate::demo::Overwrite::DemoOnly).await.unwrap();
    let pat = publisher(&db, "pat").await;
    let id = publishing::create(&db, &draft("scheduled", "排程"), pat, NOW).await.unwrap();
    let at = NOW + time::Duration::hours(2);
    let outcome = publishing::publish(&db, id, When::At(at), pat, NOW).await.unwrap();
    assert_eq!(outcome, Outcome::Scheduled("2026-12-02T04:00:00Z".into()));
    // An edit after scheduling is not what was scheduled.
    let head = publishing::get(&db, id).await.unwrap().unwrap().head.id;
    publishing::save(&db, id, "標題", "排程後的修改", "", head, pat, NOW).await.unwrap();
    assert_eq!(publishing::publish_due(&db, NOW + time::Duration::hours(1)).await.unwrap(), Some(vec![]));
    assert!(!readers_see(&db, "scheduled").await);

    // A restart: the schedule is in the database, and a second instance runs the same job.
    db.close().await;
    let (one, two) = (crate::open(&url).await.unwrap(), crate::open(&url).await.unwrap());
    let due = at + time::Duration::seconds(30);
    let (a, b) = tokio::join!(publishing::publish_due(&one, due), publishing::publish_due(&two, due));

    let published: Vec<String> = [a.unwrap(), b.unwrap()].into_iter().flatten().flatten().collect();
    assert_eq!(published, ["scheduled"], "exactly once");
    let shown = by_slug(&one, &BulletinSlug::parse("scheduled").unwrap()).await.unwrap().unwrap();
    assert_eq!(shown.body, "排程", "the text that was scheduled, not the later edit");
    assert_eq!(shown.publish_at, "2026-12-02T04:00:00Z", "the time readers were told");
    let (audited,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM audit_log WHERE action = 'bulletin_publish' AND actor = 'system'",
    )
    .fetch_one(&one)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn a_time_in_the_past_or_too_far_ahead_cannot_be_scheduled() {
    let (_dir, db) = demo_db().await.unwrap();
    let pat = publisher(&db, "pat").await;
    let id = publishing::create(&db, &draft("when", "x"), pat, NOW).await.unwrap();
    for (at, expected) in [
        (NOW - time::Duration::minutes(1), Refusal::InThePast),
        (NOW + time::Duration::days(400), Refusal::TooFarAhead),
    ] {
        let err = publishing::publish(&db, id, When::At(at), pat, NOW).await.unwrap_err();
        assert!(matches!(err, StoreError::Publishing(ref r) if *r == expected), "{err}");
    }
}

#[tokio::test]
async fn with_the_setting_on_a_second_publisher_approves_the_text_that_was_asked_for() {
    let (_dir, db) = demo_db().await.unwrap();
    let (pat, sam) = (publisher(&db, "pat").await, publisher(&db, "sam").await);
    publishing::set_second_approval(&db, true, Actor::cli(), NOW).await.unwrap();
    let id = publishing::create(&db, &draft("approved", "送審的版本"), pat, NOW).await.unwrap();

    let outcome = publishing::publish(&db, id, When::Now, pat, NOW).await.unwrap();
    let Outcome::Waiting(_) = outcome else { panic!("{outcome:?}") };
    assert!(!readers_see(&db, "approved").await, "nothing is published before approval");
    let err = publishing::decide(&db, id, true, "", pat, NOW).await.unwrap_err();
    assert!(matches!(err, StoreError::Publishing(Refusal::OwnRequest)), "{err}");
    let head = publishing::get(&db, id).await.unwrap().unwrap().head.id;
    publishing::save(&db, id, "標題", "送審後偷改", "", head, pat, NOW).await.unwrap();

    let decided = publishing::decide(&db, id, true, "ok", sam, NOW).await.unwrap();

    assert_eq!(decided, Some(Outcome::Published));
    let shown = by_slug(&db, &BulletinSlug::parse("approved").unwrap()).await.unwrap().unwrap();
    assert_eq!(shown.body, "送審的版本");
    assert!(publishing::get(&db, id).await.unwrap().unwrap().pending(), "the later edit waits");
}

#[tokio::test]
async fn a_rejected_request_publishes_nothing_and_an_agent_cannot_approve() {
    let (_dir, db) = demo_db().await.unwrap();
    let pat = publisher(&db, "pat").await;
    let mut conn = db.acquire().await.unwrap();
    let agent_id =
        create_user(&mut conn, "amy", "Amy", "h", &[Role::Agent], "2026-12-01T00:00:00Z").await.unwrap();
    drop(conn);
    let amy = Actor { id: Some(agent_id), login: "amy", client: "" };
    publishing::set_second_approval(&db, true, Actor::cli(), NOW).await.unwrap();
    let id = publishing::create(&db, &draft("rejected", "x"), pat, NOW).await.unwrap();
    publishing::publish(&db, id, When::Now, pat, NOW).await.unwrap();

    let err = publishing::decide(&db, id, true, "", amy, NOW).await.unwrap_err();
    assert!(matches!(err, StoreError::Publishing(Refusal::NotAPublisher)), "{err}");
    let sam = publisher(&db, "sam").await;
    assert_eq!(publishing::decide(&db, id, false, "wrong hotline", sam, NOW).await.unwrap(), None);
    assert!(!readers_see(&db, "rejected").await);
    assert!(publishing::get(&db, id).await.unwrap().unwrap().waiting.is_none());
}

#[tokio::test]
async fn unpublishing_takes_it_off_every_public_list_and_keeps_its_revisions() {
    let (_dir, db) = demo_db().await.unwrap();
    let pat = publisher(&db, "pat").await;
    let id = publishing::create(&db, &draft("gone", "假網站 new.kgi777.com"), pat, NOW).await.unwrap();
    publishing::publish(&db, id, When::Now, pat, NOW).await.unwrap();

    publishing::unpublish(&db, id, pat, NOW).await.unwrap();

    assert!(!readers_see(&db, "gone").await);
    let editorial = publishing::get(&db, id).await.unwrap().unwrap();
    assert_eq!(editorial.status, BulletinStatus::Unpublished);
    assert_eq!(publishing::revisions(&db, id).await.unwrap().len(), 1);
    let err = publishing::unpublish(&db, id, pat, NOW).await.unwrap_err();
    assert!(matches!(err, StoreError::Publishing(Refusal::NotPublished)), "{err}");
}

#[tokio::test]
async fn a_listed_site_must_be_in_the_takedown_list_and_is_stored_canonically() {
    let (_dir, db) = demo_db().await.unwrap();
    let pat = publisher(&db, "pat").await;
    let mut listing = draft("listing", "x");
    listing.listed = "hxxps://kkpp[.]kgi357[.]com/index/login\nunknown.example\n".into();
    let err = publishing::create(&db, &listing, pat, NOW).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Publishing(Refusal::NotListed(ref l)) if l == "unknown.example"),
        "{err}"
    );

    listing.listed = "hxxps://kkpp[.]kgi357[.]com/index/login\nKKPP.kgi357.com".into();
    let id = publishing::create(&db, &listing, pat, NOW).await.unwrap();
    assert_eq!(publishing::get(&db, id).await.unwrap().unwrap().head.listed, "kkpp.kgi357.com");
}

#[tokio::test]
async fn a_translation_is_in_the_other_language_and_each_bulletin_has_at_most_one() {
    let (_dir, db) = demo_db().await.unwrap();
    let pat = publisher(&db, "pat").await;
    publishing::create(&db, &draft("original", "原文"), pat, NOW).await.unwrap();
    let mut translation = draft("original-en", "English");
    translation.translation_of = "original".into();
    let err = publishing::create(&db, &translation, pat, NOW).await.unwrap_err();
    assert!(matches!(err, StoreError::Publishing(Refusal::SameLanguage)), "{err}");

    translation.language = Some(Language::English);
    let id = publishing::create(&db, &translation, pat, NOW).await.unwrap();
    let linked = publishing::get(&db, id).await.unwrap().unwrap().translation.unwrap();
    assert_eq!((linked.1.as_str(), linked.2), ("original", Language::Chinese));

    translation.slug = "original-en-2".into();
    let err = publishing::create(&db, &translation, pat, NOW).await.unwrap_err();
    assert!(matches!(err, StoreError::Publishing(Refusal::AlreadyTranslated(_))), "{err}");
}

#[tokio::test]
async fn a_bad_title_or_a_taken_address_is_refused_with_what_is_wrong() {
    let (_dir, db) = demo_db().await.unwrap();
    let pat = publisher(&db, "pat").await;
    let cases = [
        (Draft { title: "  ".into(), ..draft("a", "x") }, "a bulletin needs a title"),
        (Draft { title: "長".repeat(301), ..draft("a", "x") }, "301 characters, more than 300"),
        (draft("a", &"x".repeat(100_001)), "100001 characters"),
        (draft("Bad Slug", "x"), "a-z, 0-9"),
        (draft("verify-real-website", "x"), "/bulletins/verify-real-website is taken"),
    ];
    for (bad, expected) in cases {
        let err = publishing::create(&db, &bad, pat, NOW).await.unwrap_err().to_string();
        assert!(err.contains(expected), "{err}");
    }
    let auto = publishing::create(&db, &draft("", "x"), pat, NOW).await.unwrap();
    let again = publishing::create(&db, &draft("", "x"), pat, NOW).await.unwrap();
    let slugs = [
        publishing::get(&db, auto).await.unwrap().unwrap().slug,
        publishing::get(&db, again).await.unwrap().unwrap().slug,
    ];
    assert_eq!(slugs, ["alert-2026-12-02", "alert-2026-12-02-2"]);
}

#[tokio::test]
async fn an_incident_follows_its_latest_update_and_is_open_until_resolved() {
    let (_dir, db) = demo_db().await.unwrap();
    let pat = publisher(&db, "pat").await;
    let incident_draft =
        Draft { category: Some(BulletinCategory::Incident), ..draft("app-outage", "App 無法登入") };
    let id = publishing::create(&db, &incident_draft, pat, NOW).await.unwrap();
    assert!(incident::open(&db).await.unwrap().is_empty(), "a draft incident is no banner");
    publishing::publish(&db, id, When::Now, pat, NOW).await.unwrap();
    assert_eq!(incident::open(&db).await.unwrap()[0].state, IncidentState::Investigating);

    let earlier = NOW - time::Duration::hours(1);
    incident::append(&db, id, IncidentState::Identified, "找到原因", None, pat, NOW).await.unwrap();
    incident::append(&db, id, IncidentState::Investigating, "補記：一小時前開始", Some(earlier), pat, NOW)
        .await
        .unwrap();

    let timeline = incident::timeline(&db, id).await.unwrap();
    assert_eq!(
        timeline.iter().map(|u| u.body.as_str()).collect::<Vec<_>>(),
        ["補記：一小時前開始", "找到原因"]
    );
    assert!(timeline[0].backdated && !timeline[1].backdated);
    let open = incident::open(&db).await.unwrap();
    assert_eq!((open[0].state, open[0].latest.as_deref()), (IncidentState::Identified, Some("找到原因")));

    incident::append(&db, id, IncidentState::Resolved, "已恢復", None, pat, NOW).await.unwrap();
    assert!(incident::open(&db).await.unwrap().is_empty());
    let future = incident::append(
        &db,
        id,
        IncidentState::Resolved,
        "x",
        Some(NOW + time::Duration::hours(1)),
        pat,
        NOW,
    );
    assert!(matches!(future.await.unwrap_err(), StoreError::Publishing(Refusal::UpdateInFuture)));
    let not_incident = publishing::create(&db, &draft("plain", "x"), pat, NOW).await.unwrap();
    let err =
        incident::append(&db, not_incident, IncidentState::Resolved, "x", None, pat, NOW).await.unwrap_err();
    assert!(matches!(err, StoreError::Publishing(Refusal::NotAnIncident)), "{err}");
}

#[tokio::test]
async fn every_change_is_in_the_audit_log_and_the_chain_holds() {
    let (_dir, db) = demo_db().await.unwrap();
    let pat = publisher(&db, "pat").await;
    let id = publishing::create(&db, &draft("audited", "x"), pat, NOW).await.unwrap();
    publishing::publish(&db, id, When::Now, pat, NOW).await.unwrap();
    publishing::set_pinned(&db, id, true, pat, NOW).await.unwrap();
    publishing::unpublish(&db, id, pat, NOW).await.unwrap();

    let actions: Vec<(String,)> =
        sqlx::query_as("SELECT action FROM audit_log WHERE object = $1 ORDER BY id")
            .bind(format!("bulletin:{id}"))
            .fetch_all(&db)
            .await
            .unwrap();
    let actions: Vec<&str> = actions.iter().map(|(a,)| a.as_str()).collect();
    assert_eq!(actions, ["bulletin_create", "bulletin_publish", "bulletin_pin", "bulletin_unpublish"]);
    assert!(matches!(crate::audit::verify(&db).await.unwrap(), crate::audit::Verdict::Intact { .. }));
}
