//! gongkai (公开): a converter and linter for China's government information-disclosure annual reports
//! (政府信息公开工作年度报告).
//!
//! The road is one: [`import`] reads a file into a [`raw::RawDocument`], [`recognize`] turns it into the one
//! [`model::Report`], [`lint`] checks it, [`render`] draws the findings and [`export`] writes the standard layout.
//! The national layouts live in [`layout`]. Above the road stand the jobs people run: [`discover`] (the reports in
//! folders and zips), [`check`] (their findings, streamed in input order), [`fix`] and [`batch`]. The library never
//! prints and has no command-line parsing; the README's "Library" section shows it at work.

pub mod atomic;
pub mod baseline;
pub mod batch;
pub mod check;
pub mod config;
mod contained;
pub mod discover;
pub mod export;
pub mod fix;
pub mod import;
pub mod lang;
pub mod layout;
pub mod lint;
pub mod model;
pub mod normalize;
mod pool;
pub mod raw;
pub mod recognize;
pub mod render;
pub mod series;
pub mod serve;
pub mod similar;
pub mod spill;

pub use contained::panic_is_expected;

/// The README's Rust examples, run as doctests so that they cannot drift from the library.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
