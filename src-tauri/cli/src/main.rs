//! `phraseanet-cli`: script and check a Phraseanet server with the same engine as the desktop app.

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "phraseanet-cli", version, about = "Phraseanet from the command line")]
struct Cli {
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Show what this client is and which API it speaks.
    About,
}

fn main() {
    let cli = Cli::parse();
    match cli.command {
        Command::About => {
            let info = phraseanet_client::about();
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&info).expect("AppInfo serializes"));
            } else {
                println!("{} {} — {}", info.name, info.version, info.api);
            }
        }
    }
}
