//! Closed word classes the rules need: pronouns, determiners, titles, agent nouns, and a small
//! table of countries (names, abbreviations, demonyms, capitals and government metonyms).
//! General English and world knowledge only; nothing here names a person or an article.

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
    matches!(lower, "he" | "she" | "they" | "it" | "i" | "we" | "you" | "him" | "her" | "them" | "us" | "me")
}

pub const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "his", "her", "their", "its", "our", "my", "your", "some",
    "many", "several", "other", "another", "both", "all", "most", "few", "one", "two", "three", "four", "five",
    "six", "seven", "eight", "nine", "ten", "dozens", "hundreds", "various", "numerous", "each", "every", "any",
    "no", "such", "top", "senior", "former",
];

pub fn is_determiner(lower: &str) -> bool {
    DETERMINERS.contains(&lower)
}

/// Words that may stand between a subject and its speech verb ("Putin also said", "the
/// Kremlin earlier described", "he has repeatedly said").
pub fn is_verb_adjunct(lower: &str) -> bool {
    const W: &[&str] = &[
        "also", "later", "earlier", "previously", "then", "again", "recently", "repeatedly", "publicly", "privately",
        "separately", "subsequently", "once", "further", "similarly", "likewise", "has", "have", "had", "will", "would",
        "could", "can", "may", "might", "should", "must", "shall", "did", "does", "do", "is", "was", "were", "are",
        "been", "being", "reportedly", "allegedly", "apparently", "previously", "first", "initially", "finally", "today",
        "yesterday", "tonight", "now", "already", "just", "only", "since", "long", "often", "frequently", "always",
        "still", "too", "afterward", "afterwards", "quickly", "immediately", "flatly", "openly", "bluntly", "simply",
        "even", "ever", "twice", "directly", "personally", "explicitly",
    ];
    W.contains(&lower)
        || (lower.len() >= 6 && lower.ends_with("ly") && !NOT_ADVERBS.contains(&lower))
        || is_weekday(lower)
}

const NOT_ADVERBS: &[&str] = &["family", "assembly", "supply", "anomaly", "monopoly", "butterfly", "jelly", "rally", "bully", "ally"];

pub fn is_weekday(lower: &str) -> bool {
    matches!(lower, "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday")
}

pub fn is_month(lower: &str) -> bool {
    matches!(
        lower,
        "january" | "february" | "march" | "april" | "may" | "june" | "july" | "august" | "september" | "october"
            | "november" | "december" | "jan." | "feb." | "mar." | "apr." | "jun." | "jul." | "aug." | "sep." | "sept."
            | "oct." | "nov." | "dec."
    )
}

pub fn is_negation(lower: &str) -> bool {
    matches!(lower, "not" | "n't" | "never" | "nobody" | "neither" | "nor" | "didn’t" | "didn't" | "won’t" | "won't"
        | "wouldn’t" | "wouldn't" | "doesn’t" | "doesn't" | "don’t" | "don't" | "declined" | "refused" | "cannot"
        | "couldn’t" | "couldn't" | "hasn’t" | "hasn't" | "haven’t" | "haven't" | "hadn’t" | "hadn't")
}

/// Prepositions and subordinators that cannot start a reported clause.
pub fn is_preposition(lower: &str) -> bool {
    const W: &[&str] = &[
        "in", "on", "at", "during", "before", "after", "from", "with", "via", "through", "by", "for", "to", "about",
        "of", "over", "since", "ahead", "amid", "among", "against", "toward", "towards", "into", "onto", "upon",
        "while", "when", "without", "under", "across", "near", "outside", "inside", "following", "late", "early",
        "last", "this", "next", "as",
    ];
    W.contains(&lower)
}

