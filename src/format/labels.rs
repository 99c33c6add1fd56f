//! Entity label sets: how another tool's entity types map onto the annotation model's
//! PERSON / PLACE / ORG. One table per set, used by every import that reads typed spans.
//!
//! - `quoteval`: the model's own names (`PERSON`, `PLACE`, `ORG`).
//! - `conll2003`: CoNLL-2003 (`PER`, `LOC`, `ORG`; `MISC` is not one of our types).
//! - `ontonotes`: OntoNotes 5 as spaCy's English models and many transformers checkpoints
//!   predict it: `PERSON`; `GPE` (countries, cities, states), `LOC` (other locations) and `FAC`
//!   (buildings, airports, bridges) are places; `ORG`; the 14 others (`NORP`, `EVENT`, `DATE`,
//!   `MONEY`, …) are not our types.
//! - `auto` (the default): `quoteval` and `conll2003` together, as import always read them.
//!
//! A label outside the chosen set is an error that lists the set's labels, never dropped in
//! silence; a label the set maps to nothing is left out on purpose.

use std::fmt;
use std::str::FromStr;

use crate::annotation::EntityType;

/// A named label set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LabelSet {
    #[default]
    Auto,
    Quoteval,
    Conll2003,
    OntoNotes,
}

use EntityType::{Org, Person, Place};

const QUOTEVAL: &[(&str, Option<EntityType>)] = &[
    ("PERSON", Some(Person)),
    ("PLACE", Some(Place)),
    ("ORG", Some(Org)),
];

const CONLL2003: &[(&str, Option<EntityType>)] = &[
    ("PER", Some(Person)),
    ("LOC", Some(Place)),
    ("ORG", Some(Org)),
    ("MISC", None),
];

const ONTONOTES: &[(&str, Option<EntityType>)] = &[
    ("PERSON", Some(Person)),
    ("GPE", Some(Place)),
    ("LOC", Some(Place)),
    ("FAC", Some(Place)),
    ("ORG", Some(Org)),
    ("NORP", None),
    ("PRODUCT", None),
    ("EVENT", None),
    ("WORK_OF_ART", None),
    ("LAW", None),
    ("LANGUAGE", None),
    ("DATE", None),
    ("TIME", None),
    ("PERCENT", None),
    ("MONEY", None),
    ("QUANTITY", None),
    ("ORDINAL", None),
    ("CARDINAL", None),
];

impl LabelSet {
    pub const ALL: [LabelSet; 4] = [
        LabelSet::Auto,
        LabelSet::Quoteval,
        LabelSet::Conll2003,
        LabelSet::OntoNotes,
    ];

    pub fn name(&self) -> &'static str {
        match self {
            LabelSet::Auto => "auto",
            LabelSet::Quoteval => "quoteval",
            LabelSet::Conll2003 => "conll2003",
            LabelSet::OntoNotes => "ontonotes",
        }
    }

    fn tables(&self) -> Vec<&'static [(&'static str, Option<EntityType>)]> {
        match self {
            LabelSet::Auto => vec![QUOTEVAL, CONLL2003],
            LabelSet::Quoteval => vec![QUOTEVAL],
            LabelSet::Conll2003 => vec![CONLL2003],
            LabelSet::OntoNotes => vec![ONTONOTES],
        }
    }

    /// The type a label maps to: `Ok(None)` for a label of the set that is not one of ours,
    /// `Err` (with the set's labels) for a label the set does not have.
    pub fn map(&self, label: &str) -> Result<Option<EntityType>, UnknownLabel> {
        self.tables()
            .iter()
            .flat_map(|t| t.iter())
            .find(|(name, _)| *name == label)
            .map(|(_, t)| *t)
            .ok_or_else(|| UnknownLabel {
                label: label.to_string(),
                set: *self,
            })
    }

    /// The labels of the set, in table order.
    pub fn labels(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for (name, _) in self.tables().iter().flat_map(|t| t.iter()) {
            if !out.contains(name) {
                out.push(name);
            }
        }
        out
    }
}

/// An entity label that a label set does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown entity type {label:?} for label set {} ({})", set.name(), set.labels().join(", "))]
pub struct UnknownLabel {
    pub label: String,
    pub set: LabelSet,
}

/// A label set name that is none of [`LabelSet::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown label set {0:?} ({})", LabelSet::ALL.map(|l| l.name()).join(", "))]
pub struct UnknownLabelSet(pub String);

impl FromStr for LabelSet {
    type Err = UnknownLabelSet;

    fn from_str(s: &str) -> Result<LabelSet, UnknownLabelSet> {
        LabelSet::ALL
            .into_iter()
            .find(|l| l.name() == s.to_ascii_lowercase())
            .ok_or_else(|| UnknownLabelSet(s.to_string()))
    }
}

impl fmt::Display for LabelSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_set_maps_its_own_labels_and_refuses_others() {
        assert_eq!(LabelSet::OntoNotes.map("GPE"), Ok(Some(Place)));
        assert_eq!(LabelSet::OntoNotes.map("FAC"), Ok(Some(Place)));
        assert_eq!(LabelSet::OntoNotes.map("NORP"), Ok(None));
        assert!(LabelSet::OntoNotes
            .map("PER")
            .unwrap_err()
            .to_string()
            .contains("GPE"));
        assert_eq!(LabelSet::Conll2003.map("PER"), Ok(Some(Person)));
        assert!(LabelSet::Conll2003.map("PERSON").is_err());
        // auto: ours and CoNLL-2003, as import always read them.
        assert_eq!(LabelSet::Auto.map("PLACE"), Ok(Some(Place)));
        assert_eq!(LabelSet::Auto.map("LOC"), Ok(Some(Place)));
        assert_eq!(LabelSet::Auto.map("MISC"), Ok(None));
        assert!(LabelSet::Auto.map("GPE").is_err());
        assert_eq!("OntoNotes".parse::<LabelSet>(), Ok(LabelSet::OntoNotes));
        assert!("wikiner".parse::<LabelSet>().is_err());
    }
}
