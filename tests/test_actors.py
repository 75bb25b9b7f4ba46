"""One canonical name per actor of an article, with role and country (``summarizer.actors``).

The articles here are written for these tests: a fictional one (Anna Berg, Lars Holm) and a short one with real
names (Mike Pompeo, Kim Jong Un).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.actors import ActorTable, actor_table
from summarizer.names import name_similarity
from summarizer.schemas import Actor

NORDIC = (
    "Swedish Foreign Minister Anna Berg flew to Tallinn on Tuesday for talks with Estonian Prime Minister Lars Holm.\n"
    "Berg said the two governments would sign a fisheries accord before the summer. Holm's office confirmed it.\n"
    "The minister later met opposition leaders. Critics in Stockholm said the accord gave away too much.\n"
    "Prime Minister Holm promised to put the deal before parliament. Anna Berg will return in May, and Sweden "
    "hopes Estonia will sign."
)
NORDIC_NAMES = [
    "Berg", "Anna Berg", "Foreign Minister Anna Berg", "the minister", "Holm", "Lars Holm", "Prime Minister Holm",
    "the prime minister", "critics", "Sweden", "Estonia",
]  # fmt: skip

KOREA = (
    "U.S. Secretary of State Mike Pompeo arrived in Pyongyang on Sunday for talks with North Korean leader Kim Jong "
    "Un. Pompeo said the talks were productive. The secretary later flew to Seoul to brief South Korean President "
    "Moon Jae-in. Kim Jong Un told Pompeo he wanted a second summit with President Donald Trump. Kim Yong Chol, a "
    "senior aide, hosted a lunch. Critics said the trip produced little, Korea watchers said. Kim Jong-un has met "
    "Trump once, and Kim Jong Un also met Moon. Washington and the United States were not the same thing here."
)
KOREA_NAMES = [
    "Pompeo", "Mike Pompeo", "Secretary of State Mike Pompeo", "the secretary", "Kim", "Kim Jong-un", "Chairman Kim",
    "North Korea", "critics", "Korea watchers", "Kim Yong Chol", "the United States", "U.S.", "the president",
    "Trump", "Moon", "the North Korean leader", "Washington",
]  # fmt: skip


def actor(table: ActorTable, name: str) -> Actor:
    found = table.find(name)
    assert found is not None, name
    return found


def test_the_fullest_form_in_records_or_article_is_the_canonical_name() -> None:
    table = actor_table(NORDIC, NORDIC_NAMES)
    for form in ("Berg", "Anna Berg", "Foreign Minister Anna Berg"):
        assert table.canonical(form) == "Anna Berg"
    for form in ("Holm", "Lars Holm", "Prime Minister Holm", "the prime minister"):
        assert table.canonical(form) == "Lars Holm"
    berg = actor(table, "Berg")
    assert berg == Actor(
        name="Anna Berg",
        role="Swedish Foreign Minister",
        country="SWE",
        aliases=["Berg", "Foreign Minister Anna Berg"],
    )
    assert actor(table, "Holm") == Actor(
        name="Lars Holm",
        role="Estonian Prime Minister",
        country="EST",
        aliases=["Holm", "Prime Minister Holm", "the prime minister"],
    )


def test_a_title_two_people_hold_stays_as_written_and_groups_and_states_stand_alone() -> None:
    table = actor_table(NORDIC, NORDIC_NAMES)
    assert table.canonical("the minister") == "the minister"  # a Foreign Minister and a Prime Minister
    assert actor(table, "the minister") == Actor(name="the minister")
    assert actor(table, "critics") == Actor(name="critics")
    assert actor(table, "Sweden") == Actor(name="Sweden", country="SWE")
    assert [a.name for a in table.actors] == [
        "Anna Berg", "Lars Holm", "the minister", "critics", "Sweden", "Estonia",
    ]  # fmt: skip


def test_real_names_roles_countries_and_title_references() -> None:
    table = actor_table(KOREA, KOREA_NAMES)
    assert actor(table, "the secretary") == Actor(
        name="Mike Pompeo",
        role="U.S. Secretary of State",
        country="USA",
        aliases=["Pompeo", "Secretary of State Mike Pompeo", "the secretary"],
    )
    kim = actor(table, "Chairman Kim")
    assert kim.name == "Kim Jong Un"  # the article's most frequent spelling, not the record's "Kim Jong-un"
    assert (kim.role, kim.country) == ("North Korean leader", "PRK")
    assert kim.aliases == ["Chairman Kim", "Kim", "Kim Jong-un", "the North Korean leader"]
    assert actor(table, "Moon") == Actor(
        name="Moon Jae-in", role="South Korean President", country="KOR", aliases=["Moon"]
    )
    assert actor(table, "Trump") == Actor(name="Donald Trump", role="President", aliases=["Trump"])
    assert table.canonical("the president") == "the president"  # Trump and Moon are both presidents


def test_countries_merge_by_code_and_a_city_is_not_a_country() -> None:
    table = actor_table(KOREA, KOREA_NAMES)
    assert actor(table, "U.S.") == Actor(name="United States", country="USA", aliases=["U.S.", "the United States"])
    assert actor(table, "North Korea") == Actor(name="North Korea", country="PRK")
    assert actor(table, "Washington") == Actor(name="Washington")
    assert actor(table, "Korea watchers") == Actor(name="Korea watchers")


def test_different_full_names_are_never_merged_and_aliases_are_the_same_person() -> None:
    table = actor_table(KOREA, KOREA_NAMES)
    assert table.canonical("Kim Yong Chol") == "Kim Yong Chol"
    assert actor(table, "Kim Yong Chol").aliases == []
    names = [a.name for a in table.actors]
    assert len(names) == len(set(names))
    for a in table.actors:
        for alias in a.aliases:
            if not alias.lower().startswith("the "):  # title references join by role, not by name
                assert name_similarity(alias, a.name) == 1.0, (alias, a.name)


def test_order_is_first_appearance_in_the_article() -> None:
    table = actor_table(KOREA, KOREA_NAMES)
    assert [a.name for a in table.actors][:4] == ["United States", "Mike Pompeo", "Kim Jong Un", "Moon Jae-in"]


TWO_KIMS = (
    "Kim Jong Un met envoys in Pyongyang. Kim Yong Chol, his top negotiator, attended. Kim Jong Un spoke first.\n"
    "Kim Yong Chol then read a statement, and Kim closed the meeting. Kim Jong Un later toured a factory."
)


def test_a_short_name_fitting_two_full_names_stays_unless_one_is_mentioned_twice_as_often() -> None:
    names = ["Kim", "Kim Jong Un", "Kim Yong Chol"]
    close = actor_table(TWO_KIMS, names)  # three mentions against two
    assert close.canonical("Kim") == "Kim"
    assert [a.name for a in close.actors] == ["Kim Jong Un", "Kim Yong Chol", "Kim"]
    clear = actor_table(TWO_KIMS + " Kim Jong Un returned home. Kim Jong Un slept.", names)  # five against two
    assert clear.canonical("Kim") == "Kim Jong Un"
    assert actor(clear, "Kim").aliases == ["Kim"]
    assert clear.canonical("Kim Yong Chol") == "Kim Yong Chol"


def test_a_role_is_titles_right_before_the_name_within_one_sentence() -> None:
    text = (
        "Talks between the prime minister and Kim Jong Un began. Kim Jong Un spoke first. Kim Yong Chol read a "
        "statement. Mr. Kim thanked Gen. Vincent Brooks, and Vice Chairman Kim Yong Chol left."
    )
    table = actor_table(text, ["Kim Jong Un", "Kim Yong Chol", "Vincent Brooks"])
    assert actor(table, "Kim Jong Un").role is None  # not "prime minister and"
    assert actor(table, "Kim Yong Chol").role == "Vice Chairman"  # not "first." of the sentence before
    assert actor(table, "Vincent Brooks").role == "Gen."  # an abbreviated title ends no sentence


def test_lookups_fold_case_and_hyphens_and_leave_unknown_forms_unchanged() -> None:
    table = actor_table(KOREA, KOREA_NAMES)
    assert table.canonical("KIM JONG UN") == "Kim Jong Un"
    assert table.canonical("Kim Jong-Un") == "Kim Jong Un"
    assert table.canonical("Xi Jinping") == "Xi Jinping"
    assert table.find("Xi Jinping") is None


def test_names_the_article_never_writes_keep_their_fullest_record_form() -> None:
    table = actor_table("Talks resumed.", ["Stephen Biegun", "Biegun", "Special Representative Stephen Biegun"])
    assert table.actors == (
        Actor(
            name="Stephen Biegun",
            role="Special Representative",
            aliases=["Biegun", "Special Representative Stephen Biegun"],
        ),
    )


def test_a_long_article_with_twenty_names_gives_each_of_its_ten_people_role_and_country() -> None:
    """Ten people named in full and by surname across a 10,000-character article (speed: ``bench/actors.py``)."""
    people = [
        "Anna Berg", "Lars Holm", "Maria Lind", "Peter Dahl", "Jonas Strand", "Eva Nyberg", "Karl Sund", "Ingrid Ek",
        "Tomas Falk", "Sofia Hagen",
    ]  # fmt: skip
    sentences = [
        f"Swedish Trade Minister {p} met {q} in Stockholm on Tuesday. {p.split()[1]}'s aides said {q.split()[1]} "
        f"agreed, though critics in Oslo doubted it."
        for p, q in zip(people, people[1:] + people[:1], strict=True)
    ]
    text = " ".join(sentences * 8)[:10_000]
    names = people + [p.split()[1] for p in people]
    table = actor_table(text, names)
    assert len(table.actors) == 10
    assert all(a.role == "Swedish Trade Minister" and a.country == "SWE" for a in table.actors)


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("Kim Jong Un Pompeo said. the secretary, U.S. ’s-")), max_size=200),
    st.lists(st.text(max_size=30), max_size=6),
)
def test_any_text_and_names_give_a_table_that_covers_every_name(text: str, names: list[str]) -> None:
    table = actor_table(text, names)
    canon = {a.name for a in table.actors}
    for name in names:
        if name.strip():
            parts = table.canonical(name).split(" and ")  # both parties "X and Y": each is an actor
            assert table.canonical(name) in canon or all(p in canon for p in parts)


HOLMS = (
    "President Holm said the talks in Tallinn would resume in May. Holm spoke after a cabinet meeting.\n"
    "Later his daughter Kari Holm told reporters she doubted the talks would succeed."
)


def test_a_full_name_first_written_after_the_bare_surname_is_someone_else() -> None:
    table = actor_table(HOLMS, ["President Holm", "Holm", "Kari Holm"])
    assert table.canonical("President Holm") == "Holm" and table.canonical("Holm") == "Holm"  # not "Kari Holm"
    assert table.canonical("Kari Holm") == "Kari Holm"
    assert actor(table, "Holm") == Actor(name="Holm", role="President", aliases=["President Holm"])
    assert actor(table, "Kari Holm") == Actor(name="Kari Holm")
    introduced = "Kari Holm said the talks would resume. Holm spoke after a cabinet meeting."
    assert actor_table(introduced, ["Holm", "Kari Holm"]).canonical("Holm") == "Kari Holm"  # introduced first: her


def test_a_group_cited_by_a_person_stays_a_group() -> None:
    text = "Foreign Minister Anna Berg said many have been skeptical. Berg later flew to Oslo."
    table = actor_table(text, ["many (as cited by Anna Berg)", "Berg"])
    assert table.canonical("many (as cited by Anna Berg)") == "many (as cited by Anna Berg)"
    assert actor(table, "many (as cited by Anna Berg)") == Actor(name="many (as cited by Anna Berg)")
    assert actor(table, "Berg") == Actor(name="Anna Berg", role="Foreign Minister", aliases=["Berg"])
    assert [a.name for a in table.actors] == ["Anna Berg", "many (as cited by Anna Berg)"]


def test_each_party_of_x_and_y_gets_its_own_canonical_name() -> None:
    text = "Foreign Minister Anna Berg met Prime Minister Lars Holm. Berg and Holm agreed. Sweden and Norway signed."
    forms = ["Berg and Holm", "Anna Berg", "Holm & Sato", "Sweden and Norway", "critics and analysts"]
    table = actor_table(text, forms)
    assert table.canonical("Berg and Holm") == "Anna Berg and Lars Holm"
    assert table.canonical("Holm & Sato") == "Lars Holm and Sato"  # Sato is named nowhere else: as written
    assert table.canonical("Sweden and Norway") == "Sweden and Norway"
    assert table.canonical("critics and analysts") == "critics and analysts"  # one group, not two parties
    assert [a.name for a in table.actors] == [
        "Anna Berg", "Lars Holm", "Sweden", "Norway", "Sato", "critics and analysts",
    ]  # fmt: skip
    assert actor(table, "Sweden").country == "SWE" and actor(table, "Norway").country == "NOR"
    assert table.find("Berg and Holm") is None  # a form of two actors is no one actor


def test_a_country_named_with_and_is_one_party() -> None:
    table = actor_table("Trinidad and Tobago pledged support.", ["Trinidad and Tobago"])
    assert table.actors == (Actor(name="Trinidad and Tobago", country="TTO"),)
    assert table.canonical("Trinidad and Tobago") == "Trinidad and Tobago"
