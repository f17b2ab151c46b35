//! `/console/takedowns` (analysts, admins): the takedown database searched, filtered, sorted
//! and paged on the server; a selection or every entry on one hosting IP (a campaign) moved
//! to a status at once; and one entry with its whole dated history, edited.

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

use super::{staff_page, Badge, StaffLayout, StaffPage, StaffPageMissing};
use crate::i18n::Locale;
use crate::locale::page_locale;
use crate::lookup::wording::status_label;

/// The statuses an analyst can choose, in lifecycle order.
pub const STATUSES: [&str; 8] = [
    "detected",
    "reported",
    "takedown_requested",
    "taken_down",
    "monitoring",
    "reactivated",
    "false_positive",
    "withdrawn",
];

/// The sources an entry can come from.
pub const SOURCES: [&str; 5] = ["vendor_feed", "open_data_165", "escalation", "public_report", "manual"];

/// One entry as the list shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntryRow {
    pub id: i64,
    pub scope: String,
    pub target: String,
    pub status: String,
    pub source: String,
    pub vendor: String,
    pub hosting_ip: String,
    pub alert_id: String,
    pub case_id: String,
    pub brand: String,
    pub first_seen: String,
    pub last_seen: String,
    pub report_count: i64,
    pub listed_on: String,
    pub removed: bool,
}

/// What the list was asked for (echoed into the filter form and the page links).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub q: String,
    pub status: String,
    pub source: String,
    pub vendor: String,
    pub ip: String,
    pub sort: String,
    pub descending: bool,
    pub removed: bool,
}

impl ListFilter {
    /// The query string of this filter on page `page`.
    pub fn query(&self, page: i64) -> String {
        let pairs = [
            ("q", self.q.as_str()),
            ("status", &self.status),
            ("source", &self.source),
            ("vendor", &self.vendor),
            ("ip", &self.ip),
            ("sort", &self.sort),
            ("dir", if self.descending { "desc" } else { "asc" }),
            ("removed", if self.removed { "on" } else { "" }),
        ];
        let mut query: Vec<String> = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| {
                format!(
                    "{k}={}",
                    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
                )
            })
            .collect();
        query.push(format!("page={page}"));
        query.join("&")
    }
}

/// What the last action on the list did.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ListNotice {
    /// Entries moved to a status: how many, and the new data version.
    Changed { count: usize, version: i64 },
    /// Nothing changed (nothing selected, or already so).
    Nothing,
    /// The request could not be done (a plain sentence in both languages from the server).
    Problem(String),
}

/// The list page's data.
#[derive(Clone, Debug, Default)]
pub struct TakedownsData {
    pub who: Badge,
    pub rows: Vec<EntryRow>,
    pub total: i64,
    /// More than `total` match (the count stops past the deepest page).
    pub more: bool,
    pub page: i64,
    pub per_page: i64,
    pub filter: ListFilter,
    pub notice: Option<ListNotice>,
}

/// One step of an entry's history.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepRow {
    pub status: String,
    pub happened_on: String,
    pub actor: String,
    pub note: String,
}

/// The entry page's data.
#[derive(Clone, Debug, Default)]
pub struct EntryData {
    pub who: Badge,
    pub entry: EntryRow,
    pub url: String,
    pub notes: String,
    pub steps: Vec<StepRow>,
    pub notice: Option<ListNotice>,
}

/// A status code in words (the public wording, which staff share with customers).
pub fn status_words(code: &str, locale: Locale) -> String {
    engine::TakedownStatus::parse(code)
        .map_or_else(|| code.to_owned(), |s| status_label(s, locale).to_owned())
}

fn source_words(code: &str, locale: Locale) -> &'static str {
    match code {
        "vendor_feed" => td_string!(locale, security.source_vendor_feed),
        "open_data_165" => td_string!(locale, security.source_open_data_165),
        "escalation" => td_string!(locale, security.source_escalation),
        "public_report" => td_string!(locale, security.source_public_report),
        _ => td_string!(locale, security.source_manual),
    }
}

