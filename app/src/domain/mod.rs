//! Per-host status pages (`/domain/{host}`) and the home page's list of the fake sites
//! checked most this week.

mod most_checked;
mod name;
mod page;
mod status;

pub use most_checked::MostChecked;
#[cfg(feature = "ssr")]
pub use most_checked::{most_checked_this_week, KEPT as MOST_CHECKED_KEPT};
pub use name::{DomainName, DomainNameError};
pub use page::DomainPage;
pub use status::{domain_page_data, DomainStatus, HistoryStep, Judged};
#[cfg(feature = "ssr")]
pub use status::{judge, read_status};
