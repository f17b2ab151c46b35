//! The verification site's views, routes and server functions, rendered on the
//! server and hydrated in the browser.

pub mod bulletin;
pub mod home;
pub mod lookup;
pub mod official;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, StaticSegment};

use crate::home::HomePage;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="zh-Hant-TW">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The site: one router for every page.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/fraudcheck.css"/>
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Title text="防詐查證 | 凱基證券"/>
        <Meta name="description" content="貼上可疑的網址或訊息，立即查證是不是凱基證券的官方網站。"/>
        <Router>
            <Routes fallback=NotFoundPage>
                // Async: the whole page, check result included, arrives in one response,
                // so it works without JavaScript.
                <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

/// Shown for any address the site does not have (the server's fallback sends it as a 404).
#[component]
fn NotFoundPage() -> impl IntoView {
    view! {
        <main class="page">
            <h1>"找不到這個網頁"</h1>
            <p lang="en">"Page not found."</p>
            <p><a href="/">"回到首頁查證連結"</a></p>
        </main>
    }
}

/// Entry point of the WebAssembly bundle: takes over the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
