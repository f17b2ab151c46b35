//! Campaigns in the security console (analysts and admins): the active takedown entries
//! grouped by hosting IP, name pattern and path pattern (`store::takedown::campaigns`, kept
//! per data version), one group's entries, and one status change for a whole group as one
//! new data version. The change names the version the analyst looked at: a group whose data
//! moved on since is shown again rather than changed unseen.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use app::staff::campaigns::{CampaignNotice, CampaignRow, CampaignsData, OpenCampaign};
use app::staff::StaffPage;
use app::state::AppState;
use engine::TakedownStatus;
use store::takedown::campaigns::{Campaign, CampaignKind, Campaigns};
use store::takedown::{self, list, Edit, MAX_EDIT_SELECTION};
use store::StoreError;

use super::session::Signed;
use super::takedowns::{actor_of, row_of, unavailable};
use super::{badge, render, StaffRequest};

/// Groups a page lists, and entries a group's page lists.
const PER_PAGE: usize = 50;

/// The campaigns page's query string: the list (`kind`, `q`, `page`), or one group
/// (`kind`, `pattern`, `page`).
#[derive(Debug, Default, Deserialize)]
pub struct CampaignsQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    pattern: String,
    #[serde(default)]
    page: Option<usize>,
}

fn row_of_campaign(group: &Campaign) -> CampaignRow {
    CampaignRow {
        kind: group.kind.code().to_owned(),
        pattern: group.pattern.clone(),
        count: group.ids.len(),
        statuses: group.statuses.iter().map(|(s, n)| (s.code().to_owned(), *n)).collect(),
        hosting_ips: group.hosting_ips.clone(),
        distinct_ips: group.distinct_ips,
    }
}

/// The pages `total` items make, and `page` kept inside them.
fn paged(total: usize, page: Option<usize>) -> (usize, usize) {
    let pages = total.div_ceil(PER_PAGE).max(1);
    (page.unwrap_or(1).clamp(1, pages), pages)
}

async fn show(
    state: &AppState,
    parts: Parts,
    signed: &Signed,
    query: &CampaignsQuery,
    notice: Option<CampaignNotice>,
    status: StatusCode,
) -> Response {
    let campaigns = match state.campaigns.get(&state.db).await {
        Ok(campaigns) => campaigns,
        Err(e) => return unavailable(&e),
    };
    let kind = CampaignKind::parse(&query.kind);
    let open = match kind.and_then(|k| campaigns.find(k, &query.pattern)) {
        Some(group) => match open_group(state, group, query.page).await {
            Ok(open) => Some(open),
            Err(e) => return unavailable(&e),
        },
        None => None,
    };
    let notice = match notice {
        None if open.is_none() && !query.pattern.is_empty() => Some(CampaignNotice::Gone),
        notice => notice,
    };
    let data = listing(&campaigns, kind, query, open, notice);
    let data = CampaignsData { who: badge(signed, state), ..data };
    render(state, parts, StaffPage::Campaigns(Box::new(data)), status).await
}

/// A group with a page of its entries.
async fn open_group(
    state: &AppState,
    group: &Campaign,
    page: Option<usize>,
) -> Result<OpenCampaign, StoreError> {
    let (page, pages) = paged(group.ids.len(), page);
    let ids: Vec<i64> = group.ids.iter().skip((page - 1) * PER_PAGE).take(PER_PAGE).copied().collect();
    let rows = list::rows_with_ids(&state.db, &ids).await?;
    Ok(OpenCampaign {
        group: row_of_campaign(group),
        rows: rows.into_iter().map(row_of).collect(),
        page,
        pages,
    })
}

