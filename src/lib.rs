//! quoteval: measures how well a model finds the people who speak, the places, and the quotes in
//! news articles, against hand-labelled gold.
//!
//! Data flow: [`corpus`] (articles and annotation files, read through [`format`]) ->
//! [`extract`] (backends chosen by [`models`]) -> [`align`] (matching predictions to gold) ->
//! [`score`] (additive counts, P/R/F1) -> [`report`] (table, JSON, CSV, Markdown, error lists).

pub mod align;
pub mod annotation;
pub mod app;
pub mod check;
pub mod cli;
pub mod compare;
pub mod confusion;
pub mod corpus;
pub mod evaluate;
pub mod exit;
pub mod extract;
pub mod format;
pub mod gold;
pub mod handoff;
pub mod html;
pub mod model_artifact;
pub mod model_check;
pub mod models;
pub mod process;
pub mod report;
pub mod score;
pub mod tags;
pub mod text;
