"""The domain model's `immutable` records behave as frozen dataclasses do."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from generator.model import Clause, Library, Source, immutable


@immutable
class Sample:
    name: str
    count: int = 1
    tags: list[str] = dataclasses.field(default_factory=list)
    note: str | None = dataclasses.field(default=None, kw_only=True)


@dataclasses.dataclass(frozen=True)
class PlainSample:
    name: str
    count: int = 1
    tags: list[str] = dataclasses.field(default_factory=list)
    note: str | None = dataclasses.field(default=None, kw_only=True)


def test_fields_are_filled_positionally_by_keyword_and_from_defaults() -> None:
    sample = Sample("a", 3, ["x"], note="n")
    assert (sample.name, sample.count, sample.tags, sample.note) == ("a", 3, ["x"], "n")
    defaults = Sample(name="b")
    assert (defaults.count, defaults.tags, defaults.note) == (1, [], None)


def test_each_instance_gets_its_own_default_from_a_factory() -> None:
    first, second = Sample("a"), Sample("b")
    first.tags.append("x")
    assert second.tags == []


def test_bad_arguments_are_refused_as_by_a_dataclass() -> None:
    with pytest.raises(TypeError):
        Sample()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Sample("a", 1, [], "positional note")  # type: ignore[misc]
    with pytest.raises(TypeError):
        Sample("a", colour="red")  # type: ignore[call-arg]


def test_instances_cannot_be_changed() -> None:
    sample = Sample("a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        sample.name = "b"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del sample.count


def test_equality_hash_repr_and_replace_are_a_frozen_dataclass_s() -> None:
    mine, plain = Sample("a", 2, note="n"), PlainSample("a", 2, note="n")
    assert repr(mine).replace("Sample", "PlainSample") == repr(plain)
    assert Source("f.yaml", 3) == Source("f.yaml", 3) and Source("f.yaml", 3) != Source("f.yaml", 4)
    assert hash(Source("f.yaml", 3)) == hash(Source("f.yaml", 3))
    assert {Source("f.yaml", 3), Source("f.yaml", 3)} == {Source("f.yaml", 3)}
    changed = dataclasses.replace(mine, count=5)
    assert (changed.name, changed.count, changed.note) == ("a", 5, "n") and mine.count == 2


def test_model_records_survive_pickling() -> None:
    clause = Clause("A", "Text.", "418.05.A", Source("go-418.yaml", 12), keywords=("post",))
    library = Library(fingerprint="f")
    assert pickle.loads(pickle.dumps(clause)) == clause
    assert pickle.loads(pickle.dumps(library)).orders == ()
