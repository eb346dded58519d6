//! `phraseanet-cli`: script and check a Phraseanet server with the same engine as the desktop app.

mod basket;
mod context;
mod doctor;
mod download;
mod login;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use phraseanet_client::{AuthMethod, Error, ErrorPayload, RecordRef};

use context::Context;

#[derive(Parser)]
#[command(name = "phraseanet-cli", version, about = "Phraseanet from the command line")]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// Options placed before the command.
#[derive(Args, Clone, Debug)]
pub struct Global {
    /// Profile to use (see `profile list`); the only profile when there is one.
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// Server URL, instead of a profile (no keyring needed with --token).
    #[arg(long, global = true)]
    pub server: Option<String>,
    /// OAuth client id of the application (with --server).
    #[arg(long, global = true, env = "PHRASEANET_CLIENT_ID")]
    pub client_id: Option<String>,
    /// OAuth client secret (optional for the server; with --server).
    #[arg(long, global = true, env = "PHRASEANET_CLIENT_SECRET", hide_env_values = true)]
    pub client_secret: Option<String>,
    /// Access token to use instead of the one in the keyring.
    #[arg(long, global = true, env = "PHRASEANET_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Folder of the profiles file (default: the platform config dir).
    #[arg(long, global = true, env = "PHRASEANET_CONFIG_DIR", hide = true)]
    pub config_dir: Option<PathBuf>,
    /// Keep secrets in memory only for this run (no keyring; for checks and CI).
    #[arg(long, global = true, hide = true)]
    pub session_only: bool,
    /// A PEM certificate to trust besides the system's (a company CA, a test server's own certificate).
    #[arg(long, global = true, env = "PHRASEANET_CA_CERT")]
    pub ca_cert: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Show what this client is and which API it speaks.
    About,
    /// Manage connection profiles.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Sign in: opens the authorize page, then reads the code it shows.
    Login(login::LoginArgs),
    /// Forget the token of the profile.
    Logout,
    /// Show who the token belongs to.
    Whoami,
    /// List your baskets.
    Baskets,
    /// Show a basket's elements (`basket ID`), or build baskets: `basket create|rename|describe|delete|add|remove`.
    Basket(basket::BasketArgs),
    /// Show a record (with its sub-definitions and caption).
    Record { databox: i64, record: i64 },
    /// Show a story and its records.
    Story { databox: i64, record: i64 },
    /// Where a record is used: your baskets holding it and the stories containing it.
    Related { databox: i64, record: i64 },
    /// Search records (or stories) with Phraseanet's query syntax (`field:value`, AND/OR/NOT, "phrases").
    Search {
        query: String,
        /// Search stories instead of records.
        #[arg(long)]
        stories: bool,
        /// 0-based offset of the first result.
        #[arg(long, default_value_t = 0)]
        offset: u64,
        #[arg(long, default_value_t = 20)]
        per_page: u64,
        /// Only this record type: image, video, audio, document, flash.
        #[arg(long = "type")]
        record_type: Option<String>,
        /// Only these collections (base ids, see `collections`); repeat for several.
        #[arg(long = "base")]
        bases: Vec<i64>,
        /// Dates from (Y/m/d or Y-m-d), on `--date-field` (default: the record's dates).
        #[arg(long)]
        from: Option<String>,
        /// Dates up to (Y/m/d or Y-m-d).
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        date_field: Option<String>,
        /// relevance, created_on, updated_on or a field name.
        #[arg(long)]
        sort: Option<String>,
        /// asc or desc.
        #[arg(long)]
        ord: Option<String>,
        /// Also print the facets (the values that narrow the results, with their counts).
        #[arg(long)]
        facets: bool,
    },
    /// List the databoxes and collections you can search (their base ids are `search --base`).
    Collections,
    /// List the feeds you can read.
    Feeds,
    /// Show a feed's entries (one feed's come oldest first, as the server sends them).
    Feed {
        id: i64,
        #[arg(long, default_value_t = 0)]
        offset: u64,
        #[arg(long, default_value_t = 20)]
        per_page: u64,
    },
    /// Download files.
    #[command(subcommand)]
    Download(download::DownloadCommand),
    /// Check the connection step by step (address, TLS, API, token transport, application, token,
    /// clock, proxy) and print a report to paste in a ticket; exits with 2 when a check failed.
    Doctor,
}

#[derive(Subcommand)]
enum ProfileCommand {
    /// Add or replace a profile: `profile add NAME --server URL --client-id ID`.
    Add {
        name: String,
        #[arg(long, value_enum, default_value = "oauth-oob")]
        auth: AuthArg,
        /// Read the application's client secret from stdin and keep it in the keyring.
        #[arg(long)]
        client_secret_stdin: bool,
    },
    /// List profiles.
    List,
    /// Remove a profile and its secrets.
    Remove { name: String },
}

#[derive(clap::ValueEnum, Clone, Copy)]
enum AuthArg {
    OauthOob,
    /// A web application with the callback http://127.0.0.1: the browser comes back by itself.
    Loopback,
    DeveloperToken,
    PasswordGrant,
}

