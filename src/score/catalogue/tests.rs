use super::*;
use crate::compare::SplitMix64;
use crate::score::{Metrics, SetCounts};

fn sample_counts(seed: u64) -> Counts {
    let mut rng = SplitMix64::new(seed);
    let mut r = |n: u64| rng.next_u64() % n;
    let mut c = Counts::default();
    c.entities.articles = 1;
    for t in EntityType::ALL.iter().take(2) {
        let mut s = SchemaSet::default();
        for sc in [
            &mut s.strict,
            &mut s.exact,
            &mut s.partial,
            &mut s.entity_type,
        ] {
            *sc = SchemaCounts {
                correct: r(9),
                incorrect: r(3),
                partial: r(3),
                missed: r(4),
                spurious: r(4),
            };
        }
        c.entities.by_type.insert(*t, s);
        c.entities.overall += s;
    }
    c.quotes.articles = 1;
    for threshold in QuoteThreshold::REPORTED {
        let Some(level) = c.quotes.at_mut(threshold) else {
            continue;
        };
        level.end_to_end = Tally {
            tp: r(7),
            fp: r(3),
            fn_: r(3),
        };
        for scope in QuoteScope::EVERY {
            let counts = level.scope_mut(scope);
            counts.tally = Tally {
                tp: r(7),
                fp: r(3),
                fn_: r(3),
            };
            if scope != QuoteScope::Kind(QuoteKind::Indirect) {
                counts.partial.add(r(5) as f64 * 0.75, r(5) as f64 * 0.5);
            }
            if scope == QuoteScope::All {
                counts.speaker_by_name = Accuracy {
                    correct: 2,
                    total: 2 + r(2),
                };
                counts.speaker_by_mention = Accuracy {
                    correct: 0,
                    total: r(2),
                };
            }
        }
    }
    c.spans.articles = 1;
    for (i, part) in [&mut c.spans.content, &mut c.spans.source, &mut c.spans.cue]
        .into_iter()
        .enumerate()
    {
        part.exact = Tally {
            tp: r(6) + i as u64,
            fp: r(3),
            fn_: r(4),
        };
        part.begin = Tally {
            tp: r(8),
            fp: r(2),
            fn_: r(2),
        };
    }
    c.speakers = SetCounts {
        articles: 1,
        tally: Tally {
            tp: r(4),
            fp: r(2),
            fn_: r(2),
        },
    };
    c
}

/// Where the report's JSON (`totals.metrics`) keeps a metric: written out here by hand, so
/// the catalogue's formulas are checked against [`Metrics::of`], not against themselves.
fn json_pointer(name: &str) -> String {
    let parts: Vec<&str> = name.split('.').collect();
    match parts[0] {
        "entities" => {
            let (scope, rest) = match parts[1] {
                "macro" => ("macro".to_string(), &parts[2..]),
                "person" | "place" | "org" => {
                    (format!("by_type/{}", parts[1].to_uppercase()), &parts[2..])
                }
                _ => ("micro".to_string(), &parts[1..]),
            };
            format!("/entities/{scope}/{}", rest.join("/"))
        }
        "quotes" => {
            // quotes.0.3.… : the level name holds a dot.
            let (level, rest) = if parts[1] == "exact" {
                ("exact".to_string(), &parts[2..])
            } else {
                (format!("{}.{}", parts[1], parts[2]), &parts[3..])
            };
            match rest {
                [k, "partial", m] => format!("/quotes/{level}/{k}/partial/{m}"),
                ["partial", m] => format!("/quotes/{level}/all/partial/{m}"),
                [m] => format!("/quotes/{level}/all/{m}"),
                [part, m] => format!("/quotes/{level}/{part}/{m}"),
                _ => panic!("{name}"),
            }
        }
        "spans" => format!("/spans/{}/{}/{}", parts[1], parts[2], parts[3]),
        "speakers" if parts[1] == "named" => format!("/speakers_named/{}", parts[2]),
        set => format!("/{set}/{}", parts[1]),
    }
}

#[test]
fn every_metric_is_the_reports_number() {
    for seed in 0..50 {
        let c = sample_counts(seed);
        let json = serde_json::to_value(Metrics::of(&c)).unwrap();
        for m in metrics() {
            let pointer = json_pointer(&m.name);
            let stored = match json.pointer(&pointer) {
                Some(v) => v.as_f64(),
                // A type no article counted (the samples leave ORG out): empty counts, which
                // the zero-denominator rule makes 1.0.
                None if pointer.contains("/by_type/") => Some(1.0),
                // A layer no article scored is `null` in the report.
                None if !m.layer_covered(&c) => None,
                None => panic!("{} not in the report", m.name),
            };
            let covered = m.layer_covered(&c);
            let expected = if covered { stored } else { None };
            assert_eq!(m.value(&c), expected, "{} (seed {seed})", m.name);
        }
    }
}

#[test]
fn values_of_summed_counts_are_values_of_the_sum() {
    let (a, b) = (sample_counts(1), sample_counts(2));
    let mut sum = a.clone();
    sum += &b;
    for q in all().iter().filter(|q| q.kind == Kind::Count) {
        let parts = [q.value(&a), q.value(&b)];
        if let [Some(x), Some(y)] = parts {
            assert_eq!(q.value(&sum), Some(x + y), "{}", q.name);
        }
    }
}

#[test]
fn names_are_unique_and_every_table_cell_resolves() {
    let mut seen = std::collections::HashSet::new();
    for q in all() {
        assert!(seen.insert(q.name.clone()), "duplicate name {}", q.name);
    }
    for t in tables() {
        for r in 0..t.rows.len() {
            for c in 0..t.columns.len() {
                // The macro row has no gold / pred counts; every other cell exists.
                if t.rows[r].0 == "macro" && ["gold", "pred"].contains(&t.columns[c].1.as_str()) {
                    continue;
                }
                assert!(
                    t.cell(r, c).is_some(),
                    "{}: {}{}",
                    t.title,
                    t.rows[r].1,
                    t.columns[c].1
                );
            }
        }
    }
}

#[test]
fn headline_metrics_exist() {
    for h in HEADLINE {
        assert!(get(h).is_some_and(|q| q.kind == Kind::Metric), "{h}");
    }
}

#[test]
fn user_names_resolve() {
    assert_eq!(
        resolve_metric("Entities.Micro.Strict.F1").map(|q| q.name.as_str()),
        Some("entities.strict.f1")
    );
    // Counts are not metrics: they cannot be gated.
    assert!(resolve_metric("quotes.0.3.tp").is_none());
    assert!(get("quotes.0.3.tp").is_some());
}