/// Titles and roles written before a name; never part of the name ("President", "Sen.").
pub fn is_title(lower: &str) -> bool {
    const W: &[&str] = &[
        "president", "vice", "prime", "minister", "secretary", "sen.", "sen", "senator", "rep.", "rep",
        "representative", "gov.", "gov", "governor", "mayor", "mr.", "mrs.", "ms.", "mr", "mrs", "ms", "miss", "dr.",
        "dr", "gen.", "general", "judge", "justice", "chancellor", "king", "queen", "prince", "princess", "pope",
        "sheikh", "chairman", "chairwoman", "chair", "ceo", "speaker", "leader", "lt.", "col.", "adm.", "sgt.",
        "capt.", "maj.", "rev.", "former", "deputy", "acting", "chief", "ambassador", "envoy", "special", "foreign",
        "defense", "defence", "interior", "finance", "attorney", "commissioner", "director", "spokesman",
        "spokeswoman", "spokesperson", "premier", "sheriff", "officer", "professor", "prof.", "candidate", "nominee",
        "aide", "adviser", "advisor", "negotiator", "lord", "sir", "dame", "archbishop", "bishop", "cardinal",
        "father", "sister", "brother", "coach", "commander", "marshal", "admiral", "colonel", "lieutenant", "sergeant",
        "captain", "major", "presidential", "senior", "top", "economic", "policy", "national", "security", "state",
        "executive", "emeritus", "first", "lady", "congressman", "congresswoman", "assemblyman", "assemblywoman",
        "councilman", "councilwoman", "delegate", "democrat", "republican", "gop", "house", "senate", "majority",
        "minority", "whip", "press", "communications", "campaign", "manager", "head", "founder", "owner", "anchor",
        "host", "columnist", "correspondent", "editor", "reporter", "analyst", "strategist", "pollster", "economist",
        "ex", "then", "mister", "madam", "hon.", "gen", "col", "lt", "adm", "sgt", "capt",
    ];
    W.contains(&lower)
}

/// Titles that say which gender a name has.
pub fn title_gender(lower: &str) -> Option<Pron> {
    match lower {
        "mr." | "mr" | "mister" | "king" | "prince" | "sir" | "lord" | "father" | "brother" | "congressman"
        | "chairman" | "spokesman" | "assemblyman" | "councilman" => Some(Pron::He),
        "mrs." | "mrs" | "ms." | "ms" | "miss" | "madam" | "queen" | "princess" | "dame" | "sister" | "lady"
        | "congresswoman" | "chairwoman" | "spokeswoman" | "assemblywoman" | "councilwoman" => Some(Pron::She),
        _ => None,
    }
}

/// Common female first names (international), for matching "she" to a name. A name not listed
/// is compatible with either pronoun unless a title says otherwise.
pub fn is_female_first_name(name: &str) -> bool {
    const W: &[&str] = &[
        "hillary", "carly", "nancy", "elizabeth", "kamala", "sarah", "michelle", "melania", "ivanka", "nikki",
        "condoleezza", "madeleine", "angela", "theresa", "margaret", "ursula", "kaja", "giorgia", "marine", "liz",
        "kristi", "tulsi", "amy", "kirsten", "susan", "dianne", "patty", "maria", "mary", "anna", "anne", "ann",
        "jennifer", "jessica", "karen", "linda", "barbara", "patricia", "lisa", "laura", "emily", "emma", "olivia",
        "sophia", "julia", "kate", "katherine", "catherine", "kathleen", "kathy", "deborah", "debbie", "donna",
        "rachel", "rebecca", "ruth", "sharon", "helen", "heather", "megan", "meghan", "jill", "jane", "janet", "joan",
        "judy", "julie", "kelly", "kelly", "kimberly", "lauren", "marsha", "martha", "melissa", "michele", "nicole",
        "pamela", "rosa", "samantha", "sandra", "stephanie", "tammy", "tina", "valerie", "virginia", "wendy",
        "yulia", "olena", "iryna", "svetlana", "natalia", "natalya", "oksana", "tatiana", "tatyana", "yelena",
        "elena", "ekaterina", "irina", "olga", "lyudmila", "marina", "daria", "alexandra", "victoria", "viktoria",
        "christine", "christina", "claire", "ilhan", "alexandria", "lindsey", "betsy", "elise", "marjorie", "lauren",
        "kellyanne", "sarah", "huma", "donna", "debbie", "hope", "kayleigh", "karine", "jen", "nicola", "yvette",
        "priti", "suella", "rishi", "indira", "sonia", "priyanka", "nirmala", "benazir", "maryam", "aung", "tsai",
        "jacinda", "julia", "golda", "dilma", "cristina", "michelle", "gloria", "beatriz", "ana", "carmen", "isabel",
        "sophie", "marie", "nathalie", "ségolène", "segolene", "annalena", "frederiksen", "mette", "sanna", "jacqueline",
    ];
    W.contains(&name.to_lowercase().as_str())
}

