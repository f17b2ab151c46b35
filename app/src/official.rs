//! The official channels in short: how to recognise the real firm.

use leptos::prelude::*;
use leptos_i18n::td_string;

use crate::locale::page_locale;

/// The firm's official domains, from the live index (so they show while the database is down).
#[server(endpoint = "official/domains")]
pub async fn official_domains() -> Result<Vec<String>, ServerFnError> {
    let state = expect_context::<crate::state::AppState>();
    let snapshot = state.live.current().ok_or_else(|| ServerFnError::new("official list not loaded"))?;
    Ok(snapshot.index.official_domains().to_vec())
}

/// A short box listing the official web addresses and the 165 hotline.
#[component]
pub fn OfficialChannels() -> impl IntoView {
    let locale = page_locale();
    let domains = Resource::new_blocking(|| (), |_| official_domains());
    view! {
        <section class="official" aria-labelledby="official-heading">
            <h2 id="official-heading">{td_string!(locale, check.official_heading)}</h2>
            <p>{td_string!(locale, check.official_intro)}</p>
            <Suspense fallback=move || view! { <p>{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match domains.await {
                        Ok(list) => view! {
                            <ul class="official-list">
                                {list.into_iter().map(|d| view! { <li><strong>{d}</strong></li> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(_) => view! { <p>{td_string!(locale, check.official_unavailable)}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <p>{td_string!(locale, check.official_type_it)}</p>
            <p><a href="/official">{td_string!(locale, check.official_more)}</a></p>
        </section>
    }
}
