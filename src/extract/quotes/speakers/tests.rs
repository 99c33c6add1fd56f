use super::*;
use crate::annotation::{Article, Mention, QuoteKind};
use std::sync::Arc;

/// A document of `text` with NER mentions and quotes given by their text; each quote is
/// (content, speaker mention, speaker as the backend named it, named).
fn doc(
    text: &str,
    mentions: &[(&str, EntityType)],
    quotes: &[(&str, &str, &str, bool)],
) -> Document {
    let article = Arc::new(Article::new("t", text));
    let span = |s: &str| {
        *article
            .occurrences(s)
            .first()
            .unwrap_or_else(|| panic!("{s:?} not in text"))
    };
    let mut d = Document::empty(article.clone(), "test");
    for (m, t) in mentions {
        for s in article.occurrences(m) {
            d.mentions.push(Mention {
                span: s,
                entity_type: *t,
            });
        }
    }
    d.mentions.sort_by_key(|m| m.span.start);
    d.mentions.dedup_by_key(|m| m.span);
    for (content, mention, speaker, named) in quotes {
        let c = span(content);
        // The mention is the occurrence nearest before the content, else the first.
        let mention_span = article
            .occurrences(mention)
            .into_iter()
            .rfind(|s| s.start < c.start)
            .unwrap_or_else(|| span(mention));
        d.quotes.push(Quote {
            span: c,
            fragments: Vec::new(),
            kind: QuoteKind::Indirect,
            cue: None,
            speaker_mention: Some(mention_span),
            speaker: Some(speaker.to_string()),
            joint_speakers: Vec::new(),
        });
        if !d.speakers.iter().any(|s| s.name == *speaker) {
            d.speakers.push(Speaker {
                name: speaker.to_string(),
                speaker_type: SpeakerType::Person,
                aliases: Vec::new(),
                named: *named,
            });
        }
    }
    d
}

fn speakers_of_quotes(d: &Document) -> Vec<Option<String>> {
    d.quotes.iter().map(|q| q.speaker.clone()).collect()
}

const P: EntityType = EntityType::Person;
const O: EntityType = EntityType::Org;
const L: EntityType = EntityType::Place;

#[test]
fn a_pronoun_resolved_to_a_heuristic_word_goes_to_the_named_person() {
    let text = "Debates — Jane Smith spoke in Dallas on Monday.\n“We will win,” she said — \
                and “soon.”";
    let mut d = doc(
        text,
        &[("Jane Smith", P), ("Dallas", L)],
        &[("We will win,", "she", "Debates", true)],
    );
    resolve_speakers(&mut d);
    assert_eq!(speakers_of_quotes(&d), [Some("Jane Smith".to_string())]);
    assert_eq!(d.speakers.len(), 1);
    assert!(d.speakers[0].named);
}

#[test]
fn i_outside_quotations_is_the_writer_a_contributor_note_names() {
    let text = "I grew up in Ohio. I know all about hate, my neighbour said “never.”\n\n\
                Jane Smith is a playwright in Boston.";
    let mut d = doc(
        text,
        &[("Jane Smith", P)],
        &[("all about hate", "I", "I", false)],
    );
    resolve_speakers(&mut d);
    assert_eq!(speakers_of_quotes(&d), [Some("Jane Smith".to_string())]);
    // Without the note, "I" stays as it came.
    let text =
        "I grew up in Ohio. I know all about hate.\n\nJane Smith was there too.\n\nMore.\n\n\
                And more.\n\nThe end.";
    let mut d = doc(
        text,
        &[("Jane Smith", P)],
        &[("all about hate", "I", "I", false)],
    );
    resolve_speakers(&mut d);
    assert_eq!(speakers_of_quotes(&d), [Some("I".to_string())]);
}

