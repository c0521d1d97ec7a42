"""A generated news feed in the shape of a real firehose, written for this project.

About 90% of the articles are about something else (sport, markets, crime, culture, weather,
tech, travel, energy bills, courts), including look-alikes of the event types (a mountain
summit, an electricity tariff, a defence lawyer, a business summit, a traded player); 10% carry
events: the labelled articles of ``data/corpus`` padded with off-topic paragraphs, the event
at the top or in the middle. Lengths are drawn between 600 and 1,500 words. Every sentence
template is of this project's writing; slots are filled from small lists, seeded, so a feed is
the same on every run.
"""
from __future__ import annotations

import random
from typing import Iterator

from newsevents.evaluation.corpus import corpus_path, heldout_rows, read_jsonl

_FILL = {
    "team": ["the Harbour Rovers", "Northfield United", "the Valley Kings", "Eastport City", "the Mill Lane Blues",
             "Riverside Athletic", "the Coast Hawks", "Old Town Wanderers"],
    "player": ["Tomas Brandt", "Ines Okafor", "Luka Varga", "Maya Lindqvist", "Sam Whitcombe", "Ana Ferreira",
               "Jonah Pike", "Kofi Mensah"],
    "person": ["Clara Holm", "David Ng", "Priya Raman", "Oskar Wendt", "Helen Marsh", "Ruben Costa", "Amira Haddad",
               "Felix Bauer"],
    "company": ["Brightwell Systems", "Norland Foods", "Kestrel Motors", "Aldgate Insurance", "Pinecrest Retail",
                "Solent Water", "Quarry Lane Media", "Tiderun Logistics"],
    "place": ["Millbrook", "Ashford Vale", "Port Selwyn", "Granton", "Hollins Cross", "Easterby", "Caldmoor",
              "Wetherden"],
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "peak": ["Mount Corran", "the Grey Tooth", "Ben Ardlaw", "the Kessel Horn", "Pic d'Arvel"],
}

