//! Fraud bulletins: the firm's public warnings, shown newest first.

use leptos::prelude::*;
use leptos_i18n::td_string;
use serde::{Deserialize, Serialize};

use crate::locale::page_locale;

/// A bulletin as the public pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulletinSummary {
    pub slug: String,
    pub title: String,
    pub body: String,
    pub published_on: String,
}

/// The newest bulletins, at most five.
#[server(endpoint = "bulletins/latest")]
pub async fn latest_bulletins() -> Result<Vec<BulletinSummary>, ServerFnError> {
    let state = expect_context::<crate::state::AppState>();
    let bulletins = store::bulletin::latest(&state.db, 5).await.map_err(|e| {
        tracing::error!(error = %e, "reading bulletins failed");
        ServerFnError::new("bulletins are unavailable")
    })?;
    Ok(bulletins
        .into_iter()
        .map(|b| BulletinSummary { slug: b.slug, title: b.title, body: b.body, published_on: b.published_on })
        .collect())
}

/// The latest bulletins, each with its date and text.
#[component]
pub fn LatestBulletins() -> impl IntoView {
    let locale = page_locale();
    let bulletins = Resource::new_blocking(|| (), |_| latest_bulletins());
    view! {
        <section class="bulletins" aria-labelledby="bulletins-heading">
            <h2 id="bulletins-heading">{td_string!(locale, check.bulletins_heading)}</h2>
            <Suspense fallback=move || view! { <p>{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match bulletins.await {
                        Ok(list) if list.is_empty() => view! { <p>{td_string!(locale, check.bulletins_none)}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="bulletin-list">
                                {list.into_iter().map(|b| view! { <BulletinItem bulletin=b/> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(_) => view! { <p>{td_string!(locale, check.bulletins_unavailable)}</p> }.into_any(),
                    }
                })}
            </Suspense>
            <p><a href="/bulletins">{td_string!(locale, check.bulletins_all)}</a></p>
        </section>
    }
}

#[component]
fn BulletinItem(bulletin: BulletinSummary) -> impl IntoView {
    view! {
        // Bulletins are written in Chinese; the attribute keeps English pages honest for screen readers.
        <li class="bulletin" id=format!("bulletin-{}", bulletin.slug) lang="zh-Hant-TW">
            <time datetime=bulletin.published_on.clone()>{bulletin.published_on.replace('-', ".")}</time>
            <details>
                <summary class="bulletin-title">{bulletin.title}</summary>
                {bulletin.body.lines().map(|l| view! { <p>{l.to_owned()}</p> }).collect_view()}
            </details>
        </li>
    }
}
