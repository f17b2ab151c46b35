//! Signing in and out: the password, then the second factor (enrolled at the first sign-in),
//! then, after a one-time password, a password of one's own. A new session token after the
//! password and again after the second factor; failures count per account and per address,
//! in the database, so every instance enforces the same limits.

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::{Duration, OffsetDateTime};

use app::staff::{Enrolment, PasswordProblem, SignInProblem, StaffPage};
use app::state::AppState;
use store::audit::{self, NewEntry};
use store::staff::{self as accounts, Credentials, Stage};
use store::{Db, StoreError};

use super::guard::{PASSWORD, SECOND_FACTOR, SIGN_IN};
use super::password::{self, WeakPassword};
use super::session::{self, format_time, Signed};
use super::{badge, client_of, read_form, render, signed, totp, StaffRequest};

/// Wrong passwords or codes in a row that lock an account, and for how long.
pub const ACCOUNT_LOCK_AFTER: i64 = 5;
pub const ACCOUNT_LOCK_FOR: Duration = Duration::minutes(15);
/// Failed sign-ins from one address within the window that make it wait.
pub const ADDRESS_LIMIT: i64 = 20;
pub const ADDRESS_WINDOW: Duration = Duration::minutes(15);

/// The longest sign-in name looked up or written to the audit log.
const MAX_LOGIN_CHARS: usize = 64;

#[derive(Debug, Default, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
}

/// What the password step decided.
#[derive(Debug, PartialEq, Eq)]
pub enum PasswordStep {
    Refused(SignInProblem),
    /// Right password: a session for this user at this stage.
    Passed {
        user_id: i64,
        stage: Stage,
    },
}

/// Where a signed-in user starts: the console for customer service and the security team,
/// staff accounts for an admin, and bulletin publishing for a publisher.
pub fn landing(user: &store::staff::StaffUser) -> &'static str {
    use store::staff::Role;
    if user.has(Role::Agent) || user.has(Role::Analyst) {
        "/console"
    } else if user.has(Role::Admin) {
        "/console/users"
    } else if user.has(Role::Publisher) {
        "/console/bulletins"
    } else {
        PASSWORD
    }
}

/// A sign-in name as stored: trimmed, lower case.
pub fn normalize_login(login: &str) -> String {
    login.trim().to_lowercase()
}

/// Whether an account is locked now.
fn locked(credentials: &Credentials, now: OffsetDateTime) -> bool {
    credentials.locked_until.as_deref().and_then(session::parse_time).is_some_and(|until| until > now)
}

/// The password step, apart from the cookie: limits, the check, the counts and the audit.
pub async fn check_password(
    db: &Db,
    login: &str,
    given: &str,
    client: &str,
    relaxed_second_factor: bool,
    now: OffsetDateTime,
) -> Result<PasswordStep, StoreError> {
    let login = normalize_login(login);
    let login: String = login.chars().take(MAX_LOGIN_CHARS).collect();
    let failures = accounts::client_failures_since(db, client, &format_time(now - ADDRESS_WINDOW)).await?;
    if failures >= ADDRESS_LIMIT {
        return Ok(PasswordStep::Refused(SignInProblem::AddressThrottled));
    }
    let credentials = accounts::credentials(db, &login).await?;
    // The hash is checked whatever else is wrong, so every answer takes the same time.
    let given_owned = given.to_owned();
    let stored = credentials.as_ref().map(|c| c.password_hash.clone());
    let right = tokio::task::spawn_blocking(move || match stored {
        Some(stored) => password::verify(&given_owned, &stored),
        None => {
            password::verify_nobody(&given_owned);
            false
        }
    })
    .await
    .unwrap_or(false);
    let failed = |actor_id: Option<i64>, why: &str| {
        NewEntry::new("sign_in_failed").by(actor_id, &login).change("", why.to_owned()).from(client)
    };
    let Some(credentials) = credentials else {
        let mut tx = audit::begin(db).await?;
        accounts::record_client_failure(&mut *tx, client, &format_time(now)).await?;
        audit::append(&mut tx, &failed(None, "no such account")).await?;
        tx.commit().await?;
        return Ok(PasswordStep::Refused(SignInProblem::WrongNameOrPassword));
    };
    let user = &credentials.user;
    if locked(&credentials, now) {
        audit::record(db, &failed(Some(user.id), "account locked")).await?;
        return Ok(PasswordStep::Refused(SignInProblem::AccountLocked));
    }
    if !right {
        let mut tx = audit::begin(db).await?;
        let count = count_failure(&mut tx, user.id, client, now).await?;
        audit::append(&mut tx, &failed(Some(user.id), "wrong password")).await?;
        tx.commit().await?;
        return Ok(PasswordStep::Refused(if count >= ACCOUNT_LOCK_AFTER {
            SignInProblem::AccountLocked
        } else {
            SignInProblem::WrongNameOrPassword
        }));
    }
    // Only someone who knows the password learns that the account is disabled.
    if user.disabled {
        audit::record(db, &failed(Some(user.id), "account disabled")).await?;
        return Ok(PasswordStep::Refused(SignInProblem::Disabled));
    }
    let stage = if relaxed_second_factor { Stage::Full } else { Stage::Password };
    if stage == Stage::Full {
        let mut tx = audit::begin(db).await?;
        accounts::clear_failures(&mut *tx, user.id).await?;
        let entry = NewEntry::new("sign_in")
            .by(Some(user.id), &user.login)
            .change("", "password only (demo setting)")
            .from(client);
        audit::append(&mut tx, &entry).await?;
        tx.commit().await?;
    }
    Ok(PasswordStep::Passed { user_id: user.id, stage })
}

