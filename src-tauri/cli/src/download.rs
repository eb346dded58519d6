//! `download basket|record … --to DIR`, with a progress bar on a terminal.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;

use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use phraseanet_client::{
    CancellationToken, DownloadOutcome, DownloadProgress, Error, Media, MediaOptions, RecordRef, Result,
};

use crate::context::Context;
use crate::output::Out;

#[derive(Subcommand)]
pub enum DownloadCommand {
    /// Every record of a basket (stories are skipped).
    Basket {
        id: i64,
        #[arg(long)]
        to: PathBuf,
        /// Sub-definition to fetch (document = the original file).
        #[arg(long, default_value = "document")]
        subdef: String,
    },
    /// One record.
    Record {
        databox: i64,
        record: i64,
        #[arg(long)]
        to: PathBuf,
        #[arg(long, default_value = "document")]
        subdef: String,
    },
}

struct Bar {
    bar: Option<ProgressBar>,
    seen: Mutex<std::collections::HashMap<String, u64>>,
}

impl Bar {
    fn new() -> Bar {
        let bar = std::io::stderr().is_terminal().then(|| {
            let b = ProgressBar::new(0);
            b.set_style(
                ProgressStyle::with_template("{spinner} {bytes}/{total_bytes} {bytes_per_sec} {wide_msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            b
        });
        Bar { bar, seen: Mutex::new(Default::default()) }
    }

    fn update(&self, p: &DownloadProgress) {
        let Some(bar) = &self.bar else { return };
        let mut seen = self.seen.lock().expect("progress lock");
        let before = seen.insert(p.id.clone(), p.received).unwrap_or(0);
        if before == 0 {
            if let Some(t) = p.total {
                bar.inc_length(t);
            }
        }
        bar.inc(p.received.saturating_sub(before));
        bar.set_message(p.file_name.clone());
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

pub async fn run(ctx: &Context, out: &Out, cmd: DownloadCommand) -> Result<()> {
    let api = ctx.api().await?;
    // A private scratch cache (random name, 0700, removed on drop): a predictable /tmp name could be
    // planted by another user.
    let scratch = tempfile::Builder::new().prefix("phraseanet-cli-").tempdir()?;
    let cache = scratch.path().to_path_buf();
    let media = Media::new(api, MediaOptions::in_dir(&cache))?;
    let cancel = CancellationToken::new();
    let on_ctrl_c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_ctrl_c.cancel();
        }
    });
    let bar = Bar::new();
    let progress = |p: DownloadProgress| bar.update(&p);
    let result = match cmd {
        DownloadCommand::Record { databox, record, to, subdef } => {
            let r = RecordRef::new(databox, record);
            media
                .download_record(r, &subdef, &to, &progress, &cancel)
                .await
                .map(|f| vec![DownloadOutcome::new(r, Ok(f))])
        }
        DownloadCommand::Basket { id, to, subdef } => {
            media.download_basket(id, &subdef, &to, &progress, &cancel).await
        }
    };
    bar.finish();
    drop(scratch);
    let outcomes = result?;
    let failed = outcomes.iter().filter(|o| o.error.is_some()).count();
    if out.json {
        out.value(&outcomes)?;
    } else {
        for o in &outcomes {
            let r = o.record;
            match (&o.file, &o.error) {
                (Some(f), _) => println!("{}/{}\t{}\t{} bytes", r.databox_id, r.record_id, f.path, f.size),
                (None, Some(e)) => eprintln!("{}/{}\tfailed: {}", r.databox_id, r.record_id, e.message),
                (None, None) => {}
            }
        }
    }
    match failed {
        0 => Ok(()),
        n => Err(Error::Io(format!("{n} of {} files failed", outcomes.len()))),
    }
}
