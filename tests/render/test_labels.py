"""Edge labels moved off lines (render.labels), and the moves applied to dot's layout."""

from __future__ import annotations

from typing import Any

from journeygraph.render.backend import _moved
from journeygraph.render.labels import TIE, Move, label_moves


def _line(y: float, x0: float = 0, x1: float = 90) -> dict[str, Any]:
    step = (x1 - x0) / 3
    return {"op": "b", "points": [[x0 + i * step, y] for i in range(4)]}


def _text(x: float, y: float, text: str, width: float) -> list[dict[str, Any]]:
    return [
        {"op": "F", "size": 9.0},
        {"op": "T", "pt": [x, y], "align": "c", "width": width, "text": text},
    ]


def _edge(line: dict[str, Any], lp: tuple[float, float] | None = None, **extra: Any) -> Any:
    edge: dict[str, Any] = {"tail": 0, "head": 1, "_draw_": [line], **extra}
    if lp is not None:
        edge["lp"] = f"{lp[0]:g},{lp[1]:g}"
        edge["_ldraw_"] = _text(lp[0], lp[1] - 3, extra.pop("text", "5%"), extra.pop("w", 20.0))
    return edge


def _box(move: Move, width: float, size: float = 9.0) -> tuple[float, float, float, float]:
    x, y = (float(v) for v in move.lp.split(","))
    return x - width / 2, y - 3 - 0.207 * size, x + width / 2, y - 3 + 0.718 * size


def test_a_label_on_another_edge_moves_beside_its_own() -> None:
    layout = {
        "bb": "0,0,200,200",
        "objects": [],
        "edges": [_edge(_line(0)), _edge(_line(20), lp=(45, 2))],
    }
    placement = label_moves(layout)
    assert placement.stranded == 0
    (move,) = placement.moves.values()
    _left, bottom, _right, top = _box(move, 20)
    # Clear of both lines (half a 1-point line plus the clearance), and not nearer the
    # other line (y=0) than its own (y=20) by more than a tie.
    assert bottom > 0 + 2
    assert top < 20 - 2
    assert 20 - top <= bottom - 0 + TIE
    assert move.label is None
    assert move.beside


def test_a_clear_label_stays() -> None:
    layout = {"bb": "0,0,200,200", "objects": [], "edges": [_edge(_line(0), lp=(45, 30))]}
    assert label_moves(layout).moves == {}


def test_the_short_form_is_used_where_only_it_fits() -> None:
    # A short edge (y=20) in a gap 57 points wide between two nodes, a long line under it
    # and a node over it: "26% of customers" (73 points) fits nowhere beside the edge,
    # "26%" does.
    short = "<table><tr><td>26%</td></tr></table>"
    wide = _edge(_line(20, -28, 28), lp=(0, 20), text="26% of customers", w=73.0)
    wide["shortlabel"] = short
    layout = {
        "bb": "-400,-400,400,400",
        "objects": [
            # nodes boxing the corridor in at both ends, and above and below it
            {"name": "a", "pos": "-50,10", "width": "0.6", "height": "0.6"},
            {"name": "b", "pos": "50,10", "width": "0.6", "height": "0.6"},
            {"name": "c", "pos": "0,60", "width": "3", "height": "1"},
            {"name": "d", "pos": "0,-40", "width": "3", "height": "1"},
        ],
        "edges": [_edge(_line(0, -300, 300)), wide],
    }
    placement = label_moves(layout)
    (move,) = placement.moves.values()
    assert move.label == short
    assert move.beside
    assert placement.stranded == 0
    left, bottom, right, top = _box(move, 3 * 0.611 * 9)
    assert left > -28.4
    assert right < 28.4
    assert bottom > 2
    assert top < 18


def test_a_label_with_no_room_is_counted_stranded() -> None:
    # Lines every 4 points: no place for any text within reach.
    lines = [_edge(_line(y, -300, 300)) for y in range(-200, 204, 4)]
    layout = {
        "bb": "-300,-200,300,200",
        "objects": [],
        "edges": [*lines, _edge(_line(2, -300, 300), lp=(0, 2))],
    }
    placement = label_moves(layout)
    assert placement.stranded == 1
    assert placement.moves == {}