/// Counts a wrong password or code against the account and the address; returns the
/// account's count (it is locked from [`ACCOUNT_LOCK_AFTER`]).
async fn count_failure(
    tx: &mut store::lock::Locked,
    user_id: i64,
    client: &str,
    now: OffsetDateTime,
) -> Result<i64, StoreError> {
    accounts::record_client_failure(&mut **tx, client, &format_time(now)).await?;
    accounts::record_failure(&mut **tx, user_id, ACCOUNT_LOCK_AFTER, &format_time(now + ACCOUNT_LOCK_FOR))
        .await
}

/// Starts a session at `stage` in place of the one the browser had (if any), and answers
/// with a redirect that hands the browser the new token.
async fn start_session(
    state: &AppState,
    previous: Option<&Signed>,
    user_id: i64,
    stage: Stage,
    client: &str,
    to: &str,
) -> Result<Response, StoreError> {
    let Some((token, hash)) = session::new_token() else {
        tracing::error!("no randomness for a session token");
        return Ok(super::guard::refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "Sign-in is unavailable for a moment.",
        ));
    };
    let mut tx = state.db.begin().await?;
    if let Some(previous) = previous {
        accounts::end_session(&mut *tx, &previous.token_hash).await?;
    }
    accounts::create_session(
        &mut *tx,
        &hash,
        user_id,
        stage,
        &format_time(OffsetDateTime::now_utc()),
        client,
    )
    .await?;
    tx.commit().await?;
    let mut response = Redirect::to(to).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, session::session_cookie(&token, state.staff.secure_cookie));
    Ok(response)
}

fn unavailable(e: &StoreError) -> Response {
    tracing::warn!(error = %e, "staff sign-in failed on the database");
    super::guard::refuse(
        StatusCode::SERVICE_UNAVAILABLE,
        "Sign-in is unavailable for a moment. Try again shortly.",
    )
}

/// `GET /staff/sign-in`.
pub async fn sign_in_page(State(state): State<AppState>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    if let Some(s) = signed(&parts).filter(|s| s.stage == Stage::Full) {
        return Redirect::to(landing(&s.user)).into_response();
    }
    render(&state, parts, StaffPage::SignIn { login: String::new(), problem: None }, StatusCode::OK).await
}

/// `POST /staff/sign-in`.
pub async fn sign_in(State(state): State<AppState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let form = read_form::<SignInForm>(&state, Request::from_parts(parts.clone(), body)).await;
    let form = form.unwrap_or_default();
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    let outcome = check_password(
        &state.db,
        &form.login,
        &form.password,
        &client,
        state.staff.relaxed_second_factor,
        OffsetDateTime::now_utc(),
    )
    .await;
    match outcome {
        Ok(PasswordStep::Passed { user_id, stage }) => {
            let user = accounts::user(&state.db, user_id).await.ok().flatten();
            let to = match (stage, user) {
                (Stage::Full, Some(user)) => landing(&user),
                _ => SECOND_FACTOR,
            };
            start_session(&state, signed(&parts).as_ref(), user_id, stage, &client, to)
                .await
                .unwrap_or_else(|e| unavailable(&e))
        }
        Ok(PasswordStep::Refused(problem)) => {
            let status = match problem {
                SignInProblem::AddressThrottled | SignInProblem::AccountLocked => {
                    StatusCode::TOO_MANY_REQUESTS
                }
                _ => StatusCode::UNAUTHORIZED,
            };
            let login: String = form.login.trim().chars().take(MAX_LOGIN_CHARS).collect();
            render(&state, parts, StaffPage::SignIn { login, problem: Some(problem) }, status).await
        }
        Err(e) => unavailable(&e),
    }
}

