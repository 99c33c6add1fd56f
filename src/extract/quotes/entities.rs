//! Named entities of one article for attribution: the NER mentions passed in, plus capitalised
//! names the NER missed (or all of them when no NER ran), clustered into entities ("Putin" with
//! "Vladimir Putin"), with the roles the article gives them ("Russian President Vladimir
//! Putin", "Kirill Dmitriev, the head of Russia’s sovereign wealth fund"), and the resolution of
//! pronouns and descriptions to them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::annotation::{EntityType, Mention, Span};

use super::words::{
    country_of_pointer, first_name_gender, is_common_capitalised, is_known_place, is_org_word,
    is_title, role_compatible, title_gender, Pron,
};
use crate::text::{Text, TokKind};

/// One name in the text.
#[derive(Debug, Clone)]
pub struct Name {
    /// Char span of the name, titles and possessive outside.
    pub span: Span,
    /// Token range `[first, end)`.
    pub first: usize,
    pub end: usize,
    pub etype: EntityType,
    /// The words of the name.
    pub words: Vec<String>,
    pub in_quote: bool,
    pub from_ner: bool,
    /// Lowercased role words written around this occurrence.
    pub roles: Vec<String>,
    pub cluster: usize,
}

/// One entity: the names that denote it.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub etype: EntityType,
    /// The most complete name.
    pub canonical: String,
    /// Every distinct form used, in order of first use.
    pub forms: Vec<String>,
    pub gender: Option<Pron>,
    /// Role words from every occurrence.
    pub roles: BTreeSet<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Entities {
    /// Sorted by position.
    pub names: Vec<Name>,
    pub clusters: Vec<Cluster>,
    /// Token index -> name index, for tokens inside a name.
    pub by_token: Vec<Option<usize>>,
    /// Cluster index -> its names, in order.
    members: Vec<Vec<usize>>,
    /// Cluster index -> its names outside quotations, in order (the ones a pronoun or a
    /// description can refer to).
    outside: Vec<Vec<usize>>,
}

/// Connectors allowed inside a capitalised name ("Bank of America", "Ursula von der Leyen").
fn is_name_connector(lower: &str) -> bool {
    matches!(
        lower,
        "of" | "de"
            | "van"
            | "von"
            | "der"
            | "bin"
            | "al"
            | "la"
            | "le"
            | "du"
            | "da"
            | "dos"
            | "di"
            | "del"
            | "&"
    )
}

impl Entities {
    pub fn build(text: &Text, mentions: &[Mention]) -> Entities {
        let mut names: Vec<Name> = Vec::new();
        let tokens = &text.tokens;
        let mut covered = vec![false; tokens.len()];
        // NER mentions first. They usually come in text order: search for each one's first
        // token from the previous one's (a binary search over all tokens per mention misses
        // the cache on every step of a long article).
        let (mut from, mut last_start) = (0, 0);
        for m in mentions {
            if m.span.start < last_start {
                from = 0;
            }
            last_start = m.span.start;
            let first = from + gallop(&tokens[from..], |t| t.span.end <= m.span.start);
            from = first;
            let mut end = first;
            while end < tokens.len() && tokens[end].span.start < m.span.end {
                end += 1;
            }
            if first >= end {
                continue;
            }
            for c in covered.iter_mut().take(end).skip(first) {
                *c = true;
            }
            let words = (first..end)
                .filter(|&i| tokens[i].is_word())
                .map(|i| tokens[i].text.clone())
                .collect();
            names.push(Name {
                span: m.span,
                first,
                end,
                etype: m.entity_type,
                words,
                in_quote: tokens[first].quote.is_some(),
                from_ner: true,
                roles: Vec::new(),
                cluster: 0,
            });
        }
        // Words the article writes in lowercase somewhere ("Intense" at a sentence start is the
        // word "intense").
        let lowercase: std::collections::HashSet<&str> = tokens
            .iter()
            .filter(|t| t.is_word() && !t.is_cap())
            .map(|t| t.lower.as_str())
            .collect();
        // A title-case line ("New Poll Shows Minor Post-Debate Bump For Clinton") capitalises
        // every word, so capitals say nothing of names there: where the NER ran, only its
        // mentions name anyone on such a line.
        let headline = headline_paragraphs(tokens);
        let ner_ran = !mentions.is_empty();
        // Capitalised runs the NER did not cover.
        let mut i = 0;
        while i < tokens.len() {
            if covered[i] || !tokens[i].is_cap() {
                i += 1;
                continue;
            }
            if ner_ran && headline.contains(&tokens[i].para) {
                i += 1;
                continue;
            }
            let start = i;
            let mut j = i + 1;
            while j < tokens.len()
                && !covered[j]
                && tokens[j].para == tokens[start].para
                && tokens[j].quote == tokens[start].quote
            {
                let t = &tokens[j];
                let connector = t.is_word()
                    && is_name_connector(&t.lower)
                    && j + 1 < tokens.len()
                    && tokens[j + 1].is_cap()
                    && !covered[j + 1];
                if t.is_cap() || connector {
                    j += 1;
                } else {
                    break;
                }
            }
            if let Some(name) = heuristic_name(text, start, j, &lowercase) {
                names.push(name);
            }
            i = j;
        }
        names.sort_by_key(|n| (n.span.start, n.span.end));
        names.dedup_by_key(|n| n.span);
        let mut ents = Entities {
            names,
            clusters: Vec::new(),
            by_token: vec![None; text.tokens.len()],
            members: Vec::new(),
            outside: Vec::new(),
        };
        for (k, n) in ents.names.iter().enumerate() {
            for t in n.first..n.end {
                ents.by_token[t] = Some(k);
            }
        }
        ents.collect_roles(text);
        ents.cluster();
        ents
    }

