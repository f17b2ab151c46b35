//! `/console/takedowns/campaigns` (analysts, admins): the takedown entries grouped into
//! campaigns (a shared hosting IP, name pattern or path pattern), each group's entries, and
//! one status change for a whole group. Plain forms and links: no JavaScript needed.

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

use super::takedowns::{status_words, EntryRow, STATUSES};
use super::{staff_page, Badge, StaffLayout, StaffPage, StaffPageMissing};
use crate::i18n::Locale;
use crate::locale::page_locale;

/// One campaign as the pages show it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CampaignRow {
    /// `ip`, `name` or `path`.
    pub kind: String,
    pub pattern: String,
    pub count: usize,
    /// (status code, entries), in lifecycle order.
    pub statuses: Vec<(String, usize)>,
    /// (IP, entries), the most named first.
    pub hosting_ips: Vec<(String, usize)>,
    pub distinct_ips: usize,
}

impl CampaignRow {
    /// The query string that opens this group on page `page`.
    pub fn query(&self, page: usize) -> String {
        let encode = |v: &str| {
            percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string()
        };
        format!("kind={}&pattern={}&page={page}", encode(&self.kind), encode(&self.pattern))
    }
}

/// One group opened: its entries, a page of them at a time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpenCampaign {
    pub group: CampaignRow,
    pub rows: Vec<EntryRow>,
    pub page: usize,
    pub pages: usize,
}

/// What the last action on a campaign did.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CampaignNotice {
    /// The whole group moved: how many entries changed, and the new data version.
    Changed { count: usize, version: i64 },
    /// Nothing changed (the entries already had that status).
    Nothing,
    /// No status was chosen.
    NoStatus,
    /// The data changed since the page was shown.
    Stale { version: i64 },
    /// There is no such group now.
    Gone,
    /// Too many entries to change at once.
    TooLarge { count: usize, max: usize },
    /// Refused or failed (a plain sentence from the server).
    Problem(String),
}

/// The campaigns page's data.
#[derive(Clone, Debug, Default)]
pub struct CampaignsData {
    pub who: Badge,
    /// The takedown data version the groups are of.
    pub version: i64,
    /// Active entries read.
    pub entries: usize,
    /// The kind asked for (`''` for all) and the text a pattern must contain.
    pub kind: String,
    pub q: String,
    /// This page of the groups that match, and how many match.
    pub groups: Vec<CampaignRow>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    pub open: Option<OpenCampaign>,
    pub notice: Option<CampaignNotice>,
    /// The most entries one change may touch.
    pub max_selection: usize,
}

/// What a kind of campaign shares, in words.
pub fn kind_words(kind: &str, locale: Locale) -> &'static str {
    match kind {
        "ip" => td_string!(locale, security.campaign_kind_ip),
        "name" => td_string!(locale, security.campaign_kind_name),
        _ => td_string!(locale, security.campaign_kind_path),
    }
}

fn statuses_words(statuses: &[(String, usize)], locale: Locale) -> String {
    statuses.iter().map(|(s, n)| format!("{} {n}", status_words(s, locale))).collect::<Vec<_>>().join(" · ")
}

fn ips_view(group: &CampaignRow, locale: Locale) -> impl IntoView {
    let named = group
        .hosting_ips
        .iter()
        .map(|(ip, n)| {
            let href = format!(
                "/console/takedowns?ip={}",
                percent_encoding::utf8_percent_encode(ip, percent_encoding::NON_ALPHANUMERIC)
            );
            view! { <a href=href>{ip.clone()}</a>" ("{*n}") " }
        })
        .collect_view();
    let more = group.distinct_ips.saturating_sub(group.hosting_ips.len());
    view! {
        {named}
        {(more > 0).then(|| td_string!(locale, security.campaign_ips_more, count = more).to_string())}
    }
}

