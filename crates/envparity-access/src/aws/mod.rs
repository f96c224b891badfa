//! AWS IAM: policy documents, the concrete evaluator, and an exact comparison of what two
//! principals may do, with witness requests.

mod catalog;

pub use catalog::{ActionCatalog, ActionInfo, glob_match};
