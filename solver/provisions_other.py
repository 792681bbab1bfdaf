"""Provisions review, other: indemnity exceptions, liability caps, contribution, underwritten offerings, piggy-back
cutbacks, words for two parties in an agreement of more (rra.solver.provisions)."""

from __future__ import annotations

import re
from typing import Any

from rra.solver.memo import Area, Certainty, Favours, Redline, Severity
from rra.solver.provisions import (
    Memo,
    detector,
    finding,
    insert_redline,
    leaves,
    own,
    quote,
    replace_redline,
    search,
    sentence,
)
from rra.spec.agreement import Agreement


def _heading(a: Agreement, clause: str) -> str:
    """The heading of a clause or of the section it belongs to."""
    doc = a.document
    c = doc.by_id.get(clause)
    while c is not None:
        if c.heading:
            return c.heading
        c = doc.by_id.get(c.parent) if c.parent else None
    return ""


# ------------------------------------------------------------------- an exception conditioned on the other side

@detector("exception-condition")
def exception_condition(a: Agreement) -> list[Any]:
    """An indemnity exception for the indemnitee's own information, conditioned on something the indemnitor must do
    ("if such prospectus was timely made available by the Company"), where "such X" has nothing to refer to."""
    out = []
    for clause, text in leaves(a.document):
        for m in re.finditer(r"shall not apply to (?P<item>[^;]*?), (?P<cond>if|provided(?: that)?|so long as|only if) "
                             r"(?:such|the) (?P<noun>[a-z]+) (?:was|is|has been|shall have been) (?P<what>[^;]*?by the "
                             r"Company[^;]*);", text):
            item = m.group("item")
            noun = m.group("noun")
            if re.search(rf"\b{noun}\b", item):
                continue
            k0 = text.rfind("(i)", 0, m.start())
            start = k0 if k0 >= 0 and m.start() - k0 < 40 else m.start()
            words = text[start:m.end() - 1]
            other = [c for c, mm in search(a.document, r"to the same extent and in the same manner set forth in Section "
                                                       rf"{re.escape(clause)}")]
            quotes = [quote(clause, words)]
            c0 = m.start("cond") - 2
            cond = text[c0:m.end() - 1]
            red = replace_redline(clause, text, c0, c0 + len(cond), "")
            out.append(finding(
                "exception-condition", clause, (clause, *other),
                f"{clause}: the exception for the indemnitee's own information applies only "
                f"\"{cond.lstrip(', ').split(' pursuant')[0].split(' under Section')[0]}\"",
                f"The Company's basic protection, no indemnity for losses caused by information the indemnified person "
                f"itself supplied, is made to depend on whether \"such {noun}\" (which has nothing to refer to in this "
                "exception) was delivered on time. One late copy puts on the Company the loss from an Investor's own "
                "misstatement, for which the Investor must indemnify the Company: the two indemnities then point at each "
                "other.",
                Memo(Severity.MEDIUM, Area.OTHER, Favours.INVESTORS, quotes, [red], None, certainty=Certainty.CONTINGENT)))
    return out


# ------------------------------------------------------------------- liability caps wider than the indemnity

