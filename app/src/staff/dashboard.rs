//! `/console/dashboard` (analysts and admins): the takedown data in four charts, each an SVG
//! image the server draws (`/console/dashboard/{chart}.svg`) with the same numbers in a table
//! beneath it, for readers without images and for screen readers. [`panels`] is the one place
//! the numbers are put in rows: the tables here and the server's pictures both read it.

use engine::{TakedownStatus, Verdict};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

use super::{staff_page, StaffLayout, StaffPage, StaffPageMissing};
use crate::i18n::Locale;
use crate::locale::page_locale;
use crate::lookup::wording::{status_label, verdict_label};

/// The dashboard's charts, in the order the page shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DashboardChart {
    /// The active set by status.
    Status,
    /// New entries per ISO week.
    Weekly,
    /// Days from report to takedown, by vendor and by month.
    TakedownTime,
    /// The public's most-checked fake and suspicious domains.
    MostChecked,
}

impl DashboardChart {
    pub const ALL: [Self; 4] = [Self::Status, Self::Weekly, Self::TakedownTime, Self::MostChecked];

    /// The chart's name in its address.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Status => "status",
            Self::Weekly => "new-entries",
            Self::TakedownTime => "time-to-takedown",
            Self::MostChecked => "most-checked",
        }
    }

    /// The chart a file name (`status.svg`) names.
    pub fn from_file(file: &str) -> Option<Self> {
        let slug = file.strip_suffix(".svg")?;
        Self::ALL.into_iter().find(|c| c.slug() == slug)
    }

    /// The address of its picture.
    pub fn src(self) -> String {
        format!("/console/dashboard/{}.svg", self.slug())
    }

    pub fn title(self, locale: Locale) -> &'static str {
        match self {
            Self::Status => td_string!(locale, staff.dashboard_status_title),
            Self::Weekly => td_string!(locale, staff.dashboard_weekly_title),
            Self::TakedownTime => td_string!(locale, staff.dashboard_time_title),
            Self::MostChecked => td_string!(locale, staff.dashboard_checked_title),
        }
    }

    /// What the picture shows, for its `alt`.
    pub fn alt(self, locale: Locale) -> &'static str {
        match self {
            Self::Status => td_string!(locale, staff.dashboard_status_alt),
            Self::Weekly => td_string!(locale, staff.dashboard_weekly_alt),
            Self::TakedownTime => td_string!(locale, staff.dashboard_time_alt),
            Self::MostChecked => td_string!(locale, staff.dashboard_checked_alt),
        }
    }
}

/// Who a takedown time is counted under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TakenDownBy {
    /// The vendor's name, as the data holds it.
    Vendor(String),
    /// An entry without a vendor: where it came from (a source code, `open_data_165`).
    Source(String),
}

/// The median and 90th percentile of a group's takedown times, in days.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SpreadView {
    pub takedowns: i64,
    pub median_days: i64,
    pub p90_days: i64,
}

/// The numbers of the dashboard (a chart's picture loads only its own).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DashboardData {
    /// Every status, in lifecycle order.
    pub by_status: Vec<(TakedownStatus, i64)>,
    /// ISO weeks (`2026-W49`), oldest first, empty weeks as 0.
    pub weekly: Vec<(String, i64)>,
    pub by_vendor: Vec<(TakenDownBy, SpreadView)>,
    /// Months (`2026-11`), oldest first.
    pub by_month: Vec<(String, SpreadView)>,
    /// Host, its worst verdict, checks; most checked first.
    pub most_checked: Vec<(String, Verdict, i64)>,
}

/// A column of numbers: its heading, and whether the picture draws it as bars.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub heading: &'static str,
    pub drawn: bool,
}

/// One row: its label, its numbers (one per column) and, for some tables, a word beside the
/// label (a verdict).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PanelRow {
    pub label: String,
    pub note: Option<&'static str>,
    pub values: Vec<i64>,
}

/// One set of rows: what a chart (or half of one) draws and its table lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Panel {
    pub caption: &'static str,
    pub label_heading: &'static str,
    /// The heading of the notes' column, for a table whose rows have notes.
    pub note_heading: Option<&'static str>,
    pub columns: Vec<Column>,
    pub rows: Vec<PanelRow>,
}

