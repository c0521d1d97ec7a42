"""Writes the sentence corpus the sentence head is trained on: data/sentences/<label>.jsonl.

Every frame below is our own phrasing (no published sentence is copied); the slots are filled from
the actor knowledge base (current heads of state and government, demonyms, capitals, seats of
government), from lists of places, days, goods and figures, with a fixed seed, so the output is the
same on every run::

    python tools/sentence_corpus.py            # rewrites data/sentences/*.jsonl

Each line is ``{"text", "label", "kind"}``: ``label`` is summit, tariff, defense_spending or none;
``kind`` says what the sentence is (``report``: an article's sentence reporting the event; ``brief``:
a one-sentence item that says it all; ``lookalike``: the type's words without the event, a business
summit, an electricity tariff, a company budget; ``unreal``: a meeting, duty or budget that was denied,
only wished for or argued about; ``mention``: a passing reference or background; ``context``: the
sentences around an event that do not report it; ``offtopic``).
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsevents.actors.knowledge import knowledge_base  # noqa: E402

PER_FRAME = 9  # sentences drawn from each frame (distinct fillings)
SEED = 20261206

OFFICES = {"president": "President", "prime_minister": "Prime Minister", "chancellor": "Chancellor",
           "king": "King", "premier": "Premier", "emir": "Emir", "sultan": "Sultan"}


def leaders():
    kb = knowledge_base()
    out = []
    for p in kb.people:
        for t in p.terms:
            if t.end is None and t.role in ("S", "G", "SG") and t.code in kb.countries and t.office in OFFICES:
                c = kb.countries[t.code]
                if not c.demonyms:
                    continue
                out.append({"name": p.name, "surname": ([v for v in p.variants if len(v.split()) == 1]
                                                        or [p.name.split()[-1]])[0],
                            "title": OFFICES[t.office], "dem": c.demonyms[0], "country": c.name,
                            "capital": c.capital, "seat": (c.metonyms or (c.capital,))[0]})
    return out


DAYS = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday",
        "last week", "this week", "on 12 March", "on 3 June", "on 28 September", "earlier today", "late on Tuesday",
        "on the eve of the holiday", "on 9 November"]
TOPICS = ["trade and energy", "the war in Ukraine", "migration", "critical minerals", "security in the Gulf",
          "climate finance", "a new gas pipeline", "debt relief", "port investment", "visa rules", "Gaza",
          "semiconductor supply chains", "fishing rights", "a border dispute", "grain exports", "nuclear power"]
GOODS = ["steel", "aluminium", "electric vehicles", "solar panels", "soybeans", "French wine", "cars", "semiconductors",
         "softwood lumber", "dairy products", "rice", "whisky", "motorcycles", "washing machines", "pork", "furniture",
         "pharmaceuticals", "copper", "textiles", "shrimp", "ceramic tiles", "beef", "orange juice", "drones"]
RATES = ["25%", "10 per cent", "15 percent", "50%", "a 34% rate", "7.5 percent", "100%", "20 per cent", "35%",
         "an extra 12%", "30 percent", "45%"]
BILLIONS = ["$300 billion", "$18 billion", "€4 billion", "$50 billion", "£2.1 billion", "$200 billion",
            "$7 billion", "€21 billion"]
SPEND = ["61 trillion won", "$850 billion", "€90 billion", "£64 billion", "8.1 trillion yen", "1.9 trillion rupees",
         "NOK 100 billion", "A$55 billion", "C$40 billion", "€53 billion", "86 billion zloty", "$28 billion",
         "1.67 trillion yuan", "SEK 170 billion", "€8 billion"]
SHARES = ["2% of GDP", "2.5 per cent of gross domestic product", "3.5% of economic output", "5% of GDP",
          "3 percent of national income", "4.1% of GDP"]
YEARS = ["next year", "for 2026", "in 2027", "over the next five years", "by 2030", "for the coming fiscal year",
         "over the next decade", "this year", "for 2026-27"]
FIRMS = ["Siemens", "Unilever", "a regional bank", "the retailer", "Toyota", "the airline", "Netflix", "a mining group",
         "the football club", "the university", "Nestle", "a start-up", "the city council", "Samsung", "the charity"]
CITIES = ["Lisbon", "Dubai", "Austin", "Singapore", "Davos", "Milan", "Nairobi", "Seoul", "Berlin", "Toronto",
          "Cape Town", "Osaka", "Dublin", "Sao Paulo", "Barcelona"]
ORGS = ["NATO", "G7", "G20", "ASEAN", "BRICS", "African Union", "European Union", "Shanghai Cooperation Organisation",
        "APEC", "Commonwealth", "Arab League", "Quad"]
TRADERS = ["the United States", "Washington", "the European Union", "Brussels", "China", "Beijing", "India", "Canada",
           "Ottawa", "Mexico", "Japan", "Tokyo", "Britain", "Turkey", "Brazil", "Australia", "Indonesia", "South Africa",
           "the Trump administration", "the EU", "New Delhi", "the Commerce Ministry", "the US"]
SPENDERS = ["Germany", "Poland", "Japan", "South Korea", "Seoul", "India", "Britain", "France", "Australia", "Canada",
            "Norway", "Sweden", "Taiwan", "the Netherlands", "Lithuania", "Italy", "Spain", "Finland", "Berlin",
            "Warsaw", "Tokyo", "the Philippines", "Romania", "Denmark"]
PARLIAMENTS = ["parliament", "the cabinet", "lawmakers", "the Bundestag", "the Diet", "the Sejm", "the government",
               "the National Assembly", "the House of Representatives", "Congress", "the Storting", "the Knesset"]

# ---- frames: {A}, {B} leaders (full forms), {a}, {b} short forms, {dem}/{demb} their adjectives, -------
# {cap} a capital, {seat} a seat of government, {day}, {topic}, {org}, {city}, ...
SUMMIT_REPORT = [
    "{A} met {B} in {cap} {day}.",
    "{A} held talks with {B} in {cap} {day}, focusing on {topic}.",
    "{A} welcomed {B} to {seat} {day} for talks on {topic}.",
    "{A} hosted {B} at {seat} {day}.",
    "{A} received {B} in {capa} {day} with full military honours.",
    "{A} and {B} met on the sidelines of the {org} summit {day}.",
    "The two leaders discussed {topic} during a meeting in {cap} {day}.",
    "{a} sat down with {b} for more than two hours {day}, officials said.",
    "{a} and {b} agreed to deepen cooperation on {topic} after talks in {cap}.",
    "{A} arrived in {capb} {day} for a two-day state visit and talks with {B}.",
    "{a} travelled to {capb} {day} to meet {b}, his first trip abroad since taking office.",
    "Leaders of the {org} gathered in {cap} {day} for their annual summit.",
    "{org} leaders opened a two-day summit in {cap} {day}, with {topic} at the top of the agenda.",
    "The {org} summit in {cap} ended {day} with a joint statement on {topic}.",
    "{A} will meet {B} in {cap} next week, the foreign ministry said.",
    "{a} is due to visit {capb} next month for talks with {b}.",
    "{A} and {B} signed a declaration on {topic} after their meeting in {cap}.",
    "Talks between the two presidents in {cap} lasted longer than planned.",
    "{a} and {b} held a bilateral meeting {day} on the margins of the {org} gathering.",
    "At the White House {day}, {a} and {b} discussed {topic}.",
    "{B} was welcomed by {A} at the airport in {cap} {day}.",
    "{a} hosted {dem2} and {dem3} leaders in {capa} {day} for a three-way summit on {topic}.",
    "The {dem} and {demb} leaders met {day} for the first time since {b} took office.",
    "The {dem} prime minister met the {demb} president in {cap} {day}.",
    "{A} paid an official visit to {capb} {day}, where {b} greeted him.",
    "In {cap}, {a} and {b} pledged to double trade by 2030.",
    "{a} wrapped up a three-nation tour {day} with talks with {b} in {cap}.",
    "{A} held a phone call with {B} {day} to discuss {topic}.",
    "Heads of state and government met in {cap} {day} for the {org} summit.",
    "{a} flew to {capb} {day} for a summit with {b}.",
    "{A} and {B} shook hands in front of cameras in {cap} before closed-door talks {day}.",
    "{a} met {b} on {day2} in the first summit between the two countries in a decade.",
    "{a}'s talks with {b} in {cap} produced agreements on {topic}.",
    "{A}, hosting {B} at {seat}, said the two countries would work together on {topic}.",
    "{B} began a state visit to {country} {day} and was received by {A}.",
    "{A} and {B} are scheduled to meet in {cap} later this month.",
    "The summit between {a} and {b} was postponed {day} amid a row over {topic}.",
    "{dem} and {demb} leaders agreed in {cap} to resume direct flights.",
    "{a} called on {b} at his residence in {cap} {day}.",
    "A summit of {org} leaders in {cap} agreed {day} to step up efforts on {topic}.",
    "{a} held a working lunch with {b} {day} in {cap}.",
    "{A} hosted a dinner for {org} leaders in {cap} {day} at the start of the summit.",
    "{a} and {b} met again {day}, their second encounter in a month.",
    "Meeting in {cap} {day}, the two leaders vowed to cooperate on {topic}.",
    "{a} will travel to {capb} on {day2} for a summit with {b}, aides said.",
    "{A} said after meeting {B} that the talks had been frank and useful.",
    "{a} was the first foreign leader {b} received after the election.",
    "{A} and {B} held their first face-to-face talks {day} in {cap}.",
]
SUMMIT_BRIEF = [
    "{A} met {B} in {cap} {day}.",
    "{A} and {B} held talks in {cap} {day}.",
    "The {dem} prime minister met the {demb} prime minister in {cap} {day}.",
    "The {dem} president received the {demb} president in {capa} {day}.",
    "{a} hosts {b} in {capa}.",
    "{a}, {b} meet in {cap} on {topic}.",
    "{org} leaders meet in {cap} {day}.",
    "{A} to visit {capb} for talks with {B}.",
    "{dem} leader visits {capb}, meets {b}.",
    "{A} welcomed {B} to {capa} {day}.",
    "{a} and {b} hold summit in {cap}.",
    "BREAKING: {a} meets {b} in {cap}.",
]
SUMMIT_NONE = [  # (kind, frame)
    ("lookalike", "The {city} tech summit drew more than 5,000 founders {day}."),
    ("lookalike", "Executives met investors at the annual business summit in {city} {day}."),
    ("lookalike", "Climbers reached the summit of Everest {day} after a week of bad weather."),
    ("lookalike", "The investment summit in {city} ended with pledges worth {bn}."),
    ("lookalike", "The chief executive of {firm} met shareholders in {city} {day}."),
    ("lookalike", "Foreign ministers of the two countries met in {cap} {day} to prepare the ground."),
    ("lookalike", "Trade officials held talks in {city} {day} on customs procedures."),
    ("lookalike", "The two teams met in the final in {city} {day}."),
    ("lookalike", "{firm} held talks with unions {day} over pay."),
    ("lookalike", "Central bankers gathered in {city} {day} for their annual conference."),
    ("lookalike", "The board of {firm} met {day} to approve the merger."),
    ("lookalike", "Opposition leaders met in {city} {day} to agree a joint candidate."),
    ("lookalike", "The AI summit in {city} brought together researchers and start-ups {day}."),
    ("lookalike", "The band's world tour will visit {city} in June."),
    ("lookalike", "Health ministers of the region gathered in {city} {day}."),
    ("lookalike", "The mayor of {city} welcomed tourists to the new museum {day}."),
    ("lookalike", "A youth summit on climate was held in {city} {day}."),
    ("lookalike", "Negotiators met in {city} {day} for a fifth round of technical talks."),
    ("lookalike", "Fans welcomed the team back to {city} {day}."),
    ("lookalike", "{firm} hosted its developer summit in {city}, unveiling three new products."),
    ("unreal", "{a} said he had no plans to meet {b}."),
    ("unreal", "Officials denied reports that {a} had secretly met {b}."),
    ("unreal", "Analysts doubt that {a} and {b} will ever sit down together."),
    ("unreal", "A meeting between {a} and {b} is not on the cards, a spokesman said."),
    ("unreal", "{a} ruled out talks with {b} as long as the fighting continues."),
    ("unreal", "Whether the two leaders would meet remained unclear."),
    ("opinion", "A summit between {a} and {b} would do little to end the dispute, the editorial argued."),
    ("opinion", "Summits rarely solve anything, but they keep leaders talking."),
    ("opinion", "In my view, the leaders should meet before the crisis deepens."),
    ("opinion", "Critics say the endless round of summits has produced more photographs than results."),
    ("mention", "Since the Geneva summit of 1985, arms control has come and gone."),
    ("mention", "The {org} was founded decades ago to coordinate policy among its members."),
    ("mention", "{a} has been in office since 2022."),
    ("mention", "{a} is known for long speeches."),
    ("mention", "The {org} secretariat is based in {city}."),
    ("context", "Security was tight in {cap}, where roads were closed for the visit."),
    ("context", "Protesters gathered outside the venue with banners."),
    ("context", "It is the first visit by a {dem} head of state in more than a decade."),
    ("context", "The relationship has been strained since a dispute over {topic}."),
    ("context", "Trade between the two countries reached {bn} last year."),
    ("context", "Reporters were not allowed to ask questions."),
    ("context", "{a}'s spokesman said the agenda would include {topic}."),
    ("context", "The previous meeting of the two leaders took place two years ago."),
    ("context", "{a} later posted photographs of the dinner on social media."),
    ("context", "{a} returns to {capa} on {day2}."),
    ("context", "{a} told a joint news conference that the two countries had chosen dialogue over confrontation."),
    ("context", "Officials said the two leaders were expected to discuss {topic}."),
    ("context", "{a} also laid a wreath at a war memorial and toured a factory."),
    ("context", "The visit is the {dem} leader's third abroad this year."),
    ("context", "A joint statement is expected at the end of the visit."),
    ("context", "Ministers from both sides signed six agreements on {topic}."),
    ("context", "The talks come a month after a row over {topic} soured ties."),
]

TARIFF_REPORT = [
    "{T} imposed tariffs of {rate} on imports of {good} {day}.",
    "{T} slapped duties of {rate} on {good} from {T2}.",
    "{T} will impose a {rate} tariff on {good} from {T2} starting next month.",
    "{T} raised tariffs on {bn} of {good} imports from {T2} to {rate}.",
    "{T2} retaliated {day} with tariffs of {rate} on {good}.",
    "{T} announced anti-dumping duties of up to {rate} on {good} from {T2}.",
    "{T} hit {good} from {T2} with a {rate} levy {day}.",
    "The new duties on {good} from {T2} took effect {day}.",
    "{T} threatened to impose {rate} tariffs on {good} if talks fail.",
    "{T} doubled its tariff on {good} to {rate} {day}.",
    "{T} said it would levy countervailing duties on {good} from {T2}.",
    "Customs authorities in {T} began collecting a {rate} duty on {good} {day}.",
    "{A} signed an order raising tariffs on {good} to {rate}.",
    "{T} responded to the measure by raising duties on {good} from {T2}.",
    "{T} extended its safeguard tariffs on {good} for another three years.",
    "{T} scrapped its tariffs on {good} from {T2} {day} as part of a truce.",
    "{T} cut tariffs on {good} to {rate} under a new trade deal with {T2}.",
    "{T} launched an anti-dumping investigation into {good} from {T2} {day}.",
    "{T} slapped a {rate} import tax on {good} {day}.",
    "{T} placed provisional duties of {rate} on {good} made in {T2}.",
    "Import duties of {rate} on {good} from {T2} will come into force on 1 July.",
    "{T} is set to hike tariffs on {good} to {rate}, officials said.",
    "{A} announced sweeping tariffs of {rate} on all imports from {T2}.",
    "{T} suspended planned tariffs on {good} from {T2} for 90 days.",
    "{T} added {rate} duties on {bn} worth of {good} in retaliation.",
    "{T} will charge a {rate} levy on {good} shipped from {T2} from next month.",
    "{T} confirmed definitive duties on {good} after a year-long investigation.",
    "{T} fired back with tariffs on {good} and {good2}.",
    "{T} raised import duties on {good} to protect local producers {day}.",
    "{T} exempted {good} from the {rate} tariffs it imposed on {T2} last month.",
    "{T} will slap {rate} duties on {good} from {T2}, the trade ministry said.",
    "Under the order, {good} from {T2} face tariffs of {rate}.",
    "{T} approved a {rate} tariff on {good}, a move aimed at {T2}.",
    "The tariffs, of {rate} on {good} and {good2}, hit {bn} of {T2}'s exports.",
    "{T} warned it would retaliate against the duties on {good} with its own tariffs.",
    "{T} moved {day} to raise tariffs on {good} from {T2}.",
    "{T} decided to keep its {rate} duties on {good} in place.",
    "{T} set a tariff-rate quota on {good}, with a {rate} duty above it.",
    "{T} retaliated against {T2}'s duties by taxing {good} at {rate}.",
    "{T} unveiled tariffs on {bn} of goods from {T2}, including {good}.",
]
TARIFF_BRIEF = [
    "{T} imposes {rate} tariff on {good}.",
    "{T} slaps duties on {good} from {T2}.",
    "{T2} retaliates with tariffs on {good}.",
    "{T} raises tariffs on {good} to {rate}.",
    "{T} to impose {rate} duties on {good} from {T2}.",
    "{T} hikes import duties on {good}.",
    "{T} threatens tariffs on {good} from {T2}.",
    "{T} cuts tariffs on {good}.",
    "BREAKING: {T} announces {rate} tariffs on {T2} {good}.",
    "{T} launches anti-dumping probe into {good} from {T2}.",
]
TARIFF_NONE = [
    ("lookalike", "The regulator approved a 12% rise in electricity tariffs for households {day}."),
    ("lookalike", "The utility will raise its gas tariff from April."),
    ("lookalike", "Mobile operators cut data tariffs to win customers."),
    ("lookalike", "Feed-in tariffs for rooftop solar panels will be reduced next year."),
    ("lookalike", "{firm} raised prices by {rate} to cover higher costs."),
    ("lookalike", "The hotel's tariff for a double room is 200 euros a night."),
    ("lookalike", "Water tariffs in {city} will increase by {rate} from January."),
    ("lookalike", "The energy regulator capped the standard tariff at its lowest level in two years."),
    ("lookalike", "{firm} launched a new broadband tariff with unlimited data."),
    ("lookalike", "Bus fares in {city} rise by {rate} next month."),
    ("lookalike", "The port raised its handling charges {day}."),
    ("lookalike", "The council put up parking fees in {city} by {rate}."),
    ("lookalike", "Households on the variable tariff will pay more this winter."),
    ("lookalike", "Taxi tariffs in {city} were revised for the first time since 2019."),
    ("lookalike", "{firm} said sales of {good} rose {rate} in the quarter."),
    ("lookalike", "Prices of {good} climbed {rate} on world markets {day}."),
    ("unreal", "Economists argue that tariffs on {good} would hurt consumers most."),
    ("unreal", "{T} has no plans to raise tariffs, the minister said."),
    ("unreal", "Officials denied that {T} was considering duties on {good}."),
    ("unreal", "A tariff war would cost the world economy dearly, the IMF warned."),
    ("opinion", "Tariffs are a tax paid by a country's own citizens, the column argued."),
    ("opinion", "History suggests protectionism rarely saves jobs for long."),
    ("opinion", "Free trade, the editorial said, has lifted millions out of poverty."),
    ("mention", "Tariffs were a fixture of nineteenth-century politics."),
    ("mention", "Markets fell {day} on worries about trade."),
    ("mention", "Shares of {firm} slipped as investors weighed trade tensions."),
    ("mention", "The country joined the World Trade Organization in 2001."),
    ("mention", "{T} and {T2} resumed trade talks {day} in {city}."),
    ("context", "Exports of {good} to {T2} were worth {bn} last year."),
    ("context", "Farmers said they feared losing their biggest market."),
    ("context", "The currency weakened slightly after the announcement."),
    ("context", "Importers have been stockpiling {good} for months."),
    ("context", "Industry groups welcomed the decision, while retailers warned of higher prices."),
    ("context", "The dispute dates back to a row over subsidies."),
    ("context", "Negotiators from both sides will meet again in {city} next week."),
    ("context", "The duty will apply for three years and then fall gradually, the decree said."),
    ("context", "Companies that build factories in {T} will be exempt, the ministry said."),
    ("context", "A spokesman for {T2} said the duties went against the spirit of recent talks."),
    ("context", "Goods shipped through third countries will still be covered by the measure."),
    ("context", "The measure covers about {bn} of imports a year."),
    ("context", "Analysts said the move would raise prices of {good} for consumers."),
    ("context", "The trade remedies body found that imports of {good} had jumped by half."),
    ("context", "{T2} called the decision unjustified and protectionist."),
]

DEFENSE_REPORT = [
    "{S} will spend {amt} on defence {year}, the finance ministry said.",
    "{P} approved a defence budget of {amt} {year}.",
    "{S}'s cabinet approved {amt} in military spending {year}.",
    "{S} plans to raise defence spending to {share} {year}.",
    "{S} announced a {amt} increase in its military budget {day}.",
    "The defence ministry's budget will rise to {amt} {year}.",
    "{S} will boost military spending by {pct} {year}, the government announced.",
    "{S} unveiled a record {amt} defence budget {day}.",
    "{P} passed a bill raising the armed forces' budget to {amt}.",
    "{S} earmarked {amt} for new fighter jets and air defence {year}.",
    "{S} set aside {amt} for the military in its budget {year}.",
    "{S} committed to spending {share} on defence {year}.",
    "{A} pledged to lift defence spending to {share} {year}.",
    "{S}'s defence outlays will reach {amt} {year} under the new plan.",
    "{S} cut its defence budget to {amt} {year} amid austerity.",
    "{P} voted to set up a {amt} special fund for the armed forces.",
    "{S} will increase military expenditure to {amt} {year}.",
    "The draft budget gives the armed forces {amt} {year}, up {pct}.",
    "{S} is to spend {amt} on weapons and ammunition {year}.",
    "{S}'s government proposed military spending of {amt} {year}.",
    "{S} approved a multi-year plan to spend {amt} on defence {year}.",
    "{S} raised its defence budget by {pct} to {amt} {day}.",
    "{S} aims to spend {share} on its military {year}, up from 1.8% now.",
    "Defence spending in {S} will climb to {amt} {year}, the budget shows.",
    "{P} signed off on {amt} for the navy and air force {year}.",
    "{S} allocated {amt} to defence in the budget unveiled {day}.",
    "{S} will pour {amt} into its armed forces {year}.",
    "{A} said {S} would spend {amt} on defence {year}.",
    "The finance minister of {S} announced military spending of {amt} {year}.",
    "{S} approved an extra {amt} for the armed forces {day}.",
    "{S} set its military budget at {amt} {year}, a rise of {pct}.",
    "{S} will devote {share} to defence {year}, meeting the NATO target.",
    "{S} adopted a defence procurement budget of {amt} {year}.",
    "Military spending in {S} rose to {amt} {year} under the new budget.",
]
DEFENSE_BRIEF = [
    "{S} approves {amt} defence budget {year}.",
    "{S} to spend {amt} on defence {year}.",
    "{S}'s cabinet approved a {amt} defence budget {year}.",
    "{S} raises military spending to {share}.",
    "{S} boosts defence budget by {pct}.",
    "{S} unveils record {amt} military budget.",
    "{P} passes {amt} defence budget.",
    "{S} pledges {share} for defence {year}.",
    "BREAKING: {S} lifts defence spending to {amt} {year}.",
]
DEFENSE_NONE = [
    ("lookalike", "{firm} approved a budget of {amt} for research {year}."),
    ("lookalike", "{firm} will spend {bn} on new data centres {year}."),
    ("lookalike", "The defence lawyer asked the court to dismiss the case."),
    ("lookalike", "The team's defence held firm in the second half."),
    ("lookalike", "The school board approved a budget of {bn} {year}."),
    ("lookalike", "The city council passed its budget for 2026 {day}."),
    ("lookalike", "{P} approved the health budget {year}."),
    ("lookalike", "The government will spend {amt} on hospitals and schools {year}."),
    ("lookalike", "{firm} reported record revenue from arms sales {day}."),
    ("lookalike", "Shares in defence companies rallied {day}."),
    ("lookalike", "The cybersecurity firm raised {bn} from investors."),
    ("lookalike", "{S} approved {amt} for road building {year}."),
    ("lookalike", "The club will spend heavily on defenders this summer."),
    ("lookalike", "The family's monthly budget barely covers rent and food."),
    ("lookalike", "{S} will spend {amt} on pensions {year}."),
    ("lookalike", "The defence rested its case {day}."),
    ("lookalike", "A global spending boom on {good} is under way, analysts said."),
    ("unreal", "Critics say {S} should spend far more on its armed forces."),
    ("unreal", "{S} has not said how it would pay for higher military spending."),
    ("unreal", "Officials denied that the defence budget would be cut."),
    ("unreal", "Whether {S} can reach {share} remains an open question."),
    ("opinion", "More tanks will not buy security, the columnist argued."),
    ("opinion", "Defence spending is a choice between guns and butter, the editorial said."),
    ("mention", "NATO's guideline asks members to spend {share} on defence."),
    ("mention", "{S}'s army has about 60,000 soldiers."),
    ("mention", "The defence ministry is housed in a former palace."),
    ("mention", "{S} joined NATO in 1999."),
    ("context", "The opposition called the plan reckless."),
    ("context", "The new tanks will be built in {city}."),
    ("context", "Much of the money will go to ammunition and air defence."),
    ("context", "The debate comes as the war in Ukraine enters another winter."),
    ("context", "The defence minister said the army was short of ammunition and spare parts."),
    ("context", "{S} bought 48 fighter jets from the United States last year."),
    ("context", "The opposition said the money should go to hospitals instead."),
    ("context", "Military analysts welcomed the plan but said it came late."),
    ("context", "The navy will receive its first new frigate in 2028."),
]

OFFTOPIC = [
    "Heavy rain flooded parts of {city} {day}.",
    "The museum reopened {day} after a two-year renovation.",
    "{firm} said its chief executive would step down at the end of the year.",
    "Police arrested three men after a robbery in {city}.",
    "The film opened to strong reviews at the festival in {city}.",
    "Inflation eased to 2.4% in the year to October.",
    "The central bank left interest rates unchanged {day}.",
    "Scientists found a new species of frog in the rainforest.",
    "The league announced a new schedule for the season.",
    "Voters in {city} go to the polls {day} to elect a new mayor.",
    "A strike by rail workers disrupted travel across the country.",
    "The novel won the prize for fiction {day}.",
    "Temperatures will fall below freezing overnight.",
    "{firm} recalled 10,000 cars over a braking fault.",
    "Unemployment fell to its lowest level in a decade.",
    "An earthquake of magnitude 5.8 struck near {city} {day}.",
    "The court sentenced the former minister to four years in prison.",
    "Tourist arrivals in {city} rose by a fifth this summer.",
    "Click here to subscribe to our newsletter.",
    "Reporting by our correspondent in {city}; editing by the news desk.",
]

# Opinion pieces name leaders, duties and budgets without reporting that anything happened.
OPINION = [
    "{A} should meet {B} before the crisis gets worse, the newspaper's editorial argued.",
    "If {a} and {b} ever sit down together, they will have much to disagree about.",
    "The columnist wrote that another summit in {cap} would be a waste of everyone's time.",
    "Nobody expects the {org} summit to settle the row over {topic}, our correspondent writes.",
    "Tariffs on {good} would be a gift to smugglers, the think tank argued.",
    "{T} ought to think twice before taxing {good} from {T2}, the commentary said.",
    "Readers asked whether duties of {rate} on {good} would ever make sense.",
    "A wiser government in {S} would spend the money on schools, not tanks, the letter argued.",
    "{S} cannot afford to spend {share} on defence, the economist wrote in an op-ed.",
    "Spending {amt} on the military would be a historic mistake, the opposition leader wrote.",
]

# What pages carry besides sentences (captions, credits, fragments), and leaders at events that are
# not meetings of leaders: a business summit's opening, a climb, a ministers' meeting.
FRAGMENTS = [
    "Photo: {firm}", "File photo: {A}.", "Pictured: the harbour at {city}.", "Image credit: {firm} press office",
    "{A} speaks at the opening of the investment summit in {city}.",
    "{A} opened a two-day business summit in {cap}, telling executives the country was open for investment.",
    "{A} addressed a tech summit in {city} {day}, promising cheaper broadband.",
    "A climber from {country} reached the summit of Kilimanjaro {day}.",
    "The team reached the summit at dawn after a night on the mountain.",
    "The foreign ministers of {country} and {countryb} held talks in {cap} {day} on {topic}.",
    "{country}'s finance minister met bankers in {city} {day}.",
    "{A} inaugurated a new metro line in {capa} {day}.",
]

PCTS = ["10%", "7 per cent", "18%", "a fifth", "12 percent", "a third", "4.5%"]


def fill(frame: str, rng: random.Random, people: list[dict]) -> str:
    a, b, c, d = rng.sample(people, 4)

    def full(p):
        return rng.choice([f"{p['dem']} {p['title']} {p['name']}", f"{p['title']} {p['name']}",
                           f"{p['dem']} leader {p['name']}", p["name"], f"{p['country']}'s {p['title'].lower()}, {p['name']},"
                           ]).rstrip(",") if "," not in frame else f"{p['dem']} {p['title']} {p['name']}"

    def short(p):
        return rng.choice([f"{p['title']} {p['surname']}", p["surname"], p["name"]])

    host = rng.choice([a, b])
    traders = rng.sample(TRADERS, 2)
    values = {
        "A": full(a), "B": full(b), "a": short(a), "b": short(b), "dem": a["dem"], "demb": b["dem"],
        "dem2": c["dem"], "dem3": d["dem"], "cap": host["capital"], "capa": a["capital"], "capb": b["capital"], "seat": a["seat"], "country": a["country"], "countryb": b["country"],
        "day": rng.choice(DAYS), "day2": rng.choice(["Friday", "Monday", "Thursday", "12 May"]),
        "topic": rng.choice(TOPICS), "org": rng.choice(ORGS), "city": rng.choice(CITIES), "firm": rng.choice(FIRMS),
        "bn": rng.choice(BILLIONS), "T": traders[0], "T2": traders[1], "good": rng.choice(GOODS),
        "good2": rng.choice(GOODS), "rate": rng.choice(RATES), "S": rng.choice(SPENDERS), "P": rng.choice(PARLIAMENTS),
        "amt": rng.choice(SPEND), "share": rng.choice(SHARES), "year": rng.choice(YEARS), "pct": rng.choice(PCTS),
    }
    text = frame.format(**values)
    # A sentence starts with a capital letter, whatever slot came first ("the EU", "the cabinet").
    return text[0].upper() + text[1:]


def generate() -> dict[str, list[dict]]:
    rng = random.Random(SEED)
    people = leaders()
    out: dict[str, list[dict]] = {"summit": [], "tariff": [], "defense_spending": [], "none": []}
    groups = [
        ("summit", SUMMIT_REPORT, "report", PER_FRAME * 3), ("summit", SUMMIT_BRIEF, "brief", PER_FRAME * 4),
        ("tariff", TARIFF_REPORT, "report", PER_FRAME * 3), ("tariff", TARIFF_BRIEF, "brief", PER_FRAME * 4),
        ("defense_spending", DEFENSE_REPORT, "report", PER_FRAME * 4),
        ("defense_spending", DEFENSE_BRIEF, "brief", PER_FRAME * 5),
    ]
    for label, frames, kind, n in groups:
        for frame in frames:
            out[label] += [{"text": t, "label": label, "kind": kind} for t in distinct(frame, n, rng, people)]
    for frames in (SUMMIT_NONE, TARIFF_NONE, DEFENSE_NONE):
        for kind, frame in frames:
            out["none"] += [{"text": t, "label": "none", "kind": kind} for t in distinct(frame, PER_FRAME * 3, rng, people)]
    for frame in OFFTOPIC:
        out["none"] += [{"text": t, "label": "none", "kind": "offtopic"} for t in distinct(frame, PER_FRAME, rng, people)]
    for frame in OPINION:
        out["none"] += [{"text": t, "label": "none", "kind": "opinion"} for t in distinct(frame, PER_FRAME * 2, rng, people)]
    for frame in FRAGMENTS:
        out["none"] += [{"text": t, "label": "none", "kind": "lookalike"} for t in distinct(frame, PER_FRAME * 2, rng, people)]
    return out


def distinct(frame: str, n: int, rng: random.Random, people: list[dict]) -> list[str]:
    """Up to n different fillings of a frame (fewer where the frame has few slots)."""
    seen: dict[str, None] = {}
    for _ in range(n * 4):
        seen.setdefault(fill(frame, rng, people), None)
        if len(seen) == n:
            break
    return list(seen)


def main() -> None:
    out_dir = ROOT / "data" / "sentences"
    out_dir.mkdir(parents=True, exist_ok=True)
    for label, rows in generate().items():
        with open(out_dir / f"{label}.jsonl", "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        kinds: dict[str, int] = {}
        for r in rows:
            kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
        print(f"{label}: {len(rows)} {kinds}")


if __name__ == "__main__":
    main()
