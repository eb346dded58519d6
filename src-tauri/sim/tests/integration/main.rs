//! The double's black-box tests, one binary (link time): each module is one area of the server.

mod api_data;
mod api_transport;
mod basket_records;
mod binary;
mod common;
mod datasets;
mod faults;
mod media;
mod oauth_flow;
mod oauth_token;
mod search_feeds;