/// A source's name in words.
pub fn source_label(code: &str, locale: Locale) -> String {
    match code {
        "vendor_feed" => td_string!(locale, staff.dashboard_source_vendor_feed).to_owned(),
        "open_data_165" => td_string!(locale, staff.dashboard_source_open_data_165).to_owned(),
        "escalation" => td_string!(locale, staff.dashboard_source_escalation).to_owned(),
        "public_report" => td_string!(locale, staff.dashboard_source_public_report).to_owned(),
        "manual" => td_string!(locale, staff.dashboard_source_manual).to_owned(),
        other => other.to_owned(),
    }
}

fn column(heading: &'static str, drawn: bool) -> Column {
    Column { heading, drawn }
}

fn row(label: String, values: Vec<i64>) -> PanelRow {
    PanelRow { label, note: None, values }
}

fn spread_panel(
    caption: &'static str,
    label_heading: &'static str,
    rows: Vec<PanelRow>,
    locale: Locale,
) -> Panel {
    Panel {
        caption,
        label_heading,
        note_heading: None,
        columns: vec![
            column(td_string!(locale, staff.dashboard_takedowns), false),
            column(td_string!(locale, staff.dashboard_median), true),
            column(td_string!(locale, staff.dashboard_p90), true),
        ],
        rows,
    }
}

fn spread_values(s: &SpreadView) -> Vec<i64> {
    vec![s.takedowns, s.median_days, s.p90_days]
}

/// The rows of one chart, in the reader's language: what its picture draws and its tables list.
pub fn panels(data: &DashboardData, chart: DashboardChart, locale: Locale) -> Vec<Panel> {
    match chart {
        DashboardChart::Status => vec![Panel {
            caption: td_string!(locale, staff.dashboard_status_caption),
            label_heading: td_string!(locale, staff.dashboard_status_heading),
            note_heading: None,
            columns: vec![column(td_string!(locale, staff.dashboard_entries), true)],
            rows: data
                .by_status
                .iter()
                .map(|(s, n)| row(status_label(*s, locale).to_owned(), vec![*n]))
                .collect(),
        }],
        DashboardChart::Weekly => vec![Panel {
            caption: td_string!(locale, staff.dashboard_weekly_caption),
            label_heading: td_string!(locale, staff.dashboard_week_heading),
            note_heading: None,
            columns: vec![column(td_string!(locale, staff.dashboard_new_entries), true)],
            rows: data.weekly.iter().map(|(week, n)| row(week.clone(), vec![*n])).collect(),
        }],
        DashboardChart::TakedownTime => {
            let vendors = data
                .by_vendor
                .iter()
                .map(|(by, s)| {
                    let label = match by {
                        TakenDownBy::Vendor(name) => name.clone(),
                        TakenDownBy::Source(code) => source_label(code, locale),
                    };
                    row(label, spread_values(s))
                })
                .collect();
            let months = data.by_month.iter().map(|(m, s)| row(m.clone(), spread_values(s))).collect();
            vec![
                spread_panel(
                    td_string!(locale, staff.dashboard_time_vendor_caption),
                    td_string!(locale, staff.dashboard_vendor_heading),
                    vendors,
                    locale,
                ),
                spread_panel(
                    td_string!(locale, staff.dashboard_time_month_caption),
                    td_string!(locale, staff.dashboard_month_heading),
                    months,
                    locale,
                ),
            ]
        }
        DashboardChart::MostChecked => vec![Panel {
            caption: td_string!(locale, staff.dashboard_checked_caption),
            label_heading: td_string!(locale, staff.dashboard_domain_heading),
            note_heading: Some(td_string!(locale, staff.dashboard_verdict_heading)),
            columns: vec![column(td_string!(locale, staff.dashboard_checks), true)],
            rows: data
                .most_checked
                .iter()
                .map(|(host, verdict, n)| PanelRow {
                    label: host.clone(),
                    note: Some(verdict_label(*verdict, locale)),
                    values: vec![*n],
                })
                .collect(),
        }],
    }
}

