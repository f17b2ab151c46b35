//! Sign-in, the second factor, the password change and the audit log.

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::{Meta, Title};

use super::{staff_page, StaffLayout, StaffPage, StaffPageMissing};
use crate::i18n::Locale;
use crate::locale::page_locale;

/// Why a sign-in step did not go through, in words the person can act on. One message for a
/// wrong name and a wrong password alike: the page never tells whether a name exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInProblem {
    WrongNameOrPassword,
    WrongCode,
    AccountLocked,
    AddressThrottled,
    Disabled,
    Unavailable,
}

fn problem_text(problem: SignInProblem, locale: Locale) -> &'static str {
    match problem {
        SignInProblem::WrongNameOrPassword => td_string!(locale, staff.wrong_name_or_password),
        SignInProblem::WrongCode => td_string!(locale, staff.wrong_code),
        SignInProblem::AccountLocked => td_string!(locale, staff.account_locked),
        SignInProblem::AddressThrottled => td_string!(locale, staff.address_throttled),
        SignInProblem::Disabled => td_string!(locale, staff.account_disabled),
        SignInProblem::Unavailable => td_string!(locale, staff.unavailable),
    }
}

fn problem_view(problem: Option<SignInProblem>, locale: Locale) -> impl IntoView {
    problem.map(|p| view! { <p class="form-error" role="alert">{problem_text(p, locale)}</p> })
}

/// Why a new password was not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordProblem {
    WrongCurrent,
    Mismatch,
    TooShort,
    TooLong,
    Guessable,
    ContainsLogin,
    Unavailable,
}

fn password_problem_text(problem: PasswordProblem, locale: Locale) -> &'static str {
    match problem {
        PasswordProblem::WrongCurrent => td_string!(locale, staff.password_wrong_current),
        PasswordProblem::Mismatch => td_string!(locale, staff.password_mismatch),
        PasswordProblem::TooShort => td_string!(locale, staff.password_too_short),
        PasswordProblem::TooLong => td_string!(locale, staff.password_too_long),
        PasswordProblem::Guessable => td_string!(locale, staff.password_guessable),
        PasswordProblem::ContainsLogin => td_string!(locale, staff.password_contains_login),
        PasswordProblem::Unavailable => td_string!(locale, staff.unavailable),
    }
}

/// A second factor being enrolled: the QR code (inline SVG) and the secret written out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrolment {
    pub qr_svg: String,
    pub secret: String,
}

/// `/staff/sign-in`.
#[component]
pub fn SignInPage() -> impl IntoView {
    let locale = page_locale();
    let Some(StaffPage::SignIn { login, problem }) = staff_page() else {
        return view! { <StaffPageMissing/> }.into_any();
    };
    view! {
        <Title text=td_string!(locale, staff.sign_in_title).to_string()/>
        <Meta name="robots" content="noindex"/>
        <StaffLayout>
            <h1>{td_string!(locale, staff.sign_in_title)}</h1>
            {problem_view(problem, locale)}
            <form method="post" action="/staff/sign-in" class="staff-form">
                <label for="login">{td_string!(locale, staff.login_label)}</label>
                <input id="login" name="login" type="text" autocomplete="username" required value=login autocapitalize="none" spellcheck="false"/>
                <label for="password">{td_string!(locale, staff.password_label)}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="128"/>
                <button type="submit">{td_string!(locale, staff.sign_in_button)}</button>
            </form>
            <p class="hint">{td_string!(locale, staff.sign_in_hint)}</p>
        </StaffLayout>
    }
    .into_any()
}

