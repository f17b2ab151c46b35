//! `/console/official` on the server (analysts and admins): the official list, the changes
//! waiting for a second person, and the actions on them. Every rule of the two-person
//! approval is the store's (`store::official_proposals`), checked in its transaction; a
//! handler here reads the form, names who is asking and says in words what the store said.

use axum::extract::{Path, Request, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use app::staff::{
    DraftView, ListedView, OfficialData, OfficialNotice, OfficialProblem, ProposalView, SideView, StaffPage,
};
use app::state::AppState;
use store::audit::Actor;
use store::official::{self, ListKind, ValueProblem};
use store::official_proposals::{self as proposals, Action, Image, NewProposal, Proposal, Refusal};
use store::StoreError;

use super::session::Signed;
use super::{badge, client_of, read_form, render, StaffRequest};

/// How many decided proposals the page shows.
const DECIDED_SHOWN: i64 = 30;

fn side(image: Image) -> SideView {
    SideView { kind: image.kind, value: image.value, label_zh: image.label_zh, label_en: image.label_en }
}

fn proposal_view(p: Proposal, reader: i64) -> ProposalView {
    ProposalView {
        id: p.id,
        action: p.action.code().to_owned(),
        kind: p.kind.code().to_owned(),
        after: p.after().map(side),
        value: p.value,
        before: p.before.map(side),
        reason: p.reason,
        mine: p.proposed_by == reader,
        proposer: p.proposer,
        proposed_at: p.proposed_at,
        state: p.state.code().to_owned(),
        decider: p.decider.unwrap_or_default(),
        decided_at: p.decided_at.unwrap_or_default(),
        note: p.decision_note,
    }
}

/// The page as `signed` sees it, read from the database (not the live snapshot: what is
/// stored is what a proposal is checked against).
async fn load(
    state: &AppState,
    signed: &Signed,
    notice: Option<OfficialNotice>,
    draft: Option<DraftView>,
) -> Result<OfficialData, StoreError> {
    let pending = proposals::pending(&state.db).await?;
    let waiting_on = |kind: &str, value: &str| {
        pending.iter().find(|p| p.kind.code() == kind && p.value == value).map(|p| p.id)
    };
    let mut entries: Vec<ListedView> = official::entries(&state.db)
        .await?
        .into_iter()
        .map(|e| SideView {
            kind: e.kind.code().to_owned(),
            value: e.value,
            label_zh: e.label_zh,
            label_en: e.label_en,
        })
        .chain(official::brand_keywords(&state.db).await?.into_iter().map(|keyword| SideView {
            kind: ListKind::Keyword.code().to_owned(),
            value: keyword,
            ..SideView::default()
        }))
        .map(|entry| ListedView { pending: waiting_on(&entry.kind, &entry.value), entry })
        .collect();
    entries.sort_by_key(|e| app::staff::official::KINDS.iter().position(|k| *k == e.entry.kind));
    let reader = signed.user.id;
    let decided = proposals::recent_decisions(&state.db, DECIDED_SHOWN).await?;
    Ok(OfficialData {
        who: badge(signed, state),
        notice,
        entries,
        pending: pending.into_iter().map(|p| proposal_view(p, reader)).collect(),
        decided: decided.into_iter().map(|p| proposal_view(p, reader)).collect(),
        draft,
    })
}

async fn show(
    state: &AppState,
    parts: Parts,
    signed: &Signed,
    notice: Option<OfficialNotice>,
    draft: Option<DraftView>,
    status: StatusCode,
) -> Response {
    match load(state, signed, notice, draft).await {
        Ok(data) => render(state, parts, StaffPage::Official(Box::new(data)), status).await,
        Err(e) => {
            tracing::warn!(error = %e, "the official list could not be read");
            super::guard::refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "The official list cannot be read just now. Try again shortly.",
            )
        }
    }
}

/// The official list's page, where its actions' answers are shown.
const OFFICIAL: &str = "/console/official";

/// `GET /console/official` (a notice from the action before, [`super::follow_up`]).
pub async fn page(State(state): State<AppState>, StaffRequest { parts, signed }: StaffRequest) -> Response {
    let notice = super::follow_up::notice_of(&parts, &signed);
    show(&state, parts, &signed, notice, None, StatusCode::OK).await
}

