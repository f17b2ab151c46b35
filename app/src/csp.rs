//! The Content-Security-Policy of every HTML page: scripts only from this site or inline
//! with this response's nonce (the hydration script), WebAssembly allowed to compile,
//! nothing from anywhere else, no framing, forms posting only here.

/// The policy for an HTML page whose inline scripts carry `nonce`.
///
/// `'wasm-unsafe-eval'` lets the browser compile our own WebAssembly (it allows no
/// JavaScript `eval`); `img-src data:` is there for small inline images in the stylesheet;
/// `form-action 'self'` keeps the paste box and the report form from being redirected away.
/// `live_reload` (only under `cargo leptos watch`) lets the reload script reach its
/// WebSocket on another port.
pub fn page_policy(nonce: &str, live_reload: bool) -> String {
    let connect = if live_reload { "'self' ws: wss:" } else { "'self'" };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src {connect}; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'; object-src 'none'"
    )
}

/// The policy for everything that is not an HTML page (JSON, files, plain-text errors):
/// nothing may run or load, should a browser ever be tricked into rendering one.
pub const NON_PAGE_POLICY: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Sends this page's policy with the nonce Leptos generated for this response (and
/// printed on the hydration script). Called while the shell renders, before the headers go.
#[cfg(feature = "ssr")]
pub fn send_page_policy() {
    use leptos::prelude::use_context;
    let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    // The variable `cargo leptos watch` sets, as Leptos' own `AutoReload` reads it.
    let live_reload = std::env::var_os("LEPTOS_WATCH").is_some();
    if let Ok(value) = axum::http::HeaderValue::from_str(&page_policy(&nonce, live_reload)) {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_policy_allows_scripts_only_from_here_or_with_the_nonce() {
        let policy = page_policy("abc123", false);
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
        assert!(policy.contains("connect-src 'self';"), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert!(page_policy("abc123", true).contains("connect-src 'self' ws: wss:;"));
    }
}