#[test]
fn a_place_after_a_preposition_gives_its_government_or_the_group_it_qualifies() {
    let text = "Noon.\n\nThe White House is saying that taxes matter. The city of Phoenix is \
                demanding that the ads stop. Political observers in Virginia say the race is close.";
    let mut d = doc(
        text,
        &[("White House", L), ("Phoenix", L), ("Virginia", L)],
        &[
            ("that taxes matter", "White House", "White House", true),
            ("that the ads stop", "Phoenix", "Phoenix", true),
            ("the race is close", "Virginia", "Virginia", true),
        ],
    );
    resolve_speakers(&mut d);
    assert_eq!(
        speakers_of_quotes(&d),
        [
            Some("White House".to_string()),
            Some("Phoenix".to_string()),
            Some("Political observers in Virginia".to_string()),
        ]
    );
    assert!(!d.speakers[2].named);
}

#[test]
fn a_source_cut_to_a_fragment_is_completed_or_dropped() {
    let text = "She went home, The Post has learned. The law is pushing private doctors to ask \
                veterans. He is a man who lost, and who says he won.";
    let mut d = doc(
        text,
        &[("Post", O)],
        &[
            ("She went home", "The", "The", false),
            ("to ask veterans", "private", "private", false),
            ("he won", "who", "and", false),
        ],
    );
    d.quotes[2].speaker_mention = Some(d.article.occurrences("who")[1]);
    resolve_speakers(&mut d);
    assert_eq!(
        speakers_of_quotes(&d),
        [
            Some("Post".to_string()),
            Some("private doctors".to_string()),
            None
        ]
    );
}

#[test]
fn a_quote_with_a_cue_and_no_source_is_spoken_by_the_name_before_the_cue() {
    let text = "Hours after Trump unleashed a flurry of tweets, Russia backed the regime. \
                The plan is expected to fail.";
    let mut d = doc(
        text,
        &[("Trump", P), ("Russia", L)],
        &[
            ("a flurry of tweets", "Trump", "Trump", true),
            ("the regime", "Russia", "Russia", true),
            ("to fail", "plan", "plan", false),
        ],
    );
    let cues = ["unleashed", "backed", "is expected"];
    for (q, cue) in d.quotes.iter_mut().zip(cues) {
        q.speaker_mention = None;
        q.speaker = None;
        q.cue = Some(d.article.occurrences(cue)[0]);
    }
    resolve_speakers(&mut d);
    assert_eq!(
        speakers_of_quotes(&d),
        [Some("Trump".to_string()), Some("Russia".to_string()), None]
    );
}

#[test]
fn a_group_placed_by_an_organisation_stays_an_unnamed_group() {
    let text = "Developers and supporters in Congress say the program works. Many members of \
                Congress echo that view. Congress said nothing.";
    let mut d = doc(
        text,
        &[("Congress", O)],
        &[
            ("the program works", "Congress", "Congress", true),
            ("that view", "members of Congress", "Congress", true),
            ("nothing", "Congress", "Congress", true),
        ],
    );
    d.quotes[1].cue = Some(d.article.occurrences("echo")[0]);
    d.quotes[2].speaker_mention = Some(d.article.occurrences("Congress")[2]);
    resolve_speakers(&mut d);
    assert_eq!(
        speakers_of_quotes(&d),
        [
            Some("Developers and supporters in Congress".to_string()),
            Some("Many members of Congress".to_string()),
            Some("Congress".to_string()),
        ]
    );
}

#[test]
fn she_is_never_a_man_the_first_name_gives() {
    let text = "Bill Smith met Jo Lynch on the plane. “It was social,” she said.";
    let mut d = doc(
        text,
        &[("Bill Smith", P), ("Jo Lynch", P)],
        &[("It was social,", "she", "Bill Smith", true)],
    );
    resolve_speakers(&mut d);
    assert_eq!(speakers_of_quotes(&d), [Some("Jo Lynch".to_string())]);
}

