//! envparity: reads the snapshots of two environments, pairs their entities, compares them
//! dimension by dimension and reports findings.
//!
//! Data flows one way: [`ingest`] (files → [`model::Snapshot`]) → [`correlate`] (pair the
//! entities of two snapshots) → [`compare`] (one module per dimension, producing
//! [`findings::Finding`]s) → [`report`] (one renderer per output format).
//! Only [`ingest`] touches the file system; nothing here reads the clock or the environment
//! except through [`Options`].

pub mod compare;
pub mod contract;
pub mod correlate;
pub mod findings;
pub mod govern;
pub mod ingest;
pub mod model;
pub mod report;
pub mod run;
pub mod schema;

pub use run::{Options, Outcome, run_compare};
