//! `/console/official` (analysts and admins): the official list as it stands, the changes
//! waiting for a second person with what each would change (before → after), and the forms
//! to propose an addition, new labels or a removal, and to approve, reject or withdraw. The
//! server refuses what a page would not offer (deciding one's own proposal), so the buttons
//! here are a convenience, not the rule.

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

use super::{staff_page, Badge, StaffLayout, StaffPage, StaffPageMissing};
use crate::i18n::Locale;
use crate::locale::page_locale;

/// Everything the page shows, loaded by its handler.
#[derive(Clone, Debug, Default)]
pub struct OfficialData {
    pub who: Badge,
    pub notice: Option<OfficialNotice>,
    /// The list as it stands, in the order of [`KINDS`].
    pub entries: Vec<ListedView>,
    /// Waiting for a decision, oldest first.
    pub pending: Vec<ProposalView>,
    /// The newest decisions, newest first.
    pub decided: Vec<ProposalView>,
    /// What a refused form held, to fill it in again: nothing typed is lost.
    pub draft: Option<DraftView>,
}

/// The kinds the page lists, in order (the official entries' kinds, then brand keywords).
pub const KINDS: [&str; 5] = ["domain", "app", "phone", "line_id", "keyword"];

/// One entry on the list (a keyword has no labels).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListedView {
    pub entry: SideView,
    /// A proposal waiting on this entry.
    pub pending: Option<i64>,
}

/// An entry as one side of a diff shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SideView {
    pub kind: String,
    pub value: String,
    pub label_zh: String,
    pub label_en: String,
}

/// A proposal with its diff.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProposalView {
    pub id: i64,
    /// `add`, `change` or `remove`.
    pub action: String,
    pub kind: String,
    pub value: String,
    /// The entry as it was when proposed; none for an addition.
    pub before: Option<SideView>,
    /// The entry as approving it would leave it; none for a removal.
    pub after: Option<SideView>,
    pub reason: String,
    pub proposer: String,
    pub proposed_at: String,
    /// `pending`, `approved`, `rejected` or `withdrawn`.
    pub state: String,
    pub decider: String,
    pub decided_at: String,
    pub note: String,
    /// Proposed by the reader: they may withdraw it, never decide it.
    pub mine: bool,
}

/// A proposal form as it was sent (the form's fields, read as they are).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct DraftView {
    pub action: String,
    pub kind: String,
    pub value: String,
    pub label_zh: String,
    pub label_en: String,
    pub reason: String,
}

/// What the last action did (carried signed in the address it redirects to).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum OfficialNotice {
    Proposed { value: String },
    Approved { value: String },
    Rejected { value: String },
    Withdrawn { value: String },
    Problem(OfficialProblem),
}

/// Why an action was refused; nothing was written.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum OfficialProblem {
    BadForm,
    Empty,
    NotADomain { value: String },
    PublicSuffix { value: String },
    NotRegistrable { value: String },
    NotAPhone { value: String },
    NotALineId { value: String },
    NotAnApp { value: String },
    KeywordLength,
    NotAKeyword { value: String },
    ListedAsFake { value: String, entry: i64, target: String },
    Labels,
    Reason,
    NoteTooLong,
    AlreadyListed { value: String },
    NotListed { value: String },
    NoChange,
    KeywordHasNoLabels,
    AlreadyPending { id: i64, value: String },
    LastDomain,
    NotFound,
    AlreadyDecided { state: String },
    OwnProposal,
    RoleNeeded,
    NotYours,
    EntryChanged,
    IndexRefused { why: String },
    Unavailable,
}