#[test]
fn a_possessor_speaks_through_what_it_wrote_not_through_its_people() {
    let text = "Frank Nervo’s conclusion was that the filings stay sealed. Mark Pagliano’s \
                lawyer said he would not testify.";
    let mut d = doc(
        text,
        &[("Frank Nervo", P), ("Mark Pagliano", P)],
        &[
            (
                "the filings stay sealed",
                "Frank Nervo",
                "Frank Nervo’s conclusion",
                false,
            ),
            (
                "he would not testify",
                "Mark Pagliano",
                "Mark Pagliano",
                true,
            ),
        ],
    );
    d.quotes[0].cue = Some(d.article.occurrences("was")[0]);
    d.quotes[1].cue = Some(d.article.occurrences("said")[0]);
    resolve_speakers(&mut d);
    assert_eq!(
        speakers_of_quotes(&d),
        [
            Some("Frank Nervo".to_string()),
            Some("Mark Pagliano’s lawyer".to_string())
        ]
    );
}

#[test]
fn a_dateline_is_no_speaker_the_noun_phrase_after_it_is() {
    let text =
        "Talks resume.\n\nBRUSSELS - European leaders gathered Friday to discuss the crisis.";
    let mut d = doc(
        text,
        &[("BRUSSELS", L)],
        &[("the crisis", "BRUSSELS", "BRUSSELS", true)],
    );
    d.quotes[0].cue = Some(d.article.occurrences("to discuss")[0]);
    resolve_speakers(&mut d);
    assert_eq!(
        speakers_of_quotes(&d),
        [Some("European leaders".to_string())]
    );
    assert!(!d.speakers[0].named);
}

#[test]
fn generic_pronouns_have_no_speaker_and_a_relative_one_is_its_antecedent() {
    let text = "The mayor met Jane Smith, who said the city’s plan “will work.” You say \
                it never does.";
    let mut d = doc(
        text,
        &[("Jane Smith", P)],
        &[
            ("the city’s plan “will work.”", "who", "who", false),
            ("it never does", "You", "You", false),
        ],
    );
    resolve_speakers(&mut d);
    assert_eq!(
        speakers_of_quotes(&d),
        [Some("Jane Smith".to_string()), None]
    );
    assert_eq!(d.speakers.len(), 1);
}

#[test]
fn an_adjective_or_a_place_before_the_noun_is_not_the_speaker() {
    let text = "Two Democratic speechwriters said the draft — “weak” — was rewritten. \
                Connecticut’s tax commissioner said revenue fell.";
    let mut d = doc(
        text,
        &[("Connecticut", L)],
        &[
            (
                "the draft — “weak” — was rewritten",
                "Democratic",
                "Democratic",
                true,
            ),
            ("revenue fell", "Connecticut", "Connecticut", true),
        ],
    );
    resolve_speakers(&mut d);
    assert_eq!(
        speakers_of_quotes(&d),
        [
            Some("Two Democratic speechwriters".to_string()),
            Some("Connecticut’s tax commissioner".to_string())
        ]
    );
    assert!(d.speakers.iter().all(|s| !s.named), "{:?}", d.speakers);
}

#[test]
fn a_possessor_before_the_cue_noun_is_the_speaker() {
    let text = "Xi Jinping met Putin. Xi’s response was limited: “China supports talks.”";
    let mut d = doc(
        text,
        &[("Xi Jinping", P), ("Putin", P)],
        &[("“China supports talks.”", "Xi", "Xi Jinping", true)],
    );
    resolve_speakers(&mut d);
    assert_eq!(speakers_of_quotes(&d), [Some("Xi Jinping".to_string())]);
    // Before any other noun, "Xi’s" qualifies it: the noun phrase is the source.
    let text = "Xi Jinping met Putin. Xi’s envoy was blunt: “China supports talks.”";
    let mut d = doc(
        text,
        &[("Xi Jinping", P), ("Putin", P)],
        &[("“China supports talks.”", "Xi", "Xi Jinping", true)],
    );
    resolve_speakers(&mut d);
    assert_eq!(speakers_of_quotes(&d), [Some("Xi’s envoy".to_string())]);
}

#[test]
fn a_capitalised_plural_is_an_unnamed_group() {
    let text = "Senate Democrats met on Monday. Democrats said the bill — “a sham” — failed.";
    let mut d = doc(
        text,
        &[("Senate", O)],
        &[(
            "the bill — “a sham” — failed",
            "Democrats",
            "Democrats",
            true,
        )],
    );
    resolve_speakers(&mut d);
    assert_eq!(speakers_of_quotes(&d), [Some("Democrats".to_string())]);
    assert_eq!(d.speakers.len(), 1);
    assert!(!d.speakers[0].named, "{:?}", d.speakers);
    assert_eq!(d.speakers[0].speaker_type, SpeakerType::Other);
}

