"""The formal model as data: for each numbered clause, the elements it contains, each quoting its words.

Defined terms are not typed in here: `rra.spec.terms` derives them from the text. What is left out of
the model is listed in NOT_FORMALIZED with the reason.
"""

from __future__ import annotations

from rra.spec.elements import (
    CarveOut,
    Condition,
    ConsentRule,
    CrossReference,
    Deadline,
    Element,
    Event,
    Measure,
    MeasureComponent,
    NotFormalized,
    Obligation,
    Offset,
    Party,
    PaymentReading,
    Reading,
    Remedy,
)

PARTIES: tuple[Party, ...] = (
    Party("party.company", "preamble", 'Amnis Systems Inc., a Delaware corporation', name="Amnis Systems Inc.", role="company"),
    Party("party.investors", "preamble",
          'each of the undersigned (together with their respective affiliates and any assignee or transferee of all '
          'of their respective rights hereunder, the "Investors")', name="Investors", role="investor"),
    Party("party.sds", "signatures", "SDS MERCHANT FUND, LP", name="SDS Merchant Fund, LP", role="investor"),
    Party("party.alpha", "signatures", "Alpha Capital Aktiengesellschaft", name="Alpha Capital Aktiengesellschaft", role="investor"),
    Party("party.bristol", "signatures", "Bristol Investment Fund, Ltd.", name="Bristol Investment Fund, Ltd.", role="investor"),
    Party("party.sec", "1(a)(iii)", 'the United States Securities and Exchange Commission (the "SEC")', name="SEC", role="regulator"),
    Party("party.underwriters", "2(b)", "an investment banker or bankers and manager or managers to administer the offering",
          name="Underwriters", role="underwriter"),
    Party("party.inspectors", "3(k)", '(collectively, the "Inspectors")', name="Inspectors", role="inspector"),
    Party("party.investor_counsel", "3(h)", "a single firm of counsel designated by the Investors", name="Investors' counsel",
          role="counsel"),
    Party("party.transfer_agent", "3(n)", "The Company shall provide a transfer agent and registrar", name="Transfer agent",
          role="agent"),
)

EVENTS: tuple[Event, ...] = (
    Event("agreement", "preamble", 'dated as of May 9, 2003', name="Agreement date", controlled_by="external"),
    Event("pfed", "2(a)",
          'the date of the Securities and Exchange Commission declaring effective the Prior Financing Registration '
          'Statement (the "Prior Financing Effective Date")', name="Prior Financing Effective Date", controlled_by="external",
          record="prior_financing_effective"),
    Event("rs_filed", "2(a)", "file with the SEC a Registration Statement", name="Registration Statement filed",
          controlled_by="company", record="filed"),
    Event("rs_effective", "2(c)", "declared effective by the SEC", name="Registration Statement declared effective",
          controlled_by="sec", record="effective"),
    Event("sales_blocked", "2(c)", "sales of all of the Registrable Securities cannot be made pursuant to the Registration Statement",
          name="Sales under the Registration Statement impossible", controlled_by="company"),
    Event("not_listed", "2(c)",
          "the Common Stock is not listed or included for quotation on the OTCBB, Nasdaq, Nasdaq SmallCap, NYSE or AMEX "
          "or that trading thereon is halted", name="Stock not listed or trading halted", controlled_by="market"),
    Event("delisted_major", "2(c)",
          "the Common Stock is not listed or included for quotation on the Nasdaq National Market",
          name="Stock no longer on Nasdaq, SmallCap, NYSE or AMEX after being listed there", controlled_by="market"),
    Event("otcbb_ceased", "2(c)", "the Common Stock ceases to be traded on the Over-the-Counter Bulletin Board",
          name="Stock ceases trading on the OTCBB", controlled_by="market"),
    Event("investor_delay", "2(c)",
          "delays which are solely attributable to changes required by the Investors in the Registration Statement",
          name="Delay caused solely by the Investors", controlled_by="investors"),
    Event("piggyback_notice", "2(d)", "written notice of such determination", name="Piggy-back notice effective",
          controlled_by="company"),
    Event("s3_eligible", "2(e)",
          "the Company first meets the registration eligibility and transaction requirements for the use of Form S-3",
          name="Company first eligible for Form S-3", controlled_by="external", record="s3_eligible"),
    Event("s3_filed", "2(e)", "the Company shall file a Registration Statement on Form S-3", name="Form S-3 filed",
          controlled_by="company", record="s3_filed"),
    Event("s3_effective", "2(e)", "cause such Registration Statement (or such amendment) to be declared effective",
          name="Form S-3 effective", controlled_by="sec", record="s3_effective"),
    Event("more_shares_needed", "3(b)", "after the necessity therefor arises", name="More shares must be registered",
          controlled_by="market", record="more_shares_needed"),
    Event("need_determined", "3(b)",
          "the date on which the Company reasonably first determines (or reasonably should have determined) the need therefor",
          name="Company determines more shares are needed", controlled_by="external", record="need_determined"),
    Event("additional_filed", "3(b)", "the Company shall amend the Registration Statement, or file a new Registration Statement",
          name="Amendment or new Registration Statement filed", controlled_by="company", record="additional_filed"),
    Event("additional_effective", "3(b)", "the amended and/or new Registration Statement is not declared effective",
          name="Amendment or new Registration Statement effective", controlled_by="sec", record="additional_effective"),
    Event("document_filed", "3(c)", "after the same is prepared and publicly distributed, filed with the SEC, or received by the Company",
          name="Filing or SEC correspondence", controlled_by="company", record="documents[].filed"),
    Event("sec_comments", "3(c)", "any and all comments received from the SEC", name="SEC comment letter received",
          controlled_by="sec", record="sec_comments[].received"),
    Event("comments_answered", "3(c)", "respond to any and all comments received from the SEC", name="Company answers comments",
          controlled_by="company", record="sec_comments[].answered"),
    Event("comments_cleared", "3(c)",
          "following the resolution or clearance of all SEC comments or, if applicable, following notification by the SEC "
          "that any such Registration Statement or any amendment thereto will not be subject to review",
          name="SEC comments cleared (or no review)", controlled_by="sec", record="comments_cleared"),
    Event("acceleration_requested", "3(c)", "file an acceleration request", name="Acceleration requested", controlled_by="company", record="acceleration_requested"),
    Event("effectiveness_order", "3(c)", "receipt by the Company from the SEC of an order declaring the Registration Statement effective",
          name="Effectiveness order received", controlled_by="sec", record="effectiveness_order"),
    Event("final_prospectus_filed", "3(c)", "file with the SEC a final prospectus", name="Final prospectus filed",
          controlled_by="company", record="final_prospectus_filed"),
    Event("material_event", "3(f)",
          "the happening of any event, of which the Company has knowledge, as a result of which the prospectus included in "
          "any Registration Statement, as then in effect, includes an untrue statement of a material fact",
          name="Prospectus becomes misleading", controlled_by="external"),
    Event("allowed_delay", "3(f)", '(an "Allowed Delay")', name="Allowed Delay", controlled_by="company"),
    Event("stop_order", "3(g)", "the issuance of any stop order or other suspension of effectiveness of any Registration Statement",
          name="Stop order", controlled_by="sec"),
    Event("period_close", "3(i)", "the close of the period covered thereby", name="Close of an earnings period",
          controlled_by="external"),
    Event("first_anticipated_filing", "4(a)", "the first anticipated filing date of the Registration Statement",
          name="First anticipated filing date", controlled_by="company", record="first_anticipated_filing"),
    Event("suspension_notice", "4(d)", "upon receipt of any notice from the Company of the happening of any event of the kind "
          "described in Section 3(f) or 3(g)", name="Investor receives 3(f)/3(g) notice", controlled_by="company"),
    Event("amended_prospectus_received", "4(d)",
          "until such Investor's receipt of the copies of the supplemented or amended prospectus",
          name="Investor receives amended prospectus", controlled_by="company"),
    Event("claim_notice", "6(c)", "notice of the commencement of any action", name="Notice of an action", controlled_by="external"),
    Event("transfer", "9", "any transferee of all or any portion of Registrable Securities", name="Transfer of Registrable Securities",
          controlled_by="investors"),
    Event("notice_sent", "11(b)", "Any notices required or permitted to be given under the terms hereof shall be sent",
          name="Notice sent", controlled_by="company", record="notices[].sent"),
)

