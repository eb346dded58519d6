//! Browsing baskets, records, stories and media for the desktop UI (issue 6). Filled in by the browse
//! work; see the module docs of each file.