    /// Genders from the article itself: a pronoun in a sentence that names exactly one person
    /// (before it) votes for that person ("Putin said … his …" -> he).
    pub fn infer_genders(&mut self, text: &Text) {
        let mut votes: BTreeMap<usize, (i32, i32)> = BTreeMap::new();
        for sent in &text.sentences {
            let mut people: Vec<usize> = Vec::new();
            for u in &sent.units {
                let crate::text::Unit::Tok(t) = *u else {
                    continue;
                };
                if let Some(n) = self.name_at(t) {
                    let c = self.names[n].cluster;
                    if self.clusters[c].etype == EntityType::Person && !people.contains(&c) {
                        people.push(c);
                    }
                    continue;
                }
                if people.len() == 1 {
                    let v = votes.entry(people[0]).or_default();
                    match text.tokens[t].lower.as_str() {
                        "he" | "him" | "his" | "himself" => v.0 += 1,
                        "she" | "her" | "hers" | "herself" => v.1 += 1,
                        _ => {}
                    }
                }
            }
        }
        for (c, (he, she)) in votes {
            let cl = &mut self.clusters[c];
            if cl.gender.is_none() && he != she {
                cl.gender = Some(if he > she { Pron::He } else { Pron::She });
            }
        }
    }

    /// The referent of a subject pronoun at char `pos`, the way a reader takes it: the subject
    /// of the same sentence when the pronoun is not its first word ("Trump said … though he
    /// called …"), else the subject of the nearest earlier sentence that has one ("Putin said
    /// … including his meeting with Trump … “…,” he said"), else the most recent name.
    pub fn subject_antecedent(&self, text: &Text, pos: usize, pron: Pron) -> Option<usize> {
        let tokens = &text.tokens;
        let t = tokens.partition_point(|tk| tk.span.start < pos);
        if t >= tokens.len() || !matches!(pron, Pron::He | Pron::She) {
            return self.antecedent(pos, pron);
        }
        let compatible = |n: &Name| {
            let cl = &self.clusters[n.cluster];
            cl.etype == EntityType::Person && cl.gender.map_or(true, |g| g == pron)
        };
        let subject_of = |sent: usize, before: usize| -> Option<usize> {
            let units = &text.sentences[sent].units;
            // An introductory phrase ("Asked about a meeting between Putin and Trump, …", "In
            // Beijing, …") holds no subject.
            let mut skip_to = 0;
            if let Some(crate::text::Unit::Tok(t0)) = units.first() {
                let w = &tokens[*t0].lower;
                let intro = super::words::is_preposition(w)
                    || (w.len() > 4
                        && (w.ends_with("ed") || w.ends_with("ing"))
                        && self.name_at(*t0).is_none());
                if intro {
                    if let Some(c) = units.iter().position(
                        |u| matches!(u, crate::text::Unit::Tok(x) if tokens[*x].is_punct(',')),
                    ) {
                        skip_to = c + 1;
                    }
                }
            }
            for u in &units[skip_to..] {
                let crate::text::Unit::Tok(tt) = *u else {
                    continue;
                };
                if tokens[tt].span.start >= before {
                    break;
                }
                let Some(n) = self.name_at(tt) else { continue };
                let name = &self.names[n];
                if name.first != tt || name.in_quote {
                    continue;
                }
                // "Putin’s aide Yuri Ushakov": the possessor is not the subject.
                if tokens
                    .get(name.end)
                    .is_some_and(|x| x.kind == TokKind::Possessive)
                {
                    continue;
                }
                if compatible(name) {
                    return Some(n);
                }
                if self.clusters[name.cluster].etype == EntityType::Person {
                    // The subject is a person of the other gender: look no further here.
                    return None;
                }
            }
            None
        };
        let s = text.token_sentence[t];
        let first_unit = text.sentences[s].units.first().copied();
        if first_unit != Some(crate::text::Unit::Tok(t)) {
            if let Some(n) = subject_of(s, pos) {
                return Some(n);
            }
        }
        let rank = text.para_rank(text.sentences[s].para);
        for sp in (s.saturating_sub(4)..s).rev() {
            if rank > text.para_rank(text.sentences[sp].para) + 1 {
                break;
            }
            if let Some(n) = subject_of(sp, usize::MAX) {
                return Some(n);
            }
        }
        self.antecedent(pos, pron)
    }

