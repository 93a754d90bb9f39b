"""Listing pages in extracted text: runs of headline + teaser blocks become items."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.evaluation.renderings import RENDERERS, available
from narrascope.model import item_spans, listing_body
from narrascope.readers import parse, parse_string
from narrascope.threads.listing import headline


def test_aggregator_page_of_fifteen_stories_is_a_listing(fixtures: Path) -> None:
    """Headline lines and teasers of one or two paragraphs, no bylines: 15 items, not an article."""
    (doc,) = parse(fixtures / "text" / "aggregator.txt")
    assert (doc.kind, doc.title, len(doc.items), doc.comments) == ("listing", "News roundup", 15, [])
    assert doc.items[0].title == "Opposition leader calls for new talks in Vilnius"
    assert doc.items[14].title == "Football club cancels match over safety fears"
    assert doc.items[2].text == (
        "At least twelve teachers in Grodno lost their jobs this week after they signed a letter protesting "
        "against the violence of August.\n\nThe education ministry said the dismissals were a matter for the "
        "schools themselves.")
    assert doc.items[1].text.startswith("Shipments through Lithuanian ports") and doc.items[1].url is None
    assert doc.body == listing_body(doc.items)
    spans = item_spans(doc.body, doc.items)
    assert len(spans) == 15 and doc.body[spans[3][0]:spans[3][1]].startswith("Railway strike ends after two days\n")


def test_date_lines_under_teasers_are_not_teaser_text(fixtures: Path) -> None:
    (doc,) = parse(fixtures / "text" / "listing.txt")
    assert [i.text for i in doc.items][:2] == [
        "Riot police blocked the approaches to Independence Square as protesters marched again.",
        "The four-hour meeting was reported by state media on Saturday evening."]
    assert "October" not in doc.body


def test_markdown_headline_links_are_kept() -> None:
    """html2text renders a front page's headlines as Markdown links: the item keeps the link."""
    page = "\n\n".join(f"## [{title}](https://news.example/{n})\n\n{teaser}" for n, (title, teaser) in enumerate([
        ("Strike committee meets in Zhodino", "The committee at the truck plant met again on Tuesday to plan."),
        ("Exiled editor returns to broadcasting", "The editor resumed a daily show from Warsaw, with a new team."),
        ("Court jails blogger for four years", "The blogger was convicted of organising mass disorder in May."),
    ]))
    (doc,) = parse_string(page, "front.md")
    assert doc.kind == "listing"
    assert [(i.title, i.url) for i in doc.items] == [
        ("Strike committee meets in Zhodino", "https://news.example/0"),
        ("Exiled editor returns to broadcasting", "https://news.example/1"),
        ("Court jails blogger for four years", "https://news.example/2")]


def test_article_with_subheadings_stays_an_article() -> None:
    """A lead of several paragraphs under the title: an article, however short its sections."""
    page = ("Minsk after the vote\n\nThe capital woke up to a changed city on Monday. Shops opened late, and the "
            "metro stations in the centre stayed closed until noon.\n\nBuses ran half empty along the avenue, "
            "and the police kept the squares clear of anyone who lingered.\n\nBy evening, the first crowds were "
            "gathering again near the stele.\n\n" + "\n\n".join(
                f"{head}\n{para}" for head, para in [
                    ("Queues at the banks", "People lined up to withdraw dollars before the rate moved again."),
                    ("Silence from the ministries", "No official commented on the night's events before noon."),
                    ("Calls for a general strike", "Opposition channels asked workers to stay at home from Tuesday."),
                ]))
    (doc,) = parse_string(page, "article.txt")
    assert (doc.kind, doc.items, doc.title) == ("article", [], "Minsk after the vote")


def test_two_blocks_are_not_a_listing() -> None:
    page = ("Strike committee meets in Zhodino\nThe committee at the truck plant met again on Tuesday.\n\n"
            "Court jails blogger for four years\nThe blogger was convicted of organising mass disorder.\n")
    (doc,) = parse_string(page, "two.txt")
    assert doc.kind == "article" and doc.items == []


def test_headline_shapes() -> None:
    assert headline("Railway strike ends after two days") == ("Railway strike ends after two days", None)
    assert headline("[Court jails blogger](https://x.example/a)") == ("Court jails blogger", "https://x.example/a")
    for line in ("The vote passed with only two abstentions.", "2. Don't forget to drink water", "Read more »",
                 "– Ali", "Prof. Carlos: E agora estamos aqui", "October 18, 2020"):
        assert headline(line) is None, line


