//! `/console/users`: what an admin does with staff accounts. Disabling, a reset and "end
//! sessions" delete the account's sessions in the same transaction, so every instance refuses
//! them at the next request. An admin cannot disable themselves or drop their own admin role
//! (a console with no admin left could only be mended from the command line).

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use app::staff::{StaffPage, UserRow, UsersNotice, UsersProblem};
use app::state::AppState;
use store::audit::{self, NewEntry};
use store::staff::{self as accounts, Role};
use store::StoreError;

use super::accounts::{create, AccountError};
use super::session::Signed;
use super::{badge, client_of, read_form, render, StaffRequest};

/// The roles ticked in a form (`agent=on`, …).
#[derive(Debug, Default, Deserialize)]
pub struct RolesForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    agent: Option<String>,
    #[serde(default)]
    analyst: Option<String>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    admin: Option<String>,
}

impl RolesForm {
    pub fn roles(&self) -> Vec<Role> {
        [
            (Role::Agent, &self.agent),
            (Role::Analyst, &self.analyst),
            (Role::Publisher, &self.publisher),
            (Role::Admin, &self.admin),
        ]
        .into_iter()
        .filter(|(_, ticked)| ticked.is_some())
        .map(|(role, _)| role)
        .collect()
    }
}

async fn show(
    state: &AppState,
    parts: axum::http::request::Parts,
    signed: &Signed,
    notice: Option<UsersNotice>,
    status: StatusCode,
) -> Response {
    let loaded = async {
        let mut rows = Vec::new();
        for u in accounts::users(&state.db).await? {
            rows.push(UserRow {
                id: u.id,
                sessions: accounts::session_count(&state.db, u.id).await?,
                login: u.login,
                display_name: u.display_name,
                roles: u.roles.iter().map(|r| r.code().to_owned()).collect(),
                disabled: u.disabled,
                second_factor: u.totp_confirmed,
                created_at: u.created_at,
            });
        }
        Ok::<_, StoreError>(rows)
    };
    match loaded.await {
        Ok(users) => {
            render(state, parts, StaffPage::Users { who: badge(signed, state), users, notice }, status).await
        }
        Err(e) => {
            tracing::warn!(error = %e, "reading staff accounts failed");
            super::guard::refuse(StatusCode::SERVICE_UNAVAILABLE, "Staff accounts cannot be read just now.")
        }
    }
}

/// `GET /console/users`.
pub async fn page(State(state): State<AppState>, StaffRequest { parts, signed }: StaffRequest) -> Response {
    let notice = super::follow_up::notice_of(&parts, &signed);
    show(&state, parts, &signed, notice, StatusCode::OK).await
}

