"""The methodology document: rendered from the catalogue, shipped in docs/, and the catalogue's
rule that every indicator of a sided framework says why its direction is right and what a
missing value means."""

from pathlib import Path

import pytest

from exports.methodology import methodology_markdown
from indicators.catalogue import load_catalogue
from scoring.method import Method
from scoring.schemas import ContractError, validate_catalogue

DOC = Path(__file__).parent.parent / "docs" / "methodology.md"


def test_the_shipped_document_is_the_catalogue_rendered():
    assert DOC.read_text(encoding="utf-8") == methodology_markdown(load_catalogue())


def test_every_indicator_and_decision_appears_with_its_rationale():
    catalogue = load_catalogue()
    text = methodology_markdown(catalogue)
    for row in catalogue.indicators.itertuples():
        assert f"**{row.name}**" in text
        assert row.direction_rationale in text and row.absence_rationale in text
    for decision in catalogue.decisions.itertuples():
        assert f"| {decision.decision} | {decision.what} |" in text
    assert "One indicator by design" in text  # normative alignment


def test_the_formulas_follow_the_method():
    catalogue = load_catalogue()
    equal = methodology_markdown(catalogue)
    by_dimensions = methodology_markdown(catalogue, Method(side_weights={}))
    assert "side weights (appeal 50% and reach 50%)" in equal
    assert "No side weights: the dimension weights alone decide" in by_dimensions


def test_user_text_goes_through_the_given_escape():
    catalogue = load_catalogue()
    text = methodology_markdown(catalogue, text=lambda cell: f"<{cell}>")
    assert "**<Press freedom score (RSF)>**" in text
    assert "lower is better" in text  # codes are looked up, not escaped


@pytest.mark.parametrize("field", ["direction_rationale", "absence_rationale"])
def test_a_sided_catalogue_refuses_an_undocumented_indicator(field):
    catalogue = load_catalogue()
    indicators = catalogue.indicators.copy()
    indicators.loc[0, field] = " "
    with pytest.raises(ContractError) as error:
        validate_catalogue(catalogue.dimensions, indicators, catalogue.sources, catalogue.sides)
    assert f"{indicators.at[0, 'indicator']}: {field} is empty" in error.value.failures.to_string()


def test_a_dimension_off_the_declared_sides_is_refused():
    catalogue = load_catalogue()
    dimensions = catalogue.dimensions.assign(side=["charm", *catalogue.dimensions["side"][1:]])
    with pytest.raises(ContractError):
        validate_catalogue(dimensions, catalogue.indicators, catalogue.sources, catalogue.sides)
