//! The home page's short list of the fake and suspicious sites checked most this week,
//! each linking to its domain page.

use engine::Verdict;
use leptos::prelude::*;
use leptos_i18n::td_string;
use serde::{Deserialize, Serialize};

use crate::locale::page_locale;
use crate::lookup::wording::{defanged, verdict_code, verdict_label};

/// How many hosts the list shows.
#[cfg(feature = "ssr")]
const SHOWN: usize = 5;

/// One host of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedSite {
    pub host: String,
    /// The verdict a check gives it now: fraud or suspicious only.
    pub verdict: Verdict,
    pub checks: i64,
    /// Its page, `/domain/{host}` in canonical form.
    pub page: String,
}

/// The hosts checked most this week that a check now calls fraud or suspicious, from the
/// list the live index keeps (refreshed in the background after each count flush): the
/// home page never waits on the database for it.
#[cfg(feature = "ssr")]
pub fn most_checked_this_week(live: &store::LiveIndex) -> Vec<CheckedSite> {
    live.most_checked()
        .iter()
        .filter_map(|c| {
            let name = super::DomainName::parse(&c.host).ok()?;
            // Judged again on today's data: a host cleared or made official since it was
            // counted must not be named as fake, and an unknown one never is.
            let verdict = super::judge(live, &name)?.verdict;
            matches!(verdict, Verdict::Fraud | Verdict::Suspicious).then(|| CheckedSite {
                host: c.host.clone(),
                verdict,
                checks: c.checks,
                page: name.page_path(),
            })
        })
        .take(SHOWN)
        .collect()
}

/// How many counted hosts the live index keeps for the list: a few more than shown, since
/// some may no longer be fake or suspicious.
#[cfg(feature = "ssr")]
pub const KEPT: u32 = (SHOWN * 2) as u32;

/// The list, or nothing at all when it is empty: it is a help, and the check above it
/// matters more.
#[component]
pub fn MostChecked() -> impl IntoView {
    let locale = page_locale();
    let sites = in_memory();
    (!sites.is_empty()).then(|| view! {
        <section class="most-checked" aria-labelledby="most-checked-heading">
            <h2 id="most-checked-heading">{td_string!(locale, domain.most_checked_heading)}</h2>
            <p>{td_string!(locale, domain.most_checked_intro)}</p>
            <ol class="most-checked-list">
                {sites.into_iter().map(|site| {
                    let count = site.checks;
                    let code = verdict_code(site.verdict);
                    view! {
                        <li class=format!("finding-{code}") data-verdict=code>
                            <span class="badge">{verdict_label(site.verdict, locale)}</span>
                            " "
                            <a href=site.page><code class="link">{defanged(&site.host)}</code></a>
                            " "
                            <span class="checks">{td_string!(locale, domain.most_checked_count, count)}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    })
}

fn in_memory() -> Vec<CheckedSite> {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::state::AppState>()
            .map(|state| most_checked_this_week(&state.live))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Vec::new()
    }
}
