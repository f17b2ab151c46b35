//! The security dashboard on the server (analysts and admins): `/console/dashboard` renders
//! the page with every chart's table, and `/console/dashboard/{chart}.svg` draws one chart
//! ([`super::charts`]) from the same numbers, read fresh from the database for each.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use app::staff::dashboard::{panels, DashboardChart, DashboardData, SpreadView, TakenDownBy};
use app::staff::StaffPage;
use app::state::AppState;
use leptos_i18n::td_string;
use store::stats::{self, Spread};
use store::StoreError;

use super::{badge, charts, render, StaffRequest};

/// How many weeks of new entries, and months of takedowns, the dashboard covers.
pub const WEEKS: u8 = 12;
pub const MONTHS: u8 = 12;
/// How many of the most-checked domains it lists (checked in the last seven days).
pub const MOST_CHECKED: u32 = 10;

pub const SVG_TYPE: &str = "image/svg+xml; charset=utf-8";
/// An SVG runs nothing and loads nothing; plotters writes no style, the policy allows inline
/// styles only so that a picture opened on its own still looks as it does on the page.
pub const SVG_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'";

fn spread(s: Spread) -> SpreadView {
    SpreadView {
        takedowns: i64::try_from(s.takedowns).unwrap_or(i64::MAX),
        median_days: s.median_days,
        p90_days: s.p90_days,
    }
}

/// The numbers `charts` show, read now (Taiwan dates); the others stay empty.
pub async fn load(db: &store::Db, charts: &[DashboardChart]) -> Result<DashboardData, StoreError> {
    let today = store::taiwan_date();
    let mut data = DashboardData::default();
    for chart in charts {
        match chart {
            DashboardChart::Status => {
                data.by_status =
                    stats::entries_by_status(db).await?.into_iter().map(|c| (c.status, c.entries)).collect();
            }
            DashboardChart::Weekly => {
                data.weekly = stats::new_entries_per_week(db, today, WEEKS)
                    .await?
                    .into_iter()
                    .map(|w| (w.label(), w.entries))
                    .collect();
            }
            DashboardChart::TakedownTime => {
                let times = stats::time_to_takedown(db, today, MONTHS).await?;
                data.by_vendor = times
                    .by_vendor
                    .into_iter()
                    .map(|(by, s)| {
                        let by = match by {
                            stats::TakenDownBy::Vendor(name) => TakenDownBy::Vendor(name),
                            stats::TakenDownBy::Source(source) => {
                                TakenDownBy::Source(source.code().to_owned())
                            }
                        };
                        (by, spread(s))
                    })
                    .collect();
                data.by_month = times
                    .by_month
                    .into_iter()
                    .map(|((year, month), s)| (format!("{year:04}-{month:02}"), spread(s)))
                    .collect();
            }
            DashboardChart::MostChecked => {
                data.most_checked = store::tally::most_checked(db, store::tally::week_start(), MOST_CHECKED)
                    .await?
                    .into_iter()
                    .map(|h| (h.host, h.verdict, h.checks))
                    .collect();
            }
        }
    }
    Ok(data)
}

fn unavailable(e: &StoreError) -> Response {
    tracing::warn!(error = %e, "reading the dashboard's numbers failed");
    super::guard::refuse(StatusCode::SERVICE_UNAVAILABLE, "The dashboard's numbers cannot be read just now.")
}

/// `GET /console/dashboard`.
pub async fn page(State(state): State<AppState>, StaffRequest { parts, signed }: StaffRequest) -> Response {
    match load(&state.db, &DashboardChart::ALL).await {
        Ok(data) => {
            let page = StaffPage::Dashboard { who: badge(&signed, &state), data };
            render(&state, parts, page, StatusCode::OK).await
        }
        Err(e) => unavailable(&e),
    }
}

/// `GET /console/dashboard/{chart}.svg`: one chart, in the reader's language.
pub async fn chart(
    State(state): State<AppState>,
    Path(file): Path<String>,
    StaffRequest { parts, .. }: StaffRequest,
) -> Response {
    let Some(chart) = DashboardChart::from_file(&file) else {
        return (StatusCode::NOT_FOUND, "No such chart.\n").into_response();
    };
    let locale = app::locale::from_headers(&parts.headers);
    let data = match load(&state.db, &[chart]).await {
        Ok(data) => data,
        Err(e) => return unavailable(&e),
    };
    let empty = td_string!(locale, staff.dashboard_none);
    match charts::svg(chart.title(locale), &panels(&data, chart, locale), empty) {
        Ok(svg) => {
            let mut response = svg.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(SVG_TYPE));
            headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(SVG_POLICY));
            response
        }
        Err(e) => {
            tracing::error!(error = %e, chart = chart.slug(), "drawing a dashboard chart failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
