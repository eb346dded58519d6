//! Baskets: list, content, and their curation (api §5).

use reqwest::Method;

use super::{Api, Progress, RecordRef, Request};
use crate::error::{Error, Result};
use crate::models::*;

impl Api {
    // --- baskets ---

    pub async fn baskets(&self) -> Result<Vec<Basket>> {
        match self.get::<BasketsResponse>("baskets/list", &[]).await {
            Ok(list) => Ok(list.baskets),
            // docs/real-servers.md, "Server bugs": one vote basket without the caller as participant, or
            // with a deleted initiator, makes the whole list a 404 (V1Controller.php:1933-1965).
            Err(Error::NotFound(_)) => Err(Error::BasketListBroken),
            Err(e) => Err(e),
        }
    }

    pub async fn basket(&self, id: i64) -> Result<BasketContent> {
        self.basket_with_progress(id, None).await
    }

    /// A basket's content (v1 has no paging: the server builds every element before the first byte).
    pub async fn basket_with_progress(
        &self,
        id: i64,
        progress: Option<Progress<'_>>,
    ) -> Result<BasketContent> {
        let content: BasketContent = self.get_heavy(&format!("baskets/{id}/content"), &[], progress).await?;
        if content.basket.basket_id == 0 {
            return Err(Error::NotFound(format!("basket {id}")));
        }
        Ok(content)
    }

    pub async fn create_basket(&self, name: &str) -> Result<Basket> {
        Ok(self.post::<BasketResponse>("baskets/add", &[("name", name.to_string())]).await?.basket)
    }

    pub async fn rename_basket(&self, id: i64, name: &str) -> Result<Basket> {
        Ok(self
            .post::<BasketResponse>(&format!("baskets/{id}/setname"), &[("name", name.to_string())])
            .await?
            .basket)
    }

    pub async fn set_basket_description(&self, id: i64, description: &str) -> Result<Basket> {
        let form = [("description", description.to_string())];
        Ok(self.post::<BasketResponse>(&format!("baskets/{id}/setdescription"), &form).await?.basket)
    }

    /// Deletes a basket and returns the remaining ones.
    pub async fn delete_basket(&self, id: i64) -> Result<Vec<Basket>> {
        Ok(self.post::<BasketsResponse>(&format!("baskets/{id}/delete"), &[]).await?.baskets)
    }

    /// Adds records to a basket (api v2, Phraseanet 4.0+; docs/real-servers.md, "Basket editing"): the
    /// server skips records already there, records the user cannot see and unknown ones, and a story
    /// adds its children. Returns how many elements were added (the answer's elements are opaque).
    pub async fn add_to_basket(&self, id: i64, records: &[RecordRef]) -> Result<usize> {
        self.basket_records(Method::POST, id, records).await
    }

    /// Removes records from a basket (api v2); records not in it are ignored. Returns how many went.
    pub async fn remove_from_basket(&self, id: i64, records: &[RecordRef]) -> Result<usize> {
        self.basket_records(Method::DELETE, id, records).await
    }

    async fn basket_records(&self, method: Method, id: i64, records: &[RecordRef]) -> Result<usize> {
        let data: Vec<serde_json::Value> = records
            .iter()
            .map(|r| serde_json::json!({"databox_id": r.databox_id, "record_id": r.record_id}))
            .collect();
        let route = format!("baskets/{id}/records");
        let mut req = Request::new(method, &route, Vec::new(), None);
        req.v2_json = Some(serde_json::json!({ "data": data }));
        match self.call::<ElementsResponse>(req).await {
            Ok(answer) => Ok(answer.elements.len()),
            // 3.8 has no v2: the route is unknown (an unknown basket says "Basket … not found.").
            Err(Error::NotFound(m)) if m.contains("No route found") => {
                Err(Error::NotSupported("add or remove basket records (API v2)".into()))
            }
            Err(e) => Err(e),
        }
    }
}
