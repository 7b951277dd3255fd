"""The contract every loader of the registry keeps, checked once per loader on the fixture
sources: tidy values, sorted and unique, real country codes, finite numbers; skipped rows with a
reason; a missing publisher folder is a FileNotFoundError. Each loader's own file tests what is
particular to its publisher."""

from __future__ import annotations

import numpy as np
import pytest

from indicators.catalogue import load_catalogue
from indicators.countries import iso3_codes
from indicators.loaders import registry

KEY = ["indicator", "iso3", "year"]


@pytest.fixture(scope="module")
def results(sources):
    return {name: loader.load(sources) for name, loader in registry.LOADERS.items()}


@pytest.mark.parametrize("name", list(registry.LOADERS))
def test_values_are_tidy_sorted_unique_and_typed(results, name):
    values = results[name].values
    assert len(values) > 0
    assert list(values.columns) == ["iso3", "indicator", "year", "value", "note"]
    assert values["year"].dtype == "int64" and values["value"].dtype == "float64"
    assert values["note"].map(type).eq(str).all()
    assert np.isfinite(values["value"]).all()
    assert not values.duplicated(KEY).any()
    assert values.equals(values.sort_values(KEY, ignore_index=True))
    assert set(values["iso3"]) <= iso3_codes()
    assert values["year"].min() >= 2010  # the loaders' first year, and the default window's


@pytest.mark.parametrize("name", list(registry.LOADERS))
def test_skipped_rows_say_where_and_why(results, name):
    skipped = results[name].skipped
    assert list(skipped.columns) == ["file", "row", "reason"]
    assert skipped["reason"].str.len().gt(0).all()


@pytest.mark.parametrize("name", list(registry.LOADERS))
def test_a_missing_publisher_folder_is_file_not_found(name, tmp_path):
    with pytest.raises(FileNotFoundError):
        registry.LOADERS[name].load(tmp_path)


def test_loaders_sharing_a_folder_emit_only_what_they_declare(results):
    catalogue = set(load_catalogue().indicators["indicator"])
    for name, loader in registry.LOADERS.items():
        if loader.emits:
            emitted = set(results[name].values["indicator"]) & catalogue
            assert emitted == set(loader.emits), name


def test_every_folder_a_loader_reads_is_a_publisher_folder(sources):
    # the fixture sources hold one folder per publisher, as ../shared/sources does
    assert set(registry.publisher_folders()) <= {path.name for path in sources.iterdir()}