@detector("cap-scope")
def cap_scope(a: Agreement) -> list[Any]:
    """A cap written in an indemnity or contribution clause that limits all liability under the agreement."""
    hits = []
    for clause, m in search(a.document, r"(?:(?:shall be liable|(?:total |aggregate )?liability of the \w+) under this Agreement "
                                        r"\(including (?:[^()]|\([^()]*\))*\)(?: for only that amount| shall be limited to| shall "
                                        r"not exceed)|\((?:together|along) with any indemnification or other (?:obligations|"
                                        r"liabilities) under this Agreement\))"):
        head = _heading(a, clause).lower()
        if "indemn" in head or "contribution" in head:
            hits.append((clause, m))
    if not hits:
        return []
    quotes = []
    reds: list[Redline] = []
    for clause, m in hits:
        text = own(a.document, clause)
        s0, s1 = sentence(text, m.start())
        lead = text.rfind("the Investor", s0, m.start())
        quotes.append(quote(clause, text[lead if lead >= 0 else m.start():s1].rstrip(".")))
        w = m.group(0)
        inc = re.search(r"under this Agreement \(including (?P<x>(?:[^()]|\([^()]*\))*)\)", w)
        if inc:
            new = w.replace(inc.group(0), "under " + inc.group("x").replace("this ", "this ", 1))
            reds.append(replace_redline(clause, text, m.start(), m.end(), new, meaning={"*": {}}))
        else:
            # the indemnity the cap belongs to: the clause of the section in which the Investors indemnify
            first = next((c for c, t in leaves(a.document) if c != clause and re.search(
                r"\b(?:each|the) Investor agrees to[^.]{0,60}\bindemnify", t)), hits[0][0])
            reds.append(replace_redline(clause, text, m.start(), m.end(),
                                        f"(together with any indemnification under Section {first})", meaning={"*": {}}))
    clauses = [c for c, _ in hits]
    return [finding(
        "cap-scope", "-".join(clauses), clauses,
        f"{' and '.join(clauses)} cap an Investor's liability for everything under the agreement, not only indemnity and "
        "contribution, at its net sale proceeds",
        "The customary cap on an investor's indemnity and contribution is written to cover all of its liability \"under "
        "this Agreement\": an Investor that breaches its confidentiality or selling duties is liable for no more than its "
        "proceeds from the registered sale, nothing if it has sold nothing. The caps also measure the proceeds "
        "differently.",
        Memo(Severity.MEDIUM, Area.OTHER, Favours.INVESTORS, quotes, reds, None,
             ("proof.investor-liability-within-net-proceeds",), certainty=Certainty.CONTINGENT))]


# ------------------------------------------------------------------- contribution without a sharing rule

@detector("contribution-measure")
def contribution_measure(a: Agreement) -> list[Any]:
    """A contribution clause with no measure for sharing (relative fault, relative benefit)."""
    out = []
    for clause, m in search(a.document, r"(?:agrees to make the maximum contribution|(?:shall|agrees to) contribute the maximum "
                                        r"amount(?: permitted by law)?) (?:with respect to|in respect of) (?P<what>.+?)(?: to the "
                                        r"fullest extent permitted by law)?;"):
        text = own(a.document, clause)
        if re.search(r"relative fault|relative benefit|in such proportion|equitable", text, re.IGNORECASE):
            continue
        lim = re.search(r"\(i\) no contribution shall be made[^,]*?Section \d+", text)
        quotes = [quote(clause, m.group(0)[:-1])]
        if lim:
            quotes.append(quote(clause, lim.group(0)))
        red = replace_redline(clause, text, m.start(), m.end(),
                              f"agrees to contribute to {m.group('what')}, to the fullest extent permitted by law, in such "
                              "proportion as is appropriate to reflect the relative fault of the indemnifying party and of "
                              "the indemnified party in connection with the statements or omissions that resulted in such "
                              "amounts;", meaning={"*": {}})
        out.append(finding(
            "contribution-measure", clause, (clause,),
            f"{clause}: contribution has no rule for sharing",
            "Contribution matters where indemnity is barred, typically because indemnity of directors, officers and "
            "controlling persons for Securities Act liability is against public policy. \"Maximum contribution ... to the "
            "fullest extent permitted by law\" sets no sharing measure and can be read as the full indemnity by another "
            "name; the amount is left to a court.",
            Memo(Severity.MEDIUM, Area.OTHER, Favours.NEITHER, quotes, [red], None, certainty=Certainty.CONTINGENT)))
    return out


# ------------------------------------------------------------------- underwritten offerings without a limit

