//! `phraseanet-sim` binary: prints one JSON line describing the demo app and user, then serves.

use clap::Parser;
use phraseanet_sim::{Dataset, Sim, SimOptions};

#[derive(Parser)]
#[command(name = "phraseanet-sim", version, about = "A Phraseanet double for tests and demos")]
struct Args {
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    #[arg(long, default_value_t = 0)]
    port: u16,
    #[arg(long, value_enum, default_value_t = Dataset::Demo)]
    dataset: Dataset,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let sim = Sim::start(SimOptions {
        bind: args.bind,
        port: args.port,
        dataset: args.dataset,
        ..Default::default()
    })
    .await?;
    let f = sim.fixtures();
    println!(
        "{}",
        serde_json::json!({"url": sim.url(), "client_id": f.desktop_app.client_id, "client_secret": f.desktop_app.client_secret,
            "login": f.login, "password": f.password, "developer_token": f.developer_token})
    );
    tokio::signal::ctrl_c().await?;
    sim.shutdown().await;
    Ok(())
}
