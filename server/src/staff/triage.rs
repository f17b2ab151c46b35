//! `/console/triage` on the server (analysts and admins): the queue of public reports and
//! agents' escalations, read from the store and judged with the live index (what the check
//! says of each subject now, what the reported texts show), and the decisions on it. Every
//! rule is the store's (`store::triage`), checked in its transaction.

use axum::extract::{Query, Request, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use app::lookup::taiwan_time;
use app::lookup::wording::defanged;
use app::staff::triage::{
    ClearedView, DecidedView, NoteView, TextView, TriageData, TriageNotice, TriageProblem, TriageRow,
};
use app::staff::StaffPage;
use app::state::AppState;
use engine::{Index, Reason, Signal, Switches};
use store::audit::Actor;
use store::contact::SubjectKind;
use store::triage::{self, Decision, Evidence, PastDecision, Refusal, Ruling, Waiting};
use store::StoreError;

use super::session::Signed;
use super::{badge, client_of, read_form, render, StaffRequest};

/// Subjects to a page.
const PER_PAGE: i64 = 20;
/// The newest reports and agents' notes shown (and judged) per subject.
const NEWEST: i64 = 5;
/// A reported text is shown cut to this many characters.
const EXCERPT_CHARS: usize = 280;
/// Decisions listed under the queue.
const DECIDED_SHOWN: i64 = 20;

/// How a subject's value is written for the check to read it on its own.
fn as_written(kind: SubjectKind, value: &str) -> String {
    match kind {
        SubjectKind::LineId => format!("@{value}"),
        _ => value.to_owned(),
    }
}

/// What the check says of a subject alone: its verdict code and reasons.
pub fn answer_now(
    kind: SubjectKind,
    value: &str,
    index: &Index,
    switches: Switches,
) -> (String, Vec<Reason>) {
    let report = engine::check_with(&as_written(kind, value), index, switches);
    match report.ok().and_then(|r| r.findings.into_iter().next()) {
        Some(finding) => (app::lookup::wording::verdict_code(finding.verdict).to_owned(), finding.reasons),
        None => ("unknown".to_owned(), Vec::new()),
    }
}

/// What the reported texts show about a host: reasons and scam wording, each with the number
/// of texts that give it, most given first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TextFindings {
    pub reasons: Vec<(Reason, i64)>,
    pub signals: Vec<(Signal, i64)>,
}

/// What the reported texts show about `host`: every reason the check gives the host inside
/// a text (a message that speaks as the firm makes any other link suspicious), and the scam
/// wording in the texts, each with the number of texts. "Not listed" is no finding.
pub fn findings_in<'a>(
    texts: impl IntoIterator<Item = &'a str>,
    host: &str,
    index: &Index,
    switches: Switches,
) -> TextFindings {
    let mut reasons: Vec<(Reason, i64)> = Vec::new();
    let mut signals: Vec<(Signal, i64)> = Vec::new();
    for text in texts {
        let Ok(report) = engine::check_with(text, index, switches) else { continue };
        let mut seen: Vec<&'static str> = Vec::new();
        for finding in report.findings.iter().filter(|f| f.host.as_deref() == Some(host)) {
            for reason in finding.reasons.iter().filter(|r| !matches!(r, Reason::NotListed)) {
                if seen.contains(&reason.code()) {
                    continue;
                }
                seen.push(reason.code());
                match reasons.iter_mut().find(|(r, _)| r.code() == reason.code()) {
                    Some((_, n)) => *n += 1,
                    None => reasons.push((reason.clone(), 1)),
                }
            }
        }
        for signal in report.signals {
            match signals.iter_mut().find(|(s, _)| *s == signal) {
                Some((_, n)) => *n += 1,
                None => signals.push((signal, 1)),
            }
        }
    }
    reasons.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    signals.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    TextFindings { reasons, signals }
}

/// The lookalike warnings among `reasons` (their codes, each once): what a rejection may clear.
pub fn lookalike_codes<'a>(reasons: impl IntoIterator<Item = &'a Reason>) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for reason in reasons {
        if let Reason::Lookalike(l) = reason {
            if !codes.iter().any(|c| c == l.code()) {
                codes.push(l.code().to_owned());
            }
        }
    }
    codes
}

/// `text` cut to [`EXCERPT_CHARS`] characters, with every address defanged (staff copy these).
fn excerpt(text: &str) -> String {
    let defanged = app::safe_text::defanged_text(text, |_| None);
    let mut cut: String = defanged.chars().take(EXCERPT_CHARS).collect();
    if cut.len() < defanged.len() {
        cut.push('…');
    }
    cut
}

