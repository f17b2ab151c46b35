//! `/help` (遇詐騙之諮詢管道與因應方法): what to do after a scam or a tapped link, in
//! order, with the 165 hotline and the firm's official numbers when the list has them.

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

use crate::firm::firm_name;
use crate::layout::Layout;
use crate::locale::page_locale;
use crate::official::{display_phone, of_kind, official_in_memory, tel_href};

/// The steps after a scam, then where to ask for help.
#[component]
pub fn HelpPage() -> impl IntoView {
    let locale = page_locale();
    let firm = firm_name(locale);
    let phones: Vec<String> = official_in_memory()
        .map(|list| of_kind(&list, "phone").into_iter().map(|c| c.value.clone()).collect())
        .unwrap_or_default();
    let numbers = if phones.is_empty() {
        view! { <span>{td_string!(locale, help.firm_number_elsewhere)}</span> }.into_any()
    } else {
        view! {
            <span>{td_string!(locale, help.firm_numbers)}</span>
            <ul>
                {phones.into_iter().map(|number| {
                    let href = tel_href(&number);
                    let number = display_phone(&number);
                    view! { <li><a href=href>{td_string!(locale, help.call_number, number)}</a></li> }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let title = format!(
        "{} | {}",
        td_string!(locale, help.page_title),
        td_string!(locale, common.site_title, firm = firm.clone())
    );
    view! {
        <Layout>
            <Title text=title/>
            <h1>{td_string!(locale, help.page_title)}</h1>
            <p class="subtitle">{td_string!(locale, help.subtitle)}</p>
            <p>{td_string!(locale, help.intro)}</p>
            <section class="official" aria-labelledby="steps-heading">
                <h2 id="steps-heading">{td_string!(locale, help.steps_heading)}</h2>
                <ol class="steps">
                    <li>{td_string!(locale, help.step_stop)}</li>
                    <li>{td_string!(locale, help.step_no_pay)}</li>
                    <li>
                        {td_string!(locale, help.step_165)}
                        " "
                        <a class="call-button" href="tel:165">{td_string!(locale, help.call_165)}</a>
                    </li>
                    <li>
                        {td_string!(locale, help.step_password)}
                        " "
                        <a href="/official">{td_string!(locale, help.official_link, firm = firm.clone())}</a>
                    </li>
                    <li>
                        {td_string!(locale, help.step_firm, firm = firm.clone())}
                        " "
                        {numbers}
                    </li>
                    <li>{td_string!(locale, help.step_evidence)}</li>
                    <li>
                        {td_string!(locale, help.step_report)}
                        " "
                        <a href="/report">{td_string!(locale, help.report_link)}</a>
                    </li>
                </ol>
            </section>
            <section class="official" aria-labelledby="contacts-heading">
                <h2 id="contacts-heading">{td_string!(locale, help.contacts_heading)}</h2>
                <ul class="advice-list">
                    <li>
                        {td_string!(locale, help.contact_165)}
                        " "
                        <a href="tel:165">{td_string!(locale, help.call_165)}</a>
                    </li>
                    <li>
                        {td_string!(locale, help.contact_110)}
                        " "
                        <a href="tel:110">{td_string!(locale, help.call_110)}</a>
                    </li>
                    <li>
                        {td_string!(locale, help.contact_check)}
                        " "
                        <a href="/">{td_string!(locale, help.check_link)}</a>
                    </li>
                </ul>
            </section>
        </Layout>
    }
}
