//! Bulletin publishing on the server (`/console/bulletins`): the list, the editor and its
//! preview (the public component, rendered here from the text in the form), the actions
//! (save, preview, publish, schedule, unpublish, pin, a second publisher's decision, an
//! incident update, restore), the revisions and the templates. Every rule is the store's
//! (`store::bulletin::publishing`); a refusal comes back as its page with the form as it was
//! sent and the store's sentence: 422, 409 for an editor opened on an older revision, 403
//! for a role that may not.

use axum::extract::{Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;

use app::staff::publishing::{
    BulletinRow, BulletinsData, DraftForm, EditorData, Meanwhile, PublishEffect, PublishingNotice,
    PublishingProblem, RevisionRow, RevisionsData, TemplateView, TemplatesData, UpdateForm, UpdateRow,
    WaitingView,
};
use app::staff::StaffPage;
use app::state::AppState;
use store::audit::Actor;
use store::bulletin::publishing::{self, Editorial, Filter, Outcome, Refusal, When};
use store::bulletin::{incident, template, BulletinCategory, BulletinStatus, IncidentState, Language};
use store::staff::Role;
use store::StoreError;

use super::session::Signed;
use super::{badge, client_of, render, StaffRequest};

/// The largest bulletin form, in bytes: the longest text the store takes
/// ([`publishing::MAX_BODY_CHARS`] characters) as a browser encodes it, Chinese included.
pub const BULLETIN_FORM_BYTES: usize = 2 * 1024 * 1024;

/// How many bulletins the list shows.
const LIST_LIMIT: i64 = 200;

fn taipei() -> time::UtcOffset {
    time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC)
}

fn parse_stamp(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
}

/// A stored time as publishers read it: `2026-12-05 09:00`, Taiwan time.
pub fn taiwan_minute(rfc3339: &str) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    parse_stamp(rfc3339)
        .and_then(|at| at.to_offset(taipei()).format(format).ok())
        .unwrap_or_else(|| rfc3339.to_owned())
}

/// A form's fields, in order, read up to [`BULLETIN_FORM_BYTES`]; `None` when larger.
async fn read_fields(request: Request) -> Option<Vec<(String, String)>> {
    let bytes = axum::body::to_bytes(request.into_body(), BULLETIN_FORM_BYTES).await.ok()?;
    Some(url::form_urlencoded::parse(&bytes).into_owned().collect())
}

fn field(fields: &[(String, String)], name: &str) -> String {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.replace("\r\n", "\n")).unwrap_or_default()
}

/// Whether the form posted to `path` carries a whole bulletin (or template) text, and so
/// may be as large as [`BULLETIN_FORM_BYTES`].
pub fn takes_a_whole_text(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("/console/bulletins/") else { return false };
    if rest == "new"
        || rest == "templates"
        || rest.strip_prefix("templates/").is_some_and(|id| id.parse::<i64>().is_ok())
    {
        return true;
    }
    rest.split_once('/').is_some_and(|(id, action)| {
        id.parse::<i64>().is_ok() && matches!(action, "save" | "preview" | "preview-fragment")
    })
}

/// Over [`BULLETIN_FORM_BYTES`]: said in the publisher's words (nothing was read or saved).
pub fn too_large() -> Response {
    super::guard::refuse(
        StatusCode::PAYLOAD_TOO_LARGE,
        "What was sent is too large, so nothing was saved. Make the text shorter.",
    )
}

/// What a store error means for the publisher: the words and the status.
fn problem_of(error: &StoreError) -> (PublishingProblem, StatusCode) {
    match error {
        StoreError::Publishing(Refusal::Stale) => {
            (PublishingProblem::Stale(Refusal::Stale.to_string()), StatusCode::CONFLICT)
        }
        StoreError::Publishing(Refusal::NotAPublisher) => {
            (PublishingProblem::NotYourRole, StatusCode::FORBIDDEN)
        }
        StoreError::Publishing(Refusal::NoSuchBulletin | Refusal::NoSuchRevision) => {
            (PublishingProblem::Refused(error.to_string()), StatusCode::NOT_FOUND)
        }
        StoreError::Publishing(refusal) => {
            (PublishingProblem::Refused(refusal.to_string()), StatusCode::UNPROCESSABLE_ENTITY)
        }
        StoreError::Refused(why) | StoreError::Duplicate(why) => {
            (PublishingProblem::Refused(why.clone()), StatusCode::UNPROCESSABLE_ENTITY)
        }
        other => {
            tracing::warn!(error = %other, "bulletin publishing failed");
            (PublishingProblem::Unavailable, StatusCode::SERVICE_UNAVAILABLE)
        }
    }
}