@detector("offerings-unlimited")
def offerings_unlimited(a: Agreement) -> list[Any]:
    """The Investors may launch underwritten offerings at the Company's cost with no limit on their number."""
    doc = a.document
    right = next(((c, m) for c, m in search(doc, r"(?:If|Where|In the event) (?:any |an )?offering (?:pursuant to|under) a "
                                               r"Registration Statement (?:pursuant to|filed under|under) Section \d+\([a-z]\)"
                                               r"(?: hereof)? (?:involves an underwritten offering|is (?:to be )?underwritten)")), None)
    if right is None:
        return []
    clause, m = right
    text = own(doc, clause)
    if re.search(r"no more than [a-z]+ \(\d+\)|not more than [a-z]+ \(\d+\) underwritten|in any [a-z]+ \(\d+\) month",
                 text[m.end():m.end() + 120]):
        return []
    cost = next(((c, mm) for c, mm in search(doc, r"All reasonable expenses, other than underwriting discounts and "
                                                 r"commissions, incurred in connection with registrations[^.]*")), None)
    sign = next(((c, mm) for c, mm in search(doc, r"the Company shall enter into and perform its obligations under an "
                                                 r"underwriting agreement")), None)
    if cost is None:
        return []
    quotes = [quote(clause, m.group(0)), *([quote(sign[0], sign[1].group(0))] if sign else []),
              quote(cost[0], re.sub(r"(pursuant to Sections? [\d()a-z, and]+?)(?:,| including).*$", r"\1",
                                    cost[1].group(0)))]
    red = insert_redline(clause, text, m.end(), " (of which there shall be no more than one (1) in any twelve (12) month "
                         "period)")
    return [finding(
        "offerings-unlimited", clause, (clause, *([sign[0]] if sign else []), cost[0]),
        f"{clause}: the Investors can require any number of underwritten offerings, at the Company's cost",
        "Nothing limits the number, size or timing of underwritten offerings the Investors may launch; each obliges the "
        "Company to sign an underwriting agreement with indemnities, deliver an opinion and a comfort letter and pay every "
        "cost except underwriting discounts.",
        Memo(Severity.MEDIUM, Area.OTHER, Favours.INVESTORS, quotes, [red], None, certainty=Certainty.CONTINGENT))]


# ------------------------------------------------------------------- a cutback narrower than the right

# an efforts standard and the result it is for: "use its best efforts to obtain effectiveness of the Registration
# Statement", "use its commercially reasonable efforts to cause such Registration Statement ... to become effective"
_EFFORTS = re.compile(
    r"\buse (?:its |all )?(?P<std>(?:(?:commercially |all )?reasonable(?: best)?|best|good faith|diligent|"
    r"reasonable commercial)) efforts,? (?:promptly )?to (?P<aim>obtain effectiveness of the Registration Statement|"
    r"cause such Registration Statement(?: relating to Registrable Securities)? to become effective)", re.IGNORECASE)


@detector("efforts-differ")
def efforts_differ(a: Agreement) -> list[Any]:
    """One result (the Registration Statement declared effective) under different efforts standards in different
    clauses: which one binds the Company is left open."""
    hits = list(search(a.document, _EFFORTS))
    stds = {m.group("std").lower() for _, m in hits}
    if len(stds) < 2:
        return []
    # the strictest wording conforms the others ("best" is read as the most demanding)
    rank = ["best", "reasonable best", "diligent", "commercially reasonable", "reasonable commercial", "reasonable",
            "all reasonable", "good faith"]
    strict = min(stds, key=lambda x: rank.index(x) if x in rank else len(rank))
    quotes = list(map(list, dict.fromkeys(tuple(quote(c, m.group(0))) for c, m in hits)))  # the same words once
    # each match by its own place in the clause (the words `search` matched are the clause's own words), so that
    # words a clause repeats get a redline each, widened until they are unique
    reds = [replace_redline(c, own(a.document, c), m.start("std"), m.end("std"), strict, meaning={"*": {}})
            for c, m in hits if m.group("std").lower() != strict]
    by: dict[str, list[str]] = {}
    for c, m in hits:
        by.setdefault(m.group("std").lower(), []).append(c)
    said = "; ".join(f'"{k} efforts" ({", ".join(dict.fromkeys(v))})' for k, v in by.items())
    clauses = tuple(dict.fromkeys(c for c, _ in hits))
    return [finding(
        "efforts-differ", "+".join(clauses), clauses,
        f"{' and '.join(clauses)}: the Company's efforts to have the Registration Statement declared effective are "
        f"measured by different standards: {said}",
        "The same result is owed with different efforts in different clauses, so the Company will argue for the "
        f"lighter standard and the Investors for \"{strict} efforts\", which courts read as the most demanding; a breach "
        "of one may not be a breach of the other.",
        Memo(Severity.MEDIUM, Area.DEADLINES, Favours.COMPANY, quotes, reds, None, (), None,
             certainty=Certainty.ORDINARY,
             open_points=(f"the redline holds the Company to \"{strict} efforts\" throughout; which standard applies is "
                          "a business point",)),
        standards=sorted(stds))]


