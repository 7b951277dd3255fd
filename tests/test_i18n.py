"""The interface's languages: catalogues complete, the switch in the URL, the frame translated."""

import gettext

import pytest

import i18n
from i18n.messages import problems, source_messages
from tests.app_driver import open_app
from tests.untranslated import english_words


def test_every_marked_message_has_a_russian_translation_with_its_placeholders():
    assert source_messages(), "no marked messages found: the extraction is broken"
    assert problems("ru") == []


def test_a_missing_translation_is_reported(tmp_path):
    code = tmp_path / "views"
    code.mkdir()
    (code / "page.py").write_text('from i18n import _\n_("A sentence nobody translated")\n')
    found = problems("ru", root=tmp_path)
    assert [(m.id, m.path, why) for m, why in found] == [
        ("A sentence nobody translated", "views/page.py", "no translation")
    ]


def test_russian_plural_forms_follow_the_number():
    i18n.use("ru")
    try:
        translations = i18n.translations("ru")
        # Russian: 1, 21 → form 0; 2-4, 22 → form 1; 5-20, 11-14 → form 2 (gettext's rule).
        forms = [translations.plural(n) for n in (1, 2, 5, 11, 21, 22, 25, 112)]
    finally:
        i18n.use("en")
    assert forms == [0, 1, 2, 2, 0, 1, 2, 2]


def test_an_unknown_language_falls_back_to_english():
    assert i18n.use("xx") == "en"
    assert isinstance(i18n.translations("en"), gettext.NullTranslations)


def test_english_words_finds_english_but_not_kept_names():
    assert english_words("Data up to year") == ["Data", "year"]
    assert english_words("Данные: RSF, V-Dem, Freedom House, https://rsf.org/en/index") == []


@pytest.mark.parametrize("lang, title", [("ru", "Рейтинг"), ("en", "Rankings")])
def test_the_link_chooses_the_language_and_keeps_it(lang, title):
    app = open_app(lang=lang)
    assert [t.value for t in app.title] == [title]
    assert app.query_params.get("lang", "en") == lang


def test_numbers_ranks_and_dates_follow_the_language():
    import datetime

    i18n.use("ru")
    try:
        shown = (
            i18n.number(1234.5678, 2),
            i18n.percent(0.125, 1),
            i18n.ordinal(37),
            i18n.date(datetime.date(2026, 12, 4)),
        )
    finally:
        i18n.use("en")
    # CLDR's Russian: no-break spaces group thousands and part the % and "г.", a comma marks
    # decimals.
    assert shown == ("1\xa0234,57", "12,5\xa0%", "37-е", "4 декабря 2026\u202fг.")
    assert i18n.date(datetime.date(2026, 12, 4)) == "4 December 2026"


def test_each_message_is_translated_in_one_catalogue_file_only():
    """A message in two files would be shown as the first file has it, whatever the second says."""
    from babel.messages.pofile import read_po

    homes: dict[str, list[str]] = {}
    for path in i18n.catalogue_files("ru"):
        with path.open("rb") as file:
            for message in read_po(file, locale="ru"):
                if message.id:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    homes.setdefault(key, []).append(path.name)
    assert {key: files for key, files in homes.items() if len(files) > 1} == {}
