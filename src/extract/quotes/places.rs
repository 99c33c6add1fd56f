//! The places of an article: the distinct PLACE entities among its mentions, with the surface
//! forms that denote the same place clustered as aliases.
//!
//! Two forms are one place when:
//! - they are equal after folding case, dots, a leading "the" and a possessive ("U.S." / "US");
//! - the built-in table says so: a country's name and abbreviations ("United States", "US",
//!   "U.S.", "USA", "America"), or transliterations and old names ("Kyiv" / "Kiev");
//! - one is the other plus generic place words: "Donetsk" / "Donetsk Oblast", "New York" /
//!   "New York City", "Korea" / "Republic of Korea" — but never across a directional word
//!   ("Korea" is not "North Korea", "Virginia" is not "West Virginia").
//!
//! The canonical name is the most complete form the article uses (most words, then most
//! characters, then the first used); the others are its aliases.

use crate::annotation::{Article, EntityType, Mention, Place};

use super::words::{COUNTRIES, PLACE_VARIANTS};

/// Words that make a place name longer without making it another place.
const GENERIC: &[&str] = &[
    "oblast",
    "region",
    "province",
    "county",
    "city",
    "state",
    "governorate",
    "district",
    "krai",
    "republic",
    "island",
    "islands",
    "peninsula",
    "strip",
    "municipality",
    "prefecture",
    "territory",
    "area",
    "of",
    "the",
    "raion",
    "okrug",
    "metropolitan",
    "capital",
];

/// Words that name another place when added ("North Korea" is not "Korea").
const DIRECTIONAL: &[&str] = &[
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "new", "upper",
    "lower", "central", "greater", "little", "old",
];

/// The form two surface forms are compared in.
pub fn fold(name: &str) -> String {
    let name = name.trim();
    let name = ["’s", "'s"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name);
    let lower = name.to_lowercase().replace(['.', '’', '\''], "");
    let words: Vec<&str> = lower.split_whitespace().collect();
    let words = if words.len() > 1 && words[0] == "the" {
        &words[1..]
    } else {
        &words[..]
    };
    words.join(" ")
}

fn table_group(folded: &str) -> Option<usize> {
    for (i, c) in COUNTRIES.iter().enumerate() {
        if fold(c.name) == folded || c.aliases.iter().any(|a| fold(a) == folded) {
            return Some(i);
        }
    }
    for (i, v) in PLACE_VARIANTS.iter().enumerate() {
        if v.iter().any(|p| fold(p) == folded) {
            return Some(COUNTRIES.len() + i);
        }
    }
    None
}

/// Whether `long` is `short` plus generic words only, before or after it.
fn extends(short: &str, long: &str) -> bool {
    let s: Vec<&str> = short.split_whitespace().collect();
    let l: Vec<&str> = long.split_whitespace().collect();
    if s.is_empty() || l.len() <= s.len() {
        return false;
    }
    let generic = |w: &&str| GENERIC.contains(w) && !DIRECTIONAL.contains(w);
    if l.starts_with(&s) && l[s.len()..].iter().all(generic) {
        return true;
    }
    if l.ends_with(&s) && l[..l.len() - s.len()].iter().all(generic) {
        return true;
    }
    false
}

/// Whether two surface forms denote the same place.
pub fn same_place(a: &str, b: &str) -> bool {
    let (fa, fb) = (fold(a), fold(b));
    if fa.is_empty() || fb.is_empty() {
        return false;
    }
    if fa == fb {
        return true;
    }
    if let (Some(ga), Some(gb)) = (table_group(&fa), table_group(&fb)) {
        return ga == gb;
    }
    extends(&fa, &fb) || extends(&fb, &fa)
}

/// Names that look like places but denote institutions (the guidelines: "Kremlin" is always
/// ORG).
const INSTITUTIONS: &[&str] = &[
    "kremlin",
    "white house",
    "pentagon",
    "elysee",
    "élysée",
    "downing street",
    "capitol",
];