fn decided_view(d: PastDecision) -> DecidedView {
    DecidedView {
        kind: d.kind.code().to_owned(),
        shown: defanged(&d.value),
        decision: d.decision.code().to_owned(),
        reason: d.reason,
        analyst: d.analyst,
        at: taiwan_time(&d.decided_at),
        reports: d.reports,
        requests: d.requests,
        entry: d.takedown_entry_id,
    }
}

fn row_view(waiting: Waiting, evidence: Evidence, index: Option<(&Index, Switches)>) -> TriageRow {
    let kind = waiting.kind;
    let (verdict, reasons) = match index {
        Some((index, switches)) => answer_now(kind, &waiting.value, index, switches),
        None => ("unknown".to_owned(), Vec::new()),
    };
    let TextFindings { reasons: findings, signals } = match (kind, index) {
        (SubjectKind::Host, Some((index, switches))) => {
            findings_in(evidence.reports.iter().map(|r| r.text.as_str()), &waiting.value, index, switches)
        }
        _ => TextFindings::default(),
    };
    let site = match kind {
        SubjectKind::Host => {
            engine::domain::registrable_domain(&waiting.value).unwrap_or_default().to_owned()
        }
        _ => String::new(),
    };
    let lookalikes = if site.is_empty() {
        Vec::new()
    } else {
        lookalike_codes(reasons.iter().chain(findings.iter().map(|(r, _)| r)))
    };
    TriageRow {
        kind: kind.code().to_owned(),
        shown: defanged(&waiting.value),
        shared_host: kind == SubjectKind::Host && store::import::is_shared_host(&waiting.value),
        value: waiting.value,
        reports: waiting.reports,
        requests: waiting.requests,
        first_seen: taiwan_time(&waiting.first_seen),
        last_seen: taiwan_time(&waiting.last_seen),
        verdict,
        reasons,
        findings,
        signals,
        site,
        lookalikes,
        texts: evidence
            .reports
            .into_iter()
            .map(|r| TextView {
                reference: r.reference,
                at: taiwan_time(&r.created_at),
                channel: r.channel,
                excerpt: excerpt(&r.text),
                note: excerpt(&r.note),
            })
            .collect(),
        notes: evidence
            .requests
            .into_iter()
            .map(|q| NoteView { agent: q.agent, note: q.note, at: taiwan_time(&q.created_at) })
            .collect(),
        listed: evidence.listed.map(|l| (l.id, l.status.code().to_owned(), l.removed)),
        past: evidence.past.into_iter().map(decided_view).collect(),
    }
}

async fn load(
    state: &AppState,
    signed: &Signed,
    page: i64,
    notice: Option<TriageNotice>,
) -> Result<TriageData, StoreError> {
    let page = page.max(1);
    let queue = triage::queue(&state.db, PER_PAGE, (page - 1) * PER_PAGE).await?;
    let snapshot = state.live.current();
    let index = snapshot.as_ref().map(|s| (&s.index, s.switches));
    let mut rows = Vec::with_capacity(queue.waiting.len());
    for waiting in queue.waiting {
        let evidence = triage::evidence(&state.db, waiting.kind, &waiting.value, NEWEST).await?;
        rows.push(row_view(waiting, evidence, index));
    }
    let decided = triage::decisions(&state.db, None, DECIDED_SHOWN).await?;
    let (unnamed, unnamed_total) = triage::reports_naming_nothing(&state.db, NEWEST * 4).await?;
    let cleared = triage::cleared(&state.db)
        .await?
        .into_iter()
        .map(|c| ClearedView {
            domain: c.domain,
            reason: c.reason,
            analyst: c.analyst,
            at: taiwan_time(&c.cleared_at),
            why: c.why,
        })
        .collect();
    Ok(TriageData {
        who: badge(signed, state),
        notice,
        rows,
        total: queue.total,
        page,
        pages: (queue.total + PER_PAGE - 1) / PER_PAGE,
        decided: decided.into_iter().map(decided_view).collect(),
        cleared,
        unnamed: unnamed
            .into_iter()
            .map(|r| TextView {
                reference: r.reference,
                at: taiwan_time(&r.created_at),
                channel: r.channel,
                excerpt: excerpt(&r.text),
                note: excerpt(&r.note),
            })
            .collect(),
        unnamed_total,
    })
}