    /// The name a token is part of.
    pub fn name_at(&self, tok: usize) -> Option<usize> {
        self.by_token.get(tok).copied().flatten()
    }

    pub fn cluster_of(&self, name: usize) -> &Cluster {
        &self.clusters[self.names[name].cluster]
    }

    /// The names of a cluster, in order.
    pub fn names_of(&self, cluster: usize) -> &[usize] {
        self.members.get(cluster).map_or(&[], Vec::as_slice)
    }

    /// The last name outside quotations that ends at or before `pos`, among the clusters
    /// `wanted` accepts. Per cluster rather than name by name, so that a pronoun or description
    /// with no referent costs the number of clusters, not of names, on a long article.
    fn last_before(&self, pos: usize, wanted: impl Fn(&Cluster) -> bool) -> Option<usize> {
        let names = &self.names;
        self.clusters
            .iter()
            .zip(&self.outside)
            .filter(|(cl, _)| wanted(cl))
            .filter_map(|(_, list)| {
                // Names start in order; one that starts before `pos` may still reach past it.
                let upto = list.partition_point(|&n| names[n].span.start <= pos);
                list[..upto]
                    .iter()
                    .rev()
                    .find(|&&n| names[n].span.end <= pos)
                    .copied()
            })
            .max()
    }

    /// Role words around each name: the words of its noun phrase before it ("Russian
    /// President", "Putin’s policy aide", "chief negotiator") and an apposition after it
    /// (", a long-time Russian negotiator and the head of …,").
    fn collect_roles(&mut self, text: &Text) {
        let tokens = &text.tokens;
        for n in 0..self.names.len() {
            let (first, end) = (self.names[n].first, self.names[n].end);
            let mut roles = Vec::new();
            // Before: up to five tokens back, through words, possessives and hyphens, stopping
            // at punctuation, verbs of saying and other names' boundaries.
            let mut k = first;
            let mut steps = 0;
            while k > 0 && steps < 6 {
                let t = &tokens[k - 1];
                if t.kind == TokKind::Punct
                    || t.kind == TokKind::Mark
                    || t.para != tokens[first].para
                {
                    break;
                }
                // Only words that can be part of a role: capitalised words, titles and agent
                // nouns ("Russian President", "Putin’s policy aide", "chief negotiator").
                let role_word = t.kind == TokKind::Possessive
                    || (t.is_word()
                        && (t.is_cap()
                            || is_title(&t.lower)
                            || super::words::is_agent_noun(&t.lower)
                            || matches!(t.lower.as_str(), "the" | "a" | "an")));
                if !role_word {
                    break;
                }
                if t.is_word() && t.lower != "the" && t.lower != "a" && t.lower != "an" {
                    roles.push(t.lower.clone());
                }
                k -= 1;
                steps += 1;
            }
            // Title words inside the written run, before the name proper.
            // Apposition: ", a/the … ," right after the name.
            if end + 1 < tokens.len() && tokens[end].is_punct(',') {
                let det = &tokens[end + 1];
                if det.is_word()
                    && matches!(
                        det.lower.as_str(),
                        "a" | "an" | "the" | "who" | "his" | "her"
                    )
                {
                    let mut k = end + 1;
                    while k < tokens.len() && k < end + 16 {
                        let t = &tokens[k];
                        if t.kind == TokKind::Punct || t.kind == TokKind::Mark {
                            break;
                        }
                        if t.is_word() {
                            roles.push(t.lower.clone());
                        }
                        k += 1;
                    }
                }
            }
            self.names[n].roles = roles;
        }
    }

