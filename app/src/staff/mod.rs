//! The staff side's pages: sign-in, the second factor, the password change, the agent
//! console, the official list and the audit log. Each is rendered on the server by the
//! handler that guarded the request and loaded its data (`server/src/staff`), which hands it
//! over as a [`StaffPage`] in the render's context: a component here never fetches anything
//! itself, so no staff data is reachable through a server function.

pub mod campaigns;
pub mod console;
pub mod dashboard;
pub mod imports;
pub mod live;
pub mod news;
pub mod official;
pub mod pages;
pub mod publishing;
pub mod scripts;
pub mod takedowns;
pub mod triage;
pub mod users;

use leptos::prelude::*;
use leptos_i18n::td_string;

use crate::i18n::Locale;
use crate::locale::page_locale;
pub use console::{
    ConsoleData, ConsoleProblem, ContactView, EscalationView, EvidenceView, Notice, TakedownView, TodayView,
};
pub use dashboard::{DashboardChart, DashboardData, SpreadView, TakenDownBy};
pub use official::{
    DraftView, ListedView, OfficialData, OfficialNotice, OfficialProblem, ProposalView, SideView,
};
pub use pages::{AuditRow, Enrolment, PasswordProblem, SignInProblem};
pub use scripts::{EditableScript, ScriptView};
pub use users::{UserRow, UsersNotice, UsersProblem};

/// What a staff page shows, put in the render's context by its handler.
#[derive(Clone, Debug)]
pub enum StaffPage {
    SignIn {
        login: String,
        problem: Option<SignInProblem>,
    },
    SecondFactor {
        enrolment: Option<Enrolment>,
        problem: Option<SignInProblem>,
    },
    Password {
        who: Badge,
        forced: bool,
        problem: Option<PasswordProblem>,
    },
    Console(Box<ConsoleData>),
    Audit {
        who: Badge,
        rows: Vec<AuditRow>,
        actor: String,
        action: String,
        chain: String,
    },
    Users {
        who: Badge,
        users: Vec<UserRow>,
        notice: Option<UsersNotice>,
    },
    Scripts {
        who: Badge,
        scripts: Vec<EditableScript>,
        search: String,
        editable: bool,
        problem: Option<String>,
    },
    Takedowns(Box<takedowns::TakedownsData>),
    Campaigns(Box<campaigns::CampaignsData>),
    TakedownEntry(Box<takedowns::EntryData>),
    Imports(Box<imports::ImportData>),
    ImportJob(Box<imports::JobData>),
    Versions(Box<imports::VersionsData>),
    Official(Box<OfficialData>),
    Triage(Box<triage::TriageData>),
    Dashboard {
        who: Badge,
        data: DashboardData,
    },
    Bulletins(Box<publishing::BulletinsData>),
    BulletinEditor(Box<publishing::EditorData>),
    BulletinRevisions(Box<publishing::RevisionsData>),
    BulletinTemplates(Box<publishing::TemplatesData>),
}

impl StaffPage {
    /// The route that renders this page (an action's answer is rendered as its page).
    pub fn path(&self) -> &'static str {
        match self {
            Self::SignIn { .. } => "/staff/sign-in",
            Self::SecondFactor { .. } => "/staff/second-factor",
            Self::Password { .. } => "/staff/password",
            Self::Console(_) => "/console",
            Self::Audit { .. } => "/console/audit",
            Self::Users { .. } => "/console/users",
            Self::Scripts { .. } => "/console/scripts",
            Self::Takedowns(_) => "/console/takedowns",
            // Rendered for `/console/takedowns/{id}` by its handler.
            Self::TakedownEntry(_) => "/console/takedowns/entry",
            Self::Campaigns(_) => "/console/takedowns/campaigns",
            Self::Imports(_) => "/console/imports",
            // Rendered for `/console/imports/jobs/{id}` by its handler.
            Self::ImportJob(_) => "/console/imports/job",
            Self::Versions(_) => "/console/versions",
            Self::Official(_) => "/console/official",
            Self::Triage(_) => "/console/triage",
            Self::Dashboard { .. } => "/console/dashboard",
            Self::Bulletins(_) => "/console/bulletins",
            // Rendered for `/console/bulletins/{id}` (and its actions) by their handlers.
            Self::BulletinEditor(_) => "/console/bulletins/editor",
            Self::BulletinRevisions(_) => "/console/bulletins/revisions",
            Self::BulletinTemplates(_) => "/console/bulletins/templates",
        }
    }
}

