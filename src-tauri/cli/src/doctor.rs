//! `doctor`: the connection doctor for the profile (or `--server`, `--client-id`, `--token`). Prints
//! the redacted report (or `--json`); exits with 2 when a check failed, so scripts can tell.

use std::io::Write;

use phraseanet_client::doctor::{diagnose, DoctorInput};
use phraseanet_client::{Result, Secret};

use crate::context::Context;
use crate::output::{clean, Out};

pub async fn run(ctx: &Context, out: &Out) -> Result<()> {
    let token = ctx.global.token.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(Secret::new);
    let input = match &ctx.global.server {
        Some(server) => DoctorInput {
            server: server.clone(),
            client_id: ctx.global.client_id.clone(),
            token,
            ..DoctorInput::default()
        },
        None => {
            let p = ctx.profile()?;
            let stored = match token {
                Some(t) => Some(t),
                None => ctx.vault()?.token_for(&p)?,
            };
            DoctorInput {
                server: p.server.clone(),
                client_id: Some(p.client_id.clone()),
                auth: Some(p.auth),
                token: stored,
                transport: Some(p.token_transport),
            }
        }
    };
    let report = diagnose(&input, &ctx.http()?).await;
    if out.json {
        out.value(&report)?;
    } else {
        print!("{}", clean(&report.text));
    }
    let _ = std::io::stdout().flush();
    if !report.healthy() {
        std::process::exit(2);
    }
    Ok(())
}
