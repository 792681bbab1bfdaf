"""The data package of the bundled agreement: the Amnis Systems Registration Rights Agreement of 9 May 2003.

Another agreement of the same family (another company's registration rights agreement) is another Package
built the same way from its own text, parameters, model and catalogue; the engines do not change
(docs/NEW-AGREEMENT.md).
"""

from __future__ import annotations

from rra.spec import model
from rra.spec.agreement import Model, Package
from rra.spec.invariants import CATALOGUE
from rra.spec.parameters import PARAMETERS
from rra.spec.text import AGREEMENT_FILE, AGREEMENT_SHA256

AMNIS_MODEL = Model(
    parties=model.PARTIES, events=model.EVENTS, deadlines=model.DEADLINES, obligations=model.OBLIGATIONS,
    conditions=model.CONDITIONS, carve_outs=model.CARVE_OUTS, remedies=model.REMEDIES,
    consent_rules=model.CONSENT_RULES, cross_references=model.CROSS_REFERENCES, readings=model.READINGS,
    consent_readings=model.CONSENT_READINGS, measure=model.MEASURE, not_formalized=model.NOT_FORMALIZED,
)

AMNIS = Package(
    name="amnis-rra-2003",
    title="Registration Rights Agreement, Amnis Systems Inc., 9 May 2003",
    text_resource=AGREEMENT_FILE,
    sha256=AGREEMENT_SHA256,
    parameters=PARAMETERS,
    model=AMNIS_MODEL,
    invariants=CATALOGUE,
    assumption_sets=("default", "five-year-stress", "late-company"),
)