fn notice_view(notice: Option<ListNotice>, locale: Locale) -> impl IntoView {
    notice.map(|n| match n {
        ListNotice::Changed { count, version } => view! {
            <p class="notice" role="status">{td_string!(locale, security.changed_entries, count = count, version = version)}</p>
        }
        .into_any(),
        ListNotice::Nothing => {
            view! { <p class="notice" role="status">{td_string!(locale, security.changed_nothing)}</p> }.into_any()
        }
        ListNotice::Problem(text) => view! { <p class="form-error" role="alert">{text}</p> }.into_any(),
    })
}

/// The status choice and the note that go with a change of status.
fn status_fields(locale: Locale, prefix: &'static str, current: &str) -> impl IntoView {
    let options = STATUSES
        .into_iter()
        .map(|s| {
            let selected = s == current;
            view! { <option value=s selected=selected>{status_words(s, locale)}</option> }
        })
        .collect_view();
    view! {
        <label for=format!("{prefix}-status")>{td_string!(locale, security.new_status)}</label>
        <select id=format!("{prefix}-status") name="status" required>{options}</select>
        <label for=format!("{prefix}-note")>{td_string!(locale, security.step_note)}</label>
        <input id=format!("{prefix}-note") name="note" type="text" maxlength="1000"/>
    }
}

