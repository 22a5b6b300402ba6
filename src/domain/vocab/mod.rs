//! The ground floor: the users' vocabulary (dates, projects, people, field work)
//! and the shipped registry. It imports nothing else of the domain.

pub mod date;
pub mod fieldwork;
pub mod people;
pub mod project;
pub mod registry;