/// `/staff/second-factor`: enrol (first sign-in) or give a code.
#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let locale = page_locale();
    let Some(StaffPage::SecondFactor { enrolment, problem }) = staff_page() else {
        return view! { <StaffPageMissing/> }.into_any();
    };
    let enrol = enrolment.map(|e| {
        view! {
            <h2>{td_string!(locale, staff.enrol_title)}</h2>
            <p>{td_string!(locale, staff.enrol_steps)}</p>
            <div class="totp-qr" inner_html=e.qr_svg role="img" aria-label=td_string!(locale, staff.enrol_qr_label)></div>
            <p>{td_string!(locale, staff.enrol_secret)}" "<code class="totp-secret">{e.secret}</code></p>
        }
    });
    view! {
        <Title text=td_string!(locale, staff.second_factor_title).to_string()/>
        <StaffLayout>
            <h1>{td_string!(locale, staff.second_factor_title)}</h1>
            {problem_view(problem, locale)}
            {enrol}
            <form method="post" action="/staff/second-factor" class="staff-form">
                <label for="code">{td_string!(locale, staff.code_label)}</label>
                <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}" required/>
                <button type="submit">{td_string!(locale, staff.code_button)}</button>
            </form>
            <form method="post" action="/staff/sign-out"><button type="submit" class="link-button">{td_string!(locale, staff.cancel_sign_in)}</button></form>
        </StaffLayout>
    }
    .into_any()
}

/// `/staff/password`.
#[component]
pub fn PasswordPage() -> impl IntoView {
    let locale = page_locale();
    let Some(StaffPage::Password { who, forced, problem }) = staff_page() else {
        return view! { <StaffPageMissing/> }.into_any();
    };
    view! {
        <Title text=td_string!(locale, staff.password_title).to_string()/>
        <StaffLayout who>
            <h1>{td_string!(locale, staff.password_title)}</h1>
            {forced.then(|| view! { <p role="note">{td_string!(locale, staff.password_forced)}</p> })}
            {problem.map(|p| view! { <p class="form-error" role="alert">{password_problem_text(p, locale)}</p> })}
            <form method="post" action="/staff/password" class="staff-form">
                <label for="current">{td_string!(locale, staff.password_current)}</label>
                <input id="current" name="current" type="password" autocomplete="current-password" required/>
                <label for="new">{td_string!(locale, staff.password_new)}</label>
                <input id="new" name="new" type="password" autocomplete="new-password" required minlength="12" maxlength="128" aria-describedby="new-rules"/>
                <p id="new-rules" class="hint">{td_string!(locale, staff.password_rules)}</p>
                <label for="confirm">{td_string!(locale, staff.password_confirm)}</label>
                <input id="confirm" name="confirm" type="password" autocomplete="new-password" required/>
                <button type="submit">{td_string!(locale, staff.password_button)}</button>
            </form>
        </StaffLayout>
    }
    .into_any()
}

/// One audit entry as the log page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub before: String,
    pub after: String,
    pub client: String,
}

/// `/console/audit` (admins).
#[component]
pub fn AuditPage() -> impl IntoView {
    let locale = page_locale();
    let Some(StaffPage::Audit { who, rows, actor, action, chain }) = staff_page() else {
        return view! { <StaffPageMissing/> }.into_any();
    };
    let body = rows
        .into_iter()
        .map(|r| {
            view! {
                <tr>
                    <td>{r.id}</td><td><time>{r.at}</time></td><td>{r.actor}</td><td><code>{r.action}</code></td>
                    <td>{r.object}</td><td class="audit-change">{r.before}</td><td class="audit-change">{r.after}</td><td>{r.client}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Title text=td_string!(locale, staff.audit_title).to_string()/>
        <StaffLayout who>
            <h1>{td_string!(locale, staff.audit_title)}</h1>
            <p role="status">{chain}</p>
            <form method="get" action="/console/audit" class="staff-filter">
                <label for="actor">{td_string!(locale, staff.audit_actor)}</label>
                <input id="actor" name="actor" type="text" value=actor/>
                <label for="action">{td_string!(locale, staff.audit_action)}</label>
                <input id="action" name="action" type="text" value=action/>
                <button type="submit">{td_string!(locale, staff.audit_filter)}</button>
            </form>
            <div class="table-scroll">
                <table class="audit">
                    <thead><tr>
                        <th scope="col">"#"</th><th scope="col">{td_string!(locale, staff.audit_when)}</th>
                        <th scope="col">{td_string!(locale, staff.audit_actor)}</th><th scope="col">{td_string!(locale, staff.audit_action)}</th>
                        <th scope="col">{td_string!(locale, staff.audit_object)}</th><th scope="col">{td_string!(locale, staff.audit_before)}</th>
                        <th scope="col">{td_string!(locale, staff.audit_after)}</th><th scope="col">{td_string!(locale, staff.audit_client)}</th>
                    </tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        </StaffLayout>
    }
    .into_any()
}
