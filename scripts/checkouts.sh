# Sourced by scripts/evaluate.sh and scripts/bench.sh: the evaluated repositories' checkouts
# under $CHECKOUTS (a bare repository, a clone or a snapshot as the `fetch` tool leaves it).

# Finds the git directory of owner+name under CHECKOUTS.
git_dir() {
  local base="$CHECKOUTS/$1"
  for g in "$base/repo" "$base/.git" "$base"; do
    if [[ -d "$g" ]] && git --git-dir="$g" rev-parse --git-dir >/dev/null 2>&1; then
      echo "$g"
      return 0
    fi
  done
  return 1
}

# Exports <commit> of git dir $1 into $3. A snapshot may lack a few large blobs: then every
# blob that is there is written one by one (the missing ones are listed).
export_commit() {
  local g="$1" commit="$2" into="$3"
  mkdir -p "$into"
  if git --git-dir="$g" archive "$commit" 2>/dev/null | tar -x -C "$into" 2>/dev/null; then
    return 0
  fi
  rm -rf "$into" && mkdir -p "$into"
  git --git-dir="$g" ls-tree -r "$commit" | while read -r _mode type sha path; do
    [[ "$type" == blob ]] || continue
    mkdir -p "$into/$(dirname "$path")"
    git --git-dir="$g" cat-file blob "$sha" >"$into/$path" 2>/dev/null || {
      rm -f "$into/$path"
      echo "   (blob missing in the snapshot: $path)" >&2
    }
  done
}