DEADLINES: tuple[Deadline, ...] = (
    Deadline("deadline.filing_date", "2(a)",
             'on or prior to the earlier of (i) thirty (30) days from the date of the Securities and Exchange Commission '
             'declaring effective the Prior Financing Registration Statement (the "Prior Financing Effective Date") or '
             '(ii) December 15, 2003 (the "Filing Date")',
             name="Filing Date",
             terms=(Offset(anchor="pfed", offset="filing.days_after_pfed"), Offset(fixed="filing.outside_date"))),
    Deadline("deadline.effectiveness", "2(c)",
             "declared effective by the SEC on or prior to the earlier of (A) ninety (90) days from the Prior Financing "
             "Effective Date or (B) March 15, 2004",
             name="Effectiveness deadline (2(c))", bounds="rs_effective", trigger="2(c).triggers",
             terms=(Offset(anchor="pfed", offset="effectiveness.days_after_pfed"), Offset(fixed="effectiveness.outside_date"))),
    Deadline("deadline.effectiveness_3a", "3(a)",
             "but in no event later than ninety (90) days from the Prior Financing Effective Date)",
             name="Effectiveness deadline (3(a))", combine="single",
             terms=(Offset(anchor="pfed", offset="company.effective_days_after_pfed"),)),
    Deadline("deadline.ninety_day_period", "2(c)", "the end of the aforementioned ninety (90) day period",
             name="End of the ninety-day period", combine="first",
             terms=(Offset(anchor="pfed", offset="effectiveness.days_after_pfed"), Offset(fixed="effectiveness.outside_date"))),
    Deadline("deadline.piggyback_request", "2(d)", "within fifteen (15) days after the effective date of such notice",
             name="Piggy-back request window", combine="single",
             terms=(Offset(anchor="piggyback_notice", offset="piggyback.request_days"),)),
    Deadline("deadline.s3_filing", "2(e)",
             "not later than five (5) business days after the Company first meets the registration eligibility and "
             "transaction requirements for the use of Form S-3",
             name="Form S-3 filing deadline", combine="single",
             terms=(Offset(anchor="s3_eligible", offset="s3.filing_business_days"),)),
    Deadline("deadline.s3_effective", "2(e)",
             "to be declared effective no later than ninety (90) days after Prior Financing Effective Date",
             name="Form S-3 effectiveness deadline", combine="single",
             terms=(Offset(anchor="pfed", offset="s3.effective_days_after_pfed"),)),
    Deadline("deadline.additional_filing", "3(b)", "but in any event within fifteen (15) days after the necessity therefor arises",
             name="Additional Registration Statement filing deadline", combine="single",
             terms=(Offset(anchor="more_shares_needed", offset="additional.filing_days"),)),
    Deadline("deadline.additional_effective", "3(b)",
             "but in any event within thirty (30) days after the date on which the Company reasonably first determines "
             "(or reasonably should have determined) the need therefor",
             name="Additional Registration Statement effectiveness deadline", combine="single",
             terms=(Offset(anchor="need_determined", offset="additional.effective_days"),)),
    Deadline("deadline.additional_payment", "3(b)",
             "is not declared effective within thirty (30) days following the date on which the Company reasonably first "
             "determines",
             name="Additional Registration Statement payment trigger", combine="single", bounds="additional_effective",
             trigger="remedy.3b_payments",
             terms=(Offset(anchor="need_determined", offset="additional.payment_days"),)),
    Deadline("deadline.furnish_documents", "3(c)",
             "(i) promptly (but in no event more than two (2) business days) after the same is prepared",
             name="Furnish filings and SEC letters", combine="single",
             terms=(Offset(anchor="document_filed", offset="furnish.documents_business_days"),)),
    Deadline("deadline.furnish_prospectus", "3(c)",
             "(ii) promptly (but in no event more than two (2) business days) after the Registration Statement is declared effective",
             name="Furnish prospectus copies", combine="single",
             terms=(Offset(anchor="rs_effective", offset="furnish.prospectus_business_days"),)),
    Deadline("deadline.comment_response", "3(c)",
             "promptly (but in no event more than ten (10) days) respond to any and all comments received from the SEC",
             name="Answer SEC comments", combine="single",
             terms=(Offset(anchor="sec_comments", offset="comments.response_days"),)),
    Deadline("deadline.acceleration", "3(c)",
             "(but in no event more than two (2) business days) following the resolution or clearance of all SEC comments",
             name="Request acceleration", combine="single",
             terms=(Offset(anchor="comments_cleared", offset="acceleration.business_days"),)),
    Deadline("deadline.final_prospectus", "3(c)",
             "(but in no event more than two (2) business days) following receipt by the Company from the SEC of an order "
             "declaring the Registration Statement effective",
             name="File final prospectus", combine="single",
             terms=(Offset(anchor="effectiveness_order", offset="final_prospectus.business_days"),)),
    Deadline("deadline.earnings_statement", "3(i)", "not later than ninety (90) days after the close of the period covered thereby",
             name="Earnings statement", combine="single",
             terms=(Offset(anchor="period_close", offset="earnings.days_after_period"),)),
    Deadline("deadline.transfer_agent", "3(o)",
             "within three (3) business days after a Registration Statement which includes Registrable Securities is "
             "ordered effective by the SEC",
             name="Transfer agent instruction and opinion", combine="single",
             terms=(Offset(anchor="rs_effective", offset="transfer_agent.business_days"),)),
    Deadline("deadline.investor_info_notice", "4(a)",
             "At least five (5) business days prior to the first anticipated filing date of the Registration Statement",
             name="Tell Investors what information is needed", combine="single",
             terms=(Offset(anchor="first_anticipated_filing", offset="investor_info.notice_business_days", before=True),)),
    Deadline("deadline.notice_effective_mail", "11(b)",
             "shall be effective five days after being placed in the mail, if mailed by regular United States mail",
             name="Mailed notice takes effect", combine="single", only=("method", "mail"),
             terms=(Offset(anchor="notice_sent", offset="notice.mail_days"),)),
)

PAY = ("remedy.2c_payments",)

