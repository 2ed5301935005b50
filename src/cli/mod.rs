//! The binary's own modules: the command line as clap reads it, and the commands that print more than a line.

pub mod args;
pub mod batch;
pub mod check;
pub mod fix;
pub mod serve;
