//! `/console/bulletins` (publishers; admins see the list, the templates and the setting): the
//! list of bulletins with its filters and the new-bulletin form, the editor with its preview
//! rendered by the public page's own component (`crate::bulletin::BulletinArticle`, on the
//! server), the revisions side by side, and the templates. The rules are the store's
//! (`store::bulletin::publishing`); these pages only show them and offer their forms.

use leptos::prelude::*;

pub use crate::safe_text::textarea_text;
use leptos_i18n::td_string;
use leptos_meta::Title;

use super::{staff_page, Badge, StaffLayout, StaffPage, StaffPageMissing};
use crate::bulletin::{BulletinArticle, BulletinArticleData};
use crate::i18n::Locale;
use crate::locale::page_locale;

/// What an action did, said at the top of its page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublishingNotice {
    Created,
    Saved,
    Previewed,
    Published,
    /// Taiwan time.
    Scheduled(String),
    Waiting,
    Unpublished,
    Pinned(bool),
    Approved,
    Rejected,
    UpdateAdded,
    Restored(i64),
    SecondApproval(bool),
    TemplateSaved,
}

impl PublishingNotice {
    /// The `?done=` code that names this notice in the address an action redirects to
    /// (Post/Redirect/Get: a reload then shows the page again instead of acting twice).
    pub fn done_code(&self) -> String {
        match self {
            Self::Created => "created".into(),
            Self::Saved => "saved".into(),
            Self::Previewed => "previewed".into(),
            Self::Published => "published".into(),
            Self::Scheduled(_) => "scheduled".into(),
            Self::Waiting => "waiting".into(),
            Self::Unpublished => "unpublished".into(),
            Self::Pinned(true) => "pinned".into(),
            Self::Pinned(false) => "unpinned".into(),
            Self::Approved => "approved".into(),
            Self::Rejected => "rejected".into(),
            Self::UpdateAdded => "update".into(),
            Self::Restored(revision) => format!("restored-{revision}"),
            Self::SecondApproval(true) => "second-approval-on".into(),
            Self::SecondApproval(false) => "second-approval-off".into(),
            Self::TemplateSaved => "template-saved".into(),
        }
    }

    /// The notice a `?done=` code names. A schedule's time is not in the address: the page
    /// gives the one the bulletin has (`scheduled_at`, Taiwan time).
    pub fn from_done(code: &str, scheduled_at: Option<&str>) -> Option<Self> {
        Some(match code {
            "created" => Self::Created,
            "saved" => Self::Saved,
            "previewed" => Self::Previewed,
            "published" => Self::Published,
            "scheduled" => Self::Scheduled(scheduled_at?.to_owned()),
            "waiting" => Self::Waiting,
            "unpublished" => Self::Unpublished,
            "pinned" => Self::Pinned(true),
            "unpinned" => Self::Pinned(false),
            "approved" => Self::Approved,
            "rejected" => Self::Rejected,
            "update" => Self::UpdateAdded,
            "second-approval-on" => Self::SecondApproval(true),
            "second-approval-off" => Self::SecondApproval(false),
            "template-saved" => Self::TemplateSaved,
            other => Self::Restored(other.strip_prefix("restored-")?.parse().ok()?),
        })
    }
}

/// Why an action did nothing: the store's sentence (English), or one of the page's own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PublishingProblem {
    /// A `Refusal` (or other store refusal): its sentence.
    Refused(String),
    /// Someone else saved since the editor was opened (their text is shown beside).
    Stale(String),
    NotYourRole,
    TooLarge,
    BadForm,
    Unavailable,
}

/// One bulletin in the list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BulletinRow {
    pub id: i64,
    pub slug: String,
    pub language: String,
    pub category: String,
    pub status: String,
    pub pinned: bool,
    pub title: String,
    /// Taiwan time.
    pub updated: String,
    pub publish_at: Option<String>,
    pub pending: bool,
    pub waiting: bool,
}

/// A request that waits for a second publisher.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WaitingView {
    pub bulletin_id: i64,
    pub title: String,
    pub requester: String,
    /// Taiwan time.
    pub requested_at: String,
    /// Taiwan time; `None`: as soon as it is approved.
    pub publish_at: Option<String>,
}

/// The new-bulletin form as it was sent (refilled when it comes back with a problem).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DraftForm {
    pub slug: String,
    pub language: String,
    pub category: String,
    pub title: String,
    pub body: String,
    pub listed: String,
    pub translation_of: String,
    /// The template it starts from (0: none), and its placeholders with the values typed.
    pub template: i64,
    pub placeholders: Vec<(String, String)>,
}

/// A template as the pages show it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TemplateView {
    pub id: i64,
    pub name: String,
    pub category: String,
    pub language: String,
    pub title: String,
    pub body: String,
    pub placeholders: Vec<String>,
    pub updated_by: String,
    pub updated_at: String,
}

/// `/console/bulletins`.
#[derive(Clone, Debug, Default)]
pub struct BulletinsData {
    pub who: Badge,
    pub notice: Option<PublishingNotice>,
    pub problem: Option<PublishingProblem>,
    /// The filters chosen (codes, '' for all).
    pub status: String,
    pub category: String,
    pub language: String,
    pub rows: Vec<BulletinRow>,
    pub waiting: Vec<WaitingView>,
    pub templates: Vec<TemplateView>,
    pub draft: DraftForm,
    /// A publisher: may open, write and publish.
    pub can_publish: bool,
    /// An admin: may change the setting.
    pub can_configure: bool,
    pub second_approval: bool,
}

/// An incident update as the editor lists it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpdateRow {
    pub state: String,
    /// Taiwan time.
    pub at: String,
    pub text: String,
    pub author: String,
    pub backdated: bool,
}

/// The incident-update form as it was sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UpdateForm {
    pub state: String,
    pub text: String,
    pub at: String,
}

/// What pressing "publish" will do, in words.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PublishEffect {
    /// Readers see it at once.
    #[default]
    GoesLive,
    /// Readers see the pending change at once.
    ChangeGoesLive,
    /// A second publisher must approve first.
    NeedsApproval,
    /// It is published as it is.
    NothingToPublish,
}

/// Someone else's save that came between opening the editor and saving.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meanwhile {
    pub author: String,
    pub saved_at: String,
    pub title: String,
    pub body: String,
    pub listed: String,
}

