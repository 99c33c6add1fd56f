//! The rule-based quote extractor, one test per pattern, each on the kind of news sentence that
//! motivated it (multi-byte text throughout: “ ” ‘ ’ — «»).

use quoteval::annotation::{Article, EntityType, Mention, QuoteKind, Span, SpeakerType};
use quoteval::extract::quotes::places::places_from_mentions;
use quoteval::extract::quotes::{RulesExtractor, RulesSettings};
use quoteval::extract::QuoteFindings;

/// One quote as text: (kind, content, speaker mention, resolved speaker, cue). The content of a
/// quote in fragments is its fragments joined by " | ".
#[derive(Debug, Clone, PartialEq)]
struct Q {
    kind: QuoteKind,
    text: String,
    mention: Option<String>,
    speaker: Option<String>,
    cue: Option<String>,
}

fn run_with(
    text: &str,
    mentions: &[Mention],
    settings: RulesSettings,
) -> (Article, QuoteFindings, Vec<Q>) {
    let article = Article::new("t", text);
    let found = RulesExtractor::new(settings)
        .unwrap()
        .extract(&article, mentions);
    let qs = found
        .quotes
        .iter()
        .map(|q| Q {
            kind: q.kind,
            text: q
                .pieces()
                .iter()
                .map(|p| article.slice(*p))
                .collect::<Vec<_>>()
                .join(" | "),
            mention: q.speaker_mention.map(|s| article.slice(s).to_string()),
            speaker: q.speaker.clone(),
            cue: q.cue.map(|s| article.slice(s).to_string()),
        })
        .collect();
    (article, found, qs)
}

fn run(text: &str) -> Vec<Q> {
    run_with(text, &[], RulesSettings::default()).2
}

fn texts(qs: &[Q]) -> Vec<&str> {
    qs.iter().map(|q| q.text.as_str()).collect()
}

fn direct(qs: &[Q]) -> Vec<&str> {
    qs.iter()
        .filter(|q| q.kind == QuoteKind::Direct)
        .map(|q| q.text.as_str())
        .collect()
}

/// Mentions of every occurrence of each (text, type).
fn mentions(article_text: &str, names: &[(&str, EntityType)]) -> Vec<Mention> {
    let a = Article::new("m", article_text);
    let mut out: Vec<Mention> = Vec::new();
    for (name, t) in names {
        for span in a.occurrences(name) {
            // Longest name wins: skip a shorter name inside a longer one already listed.
            if out.iter().any(|m| m.span.contains(&span)) {
                continue;
            }
            out.push(Mention {
                span,
                entity_type: *t,
            });
        }
    }
    out.sort_by_key(|m| m.span);
    out
}

// ----- direct quotes: quotation marks -----

#[test]
fn curly_quotes_give_the_words_inside_with_their_punctuation() {
    let qs = run("“We went through virtually every point,” Putin told India Today before landing in New Delhi.");
    assert_eq!(qs.len(), 1, "{qs:?}");
    assert_eq!(qs[0].kind, QuoteKind::Direct);
    assert_eq!(qs[0].text, "We went through virtually every point,");
    assert_eq!(qs[0].mention.as_deref(), Some("Putin"));
    assert_eq!(qs[0].cue.as_deref(), Some("told"));
}

#[test]
fn straight_quotes_pair_like_curly_ones() {
    let qs = run("Putin described the five-hour Kremlin talks as \"necessary\" and \"substantive,\" but underscored differences.");
    assert_eq!(
        texts(&qs),
        vec!["the five-hour Kremlin talks as \"necessary\" and \"substantive,\""]
    );
    assert_eq!(qs[0].kind, QuoteKind::Mixed);
    assert!(qs.iter().all(|q| q.mention.as_deref() == Some("Putin")));
}

