//! gongkai (公开): a converter and linter for China's government information-disclosure annual reports
//! (政府信息公开工作年度报告).
//!
//! The road is one: [`import`] reads a file into a [`raw::RawDocument`], [`recognize`] turns it into the one
//! [`model::Report`], [`lint`] checks it, and [`render`] draws the findings. The national layouts live in
//! [`layout`]. The library never prints and has no command-line parsing.

pub mod baseline;
pub mod batch;
pub mod config;
pub mod contained;
pub mod export;
pub mod html;
pub mod import;
pub mod layout;
pub mod lint;
pub mod model;
pub mod normalize;
pub mod raw;
pub mod recognize;
pub mod render;
pub mod spill;
