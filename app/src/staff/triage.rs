//! `/console/triage` (analysts and admins): one queue of what the public reported and agents
//! escalated, a row per host, phone number or LINE ID, with its counts, the check's answer
//! now, what the texts show, and the forms to accept or reject it; below, the lookalike
//! warnings cleared for good and the latest decisions. The rules are the store's
//! (`store::triage`); this page only offers what they allow.

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

use super::{staff_page, Badge, StaffLayout, StaffPage, StaffPageMissing};
use crate::i18n::Locale;
use crate::locale::page_locale;

/// Everything the page shows, loaded by its handler.
#[derive(Clone, Debug, Default)]
pub struct TriageData {
    pub who: Badge,
    pub notice: Option<TriageNotice>,
    pub rows: Vec<TriageRow>,
    /// Subjects waiting in all, and the page shown (from 1) of how many.
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub decided: Vec<DecidedView>,
    pub cleared: Vec<ClearedView>,
    /// Open reports that name no link, number or LINE ID (the oldest), and how many in all.
    pub unnamed: Vec<TextView>,
    pub unnamed_total: i64,
}

/// One subject waiting.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TriageRow {
    /// `host`, `phone` or `line_id`.
    pub kind: String,
    /// The canonical value the forms send back.
    pub value: String,
    /// The value defanged, for reading.
    pub shown: String,
    pub reports: i64,
    pub requests: i64,
    /// Taiwan time, `YYYY-MM-DD HH:MM`.
    pub first_seen: String,
    pub last_seen: String,
    /// The check's answer for the subject alone, now (a verdict code and its reasons).
    pub verdict: String,
    pub reasons: Vec<engine::Reason>,
    /// What the reported texts show about it: each reason with the number of texts giving it.
    pub findings: Vec<(engine::Reason, i64)>,
    /// Scam wording found in the texts, with the number of texts.
    pub signals: Vec<(engine::Signal, i64)>,
    /// The site (registrable domain) and the lookalike warnings a rejection may clear for it.
    pub site: String,
    pub lookalikes: Vec<String>,
    /// The newest texts (defanged, cut short) and agents' notes.
    pub texts: Vec<TextView>,
    pub notes: Vec<NoteView>,
    /// The takedown entry the host already has: (id, status code, taken out of the set).
    pub listed: Option<(i64, String, bool)>,
    pub past: Vec<DecidedView>,
    /// A site where anyone publishes: accepting the whole host is not offered.
    pub shared_host: bool,
}

/// A reported text, as triage shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextView {
    pub reference: String,
    pub at: String,
    pub channel: String,
    pub excerpt: String,
    pub note: String,
}

/// An agent's note on an escalation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoteView {
    pub agent: String,
    pub note: String,
    pub at: String,
}

/// A decision already made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DecidedView {
    pub kind: String,
    pub shown: String,
    /// `accepted` or `rejected`.
    pub decision: String,
    pub reason: String,
    pub analyst: String,
    pub at: String,
    pub reports: i64,
    pub requests: i64,
    pub entry: Option<i64>,
}

/// A lookalike warning cleared for a site.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClearedView {
    pub domain: String,
    pub reason: String,
    pub analyst: String,
    pub at: String,
    pub why: String,
}

/// What the last action did (carried signed in the address it redirects to).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TriageNotice {
    /// Listed (a host: its entry and status) or confirmed (a number or LINE ID).
    Accepted {
        value: String,
        entry: Option<(i64, String)>,
        agents: usize,
    },
    Rejected {
        value: String,
        cleared: Vec<String>,
        site: String,
        agents: usize,
    },
    Restored {
        domain: String,
        reason: String,
    },
    /// A report naming nothing, closed.
    ReportClosed {
        reference: String,
    },
    Problem(TriageProblem),
}

/// Why an action was refused; nothing was written.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TriageProblem {
    BadForm,
    NothingWaiting { value: String },
    ReasonNeeded,
    ReasonTooLong,
    SharedHost { value: String },
    CoversOfficial { value: String, official: String },
    NothingToClear { value: String },
    NotCleared,
    Unavailable,
}

