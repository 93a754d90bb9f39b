"""The 14 PTC techniques in words: a definition and a short example of each (examples written for narrascope).

Definitions paraphrase the annotation guidelines of the Propaganda Techniques Corpus
(Da San Martino et al., SemEval-2020 Task 11); the examples are invented, not taken from the corpus.
"""

from __future__ import annotations

from narrascope.pipeline.component import Label

PTC = ("Da San Martino et al. (2020), SemEval-2020 Task 11: Propaganda Techniques Corpus annotation guidelines "
       "(propaganda.qcri.org)")


def _label(name: str, definition: str, example: str) -> Label:
    return Label(name, definition, example, PTC)


TECHNIQUE_LABELS: tuple[Label, ...] = (
    _label("Appeal_to_Authority", "A claim is presented as true only because an authority or expert said so, "
           "with no other evidence.", "“Leading economists all agree the sanctions have already failed.”"),
    _label("Appeal_to_fear-prejudice", "Support for an idea is sought by stirring up fear or panic about the "
           "alternative, or by playing on the audience's prejudices.",
           "“If the border opens, our towns will be overrun within a month.”"),
    _label("Bandwagon,Reductio_ad_hitlerum", "Bandwagon: join in because everyone else already has. Reductio ad "
           "Hitlerum: reject an idea because a hated group is said to hold it.",
           "“Every sensible citizen has already signed.” / “Only extremists support this law.”"),
    _label("Black-and-White_Fallacy", "Two options are presented as the only possible ones when more exist (in "
           "its extreme form, only one option is left).",
           "“Either you stand with the government or you stand with the rioters.”"),
    _label("Causal_Oversimplification", "One cause is given for an outcome that has several, or one party is "
           "blamed for a complex problem.", "“Fuel prices rose because of the protesters.”"),
    _label("Doubt", "The credibility of a person, an organisation or a statement is questioned, often without "
           "saying why.", "“Can we really trust a minister who changed his story three times?”"),
    _label("Exaggeration,Minimisation", "Something is made to look much larger, better or worse than it is, or "
           "much less important than it is.", "“The biggest crowd this square has ever seen.” / "
           "“a few isolated incidents”"),
    _label("Flag-Waving", "Strong national or group feeling is used to justify or promote an action or an idea.",
           "“No true patriot would question our soldiers.”"),
    _label("Loaded_Language", "Words or phrases with strong emotional weight, chosen to sway the reader rather "
           "than to describe.", "“a gang of bloodthirsty thugs”"),
    _label("Name_Calling,Labeling", "The target is given a label the audience fears, despises or, for one's own "
           "side, admires.", "“the Kremlin's puppets”, “foreign agents”"),
    _label("Repetition", "The same message is repeated again and again so that the audience comes to accept it.",
           "“It is a lie. A lie from the first word to the last. A lie.”"),
    _label("Slogans", "A brief, striking phrase that works as an emotional appeal, often with labelling or "
           "stereotyping.", "“No peace without victory!”"),
    _label("Thought-terminating_Cliches", "A short, generic phrase that ends discussion and discourages critical "
           "thought.", "“It is what it is.” / “That is just how things are.”"),
    _label("Whataboutism,Straw_Men,Red_Herring", "The opponent is discredited by a charge of hypocrisy "
           "(whataboutism), refuted on a position they never took (straw man), or the topic is changed to "
           "something irrelevant (red herring).", "“And what about the riots in their own capital?”"),
)
