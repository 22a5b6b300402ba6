//! Pure domain logic: no browser types, so everything here compiles and tests natively.
//!
//! Five layers and a codec, each importing only from below (ARCHITECTURE.md has
//! the table; `tests/layers.rs` enforces it): `vocab` (ground floor), `log`,
//! `rules`, `queries`, `sync`; `codec` depends on nothing.

pub mod codec;
pub mod log;
pub mod order;
pub mod queries;
pub mod rules;
pub mod sync;
pub mod vocab;

// Short paths for the app and the tests. Inside the domain every import names
// its layer (`crate::domain::vocab::date::Date`), so the layering stays visible.
pub use log::{edit, keeper, ledger, stored};
pub use queries::{agenda, digest, exchange, export, filter, summary};
pub use rules::{campaign, light, quotas, validate};
pub use vocab::{date, fieldwork, people, project, registry};

pub use edit::{Change, Edit};
pub use ledger::Ledger;
pub use vocab::date::Date;
pub use vocab::project::{
    by_district, Cluster, ClusterBy, District, Origin, Procedure, ProcedureState, Project, Stage,
};