OBLIGATIONS: tuple[Obligation, ...] = (
    Obligation("2(a).file", "2(a)",
               "The Company shall prepare, and, on or prior to the earlier of (i) thirty (30) days from the date of the "
               "Securities and Exchange Commission declaring effective",
               action="prepare and file a Registration Statement covering the Registrable Securities",
               deadline="deadline.filing_date", remedies=PAY, performs="rs_filed"),
    Obligation("2(a).share_count", "2(a)",
               "The number of shares of Common Stock initially included in such Registration Statement shall be no less than "
               "an amount equal to two (2) times the sum of the number of Conversion Shares",
               action="register at least twice the shares then issuable", reads=("registration.share_multiple",)),
    Obligation("2(c).best_efforts", "2(c)",
               "The Company shall use its best efforts to obtain effectiveness of the Registration Statement as soon as practicable.",
               action="obtain effectiveness as soon as practicable", trigger="rs_filed", effort="best efforts"),
    Obligation("2(c).pay", "2(c)",
               "the Company will make payments to the Investors in such amounts and at such times as shall be determined "
               "pursuant to this Section 2(c)", action="make the 2(c) payments", reads=("payments.applicable_percentage",)),
    Obligation("2(d).notice", "2(d)",
               "the Company shall send to each Investor who is entitled to registration rights under this Section 2(d) "
               "written notice of such determination", action="give piggy-back notice", trigger="piggyback_notice"),
    Obligation("2(d).include", "2(d)",
               "the Company shall include in such Registration Statement all or any part of the Registrable Securities such "
               "Investor requests to be registered", action="include requested Registrable Securities",
               trigger="piggyback_notice", deadline="deadline.piggyback_request"),
    Obligation("2(e).reports", "2(e)",
               "The Company agrees to file all reports required to be filed by the Company with the SEC in a timely manner so "
               "as to remain eligible or become eligible", action="file SEC reports on time to stay or become S-3 eligible"),
    Obligation("2(e).s3_file", "2(e)", "the Company shall file a Registration Statement on Form S-3",
               action="file on Form S-3 (or convert under Rule 429)", trigger="s3_eligible",
               deadline="deadline.s3_filing", remedies=PAY, performs="s3_filed"),
    Obligation("2(e).s3_effective", "2(e)",
               "cause such Registration Statement (or such amendment) to be declared effective no later than ninety (90) days "
               "after Prior Financing Effective Date", action="cause the Form S-3 to be declared effective",
               trigger="s3_eligible", deadline="deadline.s3_effective", remedies=PAY, performs="s3_effective"),
    Obligation("3(a).file", "3(a)", "file with the SEC not later than the Filing Date, a Registration Statement",
               action="file the Registration Statement", deadline="deadline.filing_date", effort="promptly", performs="rs_filed"),
    Obligation("3(a).effective", "3(a)",
               "use its best efforts to cause such Registration Statement relating to Registrable Securities to become "
               "effective as soon as possible after such filing", action="cause effectiveness",
               trigger="rs_filed", deadline="deadline.effectiveness_3a", effort="best efforts", performs="rs_effective"),
    Obligation("3(a).keep_effective", "3(a)", "keep the Registration Statement effective pursuant to Rule 415 at all times",
               action="keep the Registration Statement effective during the Registration Period", trigger="rs_effective"),
    Obligation("3(b).amend", "3(b)",
               "as may be necessary to keep the Registration Statements effective at all times during the Registration Period",
               action="file amendments and supplements needed to stay effective", trigger="rs_effective"),
    Obligation("3(b).file_more", "3(b)", "the Company shall amend the Registration Statement, or file a new Registration Statement",
               action="register more shares", trigger="more_shares_needed", deadline="deadline.additional_filing",
               effort="as practicable", performs="additional_filed"),
    Obligation("3(b).more_effective", "3(b)",
               "The Company shall use its best efforts to cause such amendment and/or new Registration Statement to become "
               "effective as soon as practicable following the filing thereof",
               action="cause the amendment or new Registration Statement to be effective", trigger="need_determined",
               deadline="deadline.additional_effective", effort="best efforts", remedies=PAY, performs="additional_effective"),
    Obligation("3(c).furnish_documents", "3(c)", "The Company shall furnish to each Investor",
               action="furnish filings, prospectuses and SEC correspondence", trigger="document_filed",
               deadline="deadline.furnish_documents", effort="promptly", remedies=PAY, record="documents[].furnished"),
    Obligation("3(c).furnish_prospectus", "3(c)",
               "such number of copies of a prospectus, including a preliminary prospectus, and all amendments and supplements thereto",
               action="furnish prospectus copies", trigger="rs_effective", deadline="deadline.furnish_prospectus",
               effort="promptly", remedies=PAY),
    Obligation("3(c).notify_effective", "3(c)",
               "The Company will immediately notify each Investor by facsimile of the effectiveness of each Registration Statement",
               action="notify Investors of effectiveness by facsimile", trigger="rs_effective", effort="immediately",
               remedies=PAY),
    Obligation("3(c).respond_comments", "3(c)", "respond to any and all comments received from the SEC",
               action="answer SEC comments", trigger="sec_comments", deadline="deadline.comment_response",
               effort="promptly", remedies=PAY, performs="comments_answered"),
    Obligation("3(c).acceleration", "3(c)", "shall promptly file an acceleration request", action="request acceleration",
               trigger="comments_cleared", deadline="deadline.acceleration", effort="promptly", remedies=PAY, performs="acceleration_requested"),
    Obligation("3(c).final_prospectus", "3(c)", "shall promptly file with the SEC a final prospectus",
               action="file the final prospectus", trigger="effectiveness_order", deadline="deadline.final_prospectus",
               effort="promptly", remedies=PAY, performs="final_prospectus_filed"),
    Obligation("3(d).blue_sky", "3(d)", "The Company shall use reasonable efforts to (i) register and qualify the Registrable Securities",
               action="qualify under blue sky laws", effort="reasonable efforts"),
    Obligation("3(e).underwriting", "3(e)", "the Company shall enter into and perform its obligations under an underwriting agreement",
               action="sign an underwriting agreement"),
    Obligation("3(f).notify_event", "3(f)",
               "As promptly as practicable after becoming aware of such event, the Company shall notify each Investor",
               action="notify Investors that the prospectus is misleading", trigger="material_event", effort="as practicable"),
    Obligation("3(f).supplement", "3(f)",
               "use its best efforts promptly to prepare a supplement or amendment to any Registration Statement to correct "
               "such untrue statement or omission", action="correct the prospectus", trigger="material_event",
               effort="best efforts"),
    Obligation("3(f).delay_notice", "3(f)",
               "the Company shall promptly (i) notify the Investors in writing of the existence of",
               action="notify an Allowed Delay and advise to cease sales", trigger="allowed_delay", effort="promptly"),
    Obligation("3(g).stop_order", "3(g)",
               "The Company shall use its best efforts to prevent the issuance of any stop order or other suspension of "
               "effectiveness of any Registration Statement",
               action="prevent stop orders and have them withdrawn", trigger="stop_order", effort="best efforts"),
    Obligation("3(h).counsel_review", "3(h)",
               "The Company shall permit a single firm of counsel designated by the Investors to review such Registration Statement",
               action="let Investors' counsel review filings", trigger="rs_filed", effort="reasonable efforts"),
    Obligation("3(i).earnings", "3(i)", "The Company shall make generally available to its security holders as soon as practicable",
               action="publish an earnings statement", trigger="period_close",
               deadline="deadline.earnings_statement", effort="as practicable", reads=("earnings.period_months",)),
    Obligation("3(j).opinion", "3(j)", "At the request of any Investor, the Company shall furnish",
               action="furnish a legal opinion and a comfort letter", trigger="rs_effective"),
    Obligation("3(k).inspection", "3(k)", "The Company shall make available for inspection by (i) any Investor",
               action="open records to Inspectors"),
    Obligation("3(k).investor_notice", "3(k)",
               "Each Investor agrees that it shall, upon learning that disclosure of such Records is sought",
               bearer="investors", action="warn the Company of compelled disclosure", effort="promptly"),
    Obligation("3(l).confidentiality", "3(l)",
               "The Company shall hold in confidence and not make any disclosure of information concerning an Investor",
               action="keep Investor information confidential"),
    Obligation("3(m).listing", "3(m)", "The Company shall (i) cause all the Registrable Securities covered by the Registration "
               "Statement to be listed", action="list or quote the Registrable Securities",
               reads=("listing.market_makers",)),
    Obligation("3(n).transfer_agent", "3(n)",
               "The Company shall provide a transfer agent and registrar, which may be a single entity, for the Registrable "
               "Securities not later than the effective date of the Registration Statement",
               action="appoint a transfer agent by effectiveness", trigger="rs_effective"),
    Obligation("3(o).instruction", "3(o)",
               "the Company shall deliver, and shall cause legal counsel selected by the Company to deliver, to the transfer agent",
               action="instruct the transfer agent and deliver counsel's opinion", trigger="rs_effective",
               deadline="deadline.transfer_agent"),
    Obligation("3(p).plan_change", "3(p)",
               "the Company shall prepare and file with the SEC such amendments (including post-effective amendments) and "
               "supplements", action="amend to change the plan of distribution on request"),
    Obligation("3(q).no_other_holders", "3(q)", "the Company shall not, and shall not agree to, allow the holders of any securities "
               "of the Company to include any of their securities", action="keep others out of the 2(a) registration"),
    Obligation("3(r).expedite", "3(r)", "The Company shall take all other reasonable actions necessary to expedite and facilitate "
               "disposition", action="expedite dispositions", effort="reasonable efforts"),
    Obligation("4(a).information", "4(a)",
               "such Investor shall furnish to the Company such information regarding itself, the Registrable Securities held "
               "by it and the intended method of disposition", bearer="investors", action="furnish information"),
    Obligation("4(a).company_notice", "4(a)",
               "the Company shall notify each Investor of the information the Company requires from each such Investor",
               action="tell Investors what information is needed", trigger="first_anticipated_filing",
               deadline="deadline.investor_info_notice", record="investor_info_notice"),
    Obligation("4(b).cooperate", "4(b)", "agrees to cooperate with the Company as reasonably requested by the Company",
               bearer="investors", action="cooperate with the filing", effort="reasonable efforts"),
    Obligation("4(c).underwriting", "4(c)", "each Investor agrees to enter into and perform such Investor's obligations under an "
               "underwriting agreement", bearer="investors", action="sign the underwriting agreement"),
    Obligation("4(d).discontinue", "4(d)",
               "such Investor will immediately discontinue disposition of Registrable Securities pursuant to the Registration "
               "Statement", bearer="investors", action="stop selling (blackout)", trigger="suspension_notice",
               effort="immediately"),
    Obligation("5.expenses", "5", "shall be borne by the Company", action="bear registration expenses"),
    Obligation("6(a).indemnify", "6(a)", "the Company will indemnify, hold harmless and defend", action="indemnify Investors",
               trigger="claim_notice"),
    Obligation("6(b).indemnify", "6(b)", "each such Investor agrees severally and not jointly to indemnify, hold harmless and defend",
               bearer="investors", action="indemnify the Company for Investor information", trigger="claim_notice"),
    Obligation("6(c).notice", "6(c)",
               "deliver to the indemnifying party a written notice of the commencement thereof", bearer="any",
               action="notify the indemnifying party of an action", trigger="claim_notice", effort="promptly"),
    Obligation("6(c).one_counsel", "6(c)", "The indemnifying party shall pay for only one separate legal counsel for the "
               "Indemnified Persons or the Indemnified Parties", bearer="any",
               action="pay for separate counsel (one firm at most)", reads=("indemnity.counsel_count",)),
    Obligation("7.contribute", "7", "the indemnifying party agrees to make the maximum contribution", bearer="any",
               action="contribute where indemnity is unavailable"),
    Obligation("8.rule144", "8", "the Company agrees to:", action="keep Rule 144 available"),
    Obligation("8(a).public_info", "8(a)", "make and keep public information available", action="keep public information available"),
    Obligation("8(b).reports", "8(b)", "file with the SEC in a timely manner all reports and other documents required of the Company",
               action="file periodic reports on time"),
    Obligation("8(c).furnish", "8(c)", "furnish to each Investor so long as such Investor owns Registrable Securities, promptly upon request",
               action="furnish Rule 144 statements and reports", effort="promptly"),
    Obligation("11(j).further_assurances", "11(j)", "Each party shall do and perform, or cause to be done and performed, all such "
               "further acts and things", bearer="any", action="give further assurances", effort="reasonable efforts"),
)

