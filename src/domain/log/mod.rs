//! The edit log: the edit as a wire format, the fold (`Ledger`), the stored shape.

pub mod edit;
pub mod ledger;
pub mod stored;
pub mod wire;