/// Who is signed in, for the staff header.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Badge {
    pub login: String,
    pub display_name: String,
    pub roles: Vec<String>,
    /// The demo setting that relaxes the second factor is on.
    pub relaxed_second_factor: bool,
}

impl Badge {
    pub fn has(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }
}

/// The page the handler prepared (or, should a staff route ever render without one, none).
pub fn staff_page() -> Option<StaffPage> {
    use_context::<StaffPage>()
}

/// The frame of every staff page: the staff header with who is signed in and sign-out.
#[component]
pub fn StaffLayout(#[prop(optional)] who: Option<Badge>, children: Children) -> impl IntoView {
    let locale = page_locale();
    let relaxed = who.as_ref().is_some_and(|w| w.relaxed_second_factor);
    let header = who.map(|who| {
        let roles = who.roles.iter().map(|r| role_label(r, locale)).collect::<Vec<_>>().join(" · ");
        let is_admin = who.has("admin");
        let console = who.has("agent") || who.has("analyst");
        let security = who.has("analyst") || is_admin;
        let bulletins = who.has("publisher") || is_admin;
        view! {
            <nav class="staff-nav" aria-label=td_string!(locale, staff.nav_label)>
                {console.then(|| view! { <a href="/console">{td_string!(locale, staff.nav_console)}</a> })}
                {(console || is_admin).then(|| view! { <a href="/console/scripts">{td_string!(locale, staff.nav_scripts)}</a> })}
                {security.then(|| view! {
                    <a href="/console/triage">{td_string!(locale, security.nav_triage)}</a>
                    <a href="/console/takedowns">{td_string!(locale, security.nav_takedowns)}</a>
                    <a href="/console/imports">{td_string!(locale, security.nav_imports)}</a>
                    <a href="/console/versions">{td_string!(locale, security.nav_versions)}</a>
                    <a href="/console/official">{td_string!(locale, staff.official_nav)}</a>
                    <a href="/console/dashboard">{td_string!(locale, staff.nav_dashboard)}</a>
                })}
                {bulletins.then(|| view! { <a href="/console/bulletins">{td_string!(locale, publishing.nav_bulletins)}</a> })}
                {is_admin.then(|| view! {
                    <a href="/console/users">{td_string!(locale, staff.nav_users)}</a>
                    <a href="/console/audit">{td_string!(locale, staff.nav_audit)}</a>
                })}
                <a href="/staff/password">{td_string!(locale, staff.nav_password)}</a>
            </nav>
            <p class="staff-who">
                <span>{who.display_name.clone()}" ("{who.login.clone()}")"</span>
                " · "<span class="staff-roles">{roles}</span>
            </p>
            <form method="post" action="/staff/sign-out" class="staff-sign-out">
                <button type="submit">{td_string!(locale, staff.sign_out)}</button>
            </form>
        }
    });
    view! {
        <a class="skip-link" href="#main">{td_string!(locale, common.skip_to_content)}</a>
        <header class="site-header staff-header">
            <div class="header-bar">
                <span class="brand">{td_string!(locale, staff.site_name)}</span>
                {header}
            </div>
        </header>
        {relaxed.then(|| view! { <p class="staff-demo-warning" role="note">{td_string!(locale, staff.relaxed_warning)}</p> })}
        <main id="main" class="staff-main">{children()}</main>
    }
}

/// A role's name in words.
pub fn role_label(code: &str, locale: Locale) -> &'static str {
    match code {
        "agent" => td_string!(locale, staff.role_agent),
        "analyst" => td_string!(locale, staff.role_analyst),
        "publisher" => td_string!(locale, staff.role_publisher),
        "admin" => td_string!(locale, staff.role_admin),
        _ => "?",
    }
}

/// Shown if a staff route renders without its handler's data (it never should).
#[component]
pub fn StaffPageMissing() -> impl IntoView {
    let locale = page_locale();
    view! {
        <StaffLayout>
            <h1>{td_string!(locale, staff.sign_in_title)}</h1>
            <p><a href="/staff/sign-in">{td_string!(locale, staff.sign_in_button)}</a></p>
        </StaffLayout>
    }
}