#[test]
fn typewriter_double_apostrophes_are_quotation_marks() {
    let qs = run("''It is a meaningful conversation,'' Mr. Peskov said. ''We'll see.''");
    // Both quotations are Peskov's, around one attribution: one quote in two fragments.
    assert_eq!(
        texts(&qs),
        vec!["It is a meaningful conversation, | We'll see."]
    );
    assert_eq!(qs[0].mention.as_deref(), Some("Peskov"));
    // The kind is read off the text by the double-mark rule the independent scorers use,
    // which does not know the typewriter '' of some wires.
    assert_eq!(qs[0].kind, QuoteKind::Indirect);
}

#[test]
fn guillemets_pair() {
    let qs = run("«Nous ne céderons pas», Zelensky said in a video address.");
    assert_eq!(direct(&qs), vec!["Nous ne céderons pas"]);
    assert_eq!(qs[0].speaker.as_deref(), Some("Zelensky"));
}

#[test]
fn single_quotes_nested_in_double_quotes_stay_inside() {
    let qs = run("“It was a meaningful conversation. Sometimes we said, ‘Yes, we can discuss this, but with that one we cannot agree.’” Putin said.");
    assert_eq!(
        direct(&qs),
        vec!["It was a meaningful conversation. Sometimes we said, ‘Yes, we can discuss this, but with that one we cannot agree.’"]
    );
    assert_eq!(qs[0].mention.as_deref(), Some("Putin"));
}

#[test]
fn apostrophes_are_not_closing_marks() {
    let text = "Ukraine’s allies remember the ’90s and rock ’n’ roll; the voters’ mood changed. “Kyiv’s position hasn’t changed,” Zelensky said.";
    let qs = run(text);
    assert_eq!(direct(&qs), vec!["Kyiv’s position hasn’t changed,"]);
}

#[test]
fn a_quotation_over_several_paragraphs_gives_one_quote_per_paragraph() {
    let text = "Cruz continued:\n\n“You look at the questions: are you a comic book villain?\n\n“How about talking about the substantive issues people care about?”\n\nThe audience applauded.";
    let qs = run(text);
    assert_eq!(
        direct(&qs),
        vec![
            "You look at the questions: are you a comic book villain?",
            "How about talking about the substantive issues people care about?"
        ]
    );
    assert!(
        qs.iter()
            .all(|q| q.speaker.as_deref() == Some("Cruz") && q.cue.as_deref() == Some("continued")),
        "{qs:?}"
    );
}

#[test]
fn an_interrupted_quotation_is_one_quote_in_two_fragments() {
    let qs = run("“We had to go through practically every point,” he said, “which is why it took so much time.”");
    assert_eq!(
        direct(&qs),
        vec!["We had to go through practically every point, | which is why it took so much time."]
    );
    assert!(qs
        .iter()
        .all(|q| q.mention.as_deref() == Some("he") && q.cue.as_deref() == Some("said")));
}

#[test]
fn short_quoted_fragments_are_quotes() {
    let qs = run("Putin, speaking to India Today before a state visit, described the discussions with US officials as “necessary” and “useful,” but added they were “difficult work.”");
    // Each reported clause with its quoted words is one mixed quote (PARC 3.0).
    assert_eq!(
        texts(&qs),
        vec![
            "the discussions with US officials as “necessary” and “useful,”",
            "they were “difficult work.”"
        ]
    );
    assert!(qs.iter().all(|q| q.kind == QuoteKind::Mixed), "{qs:?}");
    assert!(
        qs.iter().all(|q| q.mention.as_deref() == Some("Putin")),
        "{qs:?}"
    );
    assert_eq!(qs[1].cue.as_deref(), Some("added"));
}

#[test]
fn scare_quotes_and_titles_without_a_speech_act_are_not_quotes() {
    let qs = run("Moscow’s so-called “special military operation” entered its fourth year. Rubio appeared on “Meet the Press” on Sunday.");
    assert!(qs.is_empty(), "{qs:?}");
    // A title inside a reported clause is no quote of its own; the clause is the quote, and
    // its kind is PARC's, from the marks in it.
    let qs = run("Trump said he would watch “Saturday Night Live” on the flight home.");
    assert_eq!(qs.len(), 1);
    assert_eq!(qs[0].kind, QuoteKind::Mixed);
    assert_eq!(
        qs[0].text,
        "he would watch “Saturday Night Live” on the flight home"
    );
}

