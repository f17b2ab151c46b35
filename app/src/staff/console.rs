//! `/console`: the agent console. The check with its full evidence, the contact log, escalation
//! to the security team and the agent's escalations; an analyst sees the triage queue too.

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

use super::{staff_page, Badge, StaffLayout, StaffPage, StaffPageMissing};
use crate::i18n::Locale;
use crate::locale::page_locale;
use crate::lookup::{CheckAnswer, CheckFailure, CheckResult};

/// Everything the console shows, loaded by its handler.
#[derive(Clone, Debug, Default)]
pub struct ConsoleData {
    pub who: Badge,
    pub notice: Option<Notice>,
    /// The pasted text, back in the box.
    pub text: String,
    /// The logged contact the text is from (`/console?contact=ID`): escalations name it.
    pub contact: Option<i64>,
    pub check: Option<Result<CheckAnswer, CheckFailure>>,
    pub evidence: Vec<EvidenceView>,
    pub my_escalations: Vec<EscalationView>,
    /// The triage queue, for analysts.
    pub queue: Option<Vec<EscalationView>>,
    pub contacts: Vec<ContactView>,
    /// What the contacts were searched for (empty: the agent's own newest).
    pub search: String,
    pub retention_days: u32,
    /// The reply scripts for the check's verdict, filled in.
    pub scripts: Vec<super::scripts::ScriptView>,
    pub today: TodayView,
}

/// The "today" panel: what the public checked most since yesterday (fakes and suspicious
/// sites only), and the news (open incidents, newest bulletins), live.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TodayView {
    /// (host, verdict code, checks)
    pub most_checked: Vec<(String, String, i64)>,
    pub news: super::news::NewsState,
}

/// What the last action did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    ContactLogged,
    /// Escalated `value`; `requests` is 1 for a new entry in the queue.
    Escalated {
        value: String,
        requests: i64,
    },
    Decided {
        value: String,
        status: String,
    },
    /// An action refused, and why.
    Problem(ConsoleProblem),
}

/// Why a console action was refused. Nothing already stored is lost by any of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsoleProblem {
    SummaryRequired,
    TooLong,
    BadChannel,
    NothingToEscalate,
    AlreadyDecided,
    NotFound,
    /// A rejection needs a reason.
    ReasonNeeded,
    /// Triage refused it (it would list the firm or a shared site): decide it there.
    DecideInTriage,
    Unavailable,
}

fn problem_text(problem: ConsoleProblem, locale: Locale) -> &'static str {
    match problem {
        ConsoleProblem::SummaryRequired => td_string!(locale, staff.problem_summary_required),
        ConsoleProblem::TooLong => td_string!(locale, staff.problem_too_long),
        ConsoleProblem::BadChannel => td_string!(locale, staff.problem_bad_channel),
        ConsoleProblem::NothingToEscalate => td_string!(locale, staff.problem_nothing_to_escalate),
        ConsoleProblem::AlreadyDecided => td_string!(locale, staff.problem_already_decided),
        ConsoleProblem::NotFound => td_string!(locale, staff.problem_not_found),
        ConsoleProblem::ReasonNeeded => td_string!(locale, staff.problem_reason_needed),
        ConsoleProblem::DecideInTriage => td_string!(locale, staff.problem_decide_in_triage),
        ConsoleProblem::Unavailable => td_string!(locale, staff.problem_unavailable),
    }
}

/// One finding with everything the security team knows of it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EvidenceView {
    /// `host`, `phone` or `line_id` (the escalation's kind).
    pub kind: String,
    /// As written in the message, defanged.
    pub shown: String,
    /// The canonical value: URL, E.164 number or LINE ID.
    pub canonical: String,
    pub host: Option<String>,
    pub registrable_domain: Option<String>,
    pub verdict: String,
    /// What kind of thing the engine found, for the reasons' wording.
    pub candidate: Option<engine::CandidateKind>,
    pub reasons: Vec<engine::Reason>,
    pub takedown: Option<TakedownView>,
    /// Bulletins naming the host: (title, slug, date).
    pub bulletins: Vec<(String, String, String)>,
    /// What escalating it sends: the subject's value (none for an official finding).
    pub escalate: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TakedownView {
    pub entry_id: i64,
    pub url: String,
    pub status: String,
    pub listed_on: String,
    pub alert_id: String,
    pub case_id: String,
    pub source: String,
    /// (status, Taiwan date), oldest first.
    pub steps: Vec<(String, String)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EscalationView {
    pub id: i64,
    pub kind: String,
    pub value: String,
    pub status: String,
    pub verdict: String,
    pub requests: i64,
    pub note: String,
    pub decided_by: String,
    pub decision_note: String,
    pub updated_at: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactView {
    pub id: i64,
    pub at: String,
    pub agent: String,
    pub channel: String,
    pub customer_ref: String,
    pub summary: String,
    pub verdict: String,
    pub pasted: Option<String>,
    pub purged: bool,
    pub subjects: Vec<String>,
}

pub fn status_text(code: &str, locale: Locale) -> &'static str {
    match code {
        "queued" => td_string!(locale, staff.escalation_queued),
        "accepted" => td_string!(locale, staff.escalation_accepted),
        "rejected" => td_string!(locale, staff.escalation_rejected),
        "taken_down" => td_string!(locale, staff.escalation_taken_down),
        _ => "?",
    }
}

fn channel_text(code: &str, locale: Locale) -> &'static str {
    match code {
        "phone" => td_string!(locale, staff.channel_phone),
        "branch" => td_string!(locale, staff.channel_branch),
        "chat" => td_string!(locale, staff.channel_chat),
        "email" => td_string!(locale, staff.channel_email),
        _ => "?",
    }
}

