"""The prose of the Methods & caveats page (project text, not user text), kept apart from the page code."""

HOTLINE = """
**What they are.** The National Human Trafficking Hotline (run by Polaris until 22 September 2025, when HHS
moved it to Compass Connections) publishes how many people contacted it and how many trafficking
situations ("cases") it identified, per state and year. 2012–2016 state figures count phone **calls**; from
2017 the hotline counts **signals** (calls, texts, web chats, webforms, emails); some pages say *contacts*.

**What they are not.** Hotline counts measure **help-seeking**: who knew about the hotline, trusted it and
reached it. A rise can come from awareness campaigns, promotion or easier access, and a fall from the
opposite. They are not a measure of how much trafficking occurs, and a state's rank says as much about
awareness as about anything else.

**What the public record allows.** The published figures are **state × year** (a few half-years). A change
during a week-long event is diluted in a year's count, so for most events the honest answer is "cannot
tell". Every result on these pages says how big a change the data could have shown.

**Gaps and traps.** 2017–2023 values are sparse and transcribed from pages quoting the hotline (2022 has
none); some years are inferred from context. In the second half of 2018 the hotline site showed 2018 data
only through June, so some "2018" figures are January–June values: they are kept as half-years and never
drawn as annual values. State sums are below national totals (contacts without a state count only
nationally). The hotline does not publish cells under 3, so breakdowns need not add up, and it revises
figures as cases are re-coded.
"""

POLICE = """
FBI Uniform Crime Reporting counts of human-trafficking offenses (commercial sex acts, involuntary
servitude) include only agencies that sent human-trafficking reports, and participation varies by year,
state and month: a missing or low value can mean low participation, not little trafficking. Agency-month
records exist for 2013 and 2015; sums over agencies always travel with the number of agencies that
reported. The published tables and the Crime Data Explorer extract disagree for many states; both are kept
as separate rows with their own sources.
"""

RATES = """
Rates are per 100,000 residents of the whole state (Census July 1 estimates): Vintage 2019 for 2012–2019
and Vintage 2024 for 2020–2024. The step between the two vintages is a change of estimate series, not
growth. Police rates divide by all residents even though not every agency reported.
"""

HANDLING = """
- **One value per state** (map, ranking): annual figures only; where several sources give a value, the most
  reliable one is used and the ranking table lists the other values. Figures are never averaged, estimated
  or filled in.
- **Missing is not zero**: a state without a value is grey on the map, blank in the coverage matrix and not
  ranked.
- **Ties** share the best rank and are marked "=" ("tied for 3rd"), and the next rank is skipped.
- **Small counts**: exports can show counts of 1–2 as "<3" (switch in the sidebar).
"""