/// `/console/takedowns`.
#[component]
pub fn TakedownsPage() -> impl IntoView {
    let locale = page_locale();
    let Some(StaffPage::Takedowns(data)) = staff_page() else {
        return view! { <StaffPageMissing/> }.into_any();
    };
    let TakedownsData { who, rows, total, more, page, per_page, filter, notice } = *data;
    let status_options = STATUSES
        .into_iter()
        .map(|s| {
            let selected = s == filter.status;
            view! { <option value=s selected=selected>{status_words(s, locale)}</option> }
        })
        .collect_view();
    let source_options = SOURCES
        .into_iter()
        .map(|s| {
            let selected = s == filter.source;
            view! { <option value=s selected=selected>{source_words(s, locale)}</option> }
        })
        .collect_view();
    let sort_options = [
        ("listed", td_string!(locale, security.sort_listed)),
        ("last_seen", td_string!(locale, security.sort_last_seen)),
        ("first_seen", td_string!(locale, security.sort_first_seen)),
        ("reports", td_string!(locale, security.sort_reports)),
        ("target", td_string!(locale, security.sort_target)),
    ]
    .into_iter()
    .map(|(code, words)| {
        let selected = code == filter.sort;
        view! { <option value=code selected=selected>{words}</option> }
    })
    .collect_view();
    let pages = (total + per_page - 1) / per_page.max(1);
    let previous = (page > 1).then(|| {
        view! { <a rel="prev" href=format!("/console/takedowns?{}", filter.query(page - 1))>{td_string!(locale, security.previous_page)}</a> }
    });
    let next = (page < pages).then(|| {
        view! { <a rel="next" href=format!("/console/takedowns?{}", filter.query(page + 1))>{td_string!(locale, security.next_page)}</a> }
    });
    // Past the count's limit the number would be wrong, and the form could not move them all.
    let campaign = (!filter.ip.is_empty() && total > 0 && !more).then(|| {
        let ip = filter.ip.clone();
        view! {
            <form method="post" action="/console/takedowns/status" class="staff-form campaign-form">
                <h2>{td_string!(locale, security.campaign_heading, ip = ip.clone(), count = total)}</h2>
                <input type="hidden" name="campaign_ip" value=ip/>
                {status_fields(locale, "campaign", "")}
                <button type="submit">{td_string!(locale, security.campaign_apply)}</button>
            </form>
        }
    });
    let body = rows
        .into_iter()
        .map(|r| {
            let ip_link = (!r.hosting_ip.is_empty()).then(|| {
                let href = format!("/console/takedowns?ip={}", r.hosting_ip);
                view! { <a href=href>{r.hosting_ip.clone()}</a> }
            });
            let ids = [r.alert_id.clone(), r.case_id.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ");
            let label = td_string!(locale, security.select_entry, target = r.target.clone()).to_string();
            view! {
                <tr class:removed=r.removed>
                    <td><input type="checkbox" name="id" value=r.id.to_string() aria-label=label/></td>
                    <td><a href=format!("/console/takedowns/{}", r.id)><code>{r.target.clone()}</code></a>
                        {r.removed.then(|| view! { " " <span class="tag">{td_string!(locale, security.removed_tag)}</span> })}</td>
                    <td>{status_words(&r.status, locale)}</td>
                    <td>{source_words(&r.source, locale)}{(!r.vendor.is_empty()).then(|| format!(" · {}", r.vendor))}</td>
                    <td>{ids}</td>
                    <td>{ip_link}</td>
                    <td>{r.first_seen.clone()}" – "{r.last_seen.clone()}</td>
                    <td class="number">{r.report_count}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <Title text=td_string!(locale, security.takedowns_title).to_string()/>
        <StaffLayout who>
            <h1>{td_string!(locale, security.takedowns_title)}</h1>
            {notice_view(notice, locale)}
            <p><a href="/console/takedowns/campaigns">{td_string!(locale, security.campaigns_link)}</a></p>
            <form method="get" action="/console/takedowns" class="staff-form filter-form" role="search">
                <div class="field">
                    <label for="td-q">{td_string!(locale, security.search_label)}</label>
                    <input id="td-q" name="q" type="search" value=filter.q.clone() maxlength="300" spellcheck="false" autocapitalize="none"/>
                </div>
                <div class="field">
                    <label for="td-status">{td_string!(locale, security.status_label)}</label>
                    <select id="td-status" name="status"><option value="">{td_string!(locale, security.any)}</option>{status_options}</select>
                </div>
                <div class="field">
                    <label for="td-source">{td_string!(locale, security.source_label)}</label>
                    <select id="td-source" name="source"><option value="">{td_string!(locale, security.any)}</option>{source_options}</select>
                </div>
                <div class="field">
                    <label for="td-vendor">{td_string!(locale, security.vendor_label)}</label>
                    <input id="td-vendor" name="vendor" type="text" value=filter.vendor.clone() maxlength="100"/>
                </div>
                <div class="field">
                    <label for="td-ip">{td_string!(locale, security.ip_label)}</label>
                    <input id="td-ip" name="ip" type="text" value=filter.ip.clone() maxlength="45"/>
                </div>
                <div class="field">
                    <label for="td-sort">{td_string!(locale, security.sort_label)}</label>
                    <select id="td-sort" name="sort">{sort_options}</select>
                </div>
                <div class="field">
                    <label for="td-dir">{td_string!(locale, security.direction_label)}</label>
                    <select id="td-dir" name="dir">
                        <option value="desc" selected=filter.descending>{td_string!(locale, security.descending)}</option>
                        <option value="asc" selected=!filter.descending>{td_string!(locale, security.ascending)}</option>
                    </select>
                </div>
                <span class="role-box">
                    <input id="td-removed" name="removed" type="checkbox" checked=filter.removed/>
                    <label for="td-removed">{td_string!(locale, security.include_removed)}</label>
                </span>
                <button type="submit">{td_string!(locale, security.search_button)}</button>
            </form>
            <p role="status">
                {if more {
                    td_string!(locale, security.found_more, count = total, page = page, pages = pages.max(1))
                } else {
                    td_string!(locale, security.found, count = total, page = page, pages = pages.max(1))
                }}
            </p>
            {campaign}
            <form method="post" action="/console/takedowns/status" class="selection-form">
                <div class="table-scroll">
                    <table class="staff-table">
                        <caption class="visually-hidden">{td_string!(locale, security.takedowns_title)}</caption>
                        <thead><tr>
                            <th scope="col"><span class="visually-hidden">{td_string!(locale, security.select_heading)}</span></th>
                            <th scope="col">{td_string!(locale, security.col_target)}</th>
                            <th scope="col">{td_string!(locale, security.status_label)}</th>
                            <th scope="col">{td_string!(locale, security.source_label)}</th>
                            <th scope="col">{td_string!(locale, security.col_ids)}</th>
                            <th scope="col">{td_string!(locale, security.ip_label)}</th>
                            <th scope="col">{td_string!(locale, security.col_seen)}</th>
                            <th scope="col">{td_string!(locale, security.col_reports)}</th>
                        </tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
                <fieldset class="staff-form">
                    <legend>{td_string!(locale, security.selection_legend)}</legend>
                    {status_fields(locale, "selection", "")}
                    <button type="submit">{td_string!(locale, security.selection_apply)}</button>
                </fieldset>
            </form>
            <nav class="pager" aria-label=td_string!(locale, security.pages_label)>{previous}" "{next}</nav>
        </StaffLayout>
    }
    .into_any()
}

/// `/console/takedowns/{id}`.
#[component]
pub fn TakedownEntryPage() -> impl IntoView {
    let locale = page_locale();
    let Some(StaffPage::TakedownEntry(data)) = staff_page() else {
        return view! { <StaffPageMissing/> }.into_any();
    };
    let EntryData { who, entry, url, notes, steps, notice } = *data;
    let steps = steps
        .into_iter()
        .map(|s| {
            view! {
                <tr>
                    <td>{s.happened_on}</td>
                    <td>{status_words(&s.status, locale)}</td>
                    <td>{s.actor}</td>
                    <td>{s.note}</td>
                </tr>
            }
        })
        .collect_view();
    let action = format!("/console/takedowns/{}", entry.id);
    let fields = [
        (td_string!(locale, security.col_target), entry.target.clone()),
        (td_string!(locale, security.scope_label), entry.scope.clone()),
        (td_string!(locale, security.url_label), crate::lookup::wording::defanged(&url)),
        (td_string!(locale, security.source_label), source_words(&entry.source, locale).to_owned()),
        (td_string!(locale, security.vendor_label), entry.vendor.clone()),
        (td_string!(locale, security.col_ids), format!("{} {}", entry.alert_id, entry.case_id)),
        (td_string!(locale, security.ip_label), entry.hosting_ip.clone()),
        (td_string!(locale, security.brand_label), entry.brand.clone()),
        (td_string!(locale, security.col_seen), format!("{} – {}", entry.first_seen, entry.last_seen)),
        (td_string!(locale, security.col_reports), entry.report_count.to_string()),
        (td_string!(locale, security.listed_label), entry.listed_on.clone()),
    ]
    .into_iter()
    .map(|(term, value)| view! { <dt>{term}</dt><dd>{value}</dd> })
    .collect_view();
    view! {
        <Title text=entry.target.clone()/>
        <StaffLayout who>
            <p><a href="/console/takedowns">{td_string!(locale, security.back_to_list)}</a></p>
            <h1><code>{entry.target.clone()}</code></h1>
            {notice_view(notice, locale)}
            <p>{td_string!(locale, security.status_label)}": "<strong>{status_words(&entry.status, locale)}</strong>
                {entry.removed.then(|| view! { " " <span class="tag">{td_string!(locale, security.removed_tag)}</span> })}</p>
            <dl class="evidence-list">{fields}</dl>
            <section aria-labelledby="steps-heading">
                <h2 id="steps-heading">{td_string!(locale, security.history_heading)}</h2>
                <div class="table-scroll">
                    <table class="staff-table">
                        <thead><tr>
                            <th scope="col">{td_string!(locale, security.col_date)}</th>
                            <th scope="col">{td_string!(locale, security.status_label)}</th>
                            <th scope="col">{td_string!(locale, security.col_who)}</th>
                            <th scope="col">{td_string!(locale, security.step_note)}</th>
                        </tr></thead>
                        <tbody>{steps}</tbody>
                    </table>
                </div>
            </section>
            {(!entry.removed).then(|| view! {
                <form method="post" action=action class="staff-form">
                    <h2>{td_string!(locale, security.edit_heading)}</h2>
                    {status_fields(locale, "entry", &entry.status)}
                    <label for="entry-notes">{td_string!(locale, security.notes_label)}</label>
                    <textarea id="entry-notes" name="notes" maxlength="4000" rows="4">{crate::safe_text::textarea_text(&notes)}</textarea>
                    <button type="submit">{td_string!(locale, security.save_entry)}</button>
                </form>
            })}
        </StaffLayout>
    }
    .into_any()
}
