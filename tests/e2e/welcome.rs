use crate::harness::App;

#[tokio::test]
#[ignore = "needs a display: run `make test`"]
async fn welcome_screen_round_trips_through_rust() {
    let app = App::launch("welcome", &[]).await;
    assert_eq!(app.client.title().await.unwrap(), "Phraseanet Desktop");
    app.wait_text("h1", "the app name", |t| t == "Phraseanet Desktop").await;

    app.click("#about-btn").await;
    let answer = app.wait_text("#about-result", "the engine's answer", |t| t.contains("speaks")).await;
    // The version shown comes from the Rust crate, not from the UI bundle.
    assert!(answer.contains(env!("CARGO_PKG_VERSION")), "answer {answer:?} lacks the crate version");
    let shot = app.screenshot("answered").await;
    assert!(std::fs::metadata(shot).unwrap().len() > 1000);
    app.close().await;
}