/// The page's data but for who is asking: the groups that match, a page of them.
fn listing(
    campaigns: &Campaigns,
    kind: Option<CampaignKind>,
    query: &CampaignsQuery,
    open: Option<OpenCampaign>,
    notice: Option<CampaignNotice>,
) -> CampaignsData {
    let q: String = query.q.chars().take(300).collect();
    let matching = campaigns.matching(kind, &q);
    let (page, pages) = paged(matching.len(), query.page);
    CampaignsData {
        version: campaigns.version.unwrap_or(0),
        entries: campaigns.entries,
        kind: kind.map(|k| k.code().to_owned()).unwrap_or_default(),
        q,
        total: matching.len(),
        groups: matching
            .into_iter()
            .skip((page - 1) * PER_PAGE)
            .take(PER_PAGE)
            .map(row_of_campaign)
            .collect(),
        page,
        pages,
        open,
        notice,
        max_selection: MAX_EDIT_SELECTION,
        ..CampaignsData::default()
    }
}

/// `GET /console/takedowns/campaigns`.
pub async fn page(
    State(state): State<AppState>,
    Query(query): Query<CampaignsQuery>,
    StaffRequest { parts, signed }: StaffRequest,
) -> Response {
    let notice = super::follow_up::notice_of(&parts, &signed);
    show(&state, parts, &signed, &query, notice, StatusCode::OK).await
}

/// The whole-group form: `kind`, `pattern`, `version` (the one the page showed), `status`,
/// `note`.
#[derive(Debug, Default)]
struct GroupForm {
    kind: String,
    pattern: String,
    version: Option<i64>,
    status: String,
    note: String,
}

fn read_group_form(body: &[u8]) -> GroupForm {
    let mut form = GroupForm::default();
    for (key, value) in url::form_urlencoded::parse(body) {
        match key.as_ref() {
            "kind" => form.kind = value.into_owned(),
            "pattern" => form.pattern = value.into_owned(),
            "version" => form.version = value.trim().parse().ok(),
            "status" => form.status = value.into_owned(),
            "note" => form.note = value.trim().to_owned(),
            _ => {}
        }
    }
    form
}

