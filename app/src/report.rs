//! Reporting a suspicious link or message to the security team: a plain form (no
//! JavaScript needed) posted to `/report`, and a confirmation page with the reference,
//! how often each reported link has been reported, and what happens next.

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, ReferenceNote};
use crate::i18n::Locale;
use crate::layout::Layout;
use crate::locale::page_locale;
use crate::lookup::wording::defanged;

/// The places the form asks about, by their stored code (`store::report::Channel`).
pub const CHANNELS: [&str; 6] = ["sms", "line", "email", "website", "phone", "other"];

/// Why a posted report was not stored; each has its own plain sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportProblem {
    Empty,
    TooLong,
    NoteTooLong,
    NoChannel,
    RateLimited,
    Unavailable,
}

#[cfg(feature = "ssr")]
impl From<store::report::ReportError> for ReportProblem {
    fn from(e: store::report::ReportError) -> Self {
        use store::report::ReportError;
        match e {
            ReportError::Empty => Self::Empty,
            ReportError::TooLong { .. } => Self::TooLong,
            ReportError::NoteTooLong { .. } => Self::NoteTooLong,
            ReportError::UnknownChannel(_) => Self::NoChannel,
        }
    }
}

/// A report form filled in by the server, provided as context to the render: posted
/// without success (with its problem, everything the reporter wrote still in place), or
/// prefilled from a check's answer (`POST /report/new`, no problem). Never from the address:
/// links, numbers and messages do not belong in URLs, which logs and histories keep.
#[derive(Clone, Debug)]
pub struct PostedReport {
    pub text: String,
    pub channel: String,
    pub note: String,
    pub problem: Option<ReportProblem>,
    /// The reference of a logged storage failure, for the reader to quote.
    pub reference: Option<String>,
}

