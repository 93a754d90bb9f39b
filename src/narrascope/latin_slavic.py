"""Russian, Ukrainian and Belarusian written in Latin letters: told by their words and spelling, not by names.

Online, Russian and Ukrainian are often typed in Latin letters ("Ty tupoi idiot, eto vsyo nado ...") and
Belarusian is also written in its own Latin alphabet, Łacinka ("Što heta ŭsio značyć?"). A statistical
identifier trained on standard spellings reads many of these sentences as English. The rule here counts
the evidence in a sentence's words: function words that English does not have ("eto", "chto", "ochen",
"shcho", "heta", "ciapier"), spellings typical of transliteration ("zh", "kh", "shch", endings "-iy",
"-yy", "-ogo", "-iya", "-yu") and the letters of Łacinka (ŭ, and č / š / ž beside ł / ć / ś / ź / ń),
against the English function words of the same sentence. One name ("Lukashenka", "Zhukov") is never
enough: a sentence needs two pieces of evidence, a quarter of its words, and fewer English function
words than a third of them. A Polish sentence (w, ą, ę, ó, ż, rz, sz, cz) is not called Belarusian or
Russian: :func:`latin_slavic` says so, and the caller keeps the identifier's Polish or says ``sla-Latn``.
"""

from __future__ import annotations

import re

#: BCP-47 tags of what the rule tells apart, and what the analyst reads for each
NAMES = {"ru-Latn": "Russian in Latin letters", "uk-Latn": "Ukrainian in Latin letters",
         "be-Latn": "Belarusian in Łacinka, its Latin alphabet",
         "sla-Latn": "a Slavic language in Latin letters, which one not told"}
#: the code for Slavic text that is Polish-looking or whose language the words do not tell
SLAVIC = "sla-Latn"
POLISH = "pl"

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_ENTITY = re.compile(r"&#?\w+;")
RUSSIAN = frozenset("""
eto chto shto chtoby chtob ochen nado nuzhno zhe vsyo vsio vse vsem vsekh vsegda uzhe esli yesli tolko kak
kakoi kakoy kakaya kakie kakoe pochemu potomu kotoryi kotoryy kotoraya kotoroe kotorye kotoruyu kotorogo
kotorykh menya mne tebya sebya nikh ikh yego eyo yeyo nikto nichego nikogda nigde bylo byl
byla byli budet budut budem yest mozhno mozhet seichas seychas sejchas teper segodnya zavtra vchera khorosho
horosho plokho ploho blyad blyat bljad suka khuy khui huy pizdets pizdec nakhuy nahuy nahui tozhe takzhe
chem gde kogda kuda zdes vot ili dlya posle cherez mezhdu krome takoi takoy takaya takie svoi svoy svoego
svoyu moi moy moya moyo tvoi tvoy tvoya tvoyo nash nasha nashe nashi nashikh vash vasha etot eti etogo etoi
etoy etom etu kto kakoe privet spasibo pozhaluista pozhaluysta dumayu znayu khochu khochet mogu mozhesh
skazal skazala govorit govoryat poka yeshche eshche eshchyo nichto sovsem mudak debil durak goda pri nad snova
ves vsyo odin odna odno idi bez pered nashey nashim nashem nashu nashego svoimi svoikh protiv vmeste tol'ko
""".split())
UKRAINIAN = frozenset("""
shcho shchob tse tsey tsya tsi yakyi yakyy yaka yake yaki duzhe tezh takozh vona vono vony buv
bula bulo buly bude budut meni yoho yiyi yikh nym chy abo lyshe tilky tilki koly chomu tomu zaraz mozhe
treba dyakuyu nema nemaye maye mayut vsi usi khto nikhto nichoho shchos pislya yakshcho vzhe shche ponad vid zi
roku yikh usim vsim nashym nashoho torik proty kil'ka tsiyeyi tsyu
""".split())
BELARUSIAN = frozenset("""
što heta hety hetaja hetaje hetyja hetaha hetym hetaj hetak ciapier cipier jany jon jana jano jaho jaje
joj jaki jakaja jakoje jakija jakoha kali kab tolki jašče užo uzho taksama čamu chamu niama budzie budzieš
ŭsie ŭsio usio usie ciabie sabie praz pra tady kudy dzie ŭ tvoj tvaja tvajo majo
""".split())
#: Slavic words of more than one of these languages (and of Polish); never English words
SHARED = frozenset("ty vy ne nie tak oni ona ono nam nas vas v iz ot za po jak ja".split())
#: English function words, none of which is a word of the lists above
ENGLISH = frozenset("""
the and of is are was were that this with for you your he she it they we not have has had be been will
would can could what who which there their them his her our at by from as an or but if so all just about
like me him us its into than then when where why how because said says one out up more some should must
these those also after before get got im dont i'm don't it's there's very only even any other
""".split())
#: letters of the Łacinka alphabet: háček letters (also Czech, Croatian ...) and ł, ś, ź, ń (also Polish;
#: not ć, which Croatian shares); both kinds in one sentence, or ŭ, is Łacinka and no other alphabet
_HACEK, _ACUTE = set("čšž"), set("łśźń")
#: letters of Czech, Slovak, Croatian, Serbian, Slovene and Hungarian spelling that neither Łacinka nor the
#: transliterations use: such a sentence is left to the identifier
_OTHER = re.compile(r"[áéíýúěřůňťďľĺŕôäđő]")
_POLISH = re.compile(r"[ąęóż]|w|rz|sz|cz|\bsię\b")
_SPELLING = re.compile(r"shch|zh|kh|[bcdfghklmnprstvz](?:iy|yy|yi|ii)$|(?:ogo|ego|iya|aya|yu)$")
_RUSSIAN_SPELLING = re.compile(r"(?:ogo|ego|aya|iy|oye)$")
_LACINKA_SPELLING = re.compile(r"(?:aja|aje|oje|uju|yja)$")
#: the soft sign typed as an apostrophe: "pravitel'stvo", "nimets'ki", "pis'mo" (not "don't", "y'all")
_SOFT_SIGN = re.compile(r"[bcdfghklmnprstvz]['’]([a-z]{2,})")
_CONTRACTIONS = frozenset("ll re ve nt am er all em know".split())
#: a quick look over a whole text: the words (in lower case) and letters :func:`latin_slavic` counts as evidence
_HINT_WORDS = frozenset(w for w in RUSSIAN | UKRAINIAN | BELARUSIAN | SHARED if len(w) > 1)
_HINT_LETTERS = re.compile(r"[ŭčšžŬČŠŽ]|shch|zh|kh|(?:iy|yy|yi|ii|ogo|ego|iya|aya|yu|aja|aje|oje|uju|yja)(?![^\W\d_])")
_LOWER_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_A-Z]+(?![^\W\d_])")


