//! Pure domain logic: no browser types, so everything here compiles and tests natively.

pub mod date;
pub mod edit;
pub mod exchange;
pub mod export;
pub mod filter;
pub mod people;
pub mod project;
pub mod registry;
pub mod stored;
pub mod summary;
pub mod validate;
pub mod workflow;

pub use date::Date;
pub use edit::{Change, Edit, Ledger};
pub use project::{
    by_district, Cluster, ClusterBy, District, Origin, Procedure, ProcedureState, Project, Stage,
};