@pytest.mark.parametrize("renderer", ["lynx", "w3m", "html2text", "inscriptis"])
@pytest.mark.parametrize("page", ["wordpress_category.html", "front_page.html"])
def test_renderings_of_listing_pages_give_the_html_readers_items(fixtures: Path, page: str, renderer: str) -> None:
    """What text browsers print for a front or category page is the same listing (trafilatura's text
    output drops the headlines, so it is no listing and is left out)."""
    if renderer not in available():
        pytest.skip(f"{renderer} is not installed (apt-get install {renderer}, or the test extra)")
    (html_doc,) = parse(fixtures / "html" / page)
    (doc,) = parse_string(RENDERERS[renderer]((fixtures / "html" / page).read_text(encoding="utf-8")), "page.txt",
                          reader="text")
    assert doc.kind == "listing"
    assert [i.title for i in doc.items] == [i.title for i in html_doc.items]
    assert [i.text.split()[:6] for i in doc.items] == [i.text.split()[:6] for i in html_doc.items]
    assert "Read more" not in doc.body and "Anna Petrova" not in doc.body


def test_lynx_references_give_the_headline_links() -> None:
    page = "\n".join([
        "   [1]Eastern Ledger", "", "   [2]", "", "Potash exports fall for a third month", "",
        "   Shipments through Lithuanian ports dropped by a fifth compared with the", "   spring, figures show.", "",
        "[3]Railway strike ends after two days", "", "   Workers at the Minsk depot returned on Wednesday after",
        "   management agreed to review overtime rules.", "",
        "[4]Moscow promises fresh loan tranche", "", "   The finance ministry in Moscow confirmed that another part",
        "   of the loan would arrive before the new year.", "", "References", "",
        "   1. file:///", "   2. https://ledger.example/economy/potash", "   3. https://ledger.example/society/railway",
        "   4. https://ledger.example/economy/loan"])
    (doc,) = parse_string(page, "lynx.txt")
    assert doc.kind == "listing" and doc.title == "Eastern Ledger"
    assert [(i.title, i.url) for i in doc.items] == [
        ("Potash exports fall for a third month", "https://ledger.example/economy/potash"),
        ("Railway strike ends after two days", "https://ledger.example/society/railway"),
        ("Moscow promises fresh loan tranche", "https://ledger.example/economy/loan")]
    assert doc.items[0].text == ("Shipments through Lithuanian ports dropped by a fifth compared with the\n"
                                 "spring, figures show.")


@pytest.mark.shared
@pytest.mark.slow
def test_renderings_of_news_articles_are_no_listings(shared_data: Path) -> None:
    """Precision on real pages: no rendering of an extraction-benchmark article reads as a listing."""
    import gzip

    from narrascope.threads.text import parse_text_page

    pages = sorted((shared_data / "extraction" / "html").glob("*.html.gz"))
    assert len(pages) >= 100
    for name in [r for r in ("lynx", "w3m", "html2text", "inscriptis") if r in available()]:
        for path in pages:
            text = RENDERERS[name](gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
            assert parse_text_page(text, str(path)).kind != "listing", (name, path.name)


def test_article_with_a_byline_above_short_sections_stays_an_article() -> None:
    """A byline under the title belongs to one article: its question headings are sections, not stories."""
    page = ("Belarus protests explained in four questions\n\nBy Anna Petrova\nAugust 20, 2020\n\n" + "\n\n".join(
        f"{head}\n{para}" for head, para in [
            ("What happened after the election", "Official results gave the incumbent eighty percent of the vote, "
             "and people took to the streets that same night in many cities."),
            ("Who is leading the protests", "There is no single leader; the movement is organised through "
             "Telegram channels and local chats in every district of the capital."),
            ("How did the authorities respond", "Police detained about seven thousand people in the first days, "
             "and many of them reported beatings in detention centres."),
        ]))
    (doc,) = parse_string(page, "explainer.txt")
    assert (doc.kind, doc.items, doc.title) == ("article", [], "Belarus protests explained in four questions")


def test_article_whose_lead_is_two_paragraphs_stays_an_article() -> None:
    """The title at the top with a lead longer than any section under it: an article, not a first story."""
    page = ("Why the strike at the tractor plant matters\n\nThe strike at the Minsk Tractor Works is the first "
            "open labour protest in the country for decades. For a state that built its legitimacy on stable "
            "industrial jobs, the sight of workers walking out is a serious blow.\n\nThe plant employs about "
            "seventeen thousand people and is a symbol of the Soviet-era economy that the government has kept "
            "alive with subsidies.\n\n" + "\n\n".join(f"{head}\n{para}" for head, para in [
                ("The workers' demands", "They want new elections, the release of detained protesters and an end "
                 "to police violence in the streets of the capital."),
                ("The management's answer", "Directors threatened dismissals and sent riot police to the factory "
                 "gates, but several hundred workers kept gathering every morning."),
                ("What happens next", "Union leaders say the strike could spread to other large plants in the "
                 "coming weeks if the demands are not met by then."),
            ]))
    (doc,) = parse_string(page, "article.txt")
    assert (doc.kind, doc.items, doc.title) == ("article", [], "Why the strike at the tractor plant matters")
