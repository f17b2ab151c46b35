//! The verification site's views, routes and server functions. Pages are rendered on
//! the server; only the paste box is an island that hydrates in the browser.

pub mod bulletin;
pub mod csp;
pub mod domain;
pub mod error;
pub mod firm;
pub mod help;
pub mod home;
pub mod layout;
pub mod locale;
pub mod lookup;
pub mod official;
pub mod report;
pub mod respond;
pub mod safe_text;
pub mod staff;
#[cfg(feature = "ssr")]
pub mod state;

/// The translations, generated from `locales/` by `build.rs` (leptos_i18n's code, which
/// parses its two fixed locale tags with `expect`).
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}
pub use generated::i18n;

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

use crate::bulletin::{BulletinPage, BulletinsPage, PatternsPage};
use crate::help::HelpPage;
use crate::home::HomePage;
use crate::layout::Layout;
use crate::locale::{html_lang, page_locale, page_path};
use crate::official::OfficialPage;
use crate::report::{ReportPage, ReportThanksPage};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = html_lang(page_locale());
    // Only a page with an island loads the WebAssembly; every other page is HTML and CSS.
    let hydration =
        has_islands(&page_path()).then(|| view! { <HydrationScripts options=options.clone() islands=true/> });
    // The header must name the nonce Leptos prints on the hydration script below.
    #[cfg(feature = "ssr")]
    csp::send_page_policy();
    view! {
        <!DOCTYPE html>
        <html lang=lang>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HashedStylesheet id="leptos" options=options.clone()/>
                {hydration}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Whether the page at `path` (path and query) has an island to hydrate: the home page,
/// whose paste box is the public site's one island (`lookup::CheckBox`), and the agent
/// console, whose escalations follow their changes (`staff::live::MyEscalations`), and the
/// console and scripts pages' copy buttons (`staff::scripts::CopyButton`), and the bulletin
/// editor's live preview (`staff::publishing::LivePreview`, rendered as
/// `/console/bulletins/editor`). Keep in step with them.
pub fn has_islands(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    path == "/"
        || path.is_empty()
        || path == "/console"
        || path == "/console/scripts"
        || path == "/console/bulletins/editor"
}

/// Whether a route belongs to the staff side, whose pages only the server's guarded handlers
/// render.
pub fn is_staff_path(path: &str) -> bool {
    path == "/console" || path.starts_with("/console/") || path.starts_with("/staff/")
}

/// The site: one router for every page.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let locale = page_locale();
    let firm = firm::firm_name(locale);
    view! {
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Title text=td_string!(locale, common.site_title, firm = firm.clone()).to_string()/>
        <Meta name="description" content=td_string!(locale, common.site_description, firm = firm.clone()).to_string()/>
        <Link
            rel="alternate"
            type_="application/atom+xml"
            href=if locale == crate::i18n::Locale::en { "/feed.atom?lang=en" } else { "/feed.atom" }
            title=td_string!(locale, bulletins.feed_link_title, firm).to_string()
        />
        <Router>
            <Routes fallback=NotFoundPage>
                // Async: the whole page, check result included, arrives in one response,
                // so it works without JavaScript.
                <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
                <Route path=StaticSegment("bulletins") view=BulletinsPage ssr=SsrMode::Async/>
                <Route
                    path=(StaticSegment("bulletins"), ParamSegment("slug"))
                    view=BulletinPage
                    ssr=SsrMode::Async
                />
                <Route path=StaticSegment("patterns") view=PatternsPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("official") view=OfficialPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("help") view=HelpPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("report") view=ReportPage ssr=SsrMode::Async/>
                // Only posted to, from a check's answer (`server/src/report_form.rs`).
                <Route
                    path=(StaticSegment("report"), StaticSegment("new"))
                    view=ReportPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("report"), StaticSegment("thanks"))
                    view=ReportThanksPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=(StaticSegment("domain"), ParamSegment("host"))
                    view=crate::domain::DomainPage
                    ssr=SsrMode::Async
                />
                // Staff pages: rendered only by the server's guarded handlers, which hand
                // each its data (see `staff` and `server/src/staff`); never by Leptos' own
                // route handlers (`is_staff_path`).
                <Route path=(StaticSegment("staff"), StaticSegment("sign-in")) view=staff::pages::SignInPage/>
                <Route path=(StaticSegment("staff"), StaticSegment("second-factor")) view=staff::pages::SecondFactorPage/>
                <Route path=(StaticSegment("staff"), StaticSegment("password")) view=staff::pages::PasswordPage/>
                <Route path=StaticSegment("console") view=staff::console::ConsolePage/>
                <Route path=(StaticSegment("console"), StaticSegment("audit")) view=staff::pages::AuditPage/>
                <Route path=(StaticSegment("console"), StaticSegment("users")) view=staff::users::UsersPage/>
                <Route path=(StaticSegment("console"), StaticSegment("scripts")) view=staff::scripts::ScriptsPage/>
                <Route path=(StaticSegment("console"), StaticSegment("takedowns")) view=staff::takedowns::TakedownsPage/>
                <Route path=(StaticSegment("console"), StaticSegment("takedowns"), StaticSegment("entry")) view=staff::takedowns::TakedownEntryPage/>
                <Route path=(StaticSegment("console"), StaticSegment("takedowns"), StaticSegment("campaigns")) view=staff::campaigns::CampaignsPage/>
                <Route path=(StaticSegment("console"), StaticSegment("imports")) view=staff::imports::ImportsPage/>
                <Route path=(StaticSegment("console"), StaticSegment("imports"), StaticSegment("job")) view=staff::imports::ImportJobPage/>
                <Route path=(StaticSegment("console"), StaticSegment("versions")) view=staff::imports::VersionsPage/>
                <Route path=(StaticSegment("console"), StaticSegment("official")) view=staff::official::OfficialListPage/>
                <Route path=(StaticSegment("console"), StaticSegment("dashboard")) view=staff::dashboard::DashboardPage/>
                <Route path=(StaticSegment("console"), StaticSegment("triage")) view=staff::triage::TriagePage/>
                <Route path=(StaticSegment("console"), StaticSegment("bulletins")) view=staff::publishing::BulletinsPage/>
                <Route path=(StaticSegment("console"), StaticSegment("bulletins"), StaticSegment("editor")) view=staff::publishing::BulletinEditorPage/>
                <Route path=(StaticSegment("console"), StaticSegment("bulletins"), StaticSegment("revisions")) view=staff::publishing::BulletinRevisionsPage/>
                <Route path=(StaticSegment("console"), StaticSegment("bulletins"), StaticSegment("templates")) view=staff::publishing::BulletinTemplatesPage/>
            </Routes>
        </Router>
    }
}

/// Shown for any address the site does not have (the server's fallback sends it as a 404).
#[component]
fn NotFoundPage() -> impl IntoView {
    let locale = page_locale();
    view! {
        <Layout>
            <h1>{td_string!(locale, common.not_found_title)}</h1>
            <p>{td_string!(locale, common.not_found_body)}</p>
            <p><a href="/">{td_string!(locale, common.back_home)}</a></p>
        </Layout>
    }
}

/// Entry point of the WebAssembly bundle: hydrates the islands on the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
