//! The basket list and an opened basket (api §5 Baskets, §6 Basket/BasketElement).

use std::cmp::Reverse;

use phraseanet_client::models::{Basket, BasketElement};
use phraseanet_client::{CancellationToken, Error, RecordRef, Result};

use super::grid::{grid_item, participant_name, unix_seconds, user_name};
use super::models::*;
use super::state::{BasketVotes, BrowseSession};
use super::views::View;
use crate::Desktop;

fn vote_info(b: &Basket) -> Option<VoteInfo> {
    b.validation_basket.then(|| VoteInfo {
        expires_on: b.expires_on.clone(),
        confirmed: b.validation_confirmed,
        initiator: user_name(b.validation_initiator_user.as_ref()),
        is_initiator: b.validation_initiator,
        infos: b.validation_infos.clone(),
    })
}

/// The Lightbox page where the user votes (Phraseanet's `lightbox_validation` route, mounted at
/// `/lightbox/`): the API cannot cast votes.
pub fn lightbox_url(server: &str, basket_id: i64) -> String {
    format!("{}/lightbox/validate/{basket_id}/", server.trim_end_matches('/'))
}

/// `me`: the signed-in user's id. A plain basket owned by someone else was shared with the user (4.1.7+:
/// a participant without a vote, BasketRepository.php:154-178); rename and delete would be refused.
fn info(b: &Basket, me: i64) -> BasketInfo {
    let owner_id = b.owner.as_ref().map(|o| o.id);
    BasketInfo {
        shared_by: (!b.validation_basket && owner_id.is_some_and(|id| id != me))
            .then(|| user_name(b.owner.as_ref()))
            .flatten(),
        // Without an owner (older shapes), a vote basket is the user's when they asked for the votes.
        own: owner_id.map_or(!b.validation_basket || b.validation_initiator, |id| id == me),
        id: b.basket_id,
        name: b.name.clone(),
        description: b.description.clone(),
        owner: user_name(b.owner.as_ref()),
        pusher: user_name(b.pusher.as_ref()),
        created_on: b.created_on.clone(),
        updated_on: b.updated_on.clone(),
        unread: b.unread,
    }
}

fn header(b: &Basket, server: &str, me: i64) -> BasketHeader {
    BasketHeader {
        info: info(b, me),
        vote: vote_info(b).map(|v| VoteHeader {
            info: v,
            participants: b
                .validation_users
                .iter()
                .map(|p| VoteParticipant {
                    user_id: p.usr_id,
                    name: participant_name(p),
                    confirmed: p.confirmed,
                    can_agree: p.can_agree,
                    can_see_others: p.can_see_others,
                    readonly: p.readonly,
                })
                .collect(),
            lightbox_url: lightbox_url(server, b.basket_id),
        }),
    }
}

fn element_vote(e: &BasketElement) -> ElementVote {
    let yes = e.validation_choices.iter().filter(|c| c.agreement == Some(true)).count() as u32;
    let no = e.validation_choices.iter().filter(|c| c.agreement == Some(false)).count() as u32;
    ElementVote { agreement: e.agreement, yes, no }
}

pub(crate) fn vote_entries(e: &BasketElement) -> Vec<VoteEntry> {
    e.validation_choices
        .iter()
        .map(|c| VoteEntry {
            participant: participant_name(&c.validation_user),
            agreement: c.agreement,
            note: c.note.clone(),
            updated_on: c.updated_on.clone(),
        })
        .collect()
}

/// One sidebar line; `me` is the user's id (own baskets vs shared ones).
pub(super) fn summary(state: &BrowseSession, b: &Basket, me: i64) -> BasketSummary {
    BasketSummary { info: info(b, me), element_count: state.count(b.basket_id), vote: vote_info(b) }
}

/// Newest first by `updated_on` (then `created_on`), undated last; ties by id, newest first.
fn sort_newest_first(list: &mut [BasketSummary]) {
    list.sort_by_cached_key(|b| {
        let when = b.info.updated_on.as_deref().or(b.info.created_on.as_deref()).and_then(unix_seconds);
        (Reverse(when), Reverse(b.info.id))
    });
}

