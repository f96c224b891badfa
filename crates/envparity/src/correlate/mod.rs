//! Pairing: rewrite staging names into production's vocabulary (explicit `--map` tokens plus
//! inferred environment tokens) and pair entities whose names then agree.

mod names;
mod pairing;

pub use names::{ENVIRONMENT_TOKENS, Mapped, NameMap};
pub use pairing::{Paired, pair_by};