CONDITIONS: tuple[Condition, ...] = (
    Condition("recital(A).amounts", "recital(A)",
              "convertible debentures in the aggregate principal amount of up to One Million Dollars ($1,000,000)",
              applies_to=("remedy.2c_payments",), description="Outstanding principal and Warrant Shares cannot exceed "
              "the amounts sold.", reads=("debentures.max_principal", "warrants.max_shares")),
    Condition("2(b).underwritten", "2(b)",
              "If any offering pursuant to a Registration Statement pursuant to Section 2(a) hereof involves an underwritten offering",
              applies_to=("consent.2(b)",), description="Applies only to underwritten offerings."),
    Condition("2(c).triggers", "2(c)",
              "If (i) the Registration Statement(s) covering the Registrable Securities required to be filed by the Company "
              "pursuant to Section 2(a) hereof is not filed by the Filing Date or declared effective by the SEC on or prior to "
              "the earlier of", applies_to=("remedy.2c_payments",),
              description="Payments start on late filing, late effectiveness, blocked sales, delisting or OTCBB cessation.",
              reads=("effectiveness.days_after_pfed", "effectiveness.outside_date")),
    Condition("2(d).trigger", "2(d)",
              "if at any time prior to the expiration of the Registration Period (as hereinafter defined) the Company shall "
              "determine to file with the SEC a Registration Statement", applies_to=("2(d).notice",),
              description="Piggy-back rights arise when the Company files for itself or others before the Registration Period ends."),
    Condition("2(d).request", "2(d)", "if within fifteen (15) days after the effective date of such notice, such Investor shall so "
              "request in writing", applies_to=("2(d).include",), description="Investor must ask in writing within the window.",
              reads=("piggyback.request_days",)),
    Condition("2(e).not_eligible", "2(e)", "If the Company is not currently eligible to use Form S-3",
              applies_to=("2(e).s3_file", "2(e).s3_effective"), description="S-3 duties arise only if not already eligible.",
              after_signing="s3_eligible"),
    Condition("3(b).shortfall", "3(b)",
              "In the event the number of shares available under a Registration Statement filed pursuant to this Agreement "
              "is insufficient to cover all of the Registrable Securities",
              applies_to=("3(b).file_more", "3(b).more_effective", "2(c)(ii)"),
              description="The shortfall that triggers 3(b) is itself a state in which sales of all of the Registrable "
                          "Securities cannot be made, which 2(c)(ii) counts if any shortfall counts (the words may also "
                          "be read as a total stop)."),
    Condition("3(e).selected", "3(e)", "In the event Investors who hold a majority-in-interest of the Registrable Securities being "
              "offered in the offering", applies_to=("3(e).underwriting",), description="Only once underwriters are selected."),
    Condition("3(j).request", "3(j)", "At the request of any Investor", applies_to=("3(j).opinion",),
              description="Only on an Investor's request."),
    Condition("3(k).confidentiality_agreement", "3(k)",
              "The Company shall not be required to disclose any confidential information in such Records to any Inspector "
              "until and unless such Inspector shall have entered into confidentiality agreements",
              applies_to=("3(k).inspection",), description="Confidential Records only after a confidentiality agreement."),
    Condition("4(a).precedent", "4(a)",
              "It shall be a condition precedent to the obligations of the Company to complete the registration pursuant to "
              "this Agreement with respect to the Registrable Securities of a particular Investor",
              applies_to=("2(a).file", "3(a).effective"), description="Each Investor must furnish its information first."),
    Condition("4(c).engaged", "4(c)", "In the event Investors holding a majority-in-interest of the Registrable Securities being "
              "registered (with the approval of the Investors) determine to engage the services of an underwriter",
              applies_to=("4(c).underwriting",), description="Only if an underwriter is engaged."),
    Condition("4(e).participation", "4(e)", "No Investor may participate in any underwritten registration hereunder unless such Investor",
              applies_to=("4(c).underwriting",), description="Three conditions to join an underwritten offering."),
    Condition("6.included", "6", "In the event any Registrable Securities are included in a Registration Statement under this Agreement",
              applies_to=("6(a).indemnify", "6(b).indemnify"), description="Indemnities apply once securities are included."),
    Condition("7.indemnity_unavailable", "7", "To the extent any indemnification by an indemnifying party is prohibited or limited by law",
              applies_to=("7.contribute",), description="Contribution only where indemnity fails."),
    Condition("8(b).subject", "8(b)", "so long as the Company remains subject to such requirements", applies_to=("8(b).reports",),
              description="Only while the Company must report."),
    Condition("9.conditions", "9",
              "The rights under this Agreement shall be automatically assignable by the Investors to any transferee of all or "
              "any portion of Registrable Securities if:", applies_to=("consent.9",),
              description="Six conditions (i)-(vi) for an automatic assignment."),
    Condition("11(b).methods", "11(b)",
              "shall be sent by certified or registered mail (return receipt requested) or delivered personally or by courier "
              "(including a recognized overnight delivery service) or by facsimile", applies_to=("deadline.notice_effective_mail",),
              description="Permitted ways to send a notice.", reads=("notice.mail_days",)),
)

