"""Every number and date the agreement sets, in one place, each cited (OpenFisca style).

A redraft overrides these by name (`--set allowed_delay.max_consecutive=15`); nothing else in the
project writes a number from the agreement.
"""

from __future__ import annotations

from datetime import date

from rra.spec.elements import Parameter

P = Parameter

PARAMETERS: tuple[Parameter, ...] = (
    P("agreement.date", "preamble",
      'REGISTRATION RIGHTS AGREEMENT (this "Agreement"), dated as of May 9, 2003, by and among',
      value=date(2003, 5, 9), unit="date", description="Date of the agreement; day 0 of every timeline."),
    P("debentures.max_principal", "recital(A)", "in the aggregate principal amount of up to One Million Dollars ($1,000,000) (the",
      value=1_000_000, unit="USD", description="Maximum aggregate principal of the Debentures."),
    P("warrants.max_shares", "recital(A)", "to acquire an aggregate of up to 5,000,000 shares of Common Stock",
      value=5_000_000, unit="shares", description="Maximum Warrant Shares."),
    # 2(a)
    P("filing.days_after_pfed", "2(a)",
      "on or prior to the earlier of (i) thirty (30) days from the date of the Securities and Exchange Commission declaring effective the Prior "
      "Financing Registration Statement (the \"Prior Financing Effective Date\")",
      value=30, unit="days", basis="calendar", description="Filing Date, limb (i): days after the Prior Financing Effective Date."),
    P("filing.outside_date", "2(a)", '(ii) December 15, 2003 (the "Filing Date")',
      value=date(2003, 12, 15), unit="date", description="Filing Date, limb (ii): fixed outside date."),
    P("registration.share_multiple", "2(a)",
      "no less than an amount equal to two (2) times the sum of the number of Conversion Shares",
      value=2, unit="count", description="Shares initially registered, as a multiple of those issuable."),
    # 2(c)
    P("effectiveness.days_after_pfed", "2(c)", "(A) ninety (90) days from the Prior Financing Effective Date",
      value=90, unit="days", basis="calendar", description="Effectiveness deadline, limb (A): days after the Prior Financing Effective Date."),
    P("effectiveness.outside_date", "2(c)", "(B) March 15, 2004, or (ii) after the Registration Statement",
      value=date(2004, 3, 15), unit="date", description="Effectiveness deadline, limb (B): fixed outside date."),
    P("payments.applicable_percentage", "2(c)", 'The term "Applicable Percentage" means two hundredths (.02). (For',
      value=0.02, unit="ratio", description="Share of Outstanding Principal Amount paid per month of delay."),
    P("payments.example_amount", "2(c)", "the Company would pay $5,000 for each $250,000 of Outstanding Principal Amount",
      value=5000, unit="USD", description="The worked example's payment for one month."),
    P("payments.example_principal", "2(c)", "the Company would pay $5,000 for each $250,000 of Outstanding Principal Amount",
      value=250000, unit="USD", description="The worked example's principal."),
    P("payments.example_months", "2(c)",
      "if the Registration Statement becomes effective one (1) month after the end of such thirty-day period",
      value=1, unit="months", description="The worked example's months of delay."),
    P("payments.example_anchor_days", "2(c)",
      "if the Registration Statement becomes effective one (1) month after the end of such thirty-day period",
      value=30, unit="days", basis="calendar",
      description="The worked example's anchor: the end of a thirty-day period (the text of (i) counts from the "
                  "Filing Date or the end of the ninety-day period)."),
    P("payments.cap", "2(c)",
      "The Company shall pay to each holder of the Debentures or Registrable Securities an amount equal to the "
      "then outstanding principal amount of the Debentures",
      value=None, unit="USD", nullable=True, in_text=False,
      patterns=("payments under this Section 2(c) shall not exceed {value} in the aggregate",
                "the aggregate amount payable under this Section 2(c) shall not exceed {value}",
                "the aggregate amount of all payments under this Section 2(c) shall not exceed {value}",
                "payments under this Section 2(c) shall not exceed {value}",
                "in no event shall the payments under this Section 2(c) exceed {value}"),
      share_of="debentures.max_principal",
      description="Cap on total 2(c) payments, which the agreement does not set."),
    P("payments.month_convention", "2(c)", "the number of months (prorated for partial months)",
      value="calendar-month", unit="name", in_text=False,
      choices=("calendar-month", "30-day", "actual-365"),
      description="How a period is turned into months. The text does not say; calendar-month counts whole "
                  "calendar months from the start date and prorates the rest over the month then in progress."),
    # 2(d)
    P("piggyback.request_days", "2(d)", "within fifteen (15) days after the effective date of such notice",
      value=15, unit="days", basis="calendar", description="Days an Investor has to ask to ride along."),
    # 2(e)
    P("s3.filing_business_days", "2(e)",
      "not later than five (5) business days after the Company first meets the registration eligibility and "
      "transaction requirements for the use of Form S-3",
      value=5, unit="days", basis="business", description="Days to file on Form S-3 once eligible."),
    P("s3.effective_days_after_pfed", "2(e)",
      "to be declared effective no later than ninety (90) days after Prior Financing Effective Date",
      value=90, unit="days", basis="calendar", description="Form S-3 effectiveness deadline: days after the Prior Financing Effective Date."),
    # 3(a)
    P("company.effective_days_after_pfed", "3(a)",
      "but in no event later than ninety (90) days from the Prior Financing Effective Date)",
      value=90, unit="days", basis="calendar", description="3(a)'s own effectiveness deadline: days after the Prior Financing Effective Date."),
    # 3(b)
    P("additional.filing_days", "3(b)", "but in any event within fifteen (15) days after the necessity therefor arises",
      value=15, unit="days", basis="calendar", description="Days to amend or file a new Registration Statement once more shares are needed."),
    P("additional.effective_days", "3(b)",
      "but in any event within thirty (30) days after the date on which the Company reasonably first determines "
      "(or reasonably should have determined) the need therefor",
      value=30, unit="days", basis="calendar", description="Days for the amendment or new Registration Statement to become effective."),
    P("additional.payment_days", "3(b)",
      "is not declared effective within thirty (30) days following the date on which the Company reasonably first "
      "determines",
      value=30, unit="days", basis="calendar", description="Days after which 3(b)'s 2(c) payments start."),
    # 3(c)
    P("furnish.documents_business_days", "3(c)", "(i) promptly (but in no event more than two (2) business days) after the same is prepared",
      value=2, unit="days", basis="business", description="Days to furnish filings and SEC correspondence."),
    P("furnish.prospectus_business_days", "3(c)",
      "(ii) promptly (but in no event more than two (2) business days) after the Registration Statement is declared effective",
      value=2, unit="days", basis="business", description="Days to furnish prospectus copies after effectiveness."),
    P("comments.response_days", "3(c)",
      "promptly (but in no event more than ten (10) days) respond to any and all comments received from the SEC",
      value=10, unit="days", basis="calendar", description="Days to answer SEC comments."),
    P("acceleration.business_days", "3(c)",
      "promptly file an acceleration request as soon as practicable (but in no event more than two (2) business "
      "days) following the resolution or clearance of all SEC comments",
      value=2, unit="days", basis="business", description="Days to request acceleration after comments clear."),
    P("final_prospectus.business_days", "3(c)",
      "as soon as practicable (but in no event more than two (2) business days) following receipt by the Company "
      "from the SEC of an order declaring the Registration Statement effective",
      value=2, unit="days", basis="business", description="Days to file the final prospectus."),
    # 3(f)
    P("allowed_delay.max_consecutive", "3(f)", "for not more than ten (10) consecutive trading days",
      value=10, unit="days", basis="trading", description="Longest single Allowed Delay."),
    P("allowed_delay.max_total", "3(f)",
      "(or a total of not more than twenty (20) trading days in any twelve (12) month period)",
      value=20, unit="days", basis="trading", description="Most Allowed Delay days in any window."),
    P("allowed_delay.window_months", "3(f)",
      "(or a total of not more than twenty (20) trading days in any twelve (12) month period)",
      value=12, unit="months", description="Length of the rolling window for the total."),
    # 3(i)
    P("earnings.days_after_period", "3(i)", "but not later than ninety (90) days after the close of the period covered thereby",
      value=90, unit="days", basis="calendar", description="Days to publish the earnings statement."),
    P("earnings.period_months", "3(i)", "covering a twelve-month period",
      value=12, unit="months", description="Length of the period the earnings statement covers."),
    # 3(m)
    P("listing.market_makers", "3(m)", "to arrange for at least two market makers to register",
      value=2, unit="count", description="Market makers the Company must arrange."),
    # 3(o)
    P("transfer_agent.business_days", "3(o)",
      "within three (3) business days after a Registration Statement which includes Registrable Securities is "
      "ordered effective by the SEC",
      value=3, unit="days", basis="business", description="Days to instruct the transfer agent after effectiveness."),
    # 4(a)
    P("investor_info.notice_business_days", "4(a)",
      "At least five (5) business days prior to the first anticipated filing date of the Registration Statement",
      value=5, unit="days", basis="business", description="Notice to Investors of information needed, before filing."),
    # 6(c)
    P("indemnity.counsel_count", "6(c)", "The indemnifying party shall pay for only one separate legal counsel",
      value=1, unit="count", description="Separate counsel the indemnifying party pays for."),
    # 11(b)
    P("notice.mail_days", "11(b)", "shall be effective five days after being placed in the mail, if mailed by regular United States mail",
      value=5, unit="days", basis="calendar", description="Days after mailing when a mailed notice takes effect."),
    # Voting shares: "a majority" is more than half; a fraction ("two-thirds") is at least that share.
    P("consent.2(b).share", "2(b)", "the Investors who hold a majority in interest of the Debentures",
      value="majority", unit="share", description="Share that selects counsel and underwriters for a 2(a) offering."),
    P("consent.3(d).share", "3(d)", "as the Investors who hold a majority in interest of the Registrable Securities being "
      "offered", value="majority", unit="share", description="Share that chooses blue sky jurisdictions."),
    P("consent.3(e).share", "3(e)", "In the event Investors who hold a majority-in-interest of the Registrable Securities "
      "being offered", value="majority", unit="share", description="Share of the sellers that selects underwriters."),
    P("consent.3(e).approval_share", "3(e)", "(with the approval of a majority-in-interest of the Investors) select "
      "underwriters", value="majority", unit="share", description="Share of all Investors that approves the choice."),
    P("consent.3(p).share", "3(p)", "At the request of the holders of a majority-in-interest of the Registrable Securities",
      value="majority", unit="share", description="Share that asks for a change to the plan of distribution."),
    P("consent.3(q).share", "3(q)", "without the consent of the holders of a majority-in-interest of the Registrable "
      "Securities", value="majority", unit="share", description="Share that lets other holders into the registration."),
    P("consent.4(c).share", "4(c)", "In the event Investors holding a majority-in-interest of the Registrable Securities "
      "being registered", value="majority", unit="share", description="Share that engages an underwriter."),
    P("consent.6(c).share", "6(c)", "such legal counsel shall be selected by Investors holding a majority-in-interest of "
      "the Registrable Securities included", value="majority", unit="share",
      description="Share that selects indemnity counsel."),
    P("consent.6(c).approval_share", "6(c)", "(with the approval of a majority-in-interest of the Investors), if the "
      "Investors are entitled", value="majority", unit="share", description="Share of all Investors that approves it."),
    P("consent.10.share", "10", "and Investors who hold a majority interest of the Registrable Securities",
      value="majority", unit="share", description="Share that must join an amendment or waiver."),
    P("consent.11(k).share", "11(k)", "shall be made by Investors holding a majority of the Registrable Securities",
      value="majority", unit="share", description="Share that makes any other consent or determination."),
)

BY_NAME: dict[str, Parameter] = {p.id: p for p in PARAMETERS}
