"""Results stage: the ranking of one category by score, ties detected exactly and broken only
by the edition's declared rules. Standard library only.

A tie is two dossiers with equal scores (exact Fractions, so "equal" means equal). The declared
rules (`Edition.tie_break`, e.g. `[{"rule": "criterion", "key": "impact"}, {"rule": "median"}]`)
are tried in order on each group of tied dossiers; whatever they cannot separate stays tied,
with the same rank (1, 2, 2, 4), for the jury to decide. Nothing is ever broken silently (no
order by reference or id): `Ranked.tied` says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction


class TieRule(StrEnum):
    CRITERION = "criterion"   # the higher average on one criterion (0-100) wins
    MEDIAN = "median"         # the higher median of sheet totals wins
    MEAN = "mean"             # the higher mean of sheet totals wins (useful under the median)


@dataclass(frozen=True)
class TieBreak:
    rule: TieRule
    #: The criterion's id for TieRule.CRITERION (the service maps the edition's key to the
    #: round's criterion id); None otherwise.
    criterion_id: int | None = None


@dataclass(frozen=True)
class RankItem:
    """What ranking looks at for one dossier. `score` None (no submitted sheet) ranks last,
    unranked."""

    dossier_id: int
    score: Fraction | None
    mean: Fraction | None = None
    median: Fraction | None = None
    #: criterion id -> average of the rescaled marks (0-100); a criterion nobody marked is absent.
    criteria: Mapping[int, Fraction] | None = None


@dataclass(frozen=True)
class Ranked:
    dossier_id: int
    #: Competition rank (1, 2, 2, 4) after the declared tie-breaks; None without a score.
    rank: int | None
    #: Still tied with another dossier after every declared rule.
    tied: bool
    #: The rule that separated this dossier from a dossier of equal score (None: no tie, or
    #: still tied).
    broken_by: TieBreak | None


def rank(items: Sequence[RankItem], rules: Sequence[TieBreak] = ()) -> list[Ranked]:
    """`items` ranked, best first; the result does not depend on the input order except among
    dossiers still tied (listed by dossier id, which is display order only: they share a
    rank and are flagged).

    What holds:
    - scores are compared exactly: two dossiers tie when their Fractions are equal, never
      because they round to the same display;
    - a group of equal scores is split by `rules` in order, each on exact values, the higher
      value first; a rule splits only the dossiers of a group it did not separate, so a rule
      never reorders dossiers an earlier rule or the score already ordered;
    - a rule may have no value for a dossier (a criterion every sheet marked N/A): a missing
      value is neither a zero nor a loss. A rule that compares no two dossiers of the group
      (at most one has a value) is skipped; one that could compare some of them but not all
      leaves the group tied for the jury, because applying a later rule could then order two
      dossiers against the verdict of this earlier one. So between any two dossiers of equal
      score that end up ordered, the first declared rule on which both have different values
      is the one that orders them, the better value first;
    - ranks are competition ranks (1, 2, 2, 4): one plus the number of dossiers strictly ahead;
    - `tied` marks dossiers the rules left equal, `broken_by` the rule at which a dossier of a
      tied score stood alone (None for a score nobody shared, or a dossier still tied);
    - dossiers without a score come last, unranked (rank None, not tied), by id.

    Raises ValueError when a dossier id appears twice.
    """
    ids = [item.dossier_id for item in items]
    if len(set(ids)) != len(ids):
        raise ValueError("a dossier appears twice in the ranking")
    by_id = sorted(items, key=lambda item: item.dossier_id)
    scored = [item for item in by_id if item.score is not None]
    # float() of a Fraction is correctly rounded, hence monotonic: the float orders the scores
    # (quickly) and the Fraction decides between equal floats (exactly). The sort is stable, so
    # equal scores stay in id order.
    scored.sort(key=lambda item: (float(item.score), item.score), reverse=True)  # type: ignore[arg-type]
    out: list[Ranked] = []
    start = 0
    while start < len(scored):
        stop = start + 1
        while stop < len(scored) and scored[stop].score == scored[start].score:
            stop += 1
        if stop - start == 1:
            out.append(Ranked(scored[start].dossier_id, len(out) + 1, False, None))
        else:
            for block, rule in _split(scored[start:stop], rules, 0):
                place = len(out) + 1
                tied = len(block) > 1
                out.extend(Ranked(item.dossier_id, place, tied, None if tied else rule)
                           for item in block)
        start = stop
    out.extend(Ranked(item.dossier_id, None, False, None)
               for item in by_id if item.score is None)
    return out


def _value(item: RankItem, rule: TieBreak) -> Fraction | None:
    if rule.rule is TieRule.CRITERION:
        return None if item.criteria is None else item.criteria.get(rule.criterion_id)  # type: ignore[arg-type]
    return item.median if rule.rule is TieRule.MEDIAN else item.mean


def _split(group: list[RankItem], rules: Sequence[TieBreak],
           first: int) -> list[tuple[list[RankItem], TieBreak | None]]:
    """`group` (equal so far, in id order) as blocks best first, each with the rule that made
    it a block of its own; a block of several dossiers is still tied."""
    for at in range(first, len(rules)):
        rule = rules[at]
        values = [_value(item, rule) for item in group]
        known = sum(value is not None for value in values)
        if known < len(group):
            if known <= 1:          # the rule compares no two of them: try the next one
                continue
            return [(group, None)]  # it compares some and not others: left to the jury
        distinct = sorted(set(values), reverse=True)  # type: ignore[type-var]
        if len(distinct) == 1:
            continue
        blocks: list[tuple[list[RankItem], TieBreak | None]] = []
        for level in distinct:
            sub = [item for item, value in zip(group, values, strict=True) if value == level]
            if len(sub) == 1:
                blocks.append((sub, rule))
            else:
                blocks.extend(_split(sub, rules, at + 1))
        return blocks
    return [(group, None)]


def parse_rules(declared: Sequence[Mapping[str, object]],
                criterion_ids: Mapping[str, int]) -> list[TieBreak]:
    """The edition's declared list (JSON) as TieBreaks; `criterion_ids` maps criterion keys of
    the round to ids. A rule naming a criterion the round does not have is skipped (a later
    round may have other criteria); an unknown rule raises ValueError, and so does a rule
    that is not an object or a criterion rule without a key."""
    rules: list[TieBreak] = []
    for entry in declared:
        if not isinstance(entry, Mapping):
            raise ValueError(f"a tie-break rule must be an object, not {entry!r}")
        name = entry.get("rule")
        try:
            rule = TieRule(name)
        except ValueError:
            raise ValueError(f"unknown tie-break rule: {name!r}") from None
        if rule is not TieRule.CRITERION:
            rules.append(TieBreak(rule))
            continue
        key = entry.get("key")
        if not isinstance(key, str) or not key:
            raise ValueError("a criterion tie-break rule needs the criterion's key")
        if key in criterion_ids:
            rules.append(TieBreak(rule, criterion_ids[key]))
    return rules