EVENT_METHODS = """
The Event and Event-types pages (built on the analysis library) ask whether a count near a big event was
unusual, and say how sure that answer can be. In plain words, each result combines:

- **Own-history baseline with a prediction interval.** From the same place's own earlier periods (never
  across a registered break), a count model says what the event period would look like without the event,
  as a range that ordinary ups and downs would produce. A value above the range is unusual *for that place*;
  a value inside it is not proof that nothing happened.
- **Checks on every baseline.** Is the series more spread out than the model allows (dispersion), and are
  neighbouring periods alike (autocorrelation one period apart, and one week apart for daily series)? Where a
  check fails, the interval and the p-value are widened for it (quasi-likelihood: the spread the residuals
  show, and the variance of a sum of correlated periods), and the result names the check that failed.
- **Bursts.** A sting makes a burst of arrests on one day. A period far beyond what the model allows for any
  period of the baseline is left out of the baseline; inside a window, such a period counts only up to that
  limit, so one day can never make a week a spike. (Daily, weekly and monthly series.)
- **The host's own other windows (in-time placebos).** The same test is run on every other window of the same
  length in the host's own history (every other week, for a week-long window). If windows as unusual as the
  event's turn up often in the host's own series — correlated days, holidays, enforcement bursts all make
  them — the event's result is not evidence.
- **Control regions (difference-in-differences).** The host's change from the same period a year earlier is
  compared with the same change in similar places that did not host, so that changes hitting everyone (a
  national campaign, a new way to contact the hotline) are not credited to the event, and different long-run
  trends do not leak in.
- **Minimum detectable effect.** Given the noise of the series and the length of its periods, the smallest
  change the data could have revealed. A yearly count cannot show a one-week surge of any plausible size.
- **Pooled event-type studies.** Many events of one type (every Super Bowl host, say) are lined up on a
  common time axis around their dates, giving one estimate with an interval and more power than one event.
- **Benjamini–Hochberg.** When many events are tested, some look unusual by chance alone. The procedure
  keeps the expected share of false alarms among the flagged events at a chosen rate and gives each event a
  q-value.

**The verdict rules.** Each result ends in one of five verdicts, and its sentence ends with what it rests
on (for example "model p 0.003; the event is the 1st most unusual of 104 with the host's own 7-day windows;
checks passed").

- **spike** (or **drop**, for fewer): only when all three hold —
  1. the model's two-sided p-value is below 0.05 (after any widening a failed check asks for);
  2. among the host's own other windows of the same length, the event is among the most unusual 5%
     (counting how far each window is from the middle of them all, both directions together). This needs at
     least 19 such windows; with fewer the answer is at most *cannot tell*, and the sentence says how many
     there were. So a baseline fitted as Poisson, because its spread could not be estimated, never makes a
     spike on its p-value alone — and neither does any other;
  3. the event's days make up at least half of the periods tested (a week is 2% of a year: a different year
     is not the event's doing).
- **no detectable change**: the test found nothing *and* the interval for observed ÷ expected rules out the
  effect looked for (its upper end is below 1 + a 7-day +25% rise diluted to the periods tested, e.g. +0.5%
  of a year).
- **cannot tell**: anything else, with the reason — the data could not have shown the effect; or a period did
  differ, but the event's days are too small a part of it, or the host's own other windows differ as often.
- **insufficient data**: too little history, or no value for the event period.

**How the rules were checked.** On seeded synthetic series, some drawn from the model and some breaking it
the way real series do (correlated days, weekday and holiday effects, one-day bursts, a level shift, sparse
counts, short monthly series, very large annual counts), events placed at random dates are called *spike* or
*drop* at most about 5% of the time, and planted rises are found as often as such data allow; the table and
its shortfalls are in the project's README (`bench/study.py` prints it).

The exact model, parameters and thresholds are stated beside every result on the Event pages.
"""

MONITOR = """
The Monitor page and `hotline-trends monitor` watch a **daily** series as its days arrive (a tip line, hotline
signals, police incidents). Looking every day gives ordinary days many chances to look unusual, so the rule
is built to keep false alarms rare over many looks:

- **Expected count and 95% band for each day, from earlier days only.** The weekday pattern and federal
  holidays come from up to a year of earlier days, the level from the last eight weeks, with the week just
  before left out so that a rise that has just begun does not raise its own expectation. Days far above
  their own prediction are capped before they enter later baselines, so a sting does not inflate the weeks
  after it. A day's result never changes when later days arrive.
- **An alarm adds up evidence over days** — a negative-binomial CUSUM (Höhle & Paul 2008; `algo.glrnb` /
  `algo.cusum` in the R package `surveillance`), tuned to a lasting rise of +50%. Ordinary days take evidence
  away; no single day can bring more than half of what an alarm needs, so a one-day burst (a sting, a data
  dump) is marked but never alarms alone. A CUSUM on model-based predictions beat the CDC's EARS C1–C3 in
  Fricker, Hegler & Dunfee (2008); on our null test series EARS C2 raises 4 to 21 false alarms a year, this
  rule fewer than one.
- **The alarm level is set on the series' own past.** Its days before monitoring are replayed in four-week
  blocks (a moving-block bootstrap, Künsch 1989: runs of related days stay together), and simulated from the
  fitted model with the day-to-day correlation read from its residuals; the level is the lowest at which
  both alarm at most once in two years (the larger of the two is kept).

What an alarm means depends on the series: **police counts measure enforcement** (a sweep is a burst of
arrests) and **hotline counts measure help-seeking** (a campaign brings calls). An alarm says the counts rose
beyond what this series' past makes likely, not why. Only rises are monitored. Validation (`bench/monitor.py`,
seeded series that break the model: correlated days, weekday/holiday/season effects, bursts,
overdispersion, sparse counts): false alarms stay under one per 365 days in every scenario; a +50% rise at
40 a day is flagged in a median of 2 days on the model itself, later where days are noisier or move
together (the numbers are in the README).

References: Höhle, M. & Paul, M. (2008), Count data regression charts for the monitoring of surveillance time
series, *Computational Statistics & Data Analysis* 52(9), 4357–4368. Fricker, R. D., Hegler, B. L. & Dunfee,
D. A. (2008), Comparing syndromic surveillance detection methods: EARS' versus a CUSUM-based methodology,
*Statistics in Medicine* 27(17), 3407–3429. Künsch, H. R. (1989), The jackknife and the bootstrap for general
stationary observations, *Annals of Statistics* 17(3), 1217–1241. Noufaily, A. et al. (2013), An improved
algorithm for outbreak detection in multiple surveillance systems, *Statistics in Medicine* 32(7), 1206–1222.
"""

