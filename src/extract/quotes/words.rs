//! Closed word classes the rules need: pronouns, determiners, titles, agent nouns, and a small
//! table of countries (names, abbreviations, demonyms, capitals and government metonyms).
//! General English and world knowledge only; nothing here names a person or an article.

use std::collections::{HashMap, HashSet};
use std::sync::{LazyLock, OnceLock};

use crate::text::Token;

/// A closed word list read from a plain-text file of `words/` (one entry per line; blank lines
/// and lines starting with `#` are skipped; entries are matched exactly, so a list holds the case
/// its callers look up). The lists are data, so that adding a word changes no code.
#[derive(Debug, Clone, Default)]
pub struct WordSet {
    words: HashSet<String>,
}

impl WordSet {
    /// The entries of a word-list file.
    pub fn parse(text: &str) -> WordSet {
        WordSet {
            words: text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect(),
        }
    }

    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

impl Extend<String> for WordSet {
    fn extend<I: IntoIterator<Item = String>>(&mut self, iter: I) {
        self.words.extend(iter);
    }
}

/// Words that may stand between a subject and its speech verb.
static VERB_ADJUNCTS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("words/verb_adjuncts.txt")));
/// Prepositions and subordinators that cannot start a reported clause.
static PREPOSITIONS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("words/prepositions.txt")));
/// Titles and roles written before a name (lowercase).
static TITLES: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("words/titles.txt")));
/// Heads of a document or data release as a Source ("the report", "the survey").
static DOCUMENT_NOUNS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("words/document_nouns.txt")));
/// Capitalised adjectives that are never a speaker on their own ("Democratic").
static MODIFIER_ADJECTIVES: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("words/modifier_adjectives.txt")));
/// Description heads used for many people ("the official").
static GENERIC_ROLES: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("words/generic_roles.txt")));
/// Common female first names (international), lowercase.
static FEMALE_FIRST_NAMES: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("words/female_first_names.txt")));
static MALE_FIRST_NAMES: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("words/male_first_names.txt")));
/// Nouns that can head a description of a speaker.
static AGENT_NOUNS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("words/agent_nouns.txt")));
/// A description head that names a document or a release of data ("report", "poll").
pub fn is_document_noun(lower: &str) -> bool {
    DOCUMENT_NOUNS.contains(lower)
}

/// A capitalised adjective that qualifies a noun and never names a speaker alone
/// ("Democratic"), or a demonym of the country table ("Russian").
pub fn is_modifier_adjective(lower: &str) -> bool {
    MODIFIER_ADJECTIVES.contains(lower) || is_demonym(lower)
}

/// A demonym of the country table ("Russian", "British", "Chinese", "Israeli"): a word that
/// points at a country without being its name or an alias, with a demonym's ending.
pub fn is_demonym(lower: &str) -> bool {
    country_of_pointer(lower).is_some()
        && ["an", "ish", "ese", "i", "ch"]
            .iter()
            .any(|e| lower.ends_with(e))
        && !COUNTRIES.iter().any(|c| {
            c.name.eq_ignore_ascii_case(lower)
                || c.aliases.iter().any(|a| a.eq_ignore_ascii_case(lower))
        })
}

/// A description head used for many people ("the official"): not resolved by salience.
pub fn is_generic_role(lower: &str) -> bool {
    GENERIC_ROLES.contains(lower)
}

/// Heads that make a description an organisation rather than a person or group.
static ORG_NOUNS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("words/org_nouns.txt")));
/// Words in a capitalised name that mark an organisation (lowercase, no final period).
static ORG_WORDS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("words/org_words.txt")));
/// Capitalised words that are not names at a sentence start or alone (lowercase).
static COMMON_CAPITALISED: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("words/common_capitalised.txt")));
/// Words ending in -ly that are not adverbs.
static NOT_ADVERBS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("words/not_adverbs.txt")));
/// Determiners and quantifiers that may open a noun phrase.
static DETERMINERS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("words/determiners.txt")));
/// Auxiliaries, modals and irregular past-tense forms: words that make a clause finite.
static CLAUSE_BOUNDARY_WORDS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("words/clause_boundary_words.txt")));