/// Nouns that can head a description of a speaker ("an official", "Ukrainian officials",
/// "the Kremlin leader", "state media", "the report").
pub fn is_agent_noun(lower: &str) -> bool {
    const W: &[&str] = &[
        "official", "officials", "source", "sources", "expert", "experts", "analyst", "analysts", "spokesman",
        "spokesmen", "spokeswoman", "spokeswomen", "spokesperson", "spokespeople", "aide", "aides", "adviser",
        "advisers", "advisor", "advisors", "minister", "ministers", "president", "leader", "leaders", "diplomat",
        "diplomats", "media", "press", "police", "prosecutor", "prosecutors", "lawmaker", "lawmakers", "legislator",
        "legislators", "senator", "senators", "governor", "mayor", "critic", "critics", "supporter", "supporters",
        "opponent", "opponents", "resident", "residents", "witness", "witnesses", "people", "person", "man", "woman",
        "men", "women", "voter", "voters", "observer", "observers", "statement", "report", "reports", "study",
        "survey", "poll", "polls", "document", "documents", "letter", "memo", "campaign", "administration",
        "government", "ministry", "agency", "department", "committee", "group", "organization", "organisation",
        "company", "firm", "military", "army", "court", "judge", "lawyer", "lawyers", "attorney", "attorneys", "envoy",
        "envoys", "ambassador", "candidate", "candidates", "nominee", "chairman", "chairwoman", "chair", "head",
        "chief", "director", "secretary", "member", "members", "activist", "activists", "protester", "protesters",
        "economist", "economists", "researcher", "researchers", "scientist", "scientists", "doctor", "doctors",
        "author", "authors", "officer", "officers", "commander", "commanders", "general", "team", "side",
        "delegation", "negotiator", "negotiators", "representative", "representatives", "counterpart", "premier",
        "chancellor", "king", "queen", "prince", "pope", "cleric", "worker", "workers", "student", "students",
        "teacher", "teachers", "parent", "parents", "family", "families", "friend", "friends", "neighbor",
        "neighbors", "neighbour", "neighbours", "colleague", "colleagues", "ally", "allies", "partner", "partners",
        "republicans", "democrats", "conservatives", "liberals", "progressives", "insiders", "strategist",
        "strategists", "pollster", "pollsters", "commentator", "commentators", "columnist", "columnists", "editor",
        "editors", "reporter", "reporters", "journalist", "journalists", "network", "outlet", "newspaper", "paper",
        "website", "ministry", "council", "board", "union", "unions", "authorities", "authority", "officialdom",
        "regulator", "regulators", "investigator", "investigators", "staff", "staffer", "staffers", "employee",
        "employees", "executive", "executives", "owner", "owners", "founder", "spokesperson", "manager", "managers",
        "owner", "victim", "victims", "survivor", "survivors", "soldier", "soldiers", "troops", "fighter", "fighters",
        "rebels", "militants", "farmer", "farmers", "businessman", "businessmen", "businesswoman", "entrepreneur",
        "billionaire", "donor", "donors", "delegate", "delegates", "congressman", "congresswoman", "speaker",
        "governors", "mayors", "presidents", "ministers", "kremlin", "whitehouse", "pentagon", "embassy", "agency",
        "agencies", "bank", "fund", "institute", "think-tank", "think", "foundation", "party", "parties", "coalition",
        "opposition", "bloc", "alliance", "organizers", "organisers", "operatives", "aide", "advocate", "advocates",
        "historian", "historians", "professor", "professors", "academic", "academics", "scholar", "scholars",
        "consultant", "consultants", "contractor", "contractors", "guard", "guards", "director", "directors",
        "correspondent", "correspondents", "anchor", "host", "hosts", "panel", "commission", "watchdog", "regime",
        "mother", "father", "son", "daughter", "wife", "husband", "brother", "sister", "widow", "girlfriend",
        "boyfriend", "friend", "owner", "customer", "customers", "user", "users", "fan", "fans", "player", "players",
        "coach", "nurse", "nurses", "paramedic", "paramedics", "firefighter", "firefighters", "citizen", "citizens",
        "refugee", "refugees", "migrant", "migrants", "immigrant", "immigrants", "community", "communities",
        "spokesmen", "figure", "figures", "insider", "veteran", "veterans", "expert", "specialist", "specialists",
        "campaigner", "campaigners", "petition", "filing", "complaint", "lawsuit", "indictment", "ruling", "order",
        "decree", "release", "announcement", "account", "accounts", "article", "editorial", "analysis", "review",
        "book", "memoir", "tweet", "post", "video", "ad", "interview", "transcript", "summary", "readout",
    ];
    W.contains(&lower)
}

