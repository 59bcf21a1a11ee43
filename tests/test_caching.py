"""Per-library caches: never shared between two libraries, even when one reuses a dead one's id."""

from __future__ import annotations

from assistant.answering.matching import partial_matches, word_vectors
from assistant.caching import library_cache
from assistant.text.question import TermGroup


class WordEmbedder:
    """A library with only ``embed``: vectors of a chosen dimension."""

    def __init__(self, dimension: int) -> None:
        self.dimension = dimension

    def embed(self, texts: list[str]) -> list[list[float]]:
        return [[float(len(text) % 7 + 1)] * self.dimension for text in texts]


def test_each_library_has_its_own_cache() -> None:
    first, second = WordEmbedder(4), WordEmbedder(4)
    library_cache(first, "words")["a"] = 1
    assert library_cache(second, "words") == {}
    assert library_cache(first, "words") == {"a": 1}
    assert library_cache(first, "other") == {}


def test_an_object_without_weak_references_gets_no_cache() -> None:
    cache = library_cache(42, "words")
    cache["a"] = 1
    assert library_cache(42, "words") == {}


def test_a_new_library_never_reads_a_collected_ones_vectors() -> None:
    # CPython often hands a new object the address (the id) of one just collected: a cache
    # keyed by id() gave an 8-dimension library the 4-dimension vectors of a dead one.
    seen: set[int] = set()
    reused = 0
    for step in range(200):
        dimension = 4 * (1 + step % 3)
        library = WordEmbedder(dimension)
        reused += id(library) in seen
        seen.add(id(library))
        vectors = word_vectors(library, {"member", "states"})
        assert {len(v) for v in vectors.values()} == {dimension}
        groups = [TermGroup(word="member", alternatives=[frozenset({"member"})])]
        partial_matches(library, groups, [{"member", "states"}])
        del library  # freed at once (reference count): its address is free again
        if reused >= 5:
            break
    assert reused, "no id was reused: the test did not exercise what it is for"


def test_library_caches_are_bounded_least_recently_used_first() -> None:
    from types import SimpleNamespace

    from assistant.caching import MIN_ENTRIES, LruCache, cache_limit

    cache = LruCache(3)
    for key in "abc":
        cache[key] = key
    assert cache["a"] == "a"  # now the newest
    cache["d"] = "d"
    assert list(cache) == ["c", "a", "d"] and "b" not in cache
    cache.update({"e": 1, "f": 2})
    assert len(cache) == 3 and cache.get("b") is None
    settings = SimpleNamespace(vector_cache_entries=5_000)
    assert cache_limit(SimpleNamespace(settings=settings)) == 5_000
    tiny = SimpleNamespace(vector_cache_entries=3)
    assert cache_limit(SimpleNamespace(settings=tiny)) == MIN_ENTRIES


def test_embed_cached_keeps_at_most_the_limit_and_returns_every_vector() -> None:
    from types import SimpleNamespace

    from assistant.caching import MIN_ENTRIES, embed_cached

    class Counting(WordEmbedder):
        settings = SimpleNamespace(vector_cache_entries=MIN_ENTRIES)
        embedded = 0

        def embed(self, texts: list[str]) -> list[list[float]]:
            self.embedded += len(texts)
            return super().embed(texts)

    library = Counting(4)
    texts = [f"text {i}" for i in range(MIN_ENTRIES + 500)]
    vectors = embed_cached(library, texts)
    assert len(vectors) == len(texts) and library_cache(library, "texts").limit == MIN_ENTRIES
    assert len(library_cache(library, "texts")) == MIN_ENTRIES
    assert embed_cached(library, texts[-3:]) == vectors[-3:]
    assert library.embedded == len(texts), "the newest vectors are served from the cache"