    /// Clusters names: identical forms; for people, a shorter name whose words are the first or
    /// last words of a longer one ("Putin", "Vladimir Putin"); for organisations and places,
    /// the same name with or without "the".
    fn cluster(&mut self) {
        let keys: Vec<Vec<String>> = self
            .names
            .iter()
            .map(|n| cluster_key(&n.words, n.etype))
            .collect();
        let count = self.names.len();
        let mut parent: Vec<usize> = (0..count).collect();
        fn find(p: &mut [usize], x: usize) -> usize {
            let mut r = x;
            while p[r] != r {
                r = p[r];
            }
            let mut y = x;
            while p[y] != r {
                let next = p[y];
                p[y] = r;
                y = next;
            }
            r
        }
        // Longest names first, so short names attach to a full name.
        let mut order: Vec<usize> = (0..count).collect();
        order.sort_by_key(|&k| std::cmp::Reverse(self.names[k].words.len()));
        // Which names each name can attach to, indexed by the key a shorter (or equal) name must
        // have: every name under its own key and type, and every person also under each proper
        // prefix and suffix of its words ("Vladimir", "Putin" for "Vladimir Putin"). Each list
        // is in name order, that is by position, so the nearest candidate is a binary search
        // away and clustering stays linear in the number of names (one candidate list per
        // shared word made it quadratic on long articles).
        let mut same: HashMap<(&[String], EntityType), Vec<usize>> = HashMap::new();
        let mut part_of_person: HashMap<&[String], Vec<usize>> = HashMap::new();
        // People by first and last word, so "Hillary Clinton" finds "Hillary Rodham Clinton".
        let mut first_and_last: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        for (b, kb) in keys.iter().enumerate() {
            if kb.is_empty() {
                continue;
            }
            let tb = self.names[b].etype;
            same.entry((kb.as_slice(), tb)).or_default().push(b);
            if tb == EntityType::Person {
                if let [first, .., last] = kb.as_slice() {
                    first_and_last.entry((first, last)).or_default().push(b);
                }
                for len in 1..kb.len() {
                    for part in [&kb[..len], &kb[kb.len() - len..]] {
                        let list = part_of_person.entry(part).or_default();
                        if list.last() != Some(&b) {
                            list.push(b);
                        }
                    }
                }
            }
        }
        // A short name that is part of several people's names ("Scott" of "Keith Lamont Scott"
        // and "Rakeyia Scott"): decided once per short name, not per occurrence.
        let ambiguous: HashMap<&[String], bool> = part_of_person
            .iter()
            .map(|(&part, list)| {
                let first = &keys[list[0]];
                (part, list.iter().any(|&b| !same_person(&keys[b], first)))
            })
            .collect();
        let starts: Vec<usize> = self.names.iter().map(|n| n.span.start).collect();
        // The best candidate of one list for name `a`: the nearest name starting at or before
        // it, else the nearest after; on a tie the earlier name. Ordered as (after, distance,
        // index), so the best over several lists is their minimum.
        let nearest = |list: &[usize], a: usize| -> Option<(bool, usize, usize)> {
            let pa = starts[a];
            let split = list.partition_point(|&b| starts[b] <= pa);
            let mut before = None;
            for &b in list[..split].iter().rev() {
                if b == a {
                    continue;
                }
                match before {
                    Some((_, pb, _)) if starts[b] != pb => break,
                    _ => before = Some((false, starts[b], b)),
                }
            }
            if let Some((_, pb, b)) = before {
                return Some((false, pa - pb, b));
            }
            list.get(split).map(|&b| (true, starts[b] - pa, b))
        };
        // The fullest person name of each cluster (by its root): two people who share a surname
        // ("Keith Lamont Scott", "Rakeyia Scott"; "Hillary Clinton", "Bill Clinton") are never
        // joined through a short name ("Scott") that could belong to either.
        let mut fullest: Vec<Option<&[String]>> = keys
            .iter()
            .zip(&self.names)
            .map(|(k, n)| (n.etype == EntityType::Person && k.len() > 1).then_some(k.as_slice()))
            .collect();
        for &a in &order {
            let ka = &keys[a];
            if ka.is_empty() {
                continue;
            }
            let ta = self.names[a].etype;
            // The same words: the same type, or any two non-place types ("Reuters" as a person
            // and as an organisation).
            let types: &[EntityType] = if ta == EntityType::Place {
                &[EntityType::Place]
            } else {
                &[EntityType::Person, EntityType::Org]
            };
            let mut best: Option<(bool, usize, usize)> = None;
            for t in types {
                if let Some(list) = same.get(&(ka.as_slice(), *t)) {
                    best = best.into_iter().chain(nearest(list, a)).min();
                }
            }
            if ta == EntityType::Person {
                // The same first and last name ("Hillary Clinton", "Hillary Rodham Clinton").
                if let [first, .., last] = ka.as_slice() {
                    if let Some(list) = first_and_last.get(&(first.as_str(), last.as_str())) {
                        best = best.into_iter().chain(nearest(list, a)).min();
                    }
                }
                // A person's name is part of a longer person's name. When it is part of several
                // people's names, it is the one the article introduced first, as news writing
                // uses the bare surname for its main subject and the full name for anyone else
                // who shares it.
                if let Some(list) = part_of_person.get(ka.as_slice()) {
                    if ambiguous.get(ka.as_slice()).copied().unwrap_or(false) {
                        best = Some((false, 0, list[0]));
                    } else {
                        best = best.into_iter().chain(nearest(list, a)).min();
                    }
                }
            }
            if let Some((_, _, b)) = best {
                let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                let distinct_people = match (fullest[ra], fullest[rb]) {
                    (Some(x), Some(y)) => !same_person(x, y),
                    _ => false,
                };
                if ra != rb && !distinct_people {
                    parent[ra] = rb;
                    if fullest[rb].map_or(0, <[String]>::len)
                        < fullest[ra].map_or(0, <[String]>::len)
                    {
                        fullest[rb] = fullest[ra];
                    }
                }
            }
        }
        let mut root_to_cluster: BTreeMap<usize, usize> = BTreeMap::new();
        let mut clusters: Vec<Cluster> = Vec::new();
        for k in 0..count {
            let r = find(&mut parent, k);
            let c = *root_to_cluster.entry(r).or_insert_with(|| {
                clusters.push(Cluster {
                    etype: self.names[k].etype,
                    canonical: String::new(),
                    forms: Vec::new(),
                    gender: None,
                    roles: BTreeSet::new(),
                });
                clusters.len() - 1
            });
            self.names[k].cluster = c;
            let surface = name_text(&self.names[k]);
            let cl = &mut clusters[c];
            if !cl.forms.contains(&surface) {
                cl.forms.push(surface);
            }
            cl.roles.extend(self.names[k].roles.iter().cloned());
        }
        for cl in clusters.iter_mut() {
            // Most complete: most words, then longest, then first used.
            let mut best = cl.forms[0].clone();
            for f in &cl.forms {
                let (wf, wb) = (
                    f.split_whitespace().count(),
                    best.split_whitespace().count(),
                );
                if wf > wb || (wf == wb && f.chars().count() > best.chars().count()) {
                    best = f.clone();
                }
            }
            cl.canonical = best;
            if cl.etype == EntityType::Person {
                let first_word = cl.canonical.split_whitespace().next().unwrap_or("");
                let mut gender = first_name_gender(first_word);
                for r in &cl.roles {
                    if let Some(g) = title_gender(r) {
                        gender = Some(g);
                    }
                }
                cl.gender = gender;
            }
        }
        // A cluster's type is the type most of its names have.
        let mut votes: Vec<BTreeMap<EntityType, usize>> = vec![BTreeMap::new(); clusters.len()];
        for n in &self.names {
            *votes[n.cluster].entry(n.etype).or_default() += if n.from_ner { 2 } else { 1 };
        }
        for (cl, votes) in clusters.iter_mut().zip(votes) {
            if let Some((t, _)) = votes.into_iter().max_by_key(|(_, v)| *v) {
                cl.etype = t;
            }
        }
        let mut members = vec![Vec::new(); clusters.len()];
        let mut outside = vec![Vec::new(); clusters.len()];
        for (k, n) in self.names.iter().enumerate() {
            members[n.cluster].push(k);
            if !n.in_quote {
                outside[n.cluster].push(k);
            }
        }
        self.clusters = clusters;
        self.members = members;
        self.outside = outside;
    }

