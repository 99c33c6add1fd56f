//! The article's speaker list as the resolver builds it: one entry per entity or description,
//! each with its aliases.

#[allow(unused_imports)]
use super::*;

/// The article's speakers as the pass rebuilds them.
pub(super) struct SpeakerList {
    pub(super) speakers: Vec<Speaker>,
    /// Cluster -> name of its speaker; normalised description -> name.
    pub(super) by_cluster: BTreeMap<usize, String>,
}

impl SpeakerList {
    pub(super) fn new(speakers: Vec<Speaker>) -> SpeakerList {
        SpeakerList {
            speakers,
            by_cluster: BTreeMap::new(),
        }
    }

    /// The speaker of an entity: named by its most complete form in the article, the others
    /// its aliases; an existing speaker of the same name is reused.
    pub(super) fn named(&mut self, text: &Text, ents: &Entities, cluster: usize) -> String {
        if let Some(n) = self.by_cluster.get(&cluster) {
            return n.clone();
        }
        let mut forms: Vec<String> = Vec::new();
        for &n in ents.names_of(cluster) {
            let s = text.slice(ents.names[n].span);
            if !forms.contains(&s) {
                forms.push(s);
            }
        }
        let mut canonical = ents.clusters[cluster].canonical.clone();
        for f in &forms {
            let (wf, wc) = (
                f.split_whitespace().count(),
                canonical.split_whitespace().count(),
            );
            if wf > wc || (wf == wc && f.chars().count() > canonical.chars().count()) {
                canonical = f.clone();
            }
        }
        let existing = self
            .speakers
            .iter()
            .position(|s| s.name == canonical || forms.contains(&s.name) && s.named);
        let name = match existing {
            Some(i) => self.speakers[i].name.clone(),
            None => {
                let speaker_type = match ents.clusters[cluster].etype {
                    EntityType::Person => SpeakerType::Person,
                    EntityType::Org | EntityType::Place => SpeakerType::Org,
                };
                self.speakers.push(Speaker {
                    name: canonical.clone(),
                    speaker_type,
                    aliases: forms.into_iter().filter(|f| *f != canonical).collect(),
                    named: true,
                });
                canonical
            }
        };
        self.by_cluster.insert(cluster, name.clone());
        name
    }

    /// An unnamed speaker: the same description (case and leading article aside) is one.
    pub(super) fn unnamed(&mut self, written: &str, speaker_type: SpeakerType) -> String {
        // A written form is one speaker: a capitalised group the backend took for a name
        // becomes the description it is.
        if let Some(s) = self.speakers.iter_mut().find(|s| s.name == written) {
            if s.named {
                s.named = false;
                s.speaker_type = speaker_type;
                s.aliases.clear();
            }
            return written.to_string();
        }
        let key = description_key(written);
        if let Some(s) = self
            .speakers
            .iter()
            .find(|s| !s.named && description_key(&s.name) == key)
        {
            return s.name.clone();
        }
        self.speakers.push(Speaker {
            name: written.to_string(),
            speaker_type,
            aliases: Vec::new(),
            named: false,
        });
        written.to_string()
    }

    /// One speaker for an entity named both in full and by its acronym ("International
    /// Monetary Fund", "IMF"): the full name, with the acronym as an alias.
    pub(super) fn merge_acronyms(&mut self, quotes: &mut [Quote]) {
        let mut renames: Vec<(String, usize)> = Vec::new();
        for (a, s) in self.speakers.iter().enumerate() {
            if !s.named || !is_acronym(&s.name) {
                continue;
            }
            if let Some(b) = self
                .speakers
                .iter()
                .position(|o| o.named && o.name.contains(' ') && initials(&o.name) == s.name)
            {
                renames.push((self.speakers[a].name.clone(), b));
            }
        }
        for (acronym, b) in renames {
            let full = self.speakers[b].name.clone();
            if !self.speakers[b].aliases.contains(&acronym) {
                self.speakers[b].aliases.push(acronym.clone());
            }
            for q in quotes.iter_mut() {
                if q.speaker.as_deref() == Some(acronym.as_str()) {
                    q.speaker = Some(full.clone());
                }
                for j in &mut q.joint_speakers {
                    if *j == acronym {
                        *j = full.clone();
                    }
                }
                if q.speaker.is_some() {
                    let first = q.speaker.clone();
                    q.joint_speakers.retain(|j| Some(j) != first.as_ref());
                }
            }
        }
    }

    /// The speakers some quote names, each once, in their list order.
    pub(super) fn used_by(self, quotes: &[Quote]) -> Vec<Speaker> {
        let used: std::collections::BTreeSet<&str> =
            quotes.iter().flat_map(Quote::speaker_names).collect();
        let mut seen = std::collections::BTreeSet::new();
        self.speakers
            .into_iter()
            .filter(|s| used.contains(s.name.as_str()) && seen.insert(s.name.clone()))
            .collect()
    }
}

pub(super) fn description_key(written: &str) -> String {
    written
        .split_whitespace()
        .map(str::to_lowercase)
        .skip_while(|w| matches!(w.as_str(), "the" | "a" | "an"))
        .collect::<Vec<_>>()
        .join(" ")
}