# Sentences by section; {n} is a small number, {pct} a percentage, the rest from _FILL.
SECTIONS = {
    "sport": [
        "{team} came from behind to beat {team} 3-2 on {day} in front of a full stadium.",
        "{player} scored twice in the second half and was named player of the match.",
        "The coach said after the game that his side had finally found its rhythm.",
        "The defence held firm for most of the afternoon before a late lapse cost them the lead.",
        "{player} has been traded to {team} in exchange for two young prospects and a draft pick.",
        "Ticket sales for the season are up {pct} percent on last year, the club said.",
        "The referee showed {n} yellow cards in a bad-tempered second half.",
        "Fans queued outside the ground for hours to see the new signing train for the first time.",
        "The injury leaves the side without its captain for at least {n} weeks.",
        "A spokesman for the league said the fixture list would be published on {day}.",
        "The goalkeeper made a string of saves to keep the visitors in the game.",
        "Their next match is away at {team}, who have not lost at home since the spring.",
    ],
    "markets": [
        "Shares in {company} rose {pct} percent after the company raised its profit forecast.",
        "The main index closed {pct} percent higher, led by banks and energy stocks.",
        "Investors weighed fresh figures on inflation and the outlook for interest rates.",
        "Bond yields edged lower as traders priced in a rate cut before the end of the year.",
        "{company} said quarterly revenue grew to {n} billion, ahead of analysts' estimates.",
        "The currency slipped against the dollar in thin trading ahead of the holiday.",
        "Analysts at several brokers upgraded the stock, citing strong demand for its products.",
        "Oil prices fell for a third day on signs that stockpiles are rising faster than expected.",
        "The company will pay a special dividend and buy back shares worth {n} million.",
        "Trading volumes were light, with many investors away for the summer.",
        "The chief executive told analysts that costs would stay under control this year.",
        "Smaller companies lagged the wider market as borrowing costs stayed high.",
    ],
    "crime": [
        "Police in {place} arrested a {n}-year-old man on {day} after a break-in at a jewellery shop.",
        "The defence lawyer told the court that her client had been at home on the night in question.",
        "The jury heard evidence from {n} witnesses during the first week of the trial.",
        "Detectives are appealing for anyone who saw a dark van near the station to come forward.",
        "The judge adjourned the hearing until {day} to allow the defence to examine new evidence.",
        "Officers recovered stolen goods worth several thousand pounds from a garage in {place}.",
        "{person} denies all charges and is expected to give evidence next week.",
        "The prosecution said the accused had planned the robbery for several months.",
        "A spokeswoman for the police said inquiries were continuing and urged calm.",
        "The defendant was remanded in custody and will appear again at the end of the month.",
        "Neighbours described hearing shouting shortly before midnight.",
        "The court was told the car had been driven at high speed through a residential street.",
    ],
    "culture": [
        "The festival in {place} opens on {day} with a programme of more than {n} concerts.",
        "{person}'s new novel follows three sisters who inherit a crumbling seaside hotel.",
        "Critics praised the production for its spare staging and its fierce lead performance.",
        "The museum has acquired a rare set of prints that will go on display in the autumn.",
        "The director said the film took {n} years to finance and only six weeks to shoot.",
        "Tickets for the opening night sold out within an hour of going on sale.",
        "The exhibition brings together paintings that have never been shown side by side.",
        "The orchestra will tour {n} cities next spring with a programme of new commissions.",
        "{person} won the prize for a debut collection of short stories set in small towns.",
        "The theatre reopens after a two-year restoration that uncovered its original ceiling.",
        "Visitors can book guided tours of the gardens at weekends throughout the summer.",
        "The band's first album in a decade is due out at the end of the month.",
    ],
    "weather": [
        "Forecasters expect heavy rain across the north on {day}, with flooding possible in low areas.",
        "Temperatures will climb to {n} degrees by the weekend, well above the seasonal average.",
        "The weather service issued a yellow warning for wind along exposed coasts.",
        "Morning fog will clear slowly, leaving a bright but chilly afternoon.",
        "Farmers in {place} said the dry spell had already cut the yield of early crops.",
        "Gusts of up to {n} kilometres an hour brought down trees and power lines overnight.",
        "Showers will turn to snow over high ground later in the week.",
        "The long-range outlook suggests a settled spell towards the end of the month.",
        "Drivers were urged to allow extra time for journeys because of surface water.",
        "Rainfall in the last month was {pct} percent above the average for the time of year.",
    ],
    "tech": [
        "{company} unveiled a new laptop with a longer battery life and a brighter screen.",
        "Speakers at the technology summit in {place} showed off tools for writing software faster.",
        "The start-up raised {n} million in a funding round led by two venture firms.",
        "The update fixes a security flaw that let attackers read messages on older phones.",
        "Developers can try the new features in a test version released on {day}.",
        "The company said its cloud business grew by {pct} percent in the last quarter.",
        "Chief executives of several software firms gathered at the industry summit to discuss new products.",
        "Regulators are looking into how the app collects data about its younger users.",
        "The chip maker expects supply to stay tight until the middle of next year.",
        "Reviewers praised the camera but said the phone was too expensive for most buyers.",
        "The firm will open a new research centre in {place} with room for {n} engineers.",
        "Users reported outages for several hours before the service was restored.",
    ],
    "mountains": [
        "The climbers reached the summit of {peak} at dawn after a night of strong winds.",
        "Rescue teams brought down two hikers who were stranded near the summit in thick cloud.",
        "The route to the summit crosses a glacier that has shrunk sharply in recent years.",
        "Guides warned that the path above the hut is icy and should not be tried without crampons.",
        "{person} became the youngest climber to stand on the summit of all five peaks in the range.",
        "The mountain hut at the foot of {peak} reopens for the season on {day}.",
        "The final ridge took the team {n} hours, longer than planned because of fresh snow.",
        "Walkers are asked to stay on marked trails to protect the fragile alpine plants.",
        "Views from the top stretch across three valleys on a clear day.",
        "The mountaineering club has raised money to repair the fixed ropes on the north face.",
    ],
    "energy_bills": [
        "The regulator approved a new electricity tariff that will raise bills for most households.",
        "Customers on the standard tariff will pay about {n} more a year from the spring.",
        "{company} launched a cheaper night-time tariff for owners of electric cars.",
        "Consumer groups said the rise in network charges would hit families on low incomes hardest.",
        "The water company said its tariffs would rise by {pct} percent to pay for new pipes.",
        "Households can switch to a fixed tariff to protect themselves from further rises.",
        "The energy minister said help with bills would continue through the winter.",
        "Suppliers blamed higher wholesale gas prices for the increase.",
        "The mobile operator cut the price of its data tariff for customers under twenty-five.",
        "Meter readings show that homes used {pct} percent less power than a year ago.",
    ],
    "business_summit": [
        "The president opened an investment summit in {place} and pitched new projects to chief executives.",
        "Business leaders and investors gathered at the economic forum to hear about new deals.",
        "The summit brought together founders, bankers and officials from the regional development agency.",
        "{company} announced a partnership with a local university on the sidelines of the forum.",
        "Organisers said {n} thousand delegates had registered, a record for the event.",
        "Panels at the business summit covered supply chains, hiring and green energy.",
        "The chamber of commerce said the meeting produced pledges worth {n} million.",
        "Delegates toured a new logistics park on the last day of the conference.",
        "The company's president met shareholders to explain the new strategy.",
        "The board of directors met on {day} to discuss the proposed merger.",
    ],
}
LOOK_ALIKES = ("mountains", "energy_bills", "business_summit")
# How often each section leads an off-topic article: the look-alikes are a minority, as in a real feed.
WEIGHTS = {"sport": 20, "markets": 20, "crime": 12, "culture": 12, "weather": 8, "tech": 12, "mountains": 4,
           "energy_bills": 6, "business_summit": 6}