#[test]
fn a_document_is_resolved_to_its_named_producer() {
    let text = "A new report from the Tax Policy Center landed on Monday.\nThe report \
                found that taxes would rise — “sharply.”";
    let mut d = doc(
        text,
        &[("Tax Policy Center", O)],
        &[(
            "taxes would rise — “sharply.”",
            "The report",
            "The report",
            false,
        )],
    );
    resolve_speakers(&mut d);
    assert_eq!(
        speakers_of_quotes(&d),
        [Some("Tax Policy Center".to_string())]
    );
    // Without a producer named, the document stays its own unnamed speaker.
    let text = "The report found that taxes would rise — “sharply.”";
    let mut d = doc(
        text,
        &[],
        &[(
            "taxes would rise — “sharply.”",
            "The report",
            "The report",
            false,
        )],
    );
    resolve_speakers(&mut d);
    assert_eq!(speakers_of_quotes(&d), [Some("The report".to_string())]);
    // Two producers in the phrase, or after "by": each is a speaker.
    let text = "A New York Times/CBS News poll found that voters were split. A study by Harvard \
                and the University of Chicago found that turnout fell.";
    let mut d = doc(
        text,
        &[
            ("New York Times", O),
            ("CBS News", O),
            ("Harvard", O),
            ("University of Chicago", O),
        ],
        &[
            (
                "that voters were split",
                "A New York Times/CBS News poll",
                "A New York Times/CBS News poll",
                false,
            ),
            ("that turnout fell", "A study", "A study", false),
        ],
    );
    resolve_speakers(&mut d);
    assert_eq!(d.quotes[0].speaker.as_deref(), Some("New York Times"));
    assert_eq!(d.quotes[0].joint_speakers, ["CBS News"]);
    assert_eq!(d.quotes[1].speaker.as_deref(), Some("Harvard"));
    assert_eq!(d.quotes[1].joint_speakers, ["University of Chicago"]);
    // A first, indefinite mention: the producer named in the next sentences.
    let text = "A new poll shows that the race is tied.\nThe Reuters poll released Friday shows \
                a gain for Clinton.";
    let mut d = doc(
        text,
        &[("Reuters", O), ("Clinton", P)],
        &[("that the race is tied", "A new poll", "A new poll", false)],
    );
    resolve_speakers(&mut d);
    assert_eq!(speakers_of_quotes(&d), [Some("Reuters".to_string())]);
}

#[test]
fn definite_descriptions_are_resolved_to_the_entity_they_denote() {
    let text = "Senator Bernie Sanders spoke in Vermont. Later, the Vermont senator said \
                “the fight goes on.” The International Monetary Fund met too, and the fund \
                said growth was slowing.";
    let mut d = doc(
        text,
        &[
            ("Bernie Sanders", P),
            ("Vermont", L),
            ("International Monetary Fund", O),
        ],
        &[
            (
                "“the fight goes on.”",
                "the Vermont senator",
                "the Vermont senator",
                false,
            ),
            ("growth was slowing", "the fund", "the fund", false),
        ],
    );
    resolve_speakers(&mut d);
    assert_eq!(
        speakers_of_quotes(&d),
        [
            Some("Bernie Sanders".to_string()),
            Some("International Monetary Fund".to_string())
        ]
    );
    // An indefinite description introduces someone new: kept as written.
    let text = "Bernie Sanders spoke. An aide said “no comment.”";
    let mut d = doc(
        text,
        &[("Bernie Sanders", P)],
        &[("“no comment.”", "An aide", "An aide", false)],
    );
    resolve_speakers(&mut d);
    assert_eq!(speakers_of_quotes(&d), [Some("An aide".to_string())]);
}