#[test]
fn an_unbalanced_mark_does_not_swallow_the_rest_of_the_article() {
    let text = "The envoy said “talks will resume next week.\nPutin said “the proposals were useful.”\n“We will see,” Zelensky said.";
    let qs = run(text);
    let d = direct(&qs);
    assert!(d.contains(&"the proposals were useful."), "{qs:?}");
    assert!(d.contains(&"We will see,"), "{qs:?}");
}

#[test]
fn quotes_never_overlap() {
    let (_, found, _) = run_with(
        "Trump said on 3 December that Witkoff and Kushner came away confident that Putin “wants to find an end to the war.” He added, “Their impression was very strongly that he’d like to make a deal.”",
        &[],
        RulesSettings::default(),
    );
    for (i, a) in found.quotes.iter().enumerate() {
        for b in &found.quotes[i + 1..] {
            assert!(!a.span.overlaps(&b.span), "{a:?} overlaps {b:?}");
        }
    }
}

// ----- indirect quotes -----

#[test]
fn said_that_clause_without_that_and_final_period() {
    let qs = run("Putin said that the proposals were based on prior US-Russia discussions.");
    assert_eq!(qs.len(), 1);
    assert_eq!(qs[0].kind, QuoteKind::Indirect);
    assert_eq!(
        qs[0].text,
        "the proposals were based on prior US-Russia discussions"
    );
    assert_eq!(qs[0].cue.as_deref(), Some("said"));
}

#[test]
fn said_with_time_adjuncts_before_that() {
    let qs =
        run("Trump said on Wednesday that he doesn’t know what the outcome of the talks will be.");
    assert_eq!(
        texts(&qs),
        vec!["he doesn’t know what the outcome of the talks will be"]
    );
}

#[test]
fn content_before_the_attribution() {
    let qs = run("The negotiations are difficult, and Moscow disagrees with some of what’s been suggested by the U.S., Putin said in an interview to India Today, as cited by the state-run Tass news service.");
    assert_eq!(texts(&qs), vec!["The negotiations are difficult, and Moscow disagrees with some of what’s been suggested by the U.S."]);
    assert_eq!(qs[0].mention.as_deref(), Some("Putin"));
}

#[test]
fn according_to_before_and_after() {
    let qs =
        run("According to Ushakov, Moscow has taken a negative view of a number of proposals.");
    assert_eq!(
        texts(&qs),
        vec!["Moscow has taken a negative view of a number of proposals"]
    );
    assert_eq!(qs[0].cue.as_deref(), Some("According to"));
    assert_eq!(qs[0].mention.as_deref(), Some("Ushakov"));
    let qs = run("The session had been scheduled for 5 p.m., according to an official familiar with the arrangements.");
    assert_eq!(
        texts(&qs),
        vec!["The session had been scheduled for 5 p.m."]
    );
    assert_eq!(qs[0].mention.as_deref(), Some("an official"));
}

#[test]
fn told_skips_the_addressee() {
    let qs = run("Sources previously told the Kyiv Independent that the first draft was heavily shaped in consultation with Dmitriev.");
    assert_eq!(
        texts(&qs),
        vec!["the first draft was heavily shaped in consultation with Dmitriev"]
    );
    assert_eq!(qs[0].mention.as_deref(), Some("Sources"));
    let qs = run("An aide told reporters the plan would be published on Friday.");
    assert_eq!(texts(&qs), vec!["the plan would be published on Friday"]);
}

#[test]
fn described_as_without_marks_is_indirect() {
    let qs = run("Dmitriev later described the talks as productive.");
    assert_eq!(texts(&qs), vec!["the talks as productive"]);
    assert_eq!(qs[0].kind, QuoteKind::Indirect);
}

