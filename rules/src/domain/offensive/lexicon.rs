//! The words looked for. Pattern syntax: words of a phrase are separated by
//! a space; alternatives by `|`; `stem*` matches any word starting with the
//! stem (inflections), `*stem*` anywhere in a word (compounds), a bare word
//! only that whole word. `except` lists innocent words that contain a
//! pattern; `unless_near` lists words that, within four words either side,
//! give an ambiguous word its innocent meaning.

use super::OffensiveKind::{self, Insult, Obscene};

pub(super) struct Entry {
    pub pattern: &'static str,
    pub kind: OffensiveKind,
    pub except: &'static [&'static str],
    pub unless_near: &'static [&'static str],
}

const fn e(kind: OffensiveKind, pattern: &'static str) -> Entry {
    Entry {
        pattern,
        kind,
        except: &[],
        unless_near: &[],
    }
}

const fn e_except(
    kind: OffensiveKind,
    pattern: &'static str,
    except: &'static [&'static str],
) -> Entry {
    Entry {
        pattern,
        kind,
        except,
        unless_near: &[],
    }
}

/// Bulgarian, matched on the Cyrillic skeleton.
pub(super) const BULGARIAN: &[Entry] = &[
    // Obscene words. Prefixes carry every inflection; where an innocent
    // word shares the beginning, only the obscene forms are listed.
    e_except(Obscene, "курв*", &["курвоаз*"]), // Курвоазие, the cognac
    e(Obscene, "уруспи*"),
    e(Obscene, "путк*"),
    e(Obscene, "пичка|пички|пичката|пичките|пичке"), // not "пичкам", "напичкан"
    e(Obscene, "пизд*"),
    e(Obscene, "хуй*|хуя|хуят|нахуй"),
    e(Obscene, "кур|курът|курове|куровете"), // not курс, курорт, куриер, кураж
    // Not "ебеново дърво", "Ебола", "погребан", "хлебарка", "небе".
    e(
        Obscene,
        "еба|ебе|ебем|ебеш|ебете|ебах|еби|ебаси|ебат*|ебал*|ебан*|ебач*",
    ),
    e(
        Obscene,
        "заеб*|наеб*|изеб*|изъеб*|разеб*|преебан*|доеб*|поеб*",
    ),
    e(Obscene, "шибан*"), // not "дъждът шибаше", "шибой"
    e(Obscene, "гъз|гъза|гъзът|гъзове|гъзар*|гъзолиз*"),
    e_except(Obscene, "лайн*", &["лайнер*"]), // not "лайнер", "онлайн"
    // Not "срам", "осрамен", "серия", "сериозен", "сяра".
    e(
        Obscene,
        "сере|серат|сереш|срал*|сран|срана|срано|срани|насра|насрал*|насран*|осра|осрал*|осран|осрана|изсра|изсрал*",
    ),
    e(Obscene, "духач*"),
    e(Obscene, "мамицата"),
    e(Obscene, "мамка му|ти|ви|им"),
    e(Obscene, "майната му|ти|ви|им"),
    // Slurs.
    e_except(Insult, "педер*|пидер*", &["педерсен*"]),
    e(Insult, "педи|педита"), // not "педикюр", "педиатър"
    Entry {
        pattern: "педал*",
        kind: Insult,
        except: &[],
        unless_near: &[
            "колел*",
            "велосипед*",
            "колоездач*",
            "тротинетк*",
            "газ|газа|газта",
            "спирач*",
            "съединител*",
            "кола|колата|коли|колите",
            "автомоб*",
            "машин*",
            "пиан*",
            "шевн*",
            "натис*",
            "pedal*",
        ],
    },
    // Name-calling. Only the nouns: "идиотско правило" criticises a rule.
    e(
        Insult,
        "идиот|идиота|идиотът|идиоти|идиотите|идиоте|идиотка|идиотката|идиотки|идиотките|идиотке",
    ),
    e(Insult, "кретен*"),
    e(Insult, "дебил*"),   // not "дебел", "дебит"
    e(Insult, "тъпанар*"), // not "тъпан"
    e(
        Insult,
        "тъпак|тъпака|тъпакът|тъпаци|тъпаците|тъпако|тъпачка|тъпачката|тъпачки|тъпачките|тъпачке",
    ),
    e(Insult, "малоумник*|малоумниц*"),
    e(Insult, "олигофрен*"),
    // Not "простата", "простащина".
    e(
        Insult,
        "простак|простака|простакът|простаци|простаците|простако|простачка|простачката|простачки|простачке",
    ),
    e(Insult, "отрепк*"),                              // not "отрепетирах"
    e(Insult, "изрод|изрода|изродът|изроде|изродите"), // "изроди" is also a verb
    e(
        Insult,
        "мръсник|мръсника|мръсникът|мръсници|мръсниците|мръснико|мръсница|мръсницата|мръснице",
    ),
    e(Insult, "копел*"),
    e(Insult, "кучи син|сина|синът|сине|синове|синовете"),
    // Words with an everyday meaning count only as a form of address.
    e(Insult, "боклук|боклуци такъв|такива"),
    e(Insult, "ти си боклук"),
    e(Insult, "сте боклуци|боклук"),
    e(Insult, "човешки боклук|боклуци"),
    e(Insult, "говедо|говеда такова|такива"),
    e(Insult, "свиня|свине|свини такава|такива"),
    e(Insult, "крава такава"),
    e(Insult, "тъпа крава|краво"),
    // Common name-calling that is neither obscene nor a slur. Nouns and
    // forms of address only: "глупаво правило", "нещастен случай" and
    // "селянин" criticise or describe.
    e(
        Insult,
        "глупак|глупака|глупакът|глупаци|глупаците|глупако|глупачка|глупачката|глупачки|глупачките|глупачке",
    ),
    e(Insult, "глупендер*"),
    e(Insult, "будала|будалата|будали|будалите|будало"),
    e(Insult, "балък|балъка|балъкът|балъци|балъците"),
    e(Insult, "смотаняк*|смотаняц*|смотанячк*"),
    e(Insult, "загубеняк*|загубеняц*|загубенячк*"),
    e(Insult, "тъпунгер*|тъпоглав*|тиквеник*"),
    e(
        Insult,
        "нещастник|нещастника|нещастникът|нещастници|нещастниците|нещастнико|нещастница|нещастницата|нещастнице",
    ),
    e(
        Insult,
        "селяк|селяка|селякът|селяци|селяците|селяко|селячка|селячката|селячки|селячке",
    ),
    e(Insult, "мизерник*|мизерниц*"),
    e(Insult, "негодник*|негодниц*"),
    e(Insult, "подлец|подлеца|подлецът|подлеци|подлеците|подлецо"),
    e(Insult, "гадняр*|гаднярк*"),
    e(Insult, "дръвник|дръвника|дръвникът|дръвници|дръвнико"),
    e(Insult, "гад|гадина|гадини такъв|такава|такива"),
    e(Insult, "магаре|магарета такова|такива"),
    e(Insult, "маймуна|маймуни такава|такива"),
    e(Insult, "животно|животни такова|такива"),
    e(Insult, "овца|овце такава|такива"),
    e(Insult, "кучка такава"),
];