/// `POST /console/users`: a new account; its one-time password is shown once.
pub async fn create_user(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
    request: Request,
) -> Response {
    let form = read_form::<RolesForm>(&state, request).await;
    let form = form.unwrap_or_default();
    let outcome = create(
        &state.db,
        &form.login,
        &form.display_name,
        &form.roles(),
        (Some(signed.user.id), &signed.user.login),
    )
    .await;
    let (notice, status) = match outcome {
        Ok(created) => (
            UsersNotice::Password { login: created.login, password: created.one_time_password },
            StatusCode::OK,
        ),
        Err(AccountError::BadLogin(_)) => {
            (UsersNotice::Problem(UsersProblem::BadLogin), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(AccountError::NoRole) => {
            (UsersNotice::Problem(UsersProblem::NoRole), StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(AccountError::Store(StoreError::Duplicate(_))) => {
            (UsersNotice::Problem(UsersProblem::Taken), StatusCode::CONFLICT)
        }
        Err(e) => {
            tracing::warn!(error = %e, "creating a staff account failed");
            (UsersNotice::Problem(UsersProblem::Unavailable), StatusCode::SERVICE_UNAVAILABLE)
        }
    };
    show(&state, parts, &signed, Some(notice), status).await
}

/// What an admin does to one account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Roles,
    Disable,
    Enable,
    Reset,
    EndSessions,
}

impl Change {
    pub fn parse(action: &str) -> Option<Self> {
        Some(match action {
            "roles" => Self::Roles,
            "disable" => Self::Disable,
            "enable" => Self::Enable,
            "reset" => Self::Reset,
            "end-sessions" => Self::EndSessions,
            _ => return None,
        })
    }

    fn code(self) -> &'static str {
        match self {
            Self::Roles => "user_roles",
            Self::Disable => "user_disable",
            Self::Enable => "user_enable",
            Self::Reset => "user_reset",
            Self::EndSessions => "user_end_sessions",
        }
    }
}

/// `POST /console/users/{id}/{action}`.
pub async fn change(
    State(state): State<AppState>,
    Path((id, action)): Path<(i64, String)>,
    StaffRequest { parts, signed }: StaffRequest,
    request: Request,
) -> Response {
    let form = read_form::<RolesForm>(&state, request).await;
    let Some(change) = Change::parse(&action) else {
        return show(
            &state,
            parts,
            &signed,
            Some(UsersNotice::Problem(UsersProblem::NotFound)),
            StatusCode::NOT_FOUND,
        )
        .await;
    };
    let form = form.unwrap_or_default();
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    let (notice, status) = match apply(&state, &signed, id, change, &form.roles(), &client).await {
        // Done: the list by GET (Post/Redirect/Get). A new one-time password is shown by this
        // answer itself, once: it never goes into an address.
        Ok(notice @ UsersNotice::Done { .. }) => {
            return super::follow_up::redirect("/console/users", &signed, &notice)
        }
        Ok(notice) => {
            let status = if matches!(notice, UsersNotice::Problem(_)) {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            (notice, status)
        }
        Err(e) => {
            tracing::warn!(error = %e, "changing a staff account failed");
            (UsersNotice::Problem(UsersProblem::Unavailable), StatusCode::SERVICE_UNAVAILABLE)
        }
    };
    show(&state, parts, &signed, Some(notice), status).await
}

async fn apply(
    state: &AppState,
    signed: &Signed,
    id: i64,
    change: Change,
    roles: &[Role],
    client: &str,
) -> Result<UsersNotice, AccountError> {
    let Some(target) = accounts::user(&state.db, id).await? else {
        return Ok(UsersNotice::Problem(UsersProblem::NotFound));
    };
    let yourself = target.id == signed.user.id;
    if yourself && (change == Change::Disable || (change == Change::Roles && !roles.contains(&Role::Admin))) {
        return Ok(UsersNotice::Problem(UsersProblem::NotYourself));
    }
    if change == Change::Roles && roles.is_empty() {
        return Ok(UsersNotice::Problem(UsersProblem::NoRole));
    }
    let codes = |roles: &[Role]| roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(",");
    let one_time = if change == Change::Reset {
        let password = super::password::one_time()?;
        let otp = password.clone();
        let hash = tokio::task::spawn_blocking(move || super::password::hash(&otp))
            .await
            .map_err(|e| super::password::HashError::from_join(&e))??;
        Some((password, hash))
    } else {
        None
    };
    let mut tx = audit::begin(&state.db).await?;
    let (before, after) = match change {
        Change::Roles => {
            accounts::set_roles(&mut tx, id, roles).await?;
            (codes(&target.roles), codes(roles))
        }
        Change::Disable => {
            accounts::set_disabled(&mut *tx, id, Some(&store::now_rfc3339())).await?;
            let ended = accounts::end_sessions_of(&mut *tx, id).await?;
            ("active".to_owned(), format!("disabled; sessions ended: {ended}"))
        }
        Change::Enable => {
            accounts::set_disabled(&mut *tx, id, None).await?;
            ("disabled".to_owned(), "active".to_owned())
        }
        Change::Reset => {
            if let Some((_, hash)) = &one_time {
                accounts::set_password(&mut *tx, id, hash, true).await?;
            }
            accounts::set_totp_secret(&mut *tx, id, None).await?;
            accounts::clear_failures(&mut *tx, id).await?;
            let ended = accounts::end_sessions_of(&mut *tx, id).await?;
            (String::new(), format!("one-time password and a new second factor; sessions ended: {ended}"))
        }
        Change::EndSessions => {
            let ended = accounts::end_sessions_of(&mut *tx, id).await?;
            (String::new(), format!("sessions ended: {ended}"))
        }
    };
    let entry = NewEntry::new(change.code())
        .by(Some(signed.user.id), &signed.user.login)
        .on(format!("user:{id} {}", target.login))
        .change(before, after)
        .from(client);
    audit::append(&mut tx, &entry).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(match one_time {
        Some((password, _)) => UsersNotice::Password { login: target.login, password },
        None => UsersNotice::Done { login: target.login },
    })
}