static ING_NOT_PARTICIPLE: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("words/ing_not_participle.txt")));

static TIME_NOUNS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("words/time_nouns.txt")));

/// A noun of time ("month", "today"): never the head of a speaker's description.
pub fn is_time_noun(lower: &str) -> bool {
    TIME_NOUNS.contains(lower)
}

/// A word that, after a comma, ends the content of an indirect quote ("…, according to …").
pub fn is_clause_boundary_word(lower: &str) -> bool {
    CLAUSE_BOUNDARY_WORDS.contains(lower)
}

/// An -ing word that is not a participle introducing a reporter's comment ("during", "morning").
pub fn is_ing_not_participle(lower: &str) -> bool {
    ING_NOT_PARTICIPLE.contains(lower)
}

static VERBS_AND_AUXILIARIES: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("words/verbs_and_auxiliaries.txt")));

/// A verb of saying ("said", "told") or an auxiliary ("would", "did"): never part of a noun
/// phrase.
pub fn is_verb_or_auxiliary(lower: &str) -> bool {
    VERBS_AND_AUXILIARIES.contains(lower)
}

static FINITE_VERBS: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::parse(include_str!("words/finite_verbs.txt")));
/// US states, regions and cities (the file), every country of [`COUNTRIES`] with its aliases,
/// and every spelling of [`PLACE_VARIANTS`], lowercased.
static KNOWN_PLACES: LazyLock<WordSet> = LazyLock::new(|| {
    let mut set = WordSet::parse(include_str!("words/known_places.txt"));
    for c in COUNTRIES {
        set.extend([c.name.to_lowercase()]);
        set.extend(c.aliases.iter().map(|a| a.to_lowercase()));
    }
    for v in PLACE_VARIANTS {
        set.extend(v.iter().map(|p| p.to_lowercase()));
    }
    set
});

/// Personal pronouns that can be a speaker, with their number and gender.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pron {
    He,
    She,
    They,
    It,
    /// I, we, you: the writer or an unnamed party.
    Other,
}

pub fn pronoun(lower: &str) -> Option<Pron> {
    Some(match lower {
        "he" | "him" | "his" | "himself" => Pron::He,
        "she" | "her" | "hers" | "herself" => Pron::She,
        "they" | "them" | "their" | "themselves" => Pron::They,
        "it" | "its" | "itself" => Pron::It,
        "i" | "me" | "we" | "us" | "you" => Pron::Other,
        _ => return None,
    })
}

/// Pronouns that can stand as a subject or as the object of "according to".
pub fn is_subject_pronoun(lower: &str) -> bool {
    matches!(
        lower,
        "he" | "she" | "they" | "it" | "i" | "we" | "you" | "him" | "her" | "them" | "us" | "me"
    )
}

/// A form of "be": the auxiliary of the progressive ("is claiming") and of the passive ("was
/// told", "was quoted as saying").
pub fn is_form_of_be(lower: &str) -> bool {
    matches!(
        lower,
        "be" | "is" | "are" | "was" | "were" | "been" | "being"
    )
}

pub fn is_determiner(lower: &str) -> bool {
    DETERMINERS.contains(lower)
}

/// Words that may stand between a subject and its speech verb ("Putin also said", "the
/// Kremlin earlier described", "he has repeatedly said").
pub fn is_verb_adjunct(lower: &str) -> bool {
    VERB_ADJUNCTS.contains(lower)
        || (lower.len() >= 6 && lower.ends_with("ly") && !NOT_ADVERBS.contains(lower))
        || is_weekday(lower)
}

pub fn is_weekday(lower: &str) -> bool {
    matches!(
        lower,
        "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday"
    )
}

pub fn is_month(lower: &str) -> bool {
    matches!(
        lower,
        "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan."
            | "feb."
            | "mar."
            | "apr."
            | "jun."
            | "jul."
            | "aug."
            | "sep."
            | "sept."
            | "oct."
            | "nov."
            | "dec."
    )
}

