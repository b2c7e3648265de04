"""The fixed words of a report in the four languages kompass reports in.

These are our own translations of the report's headings; the labels of
areas and sub-areas come from the rule set. A language not listed here
falls back to English.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "report": "Evaluation report", "summary": "Summary", "total": "Total",
        "of": "of", "area": "Area", "points": "Points", "max": "Max",
        "reference": "Reference", "previous": "Previous", "this": "This evaluation",
        "profile": "Profile", "strengths": "Strengths",
        "improvements": "Improvement opportunities", "weaknesses": "Weaknesses",
        "references": "Municipalities to learn from", "subareas": "Points per sub-area",
        "overview": "Points overview", "facts": "Municipality facts",
        "municipality": "Municipality", "code": "Municipality code", "country": "Country",
        "date": "Evaluation date", "evaluators": "Evaluators", "ruleset": "Rule set",
        "weighting": "Weighting", "notes": "Notes", "unscored": "not scored",
        "partial": "partly scored", "no_notes": "No notes for this area.",
        "comparability": "Scores from different versions of the method are not directly "
                         "comparable: compare within one rule set, or see the migration "
                         "notes below.",
        "rounded": "Rounded: the areas shown add up to {parts}, not {whole}, as each is "
                   "rounded on its own; the exact figures add up.",
        "open": "Not fully scored: each unscored item counts from 0 to its max, so the "
                "total lies between {low} and {high}.",
        "fallback": "No {lang} label in this rule set: the English label is shown.",
        "translated": "Labels in {lang} are our own translation, not taken from a source.",
        "assumed": "Assumed, not published ({what}): {keys}.",
        "assumed_rules": "Assumed for the whole rule set: {what}.",
        "sources": "Sources of the rule set: {sources}.",
        "reference_note": "Reference: {what}.",
        "previous_note": "Previous evaluation ({when}) carried from {source} to {target}: "
                         "{steps}.",
        "uncalibrated": "An uncalibrated step maps the structure only; no source says how "
                        "scores shift across it, so changes against the previous "
                        "evaluation cannot be judged.",
        "contents": "Contents", "method": "What Kommunkompassen is",
        "summary_heading": "{municipality} and Kommunkompassen: a summary",
        "conduct": "The evaluation",
        "first_evaluation": "This is {municipality}'s first evaluation with Kommunkompassen.",
        "repeat_evaluation": "This is a repeat evaluation.",
        "interviewed": "{n} people were interviewed.",
        "groups": "Interviewed", "documents": "Documents studied",
        "areas_heading": "Detailed review by area", "general": "General",
        "findings": "Findings", "subarea_points": "Sub-areas and points",
        "not_reported": "not reported", "gold_star": "Gold star",
        "gold_star_note": "A gold star marks what the evaluators judge the absolute best "
                          "practice in the country.",
        "bar_chart": "Points per area", "profile_chart": "Profile against the reference",
        "legend_reference": "Reference: {cohort}", "legend_previous": "Previous evaluation "
                                                                      "{year}",
        "change": "Change", "previous_total": "Previous total",
        "fact_source": "Source: {source}, {year}", "sources_heading": "Notes and sources",
        "page": "Page", "title_page_by": "By {names}",
        "no_reference": "Reference: none, as {why}.",
        "comparability_version": "A result on {version} is not directly comparable with "
                                 "results on {other}: for an approximate comparison, its "
                                 "total changes by {low} to {high} points ({source}).",
        "facts_heading": "Facts about the municipality",
        "no_method": "The rule set supplies no text on the method; its sources are listed "
                     "below.",
        "card_only": "This report is made from a score card, which carries the points only: "
                     "the evaluators' texts are in the original evaluation.",
    },
    "sv": {
        "report": "Utvärderingsrapport", "summary": "Sammanfattning", "total": "Totalt",
        "of": "av", "area": "Område", "points": "Poäng", "max": "Max",
        "reference": "Referens", "previous": "Föregående", "this": "Denna utvärdering",
        "profile": "Profil", "strengths": "Styrkor",
        "improvements": "Förbättringsmöjligheter", "weaknesses": "Svagheter",
        "references": "Kommuner att lära av", "subareas": "Poäng per delområde",
        "overview": "Översikt av poängfördelning", "facts": "Kortfakta om kommunen",
        "municipality": "Kommun", "code": "Kommunkod", "country": "Land",
        "date": "Utvärderingsdatum", "evaluators": "Utvärderare", "ruleset": "Regelverk",
        "weighting": "Viktning", "notes": "Noter", "unscored": "ej bedömd",
        "partial": "delvis bedömd", "no_notes": "Inga noteringar för området.",
        "comparability": "Resultat från olika versioner av metoden är inte direkt "
                         "jämförbara: jämför inom ett regelverk, eller se noterna om "
                         "omräkning nedan.",
        "rounded": "Avrundat: områdena som visas summerar till {parts}, inte {whole}, "
                   "eftersom vart och ett avrundas för sig; de exakta värdena går jämnt ut.",
        "open": "Inte fullständigt bedömd: varje ej bedömd del räknas från 0 till sitt "
                "max, så totalen ligger mellan {low} och {high}.",
        "fallback": "Regelverket saknar etikett på {lang}: den engelska visas.",
        "translated": "Etiketterna på {lang} är vår egen översättning.",
        "assumed": "Antaget, ej publicerat ({what}): {keys}.",
        "assumed_rules": "Antaget för hela regelverket: {what}.",
        "sources": "Källor för regelverket: {sources}.",
        "reference_note": "Referens: {what}.",
        "previous_note": "Föregående utvärdering ({when}) omräknad från {source} till "
                         "{target}: {steps}.",
        "uncalibrated": "Ett okalibrerat steg överför bara strukturen; ingen källa anger hur "
                        "poängen förskjuts, så förändringen mot föregående utvärdering kan "
                        "inte bedömas.",
        "contents": "Innehåll", "method": "Vad är Kommunkompassen?",
        "summary_heading": "{municipality} i förhållande till Kommunkompassen: en "
                           "sammanfattande genomgång",
        "conduct": "Utvärderingen",
        "first_evaluation": "Det här är {municipality}s första utvärdering enligt "
                            "Kommunkompassen.",
        "repeat_evaluation": "Det här är en upprepad utvärdering.",
        "interviewed": "{n} personer intervjuades.",
        "groups": "Bland de intervjuade", "documents": "Studerade dokument",
        "areas_heading": "Detaljerad genomgång per område", "general": "Allmänt",
        "findings": "Iakttagelser", "subarea_points": "Rubriker och poäng",
        "not_reported": "ej redovisat", "gold_star": "Guldstjärna",
        "gold_star_note": "En guldstjärna markerar det utvärderarna bedömer som absolut "
                          "bästa praxis i landet.",
        "bar_chart": "Poäng per område", "profile_chart": "Profil mot referensen",
        "legend_reference": "Referens: {cohort}", "legend_previous": "Föregående "
                                                                     "utvärdering {year}",
        "change": "Förändring", "previous_total": "Föregående total",
        "fact_source": "Källa: {source}, {year}", "sources_heading": "Noter och källor",
        "page": "Sida", "title_page_by": "Av {names}",
        "no_reference": "Referens: ingen, eftersom {why}.",
        "comparability_version": "Ett resultat enligt {version} är inte direkt jämförbart "
                                 "med resultat enligt {other}: för en ungefärlig jämförelse "
                                 "ändras totalen med {low} till {high} poäng ({source}).",
        "facts_heading": "Kortfakta om kommunen",
        "no_method": "Regelverket innehåller ingen text om metoden; dess källor listas nedan.",
        "card_only": "Rapporten bygger på ett resultatkort, som bara innehåller poängen: "
                     "utvärderarnas texter finns i den ursprungliga utvärderingen.",
    },
    "nb": {
        "report": "Evalueringsrapport", "summary": "Sammendrag", "total": "Totalt",
        "of": "av", "area": "Område", "points": "Poeng", "max": "Maks",
        "reference": "Referanse", "previous": "Forrige", "this": "Denne evalueringen",
        "profile": "Profil", "strengths": "Styrker",
        "improvements": "Forbedringsmuligheter", "weaknesses": "Svakheter",
        "references": "Kommuner å lære av", "subareas": "Poeng per delområde",
        "overview": "Poengoversikt", "facts": "Fakta om kommunen",
        "municipality": "Kommune", "code": "Kommunenummer", "country": "Land",
        "date": "Evalueringsdato", "evaluators": "Evaluatorer", "ruleset": "Regelverk",
        "weighting": "Vekting", "notes": "Noter", "unscored": "ikke vurdert",
        "partial": "delvis vurdert", "no_notes": "Ingen merknader for området.",
        "comparability": "Resultater fra ulike versjoner av metoden er ikke direkte "
                         "sammenlignbare: sammenlign innen ett regelverk, eller se notene "
                         "om omregning nedenfor.",
        "rounded": "Avrundet: områdene som vises summerer til {parts}, ikke {whole}, fordi "
                   "hvert avrundes for seg; de eksakte tallene går opp.",
        "open": "Ikke ferdig vurdert: hver del som ikke er vurdert teller fra 0 til sitt "
                "maks, så totalen ligger mellom {low} og {high}.",
        "fallback": "Regelverket har ingen etikett på {lang}: den engelske vises.",
        "translated": "Etikettene på {lang} er vår egen oversettelse.",
        "assumed": "Antatt, ikke publisert ({what}): {keys}.",
        "assumed_rules": "Antatt for hele regelverket: {what}.",
        "sources": "Kilder for regelverket: {sources}.",
        "reference_note": "Referanse: {what}.",
        "previous_note": "Forrige evaluering ({when}) regnet om fra {source} til {target}: "
                         "{steps}.",
        "uncalibrated": "Et ukalibrert steg overfører bare strukturen; ingen kilde sier "
                        "hvordan poengene forskyves, så endringen mot forrige evaluering "
                        "kan ikke vurderes.",
        "contents": "Innhold", "method": "Hva er Kommunekompasset?",
        "summary_heading": "{municipality} og Kommunekompasset: en oppsummering",
        "conduct": "Evalueringen",
        "first_evaluation": "Dette er {municipality}s første evaluering etter "
                            "Kommunekompasset.",
        "repeat_evaluation": "Dette er en gjentatt evaluering.",
        "interviewed": "{n} personer ble intervjuet.",
        "groups": "Blant de intervjuede", "documents": "Gjennomgåtte dokumenter",
        "areas_heading": "Detaljert gjennomgang per område", "general": "Generelt",
        "findings": "Funn", "subarea_points": "Delområder og poeng",
        "not_reported": "ikke rapportert", "gold_star": "Gullstjerne",
        "gold_star_note": "En gullstjerne markerer det evaluatorene vurderer som absolutt "
                          "beste praksis i landet.",
        "bar_chart": "Poeng per område", "profile_chart": "Profil mot referansen",
        "legend_reference": "Referanse: {cohort}", "legend_previous": "Forrige evaluering "
                                                                      "{year}",
        "change": "Endring", "previous_total": "Forrige total",
        "fact_source": "Kilde: {source}, {year}", "sources_heading": "Noter og kilder",
        "page": "Side", "title_page_by": "Av {names}",
        "no_reference": "Referanse: ingen, fordi {why}.",
        "comparability_version": "Et resultat etter {version} er ikke direkte sammenlignbart "
                                 "med resultater etter {other}: for en omtrentlig "
                                 "sammenligning endres totalen med {low} til {high} poeng "
                                 "({source}).",
        "facts_heading": "Fakta om kommunen",
        "no_method": "Regelverket har ingen tekst om metoden; kildene er listet nedenfor.",
        "card_only": "Rapporten bygger på et resultatkort, som bare har poengene: "
                     "evaluatorenes tekster står i den opprinnelige evalueringen.",
    },
    "da": {
        "report": "Evalueringsrapport", "summary": "Sammenfatning", "total": "I alt",
        "of": "af", "area": "Område", "points": "Point", "max": "Maks",
        "reference": "Reference", "previous": "Forrige", "this": "Denne evaluering",
        "profile": "Profil", "strengths": "Styrker",
        "improvements": "Forbedringsmuligheder", "weaknesses": "Svagheder",
        "references": "Kommuner at lære af", "subareas": "Point pr. delområde",
        "overview": "Pointoversigt", "facts": "Fakta om kommunen",
        "municipality": "Kommune", "code": "Kommunekode", "country": "Land",
        "date": "Evalueringsdato", "evaluators": "Evaluatorer", "ruleset": "Regelsæt",
        "weighting": "Vægtning", "notes": "Noter", "unscored": "ikke vurderet",
        "partial": "delvist vurderet", "no_notes": "Ingen bemærkninger til området.",
        "comparability": "Resultater fra forskellige versioner af metoden er ikke direkte "
                         "sammenlignelige: sammenlign inden for ét regelsæt, eller se "
                         "noterne om omregning nedenfor.",
        "rounded": "Afrundet: de viste områder summerer til {parts}, ikke {whole}, da hvert "
                   "afrundes for sig; de eksakte tal går op.",
        "open": "Ikke færdigvurderet: hver del, der ikke er vurderet, tæller fra 0 til sit "
                "maks, så totalen ligger mellem {low} og {high}.",
        "fallback": "Regelsættet har ingen etiket på {lang}: den engelske vises.",
        "translated": "Etiketterne på {lang} er vores egen oversættelse.",
        "assumed": "Antaget, ikke offentliggjort ({what}): {keys}.",
        "assumed_rules": "Antaget for hele regelsættet: {what}.",
        "sources": "Kilder til regelsættet: {sources}.",
        "reference_note": "Reference: {what}.",
        "previous_note": "Forrige evaluering ({when}) omregnet fra {source} til {target}: "
                         "{steps}.",
        "uncalibrated": "Et ukalibreret trin overfører kun strukturen; ingen kilde siger, "
                        "hvordan pointene forskydes, så ændringen i forhold til forrige "
                        "evaluering kan ikke vurderes.",
        "contents": "Indhold", "method": "Hvad er Kommunekompasset?",
        "summary_heading": "{municipality} og Kommunekompasset: en sammenfatning",
        "conduct": "Evalueringen",
        "first_evaluation": "Dette er {municipality}s første evaluering efter "
                            "Kommunekompasset.",
        "repeat_evaluation": "Dette er en gentaget evaluering.",
        "interviewed": "{n} personer blev interviewet.",
        "groups": "Blandt de interviewede", "documents": "Gennemgåede dokumenter",
        "areas_heading": "Detaljeret gennemgang pr. område", "general": "Generelt",
        "findings": "Iagttagelser", "subarea_points": "Delområder og point",
        "not_reported": "ikke rapporteret", "gold_star": "Guldstjerne",
        "gold_star_note": "En guldstjerne markerer det, evaluatorerne vurderer som den "
                          "absolut bedste praksis i landet.",
        "bar_chart": "Point pr. område", "profile_chart": "Profil i forhold til referencen",
        "legend_reference": "Reference: {cohort}", "legend_previous": "Forrige evaluering "
                                                                      "{year}",
        "change": "Ændring", "previous_total": "Forrige total",
        "fact_source": "Kilde: {source}, {year}", "sources_heading": "Noter og kilder",
        "page": "Side", "title_page_by": "Af {names}",
        "no_reference": "Reference: ingen, da {why}.",
        "comparability_version": "Et resultat efter {version} er ikke direkte "
                                 "sammenligneligt med resultater efter {other}: for en "
                                 "omtrentlig sammenligning ændres totalen med {low} til "
                                 "{high} point ({source}).",
        "facts_heading": "Fakta om kommunen",
        "no_method": "Regelsættet har ingen tekst om metoden; dets kilder er anført nedenfor.",
        "card_only": "Rapporten bygger på et resultatkort, som kun har pointene: "
                     "evaluatorernes tekster findes i den oprindelige evaluering.",
    },
}


def strings(lang: str) -> dict[str, str]:
    """The report's words in ``lang`` (English where we have no translation)."""
    return STRINGS.get(lang, STRINGS["en"])