#[test]
fn background_clauses_stay_outside() {
    let qs = run("The US delegation was scheduled to meet the Ukrainian team later Thursday, though there was no immediate confirmation that the meeting took place, an official told reporters on condition of anonymity.");
    assert_eq!(
        texts(&qs),
        vec!["The US delegation was scheduled to meet the Ukrainian team later Thursday"]
    );
    assert_eq!(qs[0].mention.as_deref(), Some("an official"));
    let qs = run("He added that the process would continue, even though Moscow has linked any ceasefire to Ukraine withdrawing from its territory, something Kyiv rejects.");
    assert_eq!(texts(&qs), vec!["the process would continue"]);
}

#[test]
fn beliefs_and_intentions_are_not_speech() {
    let qs = run("Putin believes that the West is weak. Trump wants a deal by Christmas. Zelensky hopes that the talks succeed, and Europe fears that it will be excluded.");
    assert!(qs.is_empty(), "{qs:?}");
}

#[test]
fn headlines_and_also_read_lines_are_not_quotes() {
    let text = "Putin Says US Plan Is ‘Unacceptable’\nAlso Read: Putin says “no deal” without Donbas\nPutin said the plan was unacceptable in its current form.";
    let qs = run(text);
    assert_eq!(
        texts(&qs),
        vec!["the plan was unacceptable in its current form"]
    );
}

#[test]
fn a_reported_clause_with_quotation_marks_is_one_mixed_quote() {
    let qs = run("Putin’s aide Yuri Ushakov explained that while several American ideas appear “more or less acceptable,” key formulations remain unacceptable to Russia.");
    assert_eq!(qs.len(), 1, "{qs:?}");
    assert_eq!(qs[0].kind, QuoteKind::Mixed);
    assert_eq!(
        qs[0].text,
        "while several American ideas appear “more or less acceptable,” key formulations remain unacceptable to Russia"
    );
    assert_eq!(qs[0].mention.as_deref(), Some("Yuri Ushakov"));
}

#[test]
fn a_progressive_speech_verb_frames_its_clause() {
    // "is claiming" is the finite verb of its clause, not a participle hanging on another one.
    let qs = run("He’s done. He is claiming that voting fraud is “a big, big problem in this country” but “nobody has the guts to talk about it.”");
    assert_eq!(qs.len(), 1, "{qs:?}");
    assert_eq!(qs[0].kind, QuoteKind::Mixed);
    assert_eq!(
        qs[0].text,
        "voting fraud is “a big, big problem in this country” but “nobody has the guts to talk about it.”"
    );
    assert_eq!(qs[0].cue.as_deref(), Some("claiming"));
    let qs = run("Trump was telling voters in Ohio that the election is rigged.");
    assert_eq!(texts(&qs), vec!["the election is rigged"]);
    assert_eq!(qs[0].mention.as_deref(), Some("Trump"));
}

#[test]
fn a_quotation_ending_a_sentence_is_not_attributed_by_the_next_sentences_verb() {
    // "said" after “… recklessness.” starts a sentence with a mixed quote of its own.
    let qs = run("Seoul accused Kim of “fanatic recklessness.” President Park said Kim’s mental state is “spiraling out of control.”");
    let park = qs
        .iter()
        .find(|q| q.text.contains("spiraling"))
        .expect("the second quote");
    assert_eq!(park.kind, QuoteKind::Mixed, "{qs:?}");
    assert_eq!(
        park.text,
        "Kim’s mental state is “spiraling out of control.”"
    );
    assert_eq!(park.mention.as_deref(), Some("Park"));
    assert_eq!(park.cue.as_deref(), Some("said"));
}

#[test]
fn a_participle_takes_the_subject_of_its_clause() {
    let qs = run("Putin did not clarify which points Russia could accept, emphasizing that premature disclosure could disrupt the negotiation process.");
    assert_eq!(
        texts(&qs),
        vec!["premature disclosure could disrupt the negotiation process"]
    );
    assert_eq!(qs[0].mention.as_deref(), Some("Putin"));
    assert_eq!(qs[0].cue.as_deref(), Some("emphasizing"));
    let qs = run("Macron urged Xi Jinping to press Russia, though Xi stopped short of endorsing the plan, saying only that China supports “all efforts that work towards peace.”");
    let last = qs.last().unwrap();
    assert_eq!(
        last.text,
        "China supports “all efforts that work towards peace.”"
    );
    assert_eq!(last.mention.as_deref(), Some("Xi"));
}