impl Desktop {
    /// The user's baskets (own ones and those shared for feedback), newest first.
    pub async fn baskets(&self, profile: &str) -> Result<Vec<BasketSummary>> {
        let state = self.browse_state(profile)?;
        let (list, me) = tokio::join!(state.api.baskets(), state.me());
        let list = list?;
        let me = me?.user.id;
        let mut out: Vec<BasketSummary> = list.iter().map(|b| summary(&state, b, me)).collect();
        sort_newest_first(&mut out);
        self.keep_view(profile, View::Baskets, &out);
        Ok(out)
    }

    /// An opened basket: header and elements in `ord` order. Thumbnails enter the media index; the
    /// element count and (vote baskets) the votes are remembered for the list and the record panel.
    pub async fn basket(&self, profile: &str, basket_id: i64) -> Result<BasketView> {
        self.basket_watched(profile, basket_id, &|_| {}).await
    }

    /// `basket`, telling `progress` the bytes received (nothing while the server still builds the
    /// answer: tens of seconds for big baskets on real servers). Opening another basket of the profile,
    /// or `cancel_basket`, ends it with `cancelled`.
    pub async fn basket_watched(
        &self,
        profile: &str,
        basket_id: i64,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<BasketView> {
        let state = self.browse_state(profile)?;
        let cancel = CancellationToken::new();
        if let Some(previous) = state.loading.lock().expect("loading lock").replace(cancel.clone()) {
            previous.cancel();
        }
        // At most ten reports a second: a 20 MB answer arrives in thousands of chunks.
        let last = std::sync::Mutex::new(None::<std::time::Instant>);
        let throttled = |bytes: u64| {
            let mut last = last.lock().expect("progress lock");
            if last.is_none_or(|t| t.elapsed() >= std::time::Duration::from_millis(100)) {
                *last = Some(std::time::Instant::now());
                progress(bytes);
            }
        };
        let loaded = tokio::select! {
            r = state.api.basket_with_progress(basket_id, Some(&throttled)) => r,
            _ = cancel.cancelled() => Err(Error::Cancelled),
        };
        let view = self.basket_view(profile, &state, basket_id, loaded?).await;
        // The answer's bytes and its decoded content are gone by now (megabytes for a big basket).
        super::memory::give_back();
        view
    }

    /// The grid's view of a basket's content; kept on disk (with its thumbnails' sources) for next time.
    pub(crate) async fn basket_view(
        &self,
        profile: &str,
        state: &BrowseSession,
        basket_id: i64,
        mut content: phraseanet_client::models::BasketContent,
    ) -> Result<BasketView> {
        let me = state.me().await?.user.id;
        // The server sends `ord` ascending already (api §5); a stable sort keeps that promise anyway.
        content.basket_elements.sort_by_key(|e| e.order);
        let vote = content.basket.validation_basket;
        state.index_thumbnails(
            content
                .basket_elements
                .iter()
                .filter_map(|e| Some((RecordRef::from(&e.record), e.record.thumbnail.as_ref()?))),
        );
        let elements: Vec<GridItem> = content
            .basket_elements
            .iter()
            .map(|e| {
                let mut item = grid_item(&e.record, Some(e.basket_element_id));
                if vote {
                    item.vote = Some(element_vote(e));
                }
                item
            })
            .collect();
        state.set_count(basket_id, elements.len() as u32);
        // Remembered for plain baskets too (empty): the record panel then never reloads the content.
        let votes: BasketVotes = match vote {
            true => content.basket_elements.iter().map(|e| (e.basket_element_id, vote_entries(e))).collect(),
            false => BasketVotes::new(),
        };
        state.set_votes(basket_id, votes);
        let view = BasketView { header: header(&content.basket, state.api.server().as_str(), me), elements };
        self.keep_view(profile, View::Basket(basket_id), &view);
        let records: Vec<RecordRef> = view.elements.iter().map(GridItem::record).collect();
        self.keep_media(profile, View::BasketMedia(basket_id), &records);
        Ok(view)
    }

    /// The Lightbox page of a basket on the profile's server (where votes are cast).
    pub fn lightbox(&self, profile: &str, basket_id: i64) -> Result<String> {
        Ok(lightbox_url(&self.profile(profile)?.server, basket_id))
    }

    /// Abandons the basket content being loaded for `profile`, if any.
    pub fn cancel_basket(&self, profile: &str) {
        if let Ok(state) = self.browse_state(profile) {
            if let Some(loading) = state.loading.lock().expect("loading lock").take() {
                loading.cancel();
            }
        }
    }
}
