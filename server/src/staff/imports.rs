//! Imports, data versions and detector switches in the security console. An import is
//! previewed from a paste or an upload, then applied from the same text, which the apply
//! proves with a digest made at the preview (the server keeps nothing between the two, so
//! any instance can apply what another previewed). Rollback and switches are for admins.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};

use app::staff::imports::{
    AppliedView, ImportData, ImportForm, ImportProblem, JobData, JobView, PreviewView, VersionRow,
    VersionsData, VersionsNotice,
};
use app::staff::StaffPage;
use app::state::AppState;
use engine::feed::FeedFormat;
use engine::Detector;
use store::audit::Actor;
use store::import::{ImportRefusal, Plan, Request};
use store::import_jobs::{self, Job, JobState, Outcome};
use store::staff::Role;
use store::StoreError;

use super::session::Signed;
use super::{badge, client_of, render, StaffRequest};

/// The paths that take an import's whole text, and so a larger body than other forms.
pub const UPLOAD_PATHS: [&str; 2] = ["/console/imports/preview", "/console/imports/apply"];

/// The body an import path accepts for `max_bytes` of feed: a form-encoded text grows up to
/// threefold, and the form's other fields need a little more.
pub fn upload_body_limit(max_bytes: usize) -> usize {
    max_bytes.saturating_mul(3).saturating_add(64 * 1024)
}

/// How long an apply may run inside its request; a longer one goes on on the server, and
/// the analyst is sent to its job's page, which shows its progress live.
const APPLY_WAIT: Duration = Duration::from_secs(3);

/// How many of the newest import jobs the import page lists.
const RECENT_JOBS: i64 = 5;

/// How many problems and sample entries a preview lists (the counts are always whole).
const SHOWN: usize = 50;

fn format_of(code: &str) -> Option<FeedFormat> {
    FeedFormat::parse(code)
}

/// The digest an apply must bring: the exact text and choices previewed, and the data version
/// they were previewed against.
fn digest(form: &ImportForm, based_on: i64) -> String {
    let mut hash = Sha256::new();
    for part in [form.format.as_str(), form.vendor.as_str(), if form.replace { "replace" } else { "" }] {
        hash.update(part.len().to_le_bytes());
        hash.update(part.as_bytes());
    }
    hash.update(based_on.to_le_bytes());
    hash.update(form.text.as_bytes());
    store::audit::hex(&hash.finalize())
}

fn problem_of(refusal: &ImportRefusal) -> ImportProblem {
    match refusal {
        ImportRefusal::TooLarge { bytes, max } => ImportProblem::TooLarge { bytes: *bytes, max: *max },
        ImportRefusal::TooManyRows { rows, max } => ImportProblem::TooManyRows { rows: *rows, max: *max },
        ImportRefusal::Unreadable { problems, lines, .. } => {
            ImportProblem::Unreadable { problems: *problems, lines: *lines }
        }
        ImportRefusal::Empty => ImportProblem::Empty,
        ImportRefusal::CoversOfficial(hits) => ImportProblem::CoversOfficial { count: hits.len() },
        ImportRefusal::Doubles { before, after } => ImportProblem::Doubles { before: *before, after: *after },
        ImportRefusal::ChangesTooMuch { before, touched, max_percent } => {
            ImportProblem::ChangesTooMuch { before: *before, touched: *touched, percent: *max_percent }
        }
        ImportRefusal::Stale { .. } => ImportProblem::Stale,
    }
}

fn problem_of_store(e: &StoreError) -> ImportProblem {
    match e {
        StoreError::Import(refusal) => problem_of(refusal),
        other => {
            tracing::warn!(error = %other, "a takedown import failed");
            ImportProblem::Unavailable
        }
    }
}

