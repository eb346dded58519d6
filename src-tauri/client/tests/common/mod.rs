//! Shared helpers of the integration tests: every test runs the double in-process over real HTTP.
#![allow(dead_code)]

use std::time::Duration;

use phraseanet_client::{Api, HttpOptions, Secret, ServerUrl, SignIn};
use phraseanet_sim::{Dataset, Faults, Sim, SimOptions};

pub async fn sim() -> Sim {
    Sim::start(SimOptions::default()).await.expect("the double starts")
}

pub async fn sim_with(dataset: Dataset, faults: Faults) -> Sim {
    Sim::start(SimOptions { dataset, faults, ..Default::default() }).await.expect("the double starts")
}

/// Fast retries so fault tests do not crawl.
pub fn fast_opts() -> HttpOptions {
    HttpOptions { backoff: Duration::from_millis(10), retries: 6, ..HttpOptions::default() }
}

pub fn server(sim: &Sim) -> ServerUrl {
    ServerUrl::parse(sim.url()).unwrap()
}

/// An API client with the fixture developer token.
pub fn api(sim: &Sim) -> Api {
    Api::with_options(server(sim), Secret::new(&sim.fixtures().developer_token), fast_opts()).unwrap()
}

pub fn sign_in(sim: &Sim) -> SignIn {
    let app = &sim.fixtures().desktop_app;
    SignIn::new(server(sim), &app.client_id, Some(Secret::new(&app.client_secret))).unwrap()
}

/// Plays the person: opens the authorize page, logs in, reads the code.
pub async fn browser_code(sim: &Sim, sign_in: &SignIn) -> String {
    let f = sim.fixtures();
    let req = sign_in.authorize_url();
    phraseanet_sim::browser::Browser::new()
        .sign_in_and_get_code(&req.url, &f.login, &f.password)
        .await
        .expect("the browser gets a code")
}
