//! The answer to a check: a headline per verdict (icon and words, never colour
//! alone), why in a sentence or two, one next action, then each link on its own.

use engine::Finding;
use leptos::prelude::*;
use leptos_i18n::td_string;

use super::wording::{
    defanged, detectors_off, domain_page_path, hidden_findings, overall, overall_code, reason_text,
    signal_text, status_label, verdict_code, verdict_label, Icon, Subject,
};
use super::{CheckAnswer, CheckFailure};
use crate::i18n::Locale;

/// Shows a check's answer, or says plainly why there is none. `arrived_with_page` is set
/// when the answer came in a freshly loaded page (the form posted without JavaScript): the
/// answer then takes the focus, so a screen reader reads it first, as the live region
/// would announce an answer that arrives without a page load.
#[component]
pub fn CheckResult(
    outcome: Result<CheckAnswer, CheckFailure>,
    locale: Locale,
    #[prop(optional)] arrived_with_page: bool,
) -> impl IntoView {
    match outcome {
        Ok(answer) => view! { <Answer answer locale arrived_with_page/> }.into_any(),
        Err(failure) => view! { <Failure failure locale arrived_with_page/> }.into_any(),
    }
}

#[component]
fn Answer(answer: CheckAnswer, locale: Locale, arrived_with_page: bool) -> impl IntoView {
    let CheckAnswer { report, data, firm } = answer;
    let firm = firm.in_locale(locale).to_owned();
    let words = overall(report.verdict, Subject::of(&report), locale, &firm);
    let code = overall_code(report.verdict);
    // Every finding was judged; the ones not listed still decided the headline.
    let hidden =
        hidden_findings(&report.hidden, locale).map(|note| view! { <p class="hidden-findings">{note}</p> });
    let signals = (!report.signals.is_empty()).then(|| {
        view! {
            <div class="signals">
                <p><strong>{td_string!(locale, check.signals_intro)}</strong></p>
                <ul>
                    {report.signals.iter().map(|s| view! { <li data-signal=s.code()>{signal_text(*s, locale)}</li> }).collect_view()}
                </ul>
            </div>
        }
    });
    // Never silently missing: say which checks did not run, in words.
    let disabled = detectors_off(&report.disabled_detectors, locale)
        .map(|note| view! { <p class="disabled-detectors">{note}</p> });
    // Something we cannot vouch for may be new: one tap takes it to the security team.
    let to_report = report_text(&report.findings);
    let report_this = (!to_report.is_empty()).then(|| view! { <ReportThis text=to_report locale/> });
    let stale = data.stale_minutes.map(|minutes| {
        let time = data.confirmed_at.clone();
        view! { <p class="data-stale" role="note">{td_string!(locale, check.data_stale, time, minutes)}</p> }
    });
    let (time, version) = (data.confirmed_at, data.version);
    view! {
        <section
            class=format!("verdict verdict-{code}")
            data-verdict=code
            aria-labelledby="verdict-headline"
            tabindex=arrived_with_page.then_some("-1")
            autofocus=arrived_with_page
        >
            <h2 id="verdict-headline">
                <VerdictIcon icon=words.icon/>
                {words.headline}
            </h2>
            {words.why.into_iter().map(|s| view! { <p>{s}</p> }).collect_view()}
            <p class="next-action">
                <strong>{td_string!(locale, check.next_action)}</strong>
                {words.action}
            </p>
            {stale}
            {signals}
            {disabled}
            <ul class="findings">
                {report
                    .findings
                    .into_iter()
                    .map(|finding| view! { <FindingItem finding locale firm=firm.clone()/> })
                    .collect_view()}
            </ul>
            {hidden}
            {report_this}
            <p class="data-stamp">{td_string!(locale, check.data_stamp, time, version)}</p>
        </section>
    }
}