/// Heads that make a description an organisation rather than a person or group.
pub fn is_org_noun(lower: &str) -> bool {
    const W: &[&str] = &[
        "media", "press", "police", "campaign", "administration", "government", "ministry", "agency", "department",
        "committee", "group", "organization", "organisation", "company", "firm", "military", "army", "court",
        "network", "outlet", "newspaper", "paper", "website", "council", "board", "union", "authorities",
        "authority", "regulator", "kremlin", "pentagon", "embassy", "agencies", "bank", "fund", "institute",
        "foundation", "party", "coalition", "opposition", "bloc", "alliance", "panel", "commission", "watchdog",
        "regime", "delegation", "team", "side",
    ];
    W.contains(&lower)
}

/// Whether a description's head is plural (a group rather than one person).
pub fn is_plural_noun(lower: &str) -> bool {
    (lower.ends_with('s') && !lower.ends_with("ss") && !matches!(lower, "press" | "witness" | "its" | "his" | "news"))
        || matches!(lower, "people" | "men" | "women" | "police" | "media" | "staff" | "troops" | "spokesmen")
}

/// Words in a capitalised name that mark an organisation ("Fox News", "Justice Department").
pub fn is_org_word(word: &str) -> bool {
    const W: &[&str] = &[
        "news", "times", "post", "journal", "today", "daily", "herald", "tribune", "gazette", "telegraph",
        "guardian", "independent", "monitor", "review", "magazine", "radio", "tv", "television", "network",
        "channel", "agency", "press", "wire", "media", "committee", "party", "campaign", "council", "department",
        "ministry", "service", "services", "group", "institute", "university", "college", "school", "foundation",
        "association", "inc", "inc.", "corp", "corp.", "company", "co.", "ltd", "llc", "l.p.", "bank", "court",
        "congress", "senate", "house", "administration", "office", "commission", "board", "union", "organization",
        "organisation", "center", "centre", "fund", "club", "church", "army", "navy", "force", "forces", "police",
        "reserve", "federation", "league", "society", "academy", "bureau", "authority", "coalition", "alliance",
        "movement", "front", "project", "trust", "partners", "capital", "holdings", "systems", "technologies",
        "airlines", "motors", "pentagon", "kremlin", "parliament", "cabinet", "embassy", "tass", "reuters",
        "bloomberg", "ap", "afp", "cnn", "bbc", "nbc", "abc", "cbs", "msnbc", "fox", "npr", "pbs", "politico",
        "axios", "breitbart", "interfax", "ria", "xinhua", "nato", "fbi", "cia", "nsa", "un", "eu", "gop", "dnc",
        "rnc", "who", "imf", "opec", "ukrinform", "sputnik", "pravda", "izvestia", "kommersant", "vedomosti",
    ];
    W.contains(&word.to_lowercase().trim_end_matches('.'))
}