fn problem_text(problem: OfficialProblem, locale: Locale) -> String {
    use OfficialProblem as P;
    match problem {
        P::BadForm => td_string!(locale, staff.official_problem_bad_form).to_owned(),
        P::Empty => td_string!(locale, staff.official_problem_empty).to_owned(),
        P::NotADomain { value } => td_string!(locale, staff.official_problem_not_a_domain, value).to_string(),
        P::PublicSuffix { value } => {
            td_string!(locale, staff.official_problem_public_suffix, value).to_string()
        }
        P::NotRegistrable { value } => {
            td_string!(locale, staff.official_problem_not_registrable, value).to_string()
        }
        P::NotAPhone { value } => td_string!(locale, staff.official_problem_not_a_phone, value).to_string(),
        P::NotALineId { value } => {
            td_string!(locale, staff.official_problem_not_a_line_id, value).to_string()
        }
        P::NotAnApp { value } => td_string!(locale, staff.official_problem_not_an_app, value).to_string(),
        P::KeywordLength => td_string!(locale, staff.official_problem_keyword_length).to_owned(),
        P::NotAKeyword { value } => {
            td_string!(locale, staff.official_problem_not_a_keyword, value).to_string()
        }
        P::ListedAsFake { value, entry, target } => {
            td_string!(locale, staff.official_problem_listed_as_fake, value, entry, target).to_string()
        }
        P::Labels => td_string!(locale, staff.official_problem_labels).to_owned(),
        P::Reason => td_string!(locale, staff.official_problem_reason).to_owned(),
        P::NoteTooLong => td_string!(locale, staff.official_problem_note_too_long).to_owned(),
        P::AlreadyListed { value } => {
            td_string!(locale, staff.official_problem_already_listed, value).to_string()
        }
        P::NotListed { value } => td_string!(locale, staff.official_problem_not_listed, value).to_string(),
        P::NoChange => td_string!(locale, staff.official_problem_no_change).to_owned(),
        P::KeywordHasNoLabels => td_string!(locale, staff.official_problem_keyword_labels).to_owned(),
        P::AlreadyPending { id, value } => {
            td_string!(locale, staff.official_problem_already_pending, id, value).to_string()
        }
        P::LastDomain => td_string!(locale, staff.official_problem_last_domain).to_owned(),
        P::NotFound => td_string!(locale, staff.official_problem_not_found).to_owned(),
        P::AlreadyDecided { state } => {
            let state = state_text(&state, locale);
            td_string!(locale, staff.official_problem_already_decided, state).to_string()
        }
        P::OwnProposal => td_string!(locale, staff.official_problem_own).to_owned(),
        P::RoleNeeded => td_string!(locale, staff.official_problem_role).to_owned(),
        P::NotYours => td_string!(locale, staff.official_problem_not_yours).to_owned(),
        P::EntryChanged => td_string!(locale, staff.official_problem_entry_changed).to_owned(),
        P::IndexRefused { why } => td_string!(locale, staff.official_problem_index_refused, why).to_string(),
        P::Unavailable => td_string!(locale, staff.problem_unavailable).to_owned(),
    }
}

/// A kind's name in words.
pub fn kind_text(kind: &str, locale: Locale) -> &'static str {
    match kind {
        "domain" => td_string!(locale, staff.official_kind_domain),
        "app" => td_string!(locale, staff.official_kind_app),
        "phone" => td_string!(locale, staff.official_kind_phone),
        "line_id" => td_string!(locale, staff.official_kind_line_id),
        "keyword" => td_string!(locale, staff.official_kind_keyword),
        _ => "?",
    }
}

fn action_text(action: &str, locale: Locale) -> &'static str {
    match action {
        "add" => td_string!(locale, staff.official_action_add),
        "change" => td_string!(locale, staff.official_action_change),
        "remove" => td_string!(locale, staff.official_action_remove),
        _ => "?",
    }
}

fn state_text(state: &str, locale: Locale) -> &'static str {
    match state {
        "pending" => td_string!(locale, staff.official_state_pending),
        "approved" => td_string!(locale, staff.official_state_approved),
        "rejected" => td_string!(locale, staff.official_state_rejected),
        "withdrawn" => td_string!(locale, staff.official_state_withdrawn),
        _ => "?",
    }
}