/// A database failure is the site's (try again later); any other refusal is the feed's.
fn status_of(e: &StoreError) -> StatusCode {
    if e.is_database() {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

fn preview_of(plan: &Plan, form: &ImportForm) -> PreviewView {
    let based_on = plan.based_on.unwrap_or(0);
    PreviewView {
        format: plan.format.code().to_owned(),
        lines: plan.lines,
        rows: plan.rows,
        problems: plan.problems.iter().take(SHOWN).map(|p| (p.line, p.reason.clone())).collect(),
        problem_count: plan.problems.len(),
        official_hits: plan
            .official_hits
            .iter()
            .map(|h| (h.line, h.target.clone(), h.official.clone()))
            .collect(),
        added: plan.added.len(),
        revived: plan.added.iter().filter(|a| a.revive.is_some()).count(),
        changed: plan.changed.len(),
        unchanged: plan.unchanged,
        merged: plan.merged,
        removed: plan.removed.len(),
        active_before: plan.active_before,
        active_after: plan.active_after,
        sample_added: plan.added.iter().take(SHOWN).map(|a| a.image.target.clone()).collect(),
        sample_changed: plan
            .changed
            .iter()
            .take(SHOWN)
            .map(|(_, before, after)| {
                format!(
                    "{} (reports {} → {}, seen {}–{} → {}–{})",
                    after.target,
                    before.report_count,
                    after.report_count,
                    before.first_seen,
                    before.last_seen,
                    after.first_seen,
                    after.last_seen
                )
            })
            .collect(),
        sample_removed: plan.removed.iter().take(SHOWN).map(|(_, image)| image.target.clone()).collect(),
        guard: plan.guard.as_ref().map(problem_of),
        digest: digest(form, based_on),
        based_on,
    }
}

async fn show(
    state: &AppState,
    parts: Parts,
    signed: &Signed,
    data: ImportData,
    status: StatusCode,
) -> Response {
    let recent = match import_jobs::recent(&state.db, RECENT_JOBS).await {
        Ok(jobs) => {
            let now = time::OffsetDateTime::now_utc();
            jobs.into_iter().map(|job| job_view_of(state, job, now)).collect()
        }
        Err(e) => {
            tracing::warn!(error = %e, "reading the import jobs failed");
            Vec::new()
        }
    };
    let data = ImportData {
        who: badge(signed, state),
        can_force: signed.user.has(Role::Admin),
        max_bytes: state.staff.imports.max_bytes,
        recent,
        ..data
    };
    render(state, parts, StaffPage::Imports(Box::new(data)), status).await
}

/// `GET /console/imports`.
pub async fn page(State(state): State<AppState>, StaffRequest { parts, signed }: StaffRequest) -> Response {
    let form = ImportForm { format: "auto".into(), ..ImportForm::default() };
    show(&state, parts, &signed, ImportData { form, ..ImportData::default() }, StatusCode::OK).await
}

/// Reads the import form: the pasted text, or an uploaded file (`.gz` decompressed) which
/// wins when given; never more than `max_bytes` of text.
async fn read_upload(mut multipart: Multipart, max_bytes: usize) -> Result<ImportForm, ImportProblem> {
    let mut form = ImportForm { format: "auto".into(), origin: "paste".into(), ..ImportForm::default() };
    let mut file: Option<(String, Vec<u8>)> = None;
    let unreadable = |_| ImportProblem::NotPreviewed;
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.map_err(unreadable)?;
        if bytes.len() > max_bytes {
            return Err(ImportProblem::TooLarge { bytes: bytes.len(), max: max_bytes });
        }
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "text" => form.text = text().replace("\r\n", "\n"),
            "format" => form.format = text(),
            "vendor" => form.vendor = text().trim().chars().take(100).collect(),
            "replace" => form.replace = !bytes.is_empty(),
            "file" => {
                if let Some(file_name) = file_name.filter(|n| !n.is_empty() && !bytes.is_empty()) {
                    file = Some((file_name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    if let Some((name, bytes)) = file {
        let bytes = if name.ends_with(".gz") { gunzip(&bytes, max_bytes)? } else { bytes };
        form.text =
            String::from_utf8(bytes).map_err(|_| ImportProblem::Unreadable { problems: 1, lines: 1 })?;
        form.origin = name.chars().take(200).collect();
    }
    Ok(form)
}

fn gunzip(bytes: &[u8], max_bytes: usize) -> Result<Vec<u8>, ImportProblem> {
    use std::io::Read as _;
    let mut out = Vec::new();
    let limit = u64::try_from(max_bytes).unwrap_or(u64::MAX).saturating_add(1);
    flate2::read::GzDecoder::new(bytes)
        .take(limit)
        .read_to_end(&mut out)
        .map_err(|_| ImportProblem::Unreadable { problems: 1, lines: 1 })?;
    if out.len() > max_bytes {
        return Err(ImportProblem::TooLarge { bytes: out.len(), max: max_bytes });
    }
    Ok(out)
}

fn request_of(form: &ImportForm) -> Request<'_> {
    Request {
        text: &form.text,
        format: format_of(&form.format),
        origin: &form.origin,
        vendor: &form.vendor,
        replace: form.replace,
    }
}

/// `POST /console/imports/preview` (multipart: `text` or `file`, `format`, `vendor`, `replace`).
pub async fn preview(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
    multipart: Multipart,
) -> Response {
    let limits = state.staff.imports;
    let form = match read_upload(multipart, limits.max_bytes).await {
        Ok(form) => form,
        Err(problem) => {
            let data = ImportData { problem: Some(problem), ..ImportData::default() };
            return show(&state, parts, &signed, data, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let (form, previewed) = preview_beside_checks(&state.db, form, limits).await;
    match previewed {
        Ok(plan) => {
            let preview = preview_of(&plan, &form);
            show(
                &state,
                parts,
                &signed,
                ImportData { form, preview: Some(preview), ..ImportData::default() },
                StatusCode::OK,
            )
            .await
        }
        Err(e) => {
            let status = status_of(&e);
            let data = ImportData { problem: Some(problem_of_store(&e)), form, ..ImportData::default() };
            show(&state, parts, &signed, data, status).await
        }
    }
}

/// `POST /console/imports/apply`: the previewed text again with its digest; `force` (admins
/// only) to go past a size or change guard.
pub async fn apply(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
    body: Bytes,
) -> Response {
    let mut form = ImportForm::default();
    let (mut sent_digest, mut based_on, mut force) = (String::new(), 0_i64, false);
    for (key, value) in url::form_urlencoded::parse(&body) {
        match key.as_ref() {
            "text" => form.text = value.replace("\r\n", "\n"),
            "format" => form.format = value.into_owned(),
            "vendor" => form.vendor = value.into_owned(),
            "origin" => form.origin = value.chars().take(200).collect(),
            "replace" => form.replace = !value.is_empty(),
            "digest" => sent_digest = value.into_owned(),
            "based_on" => based_on = value.parse().unwrap_or(-1),
            "force" => force = !value.is_empty(),
            _ => {}
        }
    }
    let refuse = |problem: ImportProblem, form: ImportForm| ImportData {
        problem: Some(problem),
        form,
        ..ImportData::default()
    };
    if force && !signed.user.has(Role::Admin) {
        return show(
            &state,
            parts,
            &signed,
            refuse(ImportProblem::ForceNeedsAdmin, form),
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    if digest(&form, based_on) != sent_digest {
        return show(
            &state,
            parts,
            &signed,
            refuse(ImportProblem::NotPreviewed, form),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let limits = state.staff.imports;
    let (form, previewed) = preview_beside_checks(&state.db, form, limits).await;
    let plan = match previewed {
        Ok(plan) if plan.based_on.unwrap_or(0) == based_on => plan,
        Ok(_) => {
            return show(&state, parts, &signed, refuse(ImportProblem::Stale, form), StatusCode::CONFLICT)
                .await
        }
        Err(e) => {
            return show(
                &state,
                parts,
                &signed,
                refuse(problem_of_store(&e), form),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    let (login, id) = (signed.user.login.clone(), signed.user.id);
    let actor = Actor { id: Some(id), login: &login, client: &client };
    let total = plan.added.len() + plan.changed.len() + plan.removed.len();
    let job = match import_jobs::start(&state.db, &actor, &plan.origin, plan.format.code(), total).await {
        Ok(job) => job,
        Err(e) => {
            let status = status_of(&e);
            return show(&state, parts, &signed, refuse(problem_of_store(&e), form), status).await;
        }
    };
    // The apply runs on its own task: a request that times out or a browser that goes away
    // does not cancel it half-way (it is one transaction either way).
    let (db, board) = (state.db.clone(), Arc::clone(&state.import_jobs));
    let task = tokio::spawn(run_job(db, board, job, plan, (id, login, client), force));
    let outcome = match tokio::time::timeout(APPLY_WAIT, task).await {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(join)) => {
            tracing::error!(error = %join, "a takedown import task failed");
            return show(
                &state,
                parts,
                &signed,
                refuse(ImportProblem::Unavailable, form),
                StatusCode::INTERNAL_SERVER_ERROR,
            )
            .await;
        }
        Err(_) => {
            // Still applying: its page shows how far it has got, on whichever instance.
            return Redirect::to(&format!("/console/imports/jobs/{job}")).into_response();
        }
    };
    match outcome {
        // Applied, or nothing to change: the job's page says which (Post/Redirect/Get, so a
        // reload reads the outcome instead of applying the import again).
        Ok(_) => Redirect::to(&format!("/console/imports/jobs/{job}")).into_response(),
        Err(e) => {
            let status = status_of(&e);
            show(&state, parts, &signed, refuse(problem_of_store(&e), form), status).await
        }
    }
}

/// Reads and plans `form` as [`store::import::preview`] does, beside the checks
/// ([`store::background::beside_checks`]: a million rows keep a core busy for seconds);
/// gives the form back with the plan.
async fn preview_beside_checks(
    db: &store::Db,
    form: ImportForm,
    limits: store::import::Limits,
) -> (ImportForm, Result<Plan, StoreError>) {
    let previewed = store::background::beside_checks(db, move |db| async move {
        let plan = store::import::preview(&db, &request_of(&form), &limits).await;
        (form, plan)
    })
    .await;
    previewed.unwrap_or_else(|e| (ImportForm::default(), Err(e)))
}

/// Applies `plan` as import job `job` for `who` (id, login, client address), beside the checks
/// ([`store::background::beside_checks`]): its live progress on this instance's board and, at
/// most once a second, in the database (from connections of its own, not the import's
/// transaction), then how it ended.
async fn run_job(
    db: store::Db,
    board: Arc<import_jobs::Board>,
    job: i64,
    plan: Plan,
    who: (i64, String, String),
    force: bool,
) -> Result<Option<store::versions::Version>, StoreError> {
    let total = plan.added.len() + plan.changed.len() + plan.removed.len();
    let tracker = board.track(job, total);
    let reporter = tokio::spawn(import_jobs::report(db.clone(), job, Arc::clone(&tracker)));
    let progress = Arc::clone(&tracker);
    let outcome = store::background::beside_checks(&db, move |db| async move {
        let (id, login, client) = who;
        let actor = Actor { id: Some(id), login: &login, client: &client };
        store::import::apply(&db, &plan, &actor, force, &|p| progress.set(p.done, p.total)).await
    })
    .await
    .and_then(|applied| applied);
    reporter.abort();
    let problem = |p: ImportProblem| serde_json::to_string(&p).unwrap_or_default();
    let end = match &outcome {
        Ok(Some(version)) => Outcome::Done { version: version.version },
        Ok(None) => Outcome::Unchanged,
        Err(e) if e.is_database() => Outcome::Failed(problem(ImportProblem::Unavailable)),
        Err(e) => Outcome::Refused(problem(problem_of_store(e))),
    };
    if let Err(e) = import_jobs::finish(&db, job, &end).await {
        tracing::warn!(error = %e, job, "recording how an import ended failed");
    }
    board.forget(job);
    outcome
}

/// A job as its pages show it: the live count when this instance is applying it (SQLite's
/// only source while it runs), else the database's; a running job nobody has written about
/// for a while is shown as stopped.
fn job_view_of(state: &AppState, job: Job, now: time::OffsetDateTime) -> JobView {
    let live = state.import_jobs.progress(job.id);
    let stalled = import_jobs::is_stalled(&job, live.is_some(), now);
    let (done, total) = match live {
        Some((done, total)) if job.state == JobState::Running => {
            (i64::try_from(done).unwrap_or(i64::MAX).max(job.done), i64::try_from(total).unwrap_or(job.total))
        }
        _ => (job.done, job.total),
    };
    JobView {
        id: job.id,
        state: if stalled { "stalled".to_owned() } else { job.state.code().to_owned() },
        done,
        total,
        applied: None,
        problem: serde_json::from_str(&job.reason).ok(),
        actor: job.actor,
        origin: job.origin,
        format: job.format,
        started_at: job.started_at,
    }
}

/// What an applied import made, and how long it took (`seconds`, as the page shows it).
fn applied_of(v: store::versions::Version, seconds: String) -> AppliedView {
    AppliedView {
        version: v.version,
        added: v.added,
        changed: v.changed,
        removed: v.removed,
        entries: v.entries,
        checksum: v.checksum,
        forced: v.forced,
        seconds,
    }
}

/// Seconds from one stored time to another.
fn seconds_between(from: &str, to: &str) -> Option<i64> {
    let format = time::format_description::well_known::Rfc3339;
    let from = time::OffsetDateTime::parse(from, &format).ok()?;
    let to = time::OffsetDateTime::parse(to, &format).ok()?;
    Some((to - from).whole_seconds())
}

/// `GET /console/imports/jobs/{id}`: an import's progress, then its outcome.
pub async fn job(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    StaffRequest { parts, signed }: StaffRequest,
) -> Response {
    let read = async {
        let Some(job) = import_jobs::get(&state.db, id).await? else {
            return Ok(None);
        };
        let version = match (job.state, job.version) {
            (JobState::Done, Some(v)) => store::versions::get(&state.db, v).await?,
            _ => None,
        };
        Ok::<_, StoreError>(Some((job, version)))
    };
    match read.await {
        Ok(Some((job, version))) => {
            let seconds = job.finished_at.as_deref().and_then(|end| seconds_between(&job.started_at, end));
            let mut view = job_view_of(&state, job, time::OffsetDateTime::now_utc());
            view.applied = version.map(|v| applied_of(v, seconds.unwrap_or_default().to_string()));
            let data = JobData { who: badge(&signed, &state), job: view };
            render(&state, parts, StaffPage::ImportJob(Box::new(data)), StatusCode::OK).await
        }
        Ok(None) => super::guard::refuse(StatusCode::NOT_FOUND, "There is no such import."),
        Err(e) => {
            tracing::warn!(error = %e, "reading an import job failed");
            super::guard::refuse(StatusCode::SERVICE_UNAVAILABLE, "The import cannot be read just now.")
        }
    }
}

async fn show_versions(
    state: &AppState,
    parts: Parts,
    signed: &Signed,
    notice: Option<VersionsNotice>,
    status: StatusCode,
) -> Response {
    let read = async {
        let versions = store::versions::list(&state.db, 100).await?;
        let mut conn = state.db.acquire().await?;
        let switches = store::switches::read(&mut *conn).await?;
        Ok::<_, StoreError>((versions, switches))
    };
    match read.await {
        Ok((versions, switches)) => {
            let data = VersionsData {
                who: badge(signed, state),
                versions: versions
                    .into_iter()
                    .map(|v| VersionRow {
                        version: v.version,
                        created_at: v.created_at,
                        actor: v.actor,
                        action: v.action,
                        origin: v.origin,
                        added: v.added,
                        changed: v.changed,
                        removed: v.removed,
                        entries: v.entries,
                        checksum: v.checksum,
                        rolled_back_to: v.rolled_back_to,
                        forced: v.forced,
                        note: v.note,
                    })
                    .collect(),
                can_rollback: signed.user.has(Role::Admin),
                switches: Detector::ALL.iter().map(|d| (d.code().to_owned(), switches.is_on(*d))).collect(),
                can_switch: signed.user.has(Role::Admin),
                notice,
            };
            render(state, parts, StaffPage::Versions(Box::new(data)), status).await
        }
        Err(e) => {
            tracing::warn!(error = %e, "reading the data versions failed");
            super::guard::refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "The data versions cannot be read just now.",
            )
        }
    }
}

/// The versions page, where rollbacks and switches are answered.
const VERSIONS: &str = "/console/versions";

/// `GET /console/versions` (a notice from the action before, [`super::follow_up`]).
pub async fn versions(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
) -> Response {
    let notice = super::follow_up::notice_of(&parts, &signed);
    show_versions(&state, parts, &signed, notice, StatusCode::OK).await
}

/// `POST /console/versions/{version}/rollback` (admins).
pub async fn rollback(
    State(state): State<AppState>,
    Path(to): Path<i64>,
    StaffRequest { parts, signed }: StaffRequest,
) -> Response {
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    let actor = Actor { id: Some(signed.user.id), login: &signed.user.login, client: &client };
    let (notice, status) = match store::versions::rollback(&state.db, to, &actor).await {
        Ok(v) => {
            let notice = VersionsNotice::RolledBack { to, version: v.version, checksum: v.checksum };
            return super::follow_up::redirect(VERSIONS, &signed, &notice);
        }
        Err(
            e @ (StoreError::NoSuchVersion(_)
            | StoreError::VersionIsCurrent(_)
            | StoreError::ChecksumMismatch { .. }),
        ) => (VersionsNotice::Problem(e.to_string()), StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => {
            tracing::warn!(error = %e, "a rollback failed");
            (
                VersionsNotice::Problem("目前無法回復，沒有任何變更。The rollback could not be done just now; nothing was changed.".into()),
                StatusCode::SERVICE_UNAVAILABLE,
            )
        }
    };
    show_versions(&state, parts, &signed, Some(notice), status).await
}

/// `POST /console/switches` (admins): `detector`, `state` (`on` or `off`).
pub async fn switch(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
    body: Bytes,
) -> Response {
    let (mut detector, mut on) = (None, None);
    for (key, value) in url::form_urlencoded::parse(&body) {
        match key.as_ref() {
            "detector" => detector = Detector::parse(&value),
            "state" => on = matches!(value.as_ref(), "on" | "off").then(|| value == "on"),
            _ => {}
        }
    }
    let (Some(detector), Some(on)) = (detector, on) else {
        let notice = VersionsNotice::Problem("請選擇偵測項目與開關。Choose a detector and on or off.".into());
        return show_versions(&state, parts, &signed, Some(notice), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    let actor = Actor { id: Some(signed.user.id), login: &signed.user.login, client: &client };
    match store::switches::set(&state.db, detector, on, &actor).await {
        Ok(()) => {
            let notice = VersionsNotice::Switched { detector: detector.code().to_owned(), on };
            super::follow_up::redirect(VERSIONS, &signed, &notice)
        }
        Err(e) => {
            tracing::warn!(error = %e, "switching a detector failed");
            let notice =
                VersionsNotice::Problem("目前無法變更開關。The switch could not be changed just now.".into());
            show_versions(&state, parts, &signed, Some(notice), StatusCode::SERVICE_UNAVAILABLE).await
        }
    }
}