/// `/console/bulletins/{id}`.
#[derive(Clone, Debug)]
pub struct EditorData {
    pub who: Badge,
    pub notice: Option<PublishingNotice>,
    pub problem: Option<PublishingProblem>,
    pub id: i64,
    pub slug: String,
    pub language: String,
    pub category: String,
    pub status: String,
    pub pinned: bool,
    /// Taiwan time.
    pub publish_at: Option<String>,
    pub incident: Option<String>,
    /// The other-language version: (id, slug, language).
    pub translation: Option<(i64, String, String)>,
    /// The revision the form was opened on (sent back with a save).
    pub opened_head: i64,
    pub title: String,
    pub body: String,
    pub listed: String,
    pub pending: bool,
    pub effect: PublishEffect,
    pub waiting: Option<WaitingView>,
    /// The waiting request is the signed-in publisher's own.
    pub own_request: bool,
    pub second_approval: bool,
    /// What readers would see: the public component's data, from the text in the form.
    pub preview: BulletinArticleData,
    /// The preview shows text that is not saved.
    pub unsaved_preview: bool,
    pub timeline: Vec<UpdateRow>,
    pub update: UpdateForm,
    pub schedule_at: String,
    pub meanwhile: Option<Meanwhile>,
}

/// A revision in the list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RevisionRow {
    pub id: i64,
    pub author: String,
    /// Taiwan time.
    pub saved_at: String,
    pub restored_from: Option<i64>,
    pub title: String,
}

/// One row of a side-by-side comparison: the line on the left (the chosen revision) and on
/// the right (the head), `None` where a side has no line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffRow {
    pub left: Option<String>,
    pub right: Option<String>,
}

impl DiffRow {
    fn kind(&self) -> &'static str {
        match (&self.left, &self.right) {
            (Some(l), Some(r)) if l == r => "same",
            (Some(_), None) => "removed",
            (None, Some(_)) => "added",
            _ => "changed",
        }
    }
}

/// `/console/bulletins/{id}/revisions`.
#[derive(Clone, Debug, Default)]
pub struct RevisionsData {
    pub who: Badge,
    pub notice: Option<PublishingNotice>,
    pub problem: Option<PublishingProblem>,
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub head: i64,
    pub revisions: Vec<RevisionRow>,
    /// The revision compared with the head, and the comparison.
    pub compare: Option<(i64, Vec<DiffRow>)>,
}

/// `/console/bulletins/templates` (and `/{id}`).
#[derive(Clone, Debug, Default)]
pub struct TemplatesData {
    pub who: Badge,
    pub notice: Option<PublishingNotice>,
    pub problem: Option<PublishingProblem>,
    pub templates: Vec<TemplateView>,
    /// The one opened (0: none; an admin's form for a new one).
    pub chosen: i64,
    /// The editing form as sent (admins), refilled after a problem.
    pub form: TemplateView,
    pub editable: bool,
    pub can_publish: bool,
}

/// Most lines a comparison works line by line on: beyond, the middle shows as replaced.
const DIFF_CELLS: usize = 4_000_000;

/// A line-by-line comparison of `old` with `new`, as rows side by side: lines in both (the
/// longest common subsequence), lines only in the old (removed) and only in the new
/// (added). A removed line followed by an added one share a row (changed).
pub fn line_diff(old: &str, new: &str) -> Vec<DiffRow> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (mid_a, mid_b) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut ops: Vec<(Option<&str>, Option<&str>)> =
        a[..prefix].iter().map(|l| (Some(*l), Some(*l))).collect();
    if mid_a.len().saturating_mul(mid_b.len()) <= DIFF_CELLS {
        // lcs[i][j]: the longest common subsequence of mid_a[i..] and mid_b[j..].
        let (n, m) = (mid_a.len(), mid_b.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if mid_a[i] == mid_b[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && mid_a[i] == mid_b[j] {
                ops.push((Some(mid_a[i]), Some(mid_b[j])));
                i += 1;
                j += 1;
            } else if j < m && (i == n || lcs[i * (m + 1) + j + 1] >= lcs[(i + 1) * (m + 1) + j]) {
                ops.push((None, Some(mid_b[j])));
                j += 1;
            } else {
                ops.push((Some(mid_a[i]), None));
                i += 1;
            }
        }
    } else {
        ops.extend(mid_a.iter().map(|l| (Some(*l), None)));
        ops.extend(mid_b.iter().map(|l| (None, Some(*l))));
    }
    ops.extend(a[a.len() - suffix..].iter().map(|l| (Some(*l), Some(*l))));
    // Pair each run of removed lines with the run of added lines beside it.
    let mut rows: Vec<DiffRow> = Vec::new();
    let mut k = 0;
    while k < ops.len() {
        match ops[k] {
            (Some(l), Some(r)) => {
                rows.push(DiffRow { left: Some(l.to_owned()), right: Some(r.to_owned()) });
                k += 1;
            }
            _ => {
                let start = k;
                while k < ops.len() && !matches!(ops[k], (Some(_), Some(_))) {
                    k += 1;
                }
                let removed: Vec<&str> =
                    ops[start..k].iter().filter_map(|(l, r)| l.filter(|_| r.is_none())).collect();
                let added: Vec<&str> =
                    ops[start..k].iter().filter_map(|(l, r)| r.filter(|_| l.is_none())).collect();
                for n in 0..removed.len().max(added.len()) {
                    rows.push(DiffRow {
                        left: removed.get(n).map(|s| (*s).to_owned()),
                        right: added.get(n).map(|s| (*s).to_owned()),
                    });
                }
            }
        }
    }
    rows
}

/// The public component's data for a text that may not be saved: the editor's preview and
/// the live preview's fragment render exactly what readers would see.
#[cfg(feature = "ssr")]
pub fn preview_article(
    state: &crate::state::AppState,
    bulletin: &store::Bulletin,
    timeline: &[store::bulletin::incident::IncidentUpdate],
    other: Option<(String, String)>,
) -> BulletinArticleData {
    crate::bulletin::article_of(state, bulletin, timeline, other)
}

/// The HTML of the public component for `article`, rendered on the server in the language
/// of the request `parts` (the live preview's answer).
#[cfg(feature = "ssr")]
pub fn article_html(parts: axum::http::request::Parts, article: BulletinArticleData) -> String {
    let owner = Owner::new();
    owner.with(|| {
        provide_context(parts);
        leptos_meta::provide_meta_context();
        view! { <BulletinArticle article/> }.to_html()
    })
}