fn unavailable(error: &StoreError) -> Response {
    tracing::warn!(error = %error, "reading bulletins failed");
    super::guard::refuse(
        StatusCode::SERVICE_UNAVAILABLE,
        "Bulletins cannot be read just now. Try again shortly.",
    )
}

/// The answer to an action that did what it was asked: its page by GET, with the notice in
/// `?done=` (Post/Redirect/Get), so that reloading the page does not act again.
fn done_at(path: &str, notice: &PublishingNotice) -> Response {
    Redirect::to(&format!("{path}?done={}", notice.done_code())).into_response()
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "There is no such bulletin.\n").into_response()
}

// ---------------------------------------------------------------------------------------
// The list

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    language: String,
    /// Start the new-bulletin form from this template.
    #[serde(default)]
    template: Option<String>,
    /// What the action before the redirect did (`PublishingNotice::done_code`).
    #[serde(default)]
    done: String,
}

fn row_of(l: publishing::Listed) -> BulletinRow {
    BulletinRow {
        id: l.id,
        slug: l.slug,
        language: l.language.code().to_owned(),
        category: l.category.code().to_owned(),
        status: l.status.code().to_owned(),
        pinned: l.pinned,
        title: l.title,
        updated: taiwan_minute(&l.updated_at),
        publish_at: l
            .publish_at
            .as_deref()
            .filter(|_| l.status == BulletinStatus::Scheduled)
            .map(taiwan_minute),
        pending: l.pending,
        waiting: l.waiting,
    }
}

fn waiting_of(request: &publishing::ApprovalRequest, bulletin_id: i64, title: String) -> WaitingView {
    WaitingView {
        bulletin_id,
        title,
        requester: request.requester.clone(),
        requested_at: taiwan_minute(&request.requested_at),
        publish_at: request.publish_at.as_deref().map(taiwan_minute),
    }
}

fn template_view(t: &template::Template) -> TemplateView {
    let mut placeholders = template::placeholders(&t.title);
    for p in template::placeholders(&t.body) {
        if !placeholders.contains(&p) {
            placeholders.push(p);
        }
    }
    TemplateView {
        id: t.id,
        name: t.name.clone(),
        category: t.category.code().to_owned(),
        language: t.language.code().to_owned(),
        title: t.title.clone(),
        body: t.body.clone(),
        placeholders,
        updated_by: t.updated_by.clone(),
        updated_at: taiwan_minute(&t.updated_at),
    }
}

struct ListView {
    filter: (String, String, String),
    draft: DraftForm,
    notice: Option<PublishingNotice>,
    problem: Option<PublishingProblem>,
}

async fn show_list(
    state: &AppState,
    parts: Parts,
    signed: &Signed,
    view: ListView,
    status: StatusCode,
) -> Response {
    let (s, c, l) = &view.filter;
    let filter = Filter {
        status: BulletinStatus::parse(s),
        category: BulletinCategory::parse(c),
        language: Language::parse(l),
    };
    let loaded = async {
        let rows = publishing::list(&state.db, filter, LIST_LIMIT).await?;
        let waiting = publishing::waiting_requests(&state.db).await?;
        let templates = template::all(&state.db).await?;
        let second_approval = publishing::second_approval(&state.db).await?;
        Ok::<_, StoreError>((rows, waiting, templates, second_approval))
    };
    let (rows, waiting, templates, second_approval) = match loaded.await {
        Ok(loaded) => loaded,
        Err(e) => return unavailable(&e),
    };
    let mut waiting_views = Vec::new();
    for (bulletin, request) in &waiting {
        let title = rows.iter().find(|r| r.id == *bulletin).map(|r| r.title.clone());
        let title = match title {
            Some(title) => title,
            None => match publishing::get(&state.db, *bulletin).await {
                Ok(Some(e)) => e.head.title,
                _ => format!("#{bulletin}"),
            },
        };
        waiting_views.push(waiting_of(request, *bulletin, title));
    }
    let data = BulletinsData {
        who: badge(signed, state),
        notice: view.notice,
        problem: view.problem,
        status: filter.status.map(|s| s.code().to_owned()).unwrap_or_default(),
        category: filter.category.map(|c| c.code().to_owned()).unwrap_or_default(),
        language: filter.language.map(|l| l.code().to_owned()).unwrap_or_default(),
        rows: rows.into_iter().map(row_of).collect(),
        waiting: waiting_views,
        templates: templates.iter().map(template_view).collect(),
        draft: view.draft,
        can_publish: signed.user.has(Role::Publisher),
        can_configure: signed.user.has(Role::Admin),
        second_approval,
    };
    render(state, parts, StaffPage::Bulletins(Box::new(data)), status).await
}

