"""Award scenarios of DOMAIN.md: which qualified proposal gets which channel, and at what TCO.

A proposal restricted to a subset S of the event's channels costs, over the term,

    TCO_p(S) = fx x (one-off fees + sum over months m of count_m x (max(U_m(S), minimum) + fees))

where U_m(S) is the sum of its usage charges for the channels of S in month m (its pricing
lines, as `vendors.domain.pricing` priced them) and count_m the number of term months priced
alike. A proposal given no channel costs nothing. A scenario assigns each channel to one
proposal; its TCO is the sum of its proposals' restricted TCOs. The cheapest split is found
exactly by branch and bound (docs/scenarios.md proves the bound). Nothing is rounded here.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from itertools import product

from core.channels import Channel

ZERO = Decimal(0)
# Decimal arithmetic rounds at its 28th significant digit; a bound that differs from a cost by
# less than this is treated as equal to it (far below a cent, see docs/scenarios.md).
SLACK = Decimal("1e-9")

ProposalId = int | str


class ScenarioName(StrEnum):
    """The three scenarios the comparison offers side by side."""

    FIRST_RANKED = "first_ranked"
    CHEAPEST_SPLIT = "cheapest_split"
    COMPOSED = "composed"


@dataclass(frozen=True)
class MonthCharges:
    """One calendar month of a proposal's forecast: usage charge per channel (quoted currency).

    `count` is how many months of the term are priced exactly like this one.
    """

    count: int
    usage: Mapping[Channel, Decimal]


@dataclass(frozen=True)
class ProposalCosts:
    """What a proposal charges, split by channel and month, in its quoted currency."""

    id: ProposalId
    months: tuple[MonthCharges, ...]
    serves: frozenset[Channel]
    one_off_fees: Decimal = ZERO
    fixed_monthly_fees: Decimal = ZERO
    minimum_monthly_charge: Decimal = ZERO
    # Event-currency units per unit of the quoted currency.
    fx_rate: Decimal = Decimal(1)


@dataclass(frozen=True)
class ScenarioContract:
    """One proposal of a scenario with the channels it gets and its restricted TCO."""

    proposal: ProposalId
    channels: tuple[Channel, ...]
    tco: Decimal


@dataclass(frozen=True)
class Scenario:
    """An assignment channel -> proposal, its contracts and its TCO (event currency)."""

    name: ScenarioName
    assignments: tuple[tuple[Channel, ProposalId], ...]
    contracts: tuple[ScenarioContract, ...]
    tco: Decimal
    # This TCO minus the first-ranked proposal's alone (negative: cheaper).
    difference: Decimal = ZERO


class ProblemKind(StrEnum):
    """Why a composed assignment cannot be a scenario."""

    UNASSIGNED = "unassigned"  # an event channel has no proposal
    TWICE = "twice"  # a channel is assigned more than once
    UNKNOWN_CHANNEL = "unknown_channel"  # not a channel of the event
    UNQUALIFIED = "unqualified"  # not a qualified proposal of the event
    NOT_SERVED = "not_served"  # the proposal does not serve the channel


@dataclass(frozen=True)
class AssignmentProblem:
    """One problem of a composed assignment, naming the channel and/or proposal."""

    kind: ProblemKind
    channel: str | None = None
    proposal: object = None


class AssignmentError(ValueError):
    """A composed assignment is unusable; `problems` lists every one."""

    def __init__(self, problems: Sequence[AssignmentProblem]) -> None:
        super().__init__("; ".join(f"{p.kind}: {p.channel} {p.proposal}" for p in problems))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class Scenarios:
    """The scenarios of an event; cheapest_split is None when no split serves every channel."""

    first_ranked: Scenario | None
    cheapest_split: Scenario | None
    composed: Scenario | None = None
    # How many nodes the search visited (for the benchmark).
    nodes: int = field(default=0, compare=False)

    def all(self) -> tuple[Scenario, ...]:
        """The scenarios that exist, in the order they are shown."""
        found = (self.first_ranked, self.cheapest_split, self.composed)
        return tuple(s for s in found if s is not None)


# TCO of a proposal restricted to channels ------------------------------------------------


def _month_totals(proposal: ProposalCosts, channels: Iterable[Channel]) -> list[Decimal]:
    """U_m(S): the usage charge of the channels in each month."""
    chosen = tuple(channels)
    return [sum((m.usage.get(c, ZERO) for c in chosen), ZERO) for m in proposal.months]


def _tco_of_totals(proposal: ProposalCosts, totals: Sequence[Decimal]) -> Decimal:
    """TCO from each month's usage charge: the minimum per month, fees once, converted."""
    minimum, fees = proposal.minimum_monthly_charge, proposal.fixed_monthly_fees
    rate = proposal.fx_rate
    term = sum(
        (
            (max(total, minimum) + fees) * rate * m.count
            for total, m in zip(totals, proposal.months, strict=True)
        ),
        ZERO,
    )
    return proposal.one_off_fees * rate + term