/// `POST /console/official/proposals`: an addition, new labels or a removal, with a reason.
pub async fn propose(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
    request: Request,
) -> Response {
    // The form as sent, to fill it in again if it is refused.
    let draft = read_form::<DraftView>(&state, request).await.unwrap_or_default();
    let (Some(action), Some(kind)) = (Action::parse(&draft.action), ListKind::parse(&draft.kind)) else {
        let notice = OfficialNotice::Problem(OfficialProblem::BadForm);
        return show(&state, parts, &signed, Some(notice), Some(draft), StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    };
    let proposal = NewProposal {
        action,
        kind,
        value: draft.value.clone(),
        label_zh: draft.label_zh.clone(),
        label_en: draft.label_en.clone(),
        reason: draft.reason.clone(),
    };
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    let actor = Actor { id: Some(signed.user.id), login: &signed.user.login, client: &client };
    match proposals::propose(&state.db, &proposal, &actor).await {
        Ok(id) => {
            let value = stored_value(&state, id).await;
            super::follow_up::redirect(OFFICIAL, &signed, &OfficialNotice::Proposed { value })
        }
        Err(e) => {
            let (problem, status) = refused(e, "proposing a change to the official list");
            show(&state, parts, &signed, Some(OfficialNotice::Problem(problem)), Some(draft), status).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    note: String,
}

/// `POST /console/official/proposals/{id}/{approve|reject|withdraw}`.
pub async fn decide(
    State(state): State<AppState>,
    Path((id, decision)): Path<(i64, String)>,
    StaffRequest { parts, signed }: StaffRequest,
    request: Request,
) -> Response {
    let note = read_form::<DecideForm>(&state, request).await.unwrap_or_default().note;
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    let actor = Actor { id: Some(signed.user.id), login: &signed.user.login, client: &client };
    let value = stored_value(&state, id).await;
    let outcome = match decision.as_str() {
        "approve" => proposals::approve(&state.db, id, &actor, &note)
            .await
            .map(|()| OfficialNotice::Approved { value }),
        "reject" => {
            proposals::reject(&state.db, id, &actor, &note).await.map(|()| OfficialNotice::Rejected { value })
        }
        "withdraw" => {
            proposals::withdraw(&state.db, id, &actor).await.map(|()| OfficialNotice::Withdrawn { value })
        }
        _ => Err(Refusal::NotFound.into()),
    };
    match outcome {
        Ok(notice) => {
            if matches!(notice, OfficialNotice::Approved { .. }) {
                // This instance shows the change at once; the others follow the data version.
                if let Err(failed) = state.live.refresh_if_changed(&state.db).await {
                    tracing::warn!(error = %failed.error, "reloading after an approval failed; the next refresh retries");
                }
            }
            super::follow_up::redirect(OFFICIAL, &signed, &notice)
        }
        Err(e) => {
            let (problem, status) = refused(e, "deciding a change to the official list");
            show(&state, parts, &signed, Some(OfficialNotice::Problem(problem)), None, status).await
        }
    }
}

/// The value a proposal names, for the notice ('' when it cannot be read).
async fn stored_value(state: &AppState, id: i64) -> String {
    proposals::get(&state.db, id).await.ok().flatten().map(|p| p.value).unwrap_or_default()
}

/// What the page says when the store refused or failed, and with which status.
fn refused(error: StoreError, doing: &str) -> (OfficialProblem, StatusCode) {
    let refusal = match error {
        StoreError::Proposal(refusal) => refusal,
        other => {
            tracing::warn!(error = %other, "{doing} failed");
            return (OfficialProblem::Unavailable, StatusCode::SERVICE_UNAVAILABLE);
        }
    };
    let status = match &refusal {
        Refusal::OwnProposal | Refusal::RoleNeeded | Refusal::NotYours => StatusCode::FORBIDDEN,
        Refusal::NotFound => StatusCode::NOT_FOUND,
        Refusal::AlreadyDecided(_) | Refusal::AlreadyPending { .. } | Refusal::EntryChanged => {
            StatusCode::CONFLICT
        }
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    (problem_of(refusal), status)
}

fn problem_of(refusal: Refusal) -> OfficialProblem {
    use OfficialProblem as P;
    match refusal {
        Refusal::Value(problem) => match problem {
            ValueProblem::Empty => P::Empty,
            ValueProblem::NotADomainName(value) => P::NotADomain { value },
            ValueProblem::PublicSuffix(value) => P::PublicSuffix { value },
            ValueProblem::NotRegistrable(value) => P::NotRegistrable { value },
            ValueProblem::NotAPhone(value) => P::NotAPhone { value },
            ValueProblem::NotALineId(value) => P::NotALineId { value },
            ValueProblem::NotAnAppLink(value) => P::NotAnApp { value },
            ValueProblem::KeywordLength => P::KeywordLength,
            ValueProblem::NotAKeyword(value) => P::NotAKeyword { value },
        },
        Refusal::ListedAsFake { value, entry_id, target, .. } => {
            P::ListedAsFake { value, entry: entry_id, target: app::lookup::wording::defanged(&target) }
        }
        Refusal::Labels => P::Labels,
        Refusal::Reason => P::Reason,
        Refusal::NoteTooLong => P::NoteTooLong,
        Refusal::AlreadyListed(value) => P::AlreadyListed { value },
        Refusal::NotListed(value) => P::NotListed { value },
        Refusal::NoChange => P::NoChange,
        Refusal::KeywordHasNoLabels => P::KeywordHasNoLabels,
        Refusal::AlreadyPending { id, value } => P::AlreadyPending { id, value },
        Refusal::LastDomain => P::LastDomain,
        Refusal::NotFound => P::NotFound,
        Refusal::AlreadyDecided(state) => P::AlreadyDecided { state: state.code().to_owned() },
        Refusal::OwnProposal => P::OwnProposal,
        Refusal::RoleNeeded => P::RoleNeeded,
        Refusal::NotYours => P::NotYours,
        Refusal::EntryChanged => P::EntryChanged,
        Refusal::IndexRefused(why) => P::IndexRefused { why },
    }
}