/// Capitalised words that are not names when they start a sentence or stand alone.
pub fn is_common_capitalised(lower: &str) -> bool {
    const W: &[&str] = &[
        "the", "a", "an", "in", "on", "at", "but", "and", "or", "if", "when", "while", "as", "after", "before", "this",
        "that", "these", "those", "it", "he", "she", "they", "we", "i", "you", "his", "her", "their", "our", "its",
        "my", "there", "here", "what", "who", "why", "how", "where", "which", "meanwhile", "however", "also", "so",
        "yet", "still", "now", "then", "asked", "according", "speaking", "share", "story", "continues", "by", "for",
        "from", "with", "to", "of", "about", "over", "under", "since", "during", "despite", "although", "though",
        "because", "unlike", "like", "instead", "both", "all", "some", "many", "most", "no", "not", "yes", "one",
        "two", "three", "last", "next", "first", "second", "new", "other", "another", "each", "every", "such", "even",
        "only", "just", "more", "less", "earlier", "later", "today", "yesterday", "tomorrow", "mr.", "mrs.", "ms.",
        "dr.", "several", "among", "against", "amid", "until", "once", "whether", "thus", "therefore", "moreover",
        "further", "furthermore", "nonetheless", "nevertheless", "indeed", "perhaps", "maybe", "do", "does", "did",
        "is", "are", "was", "were", "be", "has", "have", "had", "will", "would", "can", "could", "should", "may",
        "might", "must", "said", "says", "told", "photo", "image", "video", "editor’s", "editor's", "note", "update",
        "updated", "breaking", "exclusive", "watch", "read", "listen", "click", "advertisement", "sponsored",
        "afterward", "afterwards", "instead", "overall", "separately", "additionally", "finally", "third",
        "already", "ultimately", "eventually", "initially", "previously", "recently", "currently", "notably",
        "importantly", "specifically", "similarly", "otherwise", "again", "elsewhere", "here", "hence", "thereafter",
        "sources", "officials", "experts", "analysts", "critics", "supporters", "residents", "people", "many",
        "others", "some", "few", "everyone", "nobody", "someone", "anyone", "none",
    ];
    W.contains(&lower) || is_weekday(lower) || is_month(lower) || (lower.len() > 5 && lower.ends_with("ly") && !lower.ends_with("ally") && !lower.ends_with("illy"))
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
    Country { name: "United States", aliases: &["US", "U.S.", "USA", "U.S.A.", "United States of America", "America"], pointers: &["american", "u.s.", "us", "washington", "pentagon"] },
    Country { name: "United Kingdom", aliases: &["UK", "U.K.", "Britain", "Great Britain"], pointers: &["british", "uk", "u.k.", "london"] },
    Country { name: "Russia", aliases: &["Russian Federation"], pointers: &["russian", "kremlin", "moscow", "russia"] },
    Country { name: "Ukraine", aliases: &[], pointers: &["ukrainian", "kyiv", "kiev", "ukraine"] },
    Country { name: "China", aliases: &["People’s Republic of China", "People's Republic of China", "PRC"], pointers: &["chinese", "beijing", "china"] },
    Country { name: "France", aliases: &[], pointers: &["french", "paris", "elysee", "élysée", "france"] },
    Country { name: "Germany", aliases: &[], pointers: &["german", "berlin", "germany"] },
    Country { name: "India", aliases: &[], pointers: &["indian", "new delhi", "delhi", "india"] },
    Country { name: "Japan", aliases: &[], pointers: &["japanese", "tokyo", "japan"] },
    Country { name: "Israel", aliases: &[], pointers: &["israeli", "jerusalem", "israel"] },
    Country { name: "Iran", aliases: &[], pointers: &["iranian", "tehran", "iran"] },
    Country { name: "Turkey", aliases: &["Türkiye", "Turkiye"], pointers: &["turkish", "ankara", "turkey"] },
    Country { name: "Poland", aliases: &[], pointers: &["polish", "warsaw", "poland"] },
    Country { name: "Italy", aliases: &[], pointers: &["italian", "rome", "italy"] },
    Country { name: "Spain", aliases: &[], pointers: &["spanish", "madrid", "spain"] },
    Country { name: "Canada", aliases: &[], pointers: &["canadian", "ottawa", "canada"] },
    Country { name: "Mexico", aliases: &[], pointers: &["mexican", "mexico"] },
    Country { name: "North Korea", aliases: &["DPRK"], pointers: &["north korean", "pyongyang"] },
    Country { name: "South Korea", aliases: &["Republic of Korea", "ROK"], pointers: &["south korean", "seoul"] },
    Country { name: "Saudi Arabia", aliases: &[], pointers: &["saudi", "riyadh"] },
    Country { name: "United Arab Emirates", aliases: &["UAE", "U.A.E."], pointers: &["emirati", "abu dhabi"] },
    Country { name: "Belarus", aliases: &[], pointers: &["belarusian", "minsk", "belarus"] },
    Country { name: "Pakistan", aliases: &[], pointers: &["pakistani", "islamabad", "pakistan"] },
    Country { name: "Netherlands", aliases: &["Holland", "The Netherlands"], pointers: &["dutch", "amsterdam", "hague"] },
    Country { name: "Czech Republic", aliases: &["Czechia"], pointers: &["czech", "prague"] },
    Country { name: "Myanmar", aliases: &["Burma"], pointers: &["burmese", "myanmar"] },
    Country { name: "European Union", aliases: &["EU", "E.U."], pointers: &["european", "brussels"] },
    Country { name: "Democratic Republic of the Congo", aliases: &["DRC", "DR Congo"], pointers: &["congolese"] },
    Country { name: "Australia", aliases: &[], pointers: &["australian", "canberra", "australia"] },
    Country { name: "Syria", aliases: &[], pointers: &["syrian", "damascus", "syria"] },
    Country { name: "Iraq", aliases: &[], pointers: &["iraqi", "baghdad", "iraq"] },
    Country { name: "Afghanistan", aliases: &[], pointers: &["afghan", "kabul", "afghanistan"] },
    Country { name: "Egypt", aliases: &[], pointers: &["egyptian", "cairo", "egypt"] },
    Country { name: "Hungary", aliases: &[], pointers: &["hungarian", "budapest", "hungary"] },
    Country { name: "Malaysia", aliases: &[], pointers: &["malaysian", "kuala lumpur", "malaysia"] },
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
    &["Washington", "Washington, D.C.", "Washington DC", "Washington D.C."],
    &["Gaza", "Gaza Strip"],
    &["West Bank"],
];

