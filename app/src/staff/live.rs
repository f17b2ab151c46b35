//! "My escalations", live: an island that shows the agent's escalations and, once the page
//! is interactive, follows `/console/events` (server-sent events) so that an analyst's
//! decision appears without a reload, with a badge on what changed. Without JavaScript the
//! list is the one the page was rendered with (a reload shows the news).

use leptos::prelude::*;
use leptos_i18n::td_string;
use serde::{Deserialize, Serialize};

use super::console::{status_text, EscalationView};
use crate::i18n::Locale;

/// What the event stream sends for each escalation: its id, state and decision note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationState {
    pub id: i64,
    pub status: String,
    pub updated_at: String,
    pub decision_note: String,
}

/// Applies the states the server sent to the list; returns the ids whose status changed.
pub fn apply_states(items: &mut [EscalationView], states: &[EscalationState]) -> Vec<i64> {
    let mut changed = Vec::new();
    for item in items.iter_mut() {
        if let Some(state) = states.iter().find(|s| s.id == item.id) {
            if state.status != item.status {
                changed.push(item.id);
            }
            item.status = state.status.clone();
            item.updated_at = state.updated_at.clone();
            item.decision_note = state.decision_note.clone();
        }
    }
    changed
}

/// The agent's escalations, following their changes.
#[island]
pub fn MyEscalations(items: Vec<EscalationView>, locale: Locale) -> impl IntoView {
    let items = RwSignal::new(items);
    let changed = RwSignal::new(Vec::<i64>::new());
    let live = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    follow(items, changed, live);
    let list = move || {
        let rows = items.get();
        if rows.is_empty() {
            return view! { <p>{td_string!(locale, staff.my_escalations_none)}</p> }.into_any();
        }
        let fresh = changed.get();
        view! {
            <ul class="escalations">
                {rows.into_iter().map(|e| {
                    let status = status_text(&e.status, locale);
                    let updated = fresh.contains(&e.id).then(|| view! { " "<span class="badge badge-new">{td_string!(locale, staff.updated_badge)}</span> });
                    view! {
                        <li data-escalation=e.id data-status=e.status.clone()>
                            <code class="link">{e.value}</code>" "
                            <span class=format!("badge status-{}", e.status)>{status}</span>
                            {updated}
                            " · "<time>{e.updated_at}</time>
                            {(!e.decision_note.is_empty()).then(|| view! { " · "<q>{e.decision_note}</q> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let count = move || changed.get().len();
    view! {
        <section class="my-escalations" aria-labelledby="mine-heading" data-live=move || live.get().then_some("true")>
            <h2 id="mine-heading">
                {td_string!(locale, staff.my_escalations_heading)}
                {move || (count() > 0).then(|| view! { " "<span class="badge badge-new" aria-label=td_string!(locale, staff.updated_badge)>{count()}</span> })}
            </h2>
            <div aria-live="polite">{list}</div>
        </section>
    }
}

/// Opens the event stream and applies what it sends; the browser reconnects by itself.
#[cfg(feature = "hydrate")]
fn follow(items: RwSignal<Vec<EscalationView>>, changed: RwSignal<Vec<i64>>, live: RwSignal<bool>) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    Effect::new(move || {
        let Ok(source) = web_sys::EventSource::new("/console/events") else { return };
        let on_open = Closure::<dyn FnMut()>::new(move || live.set(true));
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        on_open.forget();
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let Some(text) = event.data().as_string() else { return };
                let Ok(states) = serde_json::from_str::<Vec<EscalationState>>(&text) else { return };
                let mut fresh = Vec::new();
                items.update(|list| fresh = apply_states(list, &states));
                if !fresh.is_empty() {
                    changed.update(|c| c.extend(fresh));
                }
            });
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_status_is_applied_and_reported_once() {
        let mut items = vec![
            EscalationView { id: 1, status: "queued".into(), ..EscalationView::default() },
            EscalationView { id: 2, status: "queued".into(), ..EscalationView::default() },
        ];
        let states = vec![
            EscalationState {
                id: 1,
                status: "accepted".into(),
                updated_at: "t".into(),
                decision_note: "fake".into(),
            },
            EscalationState {
                id: 2,
                status: "queued".into(),
                updated_at: "t".into(),
                decision_note: String::new(),
            },
        ];
        assert_eq!(apply_states(&mut items, &states), vec![1]);
        assert_eq!((items[0].status.as_str(), items[0].decision_note.as_str()), ("accepted", "fake"));
        assert!(apply_states(&mut items, &states).is_empty(), "nothing new the second time");
    }
}