/// A panel's numbers as a table.
#[component]
fn PanelTable(panel: Panel, locale: Locale) -> impl IntoView {
    let width = panel.columns.len() + 1 + usize::from(panel.note_heading.is_some());
    let note_heading = panel.note_heading.map(|h| view! { <th scope="col">{h}</th> });
    let headings = panel.columns.iter().map(|c| view! { <th scope="col">{c.heading}</th> }).collect_view();
    let rows = if panel.rows.is_empty() {
        view! { <tr><td colspan=width.to_string()>{td_string!(locale, staff.dashboard_none)}</td></tr> }
            .into_any()
    } else {
        panel
            .rows
            .into_iter()
            .map(|r| {
                let note = r.note.map(|n| view! { <td>{n}</td> });
                let values =
                    r.values.iter().map(|v| view! { <td class="number">{v.to_string()}</td> }).collect_view();
                view! { <tr><th scope="row">{r.label}</th>{note}{values}</tr> }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <div class="table-scroll">
            <table class="dashboard-table">
                <caption>{panel.caption}</caption>
                <thead><tr><th scope="col">{panel.label_heading}</th>{note_heading}{headings}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// `/console/dashboard`.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let locale = page_locale();
    let Some(StaffPage::Dashboard { who, data }) = staff_page() else {
        return view! { <StaffPageMissing/> }.into_any();
    };
    let charts = DashboardChart::ALL
        .into_iter()
        .map(|chart| {
            let heading = format!("chart-{}", chart.slug());
            let labelled_by = heading.clone();
            let tables = panels(&data, chart, locale)
                .into_iter()
                .map(|panel| view! { <PanelTable panel locale/> })
                .collect_view();
            let note = (chart == DashboardChart::TakedownTime)
                .then(|| view! { <p class="hint">{td_string!(locale, staff.dashboard_time_note)}</p> });
            view! {
                <section class="dashboard-chart" aria-labelledby=labelled_by>
                    <h2 id=heading>{chart.title(locale)}</h2>
                    <img class="chart" src=chart.src() alt=chart.alt(locale)/>
                    {tables}
                    {note}
                </section>
            }
        })
        .collect_view();
    view! {
        <Title text=td_string!(locale, staff.dashboard_title).to_string()/>
        <StaffLayout who>
            <h1>{td_string!(locale, staff.dashboard_title)}</h1>
            <p>{td_string!(locale, staff.dashboard_intro)}</p>
            {charts}
        </StaffLayout>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chart_has_an_address_that_names_it_back() {
        for chart in DashboardChart::ALL {
            let file = chart.src().rsplit('/').next().unwrap().to_owned();
            assert_eq!(DashboardChart::from_file(&file), Some(chart));
        }
        assert_eq!(DashboardChart::from_file("status"), None);
        assert_eq!(DashboardChart::from_file("status.png"), None);
        assert_eq!(DashboardChart::from_file("../status.svg"), None);
    }

    #[test]
    fn a_vendorless_takedown_is_named_by_its_source_and_every_row_has_a_value_per_column() {
        let data = DashboardData {
            by_vendor: vec![
                (
                    TakenDownBy::Vendor("RSA".into()),
                    SpreadView { takedowns: 3, median_days: 4, p90_days: 10 },
                ),
                (
                    TakenDownBy::Source("open_data_165".into()),
                    SpreadView { takedowns: 1, median_days: 30, p90_days: 30 },
                ),
            ],
            ..DashboardData::default()
        };
        let panels = panels(&data, DashboardChart::TakedownTime, Locale::en);
        assert_eq!(panels.len(), 2, "by vendor, by month");
        let labels: Vec<&str> = panels[0].rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["RSA", "165 open data"]);
        assert_eq!(panels[0].rows[0].values, [3, 4, 10]);
        assert!(panels[1].rows.is_empty());
        for panel in DashboardChart::ALL.iter().flat_map(|c| super::panels(&data, *c, Locale::zh_TW)) {
            assert!(panel.rows.iter().all(|r| r.values.len() == panel.columns.len()), "{panel:?}");
        }
    }
}
