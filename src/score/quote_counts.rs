//! Quote counts, keyed by what they count: a [`QuoteScope`] (all quotes, one PARC kind, quoted
//! speech) at a threshold of [`QuoteThreshold::REPORTED`]. Each scope carries the same counts
//! ([`ScopeCounts`]), so a new scope is a new [`QuoteScope`] and nothing else here; a new
//! threshold is a new entry of `REPORTED`.
//!
//! JSON (report schema `quoteval-report/3`): `{"articles": N, "0.3": LEVEL, "0.8": LEVEL,
//! "exact": LEVEL}`, a LEVEL `{"all": SCOPE, "direct": SCOPE, ..., "end_to_end": TALLY}`, a SCOPE
//! `{"tally", "speaker_by_name", "speaker_by_mention", "partial"}`. Schema `/2` wrote each
//! level's counts as 21 flat fields; [`upgrade_v2_level`] reads them into this shape.

use std::collections::BTreeMap;
use std::ops::AddAssign;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Accuracy, PartialCredit, Tally};
use crate::align::QuoteThreshold;
use crate::annotation::QuoteKind;

/// Which quotes a tally counts: all, one PARC kind, or quoted speech (direct and mixed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuoteScope {
    All,
    Kind(QuoteKind),
    Quoted,
}

impl QuoteScope {
    /// Every scope, in report order; a scope's counts sit at its position here.
    pub const EVERY: [QuoteScope; 5] = [
        QuoteScope::All,
        QuoteScope::Kind(QuoteKind::Direct),
        QuoteScope::Kind(QuoteKind::Indirect),
        QuoteScope::Kind(QuoteKind::Mixed),
        QuoteScope::Quoted,
    ];

    /// Every scope but `All`, in report order.
    pub const PARTS: [QuoteScope; 4] = [
        QuoteScope::Kind(QuoteKind::Direct),
        QuoteScope::Kind(QuoteKind::Indirect),
        QuoteScope::Kind(QuoteKind::Mixed),
        QuoteScope::Quoted,
    ];

    pub fn includes(&self, kind: QuoteKind) -> bool {
        match self {
            QuoteScope::All => true,
            QuoteScope::Kind(k) => *k == kind,
            QuoteScope::Quoted => kind != QuoteKind::Indirect,
        }
    }

    /// The name in metric names and the report: `all`, `direct`, `indirect`, `mixed`, `quoted`.
    pub fn as_str(&self) -> &'static str {
        match self {
            QuoteScope::All => "all",
            QuoteScope::Kind(k) => k.as_str(),
            QuoteScope::Quoted => "quoted",
        }
    }

    fn index(&self) -> usize {
        Self::EVERY
            .iter()
            .position(|s| s == self)
            .unwrap_or_default()
    }

    fn named(name: &str) -> Option<QuoteScope> {
        Self::EVERY.into_iter().find(|s| s.as_str() == name)
    }
}

/// The counts of one scope at one threshold.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScopeCounts {
    /// Quotes matched within the scope (a direct gold quote only to a direct prediction).
    pub tally: Tally,
    /// Over matched quotes whose gold has a resolved speaker.
    pub speaker_by_name: Accuracy,
    /// Over matched quotes whose gold has a speaker mention span.
    pub speaker_by_mention: Accuracy,
    /// Pareti-style partial credit over the matched pairs.
    pub partial: PartialCredit,
}

impl AddAssign for ScopeCounts {
    fn add_assign(&mut self, o: ScopeCounts) {
        self.tally += o.tally;
        self.speaker_by_name += o.speaker_by_name;
        self.speaker_by_mention += o.speaker_by_mention;
        self.partial += o.partial;
    }
}

/// Quote counts at one threshold: each scope's, and end to end.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct QuoteLevel {
    scopes: [ScopeCounts; QuoteScope::EVERY.len()],
    /// A true positive is a matched quote whose speaker is right (by name when the gold covers
    /// speakers, else by mention).
    pub end_to_end: Tally,
}

impl QuoteLevel {
    pub fn scope(&self, scope: QuoteScope) -> &ScopeCounts {
        &self.scopes[scope.index()]
    }

    pub fn scope_mut(&mut self, scope: QuoteScope) -> &mut ScopeCounts {
        &mut self.scopes[scope.index()]
    }

    /// The tally of a scope.
    pub fn tally(&self, scope: QuoteScope) -> Tally {
        self.scope(scope).tally
    }

    /// The tally of one quote kind (matched only within the kind).
    pub fn kind(&self, kind: QuoteKind) -> Tally {
        self.tally(QuoteScope::Kind(kind))
    }

    /// Speaker accuracy over the quotes matched in a scope.
    pub fn speaker_in(&self, scope: QuoteScope, by: super::catalogue::SpeakerBy) -> Accuracy {
        let counts = self.scope(scope);
        match by {
            super::catalogue::SpeakerBy::Name => counts.speaker_by_name,
            super::catalogue::SpeakerBy::Mention => counts.speaker_by_mention,
        }
    }

    /// Speaker accuracy over all matched quotes (`kind` None) or over one kind's.
    pub fn speaker(&self, kind: Option<QuoteKind>, by: super::catalogue::SpeakerBy) -> Accuracy {
        self.speaker_in(kind.map_or(QuoteScope::All, QuoteScope::Kind), by)
    }

    /// Pareti-style partial credit of a scope.
    pub fn partial_in(&self, scope: QuoteScope) -> PartialCredit {
        self.scope(scope).partial
    }
}

