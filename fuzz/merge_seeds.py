"""Seeds of the `merge` fuzz target: member waiban's summary from a real shard build,
its files and hashes rewritten to the shard fuzz/targets.rs makes. One whole shard, the
others hostile (entries climbing out, a link, an edited page, another member's summary).
    python3 fuzz/merge_seeds.py SHARD/.gongkai-group/waiban.json fuzz/seeds/merge
"""
import hashlib
import json
import sys

summary, out = sys.argv[1], sys.argv[2]
base = json.load(open(summary, encoding="utf-8"))


def h(text):
    return hashlib.sha256(text.encode()).hexdigest()


def write(name, files, hashes, slug="waiban"):
    x = dict(base, files=files, hashes=hashes, slug=slug, diagnostics=[])
    x["latest"] = x["latest"][:1]
    with open(f"{out}/{name}", "w", encoding="utf-8") as f:
        json.dump(x, f, ensure_ascii=False, indent=1)


good = {
    "waiban/index.html": h("<p>外办</p>"),
    "waiban/zwgk/附件.pdf": h("%PDF-1.7"),
    ".gongkai-group/waiban.search.json": h("[]"),
}
write("whole.json", ["waiban/index.html", "waiban/zwgk/附件.pdf"], good)
write(
    "climbs-out.json",
    ["waiban/../secret.txt", "/etc/passwd", "waiban/up/secret.txt", "tongji/index.html"],
    dict(good, **{"waiban/../secret.txt": h("机密")}),
)
write("link.json", ["waiban/link.txt", "waiban/index.html"], dict(good, **{"waiban/link.txt": h("机密")}))
write("edited.json", ["waiban/index.html"], dict(good, **{"waiban/index.html": h("<p>改过</p>")}))
write("other-slug.json", ["waiban/index.html"], good, slug="tongji")