def hinted(text: str) -> bool:
    """Whether ``text`` holds a word or letter that :func:`latin_slavic` counts as evidence: a fast screen
    (0.2 s for the 2 MB of PTC's 371 articles) before a text already known to be in another language is
    read sentence by sentence."""
    return _HINT_LETTERS.search(text) is not None or not _HINT_WORDS.isdisjoint(_LOWER_WORD.findall(text))


def _address(part: str) -> bool:
    """Whether a space-separated part of a sentence is a web address, a handle or a hashtag, not words."""
    return "://" in part or part.startswith(("www.", "@", "#", "pic.twitter"))


def spelled_in_lacinka(text: str) -> bool:
    """Whether ``text`` has letters that only the Łacinka alphabet has together: ŭ, or č / š / ž with ł / ś / ź / ń."""
    letters = set(text.lower())
    return "ŭ" in letters or bool(letters & _HACEK and letters & _ACUTE)


def _points(word: str, lower: bool) -> tuple[str, int] | None:
    """The language one word of a sentence points to (``""``: a Slavic one, not which) and how strongly;
    spellings count in words written in lower case only (a sentence's first word may be a name: "Nadiya")."""
    if "ŭ" in word:
        return "be", 2  # no other alphabet has ŭ
    spelled = lower and len(word) > 4
    if word in BELARUSIAN or not _HACEK.isdisjoint(word):
        return "be", 1
    if word in RUSSIAN or (spelled and _RUSSIAN_SPELLING.search(word)):
        return "ru", 1
    if word in UKRAINIAN:
        return "uk", 1
    soft = _SOFT_SIGN.search(word) if lower else None
    if soft and soft[1] not in _CONTRACTIONS:
        return "", 1
    if word in SHARED or (spelled and (_SPELLING.search(word) or _LACINKA_SPELLING.search(word))):
        return "", 1  # endings such as Łacinka's "-aja", "-uju" are Polish typed without its letters too
    return None


def evidence(text: str) -> tuple[int, int, int, dict[str, int]]:
    """How many words ``text`` has, how many pieces of Slavic evidence, how many English function words, and
    the evidence per language (``be``, ``ru``, ``uk``; ``""``: Slavic, not which)."""
    words = _WORD.findall(" ".join(part for part in _ENTITY.sub(" ", text).split() if not _address(part)))
    points = {"be": 0, "ru": 0, "uk": 0, "": 0}
    if _OTHER.search(text.lower()):
        return len(words), 0, 0, points
    shouted = not any(ch.islower() for ch in text)
    # a capitalised word inside a sentence is a name ("Jon", "Pravda"), never a function word
    counted = {w.lower(): w.islower() for n, w in enumerate(words)
               if shouted or w.islower() or (n == 0 and w[1:].islower())}
    for word, lower in counted.items():  # a word said twice ("po po") is one piece of evidence
        found = _points(word, lower)
        if found:
            points[found[0]] += found[1]
    return len(words), sum(points.values()), sum(w in ENGLISH for w in counted), points


def latin_slavic(text: str) -> str | None:
    """``ru-Latn``, ``uk-Latn``, ``be-Latn`` or ``sla-Latn`` when the words of ``text`` (one sentence, or a
    short comment) are those of a Slavic language written in Latin letters, ``pl`` when they are Slavic and
    Polish-looking (the caller asks the identifier), else ``None``: English, another language, or too
    little evidence."""
    words, found, english, points = evidence(text)
    if words < 2 or (not found and not spelled_in_lacinka(text)):
        return None
    lacinka = spelled_in_lacinka(text)
    if lacinka and not english:  # "Žyvie Biełaruś!": a slogan of two words, one of them a name
        return "be-Latn"
    if found < 2 or found * 4 < words or english * 3 >= found:
        return None
    if lacinka:
        return "be-Latn"
    if _POLISH.search(text.lower()):
        return POLISH
    be, ru, uk = points["be"], points["ru"], points["uk"]
    if be > max(ru, uk):
        return "be-Latn"
    if ru != uk:
        return "ru-Latn" if ru > uk else "uk-Latn"
    return SLAVIC
