//! The takedown database in the security console (analysts and admins): the list with its
//! search, filters, sort and pages; a status change for a selection or for every entry on one
//! hosting IP; one entry with its history, edited. Each change is a new data version, signed
//! in the entry's history and in the audit log.

use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use app::staff::takedowns::{EntryData, EntryRow, ListFilter, ListNotice, StepRow, TakedownsData};
use app::staff::StaffPage;
use app::state::AppState;
use engine::TakedownStatus;
use store::audit::Actor;
use store::takedown::list::{self, Filter, Sort};
use store::takedown::{self, Edit, Source};
use store::StoreError;

use super::session::Signed;
use super::{badge, client_of, render, StaffRequest};

/// Entries a list page shows.
const PER_PAGE: i64 = 50;

/// The list's query string.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    vendor: String,
    #[serde(default)]
    ip: String,
    #[serde(default)]
    sort: String,
    #[serde(default)]
    dir: String,
    #[serde(default)]
    removed: String,
    #[serde(default)]
    page: Option<i64>,
}

impl ListQuery {
    fn echo(&self) -> ListFilter {
        ListFilter {
            q: self.q.clone(),
            status: TakedownStatus::parse(&self.status).map(|s| s.code().to_owned()).unwrap_or_default(),
            source: Source::parse(&self.source).map(|s| s.code().to_owned()).unwrap_or_default(),
            vendor: self.vendor.clone(),
            ip: self.ip.clone(),
            sort: Sort::parse(&self.sort).unwrap_or_default().code().to_owned(),
            descending: self.dir != "asc",
            removed: !self.removed.is_empty(),
        }
    }

    fn filter(&self) -> Filter {
        Filter {
            q: self.q.chars().take(300).collect(),
            status: TakedownStatus::parse(&self.status),
            source: Source::parse(&self.source),
            vendor: self.vendor.clone(),
            hosting_ip: self.ip.clone(),
            include_removed: !self.removed.is_empty(),
        }
    }
}

/// A list row as the pages show it.
pub(super) fn row_of(r: list::Row) -> EntryRow {
    EntryRow {
        id: r.id,
        scope: r.scope,
        target: r.target,
        status: r.status,
        source: r.source,
        vendor: r.vendor,
        hosting_ip: r.hosting_ip.unwrap_or_default(),
        alert_id: r.alert_id.unwrap_or_default(),
        case_id: r.case_id.unwrap_or_default(),
        brand: r.brand,
        first_seen: r.first_seen,
        last_seen: r.last_seen,
        report_count: r.report_count,
        listed_on: r.listed_on,
        removed: r.removed,
    }
}

async fn show_list(
    state: &AppState,
    parts: Parts,
    signed: &Signed,
    query: &ListQuery,
    notice: Option<ListNotice>,
    status: StatusCode,
) -> Response {
    let page = query.page.unwrap_or(1).clamp(1, list::MAX_PAGE);
    let sort = Sort::parse(&query.sort).unwrap_or_default();
    match list::list(&state.db, &query.filter(), sort, query.dir != "asc", page, PER_PAGE).await {
        Ok(listing) => {
            let data = TakedownsData {
                who: badge(signed, state),
                rows: listing.rows.into_iter().map(row_of).collect(),
                total: listing.total,
                more: listing.more,
                page,
                per_page: PER_PAGE,
                filter: query.echo(),
                notice,
            };
            render(state, parts, StaffPage::Takedowns(Box::new(data)), status).await
        }
        Err(e) => unavailable(&e),
    }
}

/// The takedown database could not be read.
pub(super) fn unavailable(e: &StoreError) -> Response {
    tracing::warn!(error = %e, "reading the takedown database failed");
    super::guard::refuse(StatusCode::SERVICE_UNAVAILABLE, "The takedown database cannot be read just now.")
}

/// `GET /console/takedowns`.
pub async fn page(
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
    StaffRequest { parts, signed }: StaffRequest,
) -> Response {
    let notice = super::follow_up::notice_of(&parts, &signed);
    show_list(&state, parts, &signed, &query, notice, StatusCode::OK).await
}

/// A status change as a form sends it: `id` once per selected entry (or `campaign_ip`),
/// `status`, `note`; read by hand because a repeated field is a list.
#[derive(Debug, Default)]
struct StatusForm {
    ids: Vec<i64>,
    campaign_ip: String,
    status: String,
    note: String,
    notes: Option<String>,
}

fn read_status_form(body: &[u8]) -> StatusForm {
    let mut form = StatusForm::default();
    for (key, value) in url::form_urlencoded::parse(body) {
        match key.as_ref() {
            "id" => form.ids.extend(value.trim().parse::<i64>().ok()),
            "campaign_ip" => form.campaign_ip = value.trim().to_owned(),
            "status" => form.status = value.into_owned(),
            "note" => form.note = value.trim().to_owned(),
            "notes" => form.notes = Some(value.into_owned()),
            _ => {}
        }
    }
    form
}

/// Who is making a change, for the versions and the audit log.
pub(super) fn actor_of<'a>(
    state: &AppState,
    parts: &Parts,
    signed: &'a Signed,
    client: &'a mut String,
) -> Actor<'a> {
    *client = client_of(parts, state.staff.trust_proxy_headers);
    Actor { id: Some(signed.user.id), login: &signed.user.login, client }
}

