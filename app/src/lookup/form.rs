//! The paste box, the one interactive part of the public site (an island). Without
//! JavaScript it is a plain form POST to `/`, answered by a server-rendered page; once
//! the WebAssembly has loaded, it calls the check server function instead and the
//! answer appears in the live region without a page load.

use leptos::prelude::*;
use leptos_i18n::td_string;

use super::{CheckAnswer, CheckFailure, CheckMessage, CheckResult};
use crate::i18n::Locale;

/// The paste box form's `id`, which the header's language button names in its `form`
/// attribute so that switching language on the home page carries the paste along.
pub const CHECK_FORM_ID: &str = "check-form";

/// The paste box and the answer under it. `posted` is the answer to a form posted
/// without JavaScript, rendered on the server and carried into hydration; `text` is what
/// was pasted then, back in the box so nothing the reader pasted is lost (to trim a paste
/// that was too long, or to check again after a wait).
#[island]
pub fn CheckBox(
    locale: Locale,
    posted: Option<Result<CheckAnswer, CheckFailure>>,
    text: String,
) -> impl IntoView {
    let check = ServerAction::<CheckMessage>::new();
    // Read from the box itself on submit: on a slow phone the reader may paste before
    // the WebAssembly has loaded, and a signal bound later would not have seen it.
    let paste_box = NodeRef::<leptos::html::Textarea>::new();
    // Effects run only in the browser: the flag tells tests (and styles) the page is live.
    let hydrated = RwSignal::new(false);
    Effect::new(move || hydrated.set(true));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        // The header's language button submits this form too (see `layout`): the browser
        // posts it, and the answer comes back in the other language.
        let switching_language =
            ev.submitter().and_then(|button| button.get_attribute("name")).is_some_and(|name| name == "lang");
        if switching_language {
            return;
        }
        ev.prevent_default();
        let Some(pasted) = paste_box.get_untracked().map(|el| el.value()) else {
            return;
        };
        // Refuse an oversized paste here, before sending it anywhere.
        if pasted.len() > engine::MAX_MESSAGE_BYTES {
            check.value().set(Some(Err(CheckFailure::TooLong { bytes: pasted.len() })));
            return;
        }
        check.dispatch(CheckMessage { text: pasted });
    };
    let answer = move || match check.value().get() {
        Some(outcome) => Some(view! { <CheckResult outcome locale/> }.into_any()),
        None => posted
            .clone()
            .map(|outcome| view! { <CheckResult outcome locale arrived_with_page=true/> }.into_any()),
    };
    view! {
        <form
            id=CHECK_FORM_ID
            class="check-form"
            method="post"
            action="/"
            on:submit=on_submit
            data-hydrated=move || hydrated.get().to_string()
        >
            <label for="paste" class="check-label">{td_string!(locale, check.paste_label)}</label>
            <p id="paste-hint" class="hint">{td_string!(locale, check.paste_hint)}</p>
            <textarea id="paste" name="text" rows="6" aria-describedby="paste-hint" node_ref=paste_box>
                {crate::safe_text::textarea_text(&text)}
            </textarea>
            <button type="submit" class="check-button" aria-busy=move || check.pending().get().to_string()>
                {move || {
                    if check.pending().get() {
                        td_string!(locale, check.submitting)
                    } else {
                        td_string!(locale, check.submit)
                    }
                }}
            </button>
        </form>
        <div class="result" role="status" aria-live="polite">{answer}</div>
    }
}
