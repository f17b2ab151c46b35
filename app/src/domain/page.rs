//! `/domain/{host}`: one permanent page per host, so that someone who searches a fake
//! site's name finds what we know: the verdict, the takedown record, the bulletins.

use engine::CandidateKind;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_params_map;

use super::status::{domain_page_data, DomainStatus, HistoryStep, Judged};
use super::DomainName;
use crate::bulletin::BulletinSummary;
use crate::i18n::Locale;
use crate::layout::Layout;
use crate::locale::page_locale;
use crate::lookup::wording::{defanged, overall, reason_text, status_label, verdict_code, Subject};
use crate::lookup::VerdictIcon;
use crate::official::OfficialChannels;
use crate::respond::{respond_moved, respond_not_found};

/// `/domain/{host}`: the page, a permanent redirect to the host's canonical spelling, or
/// a 404 that says what to do instead.
#[component]
pub fn DomainPage() -> impl IntoView {
    let raw = use_params_map().read_untracked().get("host").unwrap_or_default();
    match DomainName::parse(&raw) {
        Ok(name) if name.as_str() == raw => view! { <DomainStatusPage name/> }.into_any(),
        Ok(name) => {
            let to = name.page_path();
            respond_moved(&to);
            view! { <Moved to host=name.to_string()/> }.into_any()
        }
        Err(_) => {
            respond_not_found();
            view! { <NotADomain/> }.into_any()
        }
    }
}

#[component]
fn DomainStatusPage(name: DomainName) -> impl IntoView {
    let locale = page_locale();
    let host = name.to_string();
    let shown = defanged(name.as_str());
    let status = Resource::new_blocking(move || host.clone(), domain_page_data);
    let title_host = name.to_string();
    let page_path = name.page_path();
    view! {
        <Title text=td_string!(locale, domain.page_title, host = title_host, firm = crate::firm::firm_name(locale)).to_string()/>
        <Layout>
            <h1 class="domain-heading">
                {td_string!(locale, domain.page_heading)}
                " "
                <code class="link">{shown}</code>
            </h1>
            <p class="hint">{td_string!(locale, domain.defanged_hint)}</p>
            <Suspense fallback=move || view! { <p>{td_string!(locale, common.loading)}</p> }>
                {move || {
                    let page_path = page_path.clone();
                    Suspend::new(async move {
                        match status.await {
                            Ok(status) => view! { <StatusView status page_path locale/> }.into_any(),
                            Err(_) => view! {
                                <Meta name="robots" content="noindex"/>
                                <p>{td_string!(locale, check.error_unavailable)}</p>
                            }.into_any(),
                        }
                    })
                }}
            </Suspense>
            <OfficialChannels/>
            <p class="domain-back"><a href="/">{td_string!(locale, domain.check_another)}</a></p>
        </Layout>
    }
}

#[component]
fn StatusView(status: DomainStatus, page_path: String, locale: Locale) -> impl IntoView {
    // Only listed fakes may show up in search results, under this one address.
    let robots = if status.indexable() {
        view! { <Link rel="canonical" href=page_path/> }.into_any()
    } else {
        view! { <Meta name="robots" content="noindex"/> }.into_any()
    };
    let DomainStatus { host, judged, history, bulletins } = status;
    let verdict = match judged {
        Some(judged) => view! { <VerdictBox judged locale/> }.into_any(),
        None => view! {
            <section class="verdict verdict-error" data-verdict="error" aria-labelledby="verdict-headline">
                <h2 id="verdict-headline">{td_string!(locale, check.error_unavailable)}</h2>
            </section>
        }
        .into_any(),
    };
    view! {
        {robots}
        {verdict}
        <History history host locale/>
        <Bulletins bulletins locale/>
    }
}

#[component]
fn VerdictBox(judged: Judged, locale: Locale) -> impl IntoView {
    let Judged { verdict, reasons, takedown, data } = judged;
    let firm = crate::firm::firm_name(locale);
    let words = overall(verdict.into(), Subject::Link, locale, &firm);
    let code = verdict_code(verdict);
    let takedown = takedown.map(|t| {
        let status = status_label(t.status, locale);
        let date = t.listed_on;
        view! { <p class="takedown">{td_string!(locale, check.takedown_line, status, date)}</p> }
    });
    let (time, version) = (data.updated_at, data.version);
    view! {
        <section class=format!("verdict verdict-{code}") data-verdict=code aria-labelledby="verdict-headline">
            <h2 id="verdict-headline">
                <VerdictIcon icon=words.icon/>
                {words.headline}
            </h2>
            {words.why.into_iter().map(|s| view! { <p>{s}</p> }).collect_view()}
            {reasons.iter().map(|r| view! { <p class="reason">{reason_text(r, CandidateKind::Domain, locale, &firm)}</p> }).collect_view()}
            {takedown}
            <p class="next-action">
                <strong>{td_string!(locale, check.next_action)}</strong>
                {words.action}
            </p>
            <p class="data-stamp">{td_string!(locale, check.data_stamp, time, version)}</p>
        </section>
    }
}