RESEARCH = """
- **Global Alliance Against Traffic in Women (GAATW) (2011).** *What's the Cost of a Rumour? A guide to
  sorting out the myths and the facts about sporting events and trafficking.* Bangkok: GAATW (writer and
  researcher: Julie Ham). A review of the evidence around the 2010 World Cup (South Africa), the 2010
  Vancouver Olympics, the 2006 World Cup (Germany), the 2004 Athens Olympics and U.S. Super Bowls (e.g.
  Dallas 2011, Tampa 2009, Phoenix 2008). It found no evidence that large sporting events cause an increase
  in trafficking for prostitution, and discusses the costs of acting on the rumour.
  `http://www.gaatw.org/publications/WhatstheCostofaRumour.11.15.2011.pdf`
- **Miller, K., Kennedy, E. & Dubrawski, A. (2016).** *Do Public Events Affect Sex Trafficking Activity?*
  arXiv:1602.05048. Used the volume of online escort advertisements as a proxy around 33 public events
  chosen for attendance comparable to the Super Bowl. Many of the events were not associated with a
  statistically significant change in advertising, though some were; the method also surfaced other events
  with larger increases.
- **Huang, X., Yoder, B. R., Tsoukalas, A., Entress, R. M. & Sadiq, A.-A. (2024).** Exploring the
  relationship between Super Bowls and potential online sex trafficking. *Trends in Organized Crime* 27(1),
  77–99 (online 2022). `doi:10.1007/s12117-022-09472-z`. Time-series Poisson analysis of online
  sexual-service advertisements in Florida around the 2020 (Miami) and 2021 (Tampa) Super Bowls; found an
  increase in advertisements showing indicators of sex trafficking during both.

None of these studies used hotline counts like those here: two measure online advertisements and one
reviews the evidence. A result for one measure does not carry over to another.
"""

PLACES = """
**Which place is analysed.** An event's host is its state, or, with police data, its county, its city or one
police agency, on a series of any period kind stored for that place (days, weeks, months, years). A city is
the police agencies of type "City" in the event's state named like it (the sentence with every result names
them); a county is the agencies whose first listed county is one of the city's agencies' counties. FBI
agency months are summed over the agencies that reported every month; a city police department's own
series (San Francisco's daily incident reports, Los Angeles' monthly reports) is used as it is stored.

**When the venue's city has no series** (Super Bowl LX was played in Santa Clara; the store has San
Francisco's police records), a stand-in is offered by a stated rule, because there is no metro-area table
and none is invented: the one agency with this series in the county of the venue's city (known only when
the city's own police are in the agencies table), else the one agency with this series in the event's
state. When several qualify, they are listed and none is chosen. The result says plainly, next to the
verdict and in its caveats, that the place analysed is not the venue's, and which place was asked for
(`stand_in` in the JSON). `--region ori:<ORI>` (or `region=` in `analysis.api.analyse`) analyses a chosen
place instead.

**Daily series.** The baseline of a daily series gets day-of-week effects when at least four weeks are
fitted and a U.S. federal-holiday effect (the observed holiday dates) when the fitted days include at least
10 holidays, about a year; each also needs at least 5 counts on its days, so a sparse series (a few dozen
reports in four years) is not given effects it cannot estimate. A place alone with its series has no
controls and no space placebos: its verdict rests on the model and on its own other windows of the event's
length, and says so.

**What police records count.** Police-recorded counts measure enforcement (operations, stings, staffing)
and reporting, not how much trafficking or prostitution occurs; prostitution counts most of all, because
they are almost entirely police-initiated. Every result on a police series says so next to its verdict.
"""