#[test]
fn relative_who_and_as_saying() {
    let qs = run("His comments followed statements from Ukrainian President Volodymyr Zelensky, who said the American delegation would relay the results to Kyiv.");
    assert_eq!(
        texts(&qs),
        vec!["the American delegation would relay the results to Kyiv"]
    );
    assert_eq!(qs[0].mention.as_deref(), Some("Volodymyr Zelensky"));
    let qs = run("The U.S. recently proposed breaking down the list into four packages, Tass cited Putin as saying in the interview.");
    assert_eq!(
        texts(&qs),
        vec!["The U.S. recently proposed breaking down the list into four packages"]
    );
    assert_eq!(qs[0].mention.as_deref(), Some("Putin"));
}

// ----- attribution -----

#[test]
fn inverted_attribution_after_the_quote() {
    let qs = run(
        "“Ted Cruz is not my favorite by any means,” said Sen. Lindsey Graham, a former candidate.",
    );
    assert_eq!(qs[0].mention.as_deref(), Some("Lindsey Graham"));
    assert_eq!(qs[0].speaker.as_deref(), Some("Lindsey Graham"));
}

#[test]
fn a_colon_after_the_speaker_introduces_the_quote() {
    let qs = run("Macron met Xi Jinping in Beijing, though Xi’s response was limited: “China supports all efforts that work towards peace.”");
    assert_eq!(
        direct(&qs),
        vec!["China supports all efforts that work towards peace."]
    );
    assert_eq!(qs[0].mention.as_deref(), Some("Xi"));
    assert_eq!(
        qs[0].speaker.as_deref(),
        Some("Xi Jinping"),
        "short name clustered with the full one"
    );
}

#[test]
fn a_quote_standing_alone_takes_the_speaker_of_the_one_before() {
    let text = "“We went through virtually every point,” Putin told India Today.\n“Some we can discuss, others we cannot agree to.”";
    let qs = run(text);
    assert_eq!(qs.len(), 2);
    assert_eq!(qs[1].speaker.as_deref(), Some("Putin"));
    assert_eq!(qs[1].cue, None);
}

#[test]
fn a_quote_after_its_speaker_and_any_verb() {
    // "remembered" is not in the lexicon: the position alone marks the attribution.
    let qs = run("“It was the worst day of the campaign,” remembered Roy Verley, the company’s former spokesman.");
    assert_eq!(qs[0].speaker.as_deref(), Some("Roy Verley"));
}

#[test]
fn pronouns_resolve_to_the_subject_not_the_last_name() {
    let text = "Putin said that the proposals were based on prior discussions, including his meeting with Trump in Alaska. “We had to go through practically every point,” he said.";
    let qs = run(text);
    let d = qs.iter().find(|q| q.kind == QuoteKind::Direct).unwrap();
    assert_eq!(d.mention.as_deref(), Some("he"));
    assert_eq!(d.speaker.as_deref(), Some("Putin"));
}

#[test]
fn she_resolves_to_a_woman() {
    let text =
        "Hillary Clinton met Donald Trump in the debate. “I will not be lectured,” she said.";
    let qs = run(text);
    assert_eq!(qs[0].speaker.as_deref(), Some("Hillary Clinton"));
}

#[test]
fn descriptions_resolve_through_the_roles_the_article_gives() {
    let text = "Russian President Vladimir Putin met the envoys on Tuesday. The Kremlin leader said the talks were useful. The Russian president also said that Kyiv must withdraw its troops.";
    let qs = run(text);
    assert_eq!(qs.len(), 2, "{qs:?}");
    assert_eq!(qs[0].mention.as_deref(), Some("The Kremlin leader"));
    assert_eq!(qs[0].speaker.as_deref(), Some("Vladimir Putin"));
    assert_eq!(qs[1].mention.as_deref(), Some("The Russian president"));
    assert_eq!(qs[1].speaker.as_deref(), Some("Vladimir Putin"));
}

