//! Rules: the traffic light, stewardship quotas, the campaign clock, what input is valid.

pub mod campaign;
pub mod light;
pub mod quotas;
pub mod validate;
