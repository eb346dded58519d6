//! `login`: OOB browser sign-in (or `--code`), loopback browser sign-in (`--loopback`, or a profile
//! that signs in that way), developer token, password grant.

use std::io::{BufRead, IsTerminal, Write};

use clap::Args;
use phraseanet_client::{
    AuthMethod, CancellationToken, Error, Result, Secret, SignIn, SignedIn, LOOPBACK_TIME_LIMIT,
};

use crate::context::Context;
use crate::output::Out;

#[derive(Args)]
pub struct LoginArgs {
    /// The code shown by the sign-in page (or the page's text, or a URL carrying it). Read from stdin
    /// when absent. It expires 30 seconds after the page showed it.
    #[arg(long)]
    code: Option<String>,
    /// Print the token on stdout instead of storing it (for scripts).
    #[arg(long)]
    print_token: bool,
    /// Do not try to open a browser: only print the sign-in address.
    #[arg(long)]
    no_browser: bool,
    /// Sign in with a developer token read from stdin (Phraseanet: your application's page).
    #[arg(long, conflicts_with_all = ["code", "username"])]
    with_token: bool,
    /// Sign in with login and password (password grant; the application must allow it). The password is
    /// read from stdin, or from PHRASEANET_PASSWORD.
    #[arg(long)]
    username: Option<String>,
    /// Browser sign-in that comes back to this command on http://127.0.0.1 (a *web* application
    /// registered with the callback http://127.0.0.1): nothing to paste. The default for profiles saved
    /// with `--auth loopback`.
    #[arg(long, conflicts_with_all = ["code", "with_token", "username"])]
    loopback: bool,
}

/// Reads one line from stdin (a secret: never echoed back by us).
pub fn read_secret_line(what: &str) -> Result<Secret> {
    if std::io::stdin().is_terminal() {
        eprint!("{what}: ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| Error::Io(e.to_string()))?;
    let line = line.trim();
    if line.is_empty() {
        return Err(Error::InvalidCode(format!("no {what} on standard input")));
    }
    Ok(Secret::new(line))
}

/// Waits (up to `LOOPBACK_TIME_LIMIT`, or Ctrl+C) for the browser to come back to a local port.
async fn loopback(sign_in: &SignIn, no_browser: bool) -> Result<SignedIn> {
    let lang = std::env::var("LC_ALL").or_else(|_| std::env::var("LANG")).unwrap_or_default();
    let started = sign_in.start_loopback(&lang).await?;
    let url = started.authorize().url.clone();
    eprintln!("Open this page and sign in; this command continues by itself when you are done:\n\n  {url}\n");
    if !no_browser && std::io::stderr().is_terminal() && open::that_detached(&url).is_err() {
        eprintln!("(could not open a browser: copy the address above)");
    }
    eprintln!("Waiting for the browser (Ctrl+C to give up)…");
    let cancel = CancellationToken::new();
    let on_interrupt = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_interrupt.cancel();
        }
    });
    started.finish(cancel, LOOPBACK_TIME_LIMIT).await
}

pub async fn run(ctx: &Context, out: &Out, args: LoginArgs) -> Result<()> {
    let (sign_in, profile) = ctx.sign_in()?;
    let method = profile.as_ref().map(|p| p.auth).unwrap_or_default();
    let with_token = args.with_token || (method == AuthMethod::DeveloperToken && args.code.is_none());
    if method == AuthMethod::PasswordGrant && args.username.is_none() && args.code.is_none() && !with_token {
        return Err(Error::InvalidProfile(
            "this profile signs in with a password: add --username LOGIN".into(),
        ));
    }
    let signed: SignedIn = if with_token {
        let token = match ctx.global.token.as_deref() {
            Some(t) => Secret::new(t),
            None => read_secret_line("developer token")?,
        };
        sign_in.finish_developer_token(token).await?
    } else if let Some(user) = &args.username {
        let password = match std::env::var("PHRASEANET_PASSWORD") {
            Ok(p) if !p.is_empty() => Secret::new(p),
            _ => read_secret_line("password")?,
        };
        sign_in.finish_password(user, &password).await?
    } else if args.loopback || (method == AuthMethod::Loopback && args.code.is_none()) {
        loopback(&sign_in, args.no_browser).await?
    } else {
        let pasted = match &args.code {
            Some(c) => c.clone(),
            None => {
                let req = sign_in.authorize_url();
                eprintln!("Open this page, sign in, then paste the access code it shows:\n\n  {}\n", req.url);
                if !args.no_browser
                    && std::io::stderr().is_terminal()
                    && open::that_detached(&req.url).is_err()
                {
                    eprintln!("(could not open a browser: copy the address above)");
                }
                eprintln!("The code expires 30 seconds after the page shows it.");
                read_secret_line("access code")?.expose().to_string()
            }
        };
        sign_in.finish_oob(&pasted).await?
    };
    let name = signed.me.user.name();
    if args.print_token {
        println!("{}", signed.token().expose());
        eprintln!("Signed in to {} as {name} (token not stored).", sign_in.server());
        return Ok(());
    }
    let Some(profile) = profile else {
        return Err(Error::InvalidProfile(
            "nowhere to store the token: add --profile NAME to save one, or --print-token".into(),
        ));
    };
    let vault = ctx.vault()?;
    let session = signed.remember(&ctx.profiles()?, &vault, &profile)?;
    if !vault.persistent() {
        eprintln!("Note: the token is kept for this run only (--session-only).");
    }
    if out.json {
        out.value(&session.profile().summary(true))
    } else {
        out.line(&format!("Signed in to {} as {name} (profile {:?}).", sign_in.server(), profile.name));
        Ok(())
    }
}
