# shellcheck shell=bash
# Bash completion for concur's programs. The build appends, per program, the
# table of its options (CONCUR_HELP_FORMAT=bash PROG --help): option -> flag,
# file, dir, value or choice:A B C. Installed as one file per program name in
# share/bash-completion/completions/, where bash-completion loads it on first
# use (also from PREFIX/share when PREFIX/bin is on PATH).

# _concur_complete CMD WORD PREV: fill COMPREPLY for the word being completed.
_concur_complete() {
  local cmd=${1##*/} cur=${COMP_WORDS[COMP_CWORD]} prev=""
  [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
  local -n _spec="_concur_opts_${cmd//[^a-zA-Z0-9]/_}" 2>/dev/null || return 0
  COMPREPLY=()
  # --opt=value arrives as three words: --opt, =, value
  if [ "$cur" = "=" ]; then
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    cur=""
  elif [ "$prev" = "=" ] && [ "$COMP_CWORD" -gt 1 ]; then
    prev=${COMP_WORDS[COMP_CWORD - 2]}
  fi
  local kind=${_spec[$prev]-}
  case $kind in
    file) mapfile -t COMPREPLY < <(compgen -f -- "$cur"); compopt -o filenames 2>/dev/null; return 0 ;;
    dir) mapfile -t COMPREPLY < <(compgen -d -- "$cur"); compopt -o filenames 2>/dev/null; return 0 ;;
    value) return 0 ;;
    choice:*) mapfile -t COMPREPLY < <(compgen -W "${kind#choice:}" -- "$cur"); return 0 ;;
  esac
  # a program with subcommands (primer): the first word is one of them
  local -n _words="_concur_words_${cmd//[^a-zA-Z0-9]/_}" 2>/dev/null
  if [ "$COMP_CWORD" -eq 1 ] && [ -n "${_words-}" ] && [[ $cur != -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$_words" -- "$cur")
    return 0
  fi
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "${!_spec[*]}" -- "$cur")
    return 0
  fi
  mapfile -t COMPREPLY < <(compgen -f -- "$cur")
  compopt -o filenames 2>/dev/null
  return 0
}