@detector("cutback-scope")
def cutback_scope(a: Agreement) -> list[Any]:
    """A piggy-back right for offerings "for its own account or the account of others" whose underwriter cutback
    applies only to offerings "for the account of the Company"."""
    out = []
    for clause, m in search(a.document, r"(?:in connection with|in the case of) (?:any |an )?underwritten public offering for "
                                        r"(?P<acct>the account of the Company|the Company's own account),? the managing underwriter"):
        text = own(a.document, clause)
        scope = re.search(r"relating to an offering for its own account or the account of others", text)
        if scope is None:
            continue
        demand = re.search(r"other than holders of securities entitled to inclusion of their securities in such Registration "
                           r"Statement by reason of demand registration rights", text)
        quotes = [quote(clause, scope.group(0)), quote(clause, m.group(0))]
        if demand:
            quotes.append(quote(clause, demand.group(0)))
        f0 = m.start("acct") - len(" for ")
        red = replace_redline(clause, text, f0, m.end("acct"), "")
        out.append(finding(
            "cutback-scope", clause, (clause,),
            f"{clause}: the underwriters' cutback applies only to offerings for the Company's own account",
            "Piggy-back rights attach to registrations for the Company \"or the account of others\", but the cutback applies "
            "only to underwritten offerings for the Company's account: in an offering for other holders (such as the demand "
            "holders the clause itself mentions) the Company must include every share requested even if the underwriters "
            "refuse, which may breach its agreement with those holders.",
            Memo(Severity.MEDIUM, Area.OTHER, Favours.INVESTORS, quotes, [red], None, certainty=Certainty.CONTINGENT)))
    return out


# ------------------------------------------------------------------- words for two parties

# places that name both a State and a city: courts "located in" one of them, with no "State of" or "City of", may be
# either
_STATE_AND_CITY = ("New York", "Washington")


def _forum_points(clause: str, text: str, quotes: list[list[str]], reds: list[Redline]) -> list[str]:
    """What a forum clause leaves unclear: courts "located in" a place that is a State and a city; an exclusive forum
    claimed over other agreements, which may choose their own courts. Adds the quotes and redlines; returns the
    sentences."""
    out = []
    places = "|".join(re.escape(p) for p in _STATE_AND_CITY)
    loc = re.search(rf"\b(?:courts?|tribunals?) (?P<at>(?:located|sitting) in (?P<place>{places}))\b(?! (?:City|County|State)\b)",
                    text, re.IGNORECASE)
    if loc and not re.search(r"(?:State|City|County) of\s*$", text[:loc.start("place")], re.IGNORECASE):
        place = loc.group("place")
        quotes.append(quote(clause, loc.group(0)))
        at = loc.group("at")
        new = at[:-len(place)] + ("THE STATE OF " if place.isupper() else "the State of ") + place
        reds.append(replace_redline(clause, text, loc.start("at"), loc.end("at"), new, meaning={"*": {}}))
        out.append(f"The courts are those \"located in {place.title()}\", which may mean the State or the City of "
                   f"{place.title()}.")
    other = re.search(r"exclusive jurisdiction[^.]*?(?P<o>(?:the |any )?(?:other )?agreements (?:entered into|executed|"
                      r"delivered) in connection here?with)(?! \(except)", text, re.IGNORECASE)
    if other:
        quotes.append(quote(clause, other.group("o")))
        new = " (except as otherwise provided in any such agreement)"
        reds.append(insert_redline(clause, text, other.end("o"), new.upper() if other.group("o").isupper() else new))
        out.append("The exclusive forum is also claimed for \"the agreements entered into in connection herewith\", whose own "
                   "forum clauses may choose other courts: which governs a dispute under them is unclear.")
    return out

