//! Sync through Apache CouchDB, as pure logic: each edit is one immutable
//! document (`document`), and `replicator` decides what to ask the server and
//! what its answers mean. No transport here: the browser sends the requests
//! (`ui::sync`), the native tests answer them with a fake server.

pub mod accounts;
pub mod document;
pub mod replicator;
pub mod server;