fn problem_text(problem: TriageProblem, locale: Locale) -> String {
    use TriageProblem as P;
    match problem {
        P::BadForm => td_string!(locale, security.triage_problem_bad_form).to_owned(),
        P::NothingWaiting { value } => {
            td_string!(locale, security.triage_problem_nothing_waiting, value).to_string()
        }
        P::ReasonNeeded => td_string!(locale, security.triage_problem_reason_needed).to_owned(),
        P::ReasonTooLong => td_string!(locale, security.triage_problem_reason_too_long).to_owned(),
        P::SharedHost { value } => td_string!(locale, security.triage_problem_shared_host, value).to_string(),
        P::CoversOfficial { value, official } => {
            td_string!(locale, security.triage_problem_covers_official, value, official).to_string()
        }
        P::NothingToClear { value } => {
            td_string!(locale, security.triage_problem_nothing_to_clear, value).to_string()
        }
        P::NotCleared => td_string!(locale, security.triage_problem_not_cleared).to_owned(),
        P::Unavailable => td_string!(locale, security.triage_problem_unavailable).to_owned(),
    }
}

fn kind_text(kind: &str, locale: Locale) -> &'static str {
    match kind {
        "host" => td_string!(locale, security.triage_kind_host),
        "phone" => td_string!(locale, security.triage_kind_phone),
        _ => td_string!(locale, security.triage_kind_line_id),
    }
}

fn decision_text(decision: &str, locale: Locale) -> &'static str {
    if decision == "accepted" {
        td_string!(locale, security.triage_accepted_label)
    } else {
        td_string!(locale, security.triage_rejected_label)
    }
}

/// A takedown entry's status code in plain words.
fn takedown_status_text(code: &str, locale: Locale) -> &'static str {
    engine::TakedownStatus::parse(code).map_or("?", |s| crate::lookup::wording::status_label(s, locale))
}

fn candidate_of(kind: &str) -> engine::CandidateKind {
    match kind {
        "phone" => engine::CandidateKind::Phone,
        "line_id" => engine::CandidateKind::LineId,
        _ => engine::CandidateKind::Url,
    }
}

