//! Server-side cost of the public pages: the full router (layers, Leptos render, check)
//! answering one request, on a throw-away SQLite database with the demo data.
//!
//! `cargo bench -p server --bench render`

// A benchmark, example or test helper, not a request path: a failure is a broken set-up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{header, Request};
use axum::Router;
use criterion::{criterion_group, criterion_main, Criterion};
use http_body_util::BodyExt;
use server::config::Config;
use tower::ServiceExt;

const FRAUD_SMS: &str =
    "【凱基證券】您的帳戶有異常風險，請立即驗證：kkpp.kgi357。com/index/login 客服LINE：@kgi888";

fn site(dir: &tempfile::TempDir, runtime: &tokio::runtime::Runtime) -> Router {
    let mut config = Config::local(format!("sqlite:{}", dir.path().join("bench.db").display()));
    // The bench is one client asking as fast as it can: lift its limit out of the way.
    config.protection.check_per_minute = u32::MAX;
    config.demo_data = true;
    let state = runtime.block_on(server::prepare_state(&config)).expect("state");
    server::router(state, &config)
}

async fn send(router: &Router, request: Request<Body>) -> usize {
    let response = router.clone().oneshot(request).await.expect("response");
    assert!(response.status().is_success(), "{}", response.status());
    response.into_body().collect().await.expect("body").to_bytes().len()
}

fn render(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let router = site(&dir, &runtime);
    let form =
        format!("text={}", url::form_urlencoded::byte_serialize(FRAUD_SMS.as_bytes()).collect::<String>());

    let mut group = c.benchmark_group("render");
    group.bench_function("home_page", |b| {
        b.iter(|| runtime.block_on(send(&router, Request::get("/").body(Body::empty()).unwrap())))
    });
    group.bench_function("fraud_result_page_no_js", |b| {
        b.iter(|| {
            let request = Request::post("/")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form.clone()))
                .unwrap();
            runtime.block_on(send(&router, request))
        })
    });
    group.bench_function("check_server_function", |b| {
        b.iter(|| {
            let request = Request::post("/api/check")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form.clone()))
                .unwrap();
            runtime.block_on(send(&router, request))
        })
    });
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