/// What an edit did, for the page that shows its outcome.
fn outcome(
    edited: Result<Option<store::versions::Version>, StoreError>,
    count: usize,
) -> (ListNotice, StatusCode) {
    match edited {
        Ok(Some(version)) => (ListNotice::Changed { count, version: version.version }, StatusCode::OK),
        Ok(None) => (ListNotice::Nothing, StatusCode::OK),
        Err(StoreError::Refused(why)) => (ListNotice::Problem(why), StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => {
            tracing::warn!(error = %e, "changing takedown entries failed");
            (
                ListNotice::Problem(
                    "目前無法儲存，沒有任何變更。It could not be saved just now; nothing was changed.".into(),
                ),
                StatusCode::SERVICE_UNAVAILABLE,
            )
        }
    }
}

/// `POST /console/takedowns/status`: the selected entries, or every entry on `campaign_ip`,
/// to one status.
pub async fn change_status(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
    body: Bytes,
) -> Response {
    let form = read_status_form(&body);
    let back = ListQuery { ip: form.campaign_ip.clone(), ..ListQuery::default() };
    let Some(status) = TakedownStatus::parse(&form.status) else {
        let notice = ListNotice::Problem("請選擇新狀態。Choose the new status.".into());
        return show_list(&state, parts, &signed, &back, Some(notice), StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    };
    let ids = if form.campaign_ip.is_empty() {
        form.ids
    } else {
        match list::ids_on_ip(&state.db, &form.campaign_ip).await {
            Ok(ids) => ids,
            Err(e) => return unavailable(&e),
        }
    };
    let edit =
        Edit { status: Some(status), event_note: Some(form.note).filter(|n| !n.is_empty()), notes: None };
    let mut client = String::new();
    let actor = actor_of(&state, &parts, &signed, &mut client);
    let edited = takedown::edit_entries(&state.db, &ids, &edit, &actor).await;
    let count =
        edited.as_ref().ok().and_then(|v| v.as_ref()).map_or(0, |v| usize::try_from(v.changed).unwrap_or(0));
    let (notice, code) = outcome(edited, count);
    if code == StatusCode::OK {
        let back = if form.campaign_ip.is_empty() {
            "/console/takedowns".to_owned()
        } else {
            let ip: String = url::form_urlencoded::byte_serialize(form.campaign_ip.as_bytes()).collect();
            format!("/console/takedowns?ip={ip}")
        };
        return super::follow_up::redirect(&back, &signed, &notice);
    }
    show_list(&state, parts, &signed, &back, Some(notice), code).await
}

async fn show_entry(
    state: &AppState,
    parts: Parts,
    signed: &Signed,
    id: i64,
    notice: Option<ListNotice>,
    status: StatusCode,
) -> Response {
    match takedown::detail(&state.db, id).await {
        Ok(Some(detail)) => {
            let data = EntryData {
                who: badge(signed, state),
                url: detail.url.clone(),
                notes: detail.notes.clone(),
                steps: detail
                    .events
                    .iter()
                    .map(|e| StepRow {
                        status: e.status.clone(),
                        happened_on: e.happened_on.clone(),
                        actor: e.actor.clone(),
                        note: e.note.clone(),
                    })
                    .collect(),
                entry: EntryRow {
                    id: detail.id,
                    scope: detail.scope.clone(),
                    target: detail.target.clone(),
                    status: detail.status.clone(),
                    source: detail.source.clone(),
                    vendor: detail.vendor.clone(),
                    hosting_ip: detail.hosting_ip.clone().unwrap_or_default(),
                    alert_id: detail.alert_id.clone().unwrap_or_default(),
                    case_id: detail.case_id.clone().unwrap_or_default(),
                    brand: detail.brand.clone(),
                    first_seen: detail.first_seen.clone(),
                    last_seen: detail.last_seen.clone(),
                    report_count: detail.report_count,
                    listed_on: detail.listed_on.clone(),
                    removed: detail.removed,
                },
                notice,
            };
            render(state, parts, StaffPage::TakedownEntry(Box::new(data)), status).await
        }
        Ok(None) => super::guard::refuse(StatusCode::NOT_FOUND, "There is no such takedown entry."),
        Err(e) => unavailable(&e),
    }
}

/// `GET /console/takedowns/{id}`.
pub async fn entry(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    StaffRequest { parts, signed }: StaffRequest,
) -> Response {
    show_entry(&state, parts, &signed, id, None, StatusCode::OK).await
}

/// `POST /console/takedowns/{id}`: a new status (with a note) and the notes.
pub async fn edit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    StaffRequest { parts, signed }: StaffRequest,
    request: Request,
) -> Response {
    let body = match axum::body::to_bytes(request.into_body(), super::FORM_BYTES).await {
        Ok(body) => body,
        Err(_) => return super::guard::refuse(StatusCode::PAYLOAD_TOO_LARGE, "The form is too large."),
    };
    let form = read_status_form(&body);
    let edit = Edit {
        status: TakedownStatus::parse(&form.status),
        event_note: Some(form.note).filter(|n| !n.is_empty()),
        notes: form.notes.map(|n| n.replace("\r\n", "\n")),
    };
    let mut client = String::new();
    let actor = actor_of(&state, &parts, &signed, &mut client);
    let edited = takedown::edit_entries(&state.db, &[id], &edit, &actor).await;
    if matches!(edited, Ok(Some(_))) {
        return Redirect::to(&format!("/console/takedowns/{id}")).into_response();
    }
    let (notice, code) = outcome(edited, 1);
    show_entry(&state, parts, &signed, id, Some(notice), code).await
}