/// `GET /console/bulletins?status=&category=&language=` (and `&template=` to start from one).
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
    StaffRequest { parts, signed }: StaffRequest,
) -> Response {
    let mut draft = DraftForm { language: "zh-TW".into(), category: "alert".into(), ..DraftForm::default() };
    let chosen = query.template.as_deref().and_then(|t| t.parse::<i64>().ok()).filter(|id| *id > 0);
    if let Some(id) = chosen {
        match template::get(&state.db, id).await {
            Ok(Some(t)) => {
                let view = template_view(&t);
                draft = DraftForm {
                    language: view.language,
                    category: view.category,
                    title: view.title,
                    body: view.body,
                    template: id,
                    placeholders: view.placeholders.into_iter().map(|p| (p, String::new())).collect(),
                    ..DraftForm::default()
                };
            }
            Ok(None) => {}
            Err(e) => return unavailable(&e),
        }
    }
    let notice = PublishingNotice::from_done(&query.done, None);
    let view =
        ListView { filter: (query.status, query.category, query.language), draft, notice, problem: None };
    show_list(&state, parts, &signed, view, StatusCode::OK).await
}

/// `POST /console/bulletins/new` (publishers): a draft, from the form or from a template
/// whose placeholders the form fills.
pub async fn create(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
    request: Request,
) -> Response {
    let Some(fields) = read_fields(request).await else { return too_large() };
    let placeholders: Vec<(String, String)> = fields
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("ph_").map(|name| (name.to_owned(), v.trim().to_owned())))
        .collect();
    let form = DraftForm {
        slug: field(&fields, "slug").trim().to_owned(),
        language: field(&fields, "language"),
        category: field(&fields, "category"),
        title: field(&fields, "title"),
        body: field(&fields, "body"),
        listed: field(&fields, "listed"),
        translation_of: field(&fields, "translation_of").trim().to_owned(),
        template: field(&fields, "template").parse().unwrap_or(0),
        placeholders: placeholders.clone(),
    };
    let draft = publishing::Draft {
        slug: form.slug.clone(),
        language: Language::parse(&form.language),
        category: BulletinCategory::parse(&form.category),
        title: template::fill(&form.title, &placeholders),
        body: template::fill(&form.body, &placeholders),
        listed: form.listed.clone(),
        translation_of: form.translation_of.clone(),
    };
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    let actor = Actor { id: Some(signed.user.id), login: &signed.user.login, client: &client };
    match publishing::create(&state.db, &draft, actor, OffsetDateTime::now_utc()).await {
        Ok(id) => done_at(&format!("/console/bulletins/{id}"), &PublishingNotice::Created),
        Err(e) => {
            let (problem, status) = problem_of(&e);
            let view =
                ListView { filter: Default::default(), draft: form, notice: None, problem: Some(problem) };
            show_list(&state, parts, &signed, view, status).await
        }
    }
}

