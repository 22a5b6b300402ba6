//! The edit log: the edit as a wire format, the fold (`Ledger`), the stored shape.

pub mod contract;
pub mod edit;
pub mod ids;
pub mod journal;
pub mod keeper;
pub mod ledger;
pub mod snapshot;
pub mod stored;
pub mod wire;
