//! Reply scripts: in the console, the scripts for the check's verdict with the placeholders
//! filled and a copy button; `/console/scripts` lists them all, grouped by verdict and
//! searchable, and lets admins edit them.

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

use super::{staff_page, StaffLayout, StaffPage, StaffPageMissing};
use crate::i18n::Locale;
use crate::locale::page_locale;

/// A script ready to read out: its title and text in both languages, placeholders filled.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScriptView {
    pub id: i64,
    pub verdict: String,
    pub situation_zh: String,
    pub situation_en: String,
    pub text_zh: String,
    pub text_en: String,
}

impl ScriptView {
    fn situation(&self, locale: Locale) -> String {
        if locale == Locale::en {
            self.situation_en.clone()
        } else {
            self.situation_zh.clone()
        }
    }
    fn text(&self, locale: Locale) -> String {
        if locale == Locale::en {
            self.text_en.clone()
        } else {
            self.text_zh.clone()
        }
    }
}

fn verdict_heading(verdict: &str, locale: Locale) -> &'static str {
    match verdict {
        "fraud" => td_string!(locale, staff.scripts_fraud),
        "suspicious" => td_string!(locale, staff.scripts_suspicious),
        "unknown" => td_string!(locale, staff.scripts_unknown),
        _ => td_string!(locale, staff.scripts_official),
    }
}

/// One script: the text in a read-only box (select it to copy without JavaScript) and a
/// copy button once the page is interactive.
#[component]
pub fn ScriptCard(script: ScriptView, locale: Locale) -> impl IntoView {
    let id = format!("script-{}", script.id);
    let situation = script.situation(locale);
    let text = script.text(locale);
    view! {
        <article class="script-card">
            <h3><label for=id.clone()>{situation}</label></h3>
            <textarea id=id.clone() class="script-text" readonly rows="4">{crate::safe_text::textarea_text(&text)}</textarea>
            <CopyButton target=id locale/>
        </article>
    }
}

/// Copies the script's text to the clipboard; hidden until the page is interactive.
#[island]
pub fn CopyButton(target: String, locale: Locale) -> impl IntoView {
    let copied = RwSignal::new(false);
    let ready = RwSignal::new(false);
    Effect::new(move || ready.set(true));
    let on_click = move |_| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let text = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&target))
                .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
                .map(|t| t.value());
            if let (Some(text), Some(window)) = (text, web_sys::window()) {
                let _ = window.navigator().clipboard().write_text(&text);
                copied.set(true);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &target;
    };
    view! {
        <button type="button" class="copy-button" hidden=move || !ready.get() on:click=on_click>
            {move || if copied.get() { td_string!(locale, staff.scripts_copied) } else { td_string!(locale, staff.scripts_copy) }}
        </button>
    }
}

/// `/console/scripts`.
#[component]
pub fn ScriptsPage() -> impl IntoView {
    let locale = page_locale();
    let Some(StaffPage::Scripts { who, scripts, search, editable, problem }) = staff_page() else {
        return view! { <StaffPageMissing/> }.into_any();
    };
    let mut groups: Vec<(String, Vec<super::scripts::EditableScript>)> = Vec::new();
    for s in scripts {
        match groups.iter_mut().find(|(v, _)| *v == s.view.verdict) {
            Some((_, list)) => list.push(s),
            None => groups.push((s.view.verdict.clone(), vec![s])),
        }
    }
    let sections = groups
        .into_iter()
        .map(|(verdict, list)| {
            let cards = list
                .into_iter()
                .map(|s| {
                    let edit = editable.then(|| view! { <ScriptEditor script=s.clone() locale/> }.into_any());
                    view! { <li><ScriptCard script=s.view.clone() locale/>{edit}</li> }.into_any()
                })
                .collect_view();
            view! {
                <section class="script-group">
                    <h2>{verdict_heading(&verdict, locale)}</h2>
                    <ul class="script-list">{cards}</ul>
                </section>
            }
            .into_any()
        })
        .collect_view();
    let add = editable.then(|| view! { <ScriptEditor script=EditableScript::default() locale/> }.into_any());
    view! {
        <Title text=td_string!(locale, staff.scripts_title).to_string()/>
        <StaffLayout who>
            <h1>{td_string!(locale, staff.scripts_title)}</h1>
            {problem.map(|p| view! { <p class="form-error" role="alert">{p}</p> })}
            <form method="get" action="/console/scripts" class="staff-filter">
                <label for="script-search">{td_string!(locale, staff.scripts_search)}</label>
                <input id="script-search" name="q" type="search" value=search/>
                <button type="submit">{td_string!(locale, staff.contacts_search_button)}</button>
            </form>
            <p class="hint">{td_string!(locale, staff.scripts_placeholders)}</p>
            {sections}
            {add.map(|a| view! { <section><h2>{td_string!(locale, staff.scripts_add)}</h2>{a}</section> })}
        </StaffLayout>
    }
    .into_any()
}

/// A script with its raw (unfilled) text, for the admin's editor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EditableScript {
    pub view: ScriptView,
    pub body_zh: String,
    pub body_en: String,
}

#[component]
fn ScriptEditor(script: EditableScript, locale: Locale) -> impl IntoView {
    let id = script.view.id;
    let action =
        if id == 0 { "/console/scripts/new".to_owned() } else { format!("/console/scripts/{id}/edit") };
    let p = format!("edit-{id}");
    let verdicts = ["fraud", "suspicious", "unknown", "official"]
        .into_iter()
        .map(|v| view! { <option value=v selected=script.view.verdict == v>{verdict_heading(v, locale)}</option> })
        .collect_view();
    view! {
        <details class="script-editor">
            <summary>{td_string!(locale, staff.scripts_edit)}</summary>
            <form method="post" action=action class="staff-form">
                <label for=format!("{p}-verdict")>{td_string!(locale, staff.scripts_verdict)}</label>
                <select id=format!("{p}-verdict") name="verdict">{verdicts}</select>
                <label for=format!("{p}-sz")>{td_string!(locale, staff.scripts_situation_zh)}</label>
                <input id=format!("{p}-sz") name="situation_zh" type="text" maxlength="200" required value=script.view.situation_zh/>
                <label for=format!("{p}-se")>{td_string!(locale, staff.scripts_situation_en)}</label>
                <input id=format!("{p}-se") name="situation_en" type="text" maxlength="200" required value=script.view.situation_en/>
                <label for=format!("{p}-bz")>{td_string!(locale, staff.scripts_body_zh)}</label>
                <textarea id=format!("{p}-bz") name="body_zh" rows="4" maxlength="2000" required>{crate::safe_text::textarea_text(&script.body_zh)}</textarea>
                <label for=format!("{p}-be")>{td_string!(locale, staff.scripts_body_en)}</label>
                <textarea id=format!("{p}-be") name="body_en" rows="4" maxlength="2000" required>{crate::safe_text::textarea_text(&script.body_en)}</textarea>
                <button type="submit">{td_string!(locale, staff.scripts_save)}</button>
            </form>
        </details>
    }
}