    /// The most recent name before `pos` (outside quotations) that a pronoun can refer to.
    pub fn antecedent(&self, pos: usize, pron: Pron) -> Option<usize> {
        self.last_before(pos, |cl| match pron {
            Pron::He | Pron::She => {
                cl.etype == EntityType::Person && cl.gender.map_or(true, |g| g == pron)
            }
            Pron::It => cl.etype == EntityType::Org,
            Pron::They => cl.etype == EntityType::Org,
            Pron::Other => false,
        })
    }

    /// The person a description denotes ("the Russian president", "the Kremlin leader"): the
    /// most recent person before `pos` whose roles in the article include the description's
    /// head (or a compatible role) and, when the description names a country or institution,
    /// a role pointing at the same country.
    pub fn describe(&self, pos: usize, head: &str, modifiers: &[String]) -> Option<usize> {
        let want_country: Vec<&str> = modifiers
            .iter()
            .filter_map(|m| country_of_pointer(m))
            .collect();
        let other_mods: Vec<&String> = modifiers
            .iter()
            .filter(|m| {
                country_of_pointer(m).is_none()
                    && !matches!(m.as_str(), "the" | "a" | "an" | "former" | "top" | "senior")
            })
            .collect();
        self.last_before(pos, |cl| {
            if cl.etype != EntityType::Person {
                return false;
            }
            if !cl.roles.iter().any(|r| role_compatible(head, r)) {
                return false;
            }
            let countries: Vec<&str> = cl
                .roles
                .iter()
                .filter_map(|r| country_of_pointer(r))
                .collect();
            if !want_country.is_empty()
                && !countries.is_empty()
                && !want_country.iter().any(|c| countries.contains(c))
            {
                return false;
            }
            // Other modifiers ("policy aide", "special envoy") must appear among the roles.
            other_mods
                .iter()
                .all(|m| cl.roles.contains(*m) || is_title(m) && cl.roles.iter().any(|r| r == *m))
        })
    }
}

