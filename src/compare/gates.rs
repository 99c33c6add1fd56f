//! `--fail-below` gates: a metric may drop by at most a given amount.

use serde::{Deserialize, Serialize};

use super::*;

/// `--fail-below METRIC=DROP`: fail when METRIC drops by more than DROP (absolute).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gate {
    pub metric: String,
    pub max_drop: f64,
}

impl Gate {
    /// Parses `METRIC=DROP`; an unknown metric lists the valid ones.
    pub fn parse(spec: &str) -> Result<Gate, CompareError> {
        let Some((name, drop)) = spec.split_once('=') else {
            return Err(CompareError::Usage(format!(
                "--fail-below expects METRIC=DROP (e.g. quotes.0.3.f1=0.01), got {spec:?}"
            )));
        };
        let max_drop: f64 = drop.trim().parse().ok().filter(|d: &f64| d.is_finite() && *d >= 0.0).ok_or_else(|| {
            CompareError::Usage(format!(
                "--fail-below {spec}: DROP must be a non-negative number, an absolute amount such as 0.01"
            ))
        })?;
        let metric = resolve_metric(name).ok_or_else(|| {
            CompareError::Usage(format!(
                "--fail-below {spec}: unknown metric {:?}; the valid metrics are:\n{}",
                name.trim(),
                metric_names_help().trim_end()
            ))
        })?;
        Ok(Gate { metric, max_drop })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateResult {
    pub metric: String,
    pub max_drop: f64,
    pub base: Option<f64>,
    pub candidate: Option<f64>,
    /// base - candidate (positive: the candidate is worse).
    pub drop: Option<f64>,
    pub passed: bool,
    /// The one-line reason a gate failed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reason: Option<String>,
}

/// Decimals that show `v` (at least 3, at most 6).
pub(super) fn decimals(v: f64) -> usize {
    (3..6)
        .find(|&d| ((v * 10f64.powi(d as i32)).round() - v * 10f64.powi(d as i32)).abs() < 1e-6)
        .unwrap_or(6)
}

pub(super) fn check_gate(gate: &Gate, base: Option<f64>, candidate: Option<f64>) -> GateResult {
    let d = decimals(gate.max_drop);
    let mut r = GateResult {
        metric: gate.metric.clone(),
        max_drop: gate.max_drop,
        base,
        candidate,
        drop: None,
        passed: true,
        reason: None,
    };
    match (base, candidate) {
        (Some(b), Some(c)) => {
            let drop = b - c;
            r.drop = Some(drop);
            // A tolerance for float noise: 0.9 - 0.89 is a hair above 0.01.
            if drop > gate.max_drop + 1e-9 {
                r.passed = false;
                r.reason = Some(format!(
                    "{} dropped {drop:.d$} ({b:.d$} -> {c:.d$}), more than {:.d$} allowed",
                    gate.metric, gate.max_drop
                ));
            }
        }
        (Some(b), None) => {
            r.passed = false;
            r.reason = Some(format!(
                "{} has no value in the candidate (base {b:.d$}): nothing it could be computed over",
                gate.metric
            ));
        }
        // Nothing to compare against: the base has no value either (or only the candidate has one).
        (None, _) => {}
    }
    r
}
