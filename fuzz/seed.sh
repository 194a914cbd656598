#!/bin/sh
# Refreshes the seed corpora (fuzz/seeds/TARGET/) from the example site, the test
# fixtures and the docs. Run from the repository root: sh fuzz/seed.sh
set -eu
cd "$(dirname "$0")/.."
seeds=fuzz/seeds
rm -rf "$seeds"
mkdir -p "$seeds/report_yaml" "$seeds/front_matter" "$seeds/site_toml" "$seeds/markdown" "$seeds/search" "$seeds/import" \
    "$seeds/pdf" "$seeds/docx" "$seeds/merge"

# Named by content, as libFuzzer names corpus files.
put() { # target file
    cp "$2" "$seeds/$1/$(sha1sum "$2" | cut -c1-16)"
}
body() { # markdown file without its front matter
    awk 'n >= 2 { print } /^(---|\+\+\+)$/ { n++ }' "$1"
}

for f in content/reports/*.yaml tests/fixtures/*/content/reports/*.yaml tests/fixtures/rules/*.yaml; do
    put report_yaml "$f"
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo run -q --no-default-features -- new report 2024 --root "$tmp" 2>/dev/null
put report_yaml "$tmp/content/reports/2024.yaml"

find content tests/fixtures -name '*.md' | sort | while read -r f; do
    put front_matter "$f"
    body "$f" > "$tmp/body"
    put markdown "$tmp/body"
    put search "$tmp/body"
done
put markdown docs/report-format.md
put markdown docs/templates.md

for f in site.toml tests/fixtures/*/site.toml; do
    put site_toml "$f"
done
cargo run -q --no-default-features -- init "$tmp/site" 2>/dev/null
put site_toml "$tmp/site/site.toml"

# Published reports as agencies have them (text and web pages; the PDFs are too large
# to be useful seeds).
for f in tests/fixtures/import/real/*.txt tests/fixtures/import/real/*.html; do
    put import "$f"
done

# The PDF and Word readers: the small files of tests/fixtures/import/hostile (valid ones
# and hostile ones; python3 make.py there writes them), the Word ones as their XML.
for f in tests/fixtures/import/hostile/*.pdf tests/fixtures/import/scanned.pdf; do
    if [ "$(wc -c < "$f")" -le 16384 ]; then put pdf "$f"; fi
done
for f in tests/fixtures/import/hostile/*.docx tests/fixtures/import/report.docx; do
    unzip -p "$f" word/document.xml > "$tmp/document.xml"
    if [ "$(wc -c < "$tmp/document.xml")" -le 65536 ]; then put docx "$tmp/document.xml"; fi
done

# Shard summaries for `merge`: waiban's summary from a shard build of the fixture group,
# rewritten to the shard the target makes (fuzz/merge_seeds.py).
cp -r tests/fixtures/group "$tmp/group"
cargo run -q --no-default-features -- build --root "$tmp/group" --out "$tmp/shard" --shard 1/1 2>/dev/null
python3 fuzz/merge_seeds.py "$tmp/shard/.gongkai-group/waiban.json" "$seeds/merge"