impl From<AuthArg> for AuthMethod {
    fn from(a: AuthArg) -> Self {
        match a {
            AuthArg::OauthOob => AuthMethod::OauthOob,
            AuthArg::Loopback => AuthMethod::Loopback,
            AuthArg::DeveloperToken => AuthMethod::DeveloperToken,
            AuthArg::PasswordGrant => AuthMethod::PasswordGrant,
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    // Other local users read command lines (`ps`, /proc/<pid>/cmdline): say so, and how to avoid it.
    for (arg, flag, env) in [
        ("token", "--token", "PHRASEANET_TOKEN"),
        ("client_secret", "--client-secret", "PHRASEANET_CLIENT_SECRET"),
    ] {
        if matches.value_source(arg) == Some(ValueSource::CommandLine) {
            let warning =
                format!("{flag} on the command line is visible to other users of this machine; set {env} or use stdin instead");
            match cli.global.json {
                true => eprintln!("{}", serde_json::json!({ "warning": warning })),
                false => eprintln!("warning: {warning}"),
            }
        }
    }
    let json = cli.global.json;
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let mut payload = ErrorPayload::from(&e);
            // Messages can quote the server: no terminal escape sequence gets through.
            payload.message = output::clean(&payload.message);
            if json {
                eprintln!("{}", serde_json::to_string(&payload).unwrap_or_default());
            } else {
                eprintln!("error: {}", payload.message);
                if let Some(h) = payload.hint {
                    eprintln!("hint: {h}");
                }
            }
            match e {
                Error::SignedOut | Error::NotSignedIn => ExitCode::from(3),
                _ => ExitCode::FAILURE,
            }
        }
    }
}

async fn run(cli: Cli) -> Result<(), Error> {
    let ctx = Context::new(cli.global.clone());
    let out = output::Out { json: ctx.global.json };
    match cli.command {
        Command::About => out.about(&phraseanet_client::about()),
        Command::Profile(cmd) => profile(&ctx, &out, cmd),
        Command::Login(args) => login::run(&ctx, &out, args).await,
        Command::Logout => ctx.logout(&out),
        Command::Doctor => doctor::run(&ctx, &out).await,
        Command::Whoami => {
            let api = ctx.api().await?;
            out.me(&api.me().await?, api.server().as_str())
        }
        Command::Baskets => out.baskets(&ctx.api().await?.baskets().await?),
        Command::Basket(args) => basket::run(&ctx, &out, args).await,
        Command::Record { databox, record } => {
            let api = ctx.api().await?;
            let r = RecordRef::new(databox, record);
            let (rec, embed, caption) =
                tokio::try_join!(api.record(r), api.record_embed(r, None), api.record_caption(r))?;
            out.record(&rec, &embed, &caption)
        }
        Command::Story { databox, record } => {
            out.story(&ctx.api().await?.story(RecordRef::new(databox, record)).await?)
        }
        Command::Search {
            query,
            stories,
            offset,
            per_page,
            record_type,
            bases,
            from,
            to,
            date_field,
            sort,
            ord,
            facets,
        } => {
            let day = |d: Option<String>| d.map(|d| d.replace('-', "/"));
            let q = phraseanet_client::models::SearchQuery {
                query,
                stories,
                offset_start: offset,
                per_page,
                record_type,
                bases,
                sort,
                ord,
                date_min: day(from),
                date_max: day(to),
                date_field,
            };
            out.search(&ctx.api().await?.search(&q).await?, facets)
        }
        Command::Related { databox, record } => {
            out.related(&ctx.api().await?.record_related(RecordRef::new(databox, record)).await?)
        }
        Command::Collections => {
            let api = ctx.api().await?;
            let me = api.me().await?;
            out.collections(&api.searchable_collections(&me).await?)
        }
        Command::Feeds => out.feeds(&ctx.api().await?.feeds().await?),
        Command::Feed { id, offset, per_page } => {
            out.feed(&ctx.api().await?.feed(id, offset, per_page).await?)
        }
        Command::Download(cmd) => download::run(&ctx, &out, cmd).await,
    }
}

fn profile(ctx: &Context, out: &output::Out, cmd: ProfileCommand) -> Result<(), Error> {
    let store = ctx.profiles()?;
    match cmd {
        ProfileCommand::Add { name, auth, client_secret_stdin } => {
            let (Some(url), Some(client_id)) = (&ctx.global.server, &ctx.global.client_id) else {
                return Err(Error::InvalidProfile("give --server URL and --client-id ID".into()));
            };
            let profile = phraseanet_client::Profile::new(&name, url, client_id, auth.into())?;
            let secret = if client_secret_stdin {
                Some(login::read_secret_line("client secret")?)
            } else {
                ctx.global.client_secret.as_deref().map(phraseanet_client::Secret::new)
            };
            let vault = ctx.vault()?;
            let secret = secret.filter(|s| !s.is_empty());
            // A profile pointed at another server loses its token, and its client secret unless a new
            // one is given: neither may reach the new server.
            let moved = phraseanet_client::save_profile(&store, &vault, &profile, secret.is_some())?;
            if let Some(secret) = secret {
                vault.set(&profile.name, phraseanet_client::SecretKind::ClientSecret, &secret)?;
            }
            if moved {
                out.line(&format!(
                    "Profile {:?} now points at {}: sign in again.",
                    profile.name, profile.server
                ));
            } else {
                out.line(&format!("Profile {:?} saved ({}).", profile.name, profile.server));
            }
            Ok(())
        }
        ProfileCommand::List => {
            let vault = ctx.vault().ok();
            let list: Vec<_> = store
                .list()?
                .iter()
                .map(|p| {
                    let signed_in = vault.as_ref().and_then(|v| v.token_for(p).ok().flatten()).is_some();
                    p.summary(signed_in)
                })
                .collect();
            out.profiles(&list)
        }
        ProfileCommand::Remove { name } => {
            store.remove(&name)?;
            if let Ok(v) = ctx.vault() {
                v.forget_profile(&name)?;
            }
            out.line(&format!("Profile {name:?} removed."));
            Ok(())
        }
    }
}
