//! The contacts at a tile of a version, a page at a time, from the target runtime.

use runtime::storage::{ContactsAt, TileContactsPage, TileContactsQuery};

use super::{RuntimeClient, encode, from_runtime};
use crate::ops::Result;

impl RuntimeClient {
    /// One page of the contacts of `query` on version `number` of `journey_id`.
    pub fn tile_contacts(
        &self,
        journey_id: &str,
        number: i64,
        query: &TileContactsQuery,
    ) -> Result<TileContactsPage> {
        match self {
            RuntimeClient::Embedded(e) => e
                .tile_contacts(journey_id, number, query)
                .map_err(from_runtime),
            RuntimeClient::Remote(r) => {
                let at = match &query.at {
                    ContactsAt::Here => "at=here".to_owned(),
                    ContactsAt::Entered => "at=entered".to_owned(),
                    ContactsAt::Ended => "at=ended".to_owned(),
                    ContactsAt::Branch(branch) => format!("at=branch&branch={}", encode(branch)),
                };
                r.call(
                    "GET",
                    &format!(
                        "/v1/journeys/{}/versions/{number}/tiles/{}/contacts?{at}&after={}&limit={}&format=json",
                        encode(journey_id),
                        encode(&query.tile),
                        query.after,
                        query.limit
                    ),
                    "application/json",
                    Vec::new(),
                )
            }
        }
    }
}
