//! Questions asked of the folded ledger: filter, summaries, agenda, exchange, export.

pub mod agenda;
pub mod digest;
pub mod exchange;
pub mod export;
pub mod filter;
pub mod summary;