pub fn is_negation(lower: &str) -> bool {
    matches!(
        lower,
        "not"
            | "n't"
            | "never"
            | "nobody"
            | "neither"
            | "nor"
            | "didn’t"
            | "didn't"
            | "won’t"
            | "won't"
            | "wouldn’t"
            | "wouldn't"
            | "doesn’t"
            | "doesn't"
            | "don’t"
            | "don't"
            | "declined"
            | "refused"
            | "cannot"
            | "couldn’t"
            | "couldn't"
            | "hasn’t"
            | "hasn't"
            | "haven’t"
            | "haven't"
            | "hadn’t"
            | "hadn't"
    )
}

/// Prepositions and subordinators that cannot start a reported clause.
pub fn is_preposition(lower: &str) -> bool {
    PREPOSITIONS.contains(lower)
}

/// How many of a description's words (lowercase, in order) run to its head: up to the first
/// preposition or relative word after the first word, and past a quantity's "of"
/// ([`crate::align::quantity_of`]: "a majority of voters", "42 percent of those responding"),
/// as the scorer reads a description's head. The tagger's Source and the resolver's noun
/// phrases both end there.
pub fn description_len(lowers: &[&str]) -> usize {
    let from = crate::align::quantity_of(lowers).map_or(1, |k| k + 2);
    lowers[from.min(lowers.len())..]
        .iter()
        .position(|&l| is_preposition(l) || matches!(l, "who" | "which" | "that" | "whose"))
        .map_or(lowers.len(), |k| k + from)
}

/// Titles and roles written before a name; never part of the name ("President", "Sen.").
pub fn is_title(lower: &str) -> bool {
    TITLES.contains(lower)
}

/// Titles that say which gender a name has.
pub fn title_gender(lower: &str) -> Option<Pron> {
    match lower {
        "mr." | "mr" | "mister" | "king" | "prince" | "sir" | "lord" | "father" | "brother"
        | "congressman" | "chairman" | "spokesman" | "assemblyman" | "councilman" => Some(Pron::He),
        "mrs." | "mrs" | "ms." | "ms" | "miss" | "madam" | "queen" | "princess" | "dame"
        | "sister" | "lady" | "congresswoman" | "chairwoman" | "spokeswoman" | "assemblywoman"
        | "councilwoman" => Some(Pron::She),
        _ => None,
    }
}

/// The gender a first name gives a person, from the lists of common female and male first
/// names, for matching "she" and "he" to a name. A name in neither is compatible with either
/// pronoun unless a title or the article says otherwise.
pub fn first_name_gender(name: &str) -> Option<Pron> {
    let lower = name.to_lowercase();
    if FEMALE_FIRST_NAMES.contains(&lower) {
        Some(Pron::She)
    } else if MALE_FIRST_NAMES.contains(&lower) {
        Some(Pron::He)
    } else {
        None
    }
}

/// Nouns that can head a description of a speaker ("an official", "Ukrainian officials",
/// "the Kremlin leader", "state media", "the report").
pub fn is_agent_noun(lower: &str) -> bool {
    AGENT_NOUNS.contains(lower)
}

/// Heads that make a description an organisation rather than a person or group.
pub fn is_org_noun(lower: &str) -> bool {
    ORG_NOUNS.contains(lower)
}

/// Words that can be the subject of a finite verb right after them ("they want", "it's").
fn is_clause_subject(lower: &str) -> bool {
    matches!(
        lower,
        "i" | "we"
            | "you"
            | "they"
            | "he"
            | "she"
            | "it"
            | "there"
            | "this"
            | "that"
            | "who"
            | "which"
    )
}