fn category_word(code: &str, locale: Locale) -> &'static str {
    match code {
        "alert" => td_string!(locale, publishing.category_alert),
        "notice" => td_string!(locale, publishing.category_notice),
        "pattern" => td_string!(locale, publishing.category_pattern),
        "incident" => td_string!(locale, publishing.category_incident),
        _ => "?",
    }
}

fn status_word(code: &str, locale: Locale) -> &'static str {
    match code {
        "draft" => td_string!(locale, publishing.status_draft),
        "scheduled" => td_string!(locale, publishing.status_scheduled),
        "published" => td_string!(locale, publishing.status_published),
        "unpublished" => td_string!(locale, publishing.status_unpublished),
        _ => "?",
    }
}

fn language_word(code: &str, locale: Locale) -> &'static str {
    match code {
        "en" => td_string!(locale, publishing.language_en),
        _ => td_string!(locale, publishing.language_zh),
    }
}

fn state_word(code: &str, locale: Locale) -> &'static str {
    match code {
        "investigating" => td_string!(locale, publishing.state_investigating),
        "identified" => td_string!(locale, publishing.state_identified),
        "monitoring" => td_string!(locale, publishing.state_monitoring),
        "resolved" => td_string!(locale, publishing.state_resolved),
        _ => "?",
    }
}

const CATEGORIES: [&str; 4] = ["alert", "notice", "pattern", "incident"];
const STATUSES: [&str; 4] = ["draft", "scheduled", "published", "unpublished"];
const LANGUAGES: [&str; 2] = ["zh-TW", "en"];
const STATES: [&str; 4] = ["investigating", "identified", "monitoring", "resolved"];

fn notice_view(notice: Option<PublishingNotice>, locale: Locale) -> impl IntoView {
    notice.map(|n| {
        let words = match n {
            PublishingNotice::Created => td_string!(locale, publishing.notice_created).to_owned(),
            PublishingNotice::Saved => td_string!(locale, publishing.notice_saved).to_owned(),
            PublishingNotice::Previewed => td_string!(locale, publishing.notice_previewed).to_owned(),
            PublishingNotice::Published => td_string!(locale, publishing.notice_published).to_owned(),
            PublishingNotice::Scheduled(at) => {
                format!("{} {at}", td_string!(locale, publishing.notice_scheduled))
            }
            PublishingNotice::Waiting => td_string!(locale, publishing.notice_waiting).to_owned(),
            PublishingNotice::Unpublished => td_string!(locale, publishing.notice_unpublished).to_owned(),
            PublishingNotice::Pinned(true) => td_string!(locale, publishing.notice_pinned).to_owned(),
            PublishingNotice::Pinned(false) => td_string!(locale, publishing.notice_unpinned).to_owned(),
            PublishingNotice::Approved => td_string!(locale, publishing.notice_approved).to_owned(),
            PublishingNotice::Rejected => td_string!(locale, publishing.notice_rejected).to_owned(),
            PublishingNotice::UpdateAdded => td_string!(locale, publishing.notice_update).to_owned(),
            PublishingNotice::Restored(id) => {
                format!("{} {id}", td_string!(locale, publishing.notice_restored))
            }
            PublishingNotice::SecondApproval(true) => {
                td_string!(locale, publishing.notice_setting_on).to_owned()
            }
            PublishingNotice::SecondApproval(false) => {
                td_string!(locale, publishing.notice_setting_off).to_owned()
            }
            PublishingNotice::TemplateSaved => {
                td_string!(locale, publishing.notice_template_saved).to_owned()
            }
        };
        view! { <p class="notice" role="status">{words}</p> }
    })
}

fn problem_view(problem: Option<PublishingProblem>, locale: Locale) -> impl IntoView {
    problem.map(|p| {
        let words = match p {
            PublishingProblem::Refused(why) => {
                format!("{} {why}", td_string!(locale, publishing.problem_refused))
            }
            PublishingProblem::Stale(why) => {
                format!("{} {why}", td_string!(locale, publishing.problem_stale))
            }
            PublishingProblem::NotYourRole => td_string!(locale, publishing.problem_role).to_owned(),
            PublishingProblem::TooLarge => td_string!(locale, publishing.problem_too_large).to_owned(),
            PublishingProblem::BadForm => td_string!(locale, publishing.problem_bad_form).to_owned(),
            PublishingProblem::Unavailable => td_string!(locale, publishing.problem_unavailable).to_owned(),
        };
        view! { <p class="form-error" role="alert">{words}</p> }
    })
}

fn options(
    codes: &'static [&'static str],
    chosen: &str,
    word: fn(&str, Locale) -> &'static str,
    locale: Locale,
) -> impl IntoView {
    codes
        .iter()
        .map(|code| view! { <option value=*code selected=chosen == *code>{word(code, locale)}</option> })
        .collect_view()
}

fn bulletin_href(id: i64) -> String {
    format!("/console/bulletins/{id}")
}