impl AddAssign for QuoteLevel {
    fn add_assign(&mut self, o: QuoteLevel) {
        for (mine, theirs) in self.scopes.iter_mut().zip(o.scopes) {
            *mine += theirs;
        }
        self.end_to_end += o.end_to_end;
    }
}

/// The JSON shape of a level: each scope by name, and `end_to_end`.
#[derive(Serialize, Deserialize)]
struct LevelJson {
    #[serde(flatten)]
    scopes: BTreeMap<String, ScopeCounts>,
    end_to_end: Tally,
}

impl Serialize for QuoteLevel {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        LevelJson {
            scopes: QuoteScope::EVERY
                .iter()
                .map(|scope| (scope.as_str().to_string(), *self.scope(*scope)))
                .collect(),
            end_to_end: self.end_to_end,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for QuoteLevel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let json = LevelJson::deserialize(d)?;
        let mut level = QuoteLevel {
            end_to_end: json.end_to_end,
            ..QuoteLevel::default()
        };
        for (name, counts) in json.scopes {
            let scope = QuoteScope::named(&name)
                .ok_or_else(|| serde::de::Error::custom(format!("unknown quote scope {name:?}")))?;
            *level.scope_mut(scope) = counts;
        }
        Ok(level)
    }
}

/// Quote counts at every reported threshold.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct QuoteCounts {
    /// Articles whose gold covers quotes.
    pub articles: u64,
    levels: [QuoteLevel; QuoteThreshold::REPORTED.len()],
}

impl QuoteCounts {
    /// Each reported threshold's name (`0.3`, `0.8`, `exact`) with its counts, in report order.
    pub fn levels(&self) -> impl Iterator<Item = (String, &QuoteLevel)> {
        QuoteThreshold::REPORTED
            .iter()
            .map(QuoteThreshold::name)
            .zip(self.levels.iter())
    }

    /// The counts at a threshold of [`QuoteThreshold::REPORTED`] (`None` for another).
    pub fn at(&self, threshold: QuoteThreshold) -> Option<&QuoteLevel> {
        let i = QuoteThreshold::REPORTED
            .iter()
            .position(|t| *t == threshold)?;
        self.levels.get(i)
    }

    pub fn at_mut(&mut self, threshold: QuoteThreshold) -> Option<&mut QuoteLevel> {
        let i = QuoteThreshold::REPORTED
            .iter()
            .position(|t| *t == threshold)?;
        self.levels.get_mut(i)
    }

    /// The counts at position `i` of [`QuoteThreshold::REPORTED`] (`catalogue::Level`'s).
    ///
    /// # Panics
    /// For a position past the list: a position comes from the list, never from input.
    pub fn level(&self, i: usize) -> &QuoteLevel {
        &self.levels[i]
    }

    /// The counts at the threshold named `name` (`0.3`, `0.8`, `exact`).
    pub fn named(&self, name: &str) -> Option<&QuoteLevel> {
        self.levels()
            .find(|(n, _)| n == name)
            .map(|(_, level)| level)
    }
}

impl AddAssign for QuoteCounts {
    fn add_assign(&mut self, o: QuoteCounts) {
        self.articles += o.articles;
        for (mine, theirs) in self.levels.iter_mut().zip(o.levels) {
            *mine += theirs;
        }
    }
}

#[derive(Serialize, Deserialize)]
struct CountsJson {
    articles: u64,
    #[serde(flatten)]
    levels: BTreeMap<String, QuoteLevel>,
}

impl Serialize for QuoteCounts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        CountsJson {
            articles: self.articles,
            levels: self.levels().map(|(n, l)| (n, *l)).collect(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for QuoteCounts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let json = CountsJson::deserialize(d)?;
        let mut counts = QuoteCounts {
            articles: json.articles,
            ..QuoteCounts::default()
        };
        for (name, level) in json.levels {
            let threshold = QuoteThreshold::REPORTED
                .into_iter()
                .find(|t| t.name() == name)
                .ok_or_else(|| {
                    serde::de::Error::custom(format!("unknown quote threshold {name:?}"))
                })?;
            if let Some(slot) = counts.at_mut(threshold) {
                *slot = level;
            }
        }
        Ok(counts)
    }
}

/// Rewrites one level of quote counts as schema `quoteval-report/2` wrote it (flat fields:
/// `all`, `direct`, ... tallies; `speaker_by_name`, `direct_speaker_by_name`, ...; `partial`,
/// `direct_partial`, ...) into this shape. Fields `/2` reports written before a scope existed
/// are absent and count zero, as they did then.
pub fn upgrade_v2_level(old: &serde_json::Value) -> Result<serde_json::Value, serde_json::Error> {
    let field = |name: String| old.get(&name).cloned();
    let mut level = serde_json::Map::new();
    for scope in QuoteScope::EVERY {
        let name = scope.as_str();
        let prefix = match scope {
            QuoteScope::All => String::new(),
            _ => format!("{name}_"),
        };
        let mut counts = serde_json::Map::new();
        for (new, old_name) in [
            ("tally", name.to_string()),
            ("speaker_by_name", format!("{prefix}speaker_by_name")),
            ("speaker_by_mention", format!("{prefix}speaker_by_mention")),
            ("partial", format!("{prefix}partial")),
        ] {
            if let Some(v) = field(old_name) {
                counts.insert(new.into(), v);
            }
        }
        let counts: ScopeCounts = serde_json::from_value(counts.into())?;
        level.insert(name.into(), serde_json::to_value(counts)?);
    }
    let end_to_end = match field("end_to_end".into()) {
        Some(v) => v,
        None => serde_json::to_value(Tally::default())?,
    };
    level.insert("end_to_end".into(), end_to_end);
    Ok(level.into())
}
