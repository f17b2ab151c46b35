//! The agent console's pages and actions: the check with its full evidence, the contact log,
//! escalation to the security team, an analyst's decision, and the audit log for admins.
//! Every change is written with its audit entry in one transaction.

use axum::extract::{Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use engine::{CandidateKind, Finding, Verdict};
use serde::Deserialize;

use app::lookup::{run_check, CheckAnswer};
use app::staff::live::EscalationState;
use app::staff::TodayView;
use app::staff::{
    AuditRow, ConsoleData, ConsoleProblem, ContactView, EscalationView, EvidenceView, Notice, StaffPage,
    TakedownView,
};
use app::state::AppState;
use store::audit::{self, Actor, NewEntry};
use store::contact::{self, ContactChannel, NewContact, Subject, SubjectKind};
use store::escalation::{self, Escalated, Status};
use store::staff::Role;
use store::triage::{Decision, Refusal, Ruling};
use store::StoreError;

use super::session::Signed;
use super::{badge, client_of, now_text, read_form, render, StaffRequest};

/// How many of each list the console shows.
const LISTED: i64 = 50;
pub const MAX_SUMMARY_CHARS: usize = 2000;
pub const MAX_NOTE_CHARS: usize = 1000;
pub const MAX_CUSTOMER_REF_CHARS: usize = 64;

/// The escalation kind of a finding.
pub fn subject_kind(kind: CandidateKind) -> SubjectKind {
    match kind {
        CandidateKind::Url | CandidateKind::Domain | CandidateKind::Ip => SubjectKind::Host,
        CandidateKind::Phone => SubjectKind::Phone,
        CandidateKind::LineId => SubjectKind::LineId,
    }
}

/// What a finding is filed under: a link's host, else its normalised value.
pub fn subject_of(finding: &Finding) -> Subject {
    let kind = subject_kind(finding.kind);
    let value = match (kind, &finding.host) {
        (SubjectKind::Host, Some(host)) => host.clone(),
        _ => finding.normalized.clone(),
    };
    let domain = finding.registrable_domain.clone().unwrap_or_default();
    Subject { kind, value, domain }
}

/// The subjects of a check, each once, for the contact log.
pub fn subjects_of(answer: &CheckAnswer) -> Vec<Subject> {
    let mut subjects: Vec<Subject> = Vec::new();
    for finding in &answer.report.findings {
        let subject = subject_of(finding);
        if !subject.value.is_empty() && subject.value.len() <= 253 && !subjects.contains(&subject) {
            subjects.push(subject);
        }
    }
    subjects
}

/// What a search box's text is searched for: the host, number or LINE ID the engine reads in
/// it, else the text itself in lower case.
pub fn search_term(live: &store::LiveIndex, text: &str) -> String {
    let text = text.trim();
    run_check(live, text)
        .ok()
        .and_then(|answer| answer.report.findings.first().map(subject_of))
        .map_or_else(|| text.to_lowercase(), |subject| subject.value)
}

async fn evidence(state: &AppState, answer: &CheckAnswer) -> Result<Vec<EvidenceView>, StoreError> {
    let mut shown = Vec::with_capacity(answer.report.findings.len());
    for finding in &answer.report.findings {
        let takedown = match &finding.takedown {
            Some(found) => store::takedown::detail(&state.db, found.entry_id).await?.map(|d| TakedownView {
                entry_id: d.id,
                url: app::lookup::wording::defanged(&d.url),
                status: d.status,
                listed_on: d.listed_on,
                alert_id: d.alert_id.unwrap_or_default(),
                case_id: d.case_id.unwrap_or_default(),
                source: d.source,
                steps: d.events.into_iter().map(|e| (e.status, e.happened_on)).collect(),
            }),
            None => None,
        };
        let bulletins = match &finding.host {
            Some(host) => {
                let language = store::bulletin::Language::Chinese;
                store::bulletin::mentioning(
                    &state.db,
                    host,
                    finding.registrable_domain.as_deref(),
                    language,
                    5,
                )
                .await?
                .into_iter()
                .map(|b| (b.title, b.slug, b.published_on))
                .collect()
            }
            None => Vec::new(),
        };
        let subject = subject_of(finding);
        shown.push(EvidenceView {
            kind: subject.kind.code().to_owned(),
            shown: app::lookup::wording::defanged(&finding.raw),
            canonical: app::lookup::wording::defanged(&finding.normalized),
            host: finding.host.clone(),
            registrable_domain: finding.registrable_domain.clone(),
            verdict: app::lookup::wording::verdict_code(finding.verdict).to_owned(),
            candidate: Some(finding.kind),
            reasons: finding.reasons.clone(),
            takedown,
            bulletins,
            escalate: (finding.verdict != Verdict::Official).then_some(subject.value),
        });
    }
    Ok(shown)
}

fn escalation_view(e: escalation::Escalation) -> EscalationView {
    EscalationView {
        id: e.id,
        kind: e.kind.code().to_owned(),
        value: e.value,
        status: e.status.code().to_owned(),
        verdict: e.verdict,
        requests: e.requests,
        note: e.note,
        decided_by: e.decided_by.unwrap_or_default(),
        decision_note: e.decision_note,
        updated_at: e.updated_at,
    }
}

fn contact_view(c: contact::Contact) -> ContactView {
    ContactView {
        id: c.id,
        at: c.created_at,
        agent: c.agent,
        channel: c.channel.code().to_owned(),
        customer_ref: c.customer_ref,
        summary: c.summary,
        verdict: c.verdict,
        purged: c.purged_at.is_some(),
        pasted: c.pasted_text,
        subjects: c.subjects.into_iter().map(|s| s.value).collect(),
    }
}

/// The console as `signed` sees it, with the check of `text` when there is one.
async fn console_data(
    state: &AppState,
    signed: &Signed,
    text: &str,
    contact_id: Option<i64>,
    search: &str,
    notice: Option<Notice>,
    locale: app::i18n::Locale,
) -> Result<ConsoleData, StoreError> {
    let check = (!text.trim().is_empty()).then(|| run_check(&state.live, text));
    let (evidence, scripts) = match &check {
        Some(Ok(answer)) => {
            (evidence(state, answer).await?, super::scripts::for_answer(state, answer).await?)
        }
        _ => (Vec::new(), Vec::new()),
    };
    let is_agent = signed.user.has(Role::Agent);
    let my_escalations = if is_agent {
        escalation::sent_by(&state.db, signed.user.id, LISTED)
            .await?
            .into_iter()
            .map(escalation_view)
            .collect()
    } else {
        Vec::new()
    };
    let queue = if signed.user.has(Role::Analyst) {
        Some(escalation::queue(&state.db, LISTED).await?.into_iter().map(escalation_view).collect())
    } else {
        None
    };
    let contacts = if !is_agent {
        Vec::new()
    } else if search.trim().is_empty() {
        contact::recent_by(&state.db, signed.user.id, 10).await?
    } else {
        contact::search(&state.db, &search_term(&state.live, search), LISTED).await?
    };
    Ok(ConsoleData {
        who: badge(signed, state),
        notice,
        text: text.to_owned(),
        contact: contact_id,
        check,
        evidence,
        my_escalations,
        queue,
        contacts: contacts.into_iter().map(contact_view).collect(),
        search: search.to_owned(),
        retention_days: state.staff.contact_retention_days,
        scripts,
        today: today(state, locale).await?,
    })
}

/// The "today" panel: the public's most-checked fakes and suspicious sites since yesterday
/// (counts are kept per Taiwan day), and the newest bulletins.
async fn today(state: &AppState, locale: app::i18n::Locale) -> Result<TodayView, StoreError> {
    let today = store::taiwan_date();
    let since = today.previous_day().unwrap_or(today);
    let most_checked = store::tally::most_checked(&state.db, since, 10)
        .await?
        .into_iter()
        .map(|h| (h.host, app::lookup::wording::verdict_code(h.verdict).to_owned(), h.checks))
        .collect();
    let news = match state.board.current(&state.db).await {
        Some(board) => app::staff::news::news_state(state, &board, locale),
        None => app::staff::news::NewsState::default(),
    };
    Ok(TodayView { most_checked, news })
}

#[allow(clippy::too_many_arguments)]
async fn show(
    state: &AppState,
    parts: Parts,
    signed: &Signed,
    text: &str,
    contact_id: Option<i64>,
    search: &str,
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    let locale = app::locale::from_headers(&parts.headers);
    match console_data(state, signed, text, contact_id, search, notice, locale).await {
        Ok(data) => render(state, parts, StaffPage::Console(Box::new(data)), status).await,
        Err(e) => unreadable(&e),
    }
}

fn unreadable(e: &StoreError) -> Response {
    tracing::warn!(error = %e, "the console could not be read");
    super::guard::refuse(
        StatusCode::SERVICE_UNAVAILABLE,
        "The console cannot reach the database just now. Try again shortly.",
    )
}

/// The console again with an action's refusal, the agent's text kept in the box.
async fn refused(
    state: &AppState,
    parts: Parts,
    signed: &Signed,
    text: &str,
    problem: ConsoleProblem,
    status: StatusCode,
) -> Response {
    show(state, parts, signed, text, None, "", Some(Notice::Problem(problem)), status).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ConsoleQuery {
    #[serde(default)]
    q: String,
    /// One of the agent's own contacts, its text checked again.
    #[serde(default)]
    contact: String,
    /// What the action before the redirect did ([`FollowUp`]).
    #[serde(default)]
    done: String,
    #[serde(default)]
    escalation: String,
}

/// Where an action's answer is shown: the console again, by GET, so that reloading it asks
/// for the page instead of sending the form once more (Post/Redirect/Get). It carries ids
/// only: the page reads what they name from the database (never a pasted text in an address,
/// which logs and history keep), and an id the reader may not see shows nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowUp {
    /// A contact was logged: its text is checked again.
    ContactLogged { contact: i64 },
    /// An escalation was sent, from the text of `contact` when one was logged.
    Escalated { escalation: i64, contact: Option<i64> },
    /// An analyst decided an escalation.
    Decided { escalation: i64 },
}

impl FollowUp {
    /// The console's address that shows it.
    pub fn href(self) -> String {
        match self {
            Self::ContactLogged { contact } => format!("/console?contact={contact}&done=contact"),
            Self::Escalated { escalation, contact: Some(contact) } => {
                format!("/console?contact={contact}&done=escalated&escalation={escalation}")
            }
            Self::Escalated { escalation, contact: None } => {
                format!("/console?done=escalated&escalation={escalation}")
            }
            Self::Decided { escalation } => format!("/console?done=decided&escalation={escalation}"),
        }
    }

    /// The follow-up a console address names, if any.
    pub fn of(query: &ConsoleQuery) -> Option<Self> {
        let contact = query.contact.parse().ok();
        let escalation = query.escalation.parse().ok();
        match (query.done.as_str(), escalation, contact) {
            ("contact", _, Some(contact)) => Some(Self::ContactLogged { contact }),
            ("escalated", Some(escalation), contact) => Some(Self::Escalated { escalation, contact }),
            ("decided", Some(escalation), _) => Some(Self::Decided { escalation }),
            _ => None,
        }
    }
}

/// What the engine reads a subject from on its own: a LINE ID only where the text says so.
pub fn subject_text(kind: SubjectKind, value: &str) -> String {
    match kind {
        SubjectKind::LineId => format!("LINE ID: {value}"),
        SubjectKind::Host | SubjectKind::Phone => value.to_owned(),
    }
}

/// The text, contact and notice a console address brings back: the agent's own contact's
/// text, else an escalation's subject on its own.
async fn followed_up(
    state: &AppState,
    signed: &Signed,
    query: &ConsoleQuery,
) -> Result<(String, Option<i64>, Option<Notice>), StoreError> {
    let mut text = String::new();
    let mut contact_id = None;
    if let (true, Ok(id)) = (signed.user.has(Role::Agent), query.contact.parse::<i64>()) {
        if let Some(contact) = contact::recorded_by(&state.db, id, signed.user.id).await? {
            text = contact.pasted_text.unwrap_or_default();
            contact_id = Some(contact.id);
        }
    }
    let notice = match FollowUp::of(query) {
        Some(FollowUp::ContactLogged { .. }) => contact_id.map(|_| Notice::ContactLogged),
        Some(FollowUp::Escalated { escalation, .. }) if signed.user.has(Role::Agent) => {
            let mine = escalation::sent_by(&state.db, signed.user.id, LISTED).await?;
            mine.into_iter().find(|e| e.id == escalation).map(|e| {
                if contact_id.is_none() {
                    text = subject_text(e.kind, &e.value);
                }
                Notice::Escalated { value: e.value, requests: e.requests }
            })
        }
        Some(FollowUp::Decided { escalation }) if signed.user.has(Role::Analyst) => {
            escalation::get(&state.db, escalation)
                .await?
                .map(|e| Notice::Decided { value: e.value, status: e.status.code().to_owned() })
        }
        _ => None,
    };
    Ok((text, contact_id, notice))
}

/// `GET /console`; `?contact=` reopens one of the agent's contacts, `?done=` says what the
/// action before it did.
pub async fn page(
    State(state): State<AppState>,
    Query(query): Query<ConsoleQuery>,
    StaffRequest { parts, signed }: StaffRequest,
) -> Response {
    let (text, contact_id, notice) = match followed_up(&state, &signed, &query).await {
        Ok(found) => found,
        Err(e) => return unreadable(&e),
    };
    show(&state, parts, &signed, &text, contact_id, &query.q, notice, StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
pub struct CheckForm {
    #[serde(default)]
    text: String,
}

/// `POST /console/check`: the agent's check; not counted in the public tally.
pub async fn check(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
    request: Request,
) -> Response {
    let form = read_form::<CheckForm>(&state, request).await;
    let text = form.unwrap_or_default().text;
    // Nothing is written, so this answer is the page itself (a reload checks the same text
    // again); a redirect would have to put the customer's message in an address.
    show(&state, parts, &signed, &text, None, "", None, StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    customer_ref: String,
    #[serde(default)]
    summary: String,
}

/// A contact as the form gave it, checked: the summary required, every field within its limit.
pub fn validate_contact(
    form: &ContactForm,
) -> Result<(ContactChannel, String, String, Option<String>), ConsoleProblem> {
    let channel = ContactChannel::parse(&form.channel).ok_or(ConsoleProblem::BadChannel)?;
    let summary = form.summary.trim();
    if summary.is_empty() {
        return Err(ConsoleProblem::SummaryRequired);
    }
    let customer_ref = form.customer_ref.trim();
    if summary.chars().count() > MAX_SUMMARY_CHARS
        || customer_ref.chars().count() > MAX_CUSTOMER_REF_CHARS
        || form.text.len() > engine::MAX_MESSAGE_BYTES
    {
        return Err(ConsoleProblem::TooLong);
    }
    let pasted = (!form.text.trim().is_empty()).then(|| form.text.clone());
    Ok((channel, customer_ref.to_owned(), summary.to_owned(), pasted))
}

/// `POST /console/contacts`.
pub async fn log_contact(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
    request: Request,
) -> Response {
    let form = read_form::<ContactForm>(&state, request).await;
    let form = form.unwrap_or_default();
    let (channel, customer_ref, summary, pasted_text) = match validate_contact(&form) {
        Ok(valid) => valid,
        Err(problem) => {
            return refused(&state, parts, &signed, &form.text, problem, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
    };
    let answer = run_check(&state.live, &form.text).ok();
    let contact = NewContact {
        agent_id: signed.user.id,
        channel,
        customer_ref,
        summary,
        pasted_text,
        verdict: answer
            .as_ref()
            .map(|a| app::lookup::wording::overall_code(a.report.verdict).to_owned())
            .unwrap_or_default(),
        subjects: answer.as_ref().map(subjects_of).unwrap_or_default(),
    };
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    let stored = async {
        let mut tx = audit::begin(&state.db).await?;
        let id = contact::record(&mut tx, &contact, &now_text()).await?;
        let subjects: Vec<&str> = contact.subjects.iter().map(|s| s.value.as_str()).collect();
        let entry = NewEntry::new("contact_log")
            .by(Some(signed.user.id), &signed.user.login)
            .on(format!("contact:{id}"))
            .change(
                "",
                format!(
                    "channel={} verdict={} subjects={}",
                    contact.channel.code(),
                    contact.verdict,
                    subjects.join(",")
                ),
            )
            .from(&client);
        audit::append(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok::<i64, StoreError>(id)
    };
    match stored.await {
        Ok(id) => Redirect::to(&FollowUp::ContactLogged { contact: id }.href()).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "logging a contact failed");
            refused(
                &state,
                parts,
                &signed,
                &form.text,
                ConsoleProblem::Unavailable,
                StatusCode::SERVICE_UNAVAILABLE,
            )
            .await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct EscalateForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    text: String,
    /// The logged contact the text is from, if any.
    #[serde(default)]
    contact: String,
}

/// What an escalation sends, checked: a kind we know, a value the engine would file it under
/// (a host, a number, a LINE ID), a note within its limit. The verdict is the engine's own,
/// never the form's.
pub fn validate_escalation(
    form: &EscalateForm,
    live: &store::LiveIndex,
) -> Result<(SubjectKind, String, String, String), ConsoleProblem> {
    let kind = SubjectKind::parse(form.kind.trim()).ok_or(ConsoleProblem::NothingToEscalate)?;
    if form.note.chars().count() > MAX_NOTE_CHARS {
        return Err(ConsoleProblem::TooLong);
    }
    let value = form.value.trim().to_lowercase();
    // Found in the message the agent checked, or in the value alone (a LINE ID is one only
    // where the text says so).
    let alone = subject_text(kind, &value);
    let texts = [form.text.as_str(), value.as_str(), alone.as_str()];
    let finding = texts
        .into_iter()
        .filter(|t| !t.trim().is_empty())
        .filter_map(|t| run_check(live, t).ok())
        .find_map(|answer| {
            answer
                .report
                .findings
                .into_iter()
                .find(|f| subject_kind(f.kind) == kind && subject_of(f).value == value)
        })
        .ok_or(ConsoleProblem::NothingToEscalate)?;
    if finding.verdict == Verdict::Official {
        return Err(ConsoleProblem::NothingToEscalate);
    }
    let verdict = app::lookup::wording::verdict_code(finding.verdict).to_owned();
    Ok((kind, value, verdict, form.note.trim().to_owned()))
}

/// `POST /console/escalations`.
pub async fn escalate(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
    request: Request,
) -> Response {
    let form = read_form::<EscalateForm>(&state, request).await;
    let form = form.unwrap_or_default();
    let text = if form.text.len() <= engine::MAX_MESSAGE_BYTES { form.text.clone() } else { String::new() };
    let (kind, value, verdict, note) = match validate_escalation(&form, &state.live) {
        Ok(valid) => valid,
        Err(problem) => {
            return refused(&state, parts, &signed, &text, problem, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    };
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    let stored = async {
        // Only the agent's own contact: another's id is not theirs to attach.
        let contact_id = match form.contact.parse::<i64>() {
            Ok(id) => contact::recorded_by(&state.db, id, signed.user.id).await?.map(|c| c.id),
            Err(_) => None,
        };
        let mut tx = audit::begin(&state.db).await?;
        let done = escalation::escalate(
            &mut tx,
            kind,
            &value,
            &verdict,
            signed.user.id,
            &note,
            contact_id,
            &now_text(),
        )
        .await?;
        let after = match done {
            Escalated::Queued { .. } => "queued".to_owned(),
            Escalated::Merged { requests, .. } => format!("merged; {requests} requests"),
        };
        let entry = NewEntry::new("escalate")
            .by(Some(signed.user.id), &signed.user.login)
            .on(format!("escalation:{} {}", done.id(), value))
            .change("", after)
            .from(&client);
        audit::append(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok::<(Escalated, Option<i64>), StoreError>((done, contact_id))
    };
    match stored.await {
        Ok((done, contact)) => {
            Redirect::to(&FollowUp::Escalated { escalation: done.id(), contact }.href()).into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "escalating failed");
            refused(
                &state,
                parts,
                &signed,
                &text,
                ConsoleProblem::Unavailable,
                StatusCode::SERVICE_UNAVAILABLE,
            )
            .await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    note: String,
}

/// `POST /console/escalations/{id}/decide` (analysts).
pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    StaffRequest { parts, signed }: StaffRequest,
    request: Request,
) -> Response {
    let form = read_form::<DecideForm>(&state, request).await;
    let form = form.unwrap_or_default();
    let to = match form.decision.as_str() {
        "accepted" => Status::Accepted,
        "rejected" => Status::Rejected,
        _ => {
            return refused(
                &state,
                parts,
                &signed,
                "",
                ConsoleProblem::NotFound,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    if form.note.chars().count() > MAX_NOTE_CHARS {
        return refused(
            &state,
            parts,
            &signed,
            "",
            ConsoleProblem::TooLong,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let Ok(Some(escalation)) = escalation::get(&state.db, id).await else {
        let notice = Notice::Problem(ConsoleProblem::NotFound);
        return show(&state, parts, &signed, "", None, "", Some(notice), StatusCode::NOT_FOUND).await;
    };
    // The same decision as triage's, on the escalation's subject: an accepted host is listed.
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    let actor = Actor { id: Some(signed.user.id), login: &signed.user.login, client: &client };
    let decision = if to == Status::Accepted { Decision::Accept } else { Decision::Reject };
    let ruling =
        Ruling { kind: escalation.kind, value: &escalation.value, decision, reason: &form.note, clear: &[] };
    let notice = match super::triage::decided(&state, &ruling, &actor).await {
        Ok(_) => return Redirect::to(&FollowUp::Decided { escalation: id }.href()).into_response(),
        Err(StoreError::Triage(Refusal::NothingWaiting(_))) => {
            Notice::Problem(ConsoleProblem::AlreadyDecided)
        }
        Err(StoreError::Triage(Refusal::ReasonNeeded)) => Notice::Problem(ConsoleProblem::ReasonNeeded),
        Err(StoreError::Triage(_)) => Notice::Problem(ConsoleProblem::DecideInTriage),
        Err(e) => {
            tracing::warn!(error = %e, "deciding an escalation failed");
            Notice::Problem(ConsoleProblem::Unavailable)
        }
    };
    show(&state, parts, &signed, "", None, "", Some(notice), StatusCode::CONFLICT).await
}

/// `GET /console/status`: the agent's escalations' states, for a page that follows them.
pub async fn status(State(state): State<AppState>, StaffRequest { signed, .. }: StaffRequest) -> Response {
    match states_for(&state, signed.user.id).await {
        Ok(states) => Json(serde_json::json!({ "escalations": states })).into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "reading escalation states failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// How often the event stream looks for changes to the agent's escalations. It reads the
/// database, so a decision made on any instance reaches an agent connected to any other.
pub const EVENT_POLL: std::time::Duration = std::time::Duration::from_secs(2);

/// The states the event stream sends for an agent's escalations.
async fn states_for(state: &AppState, agent_id: i64) -> Result<Vec<EscalationState>, StoreError> {
    Ok(escalation::sent_by(&state.db, agent_id, LISTED)
        .await?
        .into_iter()
        .map(|e| EscalationState {
            id: e.id,
            status: e.status.code().to_owned(),
            updated_at: e.updated_at,
            decision_note: e.decision_note,
        })
        .collect())
}

/// `GET /console/events`: server-sent events with the agent's escalations' states, sent at
/// once and then whenever they change; the stream ends with the session.
pub async fn events(State(state): State<AppState>, StaffRequest { signed, .. }: StaffRequest) -> Response {
    let start = (state, signed, None::<String>, true);
    let stream = futures_util::stream::unfold(start, |(state, signed, last, first)| async move {
        let mut first = first;
        loop {
            if !first {
                tokio::time::sleep(EVENT_POLL).await;
            }
            first = false;
            match super::session::still_open(&state.db, &signed.token_hash, time::OffsetDateTime::now_utc())
                .await
            {
                Ok(true) => {}
                Ok(false) => return None,
                // The database is away: try again at the next tick.
                Err(_) => continue,
            }
            let Ok(states) = states_for(&state, signed.user.id).await else { continue };
            let json = serde_json::to_string(&states).unwrap_or_default();
            if last.as_deref() != Some(json.as_str()) {
                let event = Event::default().data(json.clone());
                return Some((
                    Ok::<Event, std::convert::Infallible>(event),
                    (state, signed, Some(json), false),
                ));
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default()).into_response()
}

/// `GET /console/news` (every staff role): the open incidents and newest bulletins as
/// server-sent events, a new event whenever they change (looked at every [`EVENT_POLL`]),
/// until the session ends.
pub async fn news(State(state): State<AppState>, StaffRequest { parts, signed }: StaffRequest) -> Response {
    let locale = app::locale::from_headers(&parts.headers);
    let start = (state, signed, None::<String>, true);
    let stream = futures_util::stream::unfold(start, move |(state, signed, last, first)| async move {
        let mut first = first;
        loop {
            if !first {
                tokio::time::sleep(EVENT_POLL).await;
            }
            first = false;
            match super::session::still_open(&state.db, &signed.token_hash, time::OffsetDateTime::now_utc())
                .await
            {
                Ok(true) => {}
                Ok(false) => return None,
                Err(_) => continue,
            }
            // Straight from the database: the news must not lag behind another instance.
            let Ok(board) = store::bulletin::board::read(&state.db).await else { continue };
            let news = app::staff::news::news_state(&state, &board, locale);
            let json = serde_json::to_string(&news).unwrap_or_default();
            if last.as_deref() != Some(json.as_str()) {
                let event = Event::default().data(json.clone());
                return Some((
                    Ok::<Event, std::convert::Infallible>(event),
                    (state, signed, Some(json), false),
                ));
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default()).into_response()
}

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
}

/// `GET /console/audit` (admins): the newest entries, filtered, and whether the chain holds.
pub async fn audit(
    State(state): State<AppState>,
    Query(query): Query<AuditQuery>,
    StaffRequest { parts, signed }: StaffRequest,
) -> Response {
    let filter =
        audit::Filter { actor: query.actor.clone(), action: query.action.clone(), object: String::new() };
    let loaded = async {
        let rows = audit::search(&state.db, &filter, 200).await?;
        let chain = audit::verify(&state.db).await?;
        Ok::<_, StoreError>((rows, chain))
    };
    match loaded.await {
        Ok((rows, chain)) => {
            let chain = match chain {
                audit::Verdict::Intact { entries, last_hash } => {
                    format!("The chain of {entries} entries holds (last hash {last_hash}). 紀錄鏈完整。")
                }
                audit::Verdict::Broken { id, problem } => {
                    format!("The chain is broken at entry {id}: {problem}. 紀錄鏈在第 {id} 筆中斷。")
                }
            };
            let rows = rows
                .into_iter()
                .map(|e| AuditRow {
                    id: e.id,
                    at: e.at,
                    actor: e.actor,
                    action: e.action,
                    object: e.object,
                    before: e.before,
                    after: e.after,
                    client: e.client,
                })
                .collect();
            let page = StaffPage::Audit {
                who: badge(&signed, &state),
                rows,
                actor: query.actor,
                action: query.action,
                chain,
            };
            render(&state, parts, page, StatusCode::OK).await
        }
        Err(e) => {
            tracing::warn!(error = %e, "reading the audit log failed");
            super::guard::refuse(StatusCode::SERVICE_UNAVAILABLE, "The audit log cannot be read just now.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query_of(href: &str) -> ConsoleQuery {
        assert!(href == "/console" || href.starts_with("/console?"), "{href}");
        let uri: axum::http::Uri = href.parse().unwrap_or_default();
        Query::<ConsoleQuery>::try_from_uri(&uri).map(|q| q.0).unwrap_or_default()
    }

    #[test]
    fn every_follow_up_reads_back_from_the_address_it_redirects_to() {
        for follow_up in [
            FollowUp::ContactLogged { contact: 7 },
            FollowUp::Escalated { escalation: 3, contact: Some(7) },
            FollowUp::Escalated { escalation: 3, contact: None },
            FollowUp::Decided { escalation: 3 },
        ] {
            assert_eq!(FollowUp::of(&query_of(&follow_up.href())), Some(follow_up), "{}", follow_up.href());
        }
    }

    #[test]
    fn a_console_address_without_a_follow_up_or_with_a_bad_id_names_none() {
        for href in [
            "/console",
            "/console?q=kgi357.com",
            "/console?done=escalated&escalation=x",
            "/console?done=contact",
        ] {
            assert_eq!(FollowUp::of(&query_of(href)), None, "{href}");
        }
    }

    #[test]
    fn a_line_id_is_checked_on_its_own_only_where_the_text_says_it_is_one() {
        assert_eq!(subject_text(SubjectKind::LineId, "kgi_vip888"), "LINE ID: kgi_vip888");
        assert_eq!(subject_text(SubjectKind::Host, "kgi357.com"), "kgi357.com");
    }
}
