//! `basket <id>` shows a basket; `basket create|rename|describe|delete|add|remove` builds one. Each
//! change prints the resulting basket (delete: the baskets left).

use clap::{Args, Subcommand};
use phraseanet_client::{Error, RecordRef};

use crate::context::Context;
use crate::output::Out;

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BasketArgs {
    /// The basket to show.
    id: Option<i64>,
    #[command(subcommand)]
    action: Option<BasketAction>,
}

#[derive(Subcommand)]
enum BasketAction {
    /// Create a basket.
    Create {
        name: String,
        #[arg(long)]
        description: Option<String>,
    },
    /// Rename a basket you own.
    Rename { id: i64, name: String },
    /// Set the description of a basket you own ("" clears it).
    Describe { id: i64, description: String },
    /// Delete a basket you own (there is no undo on the server).
    Delete { id: i64 },
    /// Add records (DATABOX/RECORD …) to a basket; a story adds its records (Phraseanet 4.0+).
    Add {
        id: i64,
        #[arg(required = true, value_parser = record_ref)]
        records: Vec<RecordRef>,
    },
    /// Remove records (DATABOX/RECORD …) from a basket (Phraseanet 4.0+).
    Remove {
        id: i64,
        #[arg(required = true, value_parser = record_ref)]
        records: Vec<RecordRef>,
    },
}

fn record_ref(s: &str) -> Result<RecordRef, String> {
    let (d, r) = s.split_once('/').ok_or_else(|| format!("{s:?} is not DATABOX/RECORD (e.g. 1/42)"))?;
    match (d.trim().parse(), r.trim().parse()) {
        (Ok(d), Ok(r)) => Ok(RecordRef::new(d, r)),
        _ => Err(format!("{s:?} is not DATABOX/RECORD (e.g. 1/42)")),
    }
}

pub async fn run(ctx: &Context, out: &Out, args: BasketArgs) -> Result<(), Error> {
    let api = ctx.api().await?;
    let id = match (args.action, args.id) {
        (None, Some(id)) => id,
        (None, None) => {
            return Err(Error::InvalidInput("Give a basket id to show, or an action (see --help).".into()))
        }
        (Some(action), _) => match action {
            BasketAction::Create { name, description } => {
                let name = name.trim();
                if name.is_empty() {
                    return Err(Error::InvalidInput("A basket needs a name.".into()));
                }
                let basket = api.create_basket(name).await?;
                if let Some(d) = description.filter(|d| !d.trim().is_empty()) {
                    api.set_basket_description(basket.basket_id, d.trim()).await?;
                }
                basket.basket_id
            }
            BasketAction::Rename { id, name } => api.rename_basket(id, name.trim()).await?.basket_id,
            BasketAction::Describe { id, description } => {
                api.set_basket_description(id, description.trim()).await?.basket_id
            }
            BasketAction::Delete { id } => return out.baskets(&api.delete_basket(id).await?),
            BasketAction::Add { id, records } => {
                let n = api.add_to_basket(id, &records).await?;
                out.line(&format!(
                    "{n} added, {} already there or not accessible",
                    records.len().saturating_sub(n)
                ));
                id
            }
            BasketAction::Remove { id, records } => {
                let n = api.remove_from_basket(id, &records).await?;
                out.line(&format!("{n} removed"));
                id
            }
        },
    };
    out.basket(&api.basket(id).await?)
}