def proposal_channels_tco(*, proposal: ProposalCosts, channels: Iterable[Channel]) -> Decimal:
    """A proposal's TCO over the term for a subset of channels (0 for none), event currency.

    Its pricing lines for those channels, its fixed monthly fees and one-off fees in full, and
    its minimum charge applied to those channels together, month by month.
    """
    chosen = tuple(dict.fromkeys(channels))
    if not chosen:
        return ZERO
    return _tco_of_totals(proposal, _month_totals(proposal, chosen))


def _scenario(
    *,
    name: ScenarioName,
    channels: Sequence[Channel],
    proposals: Mapping[ProposalId, ProposalCosts],
    assignment: Mapping[Channel, ProposalId],
) -> Scenario:
    """The scenario of a complete assignment: contracts in order of first channel, TCO."""
    grouped: dict[ProposalId, list[Channel]] = {}
    for channel in channels:
        grouped.setdefault(assignment[channel], []).append(channel)
    contracts = tuple(
        ScenarioContract(
            proposal=pid,
            channels=tuple(chs),
            tco=proposal_channels_tco(proposal=proposals[pid], channels=chs),
        )
        for pid, chs in grouped.items()
    )
    return Scenario(
        name=name,
        assignments=tuple((c, assignment[c]) for c in channels),
        contracts=contracts,
        tco=sum((c.tco for c in contracts), ZERO),
    )


def assignment_tco(
    *,
    channels: Sequence[Channel],
    proposals: Mapping[ProposalId, ProposalCosts],
    assignment: Mapping[Channel, ProposalId],
) -> Decimal:
    """The TCO of a complete assignment: the sum of its proposals' restricted TCOs."""
    name = ScenarioName.COMPOSED
    return _scenario(name=name, channels=channels, proposals=proposals, assignment=assignment).tco


# The exact search ---------------------------------------------------------------------------