LAYOUT = """digraph g {
\ta -> b [label=<<table border="0"><tr><td>26% of customers</td></tr></table>>,
\t\tlp="10,20",
\t\tpos="e,1,1 0,0 0,0 1,1"];
\ta -> c [label=<<table border="0"><tr><td>5% of customers</td></tr></table>>,
\t\tlhead=cluster_1,
\t\tlp="30,40",
\t\tpos="e,1,1 0,0 0,0 1,1"];
}
"""


def test_a_move_changes_one_edge_of_the_layout() -> None:
    moved = _moved(LAYOUT, "30,40", Move("32,48", "<table><tr><td>5%</td></tr></table>"))
    assert moved is not None
    assert 'lp="32,48"' in moved
    assert 'lp="30,40"' not in moved
    assert "label=<<table><tr><td>5%</td></tr></table>>,\n\t\tlhead=cluster_1" in moved
    assert "26% of customers" in moved  # the other edge untouched
    assert _moved(LAYOUT, "10,20", Move("10,28")) == LAYOUT.replace('lp="10,20"', 'lp="10,28"')


def test_a_move_of_an_ambiguous_position_is_not_applied() -> None:
    twice = LAYOUT.replace('lp="30,40"', 'lp="10,20"')
    assert _moved(twice, "10,20", Move("12,20")) is None
    assert _moved(LAYOUT, "99,99", Move("12,20")) is None


def test_the_index_answers_as_a_scan_of_every_segment() -> None:
    # The index files a long segment only in the cells it sweeps, and skips a
    # segment by its box before measuring it: free() and near() must answer as
    # the plain geometry over every segment does, for lines long and short.
    import math
    import random

    from journeygraph.render import labels

    rng = random.Random(30)
    for _ in range(300):
        index = labels._Index()
        lines = []
        for owner in range(rng.randrange(1, 6)):
            x0, y0 = rng.uniform(-50, 400), rng.uniform(-50, 400)
            if rng.random() < 0.5:  # long, at any angle, or flat, or upright
                x1, y1 = rng.uniform(-50, 400), rng.uniform(-50, 400)
                x1 = x0 if rng.random() < 0.1 else x1
                y1 = y0 if rng.random() < 0.1 else y1
            else:
                x1, y1 = x0 + rng.uniform(-10, 10), y0 + rng.uniform(-10, 10)
            half = rng.choice([0.5, 2.0, 5.0])
            index.add_line(owner, half, [{"op": "L", "points": [[x0, y0], [x1, y1]]}])
            lines.append((((x0, y0), (x1, y1)), half, owner))
        for _ in range(40):
            left, bottom = rng.uniform(-60, 400), rng.uniform(-60, 400)
            box = (left, bottom, left + rng.uniform(1, 60), bottom + rng.uniform(1, 15))
            free = not any(
                labels._crosses(s, (box[0] - h, box[1] - h, box[2] + h, box[3] + h))
                for s, h, _ in lines
            )
            assert index.free(box, owner=-1) is free
            owner, reach = rng.randrange(len(lines)), rng.choice([labels.NEAR, labels.FAR])
            best: dict[int, float] = {}
            for s, _, who in lines:
                best[who] = min(best.get(who, math.inf), labels._distance(s, box))
            own = best.pop(owner, math.inf)
            for nearest in (True, False):
                near = own <= reach and (
                    not nearest or all(own <= d + TIE for d in best.values() if d <= reach)
                )
                assert index.near(box, owner, reach, nearest=nearest) is near


