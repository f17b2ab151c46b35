//! The check: an investor pastes a link or a whole message and learns, per link,
//! whether it is official, a known fake, or something we cannot vouch for.

mod answer;
mod form;
mod result;
pub mod wording;

pub use answer::{check_message, CheckAnswer, CheckFailure, CheckMessage, DataStamp, PostedCheck};
#[cfg(feature = "ssr")]
pub use answer::{run_check, run_public_check, taiwan_time};
pub use form::{CheckBox, CHECK_FORM_ID};
pub use result::{CheckResult, VerdictIcon};