#[component]
fn FindingItem(finding: Finding, locale: Locale, firm: String) -> impl IntoView {
    let code = verdict_code(finding.verdict);
    let reasons = finding
        .reasons
        .iter()
        .map(|r| view! { <p class="reason">{reason_text(r, finding.kind, locale, &firm)}</p> })
        .collect_view();
    let codes = finding.reasons.iter().map(|r| r.code()).collect::<Vec<_>>().join(", ");
    let is_link = finding.kind.is_link();
    // Links are shown defanged so they cannot be tapped; numbers and IDs as the message
    // wrote them, which is what the reader will recognise (the E.164 form is in the details).
    let shown = if is_link { defanged(&finding.normalized) } else { finding.raw.clone() };
    let normalized = if is_link { defanged(&finding.normalized) } else { finding.normalized.clone() };
    let host = finding.host.as_deref().map(|h| {
        view! {
            <dt>{td_string!(locale, check.evidence_host)}</dt>
            <dd><code>{defanged(h)}</code></dd>
        }
    });
    let site = finding.registrable_domain.as_deref().map(|d| {
        view! {
            <dt>{td_string!(locale, check.evidence_registrable_domain)}</dt>
            <dd><code>{defanged(d)}</code></dd>
        }
    });
    // The domain's own page has its history and the bulletins that name it.
    let domain_page = finding.host.as_deref().filter(|_| is_link).and_then(domain_page_path).map(|href| {
        view! {
            <p class="domain-page-link">
                <a href=href>{td_string!(locale, check.evidence_domain_page)}</a>
            </p>
        }
    });
    let takedown = finding.takedown.clone().map(|t| {
        let status = status_label(t.status, locale);
        let date = t.listed_on;
        view! { <p class="takedown">{td_string!(locale, check.takedown_line, status, date)}</p> }
    });
    view! {
        <li class=format!("finding finding-{code}") data-verdict=code>
            <span class="badge">{verdict_label(finding.verdict, locale)}</span>
            " "
            <code class="link">{shown}</code>
            {reasons}
            {takedown}
            <details>
                <summary>{td_string!(locale, check.show_details)}</summary>
                <dl class="evidence">
                    <dt>
                        {if is_link {
                            td_string!(locale, check.evidence_normalized_link)
                        } else {
                            td_string!(locale, check.evidence_normalized_other)
                        }}
                    </dt>
                    <dd><code>{normalized}</code></dd>
                    {host}
                    {site}
                    <dt>{td_string!(locale, check.evidence_reason_codes)}</dt>
                    <dd><code>{codes}</code></dd>
                </dl>
                {domain_page}
            </details>
        </li>
    }
}

/// The links (or numbers and IDs) of a check that are unknown or suspicious, one a line.
fn report_text(findings: &[Finding]) -> String {
    findings
        .iter()
        .filter(|f| matches!(f.verdict, engine::Verdict::Unknown | engine::Verdict::Suspicious))
        .map(|f| if f.kind.is_link() { f.normalized.as_str() } else { f.raw.as_str() })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A plain form to the report page, the links filled in (works without JavaScript). It
/// posts: the links, numbers and IDs never go into an address, where logs and browser
/// history would keep them.
#[component]
fn ReportThis(text: String, locale: Locale) -> impl IntoView {
    view! {
        <form class="report-this" method="post" action="/report/new">
            <input type="hidden" name="text" value=text/>
            <p>{td_string!(locale, report.from_check_intro)}</p>
            <button type="submit" class="secondary-button">{td_string!(locale, report.from_check_button)}</button>
        </form>
    }
}

#[component]
fn Failure(failure: CheckFailure, locale: Locale, arrived_with_page: bool) -> impl IntoView {
    let headline = match &failure {
        CheckFailure::Empty => td_string!(locale, check.error_empty),
        CheckFailure::TooLong { .. } => td_string!(locale, check.error_too_long),
        CheckFailure::NotReady => td_string!(locale, check.not_ready),
        CheckFailure::Transport(_) => td_string!(locale, check.error_unavailable),
        CheckFailure::RateLimited { .. } => td_string!(locale, check.error_rate_limited),
    };
    let wait = matches!(failure, CheckFailure::RateLimited { .. }).then(|| {
        view! {
            <p>{td_string!(locale, check.rate_limited_wait)}</p>
            <p><a href="tel:165">{td_string!(locale, check.rate_limited_165)}</a></p>
        }
    });
    view! {
        <section
            class="verdict verdict-error"
            data-verdict="error"
            tabindex=arrived_with_page.then_some("-1")
            autofocus=arrived_with_page
        >
            <h2 id="verdict-headline">{headline}</h2>
            {wait}
        </section>
    }
}

/// An inline SVG (no emoji font needed on old phones); the headline's words carry the meaning.
#[component]
pub fn VerdictIcon(icon: Icon) -> impl IntoView {
    let circle = || view! { <circle cx="12" cy="12" r="11"/> };
    let mark = |m: &'static str| view! { <text x="12" y="17.5" text-anchor="middle">{m}</text> };
    let drawing = match icon {
        Icon::Stop => {
            view! { <polygon points="7,1 17,1 23,7 23,17 17,23 7,23 1,17 1,7"/> {mark("!")} }.into_any()
        }
        Icon::Warning => view! { <polygon points="12,1 23,22 1,22"/> {mark("!")} }.into_any(),
        Icon::Question => view! { {circle()} {mark("?")} }.into_any(),
        Icon::Info => view! { {circle()} {mark("i")} }.into_any(),
        Icon::Check => {
            view! { {circle()} <polyline class="tick" points="6.5,12.5 10.5,16.5 17.5,8.5"/> }.into_any()
        }
    };
    view! {
        <svg class="verdict-icon" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" focusable="false">
            {drawing}
        </svg>
    }
}