CARVE_OUTS: tuple[CarveOut, ...] = (
    CarveOut("2(c).investor_delays", "2(c)",
             "there shall be excluded from such period any delays which are solely attributable to changes required by the "
             "Investors in the Registration Statement with respect to information relating to the Investors",
             applies_to=("remedy.2c_payments",), description="Investor-caused delays do not count toward (i)."),
    CarveOut("2(c).allowed_delay", "2(c)", "but excluding any days during an Allowed Delay (as defined in Section 3(f))",
             applies_to=("remedy.2c_payments",), description="Allowed Delay days do not count toward (ii)."),
    CarveOut("2(d).cutback", "2(d)",
             "the Company shall be obligated to include in such Registration Statement only such limited portion of the "
             "Registrable Securities", applies_to=("2(d).include",), description="Underwriter cutbacks, pro rata."),
    CarveOut("2(d).prior_financing", "2(d)", "this Section 2(d) shall not apply to the Prior Financing Registration Statement",
             applies_to=("2(d).notice",), description="No piggy-back on the Prior Financing Registration Statement."),
    CarveOut("2(d).excluded_forms", "2(d)", "other than on Form S-4 or Form S-8", applies_to=("2(d).notice",),
             description="No piggy-back on S-4 or S-8 registrations."),
    CarveOut("3(d).proviso", "3(d)", "the Company shall not be required in connection therewith or as a condition thereto to (a) "
             "qualify to do business in any jurisdiction", applies_to=("3(d).blue_sky",),
             description="Five things the Company need not do for blue sky qualification."),
    CarveOut("3(f).allowed_delay", "3(f)",
             "for not more than ten (10) consecutive trading days (or a total of not more than twenty (20) trading days in any "
             "twelve (12) month period), the Company may delay the disclosure of material non-public information",
             applies_to=("3(f).notify_event", "3(f).supplement"), description="Allowed Delay: bounded right to delay disclosure.",
             reads=("allowed_delay.max_consecutive", "allowed_delay.max_total", "allowed_delay.window_months")),
    CarveOut("3(k).exceptions", "3(k)", "unless (a) the disclosure", applies_to=("3(k).inspection",),
             description="Inspectors may disclose to avoid misstatements, under subpoena, or public information."),
    CarveOut("3(l).exceptions", "3(l)", "unless (i) disclosure of such information is necessary to comply with federal or state "
             "securities laws", applies_to=("3(l).confidentiality",), description="Four exceptions to the Company's confidentiality."),
    CarveOut("4(b).opt_out", "4(b)", "unless such Investor has notified the Company in writing of such Investor's election to "
             "exclude all of such Investor's Registrable Securities from the Registration Statements",
             applies_to=("4(b).cooperate",), description="An Investor who opts out need not cooperate."),
    CarveOut("4(c).opt_out", "4(c)", "unless such Investor has notified the Company in writing of such Investor's election to "
             "exclude all of such Investor's Registrable Securities from such Registration Statement",
             applies_to=("4(c).underwriting",), description="An Investor who opts out need not sign."),
    CarveOut("6(a).exclusions", "6(a)", "the indemnification agreement contained in this Section 6(a): (i) shall not apply to a "
             "Claim arising out of or based upon a Violation which occurs in reliance upon and in conformity with information "
             "furnished in writing", applies_to=("6(a).indemnify",), description="Investor information, unconsented settlements, "
             "corrected preliminary prospectus."),
    CarveOut("6(b).settlement", "6(b)", "the indemnity agreement contained in this Section 6(b) shall not apply to amounts paid in "
             "settlement of any Claim if such settlement is effected without the prior written consent of such Investor",
             applies_to=("6(b).indemnify",), description="Unconsented settlements excluded."),
    CarveOut("6(b).cap", "6(b)",
             "the Investor shall be liable under this Agreement (including this Section 6(b) and Section 7) for only that amount "
             "as does not exceed the net proceeds to such Investor as a result of the sale of Registrable Securities",
             applies_to=("6(b).indemnify", "7.contribute"), description="Investor liability capped at its net proceeds."),
    CarveOut("6(c).late_notice", "6(c)", "The failure to deliver written notice to the indemnifying party within a reasonable time "
             "of the commencement of any such action shall not relieve such indemnifying party of any liability",
             applies_to=("6(c).notice",), description="Late notice excuses only to the extent of actual prejudice."),
    CarveOut("7.limits", "7", "(iii) contribution (together with any indemnification or other obligations under this Agreement) by any "
             "seller of Registrable Securities shall be limited in amount to the net amount of proceeds received by such seller",
             applies_to=("7.contribute",), description="Fault standard, fraud, and the net-proceeds cap."),
    CarveOut("11(c).no_waiver", "11(c)", "Failure of any party to exercise any right or remedy under this Agreement or otherwise, or "
             "delay by a party in exercising such right or remedy, shall not operate as a waiver thereof",
             applies_to=("remedy.2c_payments",), description="Delay in claiming a remedy does not waive it."),
)

