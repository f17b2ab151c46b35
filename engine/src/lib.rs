//! Pure detection engine: finds the links in a pasted message and judges each one
//! against an immutable in-memory [`Index`]. No IO, no Leptos, no database: the
//! server builds the index from storage and swaps it whole when data changes.

pub mod canon;
pub mod domain;
pub mod extract;
pub mod feed;
pub mod host;
pub mod index;
pub mod lookalike;
pub mod signals;
pub mod text;
pub mod verdict;

pub use canon::{canonicalize, CanonError, CanonicalUrl};
pub use extract::{extract, Candidate, CandidateKind};
pub use index::{Index, IndexData, IndexError, ListedEntry, TakedownEntry, TakedownScope, TakedownStatus};
pub use lookalike::{BrandError, BrandProfile, Lookalike};
pub use signals::{PhrasesError, ScamPhrases, Signal};
pub use text::CleanText;
pub use verdict::{
    check, check_with, CheckError, Detector, Finding, Overall, Reason, Report, Switches, TakedownMatch,
    Verdict,
};

/// The largest message the engine accepts, in UTF-8 bytes.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// The most findings one message can produce; the rest are dropped and reported as truncated.
pub const MAX_FINDINGS: usize = 200;