HEADLINES = {
    "sport": "{team} beat {team} in a late comeback", "markets": "Shares in {company} climb on forecast",
    "crime": "Trial hears from witnesses in {place} robbery case", "culture": "Festival in {place} opens its doors",
    "weather": "Wet and windy weekend ahead for {place}", "tech": "{company} shows off new devices",
    "mountains": "Climbers reach the summit of {peak}", "energy_bills": "Households face higher electricity tariff",
    "business_summit": "Investment summit in {place} draws business leaders",
}


def _fill(template: str, rng: random.Random) -> str:
    values = {k: rng.choice(v) for k, v in _FILL.items()}
    return template.format(n=rng.randint(2, 40), pct=round(rng.uniform(0.5, 12.0), 1), **values)


def _paragraph(section: str, rng: random.Random) -> str:
    return " ".join(_fill(s, rng) for s in rng.sample(SECTIONS[section], rng.randint(3, 5)))


def _pad_to(words: int, sections: list[str], rng: random.Random, have: int = 0) -> list[str]:
    paragraphs = []
    while have < words:
        p = _paragraph(rng.choice(sections), rng)
        paragraphs.append(p)
        have += len(p.split())
    return paragraphs


def offtopic_article(i: int, rng: random.Random) -> dict:
    """A 600-1,500-word article of one section, with paragraphs of related sections mixed in."""
    section, other = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()), k=2)
    words = rng.randint(600, 1500)
    main = [_paragraph(section, rng) for _ in range(3)]
    text = "\n\n".join(main + _pad_to(words, [section, section, other], rng, sum(len(p.split()) for p in main)))
    tags = ["hard_negative", section] if section in LOOK_ALIKES else [section]
    return {"id": f"feed-{i:06d}", "title": _fill(HEADLINES[section], rng), "text": text, "labels": [],
            "tags": tags, "source": "firehose-bench"}


def ontopic_article(i: int, row: dict, rng: random.Random) -> dict:
    """A labelled corpus article padded to 600-1,500 words: its text first (as news puts it), or
    after a few off-topic paragraphs (an event buried in a long piece)."""
    words = rng.randint(600, 1500)
    padding = _pad_to(max(0, words - len(row["text"].split())), rng.sample(list(SECTIONS), 3), rng)
    at = 0 if rng.random() < 0.6 else min(len(padding), rng.randint(1, 4))
    text = "\n\n".join(padding[:at] + [row["text"]] + padding[at:])
    return {**row, "id": f"feed-{i:06d}-{row['id']}", "text": text, "url": None, "source": "firehose-bench",
            "tags": sorted(set(row.get("tags", [])) | {"event"})}


def feed(n: int, on_topic_share: float = 0.1, seed: int = 18) -> Iterator[dict]:
    """``n`` articles, about ``on_topic_share`` of them carrying events, in a shuffled order."""
    rng = random.Random(seed)
    # The held-out lines the feed was first measured with, so that throughput stays comparable.
    labelled = [r for r in read_jsonl(corpus_path("train")) + heldout_rows(first_only=True) if r.get("labels")]
    for i in range(n):
        if rng.random() < on_topic_share:
            yield ontopic_article(i, labelled[rng.randrange(len(labelled))], rng)
        else:
            yield offtopic_article(i, rng)
