"""Unanswered questions grouped by wording: identical normalized text, then near-duplicates merged.

Near-duplicates (typos, spacing) are found with a sorted-neighbourhood pass,
O(n log n), and joined with union-find.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from tools.report.analysis import Unanswered
from tools.report.rules import EMPTY_LABEL, normalize

NEAR_DUPLICATE_RATIO = 0.85
NEIGHBOURS = 4  # sorted-neighbourhood window


@dataclass
class Group:
    count: int = 0
    texts: Counter = field(default_factory=Counter)  # original wordings
    keys: set = field(default_factory=set)  # normalized wordings
    reasons: Counter = field(default_factory=Counter)
    intents: Dict[str, List[float]] = field(default_factory=lambda: defaultdict(lambda: [0, 0.0]))
    channels: Counter = field(default_factory=Counter)
    first: Optional[dt.date] = None
    last: Optional[dt.date] = None

    def add(self, item: Unanswered, key: str) -> None:
        self.count += 1
        self.texts[" ".join(item.text.split())] += 1  # shown with single spaces
        self.keys.add(key)
        self.reasons[item.reason] += 1
        for name, conf in item.ranking:
            s = self.intents[name]
            s[0] += 1
            s[1] += conf
        self.channels[item.channel] += 1
        self.first = item.day if self.first is None else min(self.first, item.day)
        self.last = item.day if self.last is None else max(self.last, item.day)

    def merge(self, other: "Group") -> None:
        self.count += other.count
        self.texts.update(other.texts)
        self.keys |= other.keys
        self.reasons.update(other.reasons)
        for name, (n, s) in other.intents.items():
            mine = self.intents[name]
            mine[0] += n
            mine[1] += s
        self.channels.update(other.channels)
        for d in (other.first, other.last):
            if d is not None:
                self.first = d if self.first is None else min(self.first, d)
                self.last = d if self.last is None else max(self.last, d)

    @property
    def label(self) -> str:
        if self.keys == {""}:
            return EMPTY_LABEL
        text, _ = max(((t, n) for t, n in self.texts.items() if normalize(t)),
                      key=lambda kv: (kv[1], -len(kv[0]), kv[0]))
        return text

    def variants(self, limit: int = 5) -> List[str]:
        label = self.label
        return [t for t, _ in self.texts.most_common() if t != label and t.strip()][:limit]

    def top_intents(self, limit: int = 3, floor: float = 0.05) -> List[Tuple[str, int, float]]:
        """Intents the model saw in these messages: (name, messages, mean confidence).

        Ordered by summed confidence; after the first, intents under ``floor``
        mean confidence are left out (noise of the ranking's tail).
        """
        rows = [(name, int(n), s / n) for name, (n, s) in self.intents.items() if n]
        rows.sort(key=lambda r: (-(r[1] * r[2]), r[0]))
        return [r for i, r in enumerate(rows[:limit]) if i == 0 or r[2] >= floor]


def _similar(a: str, b: str, matcher: difflib.SequenceMatcher) -> bool:
    la, lb = len(a), len(b)
    if not la or not lb or 2 * min(la, lb) / (la + lb) < NEAR_DUPLICATE_RATIO:
        return False
    matcher.set_seq1(a)
    return (
        matcher.real_quick_ratio() >= NEAR_DUPLICATE_RATIO
        and matcher.quick_ratio() >= NEAR_DUPLICATE_RATIO
        and matcher.ratio() >= NEAR_DUPLICATE_RATIO
    )


def near_duplicate_pairs(keys: Sequence[str], window: int = NEIGHBOURS) -> Iterator[Tuple[int, int]]:
    """Pairs (i, j) of keys with difflib ratio >= NEAR_DUPLICATE_RATIO.

    Sorted-neighbourhood: each key is compared only with its next ``window``
    neighbours in three orders (the text, the text reversed, its words sorted),
    which catches a typo at the end, at the start, and swapped words.
    O(n log n) sorting plus O(n * window) comparisons, instead of O(n^2).
    """
    orders = (
        lambda k: k,
        lambda k: k[::-1],
        lambda k: " ".join(sorted(k.split())),
    )
    seen = set()
    matcher = difflib.SequenceMatcher(autojunk=False)
    for order in orders:
        idx = sorted(range(len(keys)), key=lambda i: order(keys[i]))
        for pos, i in enumerate(idx):
            matcher.set_seq2(keys[i])
            for j in idx[pos + 1: pos + 1 + window]:
                pair = (min(i, j), max(i, j))
                if pair in seen:
                    continue
                seen.add(pair)
                if _similar(keys[j], keys[i], matcher):
                    yield pair


def group_unanswered(items: Iterable[Unanswered], merge_similar: bool = True) -> List[Group]:
    """Identical normalized wording -> one group; near-duplicates merged (union-find)."""
    exact: Dict[str, Group] = {}
    for item in items:
        key = normalize(item.text)
        group = exact.get(key)
        if group is None:
            group = exact[key] = Group()
        group.add(item, key)
    keys = list(exact)
    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if merge_similar:
        for i, j in near_duplicate_pairs(keys):
            ri, rj = find(i), find(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
    merged: Dict[int, Group] = {}
    for i, key in enumerate(keys):
        root = find(i)
        if root in merged:
            merged[root].merge(exact[key])
        else:
            merged[root] = exact[key]
    return sorted(merged.values(), key=lambda g: (-g.count, g.label))