/// `POST /console/bulletins/settings` (admins): the second publisher's approval on or off.
pub async fn settings(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
    request: Request,
) -> Response {
    let Some(fields) = read_fields(request).await else { return too_large() };
    let on = field(&fields, "second_approval") == "on";
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    let actor = Actor { id: Some(signed.user.id), login: &signed.user.login, client: &client };
    match publishing::set_second_approval(&state.db, on, actor, OffsetDateTime::now_utc()).await {
        Ok(()) => done_at("/console/bulletins", &PublishingNotice::SecondApproval(on)),
        Err(e) => {
            let (problem, status) = problem_of(&e);
            let view = ListView {
                filter: Default::default(),
                draft: DraftForm::default(),
                notice: None,
                problem: Some(problem),
            };
            show_list(&state, parts, &signed, view, status).await
        }
    }
}

// ---------------------------------------------------------------------------------------
// The editor

/// The text in the editor's form, when it is not the saved head.
#[derive(Clone, Debug, Default)]
struct Typed {
    title: String,
    body: String,
    listed: String,
}

fn typed_of(fields: &[(String, String)]) -> Typed {
    Typed { title: field(fields, "title"), body: field(fields, "body"), listed: field(fields, "listed") }
}

/// A bulletin as readers would see it with `text`: the editor's preview.
fn bulletin_for_preview(e: &Editorial, text: &Typed) -> store::Bulletin {
    let now = store::now_rfc3339();
    let publish_at = e.publish_at.clone().unwrap_or_else(|| now.clone());
    let published_on = parse_stamp(&publish_at)
        .map(|at| {
            let d = at.to_offset(taipei()).date();
            format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
        })
        .unwrap_or_else(store::today_in_taiwan);
    store::Bulletin {
        id: e.id,
        slug: e.slug.clone(),
        language: e.language,
        category: e.category,
        title: text.title.trim().to_owned(),
        body: text.body.clone(),
        listed: text.listed.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect(),
        pinned: e.pinned,
        published_on,
        publish_at,
        updated_at: e.updated_at.clone(),
        incident: e.incident,
    }
}

/// What the editor shows besides the editorial: a notice or a problem, the form's text when
/// it is not the head's, and the forms of the other actions as they were sent.
#[derive(Default)]
struct EditorView {
    notice: Option<PublishingNotice>,
    /// The `?done=` code of the action before the redirect.
    done: String,
    problem: Option<PublishingProblem>,
    typed: Option<Typed>,
    update: UpdateForm,
    schedule_at: String,
    meanwhile: bool,
    /// The head the form carries on (a stale save keeps the one it was opened on).
    opened_head: Option<i64>,
}

async fn show_editor(
    state: &AppState,
    parts: Parts,
    signed: &Signed,
    id: i64,
    view: EditorView,
    status: StatusCode,
) -> Response {
    let loaded = async {
        let Some(e) = publishing::get(&state.db, id).await? else { return Ok(None) };
        let timeline = incident::timeline(&state.db, id).await?;
        let second_approval = publishing::second_approval(&state.db).await?;
        Ok::<_, StoreError>(Some((e, timeline, second_approval)))
    };
    let (e, timeline, second_approval) = match loaded.await {
        Ok(Some(loaded)) => loaded,
        Ok(None) => return not_found(),
        Err(e) => return unavailable(&e),
    };
    let scheduled_at = e.publish_at.as_deref().map(taiwan_minute);
    let notice = view.notice.or_else(|| PublishingNotice::from_done(&view.done, scheduled_at.as_deref()));
    let head_text =
        Typed { title: e.head.title.clone(), body: e.head.body.clone(), listed: e.head.listed.clone() };
    let unsaved = view.typed.is_some();
    let text = view.typed.unwrap_or(head_text);
    let other = e.translation.as_ref().map(|(_, slug, language)| (language.code().to_owned(), slug.clone()));
    let preview =
        app::staff::publishing::preview_article(state, &bulletin_for_preview(&e, &text), &timeline, other);
    let effect = if second_approval {
        PublishEffect::NeedsApproval
    } else if e.status == BulletinStatus::Published {
        if e.pending() {
            PublishEffect::ChangeGoesLive
        } else {
            PublishEffect::NothingToPublish
        }
    } else {
        PublishEffect::GoesLive
    };
    let meanwhile = view.meanwhile.then(|| Meanwhile {
        author: e.head.author.clone(),
        saved_at: taiwan_minute(&e.head.saved_at),
        title: e.head.title.clone(),
        body: e.head.body.clone(),
        listed: e.head.listed.clone(),
    });
    let data = EditorData {
        who: badge(signed, state),
        notice,
        problem: view.problem,
        id,
        slug: e.slug.clone(),
        language: e.language.code().to_owned(),
        category: e.category.code().to_owned(),
        status: e.status.code().to_owned(),
        pinned: e.pinned,
        publish_at: e.publish_at.as_deref().map(taiwan_minute),
        incident: e.incident.map(|s| s.code().to_owned()),
        translation: e
            .translation
            .as_ref()
            .map(|(tid, slug, language)| (*tid, slug.clone(), language.code().to_owned())),
        opened_head: view.opened_head.unwrap_or(e.head.id),
        title: text.title,
        body: text.body,
        listed: text.listed,
        pending: e.pending(),
        effect,
        waiting: e.waiting.as_ref().map(|w| waiting_of(w, id, e.head.title.clone())),
        own_request: e.waiting.as_ref().is_some_and(|w| w.requested_by == signed.user.id),
        second_approval,
        preview,
        unsaved_preview: unsaved,
        timeline: timeline
            .iter()
            .map(|u| UpdateRow {
                state: u.state.code().to_owned(),
                at: taiwan_minute(&u.happened_at),
                text: u.body.clone(),
                author: u.author.clone(),
                backdated: u.backdated,
            })
            .collect(),
        update: view.update,
        schedule_at: view.schedule_at,
        meanwhile,
    };
    render(state, parts, StaffPage::BulletinEditor(Box::new(data)), status).await
}