/// `/console/official`.
#[component]
pub fn OfficialListPage() -> impl IntoView {
    let locale = page_locale();
    let Some(StaffPage::Official(data)) = staff_page() else {
        return view! { <StaffPageMissing/> }.into_any();
    };
    let OfficialData { who, notice, entries, pending, decided, draft } = *data;
    let notice = notice.map(|n| {
        let done = |text: String| view! { <p class="notice" role="status">{text}</p> }.into_any();
        match n {
            OfficialNotice::Proposed { value } => {
                done(td_string!(locale, staff.official_proposed, value).to_string())
            }
            OfficialNotice::Approved { value } => {
                done(td_string!(locale, staff.official_approved, value).to_string())
            }
            OfficialNotice::Rejected { value } => {
                done(td_string!(locale, staff.official_rejected, value).to_string())
            }
            OfficialNotice::Withdrawn { value } => {
                done(td_string!(locale, staff.official_withdrawn, value).to_string())
            }
            OfficialNotice::Problem(p) => {
                view! { <p class="form-error" role="alert">{problem_text(p, locale)}</p> }.into_any()
            }
        }
    });
    let waiting = if pending.is_empty() {
        view! { <p>{td_string!(locale, staff.official_pending_none)}</p> }.into_any()
    } else {
        pending.into_iter().map(|p| view! { <Pending p locale/> }.into_any()).collect_view().into_any()
    };
    let lists = KINDS
        .into_iter()
        .map(|kind| {
            let of_kind: Vec<ListedView> = entries.iter().filter(|e| e.entry.kind == kind).cloned().collect();
            view! { <KindList kind of_kind draft=draft.clone() locale/> }.into_any()
        })
        .collect_view();
    let history = if decided.is_empty() {
        view! { <p>{td_string!(locale, staff.official_decided_none)}</p> }.into_any()
    } else {
        view! { <ul class="proposal-history">{decided.into_iter().map(|p| view! { <Decided p locale/> }.into_any()).collect_view()}</ul> }
            .into_any()
    };
    let added = draft.filter(|d| d.action == "add").unwrap_or_default();
    view! {
        <Title text=td_string!(locale, staff.official_title).to_string()/>
        <StaffLayout who>
            <h1>{td_string!(locale, staff.official_title)}</h1>
            <p class="hint">{td_string!(locale, staff.official_intro)}</p>
            {notice}
            <section class="proposals" aria-labelledby="pending-heading">
                <h2 id="pending-heading">{td_string!(locale, staff.official_pending_heading)}</h2>
                {waiting}
            </section>
            <section class="official-now" aria-labelledby="list-heading">
                <h2 id="list-heading">{td_string!(locale, staff.official_list_heading)}</h2>
                {lists}
            </section>
            <section aria-labelledby="add-heading">
                <h2 id="add-heading">{td_string!(locale, staff.official_add_heading)}</h2>
                <AddForm draft=added locale/>
            </section>
            <section aria-labelledby="decided-heading">
                <h2 id="decided-heading">{td_string!(locale, staff.official_decided_heading)}</h2>
                {history}
            </section>
        </StaffLayout>
    }
    .into_any()
}

/// An entry's value and its labels in both languages.
#[component]
fn Side(side: SideView) -> impl IntoView {
    let labels = [side.label_zh, side.label_en].into_iter().filter(|l| !l.is_empty()).collect::<Vec<_>>();
    view! {
        <code class="link">{side.value}</code>
        {(!labels.is_empty()).then(|| view! { " — "{labels.join(" / ")} })}
    }
}

/// Before → after, as an approval would change the list.
#[component]
fn Diff(before: Option<SideView>, after: Option<SideView>, locale: Locale) -> impl IntoView {
    let before = match before {
        Some(side) => view! { <del><Side side/></del> }.into_any(),
        None => {
            view! { <span class="hint">{td_string!(locale, staff.official_not_listed)}</span> }.into_any()
        }
    };
    let after = match after {
        Some(side) => view! { <ins><Side side/></ins> }.into_any(),
        None => view! { <span class="hint">{td_string!(locale, staff.official_taken_off)}</span> }.into_any(),
    };
    view! {
        <dl class="diff">
            <dt>{td_string!(locale, staff.official_before)}</dt><dd>{before}</dd>
            <dt>{td_string!(locale, staff.official_after)}</dt><dd>{after}</dd>
        </dl>
    }
}