/// What a whole-group change may do, decided before anything is written: the ids to change,
/// or why not (and the answer's status).
fn decide(
    campaigns: &Campaigns,
    kind: Option<CampaignKind>,
    form: &GroupForm,
) -> Result<Vec<i64>, (CampaignNotice, StatusCode)> {
    let group = kind.and_then(|k| campaigns.find(k, &form.pattern));
    let Some(group) = group else {
        return Err((CampaignNotice::Gone, StatusCode::NOT_FOUND));
    };
    if form.version != campaigns.version {
        return Err((
            CampaignNotice::Stale { version: campaigns.version.unwrap_or(0) },
            StatusCode::CONFLICT,
        ));
    }
    if TakedownStatus::parse(&form.status).is_none() {
        return Err((CampaignNotice::NoStatus, StatusCode::UNPROCESSABLE_ENTITY));
    }
    if group.ids.len() > MAX_EDIT_SELECTION {
        return Err((
            CampaignNotice::TooLarge { count: group.ids.len(), max: MAX_EDIT_SELECTION },
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    Ok(group.ids.clone())
}

/// `POST /console/takedowns/campaigns/status`: every entry of one group to one status.
pub async fn change_status(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
    body: Bytes,
) -> Response {
    let form = read_group_form(&body);
    let kind = CampaignKind::parse(&form.kind);
    let back = CampaignsQuery {
        kind: form.kind.clone(),
        pattern: form.pattern.clone(),
        ..CampaignsQuery::default()
    };
    let campaigns = match state.campaigns.get(&state.db).await {
        Ok(campaigns) => campaigns,
        Err(e) => return unavailable(&e),
    };
    let ids = match decide(&campaigns, kind, &form) {
        Ok(ids) => ids,
        Err((notice, code)) => return show(&state, parts, &signed, &back, Some(notice), code).await,
    };
    let edit = Edit {
        status: TakedownStatus::parse(&form.status),
        event_note: Some(form.note).filter(|n| !n.is_empty()),
        notes: None,
    };
    let mut client = String::new();
    let actor = actor_of(&state, &parts, &signed, &mut client);
    let (notice, code) = match takedown::edit_entries(&state.db, &ids, &edit, &actor).await {
        Ok(Some(version)) => (
            CampaignNotice::Changed {
                count: usize::try_from(version.changed).unwrap_or(0),
                version: version.version,
            },
            StatusCode::OK,
        ),
        Ok(None) => (CampaignNotice::Nothing, StatusCode::OK),
        Err(StoreError::Refused(why)) => (CampaignNotice::Problem(why), StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => {
            tracing::warn!(error = %e, "changing a campaign failed");
            (
                CampaignNotice::Problem(
                    "目前無法儲存，沒有任何變更。It could not be saved just now; nothing was changed.".into(),
                ),
                StatusCode::SERVICE_UNAVAILABLE,
            )
        }
    };
    if code == StatusCode::OK {
        let encode = |v: &str| url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
        let group = format!(
            "/console/takedowns/campaigns?kind={}&pattern={}",
            encode(&back.kind),
            encode(&back.pattern)
        );
        return super::follow_up::redirect(&group, &signed, &notice);
    }
    show(&state, parts, &signed, &back, Some(notice), code).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn campaigns() -> Campaigns {
        let group = |kind, pattern: &str, n: usize| Campaign {
            kind,
            pattern: pattern.into(),
            ids: (1..=i64::try_from(n).unwrap_or(0)).collect(),
            statuses: vec![(TakedownStatus::Reported, n)],
            hosting_ips: Vec::new(),
            distinct_ips: 0,
        };
        Campaigns {
            version: Some(4),
            entries: 20_000,
            groups: vec![
                group(CampaignKind::Path, "/index/login", MAX_EDIT_SELECTION + 1),
                group(CampaignKind::Name, "kkpp.kgi<digits>.com", 7),
            ],
        }
    }

    fn form(kind: &str, pattern: &str, version: i64, status: &str) -> GroupForm {
        GroupForm {
            kind: kind.into(),
            pattern: pattern.into(),
            version: Some(version),
            status: status.into(),
            note: String::new(),
        }
    }

    #[test]
    fn a_whole_group_change_goes_ahead_only_for_the_group_and_version_the_analyst_saw() {
        let c = campaigns();
        let name = Some(CampaignKind::Name);
        assert_eq!(
            decide(&c, name, &form("name", "kkpp.kgi<digits>.com", 4, "taken_down")).unwrap().len(),
            7
        );
        let refused = |f: GroupForm, kind| decide(&c, kind, &f).unwrap_err().0;
        assert_eq!(
            refused(form("name", "kkpp.kgi<digits>.com", 3, "taken_down"), name),
            CampaignNotice::Stale { version: 4 }
        );
        assert_eq!(refused(form("name", "other<digits>.com", 4, "taken_down"), name), CampaignNotice::Gone);
        assert_eq!(refused(form("name", "kkpp.kgi<digits>.com", 4, "gone"), name), CampaignNotice::NoStatus);
        assert_eq!(
            refused(form("path", "/index/login", 4, "taken_down"), Some(CampaignKind::Path)),
            CampaignNotice::TooLarge { count: MAX_EDIT_SELECTION + 1, max: MAX_EDIT_SELECTION }
        );
    }

    #[test]
    fn the_list_pages_the_matching_groups_and_keeps_the_page_inside_them() {
        let c = campaigns();
        let query = CampaignsQuery { q: "LOGIN".into(), page: Some(9), ..CampaignsQuery::default() };
        let data = listing(&c, None, &query, None, None);
        assert_eq!((data.total, data.page, data.pages, data.version), (1, 1, 1, 4));
        assert_eq!(data.groups[0].pattern, "/index/login");
        assert_eq!(paged(101, Some(3)), (3, 3));
        assert_eq!(paged(0, Some(0)), (1, 1));
    }
}