#[test]
fn titles_are_stripped_from_speaker_mentions() {
    let qs = run("Secretary of State Marco Rubio described the round of talks as productive, but complicated.");
    assert_eq!(qs[0].mention.as_deref(), Some("Marco Rubio"));
    let qs = run("“It’s a proven fact,” Rep. Jim McDermott (D-Wash.) said.");
    assert_eq!(qs[0].mention.as_deref(), Some("Jim McDermott"));
}

#[test]
fn speakers_have_canonical_names_aliases_and_types() {
    let text = "Russian President Vladimir Putin said the talks were useful. Putin added that more work was needed. The Kremlin said the meeting would not be the last.";
    let (_, found, _) = run_with(text, &[], RulesSettings::default());
    let putin = found
        .speakers
        .iter()
        .find(|s| s.name == "Vladimir Putin")
        .expect("Putin");
    assert_eq!(putin.aliases, vec!["Putin".to_string()]);
    assert_eq!(putin.speaker_type, SpeakerType::Person);
    assert!(putin.named);
    let kremlin = found
        .speakers
        .iter()
        .find(|s| s.name == "Kremlin")
        .expect("Kremlin");
    assert_eq!(kremlin.speaker_type, SpeakerType::Org);
    assert_eq!(found.speakers.len(), 2, "{:?}", found.speakers);
}

#[test]
fn unnamed_sources_stay_unnamed_with_the_description_as_name() {
    let text = "Ukrainian officials said Russia launched two ballistic missiles overnight. An official told reporters the talks would resume.";
    let (_, found, qs) = run_with(text, &[], RulesSettings::default());
    assert_eq!(qs[0].speaker.as_deref(), Some("Ukrainian officials"));
    assert_eq!(qs[1].speaker.as_deref(), Some("An official"));
    assert!(
        found.speakers.iter().all(|s| !s.named),
        "{:?}",
        found.speakers
    );
}

#[test]
fn ner_mentions_decide_what_is_a_name() {
    let text = "“We are ready,” India Today quoted the minister as saying. India Today said the interview would air on Thursday.";
    let m = mentions(text, &[("India Today", EntityType::Org)]);
    let (_, found, qs) = run_with(text, &m, RulesSettings::default());
    let it = qs
        .iter()
        .find(|q| q.mention.as_deref() == Some("India Today"))
        .expect("India Today speaks");
    assert_eq!(it.kind, QuoteKind::Indirect);
    let s = found
        .speakers
        .iter()
        .find(|s| s.name == "India Today")
        .unwrap();
    assert_eq!(s.speaker_type, SpeakerType::Org);
}

// ----- settings -----

#[test]
fn settings_switch_off_indirect_quotes_and_cues() {
    let text = "Putin said that the talks were useful. “We will continue,” Ushakov told reporters. According to Tass, the next round is set for Friday.";
    let all = run(text);
    assert_eq!(all.len(), 3, "{all:?}");
    let direct_only = run_with(
        text,
        &[],
        RulesSettings {
            indirect: false,
            ..RulesSettings::default()
        },
    )
    .2;
    assert_eq!(texts(&direct_only), vec!["We will continue,"]);
    let weaker = run_with(
        text,
        &[],
        RulesSettings {
            disabled_cues: vec!["according to".into(), "say".into()],
            ..RulesSettings::default()
        },
    )
    .2;
    assert_eq!(texts(&weaker), vec!["We will continue,"]);
    let err = RulesExtractor::new(RulesSettings {
        disabled_cues: vec!["believe".into()],
        ..RulesSettings::default()
    })
    .unwrap_err();
    assert_eq!(err.0, vec!["believe".to_string()]);
    assert!(err.to_string().contains("not in the cue lexicon"), "{err}");
}

#[test]
fn without_resolution_speakers_are_as_written() {
    let text = "Putin met the envoys. “It was useful,” he said.";
    let qs = run_with(
        text,
        &[],
        RulesSettings {
            resolve: false,
            ..RulesSettings::default()
        },
    )
    .2;
    assert_eq!(qs[0].speaker.as_deref(), Some("he"));
}

