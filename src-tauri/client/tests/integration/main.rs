//! The client against the double, one binary (link time): each module is one area of the client.
//! `wire.rs` (process-wide proxy variables) and `keyring_native.rs` (the real Secret Service) stay
//! binaries of their own.

mod api;
mod common;
mod doctor;
mod loopback;
mod media;
mod secrets;
mod servers;
mod signin;