/// `/console/triage`.
#[component]
pub fn TriagePage() -> impl IntoView {
    let locale = page_locale();
    let Some(StaffPage::Triage(data)) = staff_page() else {
        return view! { <StaffPageMissing/> }.into_any();
    };
    let TriageData { who, notice, rows, total, page, pages, decided, cleared, unnamed, unnamed_total } =
        *data;
    let notice = notice.map(|n| {
        let done = |text: String| view! { <p class="notice" role="status">{text}</p> }.into_any();
        match n {
            TriageNotice::Accepted { value, entry: Some((id, status)), agents } => {
                let status = takedown_status_text(&status, locale);
                view! {
                    <p class="notice" role="status">
                        {td_string!(locale, security.triage_done_listed, value, status)}" "
                        <a href=format!("/console/takedowns/{id}")>{td_string!(locale, security.triage_open_entry)}</a>
                        {(agents > 0).then(|| view! { " "{td_string!(locale, security.triage_agents_told, count = agents)} })}
                    </p>
                }
                .into_any()
            }
            TriageNotice::Accepted { value, entry: None, agents } => done(format!(
                "{} {}",
                td_string!(locale, security.triage_done_confirmed, value),
                td_string!(locale, security.triage_agents_told, count = agents)
            )),
            TriageNotice::Rejected { value, cleared, site, agents } => {
                let mut text = td_string!(locale, security.triage_done_rejected, value).to_string();
                if !cleared.is_empty() {
                    text.push(' ');
                    text.push_str(&td_string!(locale, security.triage_done_cleared, site, reasons = cleared.join(", ")).to_string());
                }
                if agents > 0 {
                    text.push(' ');
                    text.push_str(&td_string!(locale, security.triage_agents_told, count = agents).to_string());
                }
                done(text)
            }
            TriageNotice::Restored { domain, reason } => {
                done(td_string!(locale, security.triage_done_restored, domain, reason).to_string())
            }
            TriageNotice::ReportClosed { reference } => {
                done(td_string!(locale, security.triage_done_report_closed, reference).to_string())
            }
            TriageNotice::Problem(p) => {
                view! { <p class="form-error" role="alert">{problem_text(p, locale)}</p> }.into_any()
            }
        }
    });
    let queue = if rows.is_empty() {
        view! { <p>{td_string!(locale, security.triage_empty)}</p> }.into_any()
    } else {
        rows.into_iter().map(|row| view! { <Waiting row locale/> }.into_any()).collect_view().into_any()
    };
    let paging = (pages > 1).then(|| {
        let previous = (page > 1).then(|| view! { <a href=format!("/console/triage?page={}", page - 1) rel="prev">{td_string!(locale, security.previous_page)}</a> });
        let next = (page < pages).then(|| view! { <a href=format!("/console/triage?page={}", page + 1) rel="next">{td_string!(locale, security.next_page)}</a> });
        view! { <nav class="pager" aria-label=td_string!(locale, security.pages_label)>{previous}" "{td_string!(locale, security.triage_page_of, page, pages)}" "{next}</nav> }
    });
    let cleared_list = if cleared.is_empty() {
        view! { <p>{td_string!(locale, security.triage_cleared_none)}</p> }.into_any()
    } else {
        view! {
            <ul class="cleared-list">
                {cleared.into_iter().map(|c| view! {
                    <li>
                        <code class="link">{c.domain.clone()}</code>" · "<code>{c.reason.clone()}</code>
                        " · "{c.analyst}" · "<time>{c.at}</time>
                        {(!c.why.is_empty()).then(|| view! { <q>{c.why}</q> })}
                        <form method="post" action="/console/triage/restore" class="inline-form">
                            <input type="hidden" name="domain" value=c.domain/>
                            <input type="hidden" name="reason" value=c.reason/>
                            <button type="submit">{td_string!(locale, security.triage_restore)}</button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let unnamed_list = if unnamed.is_empty() {
        view! { <p>{td_string!(locale, security.triage_unnamed_none)}</p> }.into_any()
    } else {
        view! {
            <ul class="unnamed-reports">
                {unnamed.into_iter().map(|r| {
                    let (item, shown) = (r.reference.clone(), r.reference.clone());
                    view! {
                    <li data-report=item>
                        <p><code>{shown}</code>" · "<time>{r.at}</time>" · "{crate::report::channel_label(&r.channel, locale)}</p>
                        <blockquote>{r.excerpt}</blockquote>
                        {(!r.note.is_empty()).then(|| view! { <p><q>{r.note}</q></p> })}
                        <form method="post" action="/console/triage/close-report" class="inline-form">
                            <input type="hidden" name="reference" value=r.reference/>
                            <label>{td_string!(locale, security.triage_unnamed_reason)}" "
                                <input type="text" name="reason" maxlength="500" required/>
                            </label>" "
                            <button type="submit">{td_string!(locale, security.triage_unnamed_close)}</button>
                        </form>
                    </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let history = if decided.is_empty() {
        view! { <p>{td_string!(locale, security.triage_decided_none)}</p> }.into_any()
    } else {
        view! { <ul class="triage-history">{decided.into_iter().map(|d| view! { <Decided d locale/> }).collect_view()}</ul> }.into_any()
    };
    view! {
        <Title text=td_string!(locale, security.triage_title).to_string()/>
        <StaffLayout who>
            <h1>{td_string!(locale, security.triage_title)}</h1>
            <p class="hint">{td_string!(locale, security.triage_intro)}</p>
            {notice}
            <section aria-labelledby="queue-heading">
                <h2 id="queue-heading">{td_string!(locale, security.triage_queue_heading, count = total)}</h2>
                {queue}
                {paging}
            </section>
            <section aria-labelledby="unnamed-heading">
                <h2 id="unnamed-heading">{td_string!(locale, security.triage_unnamed_heading, count = unnamed_total)}</h2>
                <p class="hint">{td_string!(locale, security.triage_unnamed_intro)}</p>
                {unnamed_list}
            </section>
            <section aria-labelledby="cleared-heading">
                <h2 id="cleared-heading">{td_string!(locale, security.triage_cleared_heading)}</h2>
                <p class="hint">{td_string!(locale, security.triage_cleared_intro)}</p>
                {cleared_list}
            </section>
            <section aria-labelledby="decided-heading">
                <h2 id="decided-heading">{td_string!(locale, security.triage_decided_heading)}</h2>
                {history}
            </section>
        </StaffLayout>
    }
    .into_any()
}

/// One decision, in a line.
#[component]
fn Decided(d: DecidedView, locale: Locale) -> impl IntoView {
    view! {
        <li data-decision=d.decision.clone()>
            <time>{d.at}</time>" · "{kind_text(&d.kind, locale)}" "<code class="link">{d.shown}</code>
            " · "<strong>{decision_text(&d.decision, locale)}</strong>" · "{d.analyst}
            " · "{td_string!(locale, security.triage_counts, reports = d.reports, requests = d.requests)}
            {(!d.reason.is_empty()).then(|| view! { " · "<q>{d.reason}</q> })}
            {d.entry.map(|id| view! { " · "<a href=format!("/console/takedowns/{id}")>{td_string!(locale, security.triage_open_entry)}</a> })}
        </li>
    }
}

/// One waiting subject: its evidence and the two decisions.
#[component]
fn Waiting(row: TriageRow, locale: Locale) -> impl IntoView {
    let firm = crate::firm::firm_name(locale);
    let candidate = candidate_of(&row.kind);
    let reasons = row
        .reasons
        .iter()
        .map(|r| {
            let sentence = crate::lookup::wording::reason_text(r, candidate, locale, &firm);
            view! { <li><code>{r.code()}</code>" "{sentence}</li> }
        })
        .collect_view();
    let findings = (!row.findings.is_empty() || !row.signals.is_empty()).then(|| {
        let reasons = row
            .findings
            .iter()
            .map(|(r, n)| {
                let sentence = crate::lookup::wording::reason_text(r, candidate, locale, &firm);
                view! { <li><code>{r.code()}</code>" "{sentence}" "<span class="count">"× "{*n}</span></li> }
            })
            .collect_view();
        let signals = row
            .signals
            .iter()
            .map(|(s, n)| {
                view! { <li>{crate::lookup::wording::signal_text(*s, locale)}" "<span class="count">"× "{*n}</span></li> }
            })
            .collect_view();
        view! { <dt>{td_string!(locale, security.triage_findings)}</dt><dd><ul>{reasons}{signals}</ul></dd> }.into_any()
    });
    let texts = (!row.texts.is_empty()).then(|| {
        let items = row
            .texts
            .iter()
            .cloned()
            .map(|t| view! {
                <li>
                    <time>{t.at}</time>" · "<code>{t.reference}</code>" · "{crate::report::channel_label(&t.channel, locale)}
                    <blockquote>{t.excerpt}</blockquote>
                    {(!t.note.is_empty()).then(|| view! { <p class="hint">{t.note}</p> })}
                </li>
            })
            .collect_view();
        view! { <dt>{td_string!(locale, security.triage_texts)}</dt><dd><ul class="triage-texts">{items}</ul></dd> }.into_any()
    });
    let notes = (!row.notes.is_empty()).then(|| {
        let items = row
            .notes
            .iter()
            .cloned()
            .map(|n| view! { <li><time>{n.at}</time>" · "{n.agent}{(!n.note.is_empty()).then(|| view! { ": "<q>{n.note}</q> })}</li> })
            .collect_view();
        view! { <dt>{td_string!(locale, security.triage_agent_notes)}</dt><dd><ul>{items}</ul></dd> }.into_any()
    });
    let listed = row.listed.clone().map(|(id, status, removed)| {
        let status = takedown_status_text(&status, locale);
        view! {
            <dt>{td_string!(locale, security.triage_listed)}</dt>
            <dd>
                <a href=format!("/console/takedowns/{id}")>{format!("#{id}")}</a>" · "{status}
                {removed.then(|| view! { " · "{td_string!(locale, security.triage_removed)} })}
            </dd>
        }
        .into_any()
    });
    let past = (!row.past.is_empty()).then(|| {
        let items = row.past.iter().cloned().map(|d| view! { <Decided d locale/> }).collect_view();
        view! { <dt>{td_string!(locale, security.triage_past)}</dt><dd><ul>{items}</ul></dd> }.into_any()
    });
    let accept_hint = if row.kind != "host" {
        td_string!(locale, security.triage_accept_number)
    } else if row.listed.is_some() {
        td_string!(locale, security.triage_accept_update)
    } else {
        td_string!(locale, security.triage_accept_new)
    };
    let accept = if row.shared_host {
        view! { <p class="hint">{td_string!(locale, security.triage_shared_host)}" "<a href="/console/imports">{td_string!(locale, security.nav_imports)}</a></p> }.into_any()
    } else {
        view! {
            <form method="post" action="/console/triage/decide" class="staff-form triage-accept">
                <input type="hidden" name="kind" value=row.kind.clone()/>
                <input type="hidden" name="value" value=row.value.clone()/>
                <input type="hidden" name="decision" value="accepted"/>
                <p class="hint">{accept_hint}</p>
                <label>{td_string!(locale, security.triage_accept_note)}" "
                    <input type="text" name="reason" maxlength="1000"/></label>
                <button type="submit">{td_string!(locale, security.triage_accept)}</button>
            </form>
        }
        .into_any()
    };
    let clearable = (!row.lookalikes.is_empty()).then(|| {
        let boxes = row
            .lookalikes
            .iter()
            .cloned()
            .map(|code| view! {
                <label class="check"><input type="checkbox" name="clear" value=code.clone()/>" "<code>{code}</code></label>
            })
            .collect_view();
        view! {
            <fieldset>
                <legend>{td_string!(locale, security.triage_clear_legend, site = row.site.clone())}</legend>
                {boxes}
            </fieldset>
        }
        .into_any()
    });
    let reject_hint = match &row.listed {
        Some((_, status, false)) if status != "false_positive" && status != "withdrawn" => {
            Some(td_string!(locale, security.triage_reject_listed))
        }
        _ => None,
    };
    let evidence = view! {
        <dl>
            <dt>{td_string!(locale, security.triage_answer_now)}</dt><dd><ul>{reasons}</ul></dd>
            {findings}
            {listed}
            {texts}
            {notes}
            {past}
        </dl>
    }
    .into_any();
    let reject = view! {
        <form method="post" action="/console/triage/decide" class="staff-form triage-reject">
            <input type="hidden" name="kind" value=row.kind.clone()/>
            <input type="hidden" name="value" value=row.value.clone()/>
            <input type="hidden" name="decision" value="rejected"/>
            {reject_hint.map(|h| view! { <p class="hint">{h}</p> })}
            <label>{td_string!(locale, security.triage_reject_reason)}" "
                <input type="text" name="reason" maxlength="1000" required/></label>
            {clearable}
            <button type="submit">{td_string!(locale, security.triage_reject)}</button>
        </form>
    }
    .into_any();
    let heading = format!("{} {}", kind_text(&row.kind, locale), row.shown);
    view! {
        <article class="triage-item" data-kind=row.kind.clone() data-verdict=row.verdict.clone()>
            <h3><code class="link">{row.shown.clone()}</code>" — "<span class="verdict-code">{row.verdict.clone()}</span></h3>
            <p class="triage-counts">
                {kind_text(&row.kind, locale)}" · "
                {td_string!(locale, security.triage_counts, reports = row.reports, requests = row.requests)}" · "
                {td_string!(locale, security.triage_seen, first = row.first_seen.clone(), last = row.last_seen.clone())}
            </p>
            {evidence}
            <div class="triage-actions" role="group" aria-label=heading>
                {accept}
                {reject}
            </div>
        </article>
    }
}