_DUAL = re.compile(r"\b(?:both parties|the two parties|either party(?:'s)?|the other party(?: hereto)?)\b", re.IGNORECASE)


def _party_count(a: Agreement) -> int:
    return len([p for p in a.model.parties if p.clause == "signatures"]) + 1


@detector("two-party-words")
def two_party_words(a: Agreement) -> list[Any]:
    """Words for two parties ("both parties", "either party", "the other party") in an agreement of more than two;
    the fee-shifting and forum clause is a memo point, the rest drafting."""
    n = _party_count(a)
    if n <= 2:
        return []
    out = []
    by: dict[str, list[re.Match[str]]] = {}
    for clause, m in search(a.document, _DUAL):
        by.setdefault(clause, []).append(m)
    for clause, ms in by.items():
        text = own(a.document, clause)
        fees = re.search(r"(?:THE PARTY WHICH DOES NOT PREVAIL|THE (?:LOSING|NON-PREVAILING|UNSUCCESSFUL) PARTY)[^.]*\.", text,
                         re.IGNORECASE)
        major = fees is not None or re.search(r"jurisdiction|forum", text, re.IGNORECASE) is not None
        words = sorted({re.sub(r"(?i) hereto$", "", m.group(0)) for m in ms})
        reds: list[Redline] = []
        for w in words:
            low = w.lower()
            new = {"both parties": "the parties", "the two parties": "the parties", "either party": "any party",
                   "either party's": "any party's", "the other party": "any other party"}[low]
            if low == "the other party":
                # a delivery or act owed to all the others is to "each other party"; only what a party may ask for is
                # "any other party" (which does not change who must receive what)
                for m in re.finditer(re.escape(w), text):
                    s0, s1 = sentence(text, m.start())
                    kind = "any other party" if re.search(r"\brequest|\bmay ask|\bdemand", text[s0:s1]) else \
                        "each other party"
                    reds.append(replace_redline(clause, text, m.start(), m.end(), kind.upper() if w.isupper() else kind))
                continue
            new = new.upper() if w.isupper() else (new[0].upper() + new[1:] if w[0].isupper() else new)
            reds.append(Redline(clause, w, new, text.count(w)))
        quotes: list[list[str]] = []
        for m in ms:
            s0, s1 = sentence(text, m.start())
            q = text[s0:s1].strip()
            if q and quote(clause, q) not in quotes and len(quotes) < 2:
                quotes.append(quote(clause, q))
        if fees:
            quotes.append(quote(clause, fees.group(0)))
            up = fees.group(0).isupper()
            new = ("In any dispute arising under this Agreement the court shall award to each party that prevails on the "
                   "principal issues its reasonable fees and expenses, including attorneys' fees, payable by the party or "
                   "parties against which it prevails.")
            reds.append(Redline(clause, fees.group(0), new.upper() if up else new, 1, {"*": {}}))
        if major:
            forum = _forum_points(clause, text, quotes, reds)
            out.append(finding(
                "two-party-words", clause, (clause,),
                f"{clause}: loser-pays and forum written for two parties in a {n}-party agreement"
                + ("; where the courts are and what they hear is unclear" if forum else ""),
                f"{n} parties are named as signatories, but {clause} speaks of " + ", ".join(f'"{w.lower()}"' for w in words)
                + (" and makes \"the party which does not prevail\" pay all fees" if fees else "")
                + ": in a dispute between the Company and several Investors with mixed results it is unclear who prevailed "
                "and who pays whom." + "".join(" " + f for f in forum),
                Memo(Severity.MEDIUM, Area.OTHER, Favours.NEITHER, quotes, reds, None, certainty=Certainty.CONTINGENT)))
        else:
            out.append(finding(
                "two-party-words", clause, (clause,),
                f"{clause}: " + ", ".join(f'"{w}"' for w in words) + f" in a {n}-party agreement",
                "Words for two parties where more than two signed; harmless in practice but worth correcting.",
                Memo(Severity.LOW, Area.PROOFREADING, Favours.NEITHER, quotes, reds, None)))
    return out