async fn show(
    state: &AppState,
    parts: Parts,
    signed: &Signed,
    page: i64,
    notice: Option<TriageNotice>,
    status: StatusCode,
) -> Response {
    match load(state, signed, page, notice).await {
        Ok(data) => render(state, parts, StaffPage::Triage(Box::new(data)), status).await,
        Err(e) => {
            tracing::warn!(error = %e, "the triage queue could not be read");
            super::guard::refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "The triage queue cannot be read just now. Try again shortly.",
            )
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    page: Option<i64>,
}

/// The triage page, where its actions' answers are shown.
const TRIAGE: &str = "/console/triage";

/// `GET /console/triage` (`?page=`; a notice from the action before, [`super::follow_up`]).
pub async fn page(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
    StaffRequest { parts, signed }: StaffRequest,
) -> Response {
    let notice = super::follow_up::notice_of(&parts, &signed);
    show(&state, parts, &signed, query.page.unwrap_or(1), notice, StatusCode::OK).await
}

/// A decision as the form sends it: `clear` once per lookalike warning to stop.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DecideForm {
    pub kind: String,
    pub value: String,
    pub decision: String,
    pub reason: String,
    pub clear: Vec<String>,
}

impl DecideForm {
    /// Reads the form's fields; repeated `clear` fields are kept in order.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = Self::default();
        for (name, value) in pairs {
            match name.as_str() {
                "kind" => form.kind = value,
                "value" => form.value = value.trim().to_owned(),
                "decision" => form.decision = value,
                "reason" => form.reason = value,
                "clear" => form.clear.push(value),
                _ => {}
            }
        }
        form
    }
}

/// Says in the page's words what the store refused.
fn problem_of(e: StoreError) -> (TriageProblem, StatusCode) {
    match e {
        StoreError::Triage(refusal) => {
            let problem = match refusal {
                Refusal::NothingWaiting(value) => TriageProblem::NothingWaiting { value: defanged(&value) },
                Refusal::ReasonNeeded => TriageProblem::ReasonNeeded,
                Refusal::ReasonTooLong(_) => TriageProblem::ReasonTooLong,
                Refusal::SharedHost(value) => TriageProblem::SharedHost { value: defanged(&value) },
                Refusal::CoversOfficial { host, official } => {
                    TriageProblem::CoversOfficial { value: host, official }
                }
                Refusal::UnknownLookalike(_) => TriageProblem::BadForm,
                Refusal::NothingToClear(value) => TriageProblem::NothingToClear { value: defanged(&value) },
            };
            let status = if matches!(problem, TriageProblem::NothingWaiting { .. }) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            (problem, status)
        }
        other => {
            tracing::warn!(error = %other, "a triage decision failed");
            (TriageProblem::Unavailable, StatusCode::SERVICE_UNAVAILABLE)
        }
    }
}