fn notice_view(notice: Option<CampaignNotice>, locale: Locale) -> impl IntoView {
    notice.map(|n| {
        let (ok, text) = match n {
            CampaignNotice::Changed { count, version } => (
                true,
                td_string!(locale, security.changed_entries, count = count, version = version).to_string(),
            ),
            CampaignNotice::Nothing => (true, td_string!(locale, security.changed_nothing).to_string()),
            CampaignNotice::NoStatus => (false, td_string!(locale, security.campaign_no_status).to_string()),
            CampaignNotice::Stale { version } => {
                (false, td_string!(locale, security.campaign_stale, version = version).to_string())
            }
            CampaignNotice::Gone => (false, td_string!(locale, security.campaign_gone).to_string()),
            CampaignNotice::TooLarge { count, max } => {
                (false, td_string!(locale, security.campaign_too_large, count = count, max = max).to_string())
            }
            CampaignNotice::Problem(text) => (false, text),
        };
        if ok {
            view! { <p class="notice" role="status">{text}</p> }.into_any()
        } else {
            view! { <p class="form-error" role="alert">{text}</p> }.into_any()
        }
    })
}

/// Links to the page before and after `page` of `pages`; `query(n)` is page n's query string.
fn pager(page: usize, pages: usize, query: impl Fn(usize) -> String, locale: Locale) -> AnyView {
    let link = |to: usize, rel: &'static str, words: &'static str| {
        let href = format!("/console/takedowns/campaigns?{}", query(to));
        view! { <a rel=rel href=href>{words}</a> }.into_any()
    };
    let previous = (page > 1).then(|| link(page - 1, "prev", td_string!(locale, security.previous_page)));
    let next = (page < pages).then(|| link(page + 1, "next", td_string!(locale, security.next_page)));
    view! { <nav class="pager" aria-label=td_string!(locale, security.pages_label)>{previous}" "{next}</nav> }
        .into_any()
}