#[derive(Debug, Default, Deserialize)]
pub struct EditorQuery {
    #[serde(default)]
    done: String,
}

/// `GET /console/bulletins/{id}`.
pub async fn editor(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<EditorQuery>,
    StaffRequest { parts, signed }: StaffRequest,
) -> Response {
    let view = EditorView { done: query.done, ..EditorView::default() };
    show_editor(&state, parts, &signed, id, view, StatusCode::OK).await
}

/// `POST /console/bulletins/{id}/{action}`: save, preview, preview-fragment, publish,
/// schedule, unpublish, pin, decide, incident, restore.
pub async fn act(
    State(state): State<AppState>,
    Path((id, action)): Path<(i64, String)>,
    StaffRequest { parts, signed }: StaffRequest,
    request: Request,
) -> Response {
    let Some(fields) = read_fields(request).await else { return too_large() };
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    let actor = Actor { id: Some(signed.user.id), login: &signed.user.login, client: &client };
    let now = OffsetDateTime::now_utc();
    let db = &state.db;
    let mut view = EditorView::default();
    let done: Result<PublishingNotice, StoreError> = match action.as_str() {
        "preview-fragment" => return fragment(&state, parts, id, typed_of(&fields)).await,
        "restore" => return restore(&state, parts, &signed, id, &fields).await,
        "preview" => {
            let typed = typed_of(&fields);
            view.opened_head = field(&fields, "opened_head").parse().ok();
            let checked = publishing::check_text(&typed.title, &typed.body);
            view.typed = Some(typed);
            checked.map(|()| PublishingNotice::Previewed).map_err(StoreError::from)
        }
        "save" => {
            let typed = typed_of(&fields);
            let opened: i64 = field(&fields, "opened_head").parse().unwrap_or(-1);
            let saved =
                publishing::save(db, id, &typed.title, &typed.body, &typed.listed, opened, actor, now).await;
            if saved.is_err() {
                // Nothing typed is lost: the form comes back as it was sent.
                view.typed = Some(typed);
                // A stale editor sees what was saved meanwhile, and may save over it knowingly.
                view.meanwhile = matches!(saved, Err(StoreError::Publishing(Refusal::Stale)));
                if !view.meanwhile {
                    view.opened_head = Some(opened);
                }
            }
            saved.map(|_| PublishingNotice::Saved)
        }
        "publish" => publishing::publish(db, id, When::Now, actor, now).await.map(|o| outcome_notice(&o)),
        "schedule" => {
            let at = field(&fields, "at");
            view.schedule_at = at.clone();
            match incident::parse_taiwan_time(&at) {
                Ok(when) => {
                    publishing::publish(db, id, When::At(when), actor, now).await.map(|o| outcome_notice(&o))
                }
                Err(_) => Err(StoreError::Refused(
                    "the time to publish is not a time: write it as 2026-12-05 09:00 (Taiwan time)".into(),
                )),
            }
        }
        "unpublish" => {
            publishing::unpublish(db, id, actor, now).await.map(|()| PublishingNotice::Unpublished)
        }
        "pin" => {
            let pinned = field(&fields, "pinned") == "on";
            publishing::set_pinned(db, id, pinned, actor, now)
                .await
                .map(|()| PublishingNotice::Pinned(pinned))
        }
        "decide" => {
            let approve = field(&fields, "decision") == "approve";
            publishing::decide(db, id, approve, &field(&fields, "note"), actor, now).await.map(|_| {
                if approve {
                    PublishingNotice::Approved
                } else {
                    PublishingNotice::Rejected
                }
            })
        }
        "incident" => {
            let form = UpdateForm {
                state: field(&fields, "state"),
                text: field(&fields, "text"),
                at: field(&fields, "at"),
            };
            let added = async {
                let state_code = IncidentState::parse(&form.state)
                    .ok_or_else(|| StoreError::Refused("choose the incident's state".into()))?;
                let at = match form.at.trim() {
                    "" => None,
                    at => Some(incident::parse_taiwan_time(at)?),
                };
                incident::append(db, id, state_code, &form.text, at, actor, now).await
            };
            let added = added.await;
            if added.is_err() {
                view.update = form;
            }
            added.map(|_| PublishingNotice::UpdateAdded)
        }
        _ => return not_found(),
    };
    let status = match done {
        // A preview writes nothing: its answer is the page with the text as typed.
        Ok(notice @ PublishingNotice::Previewed) => {
            view.notice = Some(notice);
            StatusCode::OK
        }
        Ok(notice) => return done_at(&format!("/console/bulletins/{id}"), &notice),
        Err(e) => {
            let (problem, status) = problem_of(&e);
            if status == StatusCode::NOT_FOUND {
                return not_found();
            }
            view.problem = Some(problem);
            status
        }
    };
    show_editor(&state, parts, &signed, id, view, status).await
}