/// `/console/bulletins`.
#[component]
pub fn BulletinsPage() -> impl IntoView {
    let locale = page_locale();
    let Some(StaffPage::Bulletins(data)) = staff_page() else {
        return view! { <StaffPageMissing/> }.into_any();
    };
    let BulletinsData {
        who,
        notice,
        problem,
        status,
        category,
        language,
        rows,
        waiting,
        templates,
        draft,
        can_publish,
        can_configure,
        second_approval,
    } = *data;
    let table_rows = rows
        .into_iter()
        .map(|r| {
            let title = if can_publish {
                view! { <a href=bulletin_href(r.id)>{r.title.clone()}</a> }.into_any()
            } else {
                view! { <span>{r.title.clone()}</span> }.into_any()
            };
            let mut marks = Vec::new();
            if r.pinned {
                marks.push(td_string!(locale, publishing.mark_pinned));
            }
            if r.pending {
                marks.push(td_string!(locale, publishing.mark_pending));
            }
            if r.waiting {
                marks.push(td_string!(locale, publishing.mark_waiting));
            }
            // Each cell names its column for the narrow layout, where the header is hidden.
            view! {
                <tr class="bulletin-row" data-status=r.status.clone()>
                    <td>{title}<br/><code>{format!("/bulletins/{}", r.slug)}</code></td>
                    <td data-label=td_string!(locale, publishing.field_language)>{language_word(&r.language, locale)}</td>
                    <td data-label=td_string!(locale, publishing.field_category)>{category_word(&r.category, locale)}</td>
                    <td data-label=td_string!(locale, publishing.field_status)>
                        <span class=format!("badge status-{}", r.status)>{status_word(&r.status, locale)}</span>
                        {r.publish_at.clone().map(|at| view! { <br/><span class="hint">{at}</span> })}
                    </td>
                    <td data-label=td_string!(locale, publishing.field_marks)>{marks.into_iter().map(|m| view! { <span class="tag">{m}</span>" " }).collect_view()}</td>
                    <td data-label=td_string!(locale, publishing.field_updated)>{r.updated.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let waiting_list = (!waiting.is_empty()).then(|| {
        let items = waiting
            .into_iter()
            .map(|w| {
                let when = w.publish_at.clone().unwrap_or_else(|| td_string!(locale, publishing.waiting_now).to_owned());
                view! {
                    <li>
                        {if can_publish {
                            view! { <a href=bulletin_href(w.bulletin_id)>{w.title.clone()}</a> }.into_any()
                        } else {
                            view! { <span>{w.title.clone()}</span> }.into_any()
                        }}
                        " · "{td_string!(locale, publishing.waiting_by)}" "{w.requester.clone()}" · "{w.requested_at.clone()}
                        " · "{td_string!(locale, publishing.waiting_when)}" "{when}
                    </li>
                }
            })
            .collect_view();
        view! {
            <section aria-labelledby="waiting-heading">
                <h2 id="waiting-heading">{td_string!(locale, publishing.waiting_heading)}</h2>
                <ul class="queue">{items}</ul>
            </section>
        }
    });
    let setting = can_configure.then(|| {
        view! {
            <section aria-labelledby="setting-heading">
                <h2 id="setting-heading">{td_string!(locale, publishing.setting_heading)}</h2>
                <p>{if second_approval { td_string!(locale, publishing.setting_is_on) } else { td_string!(locale, publishing.setting_is_off) }}</p>
                <form method="post" action="/console/bulletins/settings" class="staff-form">
                    <input type="hidden" name="second_approval" value=if second_approval { "off" } else { "on" }/>
                    <button type="submit">{if second_approval { td_string!(locale, publishing.setting_turn_off) } else { td_string!(locale, publishing.setting_turn_on) }}</button>
                </form>
            </section>
        }
    });
    let new_form = can_publish.then(|| view! { <NewBulletinForm draft templates locale/> });
    view! {
        <Title text=td_string!(locale, publishing.list_title).to_string()/>
        <StaffLayout who>
            <h1>{td_string!(locale, publishing.list_title)}</h1>
            {notice_view(notice, locale)}
            {problem_view(problem, locale)}
            <p><a href="/console/bulletins/templates">{td_string!(locale, publishing.templates_link)}</a></p>
            {waiting_list}
            <form method="get" action="/console/bulletins" class="filter-form staff-form">
                <div class="field">
                    <label for="filter-status">{td_string!(locale, publishing.field_status)}</label>
                    <select id="filter-status" name="status">
                        <option value="">{td_string!(locale, publishing.filter_all)}</option>
                        {options(&STATUSES, &status, status_word, locale)}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-category">{td_string!(locale, publishing.field_category)}</label>
                    <select id="filter-category" name="category">
                        <option value="">{td_string!(locale, publishing.filter_all)}</option>
                        {options(&CATEGORIES, &category, category_word, locale)}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-language">{td_string!(locale, publishing.field_language)}</label>
                    <select id="filter-language" name="language">
                        <option value="">{td_string!(locale, publishing.filter_all)}</option>
                        {options(&LANGUAGES, &language, language_word, locale)}
                    </select>
                </div>
                <button type="submit">{td_string!(locale, publishing.filter_button)}</button>
            </form>
            <div class="table-scroll">
                <table class="staff-table bulletins-table">
                    <thead>
                        <tr>
                            <th scope="col">{td_string!(locale, publishing.field_title)}</th>
                            <th scope="col">{td_string!(locale, publishing.field_language)}</th>
                            <th scope="col">{td_string!(locale, publishing.field_category)}</th>
                            <th scope="col">{td_string!(locale, publishing.field_status)}</th>
                            <th scope="col">{td_string!(locale, publishing.field_marks)}</th>
                            <th scope="col">{td_string!(locale, publishing.field_updated)}</th>
                        </tr>
                    </thead>
                    <tbody>{table_rows}</tbody>
                </table>
            </div>
            {new_form}
            {setting}
        </StaffLayout>
    }
    .into_any()
}

#[component]
fn NewBulletinForm(draft: DraftForm, templates: Vec<TemplateView>, locale: Locale) -> impl IntoView {
    let chosen = templates.iter().find(|t| t.id == draft.template).cloned();
    let template_options = templates
        .iter()
        .map(|t| view! { <option value=t.id.to_string() selected=t.id == draft.template>{t.name.clone()}</option> })
        .collect_view();
    let placeholder_inputs = draft
        .placeholders
        .iter()
        .map(|(name, value)| {
            let id = format!("ph-{name}");
            view! {
                <label for=id.clone()>{td_string!(locale, publishing.placeholder_label)}" "<code>{format!("{{{{{name}}}}}")}</code></label>
                <input id=id name=format!("ph_{name}") type="text" value=value.clone() maxlength="300"/>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="new-heading">
            <h2 id="new-heading">{td_string!(locale, publishing.new_heading)}</h2>
            <form method="get" action="/console/bulletins" class="staff-filter">
                <label for="from-template">{td_string!(locale, publishing.from_template)}</label>
                <select id="from-template" name="template">
                    <option value="0">{td_string!(locale, publishing.no_template)}</option>
                    {template_options}
                </select>
                <button type="submit">{td_string!(locale, publishing.use_template)}</button>
            </form>
            {chosen.map(|t| view! { <p class="hint">{td_string!(locale, publishing.template_chosen)}" "{t.name}</p> })}
            <form method="post" action="/console/bulletins/new" class="staff-form" id="new-bulletin">
                <input type="hidden" name="template" value=draft.template.to_string()/>
                {placeholder_inputs}
                <label for="new-title">{td_string!(locale, publishing.field_title)}</label>
                <input id="new-title" name="title" type="text" required maxlength="300" value=draft.title/>
                <label for="new-category">{td_string!(locale, publishing.field_category)}</label>
                <select id="new-category" name="category">{options(&CATEGORIES, &draft.category, category_word, locale)}</select>
                <label for="new-language">{td_string!(locale, publishing.field_language)}</label>
                <select id="new-language" name="language">{options(&LANGUAGES, &draft.language, language_word, locale)}</select>
                <label for="new-body">{td_string!(locale, publishing.field_body)}</label>
                <textarea id="new-body" name="body" rows="10">{textarea_text(&draft.body)}</textarea>
                <p class="hint">{td_string!(locale, publishing.body_hint)}</p>
                <label for="new-listed">{td_string!(locale, publishing.field_listed)}</label>
                <textarea id="new-listed" name="listed" rows="3" spellcheck="false">{textarea_text(&draft.listed)}</textarea>
                <p class="hint">{td_string!(locale, publishing.listed_hint)}</p>
                <label for="new-slug">{td_string!(locale, publishing.field_slug)}</label>
                <input id="new-slug" name="slug" type="text" maxlength="100" value=draft.slug autocapitalize="none" spellcheck="false"/>
                <p class="hint">{td_string!(locale, publishing.slug_hint)}</p>
                <label for="new-translation">{td_string!(locale, publishing.field_translation_of)}</label>
                <input id="new-translation" name="translation_of" type="text" maxlength="100" value=draft.translation_of autocapitalize="none" spellcheck="false"/>
                <p class="hint">{td_string!(locale, publishing.translation_hint)}</p>
                <button type="submit">{td_string!(locale, publishing.create_button)}</button>
            </form>
        </section>
    }
}

fn effect_words(effect: PublishEffect, locale: Locale) -> &'static str {
    match effect {
        PublishEffect::GoesLive => td_string!(locale, publishing.effect_live),
        PublishEffect::ChangeGoesLive => td_string!(locale, publishing.effect_change),
        PublishEffect::NeedsApproval => td_string!(locale, publishing.effect_approval),
        PublishEffect::NothingToPublish => td_string!(locale, publishing.effect_nothing),
    }
}

/// `/console/bulletins/{id}`.
#[component]
pub fn BulletinEditorPage() -> impl IntoView {
    let locale = page_locale();
    let Some(StaffPage::BulletinEditor(data)) = staff_page() else {
        return view! { <StaffPageMissing/> }.into_any();
    };
    let EditorData {
        who,
        notice,
        problem,
        id,
        slug,
        language,
        category,
        status,
        pinned,
        publish_at,
        incident,
        translation,
        opened_head,
        title,
        body,
        listed,
        pending,
        effect,
        waiting,
        own_request,
        second_approval,
        preview,
        unsaved_preview,
        timeline,
        update,
        schedule_at,
        meanwhile,
    } = *data;
    let action = move |what: &str| format!("/console/bulletins/{id}/{what}");
    let live = status == "published" || status == "scheduled";
    let waiting_box = waiting.map(|w| {
        let when = w.publish_at.clone().unwrap_or_else(|| td_string!(locale, publishing.waiting_now).to_owned());
        view! {
            <section class="evidence-item" aria-labelledby="request-heading">
                <h2 id="request-heading">{td_string!(locale, publishing.request_heading)}</h2>
                <p>{td_string!(locale, publishing.waiting_by)}" "<strong>{w.requester.clone()}</strong>" · "{w.requested_at.clone()}
                   " · "{td_string!(locale, publishing.waiting_when)}" "{when}</p>
                {if own_request {
                    view! { <p class="hint">{td_string!(locale, publishing.request_own)}</p> }.into_any()
                } else {
                    view! {
                        <form method="post" action=action("decide") class="staff-form">
                            <label for="decide-note">{td_string!(locale, publishing.decide_note)}</label>
                            <input id="decide-note" name="note" type="text" maxlength="1000"/>
                            <div class="decide">
                                <button type="submit" name="decision" value="approve">{td_string!(locale, publishing.approve_button)}</button>
                                <button type="submit" name="decision" value="reject">{td_string!(locale, publishing.reject_button)}</button>
                            </div>
                        </form>
                    }.into_any()
                }}
            </section>
        }
    });
    let meanwhile_box = meanwhile.map(|m| {
        view! {
            <section class="evidence-item" aria-labelledby="meanwhile-heading">
                <h2 id="meanwhile-heading">{td_string!(locale, publishing.meanwhile_heading)}</h2>
                <p>{m.author}" · "{m.saved_at}</p>
                <p><strong>{m.title}</strong></p>
                <pre class="pasted">{m.body}</pre>
                {(!m.listed.is_empty()).then(|| view! { <pre class="pasted">{m.listed.clone()}</pre> })}
            </section>
        }
    });
    let incident_box = incident.clone().map(|state| {
        let rows = timeline
            .into_iter()
            .map(|u| {
                view! {
                    <li>
                        <strong>{u.at}</strong>" "<span class=format!("badge state-{}", u.state)>{state_word(&u.state, locale)}</span>
                        {u.backdated.then(|| view! { " "<span class="tag">{td_string!(locale, publishing.backdated)}</span> })}
                        " "{u.text}" · "<span class="hint">{u.author}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section aria-labelledby="incident-heading">
                <h2 id="incident-heading">{td_string!(locale, publishing.incident_heading)}</h2>
                <p>{td_string!(locale, publishing.incident_state)}" "<span class=format!("badge state-{state}")>{state_word(&state, locale)}</span></p>
                <ol class="queue">{rows}</ol>
                <form method="post" action=action("incident") class="staff-form">
                    <label for="update-state">{td_string!(locale, publishing.update_state)}</label>
                    <select id="update-state" name="state">{options(&STATES, if update.state.is_empty() { &state } else { &update.state }, state_word, locale)}</select>
                    <label for="update-text">{td_string!(locale, publishing.update_text)}</label>
                    <textarea id="update-text" name="text" rows="3" maxlength="5000">{textarea_text(&update.text)}</textarea>
                    <label for="update-at">{td_string!(locale, publishing.update_at)}</label>
                    <input id="update-at" name="at" type="datetime-local" value=update.at/>
                    <p class="hint">{td_string!(locale, publishing.update_at_hint)}</p>
                    <button type="submit">{td_string!(locale, publishing.update_button)}</button>
                </form>
            </section>
        }
    });
    let preview_note = if unsaved_preview {
        td_string!(locale, publishing.preview_unsaved)
    } else {
        td_string!(locale, publishing.preview_saved)
    };
    view! {
        <StaffLayout who>
            <p><a href="/console/bulletins">{td_string!(locale, publishing.back_to_list)}</a></p>
            <h1>{td_string!(locale, publishing.editor_title)}</h1>
            {notice_view(notice, locale)}
            {problem_view(problem, locale)}
            <dl class="evidence-list">
                <dt>{td_string!(locale, publishing.field_address)}</dt><dd><code>{format!("/bulletins/{slug}")}</code></dd>
                <dt>{td_string!(locale, publishing.field_status)}</dt>
                <dd>
                    <span class=format!("badge status-{status}")>{status_word(&status, locale)}</span>
                    {publish_at.clone().map(|at| view! { " · "{at}" "{td_string!(locale, publishing.taiwan_time)} })}
                    {pending.then(|| view! { " "<span class="tag">{td_string!(locale, publishing.mark_pending)}</span> })}
                    {pinned.then(|| view! { " "<span class="tag">{td_string!(locale, publishing.mark_pinned)}</span> })}
                </dd>
                <dt>{td_string!(locale, publishing.field_category)}</dt><dd>{category_word(&category, locale)}</dd>
                <dt>{td_string!(locale, publishing.field_language)}</dt><dd>{language_word(&language, locale)}</dd>
                {translation.map(|(tid, tslug, tlang)| view! {
                    <dt>{td_string!(locale, publishing.field_translation)}</dt>
                    <dd><a href=bulletin_href(tid)>{format!("/bulletins/{tslug}")}</a>" ("{language_word(&tlang, locale)}")"</dd>
                })}
                <dt>{td_string!(locale, publishing.field_effect)}</dt>
                <dd>{effect_words(effect, locale)}{second_approval.then(|| view! { " "{td_string!(locale, publishing.setting_is_on)} })}</dd>
            </dl>
            <p><a href=action("revisions")>{td_string!(locale, publishing.revisions_link)}</a></p>
            {waiting_box}
            {meanwhile_box}
            <form method="post" action=action("save") class="staff-form editor-form" id="bulletin-editor">
                <input type="hidden" name="opened_head" value=opened_head.to_string()/>
                <label for="bulletin-title">{td_string!(locale, publishing.field_title)}</label>
                <input id="bulletin-title" name="title" type="text" required maxlength="300" value=title/>
                <label for="bulletin-body">{td_string!(locale, publishing.field_body)}</label>
                <textarea id="bulletin-body" name="body" rows="16">{textarea_text(&body)}</textarea>
                <p class="hint">{td_string!(locale, publishing.body_hint)}</p>
                <label for="bulletin-listed">{td_string!(locale, publishing.field_listed)}</label>
                <textarea id="bulletin-listed" name="listed" rows="3" spellcheck="false">{textarea_text(&listed)}</textarea>
                <p class="hint">{td_string!(locale, publishing.listed_hint)}</p>
                <div class="decide">
                    <button type="submit">{td_string!(locale, publishing.save_button)}</button>
                    <button type="submit" formaction=action("preview") class="secondary-button">{td_string!(locale, publishing.preview_button)}</button>
                </div>
            </form>
            <section aria-labelledby="publish-heading">
                <h2 id="publish-heading">{td_string!(locale, publishing.publish_heading)}</h2>
                <p class="hint">{td_string!(locale, publishing.publish_saved_only)}</p>
                <form method="post" action=action("publish") class="staff-form">
                    <button type="submit">{td_string!(locale, publishing.publish_button)}</button>
                </form>
                <form method="post" action=action("schedule") class="staff-form">
                    <label for="schedule-at">{td_string!(locale, publishing.schedule_at)}</label>
                    <input id="schedule-at" name="at" type="datetime-local" required value=schedule_at/>
                    <p class="hint">{td_string!(locale, publishing.schedule_hint)}</p>
                    <button type="submit">{td_string!(locale, publishing.schedule_button)}</button>
                </form>
                {live.then(|| view! {
                    <form method="post" action=action("unpublish") class="staff-form">
                        <button type="submit">{td_string!(locale, publishing.unpublish_button)}</button>
                    </form>
                })}
                <form method="post" action=action("pin") class="staff-form">
                    <input type="hidden" name="pinned" value=if pinned { "off" } else { "on" }/>
                    <button type="submit">{if pinned { td_string!(locale, publishing.unpin_button) } else { td_string!(locale, publishing.pin_button) }}</button>
                </form>
            </section>
            {incident_box}
            <section aria-labelledby="preview-heading" class="bulletin-preview">
                <h2 id="preview-heading">{td_string!(locale, publishing.preview_heading)}</h2>
                <p class="hint">{preview_note}</p>
                <LivePreview bulletin_id=id locale/>
                <div id="bulletin-preview" class="preview-box">
                    <BulletinArticle article=preview/>
                </div>
            </section>
        </StaffLayout>
        // After the article, whose own title is the bulletin's: this page's title wins.
        <Title text=td_string!(locale, publishing.editor_title).to_string()/>
    }
    .into_any()
}

/// The live preview: once the page is interactive, it sends the editor's title, text and
/// listed sites to `/console/bulletins/{id}/preview-fragment` 400 ms after the last
/// keystroke and puts the answer (the public component, rendered on the server) in the
/// preview box. Its props carry no text, so no Markdown goes into the page's scripts.
#[island]
pub fn LivePreview(bulletin_id: i64, locale: Locale) -> impl IntoView {
    let ready = RwSignal::new(false);
    Effect::new(move || {
        #[cfg(feature = "hydrate")]
        live::watch(bulletin_id);
        #[cfg(not(feature = "hydrate"))]
        let _ = bulletin_id;
        ready.set(true);
    });
    view! {
        <p class="hint live-preview-note" hidden=move || !ready.get() data-live=move || ready.get().to_string()>
            {td_string!(locale, publishing.preview_live)}
        </p>
    }
}

#[cfg(feature = "hydrate")]
mod live {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use std::time::Duration;

    use leptos::prelude::{set_timeout_with_handle, TimeoutHandle};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    /// Listens to the editor's form and sends its text for a preview after a pause.
    pub fn watch(id: i64) {
        let Some(form) =
            web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("bulletin-editor"))
        else {
            return;
        };
        let pending: Rc<RefCell<Option<TimeoutHandle>>> = Rc::new(RefCell::new(None));
        // Only the answer to the newest request is shown.
        let sent = Rc::new(Cell::new(0u32));
        let on_input = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            if let Some(handle) = pending.borrow_mut().take() {
                handle.clear();
            }
            let sent = sent.clone();
            let handle = set_timeout_with_handle(
                move || {
                    sent.set(sent.get().wrapping_add(1));
                    send(id, sent.clone(), sent.get());
                },
                Duration::from_millis(400),
            )
            .ok();
            *pending.borrow_mut() = handle;
        });
        let _ = form.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref());
        on_input.forget();
    }

    fn value_of(document: &web_sys::Document, id: &str) -> String {
        let Some(element) = document.get_element_by_id(id) else { return String::new() };
        if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
            return input.value();
        }
        element.dyn_ref::<web_sys::HtmlTextAreaElement>().map(|t| t.value()).unwrap_or_default()
    }

    fn send(id: i64, latest: Rc<Cell<u32>>, this: u32) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        let Ok(params) = web_sys::UrlSearchParams::new() else { return };
        params.append("title", &value_of(&document, "bulletin-title"));
        params.append("body", &value_of(&document, "bulletin-body"));
        params.append("listed", &value_of(&document, "bulletin-listed"));
        let Ok(xhr) = web_sys::XmlHttpRequest::new() else { return };
        if xhr.open("POST", &format!("/console/bulletins/{id}/preview-fragment")).is_err() {
            return;
        }
        let _ = xhr.set_request_header("Content-Type", "application/x-www-form-urlencoded");
        let answer = xhr.clone();
        let on_load = Closure::once(move || {
            if latest.get() != this || answer.status().ok() != Some(200) {
                return;
            }
            let (Ok(Some(html)), Some(document)) =
                (answer.response_text(), web_sys::window().and_then(|w| w.document()))
            else {
                return;
            };
            if let Some(preview) = document.get_element_by_id("bulletin-preview") {
                preview.set_inner_html(&html);
            }
        });
        xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
        on_load.forget();
        let body: String = params.to_string().into();
        let _ = xhr.send_with_opt_str(Some(&body));
    }
}

/// `/console/bulletins/{id}/revisions`.
#[component]
pub fn BulletinRevisionsPage() -> impl IntoView {
    let locale = page_locale();
    let Some(StaffPage::BulletinRevisions(data)) = staff_page() else {
        return view! { <StaffPageMissing/> }.into_any();
    };
    let RevisionsData { who, notice, problem, id, slug, title, head, revisions, compare } = *data;
    let rows = revisions
        .into_iter()
        .map(|r| {
            let is_head = r.id == head;
            view! {
                <tr class:current=is_head>
                    <td>{r.id}{is_head.then(|| view! { " "<span class="tag">{td_string!(locale, publishing.revision_head)}</span> })}</td>
                    <td>{r.author}</td>
                    <td>{r.saved_at}</td>
                    <td>{r.restored_from.map(|f| format!("{} {f}", td_string!(locale, publishing.restored_from)))}</td>
                    <td>{r.title}</td>
                    <td>{(!is_head).then(|| view! {
                        <a href=format!("/console/bulletins/{id}/revisions?compare={}", r.id)>{td_string!(locale, publishing.compare_link)}</a>
                    })}</td>
                </tr>
            }
        })
        .collect_view();
    let comparison = compare.map(|(rev, diff)| {
        let lines = diff
            .into_iter()
            .map(|d| {
                let kind = d.kind();
                view! {
                    <tr class=format!("diff-{kind}")>
                        <td>{d.left.clone().unwrap_or_default()}</td>
                        <td>{d.right.clone().unwrap_or_default()}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section aria-labelledby="compare-heading">
                <h2 id="compare-heading">{td_string!(locale, publishing.compare_heading)}" "{rev}" ↔ "{head}</h2>
                <p class="hint">{td_string!(locale, publishing.compare_hint)}</p>
                <div class="table-scroll">
                    <table class="staff-table diff-table">
                        <thead><tr>
                            <th scope="col">{td_string!(locale, publishing.compare_old)}" "{rev}</th>
                            <th scope="col">{td_string!(locale, publishing.compare_new)}" "{head}</th>
                        </tr></thead>
                        <tbody>{lines}</tbody>
                    </table>
                </div>
                <form method="post" action=format!("/console/bulletins/{id}/restore") class="staff-form">
                    <input type="hidden" name="revision" value=rev.to_string()/>
                    <input type="hidden" name="opened_head" value=head.to_string()/>
                    <button type="submit">{td_string!(locale, publishing.restore_button)}" "{rev}</button>
                </form>
            </section>
        }
    });
    view! {
        <Title text=td_string!(locale, publishing.revisions_title).to_string()/>
        <StaffLayout who>
            <p><a href=bulletin_href(id)>{td_string!(locale, publishing.back_to_editor)}</a></p>
            <h1>{td_string!(locale, publishing.revisions_title)}</h1>
            <p>{title}" · "<code>{format!("/bulletins/{slug}")}</code></p>
            {notice_view(notice, locale)}
            {problem_view(problem, locale)}
            {comparison}
            <div class="table-scroll">
                <table class="staff-table">
                    <thead><tr>
                        <th scope="col">{td_string!(locale, publishing.revision_number)}</th>
                        <th scope="col">{td_string!(locale, publishing.revision_author)}</th>
                        <th scope="col">{td_string!(locale, publishing.revision_time)}</th>
                        <th scope="col">{td_string!(locale, publishing.revision_origin)}</th>
                        <th scope="col">{td_string!(locale, publishing.field_title)}</th>
                        <th scope="col"><span class="visually-hidden">{td_string!(locale, publishing.compare_link)}</span></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </StaffLayout>
    }
    .into_any()
}

/// `/console/bulletins/templates` and `/console/bulletins/templates/{id}`.
#[component]
pub fn BulletinTemplatesPage() -> impl IntoView {
    let locale = page_locale();
    let Some(StaffPage::BulletinTemplates(data)) = staff_page() else {
        return view! { <StaffPageMissing/> }.into_any();
    };
    let TemplatesData { who, notice, problem, templates, chosen, form, editable, can_publish } = *data;
    let cards = templates
        .into_iter()
        .map(|t| {
            let open = t.id == chosen;
            let placeholders = t.placeholders.iter().map(|p| format!("{{{{{p}}}}}")).collect::<Vec<_>>().join(" ");
            view! {
                <li class="evidence-item template-card">
                    <h3><a href=format!("/console/bulletins/templates/{}", t.id)>{t.name.clone()}</a></h3>
                    <p class="hint">{category_word(&t.category, locale)}" · "{language_word(&t.language, locale)}" · "{t.updated_by.clone()}" · "{t.updated_at.clone()}</p>
                    {(!placeholders.is_empty()).then(|| view! { <p>{td_string!(locale, publishing.template_placeholders)}" "<code>{placeholders.clone()}</code></p> })}
                    {open.then(|| view! { <p><strong>{t.title.clone()}</strong></p><pre class="pasted">{t.body.clone()}</pre> })}
                    {can_publish.then(|| view! {
                        <p><a href=format!("/console/bulletins?template={}#new-heading", t.id)>{td_string!(locale, publishing.use_template)}</a></p>
                    })}
                </li>
            }
        })
        .collect_view();
    let editor = editable.then(|| {
        let action = if form.id == 0 {
            "/console/bulletins/templates".to_owned()
        } else {
            format!("/console/bulletins/templates/{}", form.id)
        };
        let heading =
            if form.id == 0 { td_string!(locale, publishing.template_new) } else { td_string!(locale, publishing.template_edit) };
        view! {
            <section aria-labelledby="template-form-heading">
                <h2 id="template-form-heading">{heading}</h2>
                <form method="post" action=action class="staff-form">
                    <label for="template-name">{td_string!(locale, publishing.template_name)}</label>
                    <input id="template-name" name="name" type="text" required maxlength="100" value=form.name/>
                    <label for="template-category">{td_string!(locale, publishing.field_category)}</label>
                    <select id="template-category" name="category">{options(&CATEGORIES, &form.category, category_word, locale)}</select>
                    <label for="template-language">{td_string!(locale, publishing.field_language)}</label>
                    <select id="template-language" name="language">{options(&LANGUAGES, &form.language, language_word, locale)}</select>
                    <label for="template-title">{td_string!(locale, publishing.field_title)}</label>
                    <input id="template-title" name="title" type="text" required maxlength="300" value=form.title/>
                    <label for="template-body">{td_string!(locale, publishing.field_body)}</label>
                    <textarea id="template-body" name="body" rows="10">{textarea_text(&form.body)}</textarea>
                    <p class="hint">{td_string!(locale, publishing.template_hint)}" "<code>"{{fake_host}}"</code></p>
                    <button type="submit">{td_string!(locale, publishing.template_save)}</button>
                </form>
                {(chosen != 0).then(|| view! { <p><a href="/console/bulletins/templates">{td_string!(locale, publishing.template_new)}</a></p> })}
            </section>
        }
    });
    view! {
        <Title text=td_string!(locale, publishing.templates_title).to_string()/>
        <StaffLayout who>
            <p><a href="/console/bulletins">{td_string!(locale, publishing.back_to_list)}</a></p>
            <h1>{td_string!(locale, publishing.templates_title)}</h1>
            {notice_view(notice, locale)}
            {problem_view(problem, locale)}
            <ul class="script-list">{cards}</ul>
            {editor}
        </StaffLayout>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_notice_reads_back_from_its_done_code() {
        for notice in [
            PublishingNotice::Created,
            PublishingNotice::Saved,
            PublishingNotice::Previewed,
            PublishingNotice::Published,
            PublishingNotice::Scheduled("2026-12-05 09:00".into()),
            PublishingNotice::Waiting,
            PublishingNotice::Unpublished,
            PublishingNotice::Pinned(true),
            PublishingNotice::Pinned(false),
            PublishingNotice::Approved,
            PublishingNotice::Rejected,
            PublishingNotice::UpdateAdded,
            PublishingNotice::Restored(12),
            PublishingNotice::SecondApproval(true),
            PublishingNotice::SecondApproval(false),
            PublishingNotice::TemplateSaved,
        ] {
            let code = notice.done_code();
            assert_eq!(PublishingNotice::from_done(&code, Some("2026-12-05 09:00")), Some(notice), "{code}");
        }
    }

    #[test]
    fn an_unknown_done_code_or_a_schedule_without_a_time_says_nothing() {
        for code in ["", "deleted", "restored-", "restored-x", "scheduled"] {
            assert_eq!(PublishingNotice::from_done(code, None), None, "{code}");
        }
    }

    fn row(left: Option<&str>, right: Option<&str>) -> DiffRow {
        DiffRow { left: left.map(str::to_owned), right: right.map(str::to_owned) }
    }

    #[test]
    fn a_text_in_a_box_cannot_close_the_box() {
        assert_eq!(
            textarea_text("a</textarea><script>x</script>"),
            "a&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(textarea_text("&amp; 證券"), "&amp;amp; 證券");
        assert_eq!(textarea_text("\nfirst"), "\n\nfirst");
    }

    #[test]
    fn the_same_text_compares_line_for_line() {
        assert_eq!(line_diff("a\nb", "a\nb"), vec![row(Some("a"), Some("a")), row(Some("b"), Some("b"))]);
    }

    #[test]
    fn a_changed_line_sits_beside_the_line_it_replaced() {
        let diff = line_diff("標題\n舊的一行\n結尾", "標題\n新的一行\n結尾");
        assert_eq!(
            diff,
            vec![
                row(Some("標題"), Some("標題")),
                row(Some("舊的一行"), Some("新的一行")),
                row(Some("結尾"), Some("結尾"))
            ]
        );
        assert_eq!(diff[1].kind(), "changed");
    }

    #[test]
    fn an_added_and_a_removed_line_show_on_their_own_side() {
        let diff = line_diff("a\nb\nc", "a\nc\nd");
        assert_eq!(
            diff,
            vec![
                row(Some("a"), Some("a")),
                row(Some("b"), None),
                row(Some("c"), Some("c")),
                row(None, Some("d"))
            ]
        );
        assert_eq!(diff[1].kind(), "removed");
        assert_eq!(diff[3].kind(), "added");
    }

    #[test]
    fn an_empty_side_compares_with_everything_added_or_removed() {
        assert_eq!(line_diff("", "x"), vec![row(None, Some("x"))]);
        assert_eq!(line_diff("x", ""), vec![row(Some("x"), None)]);
        assert!(line_diff("", "").is_empty());
    }

    #[test]
    fn a_huge_comparison_stays_bounded_and_keeps_every_line() {
        let old: String = (0..3000).map(|n| format!("old {n}\n")).collect();
        let new: String = (0..3000).map(|n| format!("new {n}\n")).collect();
        let diff = line_diff(&format!("top\n{old}end"), &format!("top\n{new}end"));
        assert_eq!(diff.len(), 3002);
        assert_eq!(diff[0], row(Some("top"), Some("top")));
        assert_eq!(diff[1], row(Some("old 0"), Some("new 0")));
        assert_eq!(diff[3001], row(Some("end"), Some("end")));
    }
}