/// English, and Bulgarian written in Latin letters, matched on the Latin
/// skeleton.
pub(super) const ENGLISH: &[Entry] = &[
    e(
        Obscene,
        "*fuck*|fuk|fuks|fukin|fuking|fukker|fck|fcks|fcking|fckin|fckn|phuck*|fcuk*",
    ),
    // Prefix only: "Yamashita", "Matsushita" contain the letters.
    e_except(
        Obscene,
        "shit*|bullshit*|horseshit*|dipshit*|batshit*|apeshit*|chickenshit*",
        &["shiitak*", "shitak*"],
    ),
    e(Obscene, "cunt*"), // "Scunthorpe" does not start with it
    e(Obscene, "twat|twats"),
    e_except(Obscene, "wank*", &["wankel*"]),
    e(Obscene, "bitch*"),
    e(Obscene, "whore*"),
    e(Obscene, "slut*"),
    e(Obscene, "pussy|pussies"), // not "pussycat"
    e(Obscene, "cocksuck*"),     // not "cocktail", "cockroach", "peacock"
    e(Obscene, "dickhead*"),     // not "Dickens"
    // Whole words: "class", "assistant", "embassy", "arsenal" are innocent;
    // "asses" would also match "assess", since repeats are free.
    e(
        Obscene,
        "ass|asshole*|asshat*|asswipe*|arse|arses|arsehole*|dumbass*|jackass*|smartass*",
    ),
    // Bulgarian in Latin letters.
    e_except(Obscene, "kurv*", &["kurve*"]),
    e(Obscene, "putk*"),
    e(Obscene, "pichka|pichki|pichkata"),
    e(Obscene, "ebal*|ebana|ebani|ebach*|ebasi"), // not "Eban", a name
    e(Obscene, "shiban*"),
    e(Obscene, "mamka mu|ti|vi"),
    e(Obscene, "maynata|mainata mu|ti|vi"),
    e(Insult, "pederas*|pidera*"),
    // Slurs and name-calling.
    e_except(Insult, "nigger*|nigga*", &["niggard*"]),
    e(Insult, "faggot*"),
    e(Insult, "bastard*"),
    e(Insult, "idiot|idiots"),
    e(Insult, "moron|morons|moronic"),
    e(Insult, "imbecile*"),
    e(Insult, "cretin|cretins"),
    e(Insult, "retard|retards|retarded"), // not "fire retardant"
    e(Insult, "scumbag*"),
    e(Insult, "halfwit*|nitwit*|dimwit*|numbskull*|douchebag*"),
    // Bulgarian name-calling in Latin letters.
    e(Insult, "glupak|glupaka|glupaci|glupaka|glupachka|glupako"),
    e(Insult, "kreten*"),
    e(Insult, "debil*"),
    e(Insult, "tapanar*|tupanar*|tapak|tapaci"),
];