#[test]
fn a_joint_source_gives_each_entity() {
    let text = "Elijah Cummings and John Conyers said the letter — “urgent” — went out.";
    let mut d = doc(
        text,
        &[("Elijah Cummings", P), ("John Conyers", P)],
        &[(
            "the letter — “urgent” — went out",
            "Elijah Cummings",
            "Elijah Cummings",
            true,
        )],
    );
    resolve_speakers(&mut d);
    assert_eq!(d.quotes[0].speaker.as_deref(), Some("Elijah Cummings"));
    assert_eq!(d.quotes[0].joint_speakers, ["John Conyers"]);
    assert_eq!(d.speakers.len(), 2);
    // An apposition is not a list.
    let text = "Elijah Cummings, John Conyers’ colleague, said the letter went out.";
    let mut d = doc(
        text,
        &[("Elijah Cummings", P), ("John Conyers", P)],
        &[(
            "the letter went out",
            "Elijah Cummings",
            "Elijah Cummings",
            true,
        )],
    );
    resolve_speakers(&mut d);
    assert!(d.quotes[0].joint_speakers.is_empty());
}

#[test]
fn joint_sources_of_places_parentheticals_and_articles() {
    // Countries acting together are each a speaker (guidelines v3, "Canada and the European
    // Union signed"); a person's party and state in parentheses do not end the list.
    type Case<'a> = (
        &'a str,
        &'a [(&'a str, EntityType)],
        &'a str,
        &'a str,
        &'a [&'a str],
    );
    let cases: [Case; 4] = [
        (
            "India and Pakistan said the talks would resume in Geneva.",
            &[("India", L), ("Pakistan", L), ("Geneva", L)],
            "India",
            "the talks would resume in Geneva",
            &["Pakistan"],
        ),
        (
            "Sens. Jon Tester (D-Mont.) and David Vitter (R-La.) said the bill would pass.",
            &[("Jon Tester", P), ("David Vitter", P)],
            "David Vitter",
            "the bill would pass",
            &["Jon Tester"],
        ),
        (
            "Canada and the European Union said the deal was signed.",
            &[("Canada", L), ("European Union", O)],
            "Canada",
            "the deal was signed",
            &["European Union"],
        ),
        // A place listed with a person is where the person is from, not a second speaker.
        (
            "Sen. Elijah Cummings, Maryland, and the chairman said the letter went out.",
            &[("Elijah Cummings", P), ("Maryland", L)],
            "Elijah Cummings",
            "the letter went out",
            &[],
        ),
    ];
    for (text, mentions, speaker, content, joint) in cases {
        let mut d = doc(text, mentions, &[(content, speaker, speaker, true)]);
        resolve_speakers(&mut d);
        assert_eq!(d.quotes[0].joint_speakers, joint, "{text}");
    }
}

#[test]
fn a_quantity_keeps_its_group_and_a_fragment_is_no_speaker() {
    // The description as written runs through a quantity's "of" (guidelines: an unnamed source
    // is "the description as written"); a time the tagger took for a Source is no one.
    let text = "A majority of voters said the race was close. This month said the race was over.";
    let mut d = doc(
        text,
        &[],
        &[
            (
                "the race was close",
                "A majority of voters",
                "A majority",
                false,
            ),
            ("the race was over", "This month", "This month", false),
        ],
    );
    resolve_speakers(&mut d);
    assert_eq!(
        speakers_of_quotes(&d),
        [Some("A majority of voters".to_string()), None]
    );
}

#[test]
fn resolution_is_idempotent_and_keeps_what_no_rule_decides() {
    let text = "“We are ready,” Jane Smith told reporters in Kyiv.";
    let mut d = doc(
        text,
        &[("Jane Smith", P), ("Kyiv", L)],
        &[("“We are ready,”", "Jane Smith", "Jane Smith", true)],
    );
    let before = d.clone();
    resolve_speakers(&mut d);
    assert_eq!(d.quotes, before.quotes);
    assert_eq!(d.speakers, before.speakers);
    resolve_speakers(&mut d);
    assert_eq!(d.quotes, before.quotes);
}
