//! Semantic access engines: given the grants of one identity in two environments (already
//! translated into one vocabulary), decide equal / broader / narrower / divergent and produce
//! concrete witness requests. No knowledge of files, reports or the command line.

pub mod aws;
pub mod gcp;
pub mod k8s;
pub mod vault;
pub mod verdict;

pub use verdict::Verdict;
