//! Building baskets: create, rename, describe, delete (api §5 Baskets, v1) and add or remove records
//! (api v2, Phraseanet 4.0+; docs/real-servers.md, "Basket editing"). Reordering is not offered: the v2
//! reorder route's server action is empty.

use phraseanet_client::{Error, RecordRef, Result};
use serde::Serialize;
use ts_rs::TS;

use super::baskets::summary;
use super::models::BasketSummary;
use crate::Desktop;

/// Phraseanet's `Baskets.name` column is a VARCHAR(128).
pub const BASKET_NAME_MAX: usize = 128;
/// More records than this in one change is split in several requests (each a JSON body the server
/// decodes and checks record by record).
const RECORDS_PER_CALL: usize = 200;

/// What the profile's server lets the app do to baskets.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CurationSupport {
    /// Adding and removing records (API v2 in the server's discovery answer).
    pub records: bool,
}

/// The outcome of adding or removing records.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BasketChange {
    pub basket_id: i64,
    /// Elements the server added or removed (it skips duplicates and records the user cannot see).
    pub changed: u32,
    /// Records asked for that changed nothing.
    pub unchanged: u32,
    /// The basket's element count, when it was known before.
    pub element_count: Option<u32>,
}

fn basket_name(name: &str) -> Result<String> {
    let name: String = name.trim().chars().filter(|c| !c.is_control()).collect();
    if name.is_empty() {
        return Err(Error::InvalidInput("A basket needs a name.".into()));
    }
    if name.chars().count() > BASKET_NAME_MAX {
        return Err(Error::InvalidInput(format!("A basket name has at most {BASKET_NAME_MAX} characters.")));
    }
    Ok(name)
}

impl Desktop {
    pub async fn curation_support(&self, profile: &str) -> Result<CurationSupport> {
        let state = self.browse_state(profile)?;
        Ok(CurationSupport { records: state.server_info().await?.has_v2() })
    }

    /// A new basket of the user's, with its description when one is given.
    pub async fn create_basket(&self, profile: &str, name: &str, description: &str) -> Result<BasketSummary> {
        let state = self.browse_state(profile)?;
        let name = basket_name(name)?;
        let (mut basket, me) = tokio::try_join!(state.api.create_basket(&name), state.me())?;
        if !description.trim().is_empty() {
            basket = state.api.set_basket_description(basket.basket_id, description.trim()).await?;
        }
        state.set_count(basket.basket_id, 0);
        Ok(summary(&state, &basket, me.user.id))
    }

    pub async fn rename_basket(&self, profile: &str, id: i64, name: &str) -> Result<BasketSummary> {
        let state = self.browse_state(profile)?;
        let name = basket_name(name)?;
        let (basket, me) = tokio::try_join!(state.api.rename_basket(id, &name), state.me())?;
        Ok(summary(&state, &basket, me.user.id))
    }

    pub async fn describe_basket(&self, profile: &str, id: i64, description: &str) -> Result<BasketSummary> {
        let state = self.browse_state(profile)?;
        let (basket, me) =
            tokio::try_join!(state.api.set_basket_description(id, description.trim()), state.me())?;
        Ok(summary(&state, &basket, me.user.id))
    }

    /// Deletes the basket on the server (there is no undo there).
    pub async fn delete_basket(&self, profile: &str, id: i64) -> Result<()> {
        let state = self.browse_state(profile)?;
        state.api.delete_basket(id).await?;
        state.forget_basket(id);
        Ok(())
    }

    pub async fn add_to_basket(&self, profile: &str, id: i64, records: &[RecordRef]) -> Result<BasketChange> {
        self.change_basket(profile, id, records, true).await
    }

    pub async fn remove_from_basket(
        &self,
        profile: &str,
        id: i64,
        records: &[RecordRef],
    ) -> Result<BasketChange> {
        self.change_basket(profile, id, records, false).await
    }

    async fn change_basket(
        &self,
        profile: &str,
        id: i64,
        records: &[RecordRef],
        add: bool,
    ) -> Result<BasketChange> {
        let state = self.browse_state(profile)?;
        if !state.server_info().await?.has_v2() {
            return Err(Error::NotSupported("add or remove basket records (it has no API v2)".into()));
        }
        let mut unique: Vec<RecordRef> = Vec::with_capacity(records.len());
        for r in records {
            if !unique.contains(r) {
                unique.push(*r);
            }
        }
        let mut changed = 0usize;
        for chunk in unique.chunks(RECORDS_PER_CALL) {
            changed += if add {
                state.api.add_to_basket(id, chunk).await?
            } else {
                state.api.remove_from_basket(id, chunk).await?
            };
        }
        let element_count = state.count(id).map(|n| {
            let n = n as i64 + if add { changed as i64 } else { -(changed as i64) };
            n.clamp(0, u32::MAX as i64) as u32
        });
        if let Some(n) = element_count {
            state.set_count(id, n);
        }
        // The votes and embeds of the old content no longer describe the basket.
        state.forget_votes(id);
        let changed = changed.min(u32::MAX as usize) as u32;
        Ok(BasketChange {
            basket_id: id,
            changed,
            unchanged: (records.len() as u32).saturating_sub(changed),
            element_count,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basket_names_are_trimmed_bounded_and_never_empty() {
        assert_eq!(basket_name("  Summer \n").unwrap(), "Summer");
        assert!(matches!(basket_name(" \t "), Err(Error::InvalidInput(_))));
        assert!(basket_name(&"x".repeat(BASKET_NAME_MAX)).is_ok());
        assert!(basket_name(&"é".repeat(BASKET_NAME_MAX + 1)).is_err());
        assert_eq!(basket_name("<b>bold</b>").unwrap(), "<b>bold</b>", "stored as typed; shown as text");
    }
}