@dataclass
class _Search:
    """Branch and bound over the channels in event order (docs/scenarios.md).

    Bounds are computed in binary floating point for speed and compared with a margin far
    above its rounding error, so a branch is pruned only when it surely cannot win; every
    complete assignment offered is costed exactly in Decimal.
    """

    channels: tuple[Channel, ...]
    proposals: tuple[ProposalCosts, ...]  # in rank order: the tie-break
    candidates: tuple[tuple[int, ...], ...]  # per channel, the proposals (indexes) serving it
    # Per channel and proposal, fx x count_m x u_m for each month, as floats.
    usage: list[list[list[float]]] = field(default_factory=list)
    # Per proposal: fx x count_m per month, fx x minimum, and its fixed cost once used.
    weights: list[list[float]] = field(default_factory=list)
    # Per first remaining channel and channel: (bound from an unused proposal, index) sorted.
    fresh: dict[int, list[list[tuple[float, int]]]] = field(default_factory=dict)
    best_cost: Decimal | None = None
    best_key: tuple[int, ...] = ()
    best_float: float = float("inf")
    nodes: int = 0

    def __post_init__(self) -> None:
        self.serving = [frozenset(c) for c in self.candidates]
        self.weights = [[float(p.fx_rate * m.count) for m in p.months] for p in self.proposals]
        self.minimum = [float(p.minimum_monthly_charge) for p in self.proposals]
        self.base = [
            float(
                p.fx_rate
                * (
                    p.one_off_fees
                    + sum(
                        (
                            m.count * (p.fixed_monthly_fees + p.minimum_monthly_charge)
                            for m in p.months
                        ),
                        ZERO,
                    )
                )
            )
            for p in self.proposals
        ]
        self.usage = [
            [[float(m.usage.get(c, ZERO)) for m in p.months] for p in self.proposals]
            for c in self.channels
        ]
        n = len(self.channels)
        # What a proposal costs with channel j alone, and what channel k then adds to it.
        self.single = [
            [self._tco(q, self.usage[j][q]) for q in range(len(self.proposals))] for j in range(n)
        ]
        self.pair = [
            [
                [self._marginal(k, q, self.usage[j][q]) for q in range(len(self.proposals))]
                for k in range(n)
            ]
            for j in range(n)
        ]
        self.fresh = {
            start: [
                sorted((self._fresh_bound(j, q, n - start), q) for q in self.candidates[j])
                for j in range(n)
            ]
            for start in range(n + 1)
        }

    def _fresh_bound(self, j: int, q: int, remaining: int) -> float:
        """A lower bound on what channel j adds to proposal q when q had no channel before.

        q's fixed cost (one-off, fees and minimum over the term) shared by the `remaining`
        channels it could get at most, plus channel j's usage above the minimum.
        """
        minimum = self.minimum[q]
        excess = sum(
            max(u - minimum, 0.0) * w
            for u, w in zip(self.usage[j][q], self.weights[q], strict=True)
        )
        return self.base[q] / max(remaining, 1) + excess

    def _tco(self, q: int, totals: Sequence[float]) -> float:
        """Proposal q's TCO (float) with its months' usage at `totals`."""
        minimum = self.minimum[q]
        rest = self.base[q] - sum(minimum * w for w in self.weights[q])
        return rest + sum(max(t, minimum) * w for t, w in zip(totals, self.weights[q], strict=True))

    def _marginal(self, j: int, q: int, totals: Sequence[float]) -> float:
        """Exactly what channel j adds to used proposal q whose months stand at `totals`."""
        minimum = self.minimum[q]
        return sum(
            (max(t + u, minimum) - max(t, minimum)) * w
            for t, u, w in zip(totals, self.usage[j][q], self.weights[q], strict=True)
        )

    def _used_marginals(
        self, start: int, state: Mapping[int, list[float]]
    ) -> list[list[tuple[float, int]]]:
        """Per remaining channel, (what it adds, proposal) for each used proposal serving it."""
        return [
            sorted(
                (self._marginal(j, q, totals), q)
                for q, totals in state.items()
                if q in self.serving[j]
            )
            for j in range(start, len(self.channels))
        ]

    def _bound(
        self,
        start: int,
        state: Mapping[int, list[float]],
        used: Sequence[Sequence[tuple[float, int]]],
        chosen: int,
        totals: Sequence[float],
    ) -> float:
        """A lower bound on what channels start.. add once `chosen` is at `totals` (docs).

        `used` are the parent's marginals of its used proposals (`_used_marginals`), so only
        the chosen proposal's are computed again.
        """
        total = 0.0
        fresh = self.fresh[start]
        for offset, j in enumerate(range(start, len(self.channels))):
            best = float("inf")
            for value, q in fresh[j]:
                if q != chosen and q not in state:
                    best = value
                    break
            for value, q in used[offset]:
                if q != chosen:
                    best = min(best, value)
                    break
            if chosen in self.serving[j]:
                if chosen in state:
                    best = min(best, self._marginal(j, chosen, totals))
                else:  # chosen was unused: it holds channel start - 1 alone
                    best = min(best, self.pair[start - 1][j][chosen])
            total += best
        return total

    def _margin(self) -> float:
        """How far above the best TCO a bound must be to prune (covers float rounding)."""
        return 1e-9 * abs(self.best_float) + 1e-6

    def offer(self, key: tuple[int, ...]) -> None:
        """A complete assignment: kept when its (TCO, rank order) is the smallest so far."""
        cost = self._cost(key)
        if self.best_cost is None or (cost, key) < (self.best_cost, self.best_key):
            self.best_cost, self.best_key, self.best_float = cost, key, float(cost)

    def _cost(self, key: Sequence[int]) -> Decimal:
        """The TCO of an assignment given as proposal indexes, as `assignment_tco` sums it."""
        grouped: dict[int, list[Channel]] = {}
        for channel, q in zip(self.channels, key, strict=True):
            grouped.setdefault(q, []).append(channel)
        return sum(
            (
                proposal_channels_tco(proposal=self.proposals[q], channels=chs)
                for q, chs in grouped.items()
            ),
            ZERO,
        )

    def _added(self, j: int, q: int, state: Mapping[int, list[float]]) -> tuple[float, list[float]]:
        """What giving channel j to q adds (float), and q's months' usage after it."""
        old = state.get(q)
        usage = self.usage[j][q]
        if old is None:
            return self.single[j][q], usage
        totals = [t + u for t, u in zip(old, usage, strict=True)]
        return self._tco(q, totals) - self._tco(q, old), totals

    def run(self, j: int, key: list[int], state: dict[int, list[float]], committed: float) -> None:
        """Assign channel j onwards; prune a branch whose bound exceeds the best TCO."""
        self.nodes += 1
        if j == len(self.channels):
            self.offer(tuple(key))
            return
        children = []
        used = self._used_marginals(j + 1, state)
        for q in self.candidates[j]:
            added, totals = self._added(j, q, state)
            bound = committed + added + self._bound(j + 1, state, used, q, totals)
            children.append((bound, q, totals, committed + added))
        children.sort(key=lambda child: (child[0], child[1]))
        for bound, q, totals, cost in children:
            if bound > self.best_float + self._margin():
                break  # sorted: every later child is bounded higher still
            old = state.get(q)
            state[q] = totals
            key.append(q)
            self.run(j + 1, key, state, cost)
            key.pop()
            if old is None:
                del state[q]
            else:
                state[q] = old