/// `POST /console/triage/decide`: accept or reject one waiting subject.
pub async fn decide(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
    request: Request,
) -> Response {
    let pairs = read_form::<Vec<(String, String)>>(&state, request).await.unwrap_or_default();
    let form = DecideForm::from_pairs(pairs);
    let (Some(kind), Some(decision)) = (SubjectKind::parse(&form.kind), Decision::parse(&form.decision))
    else {
        let notice = TriageNotice::Problem(TriageProblem::BadForm);
        return show(&state, parts, &signed, 1, Some(notice), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    let actor = Actor { id: Some(signed.user.id), login: &signed.user.login, client: &client };
    let ruling = Ruling { kind, value: &form.value, decision, reason: &form.reason, clear: &form.clear };
    match decided(&state, &ruling, &actor).await {
        Ok(notice) => super::follow_up::redirect(TRIAGE, &signed, &notice),
        Err(e) => {
            let (problem, status) = problem_of(e);
            show(&state, parts, &signed, 1, Some(TriageNotice::Problem(problem)), status).await
        }
    }
}

/// Records a decision and says what it did; this instance's checks follow at once (the
/// others at their next data-version check).
pub async fn decided(
    state: &AppState,
    ruling: &Ruling<'_>,
    actor: &Actor<'_>,
) -> Result<TriageNotice, StoreError> {
    let outcome = triage::decide(&state.db, ruling, actor).await?;
    if outcome.version.is_some() || !outcome.cleared.is_empty() {
        if let Err(failed) = state.live.refresh_if_changed(&state.db).await {
            tracing::warn!(error = %failed.error, "reloading after a triage decision failed; the next refresh retries");
        }
    }
    let value = defanged(ruling.value);
    let agents = outcome.escalations.len();
    Ok(match ruling.decision {
        Decision::Accept => TriageNotice::Accepted {
            value,
            entry: outcome.entry.map(|(id, status)| (id, status.code().to_owned())),
            agents,
        },
        Decision::Reject => TriageNotice::Rejected {
            value,
            cleared: outcome.cleared,
            site: outcome.site.unwrap_or_default(),
            agents,
        },
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct RestoreForm {
    #[serde(default)]
    domain: String,
    #[serde(default)]
    reason: String,
}

/// `POST /console/triage/restore`: give a cleared lookalike warning back to the checks.
pub async fn restore(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
    request: Request,
) -> Response {
    let form = read_form::<RestoreForm>(&state, request).await.unwrap_or_default();
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    let actor = Actor { id: Some(signed.user.id), login: &signed.user.login, client: &client };
    let (notice, status) = match triage::restore_lookalike(&state.db, &form.domain, &form.reason, &actor)
        .await
    {
        Ok(true) => {
            if let Err(failed) = state.live.refresh_if_changed(&state.db).await {
                tracing::warn!(error = %failed.error, "reloading after a restored warning failed; the next refresh retries");
            }
            let notice = TriageNotice::Restored { domain: form.domain, reason: form.reason };
            return super::follow_up::redirect(TRIAGE, &signed, &notice);
        }
        Ok(false) => (TriageNotice::Problem(TriageProblem::NotCleared), StatusCode::NOT_FOUND),
        Err(e) => {
            tracing::warn!(error = %e, "restoring a lookalike warning failed");
            (TriageNotice::Problem(TriageProblem::Unavailable), StatusCode::SERVICE_UNAVAILABLE)
        }
    };
    show(&state, parts, &signed, 1, Some(notice), status).await
}

#[derive(Debug, Default, Deserialize)]
pub struct CloseReportForm {
    #[serde(default)]
    reference: String,
    #[serde(default)]
    reason: String,
}

/// `POST /console/triage/close-report`: close an open report that names nothing, with what
/// was done.
pub async fn close_report(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
    request: Request,
) -> Response {
    let form = read_form::<CloseReportForm>(&state, request).await.unwrap_or_default();
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    let actor = Actor { id: Some(signed.user.id), login: &signed.user.login, client: &client };
    let reference = form.reference.trim().to_ascii_uppercase();
    let (notice, status) = match triage::close_report(&state.db, &reference, &form.reason, &actor).await {
        Ok(()) => {
            return super::follow_up::redirect(TRIAGE, &signed, &TriageNotice::ReportClosed { reference })
        }
        Err(e) => {
            let (problem, status) = problem_of(e);
            (TriageNotice::Problem(problem), status)
        }
    };
    show(&state, parts, &signed, 1, Some(notice), status).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::IndexData;

    fn index() -> Index {
        Index::build(IndexData {
            official_domains: vec!["kgi.com.tw".into()],
            brand_keywords: vec!["kgi".into(), "凱基".into()],
            firm_names: vec!["凱基證券".into()],
            ..IndexData::default()
        })
        .unwrap()
    }

    #[test]
    fn the_texts_findings_for_a_host_count_each_text_once_and_skip_other_hosts() {
        let index = index();
        let texts = [
            "【凱基證券】您的帳戶異常，請立即至 kkpp.kgi999.com/login 驗證",
            "kkpp.kgi999.com kkpp.kgi999.com/again",
            "另一個 other.top 網站",
        ];
        let TextFindings { reasons, signals } =
            findings_in(texts, "kkpp.kgi999.com", &index, Switches::default());
        let codes: Vec<(&str, i64)> = reasons.iter().map(|(r, n)| (r.code(), *n)).collect();
        assert_eq!(codes[0], ("brand_in_name", 2), "{codes:?}");
        assert!(codes.iter().any(|(c, n)| *c == "firm_message_link" && *n == 1), "{codes:?}");
        assert!(!codes.iter().any(|(c, _)| *c == "not_listed"));
        assert!(signals.iter().any(|(s, n)| *s == Signal::Urgency && *n == 1), "{signals:?}");
        assert_eq!(lookalike_codes(reasons.iter().map(|(r, _)| r)), ["brand_in_name"]);
    }

    #[test]
    fn a_decision_form_keeps_every_warning_to_clear() {
        let pairs = [
            ("kind", "host"),
            ("value", " kgi-fans.org "),
            ("decision", "rejected"),
            ("reason", "fan club"),
            ("clear", "brand_in_name"),
            ("clear", "brand_in_subdomain"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .to_vec();
        let form = DecideForm::from_pairs(pairs);
        assert_eq!(form.value, "kgi-fans.org");
        assert_eq!(form.clear, ["brand_in_name", "brand_in_subdomain"]);
    }

    #[test]
    fn a_long_report_is_cut_and_its_fake_links_defanged() {
        let text = format!("請點 https://kkpp.kgi999.com/login {}", "字".repeat(400));
        let cut = excerpt(&text);
        assert!(cut.ends_with('…') && cut.chars().count() == EXCERPT_CHARS + 1);
        assert!(!cut.contains("https://kkpp.kgi999.com"), "{cut}");
    }
}