/// `/console`.
#[component]
pub fn ConsolePage() -> impl IntoView {
    let locale = page_locale();
    let Some(StaffPage::Console(data)) = staff_page() else {
        return view! { <StaffPageMissing/> }.into_any();
    };
    let ConsoleData {
        who,
        notice,
        text,
        contact,
        check,
        evidence,
        my_escalations,
        queue,
        contacts,
        search,
        retention_days,
        scripts,
        today,
    } = *data;
    let is_agent = who.has("agent");
    let notice = notice.map(|n| match n {
        Notice::ContactLogged => view! { <p class="notice" role="status">{td_string!(locale, staff.contact_logged)}</p> }.into_any(),
        Notice::Escalated { value, requests } if requests <= 1 => {
            view! { <p class="notice" role="status">{td_string!(locale, staff.escalated_new, value)}</p> }.into_any()
        }
        Notice::Escalated { value, requests } => {
            view! { <p class="notice" role="status">{td_string!(locale, staff.escalated_merged, value, requests)}</p> }.into_any()
        }
        Notice::Decided { value, status } => {
            let status = status_text(&status, locale);
            view! { <p class="notice" role="status">{td_string!(locale, staff.decided, value, status)}</p> }.into_any()
        }
        Notice::Problem(problem) => view! { <p class="form-error" role="alert">{problem_text(problem, locale)}</p> }.into_any(),
    });
    let checked = check.is_some();
    let result = check.map(|outcome| {
        view! { <section class="console-answer" aria-labelledby="answer-heading">
            <h2 id="answer-heading">{td_string!(locale, staff.answer_heading)}</h2>
            <CheckResult outcome locale/>
        </section> }
    });
    let evidence_view = (!evidence.is_empty()).then(|| {
        let text = text.clone();
        view! {
            <section class="console-evidence" aria-labelledby="evidence-heading">
                <h2 id="evidence-heading">{td_string!(locale, staff.evidence_heading)}</h2>
                {evidence.into_iter().map(|e| view! { <Evidence e text=text.clone() contact locale is_agent/> }.into_any()).collect_view()}
            </section>
        }
        .into_any()
    });
    let scripts = (!scripts.is_empty()).then(|| {
        view! {
            <section class="console-scripts" aria-labelledby="scripts-heading">
                <h2 id="scripts-heading">{td_string!(locale, staff.scripts_heading)}</h2>
                {scripts.into_iter().map(|script| view! { <super::scripts::ScriptCard script locale/> }.into_any()).collect_view()}
                <p><a href="/console/scripts">{td_string!(locale, staff.nav_scripts)}</a></p>
            </section>
        }
        .into_any()
    });
    let contact_form =
        (checked && is_agent).then(|| view! { <ContactForm text=text.clone() locale retention_days/> });
    view! {
        <Title text=td_string!(locale, staff.console_title).to_string()/>
        <StaffLayout who>
            <h1>{td_string!(locale, staff.console_title)}</h1>
            {notice}
            <super::news::ConsoleNews news=today.news.clone() locale/>
            {is_agent.then(|| view! {
                <form method="post" action="/console/check" class="console-check">
                    <label for="console-text">{td_string!(locale, staff.check_label)}</label>
                    <textarea id="console-text" name="text" rows="5" maxlength="65536">{crate::safe_text::textarea_text(&text)}</textarea>
                    <button type="submit">{td_string!(locale, staff.check_button)}</button>
                </form>
            }.into_any())}
            {result}
            {scripts}
            {evidence_view}
            {contact_form}
            {is_agent.then(|| view! { <super::live::MyEscalations items=my_escalations locale/> }.into_any())}
            {queue.map(|items| view! { <TriageQueue items locale/> }.into_any())}
            <Today today locale/>
            {is_agent.then(|| view! { <Contacts items=contacts search locale retention_days/> }.into_any())}
        </StaffLayout>
    }
    .into_any()
}