REMEDIES: tuple[Remedy, ...] = (
    Remedy("remedy.2c_payments", "2(c)",
           "The Company shall pay to each holder of the Debentures or Registrable Securities an amount equal to the then "
           "outstanding principal amount of the Debentures",
           name="Section 2(c) payments",
           measure="Outstanding Principal Amount x Applicable Percentage x (months of (i) late filing/effectiveness + "
                   "(ii) blocked sales after effectiveness less Allowed Delays + (iii) not listed or halted after effectiveness)",
           triggers=("2(a).file", "3(a).effective", "2(e).s3_file", "2(e).s3_effective", "3(b).more_effective",
                     "3(c).furnish_documents", "3(c).furnish_prospectus", "3(c).notify_effective", "3(c).respond_comments",
                     "3(c).acceleration", "3(c).final_prospectus", "sales_blocked", "delisted_major", "otcbb_ceased"),
           measured_by=("rs_filed", "rs_effective", "sales_blocked", "not_listed"),
           reads=("payments.applicable_percentage", "payments.cap", "payments.month_convention", "payments.example_amount",
                  "payments.example_principal", "payments.example_months", "payments.example_anchor_days")),
    Remedy("remedy.2c_not_exclusive", "2(c)", "which remedy shall not be exclusive of any other remedies available at law or in equity",
           name="2(c) payments are not exclusive", measure="Other remedies remain available."),
    Remedy("remedy.2c_form", "2(c)", "Such amounts shall be paid in cash or, at the Company's option, in shares of Common Stock priced "
           "at the Conversion Price", name="Cash or shares at the Company's option",
           measure="Payment in cash or shares at the Conversion Price."),
    Remedy("remedy.2e_payments", "2(e)", "In the event of a breach by the Company of the provisions of this Section 2(e), the Company "
           "will be required to make payments pursuant to Section 2(c) hereof", name="2(e) breach pays under 2(c)",
           measure="By reference to 2(c)", triggers=("2(e).s3_file", "2(e).s3_effective")),
    Remedy("remedy.3b_payments", "3(b)", "the Company must make payments to the Investors pursuant to Section 2(c) hereof",
           name="3(b) late effectiveness pays under 2(c)", measure="By reference to 2(c)",
           triggers=("3(b).more_effective",), reads=("additional.payment_days",)),
    Remedy("remedy.3c_payments", "3(c)", "In the event of a breach by the Company of the provisions of this Section 3(c), the Company "
           "will be required to make payments pursuant to Section 2(c) hereof", name="3(c) breach pays under 2(c)",
           measure="By reference to 2(c)",
           triggers=("3(c).furnish_documents", "3(c).furnish_prospectus", "3(c).notify_effective", "3(c).respond_comments",
                     "3(c).acceleration", "3(c).final_prospectus")),
    Remedy("remedy.indemnity", "6(a)", "the Company shall reimburse the Indemnified Person, promptly as such expenses are incurred",
           name="Indemnity payments", measure="Losses and legal fees as incurred."),
    Remedy("remedy.periodic", "6(c)", "The indemnification required by this Section 6 shall be made by periodic payments",
           name="Periodic indemnity payments", measure="Paid during the investigation or defense."),
    Remedy("remedy.fees", "11(d)", "THE PARTY WHICH DOES NOT PREVAIL IN ANY DISPUTE ARISING UNDER THIS AGREEMENT SHALL BE RESPONSIBLE "
           "FOR ALL FEES AND EXPENSES", name="Loser pays", measure="The prevailing party's fees and expenses."),
    Remedy("remedy.injunction", "11(l)", "each Investor shall be entitled, in addition to all other available remedies in law or in "
           "equity, and in addition to the penalties assessable herein, to an injunction or injunctions",
           name="Injunction and specific performance", measure="Equitable relief without bond or proof of loss."),
)

CONSENT_RULES: tuple[ConsentRule, ...] = (
    ConsentRule("consent.2(a)", "2(a)", "subject to the consent of the Investors, which consent will not be unreasonably withheld",
                decision="form of the Registration Statement", basis="registrable_as_converted", threshold="unqualified",
                requires=("company",),
                decides="the form of the Registration Statement", acts="company"),
    ConsentRule("consent.2(b)", "2(b)",
                "the Investors who hold a majority in interest of the Debentures and the purchase price of Debentures that have "
                "been converted but not registered subject to such underwritten offering shall have the right to select one "
                "legal counsel", decision="select counsel for a 2(a) underwritten offering",
                basis="debentures_and_converted_unregistered", threshold="majority", share="consent.2(b).share",
                decides="counsel for an underwritten offering", acts="investors"),
    ConsentRule("consent.2(b).underwriters", "2(b)",
                "shall have the right to select one legal counsel and an investment banker or bankers and manager or managers "
                "to administer the offering, which investment banker or bankers or manager or managers shall be reasonably "
                "satisfactory to the Company", decision="select underwriters for a 2(a) underwritten offering",
                basis="debentures_and_converted_unregistered", threshold="majority", requires=("company_reasonable",), share="consent.2(b).share",
                decides="the underwriters of an underwritten offering", acts="investors"),
    ConsentRule("consent.3(d)", "3(d)", "as the Investors who hold a majority in interest of the Registrable Securities being offered "
                "reasonably request", decision="choose blue sky jurisdictions", basis="registrable_offered", share="consent.3(d).share",
                decides="the blue sky jurisdictions", acts="investors"),
    ConsentRule("consent.3(e)", "3(e)",
                "In the event Investors who hold a majority-in-interest of the Registrable Securities being offered in the offering "
                "(with the approval of a majority-in-interest of the Investors) select underwriters for the offering",
                decision="select underwriters (the Company must sign the underwriting agreement)", basis="registrable_offered",
                requires=("investors_majority",), share="consent.3(e).share", approval_share="consent.3(e).approval_share",
                decides="the underwriters of an underwritten offering", acts="investors"),
    ConsentRule("consent.3(h)", "3(h)", "a single firm of counsel designated by the Investors", decision="designate reviewing counsel",
                basis="registrable_as_converted", threshold="unqualified",
                decides="counsel to review the Registration Statement", acts="investors"),
    ConsentRule("consent.3(p)", "3(p)", "At the request of the holders of a majority-in-interest of the Registrable Securities",
                decision="change the plan of distribution", voters="holders", basis="registrable_held", share="consent.3(p).share",
                decides="changing the plan of distribution", acts="investors"),
    ConsentRule("consent.3(q)", "3(q)", "without the consent of the holders of a majority-in-interest of the Registrable Securities",
                decision="let other holders into the registration", voters="holders", basis="registrable_held",
                requires=("company",), share="consent.3(q).share",
                decides="letting other holders into the Registration Statement", acts="company"),
    ConsentRule("consent.4(c)", "4(c)",
                "In the event Investors holding a majority-in-interest of the Registrable Securities being registered (with the "
                "approval of the Investors) determine to engage the services of an underwriter",
                decision="engage an underwriter (each Investor must sign the underwriting agreement)",
                basis="registrable_registered", requires=("investors_approval",), share="consent.4(c).share",
                decides="the underwriters of an underwritten offering", acts="investors"),
    ConsentRule("consent.6(c)", "6(c)",
                "such legal counsel shall be selected by Investors holding a majority-in-interest of the Registrable Securities "
                "included in the Registration Statement to which the Claim relates (with the approval of a majority-in-interest "
                "of the Investors)", decision="select indemnity counsel", basis="registrable_included",
                requires=("investors_majority",), share="consent.6(c).share", approval_share="consent.6(c).approval_share",
                decides="counsel to defend a Claim", acts="investors"),
    ConsentRule("consent.2(d)", "2(d)",
                "each Investor whose Registrable Securities are included in such Registration Statement shall, unless otherwise "
                "agreed by the Company, offer and sell such Registrable Securities in an underwritten offering using the same "
                "underwriter or underwriters", decision="let an Investor sell outside the Company's piggy-back underwriting",
                voters="company", basis="none", threshold="self",
                decides="an Investor's sale outside the Company's underwritten offering", acts="company"),
    ConsentRule("consent.3(f)", "3(f)",
                "without the prior written consent of an Investor, shall the Company disclose to such investor any of the facts "
                "or circumstances regarding", decision="tell an Investor the facts behind an Allowed Delay",
                voters="party", basis="none", threshold="self",
                decides="telling an Investor the facts behind an Allowed Delay", acts="company"),
    ConsentRule("consent.3(j)", "3(j)", "At the request of any Investor, the Company shall furnish",
                decision="require the 3(j) legal opinion and comfort letter", voters="investors", basis="none", threshold="any",
                decides="the legal opinion and comfort letter of 3(j)", acts="investors"),
    ConsentRule("consent.6(a)", "6(a)",
                "shall not apply to amounts paid in settlement of any Claim if such settlement is effected without the prior "
                "written consent of the Company, which consent shall not be unreasonably withheld",
                decision="settle a Claim the Company indemnifies", voters="company", basis="none", threshold="self",
                decides="settling a Claim the Company indemnifies", acts="investors"),
    ConsentRule("consent.6(b)", "6(b)",
                "shall not apply to amounts paid in settlement of any Claim if such settlement is effected without the prior "
                "written consent of such Investor, which consent shall not be unreasonably withheld",
                decision="settle a Claim an Investor indemnifies", voters="party", basis="none", threshold="self",
                decides="settling a Claim an Investor indemnifies", acts="company"),
    ConsentRule("consent.9", "9", "The rights under this Agreement shall be automatically assignable by the Investors",
                decision="assign registration rights", voters="party", basis="each_holder", threshold="none",
                requires=("assignor", "transferee", "conditions"),
                decides="assigning the rights under the Agreement", acts="investors"),
    ConsentRule("consent.10", "10",
                "only with written consent of the Company, each of the Investors (to the extent such Investor still owns "
                "Registrable Securities) and Investors who hold a majority interest of the Registrable Securities",
                decision="amend or waive", basis="registrable_held", threshold="majority",
                requires=("company", "each_holding_investor"), share="consent.10.share",
                decides="amending or waiving the Agreement", acts="amendment"),
    ConsentRule("consent.11(a)", "11(a)",
                "the Company shall act upon the basis of instructions, notice or election received from the registered owner of "
                "such Registrable Securities", decision="resolve conflicting instructions", voters="holders",
                basis="registered_owner", threshold="owner",
                decides="whose instructions the Company follows", acts="tie-break"),
    ConsentRule("consent.11(k)", "11(k)",
                "all consents and other determinations to be made by the Investors pursuant to this Agreement shall be made by "
                "Investors holding a majority of the Registrable Securities, determined as if the all of the Debentures then "
                "outstanding have been converted into for Registrable Securities",
                decision="any other consent or determination", basis="registrable_as_converted", default=True, share="consent.11(k).share",
                decides="any other consent or determination of the Investors", acts="investors"),
)