// ----- places -----

#[test]
fn places_cluster_abbreviations_transliterations_and_oblasts() {
    let text = "The US plan reached Kyiv. U.S. envoys flew to Kiev, and the United States said Donetsk Oblast stays Ukrainian; Donetsk was shelled.";
    let m = mentions(
        text,
        &[
            ("United States", EntityType::Place),
            ("Donetsk Oblast", EntityType::Place),
            ("US", EntityType::Place),
            ("U.S.", EntityType::Place),
            ("Kyiv", EntityType::Place),
            ("Kiev", EntityType::Place),
            ("Donetsk", EntityType::Place),
        ],
    );
    let places = places_from_mentions(&Article::new("p", text), &m);
    let got: Vec<(String, Vec<String>)> = places.into_iter().map(|p| (p.name, p.aliases)).collect();
    assert_eq!(
        got,
        vec![
            ("United States".into(), vec!["US".into(), "U.S.".into()]),
            ("Kyiv".into(), vec!["Kiev".into()]),
            ("Donetsk Oblast".into(), vec!["Donetsk".into()]),
        ]
    );
}

#[test]
fn spans_are_char_offsets_into_the_verbatim_text() {
    let text = "Zelenskyy’s “peace” — he said — “is not surrender.”";
    let (article, found, _) = run_with(text, &[], RulesSettings::default());
    for q in &found.quotes {
        let s: Span = q.span;
        assert_eq!(
            article.get(s).map(str::to_string),
            Some(article.slice(s).to_string())
        );
    }
}

#[test]
fn places_leave_out_institutions_org_names_and_credits_and_split_compounds() {
    let text = "The meeting at the Kremlin followed US-Russia talks, India Today reported. (Alexander Kazakov/Pool/AFP) Moscow agreed.";
    let m = mentions(
        text,
        &[
            ("Kremlin", EntityType::Place),
            ("US-Russia", EntityType::Place),
            ("India", EntityType::Place),
            ("Pool", EntityType::Place),
            ("Moscow", EntityType::Place),
        ],
    );
    let places = places_from_mentions(&Article::new("p", text), &m);
    let names: Vec<&str> = places.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, vec!["US", "Russia", "Moscow"]);
}

#[test]
fn quoted_sentences_around_one_attribution_are_one_quote() {
    let text = "“We are not going anywhere.” Clinton said on Tuesday. “This race is far from over, and we will fight for every vote.”\n\nThe crowd cheered.";
    let (article, found, qs) = run_with(text, &[], RulesSettings::default());
    assert_eq!(
        texts(&qs),
        vec!["We are not going anywhere. | This race is far from over, and we will fight for every vote."]
    );
    assert_eq!(qs[0].kind, QuoteKind::Direct);
    assert_eq!(qs[0].mention.as_deref(), Some("Clinton"));
    assert_eq!(qs[0].cue.as_deref(), Some("said"));
    // The quote runs from its first fragment to its last; the attribution between them is not
    // content.
    let q = &found.quotes[0];
    assert_eq!(q.pieces().len(), 2);
    assert!(!q.covers(article.occurrences("Clinton")[0].start));
}

#[test]
fn another_speech_act_between_two_quotations_keeps_them_apart() {
    let qs = run("“We will win,” Trump told supporters in Reno. The crowd chanted “USA.” “We will win big,” he added.");
    assert_eq!(direct(&qs), vec!["We will win,", "We will win big,"]);
    assert_eq!(qs[1].cue.as_deref(), Some("added"));
}

#[test]
fn a_clause_reported_around_a_quoted_phrase_is_one_mixed_quote() {
    let qs = run("Sanders said the Republican tax plan was “a disaster” for working families.");
    assert_eq!(
        texts(&qs),
        vec!["the Republican tax plan was “a disaster” for working families"]
    );
    assert_eq!(qs[0].kind, QuoteKind::Mixed);
    assert_eq!(qs[0].mention.as_deref(), Some("Sanders"));
    // A quotation that is the whole content stays direct: "that" alone is no clause of its own.
    let qs = run("Sanders said that “the plan is a disaster for working families.”");
    assert_eq!(
        direct(&qs),
        vec!["the plan is a disaster for working families."]
    );
}