fn outcome_notice(outcome: &Outcome) -> PublishingNotice {
    match outcome {
        Outcome::Published => PublishingNotice::Published,
        Outcome::Scheduled(at) => PublishingNotice::Scheduled(taiwan_minute(at)),
        Outcome::Waiting(_) => PublishingNotice::Waiting,
    }
}

/// `POST /console/bulletins/{id}/preview-fragment`: the public component for the text sent,
/// as HTML for the live preview; nothing is saved.
async fn fragment(state: &AppState, parts: Parts, id: i64, typed: Typed) -> Response {
    let e = match publishing::get(&state.db, id).await {
        Ok(Some(e)) => e,
        Ok(None) => return not_found(),
        Err(e) => return unavailable(&e),
    };
    if let Err(refusal) = publishing::check_text(&typed.title, &typed.body) {
        return (StatusCode::UNPROCESSABLE_ENTITY, format!("{refusal}\n")).into_response();
    }
    let timeline = match incident::timeline(&state.db, id).await {
        Ok(timeline) => timeline,
        Err(e) => return unavailable(&e),
    };
    let other = e.translation.as_ref().map(|(_, slug, language)| (language.code().to_owned(), slug.clone()));
    let article =
        app::staff::publishing::preview_article(state, &bulletin_for_preview(&e, &typed), &timeline, other);
    let html = app::staff::publishing::article_html(parts, article);
    let mut response = (StatusCode::OK, html).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response
}

// ---------------------------------------------------------------------------------------
// Revisions

