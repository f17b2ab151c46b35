//! Pure detection engine: finds the links in a pasted message and judges each one
//! against an immutable in-memory [`Index`]. No IO, no Leptos, no database: the
//! server builds the index from storage and swaps it whole when data changes.

pub mod defang;
pub mod domain;
pub mod extract;
pub mod feed;
pub mod host;
pub mod index;
pub mod text;
pub mod verdict;

pub use extract::{extract, Candidate, CandidateKind};
pub use index::{Index, IndexError, OfficialDomain, TakedownEntry, TakedownStatus};
pub use text::CleanText;
pub use verdict::{check, CheckError, Finding, Lang, Overall, ReasonCode, Report, TakedownMatch, Verdict};

/// The largest message the engine accepts, in UTF-8 bytes.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// The most findings one message can produce; the rest are dropped and reported as truncated.
pub const MAX_FINDINGS: usize = 200;
