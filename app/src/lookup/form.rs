//! The paste box. Without JavaScript it is a plain form POST to `/`, answered by a
//! server-rendered page; once the WebAssembly has loaded, it calls the check server
//! function instead and the answer appears without a page load.

use leptos::prelude::*;

use super::{CheckFailure, CheckMessage};

/// The paste box and its submit button, bound to the page's check action.
#[component]
pub fn CheckForm(check: ServerAction<CheckMessage>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    // Effects run only in the browser: the flag tells tests (and styles) the page is live.
    let hydrated = RwSignal::new(false);
    Effect::new(move || hydrated.set(true));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let pasted = text.get_untracked();
        // Refuse an oversized paste here, before sending it anywhere.
        if pasted.len() > engine::MAX_MESSAGE_BYTES {
            check.value().set(Some(Err(CheckFailure::TooLong { bytes: pasted.len() })));
            return;
        }
        check.dispatch(CheckMessage { text: pasted });
    };
    view! {
        <form
            class="check-form"
            method="post"
            action="/"
            on:submit=on_submit
            data-hydrated=move || hydrated.get().to_string()
        >
            <label for="paste" class="check-label">"貼上可疑的網址或訊息"</label>
            <p id="paste-hint" class="hint">
                "整則簡訊或 LINE 訊息都可以。我們不會打開連結，也不會保存您貼上的內容。"
            </p>
            <textarea
                id="paste"
                name="text"
                rows="6"
                aria-describedby="paste-hint"
                bind:value=text
            ></textarea>
            <button type="submit" class="check-button" aria-busy=move || check.pending().get().to_string()>
                {move || if check.pending().get() { "查證中…" } else { "查證" }}
            </button>
        </form>
    }
}