/// Whether a PLACE mention is really part of something else, by the guidelines: an
/// institution, a place name inside an organisation's name ("Kyiv Independent", "India
/// Today"), an agency or a photo credit ("Kazakov/Pool/AFP").
fn not_a_place(article: &Article, span: crate::annotation::Span, name: &str) -> bool {
    let lower = fold(name);
    if INSTITUTIONS.contains(&lower.as_str()) || super::words::is_org_word(name) {
        return true;
    }
    let char_at = |i: usize| {
        article
            .get(crate::annotation::Span::new(i, i + 1))
            .and_then(|t| t.chars().next())
    };
    let before = span.start.checked_sub(1).and_then(char_at);
    let after = char_at(span.end);
    if before == Some('/') || after == Some('/') {
        return true;
    }
    // The capitalised word right after the name: an organisation word makes it one name.
    let end = (span.end + 40).min(article.char_len());
    let rest = article.slice(crate::annotation::Span::new(span.end.min(end), end));
    if let Some(next) = rest
        .strip_prefix(' ')
        .and_then(|r| r.split(|c: char| !c.is_alphanumeric()).next())
    {
        if next.chars().next().is_some_and(char::is_uppercase) && super::words::is_org_word(next) {
            return true;
        }
    }
    false
}

/// The places of an article, in order of first mention. Mentions that are not places by the
/// guidelines are left out (see [`not_a_place`]); a hyphenated compound of places ("US-Russia
/// talks") names each of its places.
pub fn places_from_mentions(article: &Article, mentions: &[Mention]) -> Vec<Place> {
    // Distinct surface forms in order of first use.
    let mut forms: Vec<String> = Vec::new();
    for m in mentions
        .iter()
        .filter(|m| m.entity_type == EntityType::Place)
    {
        let raw = article.slice(m.span).trim();
        let name = ["’s", "'s"]
            .iter()
            .find_map(|s| raw.strip_suffix(s))
            .unwrap_or(raw)
            .to_string();
        if name.is_empty() || not_a_place(article, m.span, &name) {
            continue;
        }
        let parts: Vec<&str> = name.split('-').collect();
        let compound = parts.len() > 1
            && parts
                .iter()
                .all(|p| p.chars().next().is_some_and(char::is_uppercase));
        let names: Vec<String> = if compound {
            parts
                .iter()
                .map(|p| p.trim_end_matches('.').to_string())
                .map(|p| {
                    // "U.S" at the end of "Russia-U.S." lost its final period to the split.
                    if p.contains('.') && !p.ends_with('.') {
                        format!("{p}.")
                    } else {
                        p
                    }
                })
                .collect()
        } else {
            vec![name]
        };
        for n in names {
            if !n.is_empty() && !forms.contains(&n) {
                forms.push(n);
            }
        }
    }
    places_from_names(&forms)
}

/// Clusters distinct surface forms (in order of first use) into places.
pub fn places_from_names(forms: &[String]) -> Vec<Place> {
    let n = forms.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while p[r] != r {
            r = p[r];
        }
        p[x] = r;
        r
    }
    for i in 0..n {
        for j in i + 1..n {
            if same_place(&forms[i], &forms[j]) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                if a != b {
                    parent[b.max(a)] = a.min(b);
                }
            }
        }
    }
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for i in 0..n {
        let r = find(&mut parent, i);
        match groups.iter_mut().find(|(root, _)| *root == r) {
            Some((_, members)) => members.push(i),
            None => groups.push((r, vec![i])),
        }
    }
    groups
        .into_iter()
        .map(|(_, members)| {
            let mut best = members[0];
            for &m in &members {
                let (wm, wb) = (
                    forms[m].split_whitespace().count(),
                    forms[best].split_whitespace().count(),
                );
                if wm > wb || (wm == wb && forms[m].chars().count() > forms[best].chars().count()) {
                    best = m;
                }
            }
            Place {
                name: forms[best].clone(),
                aliases: members
                    .iter()
                    .filter(|&&m| m != best)
                    .map(|&m| forms[m].clone())
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<(String, Vec<String>)> {
        places_from_names(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .into_iter()
            .map(|p| (p.name, p.aliases))
            .collect()
    }

    #[test]
    fn abbreviations_and_transliterations_cluster() {
        let got = names(&["US", "Ukraine", "U.S.", "Kyiv", "United States", "Kiev"]);
        assert_eq!(
            got,
            vec![
                ("United States".into(), vec!["US".into(), "U.S.".into()]),
                ("Ukraine".into(), vec![]),
                ("Kyiv".into(), vec!["Kiev".into()]),
            ]
        );
    }

    #[test]
    fn generic_suffixes_join_but_directions_do_not() {
        assert!(same_place("Donetsk", "Donetsk Oblast"));
        assert!(same_place("New York", "New York City"));
        assert!(same_place("Korea", "Republic of Korea"));
        assert!(!same_place("Korea", "North Korea"));
        assert!(!same_place("Virginia", "West Virginia"));
        assert!(!same_place("Kherson", "Kharkiv"));
    }
}
