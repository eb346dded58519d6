//! The desktop use cases against the double, one binary (link time): each module is one area.

mod archive;
mod browse;
mod browse_media;
mod common;
mod curate;
mod desktop;
mod dragout;
mod endpoint;
mod keep;
mod library;
mod servers;
