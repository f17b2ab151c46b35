//! Reply scripts on the server: filled in for a check's verdict in the console, listed and
//! searched at `/console/scripts`, edited by admins (audited).

use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use app::lookup::CheckAnswer;
use app::staff::{EditableScript, ScriptView, StaffPage};
use app::state::AppState;
use engine::Verdict;
use store::audit::{self, NewEntry};
use store::official::OfficialKind;
use store::script::{self, Placeholders, Script, ScriptError, ScriptText};
use store::staff::Role;
use store::StoreError;

use super::session::Signed;
use super::{badge, client_of, read_form, render, StaffRequest};

/// What the placeholders stand for after `answer`, in each language: the firm's name, the
/// first link that is not official (defanged), the firm's first official phone number, today.
pub fn placeholders(state: &AppState, answer: Option<&CheckAnswer>) -> (Placeholders, Placeholders) {
    let snapshot = state.live.current();
    let hotline = snapshot
        .as_ref()
        .and_then(|s| s.official.iter().find(|e| e.kind == OfficialKind::Phone).map(|e| e.value.clone()))
        .unwrap_or_default();
    let domain = answer
        .and_then(|a| {
            let links = a.report.findings.iter().filter(|f| f.host.is_some());
            let mut links: Vec<_> = links.collect();
            links.sort_by_key(|f| f.verdict == Verdict::Official);
            links.first().and_then(|f| f.registrable_domain.clone().or_else(|| f.host.clone()))
        })
        .map(|d| app::lookup::wording::defanged(&d))
        .unwrap_or_default();
    let date = store::today_in_taiwan();
    let (zh, en) =
        snapshot.as_ref().map(|s| (s.firm.name_zh.clone(), s.firm.name_en.clone())).unwrap_or_default();
    (
        Placeholders { firm: zh, domain: domain.clone(), hotline: hotline.clone(), date: date.clone() },
        Placeholders { firm: en, domain, hotline, date },
    )
}

fn view_of(s: &Script, zh: &Placeholders, en: &Placeholders) -> ScriptView {
    ScriptView {
        id: s.id,
        verdict: s.verdict.clone(),
        situation_zh: s.situation_zh.clone(),
        situation_en: s.situation_en.clone(),
        text_zh: script::fill(&s.body_zh, zh),
        text_en: script::fill(&s.body_en, en),
    }
}

/// The scripts for a check's verdict, filled in.
pub async fn for_answer(state: &AppState, answer: &CheckAnswer) -> Result<Vec<ScriptView>, StoreError> {
    let verdict = app::lookup::wording::overall_code(answer.report.verdict);
    let (zh, en) = placeholders(state, Some(answer));
    Ok(script::for_verdict(&state.db, verdict).await?.iter().map(|s| view_of(s, &zh, &en)).collect())
}

#[derive(Debug, Default, Deserialize)]
pub struct ScriptsQuery {
    #[serde(default)]
    q: String,
}

async fn show(
    state: &AppState,
    parts: axum::http::request::Parts,
    signed: &Signed,
    search: &str,
    problem: Option<String>,
    status: StatusCode,
) -> Response {
    let (zh, en) = placeholders(state, None);
    match script::all(&state.db, search).await {
        Ok(all) => {
            let scripts = all
                .iter()
                .map(|s| EditableScript {
                    view: view_of(s, &zh, &en),
                    body_zh: s.body_zh.clone(),
                    body_en: s.body_en.clone(),
                })
                .collect();
            let page = StaffPage::Scripts {
                who: badge(signed, state),
                scripts,
                search: search.to_owned(),
                editable: signed.user.has(Role::Admin),
                problem,
            };
            render(state, parts, page, status).await
        }
        Err(e) => {
            tracing::warn!(error = %e, "reading reply scripts failed");
            super::guard::refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "The reply scripts cannot be read just now.",
            )
        }
    }
}

/// `GET /console/scripts?q=`.
pub async fn page(
    State(state): State<AppState>,
    Query(query): Query<ScriptsQuery>,
    StaffRequest { parts, signed }: StaffRequest,
) -> Response {
    show(&state, parts, &signed, &query.q, None, StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
pub struct ScriptForm {
    #[serde(default)]
    verdict: String,
    #[serde(default)]
    situation_zh: String,
    #[serde(default)]
    situation_en: String,
    #[serde(default)]
    body_zh: String,
    #[serde(default)]
    body_en: String,
}

fn problem_words(e: ScriptError) -> String {
    match e {
        ScriptError::UnknownVerdict => "請選擇適用的判定。Choose the verdict the script is for.",
        ScriptError::Empty => "每個欄位都要填寫（中英文）。Every field is needed, in both languages.",
        ScriptError::TooLong => "標題最多 200 字、內文最多 2,000 字。The title is at most 200 characters and the text at most 2,000.",
    }
    .to_owned()
}

/// `POST /console/scripts/new` and `POST /console/scripts/{id}/edit` (admins).
async fn save(state: AppState, id: Option<i64>, staff: StaffRequest, request: Request) -> Response {
    let StaffRequest { parts, signed } = staff;
    let form = read_form::<ScriptForm>(&state, request).await;
    let form = form.unwrap_or_default();
    let text = ScriptText {
        verdict: form.verdict,
        situation_zh: form.situation_zh,
        situation_en: form.situation_en,
        body_zh: form.body_zh,
        body_en: form.body_en,
    };
    let text = match text.validated() {
        Ok(text) => text,
        Err(e) => {
            return show(&state, parts, &signed, "", Some(problem_words(e)), StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
    };
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    let saved = async {
        let before = match id {
            Some(id) => match script::get(&state.db, id).await? {
                Some(old) => format!("{} | {}", old.situation_zh, old.body_zh),
                None => return Ok(false),
            },
            None => String::new(),
        };
        let now = store::now_rfc3339();
        let mut tx = audit::begin(&state.db).await?;
        let id = match id {
            Some(id) => {
                script::update(&mut *tx, id, &text, &signed.user.login, &now).await?;
                id
            }
            None => script::add(&mut *tx, &text, &signed.user.login, &now).await?,
        };
        let entry = NewEntry::new("script_edit")
            .by(Some(signed.user.id), &signed.user.login)
            .on(format!("script:{id}"))
            .change(before, format!("{} | {}", text.situation_zh, text.body_zh))
            .from(&client);
        audit::append(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok::<bool, StoreError>(true)
    };
    match saved.await {
        Ok(true) => Redirect::to("/console/scripts").into_response(),
        Ok(false) => {
            show(
                &state,
                parts,
                &signed,
                "",
                Some("找不到這個範本。There is no such script.".to_owned()),
                StatusCode::NOT_FOUND,
            )
            .await
        }
        Err(e) => {
            tracing::warn!(error = %e, "saving a reply script failed");
            show(
                &state,
                parts,
                &signed,
                "",
                Some("目前無法儲存，請再試一次。It could not be saved just now; try again.".to_owned()),
                StatusCode::SERVICE_UNAVAILABLE,
            )
            .await
        }
    }
}

pub async fn add(State(state): State<AppState>, staff: StaffRequest, request: Request) -> Response {
    save(state, None, staff, request).await
}

pub async fn edit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    staff: StaffRequest,
    request: Request,
) -> Response {
    save(state, Some(id), staff, request).await
}