/// `partition_point` for a split expected near the front: doubles a bound from the front,
/// then searches below it.
fn gallop<T>(items: &[T], pred: impl Fn(&T) -> bool) -> usize {
    let mut bound = 1;
    while bound < items.len() && pred(&items[bound]) {
        bound *= 2;
    }
    items[..(bound + 1).min(items.len())].partition_point(pred)
}

/// Whether two person names (cluster keys) can denote one person: one begins or ends the
/// other ("Putin", "Vladimir Putin"), or they share the surname and the first name, or its
/// initial ("Donald J. Trump", "Donald Trump"; "Hillary Rodham Clinton", "Hillary Clinton"),
/// but never "Bill Clinton" and "Hillary Clinton".
fn same_person(x: &[String], y: &[String]) -> bool {
    let part_of =
        |short: &[String], long: &[String]| long.starts_with(short) || long.ends_with(short);
    if part_of(x, y) || part_of(y, x) {
        return true;
    }
    let (Some(fx), Some(fy)) = (x.first(), y.first()) else {
        return false;
    };
    let initial_of = |i: &str, name: &str| i.chars().count() == 1 && name.starts_with(i);
    x.last() == y.last() && (fx == fy || initial_of(fx, fy) || initial_of(fy, fx))
}

/// The words a name is clustered by: lowercase, one apostrophe (’ as '), no final period;
/// for a person, without a leading title or a trailing generational suffix while a word is
/// left, so that "Mr. King" joins "Larry King" and "Biden" joins "Joseph R. Biden Jr.".
fn cluster_key(words: &[String], etype: EntityType) -> Vec<String> {
    let mut key: Vec<String> = words
        .iter()
        .map(|w| {
            w.to_lowercase()
                .replace('’', "'")
                .trim_end_matches('.')
                .to_string()
        })
        .filter(|w| !w.is_empty())
        .collect();
    if etype == EntityType::Person {
        while key.len() > 1 && is_title(&key[0]) {
            key.remove(0);
        }
        while key.len() > 1
            && key
                .last()
                .is_some_and(|w| matches!(w.as_str(), "jr" | "sr" | "ii" | "iii" | "iv"))
        {
            key.pop();
        }
    }
    key
}

/// The paragraphs written in title case: four or more capitalised words and, of the words longer
/// than three letters, at most one in ten in lowercase.
fn headline_paragraphs(tokens: &[crate::text::Token]) -> BTreeSet<usize> {
    let mut counts: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    for t in tokens {
        let e = counts.entry(t.para).or_default();
        if t.is_word() && t.text.chars().any(char::is_alphabetic) {
            if t.is_cap() {
                e.0 += 1;
            } else if t.text.chars().count() > 3 {
                e.1 += 1;
            }
        }
    }
    counts
        .into_iter()
        .filter(|(_, (cap, lower))| *cap >= 4 && *lower * 10 <= *cap)
        .map(|(para, _)| para)
        .collect()
}

fn name_text(n: &Name) -> String {
    // Rebuild from the words with the original spacing (a name's words are separated by one
    // space in the text in almost every case); the caller uses the article for exact slices.
    n.words.join(" ")
}

