//! `/console/users` (admins): every staff account, and what an admin does with them: create
//! one, change its roles, disable or enable it, reset it (a new one-time password and second
//! factor), end its sessions. Every change is audited and ends the sessions it must.

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

use super::{role_label, staff_page, StaffLayout, StaffPage, StaffPageMissing};
use crate::i18n::Locale;
use crate::locale::page_locale;

/// One account as the admin page lists it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserRow {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub roles: Vec<String>,
    pub disabled: bool,
    pub second_factor: bool,
    pub sessions: i64,
    pub created_at: String,
}

/// What the last admin action did (carried signed in the address it redirects to, except a
/// password: that one is never in an address, which history and logs keep).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum UsersNotice {
    /// A new account, or a reset one: its one-time password, shown this once.
    #[serde(skip)]
    Password {
        login: String,
        password: String,
    },
    Done {
        login: String,
    },
    Problem(UsersProblem),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum UsersProblem {
    BadLogin,
    NoRole,
    Taken,
    NotYourself,
    NotFound,
    Unavailable,
}

fn problem_text(problem: UsersProblem, locale: Locale) -> &'static str {
    match problem {
        UsersProblem::BadLogin => td_string!(locale, staff.users_bad_login),
        UsersProblem::NoRole => td_string!(locale, staff.users_no_role),
        UsersProblem::Taken => td_string!(locale, staff.users_taken),
        UsersProblem::NotYourself => td_string!(locale, staff.users_not_yourself),
        UsersProblem::NotFound => td_string!(locale, staff.users_not_found),
        UsersProblem::Unavailable => td_string!(locale, staff.problem_unavailable),
    }
}

const ROLES: [&str; 4] = ["agent", "analyst", "publisher", "admin"];

fn role_boxes(held: &[String], locale: Locale, prefix: String) -> impl IntoView {
    ROLES
        .into_iter()
        .map(|r| {
            let id = format!("{prefix}-{r}");
            let checked = held.iter().any(|h| h == r);
            view! {
                <span class="role-box">
                    <input type="checkbox" id=id.clone() name=r value="on" checked=checked/>
                    <label for=id>{role_label(r, locale)}</label>
                </span>
            }
        })
        .collect_view()
}

/// `/console/users`.
#[component]
pub fn UsersPage() -> impl IntoView {
    let locale = page_locale();
    let Some(StaffPage::Users { who, users, notice }) = staff_page() else {
        return view! { <StaffPageMissing/> }.into_any();
    };
    let notice = notice.map(|n| match n {
        UsersNotice::Password { login, password } => view! {
            <div class="notice" role="status">
                <p>{td_string!(locale, staff.users_password_once, login)}</p>
                <p><code class="one-time-password">{password}</code></p>
            </div>
        }
        .into_any(),
        UsersNotice::Done { login } => {
            view! { <p class="notice" role="status">{td_string!(locale, staff.users_done, login)}</p> }
                .into_any()
        }
        UsersNotice::Problem(p) => {
            view! { <p class="form-error" role="alert">{problem_text(p, locale)}</p> }.into_any()
        }
    });
    let rows = users
        .into_iter()
        .map(|u| {
            let base = format!("/console/users/{}", u.id);
            let state = if u.disabled { td_string!(locale, staff.users_disabled) } else { td_string!(locale, staff.users_active) };
            let factor = if u.second_factor { td_string!(locale, staff.users_factor_yes) } else { td_string!(locale, staff.users_factor_no) };
            let toggle = if u.disabled {
                view! { <button type="submit" formaction=format!("{base}/enable")>{td_string!(locale, staff.users_enable)}</button> }.into_any()
            } else {
                view! { <button type="submit" formaction=format!("{base}/disable")>{td_string!(locale, staff.users_disable)}</button> }.into_any()
            };
            view! {
                <li class="user-row" data-user=u.login.clone()>
                    <p><strong>{u.display_name}</strong>" ("<code>{u.login.clone()}</code>") · "{state}" · "{factor}" · "
                        {td_string!(locale, staff.users_sessions, count = u.sessions)}</p>
                    <form method="post" action=format!("{base}/roles") class="user-roles">
                        <fieldset>
                            <legend>{td_string!(locale, staff.users_roles_of, login = u.login.clone())}</legend>
                            {role_boxes(&u.roles, locale, format!("u{}", u.id))}
                        </fieldset>
                        <button type="submit">{td_string!(locale, staff.users_save_roles)}</button>
                        {toggle}
                        <button type="submit" formaction=format!("{base}/reset")>{td_string!(locale, staff.users_reset)}</button>
                        <button type="submit" formaction=format!("{base}/end-sessions")>{td_string!(locale, staff.users_end_sessions)}</button>
                    </form>
                </li>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <Title text=td_string!(locale, staff.users_title).to_string()/>
        <StaffLayout who>
            <h1>{td_string!(locale, staff.users_title)}</h1>
            {notice}
            <section aria-labelledby="new-user-heading">
                <h2 id="new-user-heading">{td_string!(locale, staff.users_new)}</h2>
                <form method="post" action="/console/users" class="staff-form">
                    <label for="new-login">{td_string!(locale, staff.login_label)}</label>
                    <input id="new-login" name="login" type="text" required minlength="3" maxlength="64" autocapitalize="none" spellcheck="false"/>
                    <label for="new-name">{td_string!(locale, staff.users_display_name)}</label>
                    <input id="new-name" name="display_name" type="text" maxlength="100"/>
                    <fieldset>
                        <legend>{td_string!(locale, staff.users_roles)}</legend>
                        {role_boxes(&[], locale, "new".to_owned())}
                    </fieldset>
                    <button type="submit">{td_string!(locale, staff.users_create)}</button>
                </form>
            </section>
            <section aria-labelledby="users-heading">
                <h2 id="users-heading">{td_string!(locale, staff.users_list)}</h2>
                <ul class="user-list">{rows}</ul>
            </section>
        </StaffLayout>
    }
    .into_any()
}