CROSS_REFERENCES: tuple[CrossReference, ...] = (
    CrossReference("xref.1(a)(i)->9", "1(a)(i)", "in accordance with Section 9 hereof", target="9"),
    CrossReference("xref.1(a)(iv)->SPA", "1(a)(iv)", "Debentures (as defined in the Securities Purchase Agreement)",
                   target="Debentures", external="Securities Purchase Agreement"),
    CrossReference("xref.1(a)(iv)->Debentures", "1(a)(iv)", "Damages Shares (as defined in the Debentures)", target="Damages Shares",
                   external="Debentures"),
    CrossReference("xref.1(b)->SPA", "1(b)", "shall have the respective meanings set forth in the Securities Purchase Agreement or the "
                   "Convertible Debenture", target="definitions", external="Securities Purchase Agreement"),
    CrossReference("xref.2(b)->2(a)", "2(b)", "pursuant to Section 2(a) hereof", target="2(a)"),
    CrossReference("xref.2(c)->2(a)", "2(c)", "required to be filed by the Company pursuant to Section 2(a) hereof", target="2(a)"),
    CrossReference("xref.2(c)->3(h)", "2(c)", "pursuant to Section 3(h) below", target="3(h)"),
    CrossReference("xref.2(c)->3(f)", "2(c)", "Allowed Delay (as defined in Section 3(f))", target="3(f)"),
    CrossReference("xref.2(d)->2(a)", "2(d)", "any registration required under Section 2(a) hereof", target="2(a)"),
    CrossReference("xref.2(e)->2(c)", "2(e)", "make payments pursuant to Section 2(c) hereof", target="2(c)"),
    CrossReference("xref.3(b)->2(c)", "3(b)", "the Company must make payments to the Investors pursuant to Section 2(c) hereof",
                   target="2(c)"),
    CrossReference("xref.3(c)->2(c)", "3(c)", "the Company will be required to make payments pursuant to Section 2(c) hereof",
                   target="2(c)"),
    CrossReference("xref.3(o)->Exhibit 1", "3(o)", "an instruction in the form attached hereto as Exhibit 1", target="Exhibit 1"),
    CrossReference("xref.3(o)->Exhibit 2", "3(o)", "an opinion of such counsel in the form attached hereto as Exhibit 2",
                   target="Exhibit 2"),
    CrossReference("xref.4(d)->3(f)", "4(d)", "of the kind described in Section 3(f) or 3(g)", target="3(f)"),
    CrossReference("xref.4(e)->5", "4(e)", "payable by the Company pursuant to Section 5 below", target="5"),
    CrossReference("xref.5->2(b)", "5", "pursuant to Sections 2(b) and 3(h) hereof", target="2(b)"),
    CrossReference("xref.6(a)->3(c)", "6(a)", "timely made available by the Company pursuant to Section 3(c) hereof", target="3(c)"),
    CrossReference("xref.7->1933 Act 11(f)", "7", "within the meaning of Section 11(f) of the 1933 Act", target="Section 11(f)",
                   external="1933 Act"),
    CrossReference("xref.8(b)->SPA 4(c)", "8(b)", "Section 4(c) of the Securities Purchase Agreement", target="Section 4(c)",
                   external="Securities Purchase Agreement"),
    CrossReference("xref.9->SPA", "9", "in accordance with the applicable requirements of the Securities Purchase Agreement",
                   target="transfer requirements", external="Securities Purchase Agreement"),
    CrossReference("xref.9->Rule 501", "9", "as that term defined in Rule 501 of Regulation D", target="Rule 501",
                   external="Regulation D"),
    CrossReference("xref.11(f)->Warrants", "11(f)", "This Agreement, the Warrants and the Securities Purchase Agreement (including all "
                   "schedules and exhibits thereto) constitute the entire agreement", target="entire agreement",
                   external="Securities Purchase Agreement"),
    CrossReference("xref.11(g)->9", "11(g)", "Subject to the requirements of Section 9 hereof", target="9"),
    CrossReference("xref.11(k)->agreement", "11(k)", "Except as otherwise provided herein", target="whole agreement"),
)

READINGS: tuple[PaymentReading, ...] = (
    PaymentReading("reading.text", "2(c)",
                   "the number of months (prorated for partial months) after the Filing Date or the end of the "
                   "aforementioned ninety (90) day period and prior to the date the Registration Statement is declared "
                   "effective by the SEC",
                   name="text", default=True,
                   description="(i) runs from the Filing Date if the filing was late, otherwise from the effectiveness "
                               "deadline (the earlier of 90 days after the Prior Financing Effective Date and March 15, 2004), to the day "
                               "before "
                               "effectiveness.",
                   late_filing_from="deadline.filing_date", late_effectiveness_from="deadline.effectiveness"),
    PaymentReading("reading.ninety-day-literal", "2(c)", "the end of the aforementioned ninety (90) day period",
                   name="ninety-day-literal",
                   description="(i) for late effectiveness runs from the end of the ninety-day period itself (90 days after "
                               "the Prior Financing Effective Date), even when March 15, 2004 came earlier; with no Prior "
                               "Financing Effective Date there is no ninety-day period "
                               "and March 15, 2004 is used.",
                   late_filing_from="deadline.filing_date", late_effectiveness_from="deadline.ninety_day_period"),
    PaymentReading("reading.example", "2(c)",
                   "if the Registration Statement becomes effective one (1) month after the end of such thirty-day "
                   "period, the Company would pay $5,000 for each $250,000 of Outstanding Principal Amount",
                   name="example",
                   description="The worked example taken literally: (i) runs from the end of the thirty-day filing "
                               "period (the Filing Date) to effectiveness whenever effectiveness comes after it.",
                   counts_from="deadline.filing_date"),
)

