//! The agent console's news, live: the open incidents (as on every public page) and the
//! newest bulletins. Once the page is interactive it follows `/console/news` (server-sent
//! events), so a bulletin published or an incident updated shows without a reload; without
//! JavaScript it is what the page was rendered with.

use leptos::prelude::*;
use leptos_i18n::td_string;
use serde::{Deserialize, Serialize};

use crate::bulletin::{
    bulletin_href, category_label, lang_attribute, BulletinSummary, IncidentBanner, IncidentNotice,
};
use crate::i18n::Locale;

/// What the news shows, and what the event stream sends whenever it changes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsState {
    pub incidents: Vec<IncidentNotice>,
    pub bulletins: Vec<BulletinSummary>,
}

/// The news of `board` for a reader of `locale`.
#[cfg(feature = "ssr")]
pub fn news_state(
    state: &crate::state::AppState,
    board: &store::bulletin::board::BoardView,
    locale: Locale,
) -> NewsState {
    let language = crate::bulletin::reader_language(locale);
    let snapshot = state.live.current();
    let official = crate::safe_text::official_href_in(snapshot.as_deref().map(|s| &s.index));
    NewsState {
        incidents: crate::bulletin::incident_notices(&board.incidents, language, &official),
        bulletins: board.latest(language).iter().map(|b| crate::bulletin::for_readers(state, b)).collect(),
    }
}

/// The news, following its changes.
#[island]
pub fn ConsoleNews(news: NewsState, locale: Locale) -> impl IntoView {
    let news = RwSignal::new(news);
    let live = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    follow(news, live);
    let banner = move || view! { <IncidentBanner incidents=news.get().incidents locale/> };
    let list = move || {
        let bulletins = news.get().bulletins;
        if bulletins.is_empty() {
            return view! { <p>{td_string!(locale, check.bulletins_none)}</p> }.into_any();
        }
        view! {
            <ul class="console-bulletins">
                {bulletins.into_iter().map(|b| view! {
                    <li data-bulletin=b.slug.clone()>
                        <time>{b.published_on.clone()}</time>" · "{category_label(locale, &b.category)}" "
                        <a href=bulletin_href(&b.slug) lang=lang_attribute(&b.language, locale)>{b.title}</a>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="console-news" aria-labelledby="news-heading" data-live=move || live.get().then_some("true")>
            <div aria-live="polite">{banner}</div>
            <h2 id="news-heading">{td_string!(locale, staff.today_bulletins)}</h2>
            <div aria-live="polite">{list}</div>
        </section>
    }
}

/// Opens the event stream and shows what it sends; the browser reconnects by itself.
#[cfg(feature = "hydrate")]
fn follow(news: RwSignal<NewsState>, live: RwSignal<bool>) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    Effect::new(move || {
        let Ok(source) = web_sys::EventSource::new("/console/news") else { return };
        let on_open = Closure::<dyn FnMut()>::new(move || live.set(true));
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        on_open.forget();
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let Some(text) = event.data().as_string() else { return };
                if let Ok(state) = serde_json::from_str::<NewsState>(&text) {
                    news.set(state);
                }
            });
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
    });
}