/// `/report`: the form, empty, prefilled from a check, or as posted with its problem.
#[component]
pub fn ReportPage() -> impl IntoView {
    let locale = page_locale();
    let (text, channel, note, problem, reference) = match posted_report() {
        Some(p) => (p.text, p.channel, p.note, p.problem, p.reference),
        None => (String::new(), String::new(), String::new(), None, None),
    };
    let error = problem.map(|problem| {
        let lost_money = matches!(problem, ReportProblem::RateLimited | ReportProblem::Unavailable)
            .then(|| view! { <p><a href="tel:165">{td_string!(locale, report.lost_money)}</a></p> });
        view! {
            <div id="report-error" class="form-error" role="alert">
                <p>
                    <strong>{td_string!(locale, report.error_heading)}</strong>
                    " "
                    {problem_words(problem, locale)}
                </p>
                {lost_money}
                {reference.clone().map(|reference| view! {
                    <p class="error-reference">{td_string!(locale, common.error_reference, reference)}</p>
                })}
            </div>
        }
    });
    let text_invalid = matches!(problem, Some(ReportProblem::Empty | ReportProblem::TooLong));
    let note_invalid = problem == Some(ReportProblem::NoteTooLong);
    let channel_invalid = problem == Some(ReportProblem::NoChannel);
    let described = |hint: &str, invalid: bool| {
        if invalid {
            format!("{hint} report-error")
        } else {
            hint.to_owned()
        }
    };
    let channels = CHANNELS
        .into_iter()
        .map(|code| {
            let id = format!("report-channel-{code}");
            view! {
                <div class="choice">
                    <input type="radio" id=id.clone() name="channel" value=code checked=channel == code/>
                    <label for=id>{channel_label(code, locale)}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <Layout>
            <h1>{td_string!(locale, report.page_heading)}</h1>
            <p>{td_string!(locale, report.intro)}</p>
            <p>{td_string!(locale, report.intro_review)}</p>
            <p class="privacy-note"><strong>{td_string!(locale, report.privacy)}</strong></p>
            {error}
            <form class="report-form" method="post" action="/report">
                <label for="report-text" class="field-label">{td_string!(locale, report.text_label)}</label>
                <p id="report-text-hint" class="hint">{td_string!(locale, report.text_hint)}</p>
                <textarea
                    id="report-text"
                    name="text"
                    rows="6"
                    aria-describedby=described("report-text-hint", text_invalid)
                    aria-invalid=text_invalid.then_some("true")
                >
                    {crate::safe_text::textarea_text(&text)}
                </textarea>
                <fieldset
                    class="choices"
                    aria-describedby=channel_invalid.then_some("report-error")
                    aria-invalid=channel_invalid.then_some("true")
                >
                    <legend class="field-label">{td_string!(locale, report.channel_legend)}</legend>
                    {channels}
                </fieldset>
                <label for="report-note" class="field-label">{td_string!(locale, report.note_label)}</label>
                <p id="report-note-hint" class="hint">{td_string!(locale, report.note_hint)}</p>
                <textarea
                    id="report-note"
                    name="note"
                    rows="3"
                    class="note"
                    aria-describedby=described("report-note-hint", note_invalid)
                    aria-invalid=note_invalid.then_some("true")
                >
                    {crate::safe_text::textarea_text(&note)}
                </textarea>
                <button type="submit" class="check-button">{td_string!(locale, report.submit)}</button>
            </form>
        </Layout>
    }
}

/// On the server: the unsuccessful report being rendered, if any.
fn posted_report() -> Option<PostedReport> {
    #[cfg(feature = "ssr")]
    {
        use_context::<PostedReport>()
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// The sentence for a problem, in the reader's language.
pub fn problem_words(problem: ReportProblem, locale: Locale) -> &'static str {
    match problem {
        ReportProblem::Empty => td_string!(locale, report.error_empty),
        ReportProblem::TooLong => td_string!(locale, report.error_too_long),
        ReportProblem::NoteTooLong => td_string!(locale, report.error_note_too_long),
        ReportProblem::NoChannel => td_string!(locale, report.error_channel),
        ReportProblem::RateLimited => td_string!(locale, report.error_rate_limited),
        ReportProblem::Unavailable => td_string!(locale, report.error_unavailable),
    }
}

/// The words for a channel code; an unknown code reads as "other".
pub fn channel_label(code: &str, locale: Locale) -> &'static str {
    match code {
        "sms" => td_string!(locale, report.channel_sms),
        "line" => td_string!(locale, report.channel_line),
        "email" => td_string!(locale, report.channel_email),
        "website" => td_string!(locale, report.channel_website),
        "phone" => td_string!(locale, report.channel_phone),
        _ => td_string!(locale, report.channel_other),
    }
}

/// What the confirmation page shows of a stored report: never its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptView {
    pub reference: String,
    /// Each reported host with how many reports name it.
    pub hosts: Vec<(String, i64)>,
}

/// The receipt of a stored report; `None` for a reference we do not have.
#[server(endpoint = "report/receipt")]
pub async fn report_receipt(reference: String) -> Result<Option<ReceiptView>, AppError> {
    let state = crate::error::app_state()?;
    let receipt = store::report::receipt(&state.db, &reference)
        .await
        .map_err(|e| AppError::storage("reading a report receipt", &e))?;
    Ok(receipt.map(|r| ReceiptView {
        reference: r.reference,
        hosts: r.hosts.into_iter().map(|h| (h.host, h.reports)).collect(),
    }))
}

/// `/report/thanks?ref=…`: the reference, the counts, and what happens next.
#[component]
pub fn ReportThanksPage() -> impl IntoView {
    let locale = page_locale();
    let query = use_query_map();
    let reference = query.with_untracked(|q| q.get("ref")).unwrap_or_default();
    let receipt = Resource::new_blocking(move || reference.clone(), report_receipt);
    view! {
        <Layout>
            <Suspense fallback=move || view! { <p>{td_string!(locale, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match receipt.await {
                        Ok(Some(receipt)) => view! { <Thanks receipt locale/> }.into_any(),
                        Ok(None) => view! {
                            <h1>{td_string!(locale, report.unknown_reference_heading)}</h1>
                            <p>{td_string!(locale, report.unknown_reference_body)}</p>
                            <p><a href="/report">{td_string!(locale, report.report_another)}</a></p>
                        }.into_any(),
                        Err(error) => {
                            crate::respond::respond_unavailable();
                            view! {
                                <h1>{td_string!(locale, report.page_heading)}</h1>
                                <p>{td_string!(locale, report.unavailable)}</p>
                                <ReferenceNote error/>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </Layout>
    }
}

#[component]
fn Thanks(receipt: ReceiptView, locale: Locale) -> impl IntoView {
    let counts = if receipt.hosts.is_empty() {
        view! { <p>{td_string!(locale, report.thanks_no_links)}</p> }.into_any()
    } else {
        view! {
            <ul class="report-counts">
                {receipt
                    .hosts
                    .into_iter()
                    .map(|(host, times)| {
                        // Defanged, like every link the site shows, so it cannot be tapped.
                        let host = defanged(&host);
                        view! { <li>{td_string!(locale, report.thanks_count, host, times)}</li> }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <h1>{td_string!(locale, report.thanks_heading)}</h1>
        <p class="report-reference">
            {td_string!(locale, report.thanks_reference)}
            " "
            <strong data-reference=receipt.reference.clone()>{receipt.reference.clone()}</strong>
        </p>
        <section class="report-summary" aria-labelledby="report-counts-heading">
            <h2 id="report-counts-heading">{td_string!(locale, report.thanks_counts_heading)}</h2>
            {counts}
        </section>
        <section class="report-summary" aria-labelledby="report-next-heading">
            <h2 id="report-next-heading">{td_string!(locale, report.next_heading)}</h2>
            <ol>
                <li>{td_string!(locale, report.next_review)}</li>
                <li>{td_string!(locale, report.next_takedown)}</li>
                <li>{td_string!(locale, report.next_no_contact)}</li>
            </ol>
            <p><a href="tel:165">{td_string!(locale, report.lost_money)}</a></p>
        </section>
        <p><a href="/">{td_string!(locale, report.check_another)}</a></p>
        <p><a href="/report">{td_string!(locale, report.report_another)}</a></p>
    }
}

#[cfg(test)]
#[cfg(feature = "ssr")]
mod tests {
    use super::*;

    #[test]
    fn the_form_offers_every_channel_the_store_accepts() {
        let stored: Vec<&str> = store::report::Channel::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(stored, CHANNELS);
        for code in CHANNELS.into_iter().filter(|c| *c != "other") {
            assert_ne!(channel_label(code, Locale::zh_TW), channel_label("other", Locale::zh_TW), "{code}");
        }
    }
}