#[allow(clippy::too_many_arguments)]
async fn show_revisions(
    state: &AppState,
    parts: Parts,
    signed: &Signed,
    id: i64,
    compare: Option<i64>,
    notice: Option<PublishingNotice>,
    problem: Option<PublishingProblem>,
    status: StatusCode,
) -> Response {
    let loaded = async {
        let Some(e) = publishing::get(&state.db, id).await? else { return Ok(None) };
        let revisions = publishing::revisions(&state.db, id).await?;
        Ok::<_, StoreError>(Some((e, revisions)))
    };
    let (e, revisions) = match loaded.await {
        Ok(Some(loaded)) => loaded,
        Ok(None) => return not_found(),
        Err(e) => return unavailable(&e),
    };
    let compare = compare.and_then(|rev| revisions.iter().find(|r| r.id == rev)).map(|old| {
        let text = |r: &publishing::Revision| format!("{}\n\n{}\n\n{}", r.title, r.body, r.listed);
        (old.id, app::staff::publishing::line_diff(&text(old), &text(&e.head)))
    });
    let data = RevisionsData {
        who: badge(signed, state),
        notice,
        problem,
        id,
        slug: e.slug.clone(),
        title: e.head.title.clone(),
        head: e.head.id,
        revisions: revisions
            .into_iter()
            .map(|r| RevisionRow {
                id: r.id,
                author: r.author,
                saved_at: taiwan_minute(&r.saved_at),
                restored_from: r.restored_from,
                title: r.title,
            })
            .collect(),
        compare,
    };
    render(state, parts, StaffPage::BulletinRevisions(Box::new(data)), status).await
}

#[derive(Debug, Default, Deserialize)]
pub struct RevisionsQuery {
    #[serde(default)]
    compare: Option<String>,
    #[serde(default)]
    done: String,
}

/// `GET /console/bulletins/{id}/revisions?compare=REV`.
pub async fn revisions(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<RevisionsQuery>,
    StaffRequest { parts, signed }: StaffRequest,
) -> Response {
    let compare = query.compare.as_deref().and_then(|c| c.parse().ok());
    let notice = PublishingNotice::from_done(&query.done, None);
    show_revisions(&state, parts, &signed, id, compare, notice, None, StatusCode::OK).await
}

/// `POST /console/bulletins/{id}/restore`: an earlier revision's text as a new revision.
async fn restore(
    state: &AppState,
    parts: Parts,
    signed: &Signed,
    id: i64,
    fields: &[(String, String)],
) -> Response {
    let revision: i64 = field(fields, "revision").parse().unwrap_or(-1);
    let opened: i64 = field(fields, "opened_head").parse().unwrap_or(-1);
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    let actor = Actor { id: Some(signed.user.id), login: &signed.user.login, client: &client };
    match publishing::restore(&state.db, id, revision, opened, actor, OffsetDateTime::now_utc()).await {
        Ok(_) => {
            done_at(&format!("/console/bulletins/{id}/revisions"), &PublishingNotice::Restored(revision))
        }
        Err(e) => {
            let (problem, status) = problem_of(&e);
            show_revisions(state, parts, signed, id, Some(revision), None, Some(problem), status).await
        }
    }
}

// ---------------------------------------------------------------------------------------
// Templates

#[allow(clippy::too_many_arguments)]
async fn show_templates(
    state: &AppState,
    parts: Parts,
    signed: &Signed,
    chosen: i64,
    form: Option<TemplateView>,
    notice: Option<PublishingNotice>,
    problem: Option<PublishingProblem>,
    status: StatusCode,
) -> Response {
    let templates = match template::all(&state.db).await {
        Ok(templates) => templates,
        Err(e) => return unavailable(&e),
    };
    if chosen != 0 && !templates.iter().any(|t| t.id == chosen) {
        return (StatusCode::NOT_FOUND, "There is no such template.\n").into_response();
    }
    let views: Vec<TemplateView> = templates.iter().map(template_view).collect();
    let form = form.unwrap_or_else(|| {
        views.iter().find(|t| t.id == chosen).cloned().unwrap_or_else(|| TemplateView {
            category: "alert".into(),
            language: "zh-TW".into(),
            ..TemplateView::default()
        })
    });
    let data = TemplatesData {
        who: badge(signed, state),
        notice,
        problem,
        templates: views,
        chosen,
        form,
        editable: signed.user.has(Role::Admin),
        can_publish: signed.user.has(Role::Publisher),
    };
    render(state, parts, StaffPage::BulletinTemplates(Box::new(data)), status).await
}

/// `GET /console/bulletins/templates`.
pub async fn templates(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
) -> Response {
    show_templates(&state, parts, &signed, 0, None, None, None, StatusCode::OK).await
}

