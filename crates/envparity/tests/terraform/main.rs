//! The Terraform integration tests, one binary: states and plans against the native dumps of
//! the same resources (AWS, GCP, Vault), and values known only after apply.

mod equivalence;
mod gcp;
mod plans;
mod support;
mod vault;
