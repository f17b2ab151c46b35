//! The home page: the paste box first, the answer under it, then the latest
//! bulletins and the official channels.

use leptos::prelude::*;

use crate::bulletin::LatestBulletins;
use crate::lookup::{CheckAnswer, CheckFailure, CheckForm, CheckMessage, CheckResult};
use crate::official::OfficialChannels;

/// `/`: check a link or a message.
#[component]
pub fn HomePage() -> impl IntoView {
    let check = ServerAction::<CheckMessage>::new();
    // The answer to a form posted without JavaScript, rendered on the server and
    // carried to the browser inside the page so hydration sees the same thing.
    let posted = OnceResource::new(std::future::ready(posted_answer()));
    let answer = move || {
        let latest = check.value().get();
        Suspend::new(async move { latest.or(posted.await).map(|outcome| view! { <CheckResult outcome/> }) })
    };
    view! {
        <header class="site-header">
            <p class="brand">"凱基證券 防詐查證"</p>
        </header>
        <main class="page">
            <h1>"這個連結是真的嗎？"</h1>
            <CheckForm check/>
            <div class="result" role="status" aria-live="polite">
                <Suspense fallback=|| ()>{answer}</Suspense>
            </div>
            <OfficialChannels/>
            <LatestBulletins/>
        </main>
        <footer class="site-footer">
            <p>"我們只比對名單，不會打開您貼上的連結。"</p>
        </footer>
    }
}

/// On the server: the result of the form POST being answered, if any.
fn posted_answer() -> Option<Result<CheckAnswer, CheckFailure>> {
    #[cfg(feature = "ssr")]
    {
        use_context::<crate::lookup::PostedCheck>().map(|p| p.0)
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}
