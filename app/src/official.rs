//! The official channels in short: how to recognise the real firm.

use leptos::prelude::*;

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
    let domains = Resource::new_blocking(|| (), |_| official_domains());
    view! {
        <section class="official" id="official" aria-labelledby="official-heading">
            <h2 id="official-heading">"正確辨識凱基證券"</h2>
            <p>"本公司的官方網址只有："</p>
            <Suspense fallback=|| view! { <p>"載入中…"</p> }>
                {move || Suspend::new(async move {
                    match domains.await {
                        Ok(list) => view! {
                            <ul class="official-list">
                                {list.into_iter().map(|d| view! { <li><strong>{d}</strong></li> }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(_) => view! { <p>"官方名單暫時無法顯示，請稍後再試。"</p> }.into_any(),
                    }
                })}
            </Suspense>
            <p>"要登入時，請自己輸入官方網址，不要點訊息裡的連結。"</p>
            <p>"遇到可疑訊息，請撥打 " <a href="tel:165">"165 反詐騙專線"</a> "。"</p>
        </section>
    }
}