#[component]
fn Evidence(
    e: EvidenceView,
    text: String,
    contact: Option<i64>,
    locale: Locale,
    is_agent: bool,
) -> impl IntoView {
    let takedown = e.takedown.map(|t| {
        let steps = t
            .steps
            .into_iter()
            .map(|(status, on)| {
                let label = engine::TakedownStatus::parse(&status).map(|s| crate::lookup::wording::status_label(s, locale));
                view! { <li><time>{on}</time>" "{label}" "<code>{status}</code></li> }
            })
            .collect_view();
        view! {
            <dt>{td_string!(locale, staff.evidence_takedown)}</dt>
            <dd>
                <code>{format!("#{}", t.entry_id)}</code>" "<code>{t.status}</code>" · "{td_string!(locale, staff.evidence_listed_on)}" "<time>{t.listed_on}</time>
                <br/>{td_string!(locale, staff.evidence_vendor)}" "{t.source}" · alert "<code>{t.alert_id}</code>" · case "<code>{t.case_id}</code>
                <br/><code class="link">{t.url}</code>
                <ol class="takedown-steps">{steps}</ol>
            </dd>
        }
        .into_any()
    });
    let bulletins = (!e.bulletins.is_empty()).then(|| {
        let items = e
            .bulletins
            .into_iter()
            .map(|(title, slug, on)| view! { <li><time>{on}</time>" "<a href=format!("/bulletins/{slug}")>{title}</a></li> })
            .collect_view();
        view! { <dt>{td_string!(locale, staff.evidence_bulletins)}</dt><dd><ul>{items}</ul></dd> }.into_any()
    });
    let firm = crate::firm::firm_name(locale);
    let kind = e.candidate.unwrap_or(engine::CandidateKind::Url);
    let reasons = e
        .reasons
        .iter()
        .map(|r| {
            let sentence = crate::lookup::wording::reason_text(r, kind, locale, &firm);
            view! { <li><code>{r.code()}</code>" "{sentence}</li> }
        })
        .collect_view();
    let domain_page = e.host.clone().map(
        |h| view! { <a href=format!("/domain/{h}")>{td_string!(locale, staff.evidence_domain_page)}</a> },
    );
    let escalate = e.escalate.filter(|_| is_agent).map(|value| {
        view! {
            <form method="post" action="/console/escalations" class="escalate">
                <input type="hidden" name="kind" value=e.kind.clone()/>
                <input type="hidden" name="value" value=value/>
                <input type="hidden" name="text" value=text/>
                {contact.map(|id| view! { <input type="hidden" name="contact" value=id.to_string()/> })}
                <label>{td_string!(locale, staff.escalate_note)}" "<input type="text" name="note" maxlength="1000"/></label>
                <button type="submit">{td_string!(locale, staff.escalate_button)}</button>
            </form>
        }
        .into_any()
    });
    view! {
        <article class="evidence-item" data-verdict=e.verdict.clone()>
            <h3><code class="link">{e.shown}</code>" — "<span class="verdict-code">{e.verdict.clone()}</span></h3>
            <dl>
                <dt>{td_string!(locale, staff.evidence_canonical)}</dt><dd><code>{e.canonical}</code></dd>
                {e.registrable_domain.map(|d| view! { <dt>{td_string!(locale, staff.evidence_domain)}</dt><dd><code>{d}</code></dd> })}
                <dt>{td_string!(locale, staff.evidence_reasons)}</dt><dd><ul>{reasons}</ul></dd>
                {takedown}
                {bulletins}
            </dl>
            {domain_page}
            {escalate}
        </article>
    }
}