MEASURE = Measure(
    "measure.2c", "2(c)",
    "an amount equal to the then outstanding principal amount of the Debentures (and, in the case of holders of "
    "Registrable Securities, the principal amount of Debentures from which such Registrable Securities were converted) "
    "(\"Outstanding Principal Amount\"), multiplied by the Applicable Percentage (as defined below) times the sum of:",
    name="Section 2(c) payments", principal="debentures.max_principal", rate="payments.applicable_percentage", cap="payments.cap",
    convention="payments.month_convention", filing_deadline="deadline.filing_date",
    effectiveness_deadline="deadline.effectiveness", filed="rs_filed", effective="rs_effective",
    components=(
        MeasureComponent("2(c)(i)", "2(c)",
                         "the number of months (prorated for partial months) after the Filing Date or the end of the "
                         "aforementioned ninety (90) day period and prior to the date the Registration Statement is "
                         "declared effective by the SEC",
                         label="late filing or late effectiveness", counts="late", family="late",
                         excludes="2(c).investor_delays", excluded="investor_delays"),
        MeasureComponent("2(c)(ii)", "2(c)",
                         "the number of months (prorated for partial months) that sales of all of the Registrable "
                         "Securities cannot be made pursuant to the Registration Statement after the Registration "
                         "Statement has been declared effective",
                         label="sales cannot be made after effectiveness", periods=("sales_blocked", "stop_orders"),
                         family="blocked", triggers=("sales_blocked",), excludes="2(c).allowed_delay",
                         excluded="allowed_delays"),
        MeasureComponent("2(c)(iii)", "2(c)",
                         "the number of months (prorated for partial months) that the Common Stock is not listed or "
                         "included for quotation on the OTCBB, Nasdaq, Nasdaq SmallCap, NYSE or AMEX or that trading "
                         "thereon is halted after the Registration Statement has been declared effective",
                         label="not listed or halted after effectiveness", periods=("not_listed",), family="not_listed",
                         triggers=("delisted_major", "otcbb_ceased")),
    ),
    readings=READINGS,
    allowed_delay=("allowed_delay.max_consecutive", "allowed_delay.max_total", "allowed_delay.window_months"),
    example=("payments.example_amount", "payments.example_principal", "payments.example_months",
             "payments.example_anchor_days"),
)

# Readings of the consent rules, one default per axis (id: reading.consent.<axis>.<name>). Kept apart from
# READINGS, which lists the 2(c) payment readings only.
CONSENT_READINGS: tuple[Reading, ...] = (
    Reading("reading.consent.investors.investors-11k", "11(k)",
            "Except as otherwise provided herein, all consents and other determinations to be made by the Investors pursuant "
            "to this Agreement shall be made by Investors holding a majority of the Registrable Securities",
            name="investors-11k", default=True,
            description='"the Investors" with no number (2(a) consent, 3(h) designation, 4(c) approval) means the 11(k) '
                        "majority, measured as if the outstanding Debentures were converted."),
    Reading("reading.consent.investors.each-investor", "4(c)", "(with the approval of the Investors)",
            name="each-investor",
            description='"the Investors" with no number means every Investor that holds Registrable Securities (as if '
                        "converted): each of them has a veto. Contrast 3(e) and 6(c), which say \"a majority-in-interest of "
                        'the Investors".'),
    Reading("reading.consent.measure.of-record", "11(a)",
            "A person or entity is deemed to be a holder of Registrable Securities whenever such person or entity owns of "
            "record such Registrable Securities",
            name="of-record", default=True,
            description="Where a rule counts Registrable Securities held (3(p), 3(q), 10) only issued shares owned of record "
                        "count; only 11(k) (and the rules that defer to it) adds the shares the outstanding Debentures "
                        "convert into. Warrants never count toward what is held; Warrant Shares count where a rule "
                        "counts the securities registered, offered or included in a Registration Statement."),
    Reading("reading.consent.measure.as-converted", "11(k)",
            "determined as if the all of the Debentures then outstanding have been converted into for Registrable Securities",
            name="as-converted",
            description="11(k)'s measure carries over to every rule that counts Registrable Securities held: issued shares "
                        "plus the shares the outstanding Debentures convert into. Warrants do not count toward what is "
                        "held."),
    Reading("reading.consent.measure.issuable", "1(a)(iv)",
            '"Registrable Securities" means the Conversion Shares issued or issuable upon conversion',
            name="issuable",
            description="Registrable Securities are defined to include shares issuable on conversion and Warrant Shares "
                        "issuable on exercise, so every count of Registrable Securities held includes both."),
    Reading("reading.consent.denominator.all-securities", "10",
            "Investors who hold a majority interest of the Registrable Securities",
            name="all-securities", default=True,
            description="When Investors must hold a majority of the Registrable Securities, the majority is of all of them, "
                        "including those held by holders who are not Investors."),
    Reading("reading.consent.denominator.investors-securities", "11(k)",
            "shall be made by Investors holding a majority of the Registrable Securities",
            name="investors-securities",
            description="The majority is of the Registrable Securities held by Investors only; holders who are not Investors "
                        "are left out of the count."),
    Reading("reading.consent.assignment.automatic", "9",
            "The rights under this Agreement shall be automatically assignable by the Investors",
            name="automatic", default=True,
            description="An assignment that meets conditions (i)-(vi) needs no one's consent but the assigning Investor's "
                        "and the transferee's."),
    Reading("reading.consent.assignment.company-signs", "9",
            "the transferee or assignee agrees in writing with the Company to be bound by all of the provisions contained herein",
            name="company-signs",
            description="Condition (iv) is an agreement with the Company, so the Company must sign it: the Company can block "
                        "an assignment by refusing."),
)

ALL_ELEMENTS: tuple[Element, ...] = (
    *PARTIES, *EVENTS, *DEADLINES, *OBLIGATIONS, *CONDITIONS, *CARVE_OUTS, *REMEDIES, *CONSENT_RULES,
    *CROSS_REFERENCES, *READINGS, *CONSENT_READINGS, MEASURE, *MEASURE.components,
)

NOT_FORMALIZED: tuple[NotFormalized, ...] = (
    NotFormalized("1(b)", "Incorporates definitions from the Securities Purchase Agreement and the Debentures, which are not part "
                  "of the bundle; the borrowed terms are listed as such by the drafting review."),
    NotFormalized("11(e)", "Severability depends on external law (which provisions are invalid); the model has no law to test it against."),
    NotFormalized("11(f)", "Integration clause: it sets no date, number, condition, remedy or consent rule; its references to the "
                  "Warrants and the Securities Purchase Agreement are listed as cross-references."),
    NotFormalized("11(g)", "Successors and assigns: binding effect only; the assignment conditions it refers to are formalized "
                  "under Section 9."),
    NotFormalized("11(h)", "Headings do not affect interpretation; the model never reads a heading."),
    NotFormalized("11(i)", "Execution in counterparts and delivery by facsimile: formation of the contract, before any timeline starts."),
    NotFormalized("11(m)", "No strict construction against either party: a rule of interpretation; the model instead reports every "
                  "named reading where the words support more than one."),
)