def test_the_candidates_come_in_a_stable_sort_of_grid_and_places_beside() -> None:
    # _candidates merges the sorted grid with the places beside the edge lazily (a
    # point's places measured only when they could come next): the order must be a
    # stable sort of the grid followed by every place beside, by (distance, up, right).
    import itertools
    import math
    import random

    from journeygraph.render import labels

    def order(d: tuple[float, float]) -> tuple[float, float, float]:
        return math.hypot(*d), -d[1], d[0]

    rng = random.Random(7)
    steps = int(labels.REACH / 2.0)
    grid = [
        (i * 2.0, j * 2.0)
        for i in range(-steps, steps + 1)
        for j in range(-steps, steps + 1)
        if (i, j) != (0, 0) and math.hypot(i, j) * 2.0 <= labels.REACH
    ]
    for _ in range(40):
        left, bottom = rng.uniform(0, 200), rng.uniform(0, 200)
        box = (left, bottom, left + rng.choice([10.0, 30.0, 61.5]), bottom + 12.0)
        start = (rng.uniform(-100, 300), rng.uniform(-100, 300))
        own = [start]
        for _ in range(rng.randrange(0, 60)):
            step = rng.choice([(3.0, 0.0), (0.0, 3.0), (2.0, 2.0), (rng.uniform(-3, 3), 1.0)])
            own.append((own[-1][0] + step[0], own[-1][1] + step[1]))
        own += own[: rng.randrange(0, 3)]  # a point twice: places that tie
        width, height = box[2] - box[0], box[3] - box[1]
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        gap = 4.0 + labels.CLEARANCE
        w, h = gap + width / 2, gap + height / 2
        sides = [(0.0, h), (0.0, -h), (w, 0.0), (-w, 0.0), (w, h), (-w, h), (w, -h), (-w, -h)]
        beside = [(x + dx - cx, y + dy - cy) for x, y in own for dx, dy in sides]
        for within in (math.inf, labels.REACH):
            wanted = sorted(grid + [d for d in beside if math.hypot(*d) <= within], key=order)
            got = list(labels._candidates(box, own, within=within))
            assert got == wanted
            short = list(itertools.islice(labels._candidates(box, own, within=within), 25))
            assert short == wanted[:25]


def test_free_answers_the_same_with_the_blockers_remembered() -> None:
    # _place remembers the last lines and boxes found in the way and asks them first:
    # free() must answer as it does without them, whatever they are.
    import random

    from journeygraph.render import labels

    rng = random.Random(11)
    for _ in range(60):
        index = labels._Index()
        for owner in range(rng.randrange(1, 8)):
            x0, y0 = rng.uniform(0, 300), rng.uniform(0, 300)
            far = rng.random() < 0.4
            x1 = x0 + rng.uniform(-200, 200) if far else x0 + rng.uniform(-10, 10)
            y1 = y0 + rng.uniform(-200, 200) if far else y0 + rng.uniform(-10, 10)
            index.add_line(
                owner, rng.choice([0.5, 2.0]), [{"op": "L", "points": [[x0, y0], [x1, y1]]}]
            )
        for owner in range(rng.randrange(0, 6)):
            left, bottom = rng.uniform(0, 300), rng.uniform(0, 300)
            index.add_box((left, bottom, left + rng.uniform(1, 40), bottom + 10), owner=owner)
        hint: list[Any] = []
        for _ in range(80):
            left, bottom = rng.uniform(-20, 320), rng.uniform(-20, 320)
            box = (left, bottom, left + rng.uniform(1, 60), bottom + rng.uniform(1, 15))
            owner = rng.randrange(-1, 6)
            assert index.free(box, owner, hint) is index.free(box, owner)


def test_the_clipping_answers_as_liang_and_barsky_side_by_side() -> None:
    # _crosses clips one axis at a time and compares once at the end; the textbook
    # form tests each of the four sides in turn.
    import random

    from journeygraph.render import labels

    def textbook(segment: Any, box: Any) -> bool:
        (x0, y0), (x1, y1) = segment
        dx, dy = x1 - x0, y1 - y0
        low, high = 0.0, 1.0
        sides = ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]), (dy, box[3] - y0))
        for p, q in sides:
            if p == 0:
                if q < 0:
                    return False
            elif p < 0:
                low = max(low, q / p)
            else:
                high = min(high, q / p)
            if low > high:
                return False
        return True

    rng = random.Random(3)
    values = [0.0, -0.0, 1.0, 2.0, 16.0, -3.5, 0.1, 0.30000000000000004]

    def value() -> float:
        return rng.choice(values) if rng.random() < 0.3 else rng.uniform(-5, 5)

    for _ in range(20000):
        segment = ((value(), value()), (value(), value()))
        (a, b), (c, d) = sorted([value(), value()]), sorted([value(), value()])
        box = (a, c, b, d)
        assert labels._crosses(segment, box) is textbook(segment, box)