/// One proposal waiting: its diff and reason, and what the reader may do with it.
#[component]
fn Pending(p: ProposalView, locale: Locale) -> impl IntoView {
    let base = format!("/console/official/proposals/{}", p.id);
    let who = p.proposer.clone();
    let at = p.proposed_at.clone();
    let reason = p.reason.clone();
    let actions = if p.mine {
        view! {
            <p class="hint">{td_string!(locale, staff.official_yours)}</p>
            <form method="post" action=format!("{base}/withdraw")>
                <button type="submit">{td_string!(locale, staff.official_withdraw)}</button>
            </form>
        }
        .into_any()
    } else {
        let note_id = format!("note-{}", p.id);
        view! {
            <form method="post" action=format!("{base}/approve") class="decide">
                <label for=note_id.clone()>{td_string!(locale, staff.official_note)}</label>
                <input id=note_id type="text" name="note" maxlength="1000"/>
                <button type="submit">{td_string!(locale, staff.official_approve)}</button>
                <button type="submit" formaction=format!("{base}/reject")>{td_string!(locale, staff.official_reject)}</button>
            </form>
        }
        .into_any()
    };
    view! {
        <article class="proposal" id=format!("proposal-{}", p.id) data-proposal=p.id>
            <h3>{action_text(&p.action, locale)}" · "{kind_text(&p.kind, locale)}" · "<code class="link">{p.value}</code></h3>
            <Diff before=p.before after=p.after locale/>
            <p>{td_string!(locale, staff.official_reason, reason)}</p>
            <p class="hint">{td_string!(locale, staff.official_proposed_by, who, at)}</p>
            {actions}
        </article>
    }
}

/// One decided proposal, in the history.
#[component]
fn Decided(p: ProposalView, locale: Locale) -> impl IntoView {
    let who = p.decider.clone();
    let at = p.decided_at.clone();
    let reason = p.reason.clone();
    view! {
        <li data-proposal=p.id data-state=p.state.clone()>
            <strong>{state_text(&p.state, locale)}</strong>" · "{action_text(&p.action, locale)}" · "
            {kind_text(&p.kind, locale)}" · "<code class="link">{p.value}</code>
            <br/>{td_string!(locale, staff.official_decided_by, who, at)}
            {(!p.note.is_empty()).then(|| view! { " · "<q>{p.note}</q> })}
            <br/><span class="hint">{td_string!(locale, staff.official_reason, reason)}" ("{p.proposer}")"</span>
        </li>
    }
}

/// The entries of one kind, each with its forms for new labels (not for keywords) and
/// removal.
#[component]
fn KindList(
    kind: &'static str,
    of_kind: Vec<ListedView>,
    draft: Option<DraftView>,
    locale: Locale,
) -> impl IntoView {
    let items = if of_kind.is_empty() {
        view! { <p>{td_string!(locale, staff.official_list_empty)}</p> }.into_any()
    } else {
        let rows = of_kind
            .into_iter()
            .enumerate()
            .map(|(n, listed)| {
                let mine =
                    draft.clone().filter(|d| d.kind == listed.entry.kind && d.value == listed.entry.value);
                view! { <Entry listed mine prefix=format!("{kind}-{n}") locale/> }.into_any()
            })
            .collect_view();
        view! { <ul class="official-entries">{rows}</ul> }.into_any()
    };
    view! {
        <h3>{kind_text(kind, locale)}</h3>
        {items}
    }
}

