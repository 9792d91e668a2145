#!/usr/bin/env bash
# layering.sh SOURCE_DIR - the layering rule of docs/architecture.md, checked
# file by file: the core folders include only the C library, the public core
# headers, each other and util/; never a format, import, report, study, eval or
# command-line header, nor libyaml or protobuf-c. Also: nothing in the library
# includes the command line's headers.
set -uo pipefail
src=${1:?usage: layering.sh SOURCE_DIR}/src
core_dirs="workload arch mapping model sim mapper util"
core_re='^(workload|arch|mapping|model|sim|mapper|util)/'
core_public='^petal/(error|version|config|limits|problem|sparse|network|arch|energy|mapping|constraints|model|sim|mapper|eyexam)\.h$'
bad=0
checked=0
for dir in $core_dirs; do
  for file in "$src/$dir"/*.[ch]; do
    [ -e "$file" ] || continue
    checked=$((checked + 1))
    while IFS=: read -r line text; do
      header=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]+)[>"].*/\1/' <<<"$text")
      case "$text" in
        *'<'*'>'*)
          # System headers: the C library, POSIX threads and time; no third-party library.
          if grep -Eq '^(yaml|protobuf-c|cmocka|jansson|mpi)' <<<"$header"; then
            echo "layering: ${file#"$src"/}:$line includes <$header>, a library the core must not need"
            bad=1
          fi ;;
        *)
          if [[ "$header" =~ ^petal/ ]]; then
            [[ "$header" =~ $core_public ]] && continue
          elif [[ "$header" =~ $core_re ]]; then
            continue
          fi
          echo "layering: ${file#"$src"/}:$line includes \"$header\", which is above the core"
          bad=1 ;;
      esac
    done < <(grep -n -E '^[[:space:]]*#[[:space:]]*include' "$file")
  done
done
for file in $(grep -rl --include='*.[ch]' -E '#[[:space:]]*include[[:space:]]*"cli/' "$src" | grep -v "^$src/cli/"); do
  echo "layering: ${file#"$src"/} includes the command line's headers"
  bad=1
done
if [ "$checked" -lt 20 ]; then
  echo "layering: only $checked core files found under $src; is the layout as expected?"
  bad=1
fi
[ "$bad" -eq 0 ] && echo "layering: $checked core files include nothing from above the core"
exit "$bad"