fn open_view(open: OpenCampaign, version: i64, max_selection: usize, locale: Locale) -> impl IntoView {
    let OpenCampaign { group, rows, page, pages } = open;
    let options = STATUSES
        .into_iter()
        .map(|s| view! { <option value=s>{status_words(s, locale)}</option> })
        .collect_view();
    let form = if group.count > max_selection {
        view! { <p class="form-error" role="alert">{td_string!(locale, security.campaign_too_large, count = group.count, max = max_selection)}</p> }
            .into_any()
    } else {
        view! {
            <form method="post" action="/console/takedowns/campaigns/status" class="staff-form campaign-form">
                <h2>{td_string!(locale, security.campaign_group_legend)}</h2>
                <input type="hidden" name="kind" value=group.kind.clone()/>
                <input type="hidden" name="pattern" value=group.pattern.clone()/>
                <input type="hidden" name="version" value=version.to_string()/>
                <label for="campaign-status">{td_string!(locale, security.new_status)}</label>
                <select id="campaign-status" name="status" required>
                    <option value="">{td_string!(locale, security.choose_status)}</option>
                    {options}
                </select>
                <label for="campaign-note">{td_string!(locale, security.step_note)}</label>
                <input id="campaign-note" name="note" type="text" maxlength="1000"/>
                <button type="submit">{td_string!(locale, security.campaign_group_apply, count = group.count)}</button>
            </form>
        }
        .into_any()
    };
    let body = rows
        .into_iter()
        .map(|r| {
            view! {
                <tr>
                    <td><a href=format!("/console/takedowns/{}", r.id)><code class="pattern">{r.target.clone()}</code></a></td>
                    <td>{status_words(&r.status, locale)}</td>
                    <td>{r.hosting_ip.clone()}</td>
                    <td>{r.first_seen.clone()}" – "{r.last_seen.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let pages_nav = pager(page, pages, |p| group.query(p), locale);
    view! {
        <p><a href="/console/takedowns/campaigns">{td_string!(locale, security.all_campaigns)}</a></p>
        <section aria-labelledby="campaign-heading">
            <h2 id="campaign-heading">{kind_words(&group.kind, locale)}": "<code class="pattern">{group.pattern.clone()}</code></h2>
            <dl class="evidence-list">
                <dt>{td_string!(locale, security.col_entries)}</dt><dd>{group.count}</dd>
                <dt>{td_string!(locale, security.status_label)}</dt><dd>{statuses_words(&group.statuses, locale)}</dd>
                <dt>{td_string!(locale, security.ip_label)}</dt><dd>{ips_view(&group, locale)}</dd>
            </dl>
            {form}
            <h3>{td_string!(locale, security.campaign_entries, page = page, pages = pages.max(1))}</h3>
            <div class="table-scroll">
                <table class="staff-table">
                    <thead><tr>
                        <th scope="col">{td_string!(locale, security.col_target)}</th>
                        <th scope="col">{td_string!(locale, security.status_label)}</th>
                        <th scope="col">{td_string!(locale, security.ip_label)}</th>
                        <th scope="col">{td_string!(locale, security.col_seen)}</th>
                    </tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            {pages_nav}
        </section>
    }
}

/// `/console/takedowns/campaigns`.
#[component]
pub fn CampaignsPage() -> impl IntoView {
    let locale = page_locale();
    let Some(StaffPage::Campaigns(data)) = staff_page() else {
        return view! { <StaffPageMissing/> }.into_any();
    };
    let CampaignsData {
        who,
        version,
        entries,
        kind,
        q,
        groups,
        total,
        page,
        pages,
        open,
        notice,
        max_selection,
    } = *data;
    let explain =
        td_string!(locale, security.campaigns_explain, version = version, entries = entries).to_string();
    let content = match open {
        Some(open) => open_view(open, version, max_selection, locale).into_any(),
        None => {
            let kinds = ["ip", "name", "path"]
                .into_iter()
                .map(|k| {
                    let selected = k == kind;
                    view! { <option value=k selected=selected>{kind_words(k, locale)}</option> }
                })
                .collect_view();
            let filter = format!(
                "kind={}&q={}",
                kind,
                percent_encoding::utf8_percent_encode(&q, percent_encoding::NON_ALPHANUMERIC)
            );
            let pages_nav = pager(page, pages, |p| format!("{filter}&page={p}"), locale);
            let body = groups
                .into_iter()
                .map(|g| {
                    let href = format!("/console/takedowns/campaigns?{}", g.query(1));
                    view! {
                        <tr>
                            <td>{kind_words(&g.kind, locale)}</td>
                            <td><a href=href><code class="pattern">{g.pattern.clone()}</code></a></td>
                            <td class="number">{g.count}</td>
                            <td>{statuses_words(&g.statuses, locale)}</td>
                            <td>{ips_view(&g, locale)}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <form method="get" action="/console/takedowns/campaigns" class="staff-form filter-form" role="search">
                    <div class="field">
                        <label for="campaign-kind">{td_string!(locale, security.col_kind)}</label>
                        <select id="campaign-kind" name="kind"><option value="">{td_string!(locale, security.any)}</option>{kinds}</select>
                    </div>
                    <div class="field">
                        <label for="campaign-q">{td_string!(locale, security.campaign_search)}</label>
                        <input id="campaign-q" name="q" type="search" value=q.clone() maxlength="300" spellcheck="false" autocapitalize="none"/>
                    </div>
                    <button type="submit">{td_string!(locale, security.search_button)}</button>
                </form>
                <p role="status">{td_string!(locale, security.found, count = total, page = page, pages = pages.max(1))}</p>
                {(total == 0).then(|| view! { <p>{td_string!(locale, security.no_campaigns)}</p> })}
                <div class="table-scroll">
                    <table class="staff-table">
                        <caption class="visually-hidden">{td_string!(locale, security.campaigns_title)}</caption>
                        <thead><tr>
                            <th scope="col">{td_string!(locale, security.col_kind)}</th>
                            <th scope="col">{td_string!(locale, security.col_pattern)}</th>
                            <th scope="col">{td_string!(locale, security.col_entries)}</th>
                            <th scope="col">{td_string!(locale, security.status_label)}</th>
                            <th scope="col">{td_string!(locale, security.ip_label)}</th>
                        </tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
                {pages_nav}
            }
            .into_any()
        }
    };
    view! {
        <Title text=td_string!(locale, security.campaigns_title).to_string()/>
        <StaffLayout who>
            <p><a href="/console/takedowns">{td_string!(locale, security.back_to_list)}</a></p>
            <h1>{td_string!(locale, security.campaigns_title)}</h1>
            {notice_view(notice, locale)}
            <p>{explain}</p>
            {content}
        </StaffLayout>
    }
    .into_any()
}