#[component]
fn Entry(listed: ListedView, mine: Option<DraftView>, prefix: String, locale: Locale) -> impl IntoView {
    let entry = listed.entry;
    let change = mine.clone().filter(|d| d.action == "change");
    let remove = mine.filter(|d| d.action == "remove");
    let labelled = entry.kind != "keyword";
    let hidden = {
        let (kind, value) = (entry.kind.clone(), entry.value.clone());
        move |action: &'static str| {
            view! {
                <input type="hidden" name="action" value=action/>
                <input type="hidden" name="kind" value=kind.clone()/>
                <input type="hidden" name="value" value=value.clone()/>
            }
        }
    };
    // While a change to it waits, the badge leads there instead: one proposal at a time.
    let waiting = listed.pending.map(|id| {
        view! { " · "<a class="badge" href=format!("#proposal-{id}")>{td_string!(locale, staff.official_waiting_badge)}</a> }
    });
    let open_to_change = listed.pending.is_none();
    let change_form = (labelled && open_to_change).then(|| {
        let open = change.is_some();
        let draft = change.unwrap_or_else(|| DraftView {
            label_zh: entry.label_zh.clone(),
            label_en: entry.label_en.clone(),
            ..DraftView::default()
        });
        view! {
            <details class="official-propose" open=open>
                <summary>{td_string!(locale, staff.official_propose_change)}</summary>
                <form method="post" action="/console/official/proposals" class="staff-form">
                    {hidden("change")}
                    <Labels draft=draft.clone() prefix=format!("{prefix}-c") locale/>
                    <Reason reason=draft.reason prefix=format!("{prefix}-c") locale/>
                    <button type="submit">{td_string!(locale, staff.official_send)}</button>
                </form>
            </details>
        }
    });
    let remove_form = open_to_change.then(|| {
        let open = remove.is_some();
        let reason = remove.map(|d| d.reason).unwrap_or_default();
        view! {
            <details class="official-propose" open=open>
                <summary>{td_string!(locale, staff.official_propose_removal)}</summary>
                <form method="post" action="/console/official/proposals" class="staff-form">
                    {hidden("remove")}
                    <Reason reason prefix=format!("{prefix}-r") locale/>
                    <button type="submit">{td_string!(locale, staff.official_send)}</button>
                </form>
            </details>
        }
    });
    view! {
        <li data-kind=entry.kind.clone() data-value=entry.value.clone()>
            <Side side=entry.clone()/>
            {waiting}
            {change_form}
            {remove_form}
        </li>
    }
}

/// The two label fields, filled with `draft`'s.
#[component]
fn Labels(draft: DraftView, prefix: String, locale: Locale) -> impl IntoView {
    view! {
        <label for=format!("{prefix}-zh")>{td_string!(locale, staff.official_label_zh)}</label>
        <input id=format!("{prefix}-zh") name="label_zh" type="text" maxlength="200" value=draft.label_zh/>
        <label for=format!("{prefix}-en")>{td_string!(locale, staff.official_label_en)}</label>
        <input id=format!("{prefix}-en") name="label_en" type="text" maxlength="200" value=draft.label_en/>
    }
}

#[component]
fn Reason(reason: String, prefix: String, locale: Locale) -> impl IntoView {
    view! {
        <label for=format!("{prefix}-why")>{td_string!(locale, staff.official_reason_label)}</label>
        <textarea id=format!("{prefix}-why") name="reason" rows="2" maxlength="1000" required>{crate::safe_text::textarea_text(&reason)}</textarea>
    }
}

/// The form that proposes an addition.
#[component]
fn AddForm(draft: DraftView, locale: Locale) -> impl IntoView {
    let kinds = KINDS
        .into_iter()
        .map(|k| view! { <option value=k selected=draft.kind == k>{kind_text(k, locale)}</option> })
        .collect_view();
    view! {
        <form method="post" action="/console/official/proposals" class="staff-form">
            <input type="hidden" name="action" value="add"/>
            <label for="add-kind">{td_string!(locale, staff.official_kind_label)}</label>
            <select id="add-kind" name="kind">{kinds}</select>
            <label for="add-value">{td_string!(locale, staff.official_value_label)}</label>
            <input id="add-value" name="value" type="text" maxlength="253" required autocapitalize="none" spellcheck="false" value=draft.value.clone() aria-describedby="add-value-hint"/>
            <p id="add-value-hint" class="hint">{td_string!(locale, staff.official_value_hint)}</p>
            <Labels draft=draft.clone() prefix="add".to_owned() locale/>
            <p class="hint">{td_string!(locale, staff.official_labels_hint)}</p>
            <Reason reason=draft.reason prefix="add".to_owned() locale/>
            <button type="submit">{td_string!(locale, staff.official_send)}</button>
        </form>
    }
}