#[component]
fn ContactForm(text: String, locale: Locale, retention_days: u32) -> impl IntoView {
    let channels = ["phone", "branch", "chat", "email"]
        .into_iter()
        .map(|c| view! { <option value=c>{channel_text(c, locale)}</option> })
        .collect_view();
    view! {
        <section class="contact-log" aria-labelledby="contact-heading">
            <h2 id="contact-heading">{td_string!(locale, staff.contact_heading)}</h2>
            <form method="post" action="/console/contacts" class="staff-form">
                <input type="hidden" name="text" value=text/>
                <label for="channel">{td_string!(locale, staff.contact_channel)}</label>
                <select id="channel" name="channel">{channels}</select>
                <label for="customer_ref">{td_string!(locale, staff.contact_customer_ref)}</label>
                <input id="customer_ref" name="customer_ref" type="text" maxlength="64"/>
                <label for="summary">{td_string!(locale, staff.contact_summary)}</label>
                <textarea id="summary" name="summary" rows="3" maxlength="2000" required></textarea>
                <p class="hint">{td_string!(locale, staff.retention_note, days = retention_days)}</p>
                <button type="submit">{td_string!(locale, staff.contact_button)}</button>
            </form>
        </section>
    }
}

#[component]
fn Today(today: TodayView, locale: Locale) -> impl IntoView {
    let checked = if today.most_checked.is_empty() {
        view! { <p>{td_string!(locale, staff.today_none)}</p> }.into_any()
    } else {
        view! {
            <ol class="today-checked">
                {today.most_checked.into_iter().map(|(host, verdict, checks)| view! {
                    <li><a href=format!("/domain/{host}")><code class="link">{crate::lookup::wording::defanged(&host)}</code></a>
                        " · "<code>{verdict}</code>" · "{td_string!(locale, staff.today_checks, count = checks)}</li>
                }).collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <section class="today" aria-labelledby="today-heading">
            <h2 id="today-heading">{td_string!(locale, staff.today_heading)}</h2>
            <h3>{td_string!(locale, staff.today_most_checked)}</h3>
            {checked}
        </section>
    }
}

#[component]
fn TriageQueue(items: Vec<EscalationView>, locale: Locale) -> impl IntoView {
    let body = if items.is_empty() {
        view! { <p>{td_string!(locale, staff.queue_empty)}</p> }.into_any()
    } else {
        view! {
            <ul class="queue">
                {items.into_iter().map(|e| view! {
                    <li data-escalation=e.id>
                        <code class="link">{e.value.clone()}</code>" · "<code>{e.verdict}</code>" · "
                        {td_string!(locale, staff.queue_requests, count = e.requests)}
                        {(!e.note.is_empty()).then(|| view! { " · "<q>{e.note}</q> })}
                        <form method="post" action=format!("/console/escalations/{}/decide", e.id) class="decide">
                            <label>{td_string!(locale, staff.decision_note)}" "<input type="text" name="note" maxlength="1000"/></label>
                            <button type="submit" name="decision" value="accepted">{td_string!(locale, staff.accept_button)}</button>
                            <button type="submit" name="decision" value="rejected">{td_string!(locale, staff.reject_button)}</button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="triage" aria-labelledby="queue-heading">
            <h2 id="queue-heading">{td_string!(locale, staff.queue_heading)}</h2>
            <p class="hint"><a href="/console/triage">{td_string!(locale, staff.queue_open_triage)}</a></p>
            {body}
        </section>
    }
}

#[component]
fn Contacts(items: Vec<ContactView>, search: String, locale: Locale, retention_days: u32) -> impl IntoView {
    let list = items
        .into_iter()
        .map(|c| {
            let pasted = match (c.pasted, c.purged) {
                (Some(text), _) => view! { <pre class="pasted">{text}</pre> }.into_any(),
                (None, true) => {
                    view! { <p class="hint">{td_string!(locale, staff.contact_purged)}</p> }.into_any()
                }
                (None, false) => ().into_any(),
            };
            view! {
                <li data-contact=c.id>
                    <time>{c.at}</time>" · "{channel_text(&c.channel, locale)}" · "{c.agent}
                    {(!c.customer_ref.is_empty()).then(|| view! { " · "<code>{c.customer_ref}</code> })}
                    " · "<code>{c.verdict}</code>
                    <p>{c.summary}</p>
                    <p class="subjects">{c.subjects.join(", ")}</p>
                    {pasted}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="contacts" aria-labelledby="contacts-heading">
            <h2 id="contacts-heading">{td_string!(locale, staff.contacts_heading)}</h2>
            <form method="get" action="/console" class="staff-filter">
                <label for="q">{td_string!(locale, staff.contacts_search)}</label>
                <input id="q" name="q" type="search" value=search/>
                <button type="submit">{td_string!(locale, staff.contacts_search_button)}</button>
            </form>
            <p class="hint">{td_string!(locale, staff.retention_note, days = retention_days)}</p>
            <ul class="contact-list">{list}</ul>
        </section>
    }
}