/// Whether a run of words holds a finite verb: what tells reported speech, a clause ("the
/// meeting took place"), from the nominal object of a speech verb ("praised [the U.S.
/// diplomatic push]", "urged [pressure on Moscow]"), which the guidelines do not count as a
/// quote. Each word is given lowercase, with whether it was written in lowercase. Without a
/// part-of-speech tagger the test errs towards a clause: any "-ed" word counts, so "comments
/// published on 4 December" passes; on PolNeAR dev 60 % of the indirect Content spans pass,
/// the rest being noun phrases and infinitives that PolNeAR annotates and the guidelines do not.
pub fn has_finite_verb(words: &[(&str, bool)]) -> bool {
    let mut previous: Option<&str> = None;
    for &(lower, written_lower) in words {
        let word = lower.replace('’', "'");
        let subject_contraction = ["'s", "'re", "'ve", "'ll", "'d", "'m"]
            .iter()
            .any(|c| word.strip_suffix(c).is_some_and(is_clause_subject));
        if FINITE_VERBS.contains(&word)
            || (word.len() > 4 && word.ends_with("ed"))
            || subject_contraction
            || (written_lower
                && !is_clause_subject(&word)
                && previous.is_some_and(is_clause_subject))
        {
            return true;
        }
        previous = Some(lower);
    }
    false
}

/// [`has_finite_verb`] over the word tokens among `tokens`.
pub fn tokens_have_finite_verb<'t>(tokens: impl IntoIterator<Item = &'t Token>) -> bool {
    let words: Vec<(&str, bool)> = tokens
        .into_iter()
        .filter(|t| t.is_word())
        .map(|t| (t.lower.as_str(), !t.text.chars().any(char::is_uppercase)))
        .collect();
    has_finite_verb(&words)
}

/// Whether a description's head is plural (a group rather than one person).
pub fn is_plural_noun(lower: &str) -> bool {
    (lower.ends_with('s')
        && !lower.ends_with("ss")
        && !matches!(lower, "press" | "witness" | "its" | "his" | "news"))
        || matches!(
            lower,
            "people" | "men" | "women" | "police" | "media" | "staff" | "troops" | "spokesmen"
        )
}

/// Words in a capitalised name that mark an organisation ("Fox News", "Justice Department").
pub fn is_org_word(word: &str) -> bool {
    ORG_WORDS.contains(word.to_lowercase().trim_end_matches('.'))
}

/// Capitalised words that are not names when they start a sentence or stand alone.
pub fn is_common_capitalised(lower: &str) -> bool {
    COMMON_CAPITALISED.contains(lower)
        || is_weekday(lower)
        || is_month(lower)
        || (lower.len() > 5
            && lower.ends_with("ly")
            && !lower.ends_with("ally")
            && !lower.ends_with("illy"))
}

/// One country of the built-in table.
pub struct Country {
    pub name: &'static str,
    /// Abbreviations and other names of the same country.
    pub aliases: &'static [&'static str],
    /// Adjectives and other words that point at it ("Russian", "Kremlin", "Moscow").
    pub pointers: &'static [&'static str],
}