#[test]
fn nicknames_and_slogans_in_quotation_marks_are_not_quotes() {
    let qs = run("The real estate mogul, nicknamed “The Donald,” arrived in Iowa on Monday. Supporters waved “Make America Great Again” signs.");
    assert!(qs.is_empty(), "{qs:?}");
}

#[test]
fn adjuncts_before_a_colon_are_not_content() {
    let qs = run("Verizon said in a statement: “We look forward to having all of our employees soon back at work in their regular positions.”");
    assert_eq!(
        texts(&qs),
        vec!["We look forward to having all of our employees soon back at work in their regular positions."]
    );
    assert_eq!(qs[0].kind, QuoteKind::Direct);
    assert_eq!(qs[0].cue.as_deref(), Some("said"));
}

#[test]
fn a_quotation_signed_with_a_dash_is_its_signers_quote() {
    // Reader comments as a news site prints them: the quotation, a dash, the name; with and
    // without a space, and with a final period after the name.
    let text = "We asked readers what they thought of the debate.\n\n\
                “During the debate Trump said Hispanics live in hell. He is ignorant of our \
                culture.” ― Pamela Padilla\n\n\
                “Trump must stop portraying Latinos as gangsters.”― Carla Sanchez.\n\n\
                “He scares me.” — Krystal Correa";
    let m = mentions(
        text,
        &[
            ("Pamela Padilla", EntityType::Person),
            ("Carla Sanchez", EntityType::Person),
            ("Krystal Correa", EntityType::Person),
            ("Trump", EntityType::Person),
        ],
    );
    let qs = run_with(text, &m, RulesSettings::default()).2;
    let signed: Vec<(&str, Option<&str>)> = qs
        .iter()
        .map(|q| (q.text.as_str(), q.mention.as_deref()))
        .collect();
    assert_eq!(
        signed,
        [
            (
                "During the debate Trump said Hispanics live in hell. He is ignorant of our culture.",
                Some("Pamela Padilla")
            ),
            ("Trump must stop portraying Latinos as gangsters.", Some("Carla Sanchez")),
            ("He scares me.", Some("Krystal Correa")),
        ]
    );
    assert!(qs
        .iter()
        .all(|q| q.kind == QuoteKind::Direct && q.cue.is_none()));
}

#[test]
fn a_transcript_turn_is_spoken_by_its_label() {
    let text = "Partial transcript as follows:\n\n\
                “WALLACE: Let’s start with breaking news on the debate story.”\n\n\
                “PENCE: Gennifer Flowers will not be attending the debate tomorrow night.”";
    let m = mentions(text, &[("Gennifer Flowers", EntityType::Person)]);
    let qs = run_with(text, &m, RulesSettings::default()).2;
    let turns: Vec<Option<&str>> = qs.iter().map(|q| q.mention.as_deref()).collect();
    assert_eq!(turns, [Some("WALLACE"), Some("PENCE")], "{qs:?}");
    // A title in capitals is no label: no colon follows it.
    let text = "Lynch said: “NATO IS OBSOLETE is what he told us.”";
    let qs = run(text);
    assert_eq!(qs.len(), 1);
    assert_ne!(qs[0].mention.as_deref(), Some("NATO IS OBSOLETE"));
}

#[test]
fn a_label_inside_an_attributed_quotation_is_no_speaker() {
    // A heading in capitals inside the marks, and the speaker written beside them.
    for text in [
        "“UPDATE: the talks are over,” remembered Roy Verley.",
        "“UPDATE: the talks are over.” ― Roy Verley",
    ] {
        let m = mentions(text, &[("Roy Verley", EntityType::Person)]);
        let qs = run_with(text, &m, RulesSettings::default()).2;
        assert_eq!(qs.len(), 1, "{qs:?}");
        assert_eq!(qs[0].mention.as_deref(), Some("Roy Verley"), "{text}");
    }
}