#[component]
fn History(history: Option<Vec<HistoryStep>>, host: String, locale: Locale) -> impl IntoView {
    let body = match history {
        None => view! { <p>{td_string!(locale, domain.history_unavailable)}</p> }.into_any(),
        Some(steps) if steps.is_empty() => view! { <p>{td_string!(locale, domain.history_none)}</p> }.into_any(),
        Some(steps) => view! {
            <ol class="history-list">
                {steps
                    .into_iter()
                    .map(|step| {
                        // Steps of another host of the same site say which host they are about.
                        let other = (step.host != host).then(|| {
                            let other = defanged(&step.host);
                            view! {
                                <span class="history-host">
                                    {td_string!(locale, domain.history_host)}
                                    " "
                                    <code>{other}</code>
                                </span>
                            }
                        });
                        view! {
                            <li class="history-step" data-status=step.status.code()>
                                <time datetime=step.happened_on.clone()>{step.happened_on.replace('-', ".")}</time>
                                " "
                                <strong>{event_label(step.status, locale)}</strong>
                                {other}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        }
        .into_any(),
    };
    view! {
        <section class="domain-box" aria-labelledby="history-heading">
            <h2 id="history-heading">{td_string!(locale, domain.history_heading)}</h2>
            {body}
        </section>
    }
}

#[component]
fn Bulletins(bulletins: Option<Vec<BulletinSummary>>, locale: Locale) -> impl IntoView {
    let body = match bulletins {
        None => view! { <p>{td_string!(locale, check.bulletins_unavailable)}</p> }.into_any(),
        Some(list) if list.is_empty() => view! { <p>{td_string!(locale, domain.bulletins_none)}</p> }.into_any(),
        Some(list) => view! {
            <ul class="bulletin-list">
                {list
                    .into_iter()
                    .map(|b| {
                        view! {
                            <li class="bulletin" lang=crate::bulletin::lang_attribute(&b.language, locale)>
                                <time datetime=b.published_on.clone()>{b.published_on.replace('-', ".")}</time>
                                <a class="bulletin-title" href=format!("/bulletins/{}", b.slug)>{b.title}</a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    };
    view! {
        <section class="domain-box" aria-labelledby="domain-bulletins-heading">
            <h2 id="domain-bulletins-heading">{td_string!(locale, domain.bulletins_heading)}</h2>
            {body}
        </section>
    }
}

/// A step of the takedown record, in plain words.
pub fn event_label(status: engine::TakedownStatus, locale: Locale) -> &'static str {
    use engine::TakedownStatus::*;
    match status {
        Detected => td_string!(locale, domain.event_detected),
        TakedownRequested => td_string!(locale, domain.event_takedown_requested),
        TakenDown => td_string!(locale, domain.event_taken_down),
        Reactivated => td_string!(locale, domain.event_reactivated),
        Reported => td_string!(locale, domain.event_reported),
        Monitoring => td_string!(locale, domain.event_monitoring),
        FalsePositive => td_string!(locale, domain.event_false_positive),
        Withdrawn => td_string!(locale, domain.event_withdrawn),
    }
}

/// The body of the permanent redirect, for clients that show it.
#[component]
fn Moved(to: String, host: String) -> impl IntoView {
    let locale = page_locale();
    let shown = defanged(&host);
    view! {
        <Meta name="robots" content="noindex"/>
        <Layout>
            <h1>{td_string!(locale, domain.moved_title)}</h1>
            <p><a href=to>{td_string!(locale, domain.moved_link)} " " <code>{shown}</code></a></p>
        </Layout>
    }
}

/// The 404 for a host we cannot look up, with the way forward.
#[component]
fn NotADomain() -> impl IntoView {
    let locale = page_locale();
    view! {
        <Meta name="robots" content="noindex"/>
        <Layout>
            <h1>{td_string!(locale, domain.bad_title)}</h1>
            <p>{td_string!(locale, domain.bad_body)}</p>
            <p><a href="/">{td_string!(locale, domain.bad_action)}</a></p>
        </Layout>
    }
}
