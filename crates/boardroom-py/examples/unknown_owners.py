"""Who stands at the top of each chain? A notebook-style walk through a
beneficial-ownership register with boardroom, pyarrow and matplotlib.

    python crates/boardroom-py/examples/unknown_owners.py REGISTER.jsonl [depths.png]

1. Read the register (BODS 0.4, a JSON array or JSON Lines) and find every
   entity's ultimate owners and controllers: one Arrow table.
2. Find every entity whose ultimate owner is unknown (an unspecified or
   undeclared party: BODS's "unknown person", an owner never declared) or
   that is held through a cycle of holdings.
3. Plot how deep the chains are: the distribution of the depth of each
   entity's ultimate parties.
"""

from __future__ import annotations

import sys
from collections import Counter

import matplotlib

matplotlib.use("Agg")  # write a file; no window needed
import matplotlib.pyplot as plt  # noqa: E402
import pyarrow.compute as pc  # noqa: E402

import boardroom  # noqa: E402


def main(register: str, picture: str) -> None:
    # 1. One row per (entity, ultimate party): shares exact (decimal text),
    #    path counts, depths, and whether the party is reached through a cycle.
    table = boardroom.analyse(bods=register)
    read = boardroom.summary(table)
    print(f"{register}: {read['read']:,} statements, {read['stats']['entities']:,} entities, "
          f"{table.num_rows:,} (entity, ultimate party) rows")
    if read["skipped"]:
        print(f"  {read['skipped']} damaged statements skipped, e.g. {read['problems'][0]}")

    # 2. Unknown at the top, or held through a cycle: filters on Arrow
    #    columns, no Python object per row.
    unknown = pc.is_in(table["party_kind"], value_set=boardroom_unknown_kinds())
    in_cycle = table["via_cycle"]
    flagged = table.filter(pc.or_(unknown, in_cycle))
    by_entity = flagged.group_by("entity_id").aggregate(
        [("party_kind", "distinct"), ("via_cycle", "max"), ("party_reason", "distinct")]
    )
    unknown_entities = pc.unique(table.filter(unknown)["entity_id"])
    cycle_entities = pc.unique(table.filter(in_cycle)["entity_id"])
    print(f"  {len(unknown_entities):,} entities have an unknown ultimate party")
    print(f"  {len(cycle_entities):,} entities are held through a cycle")
    reasons = Counter(r for r in table.filter(unknown)["party_reason"].to_pylist() if r)
    for reason, n in reasons.most_common(5):
        print(f"    {n:>8,}  {reason}")
    for row in by_entity.slice(0, 5).to_pylist():
        print(f"    e.g. {row['entity_id']}: {row['party_kind_distinct']}"
              f"{' (through a cycle)' if row['via_cycle_max'] else ''}")

    # 3. Chain depths: the deepest path to each entity's ultimate parties.
    deepest = table.group_by("entity_id").aggregate([("max_depth", "max")])
    depths = Counter(deepest["max_depth_max"].to_pylist())
    xs = sorted(depths)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.bar(xs, [depths[x] for x in xs], color="#35618f")
    ax.set_yscale("log")
    ax.set_xlabel("hops from the entity to its furthest ultimate party")
    ax.set_ylabel("entities (log scale)")
    ax.set_title(f"How deep ownership chains go\n{register.rsplit('/', 1)[-1]}", fontsize=10)
    ax.set_xticks(xs)
    fig.tight_layout()
    fig.savefig(picture, dpi=120)
    print(f"  chain depths: {dict(sorted(depths.items()))}; drawn in {picture}")


def boardroom_unknown_kinds():
    import pyarrow as pa

    # An unspecified party (BODS's unknown person or entity, with its reason)
    # or one a relationship names but no statement declares.
    return pa.array(["unspecified", "undeclared"])


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "chain-depths.png")