/// A name from a capitalised run `[start, end)`: titles, roles, demonyms and sentence-initial
/// function words stripped from its front; `None` when nothing name-like is left.
fn heuristic_name(
    text: &Text,
    start: usize,
    end: usize,
    lowercase: &std::collections::HashSet<&str>,
) -> Option<Name> {
    let tokens = &text.tokens;
    let mut s = start;
    let e = end;
    // Strip through the last title that is followed by more capitalised words, unless what is
    // left names an organisation ("Justice Department").
    let rest_is_org = |from: usize| (from..e).any(|k| is_org_word(&tokens[k].text));
    if let Some(last_title) = (start..e)
        .rev()
        .find(|&k| is_title(&tokens[k].lower) && k + 1 < e)
    {
        if !rest_is_org(last_title + 1) || (start..=last_title).all(|k| is_title(&tokens[k].lower))
        {
            s = last_title + 1;
            // "Secretary of State Marco Rubio": skip "of" + title words.
            while s < e
                && (is_name_connector(&tokens[s].lower) || is_title(&tokens[s].lower))
                && s + 1 < e
            {
                s += 1;
            }
        }
    }
    while s < e {
        let t = &tokens[s];
        let demonym = country_of_pointer(&t.lower).is_some()
            && t.lower.ends_with(['n', 'h', 'e', 'i'])
            && !is_known_place(&t.text);
        if is_common_capitalised(&t.lower)
            || is_title(&t.lower) && s + 1 < e
            || demonym && s + 1 < e
            || is_name_connector(&t.lower)
        {
            s += 1;
        } else {
            break;
        }
    }
    let mut e2 = e;
    while e2 > s && is_name_connector(&tokens[e2 - 1].lower) {
        e2 -= 1;
    }
    if s >= e2 {
        return None;
    }
    let words: Vec<String> = (s..e2).map(|k| tokens[k].text.clone()).collect();
    // A heading in capitals ("HIGHER THAN EXPECTED TURNOUT IN IOWA") is not a name.
    let all_caps = |w: &String| {
        w.chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
    };
    if words.len() >= 3 && words.iter().all(all_caps) {
        return None;
    }
    let lower_all: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    // "Russian-held", "Russia-installed", "U.S.-backed": a compound adjective, not a name.
    if words.len() == 1
        && words[0]
            .split('-')
            .skip(1)
            .any(|part| part.chars().next().is_some_and(char::is_lowercase))
    {
        return None;
    }
    if words.len() == 1 {
        let w = &lower_all[0];
        // A title word alone is a surname ("King said") unless a determiner or a possessive
        // makes it a role ("the President said", "Russia’s President").
        let role = s > 0 && {
            let p = &tokens[s - 1];
            let honorific = matches!(
                p.lower.as_str(),
                "mr."
                    | "mrs."
                    | "ms."
                    | "dr."
                    | "mr"
                    | "mrs"
                    | "ms"
                    | "dr"
                    | "sen."
                    | "rep."
                    | "gov."
            );
            !honorific
                && (p.kind == TokKind::Possessive
                    || super::words::is_determiner(&p.lower)
                    || p.is_cap())
        };
        // … and only where a name stands: before a verb of saying or punctuation.
        let next_ok = tokens.get(e2).map_or(true, |t| {
            t.kind == TokKind::Punct
                || t.kind == TokKind::Possessive
                || matches!(
                    t.lower.as_str(),
                    "said"
                        | "says"
                        | "told"
                        | "added"
                        | "asked"
                        | "wrote"
                        | "noted"
                        | "argued"
                        | "explained"
                )
        });
        let surname_like = is_title(w)
            && !role
            && next_ok
            && !w.ends_with('.')
            && e2 == end
            && words[0].chars().count() > 2;
        if is_common_capitalised(w) || (is_title(w) && !surname_like) {
            return None;
        }
        // A demonym alone ("Russian", "Ukrainian") is not a name.
        if country_of_pointer(w).is_some() && !is_known_place(&words[0]) && !is_org_word(w) {
            return None;
        }
        // A capitalised word that starts a sentence and is written in lowercase elsewhere is a
        // common word ("Intense diplomacy …").
        let after_title = s > start || (s > 0 && is_title(&tokens[s - 1].lower));
        let sentence_start = !after_title
            && (s == 0 || {
                let prev = &tokens[s - 1];
                prev.para != tokens[s].para
                    || (prev.kind == TokKind::Punct
                        && matches!(prev.first_char(), '.' | '!' | '?' | ':'))
                    || (prev.kind == TokKind::Mark && prev.quote != tokens[s].quote)
            });
        if sentence_start && lowercase.contains(w.as_str()) {
            return None;
        }
        // "Hours later, …", "Days after the vote, …": a time word, not a name.
        if sentence_start
            && matches!(
                w.as_str(),
                "hours"
                    | "days"
                    | "weeks"
                    | "months"
                    | "years"
                    | "minutes"
                    | "moments"
                    | "decades"
                    | "seconds"
            )
            && tokens.get(e2).is_some_and(|t| {
                matches!(
                    t.lower.as_str(),
                    "later" | "earlier" | "ago" | "after" | "before" | "since" | "into"
                )
            })
        {
            return None;
        }
        // Anything in all lowercase after the first letter and shorter than 2 chars is noise.
        if w.chars().count() < 2 {
            return None;
        }
    }
    let full = words.join(" ");
    let prev_lower = if s > 0 {
        tokens[s - 1].lower.clone()
    } else {
        String::new()
    };
    let acronym = words.len() == 1
        && words[0].chars().filter(|c| c.is_alphabetic()).count() >= 2
        && words[0]
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
    let etype = if words.iter().any(|w| is_org_word(w)) {
        EntityType::Org
    } else if is_known_place(&full)
        || matches!(
            prev_lower.as_str(),
            "in" | "from" | "to" | "near" | "across" | "into" | "outside"
        )
    {
        EntityType::Place
    } else if acronym {
        if is_known_place(&full) {
            EntityType::Place
        } else {
            EntityType::Org
        }
    } else {
        EntityType::Person
    };
    Some(Name {
        span: Span::new(tokens[s].span.start, tokens[e2 - 1].span.end),
        first: s,
        end: e2,
        etype,
        words,
        in_quote: tokens[s].quote.is_some(),
        from_ner: false,
        roles: Vec::new(),
        cluster: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotation::Article;

    fn clusters_of(text: &str, mentions: &[&str]) -> Vec<(String, usize)> {
        let article = Article::new("t", text);
        let mut ms: Vec<Mention> = mentions
            .iter()
            .flat_map(|m| article.occurrences(m))
            .map(|span| Mention {
                span,
                entity_type: EntityType::Person,
            })
            .collect();
        ms.sort_by_key(|m| m.span.start);
        ms.dedup_by_key(|m| m.span);
        let text = Text::new(&article);
        let ents = Entities::build(&text, &ms);
        ents.names
            .iter()
            .filter(|n| n.from_ner)
            .map(|n| (text.slice(n.span), n.cluster))
            .collect()
    }

    /// The cluster of the last name written `name` in [`clusters_of`]'s answer.
    fn last_cluster(found: &[(String, usize)], name: &str) -> usize {
        found
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, c)| *c)
            .unwrap_or_else(|| panic!("{name} not found in {found:?}"))
    }

    #[test]
    fn titles_suffixes_and_apostrophes_do_not_split_a_person() {
        let found = clusters_of(
            "Joseph R. Biden Jr. spoke first. Mr. Biden said more. Larry King asked, and \
             Mr. King listened. James O’Neill came; O'Neill left.",
            &[
                "Joseph R. Biden Jr.",
                "Mr. Biden",
                "Larry King",
                "Mr. King",
                "James O’Neill",
                "O'Neill",
            ],
        );
        let cluster = |name: &str| last_cluster(&found, name);
        assert_eq!(cluster("Mr. Biden"), cluster("Joseph R. Biden Jr."));
        assert_eq!(cluster("Mr. King"), cluster("Larry King"));
        assert_eq!(cluster("O'Neill"), cluster("James O’Neill"));
        assert_ne!(cluster("Larry King"), cluster("Joseph R. Biden Jr."));
    }

    #[test]
    fn a_shared_surname_joins_neither_two_people_nor_a_middle_name_apart() {
        let found = clusters_of(
            "Keith Lamont Scott was shot. Rakeyia Scott filmed it. Scott was unarmed, she said. \
             Hillary Rodham Clinton spoke, and Bill Clinton listened. Hillary Clinton left; \
             Clinton waved.",
            &[
                "Keith Lamont Scott",
                "Rakeyia Scott",
                "Scott",
                "Hillary Rodham Clinton",
                "Bill Clinton",
                "Hillary Clinton",
                "Clinton",
            ],
        );
        let cluster = |name: &str| last_cluster(&found, name);
        assert_ne!(cluster("Keith Lamont Scott"), cluster("Rakeyia Scott"));
        // The bare surname is the person introduced first.
        assert_eq!(cluster("Scott"), cluster("Keith Lamont Scott"));
        assert_ne!(cluster("Hillary Rodham Clinton"), cluster("Bill Clinton"));
        assert_eq!(
            cluster("Hillary Clinton"),
            cluster("Hillary Rodham Clinton")
        );
        assert_eq!(cluster("Clinton"), cluster("Hillary Rodham Clinton"));
    }

    #[test]
    fn a_title_case_line_names_only_what_the_ner_found() {
        let text = "New Poll Shows Minor Post-Debate Bump For Clinton.\n\nA new poll by Acme \
                    Research shows Clinton ahead.";
        let article = Article::new("t", text);
        let mentions: Vec<Mention> = article
            .occurrences("Clinton")
            .into_iter()
            .map(|span| Mention {
                span,
                entity_type: EntityType::Person,
            })
            .collect();
        let text = Text::new(&article);
        let ents = Entities::build(&text, &mentions);
        let names: Vec<String> = ents.names.iter().map(|n| text.slice(n.span)).collect();
        // The headline's capitals are no names; a capitalised run in running text still is.
        assert!(!names.iter().any(|n| n.contains("Poll")), "{names:?}");
        assert!(names.iter().any(|n| n == "Acme Research"), "{names:?}");
    }
}