def _candidates(
    channels: Sequence[Channel], proposals: Sequence[ProposalCosts]
) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(q for q, p in enumerate(proposals) if c in p.serves) for c in channels)


def cheapest_assignment(
    *, channels: Sequence[Channel], proposals: Sequence[ProposalCosts]
) -> tuple[dict[Channel, ProposalId] | None, int]:
    """The assignment with the lowest TCO (exact), and the number of search nodes.

    Ties go to the assignment whose proposals come first in `proposals` (rank order),
    channel by channel in `channels` order. None when a channel is served by no proposal.
    """
    channels = tuple(channels)
    if not channels:
        return {}, 0
    candidates = _candidates(channels, proposals)
    if any(not c for c in candidates):
        return None, 0
    search = _Search(channels=channels, proposals=tuple(proposals), candidates=candidates)
    # Seeds: each proposal alone where it serves every channel, and the greedy assignment.
    for q in range(len(proposals)):
        if all(q in c for c in candidates):
            search.offer((q,) * len(channels))
    search.offer(_greedy(search))
    search.run(0, [], {}, 0.0)
    return (
        {c: proposals[q].id for c, q in zip(channels, search.best_key, strict=True)},
        search.nodes,
    )


def _greedy(search: _Search) -> tuple[int, ...]:
    """Each channel in turn to the proposal that adds the least (fees when first used)."""
    state: dict[int, list[float]] = {}
    key: list[int] = []
    for j in range(len(search.channels)):
        options = [(*search._added(j, q, state), q) for q in search.candidates[j]]
        _, totals, q = min(options, key=lambda o: (o[0], o[2]))
        state[q] = totals
        key.append(q)
    return tuple(key)