/// The country a word points at ("Russian" -> Russia, "Kremlin" -> Russia).
pub fn country_of_pointer(lower: &str) -> Option<&'static str> {
    let lower = lower.trim_end_matches(['’', '\'']).trim_end_matches("’s").trim_end_matches("'s");
    COUNTRIES
        .iter()
        .find(|c| {
            c.pointers.contains(&lower)
                || c.name.to_lowercase() == lower
                || c.aliases.iter().any(|a| a.to_lowercase() == lower)
        })
        .map(|c| c.name)
}

/// Role heads that a generic description can use for a head of state or government
/// ("the Kremlin leader" for a president).
pub fn role_compatible(description_head: &str, title: &str) -> bool {
    let leader = ["leader", "president", "premier", "chancellor", "king", "queen", "head", "chief"];
    let h = description_head.trim_end_matches('s');
    let t = title.trim_end_matches('s');
    h == t
        || (leader.contains(&h) && (leader.contains(&t) || t == "prime" || t == "minister"))
        || (h == "envoy" && t == "ambassador")
        || (matches!(h, "aide" | "adviser" | "advisor") && matches!(t, "aide" | "adviser" | "advisor"))
}

/// US states and a few world regions that look like person names to the capitalisation
/// heuristic (used only when no NER mentions are given).
pub fn is_known_place(name: &str) -> bool {
    const W: &[&str] = &[
        "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut", "delaware", "florida",
        "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa", "kansas", "kentucky", "louisiana", "maine",
        "maryland", "massachusetts", "michigan", "minnesota", "mississippi", "missouri", "montana", "nebraska",
        "nevada", "new hampshire", "new jersey", "new mexico", "new york", "north carolina", "north dakota", "ohio",
        "oklahoma", "oregon", "pennsylvania", "rhode island", "south carolina", "south dakota", "tennessee", "texas",
        "utah", "vermont", "virginia", "washington", "west virginia", "wisconsin", "wyoming", "iowa", "new hampshire",
        "europe", "asia", "africa", "latin america", "middle east", "crimea", "donbas", "donbass", "gaza", "west bank",
        "new delhi", "moscow", "kyiv", "kiev", "london", "paris", "berlin", "beijing", "tokyo", "brussels", "geneva",
        "milwaukee", "chicago", "los angeles", "san francisco", "boston", "philadelphia", "detroit", "atlanta",
        "miami", "houston", "dallas", "seattle", "denver", "cleveland", "las vegas", "manhattan", "brooklyn",
        "silicon valley", "wall street", "capitol hill",
    ];
    let lower = name.to_lowercase();
    W.contains(&lower.as_str()) || COUNTRIES.iter().any(|c| c.name.to_lowercase() == lower || c.aliases.iter().any(|a| a.to_lowercase() == lower))
        || PLACE_VARIANTS.iter().any(|v| v.iter().any(|p| p.to_lowercase() == lower))
}
