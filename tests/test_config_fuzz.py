"""Fuzzing settings: any flags and any environment give ``Settings`` or ``ConfigError``, and never show the key.

Contract: ``make_settings(**flags)`` (the CLI's flag values, ``None`` = not given) under any ``SUMMARIZER_*`` /
``OPENAI_*`` environment returns a :class:`Settings` or raises :class:`ConfigError`, never a pydantic
``ValidationError`` or anything else; the API key never appears in ``describe()``, ``repr``/``str`` or the error.
"""

from __future__ import annotations

import json
import os
import string
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from summarizer.config import Settings, make_settings
from summarizer.errors import ConfigError

FAST = settings(max_examples=200, deadline=None)

ENV_NAMES = (
    "SUMMARIZER_MAX_TOKENS",
    "SUMMARIZER_N_CTX",
    "SUMMARIZER_MAX_RETRIES",
    "SUMMARIZER_TEMPERATURE",
    "SUMMARIZER_STRICT",
    "SUMMARIZER_REQUEST_TIMEOUT",
    "SUMMARIZER_BASE_URL",
    "SUMMARIZER_MODEL",
    "SUMMARIZER_PIPELINE",
    "OPENAI_BASE_URL",
)
KEY_NAMES = ("OPENAI_API_KEY", "SUMMARIZER_API_KEY")

# What an environment variable can hold: no NUL, nothing the OS encoding cannot take (lone surrogates other than
# the surrogate escapes of undecodable bytes).
env_text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30)
env_values = st.one_of(
    env_text,
    st.integers().map(str),
    st.floats().map(str),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "1",
            "-1",
            "63",
            "64",
            "1023",
            "1024",
            "5",
            "6",
            "true",
            "false",
            "yes",
            "no",
            "on",
            "off",
            "nan",
            "inf",
            "-inf",
            "1e400",
            "1e3",
            "0x10",
            "1_000",
            " 64 ",
            "١٢٣",
            "[1]",
            '{"a": 1}',
            "null",
            "None",
        ]
    ),
    st.text("0123456789", min_size=4300, max_size=5000),  # past Python's int-parsing digit limit
)
environments = st.dictionaries(st.sampled_from(ENV_NAMES), env_values, max_size=len(ENV_NAMES))
# "sk-" and 8+ letters/digits: cannot be a chance substring of a message, a field name or a number.
api_keys = st.text(string.ascii_letters + string.digits, min_size=8, max_size=40).map(lambda s: "sk-" + s)

flag_text = st.one_of(st.none(), st.text(max_size=30))  # argv may hold surrogate escapes, a library caller anything
flag_ints = st.one_of(st.none(), st.integers(), st.sampled_from([63, 64, 1023, 1024, 10**30]))
flags = st.fixed_dictionaries(
    {},
    optional={
        "model": flag_text,
        "base_url": flag_text,
        "model_path": st.one_of(st.none(), st.text(max_size=30).map(Path)),
        "pipeline": flag_text,
        "max_tokens": flag_ints,
        "n_ctx": flag_ints,
        "strict": st.one_of(st.none(), st.booleans()),
    },
)


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Exactly ``values`` as the SUMMARIZER_*/OPENAI_* environment; restored afterwards."""
    with mock.patch.dict(os.environ):
        for name in [n for n in os.environ if n.upper().startswith(("SUMMARIZER_", "OPENAI_"))]:
            del os.environ[name]
        os.environ.update(values)
        yield


def settle(given_flags: dict[str, Any], env: dict[str, str]) -> Settings | ConfigError:
    """``make_settings`` under ``env``: the settings, or the ConfigError (anything else propagates and fails)."""
    with environment(env):
        try:
            result = make_settings(**given_flags)
        except ConfigError as exc:
            assert str(exc).strip() and exc.exit_code == 2
            return exc
    assert isinstance(result, Settings)
    return result


@FAST
@given(flags, environments)
@example({"max_tokens": 10**30}, {})
@example({"n_ctx": -1, "strict": True}, {"SUMMARIZER_N_CTX": "x"})
@example({}, {"SUMMARIZER_MAX_TOKENS": "9" * 4301})
@example({}, {"SUMMARIZER_TEMPERATURE": "nan", "SUMMARIZER_REQUEST_TIMEOUT": "-inf"})
@example({"model": "\udcff", "model_path": Path("\x00")}, {})
def test_any_flags_and_environment_give_settings_or_config_error(flags: dict[str, Any], env: dict[str, str]) -> None:
    result = settle(flags, env)
    if isinstance(result, Settings):  # a flag beats the environment
        for name in ("model", "base_url", "pipeline", "max_tokens", "n_ctx", "model_path"):
            if flags.get(name) is not None:
                assert getattr(result, name) == flags[name]
        json.dumps(result.describe())  # describe() is JSON-ready: it goes into run logs


@FAST
@given(flags, environments, api_keys, st.sampled_from(KEY_NAMES))
@example({}, {}, "sk-1234567890", "OPENAI_API_KEY")
@example({"max_tokens": 1}, {}, "sk-1234567890", "OPENAI_API_KEY")  # an error alongside a key
@example({"base_url": "http://h/v1"}, {"SUMMARIZER_STRICT": "maybe"}, "sk-A1b2C3d4", "SUMMARIZER_API_KEY")
def test_the_api_key_never_shows(flags: dict[str, Any], env: dict[str, str], key: str, key_name: str) -> None:
    # The key must not be part of any other value, or finding it in the output would prove nothing.
    assume(not any(key in str(v) for v in [*flags.values(), *env.values()]))
    result = settle(flags, {**env, key_name: key})
    if isinstance(result, ConfigError):
        assert key not in str(result) and key not in repr(result) and key not in result.message
        return
    assert result.api_key is not None and result.api_key.get_secret_value() == key
    assert key not in repr(result) and key not in str(result)
    assert key not in json.dumps(result.describe()) and key not in str(result.describe())
    assert result.describe()["api_key_set"] is True