def brute_force_assignment(
    *, channels: Sequence[Channel], proposals: Sequence[ProposalCosts]
) -> dict[Channel, ProposalId] | None:
    """The cheapest assignment by trying every one (small cases: tests and the benchmark)."""
    channels = tuple(channels)
    candidates = _candidates(channels, proposals)
    if any(not c for c in candidates):
        return None
    search = _Search(channels=channels, proposals=tuple(proposals), candidates=candidates)
    for key in product(*candidates):
        search.offer(key)
    return {c: proposals[q].id for c, q in zip(channels, search.best_key, strict=True)}


# Scenarios ----------------------------------------------------------------------------------


def check_assignment(
    *,
    channels: Sequence[Channel],
    proposals: Mapping[ProposalId, ProposalCosts],
    assignments: Sequence[tuple[str, object]],
) -> dict[Channel, ProposalId]:
    """A composed assignment as channel -> proposal; AssignmentError naming every problem."""
    problems: list[AssignmentProblem] = []
    assignment: dict[Channel, ProposalId] = {}
    known = {c.value: c for c in channels}
    for raw_channel, raw_proposal in assignments:
        channel = known.get(str(raw_channel))
        if channel is None:
            problems.append(AssignmentProblem(ProblemKind.UNKNOWN_CHANNEL, str(raw_channel)))
            continue
        if channel in assignment:
            problems.append(AssignmentProblem(ProblemKind.TWICE, channel.value))
            continue
        proposal = proposals.get(raw_proposal) if isinstance(raw_proposal, int) else None
        if proposal is None:
            problems.append(AssignmentProblem(ProblemKind.UNQUALIFIED, channel.value, raw_proposal))
        elif channel not in proposal.serves:
            problems.append(AssignmentProblem(ProblemKind.NOT_SERVED, channel.value, proposal.id))
        assignment[channel] = proposal.id if proposal is not None else -1
    problems += [
        AssignmentProblem(ProblemKind.UNASSIGNED, c.value) for c in channels if c not in assignment
    ]
    if problems:
        raise AssignmentError(problems)
    return assignment


def event_scenarios_of(
    *,
    channels: Sequence[Channel],
    proposals: Sequence[ProposalCosts],
    assignments: Sequence[tuple[str, object]] | None = None,
) -> Scenarios:
    """First-ranked alone, the cheapest split and (with `assignments`) the composed one.

    `proposals` are the qualified proposals in rank order. Raises AssignmentError when the
    composed assignment is unusable.
    """
    channels = tuple(channels)
    by_id = {p.id: p for p in proposals}
    composed_map = None
    if assignments is not None:
        composed_map = check_assignment(channels=channels, proposals=by_id, assignments=assignments)
    if not proposals:
        return Scenarios(first_ranked=None, cheapest_split=None)
    first = _scenario(
        name=ScenarioName.FIRST_RANKED,
        channels=channels,
        proposals=by_id,
        assignment=dict.fromkeys(channels, proposals[0].id),
    )
    cheapest_map, nodes = cheapest_assignment(channels=channels, proposals=proposals)
    found = [first]
    cheapest = composed = None
    if cheapest_map is not None:
        cheapest = _scenario(
            name=ScenarioName.CHEAPEST_SPLIT,
            channels=channels,
            proposals=by_id,
            assignment=cheapest_map,
        )
        found.append(cheapest)
    if composed_map is not None:
        composed = _scenario(
            name=ScenarioName.COMPOSED, channels=channels, proposals=by_id, assignment=composed_map
        )

    def compared(s: Scenario | None) -> Scenario | None:
        if s is None:
            return None
        return Scenario(
            name=s.name,
            assignments=s.assignments,
            contracts=s.contracts,
            tco=s.tco,
            difference=s.tco - first.tco,
        )

    return Scenarios(
        first_ranked=compared(first),
        cheapest_split=compared(cheapest),
        composed=compared(composed),
        nodes=nodes,
    )