pub const COUNTRIES: &[Country] = &[
    Country {
        name: "United States",
        aliases: &[
            "US",
            "U.S.",
            "USA",
            "U.S.A.",
            "United States of America",
            "America",
        ],
        pointers: &["american", "u.s.", "us", "washington", "pentagon"],
    },
    Country {
        name: "United Kingdom",
        aliases: &["UK", "U.K.", "Britain", "Great Britain"],
        pointers: &["british", "uk", "u.k.", "london"],
    },
    Country {
        name: "Russia",
        aliases: &["Russian Federation"],
        pointers: &["russian", "kremlin", "moscow", "russia"],
    },
    Country {
        name: "Ukraine",
        aliases: &[],
        pointers: &["ukrainian", "kyiv", "kiev", "ukraine"],
    },
    Country {
        name: "China",
        aliases: &[
            "People’s Republic of China",
            "People's Republic of China",
            "PRC",
        ],
        pointers: &["chinese", "beijing", "china"],
    },
    Country {
        name: "France",
        aliases: &[],
        pointers: &["french", "paris", "elysee", "élysée", "france"],
    },
    Country {
        name: "Germany",
        aliases: &[],
        pointers: &["german", "berlin", "germany"],
    },
    Country {
        name: "India",
        aliases: &[],
        pointers: &["indian", "new delhi", "delhi", "india"],
    },
    Country {
        name: "Japan",
        aliases: &[],
        pointers: &["japanese", "tokyo", "japan"],
    },
    Country {
        name: "Israel",
        aliases: &[],
        pointers: &["israeli", "jerusalem", "israel"],
    },
    Country {
        name: "Iran",
        aliases: &[],
        pointers: &["iranian", "tehran", "iran"],
    },
    Country {
        name: "Turkey",
        aliases: &["Türkiye", "Turkiye"],
        pointers: &["turkish", "ankara", "turkey"],
    },
    Country {
        name: "Poland",
        aliases: &[],
        pointers: &["polish", "warsaw", "poland"],
    },
    Country {
        name: "Italy",
        aliases: &[],
        pointers: &["italian", "rome", "italy"],
    },
    Country {
        name: "Spain",
        aliases: &[],
        pointers: &["spanish", "madrid", "spain"],
    },
    Country {
        name: "Canada",
        aliases: &[],
        pointers: &["canadian", "ottawa", "canada"],
    },
    Country {
        name: "Mexico",
        aliases: &[],
        pointers: &["mexican", "mexico"],
    },
    Country {
        name: "North Korea",
        aliases: &["DPRK"],
        pointers: &["north korean", "pyongyang"],
    },
    Country {
        name: "South Korea",
        aliases: &["Republic of Korea", "ROK"],
        pointers: &["south korean", "seoul"],
    },
    Country {
        name: "Saudi Arabia",
        aliases: &[],
        pointers: &["saudi", "riyadh"],
    },
    Country {
        name: "United Arab Emirates",
        aliases: &["UAE", "U.A.E."],
        pointers: &["emirati", "abu dhabi"],
    },
    Country {
        name: "Belarus",
        aliases: &[],
        pointers: &["belarusian", "minsk", "belarus"],
    },
    Country {
        name: "Pakistan",
        aliases: &[],
        pointers: &["pakistani", "islamabad", "pakistan"],
    },
    Country {
        name: "Netherlands",
        aliases: &["Holland", "The Netherlands"],
        pointers: &["dutch", "amsterdam", "hague"],
    },
    Country {
        name: "Czech Republic",
        aliases: &["Czechia"],
        pointers: &["czech", "prague"],
    },
    Country {
        name: "Myanmar",
        aliases: &["Burma"],
        pointers: &["burmese", "myanmar"],
    },
    Country {
        name: "European Union",
        aliases: &["EU", "E.U."],
        pointers: &["european", "brussels"],
    },
    Country {
        name: "Democratic Republic of the Congo",
        aliases: &["DRC", "DR Congo"],
        pointers: &["congolese"],
    },
    Country {
        name: "Australia",
        aliases: &[],
        pointers: &["australian", "canberra", "australia"],
    },
    Country {
        name: "Syria",
        aliases: &[],
        pointers: &["syrian", "damascus", "syria"],
    },
    Country {
        name: "Iraq",
        aliases: &[],
        pointers: &["iraqi", "baghdad", "iraq"],
    },
    Country {
        name: "Afghanistan",
        aliases: &[],
        pointers: &["afghan", "kabul", "afghanistan"],
    },
    Country {
        name: "Egypt",
        aliases: &[],
        pointers: &["egyptian", "cairo", "egypt"],
    },
    Country {
        name: "Hungary",
        aliases: &[],
        pointers: &["hungarian", "budapest", "hungary"],
    },
    Country {
        name: "Malaysia",
        aliases: &[],
        pointers: &["malaysian", "kuala lumpur", "malaysia"],
    },
];

/// Other spellings of the same place: transliterations and old names.
pub const PLACE_VARIANTS: &[&[&str]] = &[
    &["Kyiv", "Kiev"],
    &["Kharkiv", "Kharkov"],
    &["Odesa", "Odessa"],
    &["Mykolaiv", "Nikolaev", "Nikolayev"],
    &["Zaporizhzhia", "Zaporizhzhya", "Zaporozhye"],
    &["Luhansk", "Lugansk"],
    &["Dnipro", "Dnipropetrovsk"],
    &["Lviv", "Lvov"],
    &["Chernihiv", "Chernigov"],
    &["Kryvyi Rih", "Krivoy Rog"],
    &["Beijing", "Peking"],
    &["Mumbai", "Bombay"],
    &["Kolkata", "Calcutta"],
    &["Chennai", "Madras"],
    &["Yangon", "Rangoon"],
    &["Almaty", "Alma-Ata"],
    &[
        "Washington",
        "Washington, D.C.",
        "Washington DC",
        "Washington D.C.",
    ],
    &["Gaza", "Gaza Strip"],
    &["West Bank"],
];