/// `GET /console/bulletins/templates/{id}` (`?done=` after a save).
pub async fn template_page(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<EditorQuery>,
    StaffRequest { parts, signed }: StaffRequest,
) -> Response {
    let notice = PublishingNotice::from_done(&query.done, None);
    show_templates(&state, parts, &signed, id, None, notice, None, StatusCode::OK).await
}

/// `POST /console/bulletins/templates` (a new one) and `POST /console/bulletins/templates/{id}`
/// (admins; publishers only read and use them).
async fn save_template(state: AppState, id: Option<i64>, staff: StaffRequest, request: Request) -> Response {
    let StaffRequest { parts, signed } = staff;
    let chosen = id.unwrap_or(0);
    if !signed.user.has(Role::Admin) {
        // The list, whatever the id: a publisher learns nothing of templates by posting.
        let problem = Some(PublishingProblem::NotYourRole);
        return show_templates(&state, parts, &signed, 0, None, None, problem, StatusCode::FORBIDDEN).await;
    }
    let Some(fields) = read_fields(request).await else { return too_large() };
    let form = TemplateView {
        id: chosen,
        name: field(&fields, "name"),
        category: field(&fields, "category"),
        language: field(&fields, "language"),
        title: field(&fields, "title"),
        body: field(&fields, "body"),
        ..TemplateView::default()
    };
    let (Some(category), Some(language)) =
        (BulletinCategory::parse(&form.category), Language::parse(&form.language))
    else {
        let problem = Some(PublishingProblem::BadForm);
        return show_templates(
            &state,
            parts,
            &signed,
            chosen,
            Some(form),
            None,
            problem,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let text = template::TemplateText {
        name: form.name.clone(),
        category,
        language,
        title: form.title.clone(),
        body: form.body.clone(),
    };
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    let actor = Actor { id: Some(signed.user.id), login: &signed.user.login, client: &client };
    match template::save(&state.db, id, &text, actor, OffsetDateTime::now_utc()).await {
        Ok(saved) => {
            done_at(&format!("/console/bulletins/templates/{saved}"), &PublishingNotice::TemplateSaved)
        }
        Err(e) => {
            let (problem, status) = match template::is_refusal(&e) {
                Some(why) => (PublishingProblem::Refused(why), StatusCode::UNPROCESSABLE_ENTITY),
                None => problem_of(&e),
            };
            show_templates(&state, parts, &signed, chosen, Some(form), None, Some(problem), status).await
        }
    }
}

pub async fn add_template(State(state): State<AppState>, staff: StaffRequest, request: Request) -> Response {
    save_template(state, None, staff, request).await
}

pub async fn edit_template(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    staff: StaffRequest,
    request: Request,
) -> Response {
    save_template(state, Some(id), staff, request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_time_reads_as_taiwan_time_to_the_minute() {
        assert_eq!(taiwan_minute("2026-12-05T01:30:00Z"), "2026-12-05 09:30");
        assert_eq!(taiwan_minute("2026-12-04T16:00:00Z"), "2026-12-05 00:00");
        assert_eq!(taiwan_minute("not a time"), "not a time");
    }

    #[test]
    fn only_the_forms_that_carry_a_whole_text_take_a_large_body() {
        assert!(takes_a_whole_text("/console/bulletins/new"));
        assert!(takes_a_whole_text("/console/bulletins/12/save"));
        assert!(takes_a_whole_text("/console/bulletins/12/preview-fragment"));
        assert!(takes_a_whole_text("/console/bulletins/templates/3"));
        assert!(!takes_a_whole_text("/console/bulletins/12/publish"));
        assert!(!takes_a_whole_text("/console/bulletins/x/save"));
        assert!(!takes_a_whole_text("/console/check"));
    }

    #[test]
    fn a_stale_save_is_a_conflict_and_a_refusal_is_unprocessable() {
        assert_eq!(problem_of(&Refusal::Stale.into()).1, StatusCode::CONFLICT);
        assert_eq!(problem_of(&Refusal::TitleEmpty.into()).1, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(problem_of(&Refusal::NotAPublisher.into()).1, StatusCode::FORBIDDEN);
        assert_eq!(problem_of(&Refusal::NoSuchBulletin.into()).1, StatusCode::NOT_FOUND);
    }
}
