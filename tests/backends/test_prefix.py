"""Saved prompt prefixes against the stand-in's play of llama.cpp's slot routes (real server: tests/test_live.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer import Settings, Summarizer
from summarizer.backends import prefix as prefix_mod
from summarizer.backends.modelfile import sha256_file
from summarizer.backends.prefix import SENTINEL, PrefixCache, evict, list_saved, state_key

from ..fake_openai import FakeEndpoint
from ..support.servers import FakeEmbedded

MODEL_SHA = "ab" * 32


def messages(system: str = "You extract facts.") -> list[dict[str, str]]:
    return [{"role": "system", "content": system}, {"role": "user", "content": f"Publication date: {SENTINEL}"}]


def paths(fake: FakeEndpoint) -> list[str]:
    return [r["path"] for r in fake.requests]


@pytest.fixture
def slots(tmp_path: Path) -> Path:
    return tmp_path / "prefixes"


def new_process(fake: FakeEndpoint, slots: Path) -> PrefixCache:
    """What a new run does: a fresh cache object, the same folder."""
    fake.requests.clear()
    return PrefixCache(fake.url, slots, MODEL_SHA, 8192)


def test_the_first_run_reads_and_saves_the_prefix_and_the_next_restores_it(slots: Path) -> None:
    slots.mkdir()
    with FakeEndpoint(slot_dir=slots) as fake:
        assert new_process(fake, slots).load(messages(), "cited") == "saved"
        assert paths(fake) == ["/apply-template", "/completion", "/slots/0?action=save"]
        (saved,) = list_saved(slots)
        assert (
            saved.prompt == "cited" and saved.tokens > 3 and (slots / f"{saved.key}.bin").stat().st_size == saved.bytes
        )
        assert fake.requests[1]["body"]["prompt"].endswith("Publication date: ")  # the prefix stops at the article
        assert new_process(fake, slots).load(messages(), "cited") == "restored"
        assert paths(fake) == ["/apply-template", "/slots/0?action=restore"]  # no prefix read


def test_a_changed_prompt_never_reuses_a_saved_state(slots: Path) -> None:
    slots.mkdir()
    with FakeEndpoint(slot_dir=slots) as fake:
        new_process(fake, slots).load(messages(), "cited")
        assert new_process(fake, slots).load(messages("You extract facts, carefully."), "cited") == "saved"
        assert "/slots/0?action=restore" not in paths(fake) and "/completion" in paths(fake)
    assert len(list_saved(slots)) == 2


def test_the_key_covers_model_build_context_and_prefix() -> None:
    base = state_key(MODEL_SHA, "b1", 8192, "p")
    assert len({base, state_key("cd" * 32, "b1", 8192, "p"), state_key(MODEL_SHA, "b2", 8192, "p"),
                state_key(MODEL_SHA, "b1", 4096, "p"), state_key(MODEL_SHA, "b1", 8192, "p ")}) == 5  # fmt: skip


@pytest.mark.parametrize("damage", ["truncated", "altered", "manifest"])
def test_a_damaged_state_is_a_miss_never_sent_to_the_server(slots: Path, damage: str) -> None:
    slots.mkdir()
    with FakeEndpoint(slot_dir=slots) as fake:
        new_process(fake, slots).load(messages(), "cited")
        (saved,) = list_saved(slots)
        state = slots / f"{saved.key}.bin"
        if damage == "truncated":
            state.write_bytes(state.read_bytes()[:10])
        elif damage == "altered":
            data = bytearray(state.read_bytes())
            data[2] ^= 0xFF
            state.write_bytes(bytes(data))
        else:
            (slots / f"{saved.key}.json").write_text("{not json", encoding="utf-8")
        assert new_process(fake, slots).load(messages(), "cited") == "saved"
        assert "/slots/0?action=restore" not in paths(fake)  # llama.cpp aborts on a cut state: it never sees one
    (again,) = list_saved(slots)
    assert again.key == saved.key and (slots / f"{saved.key}.bin").read_text(encoding="utf-8").endswith("slot file>")


def test_a_restore_the_server_refuses_is_a_miss(slots: Path) -> None:
    slots.mkdir()
    with FakeEndpoint(slot_dir=slots) as fake:
        new_process(fake, slots).load(messages(), "cited")
        (saved,) = list_saved(slots)
        state = slots / f"{saved.key}.bin"
        # Whole as far as its manifest knows, but not a file the server accepts (another build's format, say).
        state.write_text("x" * saved.bytes, encoding="utf-8")
        manifest = json.loads((slots / f"{saved.key}.json").read_text(encoding="utf-8"))
        manifest["sha256"] = sha256_file(state)
        (slots / f"{saved.key}.json").write_text(json.dumps(manifest), encoding="utf-8")
        assert new_process(fake, slots).load(messages(), "cited") == "saved"
        assert paths(fake) == ["/apply-template", "/slots/0?action=restore", "/completion", "/slots/0?action=save"]


def test_the_folder_is_bounded_least_recently_used_first(slots: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slots.mkdir()
    with FakeEndpoint(slot_dir=slots) as fake:
        for i in range(prefix_mod.MAX_STATES + 3):
            new_process(fake, slots).load(messages(f"prompt {i}"), f"p{i}")
    kept = list_saved(slots)
    assert len(kept) == prefix_mod.MAX_STATES and {s.prompt for s in kept} == {f"p{i}" for i in range(3, 11)}
    assert len(list(slots.glob("*.bin"))) == prefix_mod.MAX_STATES
    monkeypatch.setattr(prefix_mod, "MAX_BYTES", kept[0].bytes * 2)
    (slots / "orphan.bin").write_bytes(b"x")
    evict(slots, keep=kept[-1].key)
    left = {s.key for s in list_saved(slots)}
    assert kept[-1].key in left and len(left) <= 2 and not (slots / "orphan.bin").exists()


def test_the_embedded_backend_saves_then_restores_across_runs(fake_embedded: FakeEmbedded) -> None:
    text = "Mike Pompeo will travel to Pyongyang next month, the State Department said."
    with Summarizer(Settings()) as s:
        first = s.summarize(text)
    with Summarizer(Settings()) as s:
        second = s.summarize(text)
    with Summarizer(Settings(prefix_cache=False)) as s:
        off = s.summarize(text)
    assert first.meta and second.meta and off.meta
    assert (first.meta.prefix, second.meta.prefix, off.meta.prefix) == ("saved", "restored", None)
    assert first.trips == second.trips
