//! The app layer's one error type, for server functions and the pages that call them:
//! what a reader may learn of a failure, and nothing more. A storage failure is logged
//! with a reference the reader can quote; its text never leaves the server.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Why a page's data could not be had.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// What was asked for does not exist (or is not well-formed enough to exist).
    #[error("not found")]
    NotFound,
    /// The data cannot be read right now; the failure is in the server's log under `reference`.
    #[error("cannot verify right now (reference {reference})")]
    Unavailable { reference: String },
    /// The check data has not loaded on this instance yet.
    #[error("the check data has not loaded yet")]
    NotReady,
    /// The request did not reach the server function, or its answer did not come back.
    #[error("the request could not be completed: {0}")]
    Transport(String),
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::Transport(value.to_string())
    }
}

impl AppError {
    /// The reference a reader can quote, when the failure was logged under one.
    pub fn reference(&self) -> Option<&str> {
        match self {
            Self::Unavailable { reference } => Some(reference),
            _ => None,
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// Logs a storage failure under a fresh reference and returns what the reader may see.
    /// `what` says what was being done, for the log.
    pub fn storage(what: &'static str, error: &store::StoreError) -> Self {
        let reference = new_reference();
        tracing::error!(%reference, error = %error, "{what} failed");
        Self::Unavailable { reference }
    }
}

/// The server's state, for a server function: missing only outside a request, which is a
/// bug, not a reason to panic.
#[cfg(feature = "ssr")]
pub fn app_state() -> Result<crate::state::AppState, AppError> {
    leptos::prelude::use_context::<crate::state::AppState>().ok_or(AppError::NotReady)
}

/// The note that lets a reader quote a logged failure, when there is one.
#[leptos::component]
pub fn ReferenceNote(error: AppError) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let locale = crate::locale::page_locale();
    error.reference().map(|reference| {
        let reference = reference.to_owned();
        view! { <p class="error-reference">{leptos_i18n::td_string!(locale, common.error_reference, reference)}</p> }
    })
}

/// A fresh reference for a logged failure: eight Crockford base-32 characters, `7K3M-9Q2P`,
/// easy to read aloud over the phone. Unique enough to find one log line, not a secret.
#[cfg(feature = "ssr")]
pub fn new_reference() -> String {
    use std::hash::{BuildHasher, RandomState};
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::{SystemTime, UNIX_EPOCH};

    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let bits = RandomState::new().hash_one((COUNTER.fetch_add(1, Ordering::Relaxed), nanos));
    let mut out = String::with_capacity(9);
    for i in 0..8 {
        if i == 4 {
            out.push('-');
        }
        let index = usize::try_from((bits >> (i * 5)) & 31).unwrap_or(0);
        out.push(char::from(ALPHABET[index]));
    }
    out
}

#[cfg(test)]
#[cfg(feature = "ssr")]
mod tests {
    use super::*;

    #[test]
    fn a_reference_is_eight_readable_characters_and_fresh_each_time() {
        let first = new_reference();
        let second = new_reference();
        assert_eq!(first.len(), 9);
        assert_eq!(&first[4..5], "-");
        assert!(first.chars().all(|c| c == '-' || c.is_ascii_digit() || c.is_ascii_uppercase()));
        assert!(!first.contains(['I', 'L', 'O', 'U']), "{first}");
        assert_ne!(first, second);
    }

    #[test]
    fn a_storage_failure_reaches_the_reader_only_as_a_reference() {
        let error = store::StoreError::Database(sqlx_like_error());
        let shown = AppError::storage("reading bulletins", &error);
        let text = format!("{shown} {shown:?}");
        assert!(shown.reference().is_some());
        assert!(!text.contains("no such table"), "{text}");
    }

    fn sqlx_like_error() -> store::sqlx::Error {
        store::sqlx::Error::Protocol("no such table: bulletins".into())
    }
}
