//! The frame around every public page: skip link, header with the menu and the
//! language switch, the page's own content, and the footer.

use leptos::prelude::*;
use leptos_i18n::td_string;

use crate::bulletin::IncidentBanner;
use crate::firm::firm_name;
use crate::locale::{code, html_lang, other, page_locale, page_path, switch_href};
use crate::lookup::CHECK_FORM_ID;

/// A public page: the shared header and footer around `children`.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let locale = page_locale();
    let here = page_path();
    let path = here.split('?').next().unwrap_or("/").to_owned();
    let to = other(locale);
    let menu = [
        ("/", td_string!(locale, common.nav_check)),
        ("/official", td_string!(locale, common.nav_official)),
        ("/patterns", td_string!(locale, common.nav_patterns)),
        ("/help", td_string!(locale, common.nav_help)),
        ("/report", td_string!(locale, common.nav_report)),
        ("/bulletins", td_string!(locale, common.nav_bulletins)),
    ];
    let items = menu
        .into_iter()
        .map(|(href, label)| {
            let current = path == href || (href != "/" && path.starts_with(&format!("{href}/")));
            view! { <li><a href=href aria-current=current.then_some("page")>{label}</a></li> }
        })
        .collect_view();
    view! {
        <a class="skip-link" href="#main">{td_string!(locale, common.skip_to_content)}</a>
        <header class="site-header">
            <div class="header-bar">
                <a class="brand" href="/">{td_string!(locale, common.site_name, firm = firm_name(locale))}</a>
                {if path == "/" {
                    // On the check page the switch submits the paste box, so a pasted
                    // message, or an answer, comes back in the other language.
                    view! {
                        <button
                            type="submit"
                            class="lang-switch"
                            form=CHECK_FORM_ID
                            name="lang"
                            value=code(to)
                            lang=html_lang(to)
                            title=td_string!(locale, common.switch_to_hint)
                        >
                            {td_string!(locale, common.switch_to)}
                        </button>
                    }
                    .into_any()
                } else {
                    view! {
                        <a
                            class="lang-switch"
                            href=switch_href(to, &here)
                            hreflang=html_lang(to)
                            lang=html_lang(to)
                            title=td_string!(locale, common.switch_to_hint)
                        >
                            {td_string!(locale, common.switch_to)}
                        </a>
                    }
                    .into_any()
                }}
            </div>
            <nav aria-label=td_string!(locale, common.nav_label)>
                <ul class="menu">{items}</ul>
            </nav>
        </header>
        {view! { <IncidentBanner incidents=crate::bulletin::page_incidents(locale) locale/> }.into_any()}
        <main id="main" class="page" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>{td_string!(locale, common.footer_promise)}</p>
            <p>
                <a href="tel:165">{td_string!(locale, common.call_165)}</a>
            </p>
        </footer>
    }
}