/// The enrolment to show a user whose second factor is not confirmed yet: the secret they
/// were given (a new one on the first visit).
async fn enrolment_for(state: &AppState, credentials: &Credentials) -> Result<Option<Enrolment>, StoreError> {
    if credentials.user.totp_confirmed {
        return Ok(None);
    }
    let secret = match &credentials.totp_secret {
        Some(secret) => secret.clone(),
        None => {
            let Some(secret) = totp::new_secret() else { return Ok(None) };
            accounts::set_totp_secret(&state.db, credentials.user.id, Some(&secret)).await?;
            secret
        }
    };
    let issuer = state
        .live
        .current()
        .map_or_else(|| "Fraud check staff".to_owned(), |s| format!("{} staff", s.firm.name_en));
    let uri = totp::enrolment_uri(&secret, &issuer, &credentials.user.login);
    Ok(totp::qr_svg(&uri).map(|qr_svg| Enrolment { qr_svg, secret }))
}

/// `GET /staff/second-factor` (half signed-in only: the gate sees to it).
pub async fn second_factor_page(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
) -> Response {
    let page = async {
        let credentials = accounts::credentials_by_id(&state.db, signed.user.id).await?;
        match credentials {
            Some(c) => enrolment_for(&state, &c).await,
            None => Ok(None),
        }
    };
    match page.await {
        Ok(enrolment) => {
            render(&state, parts, StaffPage::SecondFactor { enrolment, problem: None }, StatusCode::OK).await
        }
        Err(e) => unavailable(&e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// `POST /staff/second-factor`.
pub async fn second_factor(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
    request: Request,
) -> Response {
    let form = read_form::<CodeForm>(&state, request).await;
    let code = form.unwrap_or_default().code;
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    match second_factor_step(&state, &signed, &code, &client).await {
        Ok(Ok(to)) => start_session(&state, Some(&signed), signed.user.id, Stage::Full, &client, to)
            .await
            .unwrap_or_else(|e| unavailable(&e)),
        Ok(Err(SignInProblem::AccountLocked)) => {
            let _ = accounts::end_session(&state.db, &signed.token_hash).await;
            let page = StaffPage::SignIn {
                login: signed.user.login.clone(),
                problem: Some(SignInProblem::AccountLocked),
            };
            let mut response = render(&state, parts, page, StatusCode::TOO_MANY_REQUESTS).await;
            response
                .headers_mut()
                .append(header::SET_COOKIE, session::cleared_cookie(state.staff.secure_cookie));
            response
        }
        Ok(Err(problem)) => {
            let enrolment = match accounts::credentials_by_id(&state.db, signed.user.id).await {
                Ok(Some(c)) => enrolment_for(&state, &c).await.unwrap_or(None),
                _ => None,
            };
            render(
                &state,
                parts,
                StaffPage::SecondFactor { enrolment, problem: Some(problem) },
                StatusCode::UNAUTHORIZED,
            )
            .await
        }
        Err(e) => unavailable(&e),
    }
}

/// Checks a code: `Ok(where to go next)` when it is right and new.
async fn second_factor_step(
    state: &AppState,
    signed: &Signed,
    code: &str,
    client: &str,
) -> Result<Result<&'static str, SignInProblem>, StoreError> {
    let now = OffsetDateTime::now_utc();
    let Some(credentials) = accounts::credentials_by_id(&state.db, signed.user.id).await? else {
        return Ok(Err(SignInProblem::WrongNameOrPassword));
    };
    if locked(&credentials, now) {
        return Ok(Err(SignInProblem::AccountLocked));
    }
    let unix = u64::try_from(now.unix_timestamp()).unwrap_or(0);
    let step = credentials.totp_secret.as_deref().and_then(|secret| totp::matching_step(secret, code, unix));
    let user = &credentials.user;
    let mut tx = audit::begin(&state.db).await?;
    let accepted = match step {
        Some(step) => accounts::accept_totp_step(&mut *tx, user.id, step).await?,
        None => false,
    };
    if !accepted {
        let count = count_failure(&mut tx, user.id, client, now).await?;
        let entry = NewEntry::new("sign_in_failed")
            .by(Some(user.id), &user.login)
            .change("", "wrong second-factor code")
            .from(client);
        audit::append(&mut tx, &entry).await?;
        tx.commit().await?;
        return Ok(Err(if count >= ACCOUNT_LOCK_AFTER {
            SignInProblem::AccountLocked
        } else {
            SignInProblem::WrongCode
        }));
    }
    accounts::clear_failures(&mut *tx, user.id).await?;
    let how =
        if user.totp_confirmed { "password and code" } else { "password and code; second factor enrolled" };
    audit::append(
        &mut tx,
        &NewEntry::new("sign_in").by(Some(user.id), &user.login).change("", how).from(client),
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(if user.must_change_password { PASSWORD } else { landing(user) }))
}

/// `GET /staff/password`.
pub async fn password_page(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
) -> Response {
    let page = StaffPage::Password {
        who: badge(&signed, &state),
        forced: signed.user.must_change_password,
        problem: None,
    };
    render(&state, parts, page, StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /staff/password`: a new password ends every session of the account, this one
/// included, and this browser gets a fresh one.
pub async fn change_password(
    State(state): State<AppState>,
    StaffRequest { parts, signed }: StaffRequest,
    request: Request,
) -> Response {
    let form = read_form::<PasswordForm>(&state, request).await;
    let form = form.unwrap_or_default();
    let client = client_of(&parts, state.staff.trust_proxy_headers);
    let refused = |problem| StaffPage::Password {
        who: badge(&signed, &state),
        forced: signed.user.must_change_password,
        problem: Some(problem),
    };
    let outcome = new_password(&state.db, &signed, &form, &client).await;
    match outcome {
        Ok(Ok(())) => {
            start_session(&state, None, signed.user.id, Stage::Full, &client, landing(&signed.user))
                .await
                .unwrap_or_else(|e| unavailable(&e))
        }
        Ok(Err(problem)) => render(&state, parts, refused(problem), StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(e) => {
            tracing::warn!(error = %e, "changing a password failed");
            render(&state, parts, refused(PasswordProblem::Unavailable), StatusCode::SERVICE_UNAVAILABLE)
                .await
        }
    }
}

async fn new_password(
    db: &Db,
    signed: &Signed,
    form: &PasswordForm,
    client: &str,
) -> Result<Result<(), PasswordProblem>, StoreError> {
    let Some(credentials) = accounts::credentials_by_id(db, signed.user.id).await? else {
        return Ok(Err(PasswordProblem::WrongCurrent));
    };
    let (current, stored) = (form.current.clone(), credentials.password_hash.clone());
    let right =
        tokio::task::spawn_blocking(move || password::verify(&current, &stored)).await.unwrap_or(false);
    if !right {
        return Ok(Err(PasswordProblem::WrongCurrent));
    }
    if form.new != form.confirm {
        return Ok(Err(PasswordProblem::Mismatch));
    }
    if let Err(weak) = password::check_strength(&form.new, &signed.user.login, &signed.user.display_name) {
        return Ok(Err(match weak {
            WeakPassword::TooShort => PasswordProblem::TooShort,
            WeakPassword::TooLong => PasswordProblem::TooLong,
            WeakPassword::Guessable => PasswordProblem::Guessable,
            WeakPassword::ContainsLogin => PasswordProblem::ContainsLogin,
        }));
    }
    let new = form.new.clone();
    let hash = tokio::task::spawn_blocking(move || password::hash(&new)).await.ok().and_then(Result::ok);
    let Some(hash) = hash else { return Ok(Err(PasswordProblem::Unavailable)) };
    let mut tx = audit::begin(db).await?;
    accounts::set_password(&mut *tx, signed.user.id, &hash, false).await?;
    let ended = accounts::end_sessions_of(&mut *tx, signed.user.id).await?;
    let entry = NewEntry::new("password_change")
        .by(Some(signed.user.id), &signed.user.login)
        .on(format!("user:{}", signed.user.id))
        .change("", format!("sessions ended: {ended}"))
        .from(client);
    audit::append(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// `POST /staff/sign-out`: ends the session on the server, whatever the browser keeps.
pub async fn sign_out(State(state): State<AppState>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    if let Some(signed) = signed(&parts) {
        let client = client_of(&parts, state.staff.trust_proxy_headers);
        let ended = async {
            let mut tx = audit::begin(&state.db).await?;
            accounts::end_session(&mut *tx, &signed.token_hash).await?;
            audit::append(
                &mut tx,
                &NewEntry::new("sign_out").by(Some(signed.user.id), &signed.user.login).from(&client),
            )
            .await?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        };
        if let Err(e) = ended.await {
            return unavailable(&e);
        }
    }
    let mut response = Redirect::to(SIGN_IN).into_response();
    response.headers_mut().append(header::SET_COOKIE, session::cleared_cookie(state.staff.secure_cookie));
    response
}