/// The country a word points at ("Russian" -> Russia, "Kremlin" -> Russia).
pub fn country_of_pointer(lower: &str) -> Option<&'static str> {
    static MAP: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    let map = MAP.get_or_init(|| {
        let mut map = HashMap::new();
        for c in COUNTRIES {
            for p in c.pointers {
                map.entry(p.to_string()).or_insert(c.name);
            }
            map.entry(c.name.to_lowercase()).or_insert(c.name);
            for a in c.aliases {
                map.entry(a.to_lowercase()).or_insert(c.name);
            }
        }
        map
    });
    let lower = lower
        .trim_end_matches(['’', '\''])
        .trim_end_matches("’s")
        .trim_end_matches("'s");
    map.get(lower).copied()
}

/// Role heads that a generic description can use for a head of state or government
/// ("the Kremlin leader" for a president).
pub fn role_compatible(description_head: &str, title: &str) -> bool {
    let leader = [
        "leader",
        "president",
        "premier",
        "chancellor",
        "king",
        "queen",
        "head",
        "chief",
    ];
    let h = description_head.trim_end_matches('s');
    let t = title.trim_end_matches('s');
    h == t
        || (leader.contains(&h) && (leader.contains(&t) || t == "prime" || t == "minister"))
        || (h == "envoy" && t == "ambassador")
        || (matches!(h, "aide" | "adviser" | "advisor")
            && matches!(t, "aide" | "adviser" | "advisor"))
}

/// US states and a few world regions that look like person names to the capitalisation
/// heuristic (used only when no NER mentions are given).
pub fn is_known_place(name: &str) -> bool {
    KNOWN_PLACES.contains(&name.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_skip_comments_and_blank_lines_and_match_exactly() {
        let set = WordSet::parse("# a comment\nsen.\n\n  new york  \n#not\n");
        assert_eq!(set.len(), 2);
        assert!(set.contains("sen.") && set.contains("new york"));
        assert!(!set.contains("Sen.") && !set.contains("#not") && !set.contains(""));
        // Every list file parses to something, and the lookups read them.
        assert!(is_title("sen.") && is_determiner("the") && is_preposition("amid"));
        assert!(is_known_place("Kyiv") && is_known_place("new hampshire"));
        assert!(is_org_word("Times.") && first_name_gender("Kamala") == Some(Pron::She));
        assert!(!is_verb_adjunct("family") && is_verb_adjunct("quietly"));
    }

    fn words(text: &str) -> Vec<(String, bool)> {
        text.split_whitespace()
            .map(|w| (w.to_lowercase(), w.chars().all(|c| !c.is_uppercase())))
            .collect()
    }

    fn finite(text: &str) -> bool {
        let w = words(text);
        let refs: Vec<(&str, bool)> = w.iter().map(|(l, low)| (l.as_str(), *low)).collect();
        has_finite_verb(&refs)
    }

    #[test]
    fn a_reported_clause_has_a_finite_verb_and_a_noun_phrase_has_none() {
        // Clauses: an auxiliary, an irregular past, a regular past, a contraction, a pronoun
        // subject before a present-tense verb.
        assert!(finite("the session had been scheduled for 5 p.m."));
        assert!(finite("the meeting took place"));
        assert!(finite("Russia launched two missiles"));
        assert!(finite("it’s too early"));
        assert!(finite("they want a deal"));
        assert!(finite("Moscow won’t accept it"));
        // The objects of "praised", "urged", "reiterated", "pledged".
        assert!(!finite("the U.S. diplomatic push"));
        assert!(!finite("pressure on Moscow"));
        assert!(!finite(
            "Moscow’s unyielding objective to secure full control"
        ));
        assert!(!finite("to take over parts of Ukraine"));
        assert!(!finite("Ukraine’s refusal to cede land"));
    }
}
